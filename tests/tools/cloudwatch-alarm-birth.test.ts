import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    runAlarms,
    windowFilled,
    type CompositeAlarmSpec,
    type Datapoint,
    type MetricAlarmSpec,
} from "../../tools/simulation/cloudwatch-model";

// What a new alarm does in the moments after PutMetricAlarm / PutCompositeAlarm create it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html:
// "When this operation creates an alarm, the alarm state is immediately set to
// INSUFFICIENT_DATA. ... The alarm is then evaluated and its state is set appropriately. Any
// actions associated with the new state are then executed." OKActions run on a transition to
// OK "from any other state". Warm-up:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const T0 = Date.UTC(2026, 0, 1, 12);
/** The alarms are created 20 s into a minute, between two evaluations. */
const CREATED = T0 + 20 * SECOND;
const DIMENSIONS = { Observer: "primary" };

/** A monitor-silent child: MonitorHealth < 1, one minute, missing data breaching. */
function monitorSilent(overrides: Partial<MetricAlarmSpec> = {}): MetricAlarmSpec {
    return {
        name: "monitor",
        region: "us-east-1",
        metricName: "MonitorHealth",
        dimensions: DIMENSIONS,
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        ...overrides,
    };
}

const page = (): CompositeAlarmSpec => ({
    name: "page",
    region: "us-east-1",
    rule: 'ALARM("monitor")',
    notifies: true,
});

/** MonitorHealth = 1 at `second` past each minute from minute `first`, usable 10 s later. */
function healthy(first: number, last: number, second = 30): Datapoint[] {
    const points: Datapoint[] = [];
    for (let m = first; m <= last; m++) {
        const timestamp = T0 + m * MINUTE + second * SECOND;
        points.push({
            metric: "MonitorHealth",
            dimensions: DIMENSIONS,
            value: 1,
            timestamp,
            availableAt: timestamp + 10 * SECOND,
        });
    }
    return points;
}

const at = (minutes: number, seconds = 5) => T0 + minutes * MINUTE + seconds * SECOND;

describe("alarm birth: a new alarm is evaluated at once and acts on the state it moves to", () => {
    it("a missing-data-breaching alarm created before its metric exists goes to ALARM at creation, and its composite pages", () => {
        const run = runAlarms(
            [monitorSilent()],
            [page()],
            healthy(3, 10),
            CREATED,
            at(10),
            {},
            {
                createdAt: CREATED,
            },
        );
        assert.deepEqual(run.transitions.slice(0, 2), [
            { alarm: "monitor", at: CREATED, state: "ALARM" },
            { alarm: "page", at: CREATED, state: "ALARM" },
        ]);
        assert.deepEqual(run.notifications[0], { alarm: "page", at: CREATED, state: "ALARM" });
    });

    it("an alarm created while its data flows goes to OK at creation, and its composite sends OK", () => {
        const run = runAlarms(
            [monitorSilent()],
            [page()],
            healthy(-5, 10),
            CREATED,
            at(10),
            {},
            {
                createdAt: CREATED,
            },
        );
        assert.deepEqual(run.transitions, [
            { alarm: "monitor", at: CREATED, state: "OK" },
            { alarm: "page", at: CREATED, state: "OK" },
        ]);
        assert.deepEqual(run.notifications, [{ alarm: "page", at: CREATED, state: "OK" }]);
    });

    it("a composite with a suppressor acts on its birth state only after its WaitPeriod", () => {
        const maintenance: MetricAlarmSpec = {
            ...monitorSilent(),
            name: "maintenance",
            metricName: "MaintenanceWindow",
            statistic: "Maximum",
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
        };
        const run = runAlarms(
            [monitorSilent(), maintenance],
            [
                {
                    ...page(),
                    suppressor: { alarm: "maintenance", waitPeriod: 10, extensionPeriod: 60 },
                },
            ],
            [],
            CREATED,
            at(3),
            {},
            { createdAt: CREATED },
        );
        assert.deepEqual(run.notifications, [
            { alarm: "page", at: CREATED + 10 * SECOND, state: "ALARM" },
        ]);
    });

    it("a missing-data-ignored alarm with no data stays INSUFFICIENT_DATA (it retains its state)", () => {
        const run = runAlarms(
            [monitorSilent({ treatMissingData: "ignore" })],
            [page()],
            [],
            CREATED,
            at(5),
            {},
            { createdAt: CREATED },
        );
        assert.deepEqual(run.transitions, [{ alarm: "page", at: CREATED, state: "OK" }]);
    });

    it("without a creation time the run starts settled: metric alarms OK and nothing acting", () => {
        const run = runAlarms([monitorSilent()], [page()], healthy(-5, 10), CREATED, at(10));
        assert.deepEqual(run.transitions, []);
        assert.deepEqual(run.notifications, []);
    });
});

describe("alarm birth with a warm-up period", () => {
    const warm = (minutes: number, onlyAfterEnd = false) =>
        monitorSilent({ warmUp: { minutes, onlyAfterEnd } });

    it("stays INSUFFICIENT_DATA while its metric does not exist yet, so the page over it starts OK", () => {
        // "During warm-up, the alarm stays in INSUFFICIENT_DATA and does not perform alarm actions."
        const run = runAlarms(
            [warm(10)],
            [page()],
            healthy(4, 12),
            CREATED,
            at(12),
            {},
            {
                createdAt: CREATED,
            },
        );
        assert.ok(run.notifications.every((n) => n.state === "OK"));
        assert.deepEqual(run.transitions, [
            { alarm: "page", at: CREATED, state: "OK" },
            // The first point (minute 4, usable at 4:40) fills the one-minute window at the
            // 5:05 evaluation: warm-up ends early and the alarm evaluates OK.
            { alarm: "monitor", at: at(5), state: "OK" },
        ]);
    });

    it("ends early only once each evaluation period holds a point", () => {
        const alarm = monitorSilent({ evaluationPeriods: 3, datapointsToAlarm: 3 });
        assert.equal(windowFilled(alarm, healthy(4, 5), at(6)), false, "two of three minutes");
        assert.equal(windowFilled(alarm, healthy(3, 5), at(6)), true);
        assert.equal(windowFilled(alarm, healthy(5, 5), at(5)), false, "not usable before 5:40");
    });

    it("goes to ALARM when the warm-up ends and no data ever came: a monitor that never starts still pages", () => {
        const run = runAlarms(
            [warm(10)],
            [page()],
            [],
            CREATED,
            at(15),
            {},
            {
                createdAt: CREATED,
            },
        );
        const firstAfter = at(11); // the first minute evaluation at or after 10:20
        assert.deepEqual(run.transitions, [
            { alarm: "page", at: CREATED, state: "OK" },
            { alarm: "monitor", at: firstAfter, state: "ALARM" },
            { alarm: "page", at: firstAfter, state: "ALARM" },
        ]);
    });

    it("waits the whole period when told to, even with data", () => {
        // "If true, the alarm waits the entire WarmUpPeriodDurationInMinutes before it starts
        // to evaluate, even if metric data arrives earlier."
        const run = runAlarms(
            [warm(3, true)],
            [page()],
            healthy(-2, 8),
            CREATED,
            at(8),
            {},
            {
                createdAt: CREATED,
            },
        );
        assert.deepEqual(run.transitions, [
            { alarm: "page", at: CREATED, state: "OK" },
            { alarm: "monitor", at: at(4), state: "OK" },
        ]);
    });

    it("applies only from creation: a settled run ignores it", () => {
        const run = runAlarms([warm(10)], [page()], [], CREATED, at(3));
        assert.equal(run.transitions[0].state, "ALARM", "a settled silent monitor pages as before");
    });
});
