/**
 * What a fault drill and a paging path check share: the stack, injected clients and clock,
 * a timeline, a watcher of every paging alarm, Ctrl-C counting and bounded polling.
 */
import type { AlarmWatcher } from "./alarms";
import type { AwsClients } from "./aws";
import type { Clock, Interrupts } from "./clock";
import type { StackOutputs } from "./outputs";
import { preflight, watchStack, type Preflight } from "./preflight";
import { Timeline } from "./timeline";

export interface SessionContext {
    readonly stack: string;
    readonly outputs: StackOutputs;
    readonly aws: AwsClients;
    /** The caller's ARN, already checked against the stack's account (aws.ts). */
    readonly caller: string;
    readonly clock: Clock;
    readonly interrupts: Interrupts;
    readonly toolVersion: string;
    readonly log: (line: string) => void;
}

/** Refused by the preflight: nothing was changed and no report is written. */
export interface Refused {
    readonly refused: string[];
    readonly warnings: string[];
}

export abstract class Session {
    protected readonly timeline = new Timeline();
    protected readonly watcher: AlarmWatcher;
    protected readonly startedAt: Date;
    protected interrupts = 0;
    private lastInterrupt = -Infinity;

    constructor(
        protected readonly ctx: SessionContext,
        private readonly pollSeconds: number,
    ) {
        this.startedAt = ctx.clock.now();
        this.watcher = watchStack(ctx.aws, ctx.outputs, this.timeline);
    }

    protected now(): Date {
        return this.ctx.clock.now();
    }

    protected after(seconds: number): Date {
        return new Date(this.now().getTime() + seconds * 1000);
    }

    /** A step of the tool: in the timeline at the clock's time, and on the console. */
    protected note(subject: string, event: string, region?: string): void {
        this.timeline.add(this.now(), subject, event, region);
        this.ctx.log(`${subject}${region ? ` (${region})` : ""}: ${event}`);
    }

    protected check(specific?: (problems: string[]) => Promise<void>): Promise<Preflight> {
        const { stack, outputs, aws, caller } = this.ctx;
        return preflight(
            { stack, outputs, aws, caller, now: () => this.now() },
            this.watcher,
            specific,
        );
    }

    /**
     * Runs `body` while counting Ctrl-C presses; `say` tells the operator what happens now.
     * Presses within a second count once: under `npm run` (./task) one Ctrl-C reaches the
     * tool twice, from the terminal and forwarded by npm.
     */
    protected async interruptible<T>(say: (count: number) => string, body: () => Promise<T>) {
        const unsubscribe = this.ctx.interrupts.subscribe(() => {
            const at = this.now().getTime();
            if (at - this.lastInterrupt < 1000) return;
            this.lastInterrupt = at;
            this.interrupts += 1;
            this.ctx.log(say(this.interrupts));
        });
        try {
            return await body();
        } finally {
            unsubscribe();
        }
    }

    /**
     * Calls `step` until it answers (not undefined), `deadline` passes (it may move as steps
     * learn more) or `patience` Ctrl-C presses came, sleeping `every` seconds between calls;
     * undefined when it never answered.
     */
    protected async pollUntil<T>(
        deadline: Date | (() => Date),
        patience: number,
        step: () => Promise<T | undefined>,
        every: number = this.pollSeconds,
    ): Promise<T | undefined> {
        for (;;) {
            const answer = await step();
            if (answer !== undefined) return answer;
            const end = typeof deadline === "function" ? deadline() : deadline;
            const left = end.getTime() - this.now().getTime();
            if (left <= 0 || this.interrupts >= patience) return undefined;
            await this.ctx.clock.sleep(Math.min(every * 1000, left));
        }
    }
}
