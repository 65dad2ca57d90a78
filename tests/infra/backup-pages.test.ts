import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backupSignalConditions, type SignalCondition } from "../../infra/backup-alarms";
import { backupCadence, backupRpo } from "../../infra/backup-schedule";
import {
    runAlarms,
    type CompositeAlarmSpec,
    type Datapoint,
    type MetricAlarmSpec,
} from "../../tools/simulation/cloudwatch-model";

// The backup page's signals, as the component declares them (backupSignalConditions), run
// through the repository's model of CloudWatch alarm evaluation, birth and warm-up. Each
// signal sums its series (metric math, a missing series counting 0): with one series emitted,
// the sum is that series, so each signal is modelled by the vault's series of its metric.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2026-01-05 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);
const VAULT = { BackupVaultName: "dr-backup-x7k2q9-primary" };
const cadence = backupCadence("cron(0 5 ? * * *)");
assert.ok(typeof cadence !== "string");
const RPO = backupRpo(cadence, { startWindowMinutes: 60, completionWindowMinutes: 240 });

function spec(condition: SignalCondition, warmUp = true): MetricAlarmSpec {
    return {
        name: condition.detail,
        region: "us-east-1",
        metricName: condition.metrics[0],
        dimensions: VAULT,
        statistic: "Sum",
        period: condition.periodSeconds,
        evaluationPeriods: condition.evaluationPeriods,
        datapointsToAlarm: condition.datapointsToAlarm,
        threshold: 1,
        comparisonOperator: condition.comparison,
        treatMissingData: condition.missing,
        warmUp:
            warmUp && condition.warmUpMinutes
                ? { minutes: condition.warmUpMinutes, onlyAfterEnd: false }
                : undefined,
    };
}

const signals = (warmUp = true) => backupSignalConditions(RPO).map((c) => spec(c, warmUp));
const page: CompositeAlarmSpec = {
    name: "page",
    region: "us-east-1",
    rule: signals()
        .map((s) => `ALARM("${s.name}")`)
        .join(" OR "),
    notifies: true,
};

/** AWS Backup's datapoint of `metric` at `at`, usable some minutes later (5-minute emission). */
const point = (metric: string, at: number): Datapoint => ({
    metric,
    dimensions: VAULT,
    value: 1,
    timestamp: at,
    availableAt: at + 10 * MINUTE,
});

/** A backup completing at 05:40 on each of the given days. */
const completedOn = (days: number[]) =>
    days.map((d) => point("NumberOfBackupJobsCompleted", T0 + d * DAY + 5 * HOUR + 40 * MINUTE));

/** The page's ALARM notifications from a deploy at day 0, 06:00, until `days` later. */
function pages(points: Datapoint[], days: number, warmUp = true) {
    const deployed = T0 + 6 * HOUR;
    const run = runAlarms(
        signals(warmUp),
        [page],
        points,
        deployed,
        deployed + days * DAY,
        {},
        {
            createdAt: deployed,
        },
    );
    return run.notifications.filter((n) => n.state === "ALARM").map((n) => n.at);
}

describe("the backup page never pages on deploy, and pages when backups stop", () => {
    it("a deploy an hour after the daily backup: no page in a week of daily backups", () => {
        assert.deepEqual(pages(completedOn([1, 2, 3, 4, 5, 6, 7]), 7), []);
    });

    it("without the warm-up the same deploy would page at once (the warm-up is what prevents it)", () => {
        assert.deepEqual(pages(completedOn([1, 2, 3]), 3, false), [T0 + 6 * HOUR]);
    });

    it("no backup ever completes: pages once the warm-up (one RPO) has passed, not before", () => {
        const [first] = pages([], 3);
        const deployed = T0 + 6 * HOUR;
        assert.ok(first >= deployed + RPO.worstCaseMinutes * MINUTE, new Date(first).toISOString());
        assert.ok(first <= deployed + RPO.worstCaseMinutes * MINUTE + 4 * HOUR);
    });

    it("backups stop after day 2: pages about one RPO after the last one completed", () => {
        const [first, ...more] = pages(completedOn([1, 2]), 6);
        const last = T0 + 2 * DAY + 5 * HOUR + 40 * MINUTE;
        const due = last + RPO.worstCaseMinutes * MINUTE;
        assert.ok(first > last + DAY, "not before the next backup was due");
        // Never before the RPO; after it, within the RPO rounded up to whole hours, the periods
        // CloudWatch reads beyond the evaluation periods (the model: two) and one evaluation.
        assert.ok(first >= due && first <= due + 4 * HOUR, new Date(first).toISOString());
        assert.deepEqual(more, [], "one page, held while backups stay missing");
    });
});

describe("a failed backup or copy job pages at once and clears after a quiet schedule gap", () => {
    for (const metric of ["NumberOfBackupJobsFailed", "NumberOfCopyJobsFailed"]) {
        it(`${metric} on day 2, backups fine otherwise`, () => {
            const failedAt = T0 + 2 * DAY + 5 * HOUR + 30 * MINUTE;
            const points = [...completedOn([1, 2, 3, 4]), point(metric, failedAt)];
            const deployed = T0 + 6 * HOUR;
            const run = runAlarms(
                signals(),
                [page],
                points,
                deployed,
                deployed + 4 * DAY,
                {},
                {
                    createdAt: deployed,
                },
            );
            const changes = run.notifications.filter((n) => n.at > deployed);
            assert.equal(changes[0].state, "ALARM");
            assert.ok(
                changes[0].at - failedAt <= 15 * MINUTE,
                "within minutes of AWS Backup's datapoint",
            );
            assert.equal(changes[1].state, "OK");
            const quiet = (changes[1].at - failedAt) / HOUR;
            // One failed datapoint in the last day of hourly periods (and the few more
            // CloudWatch reads): clear about a schedule gap later.
            assert.ok(quiet >= 24 && quiet <= 27, `OK ${quiet} h after the failure`);
        });
    }
});
