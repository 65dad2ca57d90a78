/**
 * The marker of a recovery point: the monitors' own heartbeat rows. Each monitor commits its
 * row every round with the time it committed (committed_at), so the restored rows say which
 * moment the recovery point holds: the newest of them was committed just before the backup
 * took its data. Rows newer than the backup's completion mean the data is not that recovery
 * point's; no rows mean nothing shows it is.
 */
import type { HeartbeatRow } from "../../monitor-function/src/sql-probe";
import { formatDuration } from "./duration";
import { DRILL_OBSERVER } from "./restore-proof";
import type { UsablePoint } from "./restore-points";

export interface MarkerCheck {
    readonly expected: string;
    readonly observed: string;
    readonly pass: boolean;
    /** The newest restored monitor heartbeat, if any. */
    readonly newestHeartbeat?: Date;
    /** Recovery point creation time − newest restored heartbeat. */
    readonly rpoSeconds?: number;
}

export interface MarkerBounds {
    /** How long before the backup the newest heartbeat may be: the monitors' gap and more. */
    readonly maxAgeSeconds: number;
    /** Clock difference allowed between the monitors and AWS Backup. */
    readonly toleranceSeconds: number;
}

/** Whether the restored rows are the marker of `point`, and the RPO they show. */
export function checkMarker(
    rows: readonly HeartbeatRow[],
    point: UsablePoint,
    bounds: MarkerBounds,
): MarkerCheck {
    const expected =
        `the monitors' heartbeat rows, the newest committed no later than the recovery point's ` +
        `completion (${point.completedAt.toISOString()}, ±${bounds.toleranceSeconds}s) and at most ` +
        `${formatDuration(bounds.maxAgeSeconds)} before its creation (${point.createdAt.toISOString()})`;
    const monitors = rows.filter((r) => r.observer !== DRILL_OBSERVER);
    if (monitors.length === 0) {
        return {
            expected,
            pass: false,
            observed:
                "no monitor heartbeat in the restored database: nothing shows it holds this recovery point's data (was the monitors' data-plane probe on when the backup was taken?)",
        };
    }
    const newest = new Date(Math.max(...monitors.map((r) => r.committedAt.getTime())));
    const rpoSeconds = (point.createdAt.getTime() - newest.getTime()) / 1000;
    const observers = [...new Set(monitors.map((r) => r.observer))].sort().join(", ");
    const tooNew = newest.getTime() > point.completedAt.getTime() + bounds.toleranceSeconds * 1000;
    const tooOld = rpoSeconds > bounds.maxAgeSeconds;
    const verdict = tooNew
        ? ": newer than the recovery point, so the data is not this recovery point's"
        : tooOld
          ? ": older than the monitors' gap allows, so the monitors were not committing or the data is older"
          : "";
    return {
        expected,
        observed: `${monitors.length} rows from ${observers}; newest committed ${newest.toISOString()}, ${formatDuration(Math.abs(rpoSeconds))} ${rpoSeconds >= 0 ? "before" : "after"} the recovery point's creation${verdict}`,
        pass: !tooNew && !tooOld,
        newestHeartbeat: newest,
        rpoSeconds,
    };
}
