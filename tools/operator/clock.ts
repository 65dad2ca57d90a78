/** Time as the operator tools see it: injected, so a ten-minute drill runs in milliseconds in tests. */
export interface Clock {
    now(): Date;
    sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A clock that only moves when slept on: `sleep` advances time at once and yields to
 * pending callbacks, so scripted timelines replay deterministically without real waiting.
 */
export function virtualClock(start: Date): Clock {
    let now = start.getTime();
    return {
        now: () => new Date(now),
        sleep: async (ms) => {
            now += Math.max(0, ms);
            await new Promise<void>((resolve) => setImmediate(resolve));
        },
    };
}

/** Operator interrupts (Ctrl-C): injected so tests can press it at a scripted moment. */
export interface Interrupts {
    /** Calls `listener` on every interrupt until the returned function is called. */
    subscribe(listener: () => void): () => void;
}

export const processInterrupts: Interrupts = {
    subscribe(listener) {
        process.on("SIGINT", listener);
        return () => process.off("SIGINT", listener);
    },
};
