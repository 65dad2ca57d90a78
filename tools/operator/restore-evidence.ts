/**
 * The evidence of a restore drill, as the report writer renders it: what was restored, from
 * which recovery point, the timeline, every check as expected against observed, the measured
 * RPO and RTO, and what the clean-up did or left behind.
 */
import type { ClusterRole } from "../../monitor-function/src/contract";
import type { Clock } from "./clock";
import type { Cleanup } from "./restore-cleanup";
import type { RestoreTopology } from "./restore-job";
import { Timeline, type TimelineEntry } from "./timeline";

export interface RestoreCheck {
    readonly name: string;
    readonly expected: string;
    readonly observed: string;
    readonly pass: boolean;
}

export interface RestoreEvidence {
    readonly kind: "restore-drill";
    readonly stack: string;
    readonly result: "pass" | "fail";
    /** Every failed check, as "name: observed". */
    readonly reasons: readonly string[];
    readonly warnings: readonly string[];
    readonly ranBy: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly topology: RestoreTopology;
    readonly source: {
        readonly role: ClusterRole;
        readonly region: string;
        readonly clusterArn: string;
        readonly vault: string;
    };
    readonly recoveryPoint?: {
        readonly arn: string;
        readonly createdAt: string;
        readonly completedAt: string;
        /** How old it was when the drill started: the data a loss right then would cost. */
        readonly ageAtStartSeconds: number;
    };
    readonly copy?: { readonly arn: string; readonly region: string; readonly vault: string };
    readonly restoreJob?: {
        readonly id: string;
        readonly region: string;
        readonly requestedAt: string;
        readonly status?: string;
        readonly statusMessage?: string;
    };
    readonly restored: readonly { readonly arn: string; readonly region: string }[];
    /** Recovery point creation − newest restored monitor heartbeat. */
    readonly rpoSeconds?: number;
    /** StartRestoreJob sent → first heartbeat committed on a restored cluster. */
    readonly rtoSeconds?: number;
    readonly checks: readonly RestoreCheck[];
    readonly cleanup: Cleanup;
    readonly timeline: readonly TimelineEntry[];
}

/** What a drill has seen so far: its timeline, checks and warnings. */
export class RestoreRecord {
    private readonly timeline = new Timeline();
    readonly checks: RestoreCheck[] = [];
    readonly warnings: string[] = [];

    constructor(private readonly clock: Clock) {}

    note(subject: string, event: string, region?: string, at: Date = this.clock.now()): void {
        this.timeline.add(at, subject, event, region);
    }

    /** Records a check and returns whether it passed. */
    check(name: string, expected: string, observed: string, pass: boolean): boolean {
        this.checks.push({ name, expected, observed, pass });
        this.note(name, `${pass ? "as expected" : "FAILED"}: ${observed}`);
        return pass;
    }

    entries(): TimelineEntry[] {
        return this.timeline.sorted();
    }
}

/** Pass only when every check passed and nothing is left behind. */
export function verdictOf(
    checks: readonly RestoreCheck[],
): Pick<RestoreEvidence, "result" | "reasons"> {
    const reasons = checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.observed}`);
    return { result: reasons.length === 0 && checks.length > 0 ? "pass" : "fail", reasons };
}
