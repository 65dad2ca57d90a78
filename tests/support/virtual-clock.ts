/**
 * A virtual clock for running several tasks (the two regions' monitors) in time order:
 * time advances only when every task is asleep, to the earliest wake-up, one task at a
 * time. Real I/O (a real PostgreSQL) takes real time, but no virtual time, so a timeline of
 * many minutes runs in seconds and always in the same order.
 */
export class VirtualClock {
    private current: number;
    private awake = 0;
    private readonly sleepers: { at: number; seq: number; wake: () => void }[] = [];
    private seq = 0;
    private readonly done: Promise<void>[] = [];

    constructor(start: number) {
        this.current = start;
    }

    now = (): number => this.current;

    /** Sleeps `ms` of virtual time. */
    sleep = (ms: number): Promise<void> => this.sleepUntil(this.current + Math.max(0, ms));

    sleepUntil(at: number): Promise<void> {
        return new Promise<void>((resolve) => {
            this.sleepers.push({ at: Math.max(at, this.current), seq: this.seq++, wake: resolve });
            this.awake--;
            this.advance();
        });
    }

    /** Runs `fn` as a task of this clock. */
    spawn(fn: () => Promise<void>): void {
        this.awake++;
        this.done.push(
            fn().finally(() => {
                this.awake--;
                this.advance();
            }),
        );
    }

    /** Waits for every task to finish. */
    async settle(): Promise<void> {
        await Promise.all(this.done);
    }

    private advance(): void {
        if (this.awake > 0 || this.sleepers.length === 0) return;
        this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = this.sleepers.shift()!;
        this.current = next.at;
        this.awake++;
        next.wake();
    }
}
