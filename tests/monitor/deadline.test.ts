import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { failureReason, ProbeTimeoutError } from "../../monitor-function/src/classify";
import {
    backoffDelayMs,
    pauseBeforeRetry,
    retryWithin,
    withDeadline,
    type StepBudget,
} from "../../monitor-function/src/deadline";

/** Lets promise chains and immediates run while virtual time stands still. */
const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Moves virtual time on `ms`, 1 ms at a time, letting everything due run at its time. */
const advance = async (ms: number) => {
    await settle();
    for (let i = 0; i < ms; i++) {
        mock.timers.tick(1);
        await settle();
    }
};

/** Tracks a promise's outcome without awaiting it. */
function watch<T>(promise: Promise<T>) {
    const state: { done: boolean; value?: T; error?: unknown } = { done: false };
    promise.then(
        (value) => Object.assign(state, { done: true, value }),
        (error: unknown) => Object.assign(state, { done: true, error }),
    );
    return state;
}

const hang = () => new Promise<never>(() => undefined);

/** A bound granted later, by the test. */
function grant() {
    let resolve!: (ms: number | undefined) => void;
    const promise = new Promise<number | undefined>((r) => (resolve = r));
    return { promise, resolve };
}
const conflict = () => Object.assign(new Error("change conflicts (OC000)"), { code: "40001" });

describe("step deadlines and retries within them (virtual time)", () => {
    beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
    afterEach(() => mock.timers.reset());

    describe("a longer bound granted while the step runs", () => {
        it("moves the deadline, tells the step, and times out at the longer bound only", async () => {
            const granted = grant();
            let budget: StepBudget | undefined;
            let told = 0;
            const step = watch(
                withDeadline(
                    "heartbeat",
                    100,
                    (b) => {
                        budget = b;
                        b.onExtended(() => told++);
                        return hang();
                    },
                    granted.promise,
                ),
            );
            await advance(10);
            granted.resolve(300);
            await settle();
            assert.equal(budget!.deadline, 300);
            assert.equal(budget!.boundMs, 300);
            assert.equal(told, 1);
            await advance(289);
            assert.equal(step.done, false, "still running at 299 ms");
            await advance(1);
            assert.equal(budget!.signal.aborted, true, "aborted at 300 ms");
            await advance(20);
            assert.ok(step.error instanceof ProbeTimeoutError);
            assert.match((step.error as Error).message, /within 300 ms/);
        });

        it("never shortens a bound, and comes too late once the step has ended", async () => {
            const shorter = watch(withDeadline("heartbeat", 100, hang, Promise.resolve(50)));
            await advance(99);
            assert.equal(shorter.done, false);
            await advance(21);
            assert.match((shorter.error as Error).message, /within 100 ms/);

            let budget: StepBudget | undefined;
            const late = grant();
            const ended = watch(
                withDeadline(
                    "heartbeat",
                    100,
                    async (b) => {
                        budget = b;
                        return "done";
                    },
                    late.promise,
                ),
            );
            await settle();
            late.resolve(300);
            await settle();
            assert.equal(ended.value, "done");
            assert.equal(budget!.boundMs, 100, "the step ran on its own bound");
        });
    });

    describe("jittered exponential back-off", () => {
        const backoff = { baseMs: 20, capMs: 500 };

        it("draws each pause from zero up to the doubled base, capped", () => {
            const half = () => 0.5;
            assert.deepEqual(
                [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, backoff, half)),
                [10, 20, 40, 80, 160, 250, 250],
            );
            assert.equal(
                backoffDelayMs(3, backoff, () => 0),
                0,
            );
        });

        it("pauses only when the pause ends before the deadline", async () => {
            const controller = new AbortController();
            const budget: StepBudget = {
                signal: controller.signal,
                deadline: 100,
                boundMs: 100,
                onExtended: () => () => undefined,
            };
            const short = watch(pauseBeforeRetry(budget, 3, backoff, () => 0.5)); // 40 ms
            await advance(39);
            assert.equal(short.done, false);
            await advance(1);
            assert.equal(short.value, true);
            // At 40 ms, a pause of 80 ms would end past the deadline: no pause at all.
            const long = watch(pauseBeforeRetry(budget, 4, backoff, () => 0.5));
            await settle();
            assert.equal(long.value, false);
            const aborted = watch(pauseBeforeRetry(budget, 1, backoff, () => 0.5));
            controller.abort(new ProbeTimeoutError("heartbeat", 100));
            await settle();
            assert.ok(aborted.error instanceof ProbeTimeoutError);
        });
    });

    describe("retrying a statement within its step", () => {
        const policy = (random: () => number) => ({
            retryable: (e: unknown) => (e as { code?: string }).code === "40001",
            backoff: { baseMs: 20, capMs: 500 },
            random,
        });

        it("retries until the statement passes, one jittered pause per retry", async () => {
            let calls = 0;
            let draws = 0;
            const step = watch(
                withDeadline("heartbeat", 1000, (budget) =>
                    retryWithin(
                        budget,
                        async () => {
                            if (++calls <= 2) throw conflict();
                            return "committed";
                        },
                        policy(() => (draws++, 0.5)),
                    ),
                ),
            );
            await advance(10 + 20);
            await settle();
            assert.deepEqual([step.value, calls, draws], ["committed", 3, 2]);
        });

        it("does not retry another error", async () => {
            let calls = 0;
            const step = watch(
                withDeadline("heartbeat", 1000, (budget) =>
                    retryWithin(
                        budget,
                        async () => {
                            calls++;
                            throw Object.assign(new Error("read-only"), { code: "25006" });
                        },
                        policy(() => 0.5),
                    ),
                ),
            );
            await settle();
            assert.equal(failureReason(step.error), "read-only");
            assert.equal(calls, 1);
        });

        it("fails as a conflict before its bound once the next pause would not end in time", async () => {
            let calls = 0;
            const step = watch(
                withDeadline("heartbeat", 100, (budget) =>
                    retryWithin(
                        budget,
                        async () => {
                            calls++;
                            throw conflict();
                        },
                        policy(() => 0.99),
                    ),
                ),
            );
            // Pauses of 19.8, 39.6 ms (ending at 59.4); the next, 79.2 ms, would pass 100.
            await advance(60);
            assert.equal(failureReason(step.error), "conflict");
            assert.equal(calls, 3);
        });

        it("fails as a conflict, not a timeout, when its bound cuts a retried statement", async () => {
            let calls = 0;
            const step = watch(
                withDeadline("heartbeat", 100, (budget) =>
                    retryWithin(
                        budget,
                        () => {
                            if (++calls === 1) return Promise.reject(conflict());
                            // The retry hangs until the bound closes its connection.
                            return new Promise<never>((_, reject) =>
                                budget.signal.addEventListener("abort", () =>
                                    reject(new Error("Connection terminated")),
                                ),
                            );
                        },
                        policy(() => 0),
                    ),
                ),
            );
            await advance(100);
            await advance(20);
            assert.equal(failureReason(step.error), "conflict");
        });
    });
});
