import { ProbeTimeoutError } from "./classify";

/**
 * Runs one probe step with its own time limit. At the limit the step's signal is
 * aborted (so it can close sockets) and the step fails with a ProbeTimeoutError; a step
 * that never settles can therefore never delay anything else.
 */
export async function withDeadline<T>(
    step: string,
    ms: number,
    run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            const error = new ProbeTimeoutError(step, ms);
            controller.abort(error);
            reject(error);
        }, ms);
    });
    const work = run(controller.signal);
    // The losing side of the race may still reject later; that is expected, not a crash.
    work.catch(() => undefined);
    try {
        return await Promise.race([work, expired]);
    } finally {
        clearTimeout(timer);
    }
}
