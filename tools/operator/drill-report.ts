/** A finished fault drill, judged and written up as its report. */
import type { AlarmWatcher } from "./alarms";
import type { DrillContext, DrillOptions } from "./drill-options";
import type { Fault } from "./experiment";
import type { ExperimentRun } from "./experiment-run";
import { pagingAlarms } from "./outputs";
import type { DrillReport } from "./report";
import type { Timeline } from "./timeline";
import { judgeDrill } from "./verdict";

/** What a drill saw and did, handed over to be judged. */
export interface DrillRecord {
    readonly ctx: DrillContext;
    readonly options: DrillOptions;
    /** The drilled cluster's region. */
    readonly region: string;
    readonly fault: Fault;
    readonly experiment: ExperimentRun;
    /** The drill's own failures, before the verdict's. */
    readonly failures: readonly string[];
    readonly warnings: string[];
    readonly caller: string;
    readonly startedAt: Date;
    readonly now: () => Date;
    readonly watcher: AlarmWatcher;
    readonly timeline: Timeline;
}

/** The fault as the template defined it, and how its experiment ran. */
function faultSection(fault: Fault, run: ExperimentRun): DrillReport["fault"] {
    return {
        action: fault.action,
        templateId: fault.templateId,
        percentage: fault.percentage,
        durationSeconds: fault.durationSeconds,
        experimentId: run.id,
        injectedAt: run.injectedAt?.toISOString(),
        actionStartedAt: run.actionStartedAt?.toISOString(),
        endedAt: run.faultEndedAt?.toISOString(),
        finalStatus: run.status?.status,
        ending: run.ending(),
    };
}

export function drillReport(record: DrillRecord): DrillReport {
    const { ctx, watcher, experiment: run } = record;
    const { outputs, bound, stack } = ctx;
    const { cluster, notify } = record.options;
    const verdict = judgeDrill({
        alarms: pagingAlarms(outputs),
        expected: ctx.target.expected,
        history: (name) => watcher.history(name),
        finalState: (name) => watcher.state(name)?.state ?? "unknown",
        // FIS's action start; StartExperiment's return (earlier, so detection errs long) if unknown.
        faultStartedAt: run.actionStartedAt ?? run.injectedAt,
        faultEndedAt: run.faultEndedAt,
        bound,
    });
    const reasons = [...record.failures, ...verdict.reasons];
    const detected = verdict.regions
        .flatMap((r) => r.expected.map((p) => p.secondsToDetect))
        .filter((s): s is number => s !== undefined);
    return {
        kind: "fault-drill",
        stack,
        result: reasons.length === 0 ? "pass" : "fail",
        reasons,
        warnings: record.warnings,
        ranBy: record.caller,
        toolVersion: ctx.toolVersion,
        startedAt: record.startedAt.toISOString(),
        finishedAt: record.now().toISOString(),
        notify,
        cluster: {
            role: cluster,
            identifier: outputs.clusterIdentifiers[cluster],
            region: record.region,
            arn: outputs.clusterArns[cluster],
        },
        fault: faultSection(record.fault, run),
        detection: {
            simulatedWorstCaseSeconds: bound.worstCaseSeconds,
            simulatedTypicalSeconds: bound.typicalSeconds,
            firstPageSeconds: detected.length > 0 ? Math.min(...detected) : undefined,
        },
        timeToRecoverSeconds: verdict.timeToRecoverSeconds,
        regions: verdict.regions,
        timeline: record.timeline.sorted(),
    };
}
