/** What a fault drill is asked to do, what it runs with, and how long its window lasts. */
import type { ClusterRole } from "../../monitor-function/src/contract";
import { COMPLETION_GRACE_SECONDS, STOP_TIMEOUT_SECONDS } from "./experiment-run";
import type { DrillTarget } from "./outputs";
import type { SessionContext } from "./session";
import type { DetectionBound } from "./verdict";

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

/** A drill's window outlives every wait of the drill, so it never closes mid-drill. */
export function windowSeconds(options: DrillOptions, durationSeconds: number): number {
    return (
        options.suppressTimeoutSeconds +
        durationSeconds +
        COMPLETION_GRACE_SECONDS +
        STOP_TIMEOUT_SECONDS +
        options.recoveryTimeoutSeconds
    );
}
