import { ProbeTimeoutError } from "./classify";

/** How long an aborted step may take to say why it failed before the timeout stands. */
const SETTLE_MS = 20;

/**
 * A step that was still retrying when its time ran out may say why it was retrying by
 * rejecting with an error marked this way: a step aborted while it waited out throttling
 * then reports "throttled", not "timeout".
 */
export const RETRIED_UNTIL_DEADLINE = Symbol("retriedUntilDeadline");

/**
 * Runs one probe step with its own time limit. At the limit the step's signal is
 * aborted (so it can close sockets) and the step fails with a ProbeTimeoutError, or with
 * the reason it was retrying if it says so at once. A step that never settles can
 * therefore never delay anything else.
 */
/** What a step gets: a signal aborted at its limit, and the limit itself (epoch ms). */
export interface StepBudget {
    readonly signal: AbortSignal;
    readonly deadline: number;
}

export async function withDeadline<T>(
    step: string,
    ms: number,
    run: (budget: StepBudget) => Promise<T>,
): Promise<T> {
    const controller = new AbortController();
    const timeout = new ProbeTimeoutError(step, ms);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"expired">((resolve) => {
        timer = setTimeout(() => resolve("expired"), ms);
    });
    const work = run({ signal: controller.signal, deadline: Date.now() + ms });
    // The losing side of the race may still reject later; that is expected, not a crash.
    work.catch(() => undefined);
    try {
        const first = await Promise.race([work, expired]);
        if (first !== "expired") return first as T;
        controller.abort(timeout);
        const settled = await Promise.race([
            work.then(
                () => undefined,
                (error: unknown) => error,
            ),
            new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SETTLE_MS)),
        ]);
        const retried = (settled as { [RETRIED_UNTIL_DEADLINE]?: boolean })?.[
            RETRIED_UNTIL_DEADLINE
        ];
        throw retried ? settled : timeout;
    } finally {
        clearTimeout(timer);
    }
}
