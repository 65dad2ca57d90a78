import { ProbeTimeoutError } from "./classify";

/** How long an aborted step may take to say why it failed before the timeout stands. */
const SETTLE_MS = 20;

/**
 * A step that was still retrying when its time ran out may say why it was retrying by
 * rejecting with an error marked this way: a step aborted while it waited out throttling
 * then reports "throttled", not "timeout".
 */
export const RETRIED_UNTIL_DEADLINE = Symbol("retriedUntilDeadline");

/** Marks `error` as the reason a step was still retrying when its bound ended it. */
export function retriedUntilDeadline(error: unknown): unknown {
    return Object.assign(error as object, { [RETRIED_UNTIL_DEADLINE]: true });
}

/** What a step gets: a signal aborted at its limit, and the limit itself. */
export interface StepBudget {
    readonly signal: AbortSignal;
    /** The step's limit (epoch ms); later once the step is granted a longer bound. */
    readonly deadline: number;
    /** The step's bound in ms: its own, or the longer one it was granted while it ran. */
    readonly boundMs: number;
    /** Calls `listener` whenever the deadline moves; returns a function that stops that. */
    onExtended(listener: () => void): () => void;
}

/**
 * Runs one probe step with its own time limit. At the limit the step's signal is
 * aborted (so it can close sockets) and the step fails with a ProbeTimeoutError, or with
 * the reason it was retrying if it says so at once. A step that never settles can
 * therefore never delay anything else. `extension`, if it settles with a longer bound (ms
 * from the step's start) while the step runs, moves the limit there; it never shortens it.
 */
export async function withDeadline<T>(
    step: string,
    ms: number,
    run: (budget: StepBudget) => Promise<T>,
    extension?: Promise<number | undefined>,
): Promise<T> {
    const controller = new AbortController();
    const started = Date.now();
    const listeners = new Set<() => void>();
    let bound = ms;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // Timers chain from the start, so a bound that moved is kept to the millisecond.
    const expired = new Promise<"expired">((resolve) => {
        let waited = 0;
        const wait = () => {
            if (waited >= bound) return resolve("expired");
            const more = bound - waited;
            waited = bound;
            timer = setTimeout(wait, more);
        };
        wait();
    });
    extension?.then(
        (longer) => {
            if (settled || longer === undefined || longer <= bound) return;
            bound = longer;
            for (const listener of listeners) listener();
        },
        () => undefined,
    );
    const budget: StepBudget = {
        signal: controller.signal,
        get deadline() {
            return started + bound;
        },
        get boundMs() {
            return bound;
        },
        onExtended(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
        },
    };
    const work = run(budget);
    // The losing side of the race may still reject later; that is expected, not a crash.
    work.catch(() => undefined);
    try {
        const first = await Promise.race([work, expired]);
        if (first !== "expired") return first as T;
        settled = true;
        const timeout = new ProbeTimeoutError(step, bound);
        controller.abort(timeout);
        const outcome = await Promise.race([
            work.then(
                () => undefined,
                (error: unknown) => error,
            ),
            new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SETTLE_MS)),
        ]);
        const retried = (outcome as { [RETRIED_UNTIL_DEADLINE]?: boolean })?.[
            RETRIED_UNTIL_DEADLINE
        ];
        throw retried ? outcome : timeout;
    } finally {
        settled = true;
        clearTimeout(timer);
    }
}

/** Exponential back-off: before retry n (from 1), a pause up to min(capMs, baseMs × 2^(n-1)). */
export interface Backoff {
    readonly baseMs: number;
    readonly capMs: number;
}

/**
 * The pause before retry `retry`, with "full jitter" (drawn uniformly below the exponential
 * ceiling), so retries of many sessions after one event (a catalog change, a connection
 * burst) spread out instead of arriving together.
 */
export function backoffDelayMs(retry: number, backoff: Backoff, random: () => number): number {
    const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** (retry - 1));
    return random() * ceiling;
}

/**
 * Waits before retry `retry` of a step. Resolves false at once, without waiting, when the
 * pause would end at or past the step's deadline (a retry must never outlive its step);
 * rejects with the abort's reason if the step is aborted meanwhile.
 */
export function pauseBeforeRetry(
    budget: StepBudget,
    retry: number,
    backoff: Backoff,
    random: () => number,
): Promise<boolean> {
    const delay = backoffDelayMs(retry, backoff, random);
    if (Date.now() + delay >= budget.deadline) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
        const abort = () => {
            clearTimeout(timer);
            reject(budget.signal.reason);
        };
        const timer = setTimeout(() => {
            budget.signal.removeEventListener("abort", abort);
            resolve(true);
        }, delay);
        if (budget.signal.aborted) abort();
        else budget.signal.addEventListener("abort", abort, { once: true });
    });
}

/** Which errors a step retries, how it backs off, and its source of jitter. */
export interface RetryPolicy {
    readonly retryable: (error: unknown) => boolean;
    readonly backoff: Backoff;
    /** Uniform in [0, 1): Math.random in production, a fixed sequence in tests. */
    readonly random: () => number;
}

/**
 * Runs `operation`, retrying it with jittered back-off while it fails with a retryable
 * error and the step's bound leaves room. The last retryable error is the step's failure
 * when the next pause would not end in time, or, marked as the reason it was retrying,
 * when the bound ends a pause or a retried attempt.
 */
export async function retryWithin<T>(
    budget: StepBudget,
    operation: () => Promise<T>,
    policy: RetryPolicy,
): Promise<T> {
    let retrying: unknown;
    for (let retry = 1; ; retry++) {
        try {
            return await operation();
        } catch (error) {
            if (budget.signal.aborted && retrying !== undefined)
                throw retriedUntilDeadline(retrying);
            if (!policy.retryable(error)) throw error;
            retrying = error;
        }
        let resume: boolean;
        try {
            resume = await pauseBeforeRetry(budget, retry, policy.backoff, policy.random);
        } catch {
            throw retriedUntilDeadline(retrying);
        }
        if (!resume) throw retrying;
    }
}
