/** Evidence reports of the operator commands, written as JSON and Markdown side by side. */
import type { ClusterRole } from "../../monitor-function/src/contract";
import type { RestoreEvidence } from "./restore-evidence";
import type { TimelineEntry } from "./timeline";
import type { Ending } from "./experiment-run";
import type { Deliveries, Subscription } from "./topic";
import type { RegionOutcome } from "./verdict";

interface ReportHeader {
    readonly stack: string;
    readonly result: "pass" | "fail";
    readonly reasons: readonly string[];
    readonly warnings: readonly string[];
    /** Caller ARN (sts:GetCallerIdentity). */
    readonly ranBy: string;
    /** Git commit of the tool, "-dirty" with local changes. */
    readonly toolVersion: string;
    readonly startedAt: string;
    readonly finishedAt: string;
}

export interface DrillReport extends ReportHeader {
    readonly kind: "fault-drill";
    readonly notify: "page" | "suppress";
    readonly cluster: {
        readonly role: ClusterRole;
        readonly identifier: string;
        readonly region: string;
        readonly arn: string;
    };
    readonly fault: {
        readonly action: string;
        readonly templateId: string;
        readonly percentage: number;
        readonly durationSeconds: number;
        readonly experimentId?: string;
        /** When StartExperiment returned. */
        readonly injectedAt?: string;
        /** When the action began (FIS's own time); detection is measured from it. */
        readonly actionStartedAt?: string;
        /** When the fault ended: the action's end as FIS reports it, else the experiment's. */
        readonly endedAt?: string;
        readonly finalStatus?: string;
        /** Completed on its own, or stopped by the drill (and why), or ended by FIS. */
        readonly ending?: Ending;
    };
    readonly detection: {
        readonly simulatedWorstCaseSeconds: number;
        readonly simulatedTypicalSeconds: number;
        /** Fastest expected page, seconds after the action started. */
        readonly firstPageSeconds?: number;
    };
    /** Seconds from the end of the fault until the last paging alarm was OK again. */
    readonly timeToRecoverSeconds?: number;
    readonly regions: readonly RegionOutcome[];
    readonly timeline: readonly TimelineEntry[];
}

export interface PathOutcome {
    readonly role: ClusterRole;
    readonly region: string;
    readonly alarm: string;
    readonly topicArn: string;
    readonly subscriptions: readonly Subscription[];
    readonly forcedAt?: string;
    readonly returnedOkAt?: string;
    readonly deliveries?: Deliveries;
    readonly result: "pass" | "fail";
    readonly reasons: readonly string[];
}

export interface PagingPathReport extends ReportHeader {
    readonly kind: "paging-path";
    readonly regions: readonly PathOutcome[];
    readonly timeline: readonly TimelineEntry[];
}

/** A restore drill's evidence, stamped with the tool that ran it. */
export interface RestoreReport extends RestoreEvidence {
    readonly toolVersion: string;
}

export type Report = DrillReport | PagingPathReport | RestoreReport;
