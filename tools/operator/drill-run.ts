/**
 * The fault drill: preflight, announce, inject, watch until the experiment completes, wait
 * for recovery, judge. The experiment ends on its own; the drill stops it only on Ctrl-C, on
 * a failed check (an error, a page it did not expect) or when FIS has not completed it well
 * past its expected end (experiment-run.ts). The maintenance window it opened is always
 * closed, and a report is written.
 */
import { CLUSTER_ROLES } from "../../monitor-function/src/contract";
import { describeError } from "./aws-errors";
import { checkDrillFault } from "./drill-checks";
import { type DrillContext, type DrillOptions, windowSeconds } from "./drill-options";
import { drillReport } from "./drill-report";
import { formatDuration } from "./duration";
import { CONNECTION_FAILURE, type Fault } from "./experiment";
import { COMPLETION_GRACE_SECONDS, ExperimentRun, type StopReason } from "./experiment-run";
import { pagingAlarms } from "./outputs";
import type { DrillReport } from "./report";
import { Session, type Refused } from "./session";
import { lowerWindow, openWindow, raiseWindow } from "./window";

export { windowSeconds };
export type { DrillContext, DrillOptions };

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
    private readonly experiment: ExperimentRun;
    /** A check that failed while the fault was on: the experiment is stopped for it. */
    private failedCheck?: string;

    constructor(
        protected readonly ctx: DrillContext,
        private readonly options: DrillOptions,
    ) {
        super(ctx, options.pollSeconds);
        this.region = ctx.outputs.regions[options.cluster];
        this.templateId = ctx.target.templates[options.cluster];
        this.experiment = new ExperimentRun(this.fis, this.templateId, {
            now: () => this.now(),
            note: (subject, event, at) =>
                at
                    ? this.timeline.add(at, subject, event, this.region)
                    : this.note(subject, event, this.region),
            fail: (reason) => this.fail(reason),
            pollFor: (seconds, step) => this.pollUntil(this.after(seconds), Infinity, step),
        });
    }

    async execute(): Promise<Refused | { report: DrillReport }> {
        const checked = await this.check(async (problems) => {
            this.fault = await checkDrillFault(this.ctx, this.options, problems);
        });
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
        await this.experiment.start(`drill-${this.options.cluster}-${this.now().getTime()}`);
        const { percentage, durationSeconds } = this.fault!;
        this.note(
            `experiment ${this.experiment.id}`,
            `started from ${this.templateId}: ${CONNECTION_FAILURE}, ${percentage} %, ${formatDuration(durationSeconds)}`,
            this.region,
        );
    }

    /** A page the drill does not expect, in ALARM now: the fault reaches further than it should. */
    private unexpectedPage(): string | undefined {
        const page = pagingAlarms(this.ctx.outputs).find(
            (a) =>
                !this.ctx.target.expected.has(a.name) &&
                this.watcher.state(a.name)?.state === "ALARM",
        );
        return page && `unexpected page ${page.name} (${page.about}, ${page.region}) is in ALARM`;
    }

    /**
     * Alarms and experiment, until FIS completes it, a grace period after its expected end
     * passes, Ctrl-C, or a check fails.
     */
    private async watch(): Promise<void> {
        const duration = this.fault!.durationSeconds;
        const deadline = () =>
            new Date(
                this.experiment.expectedEnd(duration).getTime() + COMPLETION_GRACE_SECONDS * 1000,
            );
        await this.pollUntil(deadline, 1, async () => {
            await this.watcher.poll();
            this.failedCheck = this.unexpectedPage();
            return this.failedCheck ?? (await this.experiment.read());
        });
        if (!this.experiment.finished && this.interrupts > 0) {
            const into = (this.now().getTime() - this.experiment.injectedAt!.getTime()) / 1000;
            this.fail(
                `interrupted by the operator (Ctrl-C) ${formatDuration(into)} into the fault`,
            );
        }
    }

    /** Why the drill must stop the experiment now, when it has not ended on its own. */
    private stopCause(): [StopReason, string] {
        if (this.interrupts > 0) return ["ctrl-c", "Ctrl-C"];
        const failed = this.failedCheck ?? this.failures[0];
        if (failed !== undefined) return ["failed-check", `a check failed: ${failed}`];
        const grace = formatDuration(COMPLETION_GRACE_SECONDS);
        return [
            "overran",
            `still ${this.experiment.status?.status ?? "unfinished"} ${grace} after its expected end`,
        ];
    }

    private async guard(what: string, step: () => Promise<void>): Promise<void> {
        try {
            await step();
        } catch (error) {
            this.fail(`${what} failed: ${describeError(error)}`);
        }
    }

    private async restore(): Promise<void> {
        if (this.experiment.id !== undefined) {
            await this.guard("stopping the experiment", () => this.stop());
            await this.guard("waiting for the pages to clear", () => this.recover());
        }
        if (this.windowOpen) {
            await this.guard("closing the maintenance window", () => this.close());
        }
    }

    private async stop(): Promise<void> {
        if (this.experiment.finished) return;
        const [reason, why] = this.stopCause();
        await this.experiment.stopFor(reason, why);
        if (this.experiment.ending()?.stopReason === "overran") {
            this.warnings.push(
                `FIS had not completed experiment ${this.experiment.id} ${formatDuration(COMPLETION_GRACE_SECONDS)} after its expected end; the drill stopped it`,
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
        return drillReport({
            ctx: this.ctx,
            options: this.options,
            region: this.region,
            fault: this.fault!,
            experiment: this.experiment,
            failures: this.failures,
            warnings: this.warnings,
            caller: this.caller,
            startedAt: this.startedAt,
            now: () => this.now(),
            watcher: this.watcher,
            timeline: this.timeline,
        });
    }
}
