/**
 * The fault drill: preflight, announce, inject, watch, stop, wait for recovery, judge.
 * Whatever happens after the preflight (an error, Ctrl-C), the experiment is stopped and
 * the maintenance window closed, and a report is written.
 */
import {
    CLUSTER_ROLES,
    MAX_MAINTENANCE_SECONDS,
    type ClusterRole,
} from "../../monitor-function/src/contract";
import { describeError } from "./aws";
import { formatDuration } from "./duration";
import {
    CONNECTION_FAILURE,
    experimentState,
    isFinal,
    readFault,
    startExperiment,
    startInput,
    stopExperiment,
    unfinishedExperiments,
    type ExperimentState,
    type Fault,
} from "./experiment";
import { pagingAlarms, type DrillTarget } from "./outputs";
import { attempt } from "./preflight";
import type { DrillReport } from "./report";
import { Session, type Refused, type SessionContext } from "./session";
import { judgeDrill, type DetectionBound } from "./verdict";
import { lowerWindow, openWindow, raiseWindow } from "./window";

export interface DrillOptions {
    readonly cluster: ClusterRole;
    readonly notify: "page" | "suppress";
    /** When given, must equal the template's (see readFault). */
    readonly durationSeconds?: number;
    readonly percentage?: number;
    readonly pollSeconds: number;
    /** How long to wait for both suppressors to reach ALARM before injecting. */
    readonly suppressTimeoutSeconds: number;
    /** How long to wait, after the fault ends, for every page to return to OK. */
    readonly recoveryTimeoutSeconds: number;
}

export interface DrillContext extends SessionContext {
    readonly bound: DetectionBound;
    readonly target: DrillTarget;
}

/** Allowance for FIS to take a stopped experiment from "stopping" to "stopped". */
export const STOP_TIMEOUT_SECONDS = 120;

/** A drill's window outlives every wait of the drill, so it never closes mid-drill. */
export function windowSeconds(options: DrillOptions, durationSeconds: number): number {
    return (
        options.suppressTimeoutSeconds +
        durationSeconds +
        STOP_TIMEOUT_SECONDS +
        options.recoveryTimeoutSeconds
    );
}

export function runDrill(
    ctx: DrillContext,
    options: DrillOptions,
): Promise<Refused | { report: DrillReport }> {
    return new DrillRun(ctx, options).execute();
}

class DrillRun extends Session {
    private readonly failures: string[] = [];
    private readonly region: string;
    private readonly templateId: string;
    private fault?: Fault;
    private caller = "";
    private warnings: string[] = [];
    private windowOpen = false;
    private experimentId?: string;
    private injectedAt?: Date;
    private actionStartedAt?: Date;
    private stopRequested = false;
    private status?: ExperimentState;
    private faultEndedAt?: Date;

    constructor(
        protected readonly ctx: DrillContext,
        private readonly options: DrillOptions,
    ) {
        super(ctx, options.pollSeconds);
        this.region = ctx.outputs.regions[options.cluster];
        this.templateId = ctx.target.templates[options.cluster];
    }

    async execute(): Promise<Refused | { report: DrillReport }> {
        const checked = await this.check((problems) => this.checkFault(problems));
        if (checked.problems.length > 0) {
            return { refused: checked.problems, warnings: checked.warnings };
        }
        this.caller = checked.caller;
        this.warnings = checked.warnings;
        this.warnings.forEach((w) => this.ctx.log(`warning: ${w}`));
        this.note("preflight", "passed: every page OK, no window open, no experiment running");
        await this.interruptible(
            (count) =>
                count === 1
                    ? "Ctrl-C: ending the drill; the experiment is stopped and any window stays open until every page is OK again (Ctrl-C again to skip that wait)"
                    : "Ctrl-C again: no longer waiting for the pages to clear",
            async () => {
                try {
                    await this.announce();
                    await this.inject();
                    await this.watch();
                } catch (error) {
                    this.fail(describeError(error));
                } finally {
                    await this.restore();
                }
            },
        );
        return { report: this.report() };
    }

    private get fis() {
        return this.ctx.aws.in(this.region).fis;
    }

    private fail(reason: string): void {
        this.failures.push(reason);
        this.ctx.log(`FAILED: ${reason}`);
    }

    /** The template must inject into this cluster, as asked, with no experiment under way. */
    private async checkFault(problems: string[]): Promise<void> {
        const { outputs } = this.ctx;
        const { cluster, durationSeconds, percentage, notify } = this.options;
        await attempt(
            problems,
            `reading FIS template ${this.templateId} in ${this.region}`,
            async () => {
                const fault = await readFault(this.fis, this.templateId);
                this.fault = fault;
                const arn = outputs.clusterArns[cluster];
                if (fault.targetArns.length !== 1 || fault.targetArns[0] !== arn) {
                    problems.push(
                        `FIS template ${this.templateId} targets ${fault.targetArns.join(", ") || "no cluster ARN"}, not the ${cluster} cluster ${arn}`,
                    );
                }
                const fixed =
                    "it is fixed when the stack deploys the template (StartExperiment cannot override action parameters): run without the flag, or change the template in the stack and deploy";
                if (durationSeconds !== undefined && durationSeconds !== fault.durationSeconds) {
                    problems.push(
                        `--duration ${formatDuration(durationSeconds)}: template ${this.templateId} injects for ${formatDuration(fault.durationSeconds)}; ${fixed}`,
                    );
                }
                if (percentage !== undefined && percentage !== fault.percentage) {
                    problems.push(
                        `--percentage ${percentage}: template ${this.templateId} injects into ${fault.percentage} % of calls; ${fixed}`,
                    );
                }
                const window = windowSeconds(this.options, fault.durationSeconds);
                if (notify === "suppress" && window > MAX_MAINTENANCE_SECONDS) {
                    problems.push(
                        `--notify suppress needs a ${formatDuration(window)} window (suppress timeout + duration + stop + recovery timeout), longer than the ${formatDuration(MAX_MAINTENANCE_SECONDS)} the monitor honours: shorten --recovery-timeout`,
                    );
                }
            },
        );
        for (const role of CLUSTER_ROLES) {
            const region = outputs.regions[role];
            await attempt(problems, `listing FIS experiments in ${region}`, async () => {
                const fis = this.ctx.aws.in(region).fis;
                for (const e of await unfinishedExperiments(fis, [
                    this.ctx.target.templates[role],
                ])) {
                    problems.push(
                        `experiment ${e.id} of template ${e.templateId} is ${e.status} in ${region}: let it end or stop it first`,
                    );
                }
            });
        }
    }

    private async announce(): Promise<void> {
        const { outputs, aws } = this.ctx;
        if (this.options.notify === "page") {
            const topics = CLUSTER_ROLES.map((r) => outputs.alertTopicArns[r]).join(" and ");
            this.note(
                "announce",
                `--notify page: the drill's pages go out as real pages to ${topics}`,
            );
            return;
        }
        const seconds = windowSeconds(this.options, this.fault!.durationSeconds);
        const window = openWindow(
            this.now(),
            seconds,
            `DR drill: ${CONNECTION_FAILURE} into the ${this.options.cluster} cluster`,
            this.caller,
        );
        this.windowOpen = true; // before the writes: a half-opened window is closed too
        await raiseWindow(aws, outputs, window, this.now());
        for (const role of CLUSTER_ROLES) {
            this.note(
                "maintenance window",
                `opened until ${window.until} (${formatDuration(seconds)}); MaintenanceWindow=1 sent`,
                outputs.regions[role],
            );
        }
        const suppressors = CLUSTER_ROLES.map((r) => outputs.suppressorAlarms[r]);
        const armed = await this.pollUntil(
            this.after(this.options.suppressTimeoutSeconds),
            1,
            async () => {
                const states = await this.watcher.poll();
                return suppressors.every((s) => states.get(s)?.state === "ALARM") || undefined;
            },
        );
        if (this.interrupts > 0) throw new Error("interrupted before the fault was injected");
        if (!armed) {
            const states = suppressors.map((s) => `${s} ${this.watcher.state(s)?.state}`);
            throw new Error(
                `the suppressors did not reach ALARM within ${formatDuration(this.options.suppressTimeoutSeconds)} (${states.join(", ")}); nothing was injected`,
            );
        }
        this.note("announce", "both suppressors in ALARM: pages are held back");
    }

    private async inject(): Promise<void> {
        const token = `drill-${this.options.cluster}-${this.now().getTime()}`;
        try {
            this.experimentId = await startExperiment(this.fis, startInput(this.templateId, token));
        } catch (error) {
            throw new Error(`the experiment did not start: ${describeError(error)}`, {
                cause: error,
            });
        }
        this.injectedAt = this.now();
        const { percentage, durationSeconds } = this.fault!;
        this.note(
            `experiment ${this.experimentId}`,
            `started from ${this.templateId}: ${CONNECTION_FAILURE}, ${percentage} %, ${formatDuration(durationSeconds)}`,
            this.region,
        );
    }

    private record(state: ExperimentState): void {
        if (state.actionStartedAt && !this.actionStartedAt) {
            this.actionStartedAt = state.actionStartedAt;
            const subject = `experiment ${this.experimentId}`;
            this.timeline.add(
                state.actionStartedAt,
                subject,
                "action started: the fault is on",
                this.region,
            );
        }
        if (state.status === this.status?.status) return;
        this.status = state;
        this.note(`experiment ${this.experimentId}`, state.status, this.region);
        if (!isFinal(state.status)) return;
        this.faultEndedAt = state.endTime ?? this.now();
        const asked =
            state.status === "completed" || (state.status === "stopped" && this.stopRequested);
        if (!asked) {
            this.fail(
                `the experiment ended ${state.status}${state.reason ? `: ${state.reason}` : ""}`,
            );
        }
    }

    /** The experiment's state, recorded; defined only once it is final. */
    private async readExperiment(): Promise<ExperimentState | undefined> {
        const state = await experimentState(this.fis, this.experimentId!);
        this.record(state);
        return isFinal(state.status) ? state : undefined;
    }

    /** Until the fault's end (its duration after the action began): alarms and experiment. */
    private async watch(): Promise<void> {
        const length = this.fault!.durationSeconds * 1000;
        const end = () => new Date((this.actionStartedAt ?? this.injectedAt!).getTime() + length);
        await this.pollUntil(end, 1, async () => {
            await this.watcher.poll();
            return this.readExperiment();
        });
        if (this.faultEndedAt === undefined && this.interrupts > 0) {
            const into = (this.now().getTime() - this.injectedAt!.getTime()) / 1000;
            this.fail(
                `interrupted by the operator (Ctrl-C) ${formatDuration(into)} into the fault`,
            );
        }
    }

    private async guard(what: string, step: () => Promise<void>): Promise<void> {
        try {
            await step();
        } catch (error) {
            this.fail(`${what} failed: ${describeError(error)}`);
        }
    }

    private async restore(): Promise<void> {
        if (this.experimentId !== undefined) {
            await this.guard("stopping the experiment", () => this.stop());
            await this.guard("waiting for the pages to clear", () => this.recover());
        }
        if (this.windowOpen) {
            await this.guard("closing the maintenance window", () => this.close());
        }
    }

    /**
     * StopExperiment only while it is unfinished; an experiment that reached a final state
     * cannot be stopped. Waits, whatever the operator presses, for the final state.
     */
    private async stop(): Promise<void> {
        if (this.faultEndedAt !== undefined || (await this.readExperiment()) !== undefined) return;
        this.stopRequested = true;
        await stopExperiment(this.fis, this.experimentId!);
        this.note(`experiment ${this.experimentId}`, "StopExperiment sent", this.region);
        const ended = await this.pollUntil(this.after(STOP_TIMEOUT_SECONDS), Infinity, () =>
            this.readExperiment(),
        );
        if (ended === undefined) {
            throw new Error(
                `experiment ${this.experimentId} still ${this.status?.status} ${formatDuration(STOP_TIMEOUT_SECONDS)} after StopExperiment: stop it in the FIS console`,
            );
        }
    }

    /**
     * The window stays open until every page is OK: a composite still in ALARM when its
     * suppressor returns to OK notifies once the ExtensionPeriod ends.
     * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html
     */
    private async recover(): Promise<void> {
        const names = pagingAlarms(this.ctx.outputs).map((a) => a.name);
        const timeout = this.options.recoveryTimeoutSeconds;
        this.ctx.log(`waiting up to ${formatDuration(timeout)} for every page to return to OK`);
        const clear = await this.pollUntil(this.after(timeout), 2, async () => {
            const states = await this.watcher.poll();
            return names.every((n) => states.get(n)?.state === "OK") || undefined;
        });
        if (clear) this.note("recovery", "every page is OK");
        else if (this.interrupts > 1)
            this.fail("the wait for the pages to clear was cut short (Ctrl-C)");
    }

    private async close(): Promise<void> {
        try {
            await lowerWindow(this.ctx.aws, this.ctx.outputs);
        } catch (error) {
            const command = `./task maintenance ${this.ctx.stack} off`;
            throw new Error(`${(error as Error).message}; close it by hand: ${command}`, {
                cause: error,
            });
        }
        for (const role of CLUSTER_ROLES) {
            this.note(
                "maintenance window",
                "closed (NO_MAINTENANCE)",
                this.ctx.outputs.regions[role],
            );
        }
    }

    private report(): DrillReport {
        const { outputs, bound, stack } = this.ctx;
        const { cluster, notify } = this.options;
        const verdict = judgeDrill({
            alarms: pagingAlarms(outputs),
            expected: this.ctx.target.expected,
            history: (name) => this.watcher.history(name),
            finalState: (name) => this.watcher.state(name)?.state ?? "unknown",
            // FIS's action start; StartExperiment's return (earlier, so detection errs long) if unknown.
            faultStartedAt: this.actionStartedAt ?? this.injectedAt,
            faultEndedAt: this.faultEndedAt,
            bound,
        });
        const reasons = [...this.failures, ...verdict.reasons];
        const detected = verdict.regions
            .flatMap((r) => r.expected.map((p) => p.secondsToDetect))
            .filter((s): s is number => s !== undefined);
        const fault = this.fault!;
        return {
            kind: "fault-drill",
            stack,
            result: reasons.length === 0 ? "pass" : "fail",
            reasons,
            warnings: this.warnings,
            ranBy: this.caller,
            toolVersion: this.ctx.toolVersion,
            startedAt: this.startedAt.toISOString(),
            finishedAt: this.now().toISOString(),
            notify,
            cluster: {
                role: cluster,
                identifier: outputs.clusterIdentifiers[cluster],
                region: this.region,
                arn: outputs.clusterArns[cluster],
            },
            fault: {
                action: fault.action,
                templateId: fault.templateId,
                percentage: fault.percentage,
                durationSeconds: fault.durationSeconds,
                experimentId: this.experimentId,
                injectedAt: this.injectedAt?.toISOString(),
                actionStartedAt: this.actionStartedAt?.toISOString(),
                endedAt: this.faultEndedAt?.toISOString(),
                finalStatus: this.status?.status,
            },
            detection: {
                simulatedWorstCaseSeconds: bound.worstCaseSeconds,
                simulatedTypicalSeconds: bound.typicalSeconds,
                firstPageSeconds: detected.length > 0 ? Math.min(...detected) : undefined,
            },
            timeToRecoverSeconds: verdict.timeToRecoverSeconds,
            regions: verdict.regions,
            timeline: this.timeline.sorted(),
        };
    }
}
