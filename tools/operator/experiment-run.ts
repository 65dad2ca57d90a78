/**
 * One FIS experiment as a drill lives it: started, watched until FIS completes it, and
 * stopped only when the drill must end it early (Ctrl-C, a failed check) or when FIS has not
 * completed it well after its expected end.
 *
 * An experiment ends by itself once all its actions have completed (its state becomes
 * `completed`), when a stop condition fires, on an error, or when stopped
 * (https://docs.aws.amazon.com/fis/latest/userguide/experiments.html; the states:
 * https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentState.html). FIS reports
 * the end some time after the action's duration has passed: stopping it at exactly action
 * start + duration would cut the fault short and end the experiment `stopped`.
 */
import type { FisClient } from "@aws-sdk/client-fis";
import { describeError } from "./aws-errors";
import { formatDuration } from "./duration";
import {
    experimentState,
    isFinal,
    startExperiment,
    startInput,
    stopExperiment,
    type ExperimentState,
} from "./experiment";

/** How long past its expected end FIS may take to complete an experiment before it is stopped. */
export const COMPLETION_GRACE_SECONDS = 120;
/** Allowance for FIS to take a stopped experiment from "stopping" to "stopped". */
export const STOP_TIMEOUT_SECONDS = 120;

/** Why the drill sent StopExperiment. */
export type StopReason = "ctrl-c" | "failed-check" | "overran";

/** How the experiment ended, for the report. */
export interface Ending {
    readonly how: "completed on its own" | "stopped by the drill" | "ended by FIS";
    /** Stopped by the drill: why; ended by FIS: its state and reason. */
    readonly why?: string;
    readonly stopReason?: StopReason;
    readonly stopSentAt?: string;
}

export interface ExperimentHooks {
    readonly now: () => Date;
    /** A step of the drill, in its timeline and on the console. */
    readonly note: (subject: string, event: string, at?: Date) => void;
    /** The drill failed for `reason`. */
    readonly fail: (reason: string) => void;
    /** Calls `step` every poll until it answers or `seconds` pass; undefined if it never did. */
    readonly pollFor: <T>(
        seconds: number,
        step: () => Promise<T | undefined>,
    ) => Promise<T | undefined>;
}

export class ExperimentRun {
    id?: string;
    injectedAt?: Date;
    actionStartedAt?: Date;
    status?: ExperimentState;
    /** When FIS ended the experiment. */
    endedAt?: Date;
    /** When the action stopped injecting, if FIS said. */
    actionEndedAt?: Date;
    private stop?: { reason: StopReason; why: string; sentAt: Date };

    constructor(
        private readonly fis: FisClient,
        private readonly templateId: string,
        private readonly hooks: ExperimentHooks,
    ) {}

    private get subject(): string {
        return `experiment ${this.id}`;
    }

    async start(token: string): Promise<void> {
        try {
            this.id = await startExperiment(this.fis, startInput(this.templateId, token));
        } catch (error) {
            throw new Error(`the experiment did not start: ${describeError(error)}`, {
                cause: error,
            });
        }
        this.injectedAt = this.hooks.now();
    }

    /** When FIS should complete it: its duration after the action began (or after the start). */
    expectedEnd(durationSeconds: number): Date {
        const from = this.actionStartedAt ?? this.injectedAt!;
        return new Date(from.getTime() + durationSeconds * 1000);
    }

    get finished(): boolean {
        return this.endedAt !== undefined;
    }

    /** When the fault ended: the action's end, else the experiment's. */
    get faultEndedAt(): Date | undefined {
        return this.actionEndedAt ?? this.endedAt;
    }

    /** Reads and records its state; the state once it is final, else undefined. */
    async read(): Promise<ExperimentState | undefined> {
        const state = await experimentState(this.fis, this.id!);
        this.record(state);
        return isFinal(state.status) ? state : undefined;
    }

    private record(state: ExperimentState): void {
        if (state.actionStartedAt && !this.actionStartedAt) {
            this.actionStartedAt = state.actionStartedAt;
            this.hooks.note(this.subject, "action started: the fault is on", state.actionStartedAt);
        }
        if (state.actionEndedAt) this.actionEndedAt = state.actionEndedAt;
        if (state.status === this.status?.status) return;
        this.status = state;
        this.hooks.note(this.subject, state.status);
        if (!isFinal(state.status)) return;
        this.endedAt = state.endTime ?? this.hooks.now();
        const expected = state.status === "completed" || (state.status === "stopped" && this.stop);
        if (!expected) {
            this.hooks.fail(
                `the experiment ended ${state.status}${state.reason ? `: ${state.reason}` : ""}`,
            );
        }
    }

    /**
     * Stops it if it is still unfinished (a final experiment cannot be stopped), for `reason`,
     * and waits for its final state.
     * https://docs.aws.amazon.com/fis/latest/APIReference/API_StopExperiment.html
     */
    async stopFor(reason: StopReason, why: string): Promise<void> {
        if (this.finished || (await this.read()) !== undefined) return;
        this.stop = { reason, why, sentAt: this.hooks.now() };
        await stopExperiment(this.fis, this.id!);
        this.hooks.note(this.subject, `StopExperiment sent: ${why}`);
        const ended = await this.hooks.pollFor(STOP_TIMEOUT_SECONDS, () => this.read());
        if (ended === undefined) {
            throw new Error(
                `${this.subject} still ${this.status?.status} ${formatDuration(STOP_TIMEOUT_SECONDS)} after StopExperiment: stop it in the FIS console`,
            );
        }
    }

    ending(): Ending | undefined {
        if (this.stop) {
            return {
                how: "stopped by the drill",
                why: this.stop.why,
                stopReason: this.stop.reason,
                stopSentAt: this.stop.sentAt.toISOString(),
            };
        }
        if (!this.status || !isFinal(this.status.status)) return undefined;
        if (this.status.status === "completed") return { how: "completed on its own" };
        const reason = this.status.reason ? `: ${this.status.reason}` : "";
        return { how: "ended by FIS", why: `${this.status.status}${reason}` };
    }
}
