/**
 * When a verdict row's faults and maintenance windows hold, in the schedule's time: shared by
 * the time-to-detect simulation and the scenario tests so both play the same timeline.
 */
import { NO_MAINTENANCE } from "../../monitor-function/src/contract";
import type { FaultPlan } from "./verdict-scenarios";

/**
 * The region's maintenance parameter as the operator tools leave it at `now`: a window
 * around the whole run, or one written when it opens and cleared when it closes.
 */
export function maintenanceParameter(
    fault: FaultPlan,
    faultAt: number,
    periodMs: number,
    now: number,
): string {
    const window = fault.maintenance;
    if (window === true) {
        return JSON.stringify({
            since: new Date(faultAt - 10 * 60_000).toISOString(),
            until: new Date(faultAt + 11 * 3600_000).toISOString(),
            reason: "verdict scenario",
        });
    }
    const opens = window && faultAt + window.opensAfterPeriods * periodMs;
    const closes = window && faultAt + window.closesAfterPeriods * periodMs;
    if (!opens || !closes || now < opens || now >= closes) return JSON.stringify(NO_MAINTENANCE);
    return JSON.stringify({
        since: new Date(opens).toISOString(),
        until: new Date(opens + 12 * 3600_000).toISOString(),
        reason: "verdict scenario",
    });
}

/** When the row's faults end (epoch ms): Infinity when they last the whole run. */
export function faultEndsAt(fault: FaultPlan, faultAt: number, periodMs: number): number {
    const recovers = fault.recoversAfterPeriods;
    return recovers === undefined ? Infinity : faultAt + recovers * periodMs;
}

/** Whether the data-plane faults still hold at `now`. */
export function faultHolds(fault: FaultPlan, faultAt: number, periodMs: number, now: number) {
    return now >= faultAt && now < faultEndsAt(fault, faultAt, periodMs);
}

/** Seconds a run must last after the fault for the row's whole timeline to play out. */
export function timelineSeconds(fault: FaultPlan, periodSeconds: number): number {
    const window = fault.maintenance === true ? undefined : fault.maintenance;
    return (
        Math.max(window?.closesAfterPeriods ?? 0, fault.recoversAfterPeriods ?? 0) * periodSeconds
    );
}
