import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    evaluateMetricAlarm,
    evaluationInterval,
    parseRule,
    ruleChildren,
    runAlarms,
    type AlarmState,
    type CompositeAlarmSpec,
    type Datapoint,
    type MetricAlarmSpec,
} from "../../tools/simulation/cloudwatch-model";

// The model against the CloudWatch User Guide. Each test cites the page whose text it checks;
// where AWS publishes nothing, the test says which of the model's stated assumptions it pins.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** A whole hour, so minute, 10-second and hour boundaries all fall on it. */
const T0 = Date.UTC(2026, 0, 1, 12);
const STATES: readonly AlarmState[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];
type Treatment = MetricAlarmSpec["treatMissingData"];

const DIMENSIONS = { Observer: "primary" };

function metricAlarm(overrides: Partial<MetricAlarmSpec> = {}): MetricAlarmSpec {
    return {
        name: "signal",
        region: "us-east-1",
        metricName: "Signal",
        dimensions: DIMENSIONS,
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        ...overrides,
    };
}

function point(
    timestamp: number,
    value: number,
    { metric = "Signal", availableAt = timestamp + SECOND } = {},
): Datapoint {
    return { metric, dimensions: DIMENSIONS, value, timestamp, availableAt };
}

/**
 * Datapoints laid out like a row of the docs' tables: one slot per period, oldest on the
 * left, the rightmost slot ending at `end`; "0" is not breaching, "X" breaching, "-" missing.
 */
function layout(row: string, periodSeconds: number, end: number): Datapoint[] {
    const slots = row.split(" ");
    return slots.flatMap((slot, i) => {
        if (slot === "-") return [];
        const start = end - (slots.length - i) * periodSeconds * SECOND;
        return [point(start + SECOND, slot === "X" ? 5 : 0)];
    });
}

describe("metric alarms: the worked tables of alarms-and-missing-data.html", () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html: "Legend: most recent data point on the right"; the
    // evaluation range is 5 for 3 evaluation periods; "Period is again set to 5 minutes".
    // The evaluation runs 5 s after a minute boundary, so the last slot is the last whole period.
    const period = 300;
    const now = T0 + 5 * SECOND;
    type Expected = AlarmState | "retain";
    type Row = readonly [string, Readonly<Record<Treatment, Expected>>];
    const tables: readonly { datapointsToAlarm: number; rows: readonly Row[] }[] = [
        {
            datapointsToAlarm: 3,
            rows: [
                ["0 - X - X", { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
                ["0 - - - -", { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
                [
                    "- - - - -",
                    {
                        missing: "INSUFFICIENT_DATA",
                        ignore: "retain",
                        breaching: "ALARM",
                        notBreaching: "OK",
                    },
                ],
                [
                    "0 X X - X",
                    {
                        missing: "ALARM",
                        ignore: "ALARM",
                        breaching: "ALARM",
                        notBreaching: "ALARM",
                    },
                ],
                [
                    "- - X - -",
                    { missing: "ALARM", ignore: "retain", breaching: "ALARM", notBreaching: "OK" },
                ],
            ],
        },
        {
            datapointsToAlarm: 2,
            rows: [
                [
                    "0 - X - X",
                    {
                        missing: "ALARM",
                        ignore: "ALARM",
                        breaching: "ALARM",
                        notBreaching: "ALARM",
                    },
                ],
                [
                    "0 0 X 0 X",
                    {
                        missing: "ALARM",
                        ignore: "ALARM",
                        breaching: "ALARM",
                        notBreaching: "ALARM",
                    },
                ],
                [
                    "0 - X - -",
                    { missing: "OK", ignore: "OK", breaching: "ALARM", notBreaching: "OK" },
                ],
                [
                    "- - - - 0",
                    { missing: "OK", ignore: "OK", breaching: "ALARM", notBreaching: "OK" },
                ],
                [
                    "- - - X -",
                    { missing: "ALARM", ignore: "retain", breaching: "ALARM", notBreaching: "OK" },
                ],
            ],
        },
    ];

    for (const { datapointsToAlarm, rows } of tables) {
        describe(`Evaluation Periods 3, Datapoints to Alarm ${datapointsToAlarm}`, () => {
            for (const [row, expected] of rows) {
                for (const treatment of Object.keys(expected) as Treatment[]) {
                    const want = expected[treatment];
                    const what = want === "retain" ? "retains the current state" : `is ${want}`;
                    it(`${row} ${what} when missing data is ${treatment}`, () => {
                        const alarm = metricAlarm({
                            period,
                            evaluationPeriods: 3,
                            datapointsToAlarm,
                            treatMissingData: treatment,
                        });
                        const points = layout(row, period, T0);
                        // A documented state does not depend on the state before; "Retain
                        // current state" keeps whichever state the alarm was in.
                        for (const current of STATES) {
                            assert.equal(
                                evaluateMetricAlarm(alarm, points, now, current),
                                want === "retain" ? current : want,
                                `from ${current}`,
                            );
                        }
                    });
                }
            }
        });
    }

    it("0 - - - - with missing data breaching goes to ALARM at the next evaluation, once the 0 has left the range", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html: "The next time this alarm is evaluated, if the
        // data is still missing it will go to ALARM, as that non-breaching data point will no
        // longer be in the evaluation range." (The docs count evaluations in periods.)
        const alarm = metricAlarm({
            period,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "breaching",
        });
        const points = layout("0 - - - -", period, T0);
        assert.equal(evaluateMetricAlarm(alarm, points, now, "OK"), "OK");
        assert.equal(evaluateMetricAlarm(alarm, points, now + period * SECOND, "OK"), "ALARM");
    });

    it("with at least Evaluation Periods real points, it uses the most recent ones and ignores the treatment", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html: "CloudWatch evaluates the alarm state based on
        // the most recent real data points that were successfully retrieved, including the
        // necessary extra data points from farther back in the evaluation range. In this case,
        // the value you set for how to treat missing data is not needed and is ignored."
        for (const treatMissingData of [
            "missing",
            "ignore",
            "breaching",
            "notBreaching",
        ] as const) {
            const alarm = metricAlarm({
                period,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                treatMissingData,
            });
            assert.equal(
                evaluateMetricAlarm(alarm, layout("X X - X -", period, T0), now, "OK"),
                "ALARM",
                treatMissingData,
            );
            // The oldest point (0) is a fourth real point and is not among the three used.
            assert.equal(
                evaluateMetricAlarm(alarm, layout("0 X X - X", period, T0), now, "OK"),
                "ALARM",
                treatMissingData,
            );
            assert.equal(
                evaluateMetricAlarm(alarm, layout("X X 0 - X", period, T0), now, "ALARM"),
                "OK",
                treatMissingData,
            );
        }
    });
});

describe("metric alarms: going to ALARM before Datapoints to Alarm real points breach", () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html, "Avoiding premature transitions to alarm state".
    const period = 300;
    const now = T0 + 5 * SECOND;
    const threeOfThree = metricAlarm({
        period,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "missing",
    });

    it("- - X - - goes to ALARM even with missing data treated as missing", () => {
        // "if the last few data points are - - X - -, the alarm goes into ALARM state even if
        // missing data points are treated as missing."
        assert.equal(
            evaluateMetricAlarm(threeOfThree, layout("- - X - -", period, T0), now, "OK"),
            "ALARM",
        );
    });

    for (const row of ["- - - - X", "- - - X -"]) {
        it(`${row} does not go to ALARM with Datapoints to Alarm 3`, () => {
            // "the alarm does not go immediately into ALARM state when the data is either
            // - - - - X or - - - X - and Datapoints to Alarm is 3."
            for (const current of ["OK", "INSUFFICIENT_DATA"] as const) {
                assert.notEqual(
                    evaluateMetricAlarm(threeOfThree, layout(row, period, T0), now, current),
                    "ALARM",
                    `from ${current}`,
                );
            }
            assert.equal(
                evaluateMetricAlarm(threeOfThree, layout(row, period, T0), now, "OK"),
                "OK",
            );
        });
    }

    it("an M of N alarm goes to ALARM once its oldest breaching point is M periods old and nothing newer is real", () => {
        // "This alarm logic applies to M out of N alarms as well. If the oldest breaching data
        // point during the evaluation range is at least as old as the value of Datapoints to
        // Alarm, and all of the more recent data points are either breaching or missing, the
        // alarm goes into ALARM state".
        const twoOfThree = { ...threeOfThree, datapointsToAlarm: 2 };
        const at = (row: string) =>
            evaluateMetricAlarm(twoOfThree, layout(row, period, T0), now, "OK");
        assert.equal(at("- - - - X"), "OK");
        assert.equal(at("- - - X -"), "ALARM");
        assert.equal(at("- - X - -"), "ALARM");
    });
});

describe("metric alarms: evaluation cadence and data availability", () => {
    it("evaluates periods of a minute or longer every minute and 10, 20 and 30 s periods every 10 s", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html: "For any period of one minute or longer, an alarm is
        // evaluated every minute ... If the alarm period is 10 seconds, 20 seconds, or 30
        // seconds, the alarm is evaluated every 10 seconds."
        assert.deepEqual(
            [10, 20, 30, 60, 300, 3600].map((p) => evaluationInterval(p)),
            [10, 10, 10, 60, 60, 60],
        );
    });

    it("evaluates an alarm whose periods span more than a day once an hour", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html: "If the number of evaluation periods multiplied by
        // the length of each evaluation period exceeds one day, the alarm is evaluated once per
        // hour."
        assert.equal(evaluationInterval(3600, 24), 60);
        assert.equal(evaluationInterval(3600, 25), 3600);
        assert.equal(evaluationInterval(86400, 2), 3600);
    });

    it("a multi-day alarm sees only data up to the current hour at :00", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html: "When multi-day alarms are evaluated, CloudWatch
        // takes into account only the metrics up to the current hour at the :00 minute".
        const alarm = metricAlarm({ period: 3600, evaluationPeriods: 25 });
        const { transitions } = runAlarms(
            [alarm],
            [],
            [point(T0 + 10 * MINUTE, 5)],
            T0,
            T0 + 3 * 3600 * SECOND,
        );
        assert.deepEqual(transitions, [
            { alarm: "signal", at: T0 + 3600 * SECOND + 5 * SECOND, state: "ALARM" },
        ]);
    });

    it("a 60 s alarm does not evaluate the minute that is still open", () => {
        // The docs' example "at the end of minute 5 the alarm evaluates based on data from
        // minutes 1 to 5" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html) and AWS's example events
        // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html, queryDate 17:04:40 with startDate
        // 16:59:00 for a 300 s period) use whole minutes only.
        const alarm = metricAlarm();
        const points = [point(T0 + 10 * SECOND, 5)];
        assert.equal(evaluateMetricAlarm(alarm, points, T0 + 59 * SECOND, "OK"), "OK");
        assert.equal(evaluateMetricAlarm(alarm, points, T0 + 60 * SECOND, "OK"), "ALARM");
    });

    it("a 300 s alarm's bucket ends at the last whole minute, not at a multiple of 5 minutes", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html: queried at 17:04:40 with period 300, the
        // datapoint is "(02/10/19 16:59:00)": the bucket is 16:59-17:04. Here T0 plays 17:00.
        const alarm = metricAlarm({ period: 300 });
        const queried = T0 + 4 * MINUTE + 40 * SECOND;
        const at = (points: Datapoint[]) => evaluateMetricAlarm(alarm, points, queried, "OK");
        assert.equal(at([point(T0 - MINUTE, 5)]), "ALARM");
        assert.equal(at([point(T0 + 3 * MINUTE + 58 * SECOND, 5)]), "ALARM");
        // 16:58 is in the bucket before; a bucket aligned on 5 minutes (16:55-17:00) would
        // have held both points, and its Maximum would breach.
        assert.equal(at([point(T0 - 2 * MINUTE, 5), point(T0 - MINUTE, 0)]), "OK");
        // 17:04 is the open minute.
        assert.equal(at([point(T0 - MINUTE, 0), point(T0 + 4 * MINUTE, 5)]), "OK");
    });

    it("a 60 s alarm changes state at the first minute evaluation after its minute closed and the point is available", () => {
        // Evaluations run every minute (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html) at the caller's offset
        // (5 s here); alarms "evaluate metrics based on the datapoints that are immediately
        // available" (https://repost.aws/knowledge-center/cloudwatch-trigger-metric).
        const alarm = metricAlarm();
        const onTime = runAlarms([alarm], [], [point(T0 + 10 * SECOND, 5)], T0, T0 + 5 * MINUTE);
        assert.deepEqual(onTime.transitions, [
            { alarm: "signal", at: T0 + MINUTE + 5 * SECOND, state: "ALARM" },
            // 1 of 1 keeps using the point while it is in the range (3 periods), then OK.
            { alarm: "signal", at: T0 + 4 * MINUTE + 5 * SECOND, state: "OK" },
        ]);
        // Available only 70 s after its timestamp: the evaluation at 1:05 cannot see it.
        const late = runAlarms(
            [alarm],
            [],
            [point(T0 + 10 * SECOND, 5, { availableAt: T0 + 70 * SECOND })],
            T0,
            T0 + 3 * MINUTE,
        );
        assert.deepEqual(late.transitions, [
            { alarm: "signal", at: T0 + 2 * MINUTE + 5 * SECOND, state: "ALARM" },
        ]);
        // The evaluation offset moves every evaluation within its minute.
        const offset = runAlarms([alarm], [], [point(T0 + 10 * SECOND, 5)], T0, T0 + 2 * MINUTE, {
            "us-east-1": 40,
        });
        assert.deepEqual(offset.transitions, [
            { alarm: "signal", at: T0 + MINUTE + 40 * SECOND, state: "ALARM" },
        ]);
    });

    it("a 10 s alarm is evaluated every 10 s and sees a point once its 10 s bucket closed", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html: "If the alarm period is 10 seconds, 20 seconds, or 30
        // seconds, the alarm is evaluated every 10 seconds."
        const alarm = metricAlarm({ period: 10 });
        const points = [point(T0 + 12 * SECOND, 5), point(T0 + 22 * SECOND, 0)];
        const { transitions } = runAlarms([alarm], [], points, T0, T0 + MINUTE);
        assert.deepEqual(transitions, [
            { alarm: "signal", at: T0 + 25 * SECOND, state: "ALARM" },
            { alarm: "signal", at: T0 + 35 * SECOND, state: "OK" },
        ]);
    });

    it("a datapoint of another metric or other dimensions does not count", () => {
        const alarm = metricAlarm({ dimensions: { Observer: "primary", Cluster: "a" } });
        const points: Datapoint[] = [
            { ...point(T0 + 10 * SECOND, 5), dimensions: { Observer: "primary", Cluster: "b" } },
            { ...point(T0 + 10 * SECOND, 5), metric: "Other", dimensions: alarm.dimensions },
        ];
        assert.deepEqual(runAlarms([alarm], [], points, T0, T0 + 2 * MINUTE).transitions, []);
        // The same dimensions in another key order are the same metric.
        const same = {
            ...point(T0 + 10 * SECOND, 5),
            dimensions: { Cluster: "a", Observer: "primary" },
        };
        assert.equal(runAlarms([alarm], [], [same], T0, T0 + 2 * MINUTE).transitions.length, 1);
    });
});

describe("metric alarms: statistics and comparison operators", () => {
    // Statistics: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic
    const values = [1, 2, 6];
    const points = values.map((v, i) => point(T0 + (10 + i) * SECOND, v));
    const expected = { Maximum: 6, Minimum: 1, Sum: 9, Average: 3, SampleCount: 3 } as const;

    for (const [statistic, value] of Object.entries(expected) as [
        MetricAlarmSpec["statistic"],
        number,
    ][]) {
        it(`${statistic} of one period's datapoints (1, 2, 6) is ${value}`, () => {
            const at = (comparisonOperator: MetricAlarmSpec["comparisonOperator"]) =>
                evaluateMetricAlarm(
                    metricAlarm({ statistic, threshold: value, comparisonOperator }),
                    points,
                    T0 + MINUTE + 5 * SECOND,
                    "OK",
                );
            assert.equal(at("GreaterThanOrEqualToThreshold"), "ALARM");
            assert.equal(at("GreaterThanThreshold"), "OK");
            assert.equal(at("LessThanOrEqualToThreshold"), "ALARM");
            assert.equal(at("LessThanThreshold"), "OK");
        });
    }

    it("each comparison operator compares the statistic with the threshold as its name says", () => {
        // PutMetricAlarm ComparisonOperator: "The specified statistic value is used as the first
        // operand." (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)
        const cases: [MetricAlarmSpec["comparisonOperator"], number, AlarmState][] = [
            ["GreaterThanOrEqualToThreshold", 4, "ALARM"],
            ["GreaterThanOrEqualToThreshold", 5, "ALARM"],
            ["GreaterThanOrEqualToThreshold", 6, "OK"],
            ["GreaterThanThreshold", 4, "ALARM"],
            ["GreaterThanThreshold", 5, "OK"],
            ["LessThanThreshold", 6, "ALARM"],
            ["LessThanThreshold", 5, "OK"],
            ["LessThanOrEqualToThreshold", 5, "ALARM"],
            ["LessThanOrEqualToThreshold", 4, "OK"],
        ];
        for (const [comparisonOperator, threshold, state] of cases) {
            const alarm = metricAlarm({ comparisonOperator, threshold });
            assert.equal(
                evaluateMetricAlarm(alarm, [point(T0, 5)], T0 + MINUTE + 5 * SECOND, "OK"),
                state,
                `5 ${comparisonOperator} ${threshold}`,
            );
        }
    });
});

describe("metric alarms: settings the API rejects", () => {
    // PutMetricAlarm (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
    const evaluate = (overrides: Partial<MetricAlarmSpec>) => () =>
        evaluateMetricAlarm(metricAlarm(overrides), [], T0, "OK");

    it("a period other than 10, 20, 30 or a multiple of 60 throws", () => {
        // "Valid values are 10, 20, 30, and any multiple of 60."
        assert.throws(evaluate({ period: 45 }), /period 45/);
        assert.throws(evaluate({ period: 90 }), /period 90/);
    });

    it("more datapoints to alarm than evaluation periods throws", () => {
        // Datapoints to Alarm breach "within the last number of data points equal to Evaluation
        // Period" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html).
        assert.throws(
            evaluate({ evaluationPeriods: 2, datapointsToAlarm: 3 }),
            /datapoints to alarm 3/,
        );
        assert.throws(evaluate({ datapointsToAlarm: 0 }), /datapoints to alarm 0/);
    });

    it("a sub-hour period over more than a day throws", () => {
        // "For alarms with a period of less than one hour (3,600 seconds), the total evaluation
        // period can't be longer than one day (86,400 seconds)."
        assert.throws(evaluate({ period: 60, evaluationPeriods: 1441 }), /one day/);
    });

    it("periods over more than seven days throw", () => {
        // "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds."
        assert.throws(evaluate({ period: 86400, evaluationPeriods: 8 }), /604,800/);
    });
});

describe("composite alarms: rule expressions", () => {
    // PutCompositeAlarm AlarmRule
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html)
    // and https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html.
    const state = (s: AlarmState, alarm: string) => ({ kind: "state", state: s, alarm });

    it("parses ALARM(), OK() and INSUFFICIENT_DATA() of a named alarm", () => {
        assert.deepEqual(
            parseRule("ALARM(CPUUtilizationTooHigh)"),
            state("ALARM", "CPUUtilizationTooHigh"),
        );
        assert.deepEqual(parseRule("OK(NetworkOutTooHigh)"), state("OK", "NetworkOutTooHigh"));
        assert.deepEqual(parseRule("INSUFFICIENT_DATA(x)"), state("INSUFFICIENT_DATA", "x"));
    });

    it("parses TRUE and FALSE", () => {
        // "TRUE always evaluates to TRUE. FALSE always evaluates to FALSE."
        assert.deepEqual(parseRule("TRUE"), { kind: "const", value: true });
        assert.deepEqual(parseRule("FALSE"), { kind: "const", value: false });
    });

    it("accepts names with or without double quotes, with spaces and parentheses inside quotes", () => {
        // "Alarm names specified in AlarmRule can be surrounded with double-quotes ("), but do
        // not have to be."
        assert.deepEqual(
            parseRule('ALARM("CPUUtilizationTooHigh")'),
            state("ALARM", "CPUUtilizationTooHigh"),
        );
        assert.deepEqual(
            parseRule('ALARM("dr page (primary) down")'),
            state("ALARM", "dr page (primary) down"),
        );
        assert.deepEqual(
            parseRule("ALARM(dr-signal-abc123-primary-unreachable)"),
            state("ALARM", "dr-signal-abc123-primary-unreachable"),
        );
        assert.deepEqual(parseRule('ALARM( "spaced" )'), state("ALARM", "spaced"));
    });

    it("binds NOT tighter than AND, and AND tighter than OR", () => {
        // AWS documents no precedence; the model assumes the usual one (its header says so).
        const [a, b, c] = ["a", "b", "c"].map((n) => state("ALARM", n));
        assert.deepEqual(parseRule("ALARM(a) OR ALARM(b) AND ALARM(c)"), {
            kind: "or",
            left: a,
            right: { kind: "and", left: b, right: c },
        });
        assert.deepEqual(parseRule("NOT ALARM(a) AND ALARM(b)"), {
            kind: "and",
            left: { kind: "not", rule: a },
            right: b,
        });
        assert.deepEqual(parseRule("ALARM(a) AND ALARM(b) AND ALARM(c)"), {
            kind: "and",
            left: { kind: "and", left: a, right: b },
            right: c,
        });
    });

    it("groups with parentheses, as in the docs' example", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html:
        // (ALARM("CPUUtilizationTooHigh") OR ALARM("DiskReadOpsTooHigh")) AND OK("NetworkOutTooHigh")
        const rule = parseRule(
            '(ALARM("CPUUtilizationTooHigh") OR \nALARM("DiskReadOpsTooHigh")) AND \nOK("NetworkOutTooHigh")',
        );
        assert.deepEqual(rule, {
            kind: "and",
            left: {
                kind: "or",
                left: state("ALARM", "CPUUtilizationTooHigh"),
                right: state("ALARM", "DiskReadOpsTooHigh"),
            },
            right: state("OK", "NetworkOutTooHigh"),
        });
        assert.deepEqual(parseRule("NOT (ALARM(a) OR ALARM(b))"), {
            kind: "not",
            rule: { kind: "or", left: state("ALARM", "a"), right: state("ALARM", "b") },
        });
        assert.deepEqual(ruleChildren(rule), [
            "CPUUtilizationTooHigh",
            "DiskReadOpsTooHigh",
            "NetworkOutTooHigh",
        ]);
    });

    const malformed: [string, string, RegExp][] = [
        ["an empty rule", "", /unexpected end/],
        ["a rule of blanks", "   ", /unexpected end/],
        ["a dangling operator", "ALARM(a) AND", /unexpected end/],
        ["a dangling NOT", "NOT", /unexpected end/],
        ["a missing closing parenthesis", "ALARM(a", /expected \) at character 7/],
        ["an unclosed group", "(ALARM(a)", /expected \) at character 9/],
        ["an extra closing parenthesis", "ALARM(a))", /unexpected \) at character 8/],
        ["a state without parentheses", "ALARM a", /expected \( after ALARM at character 6/],
        ["an empty name", "ALARM()", /expected an alarm name at character 6/],
        ["an empty quoted name", 'ALARM("")', /empty alarm name at character 6/],
        ["a parenthesis as the name", "ALARM(())", /expected an alarm name at character 6/],
        ["an unterminated quote", 'ALARM("a)', /unterminated quoted name at character 6/],
        ["two terms without an operator", "ALARM(a) ALARM(b)", /unexpected ALARM at character 9/],
        ["an unknown operator", "ALARM(a) XOR ALARM(b)", /unexpected XOR at character 9/],
        ["an unknown state function", "WARN(a)", /unexpected WARN at character 0/],
        ["a lower-case keyword", "alarm(a)", /unexpected alarm at character 0/],
        ["an empty group", "ALARM(a) AND ()", /unexpected \) at character 14/],
    ];
    for (const [what, text, message] of malformed) {
        it(`rejects ${what}: ${JSON.stringify(text)}`, () => {
            assert.throws(
                () => parseRule(text),
                (error: Error) => {
                    assert.match(error.message, /^alarm rule /);
                    assert.match(error.message, message);
                    return true;
                },
            );
        });
    }
});

/**
 * Alarm states, one character per evaluation (a minute apart, at t0, t1, ...): "." OK,
 * "A" ALARM. Returns the datapoints of a 60 s, 1 of 1, notBreaching metric alarm that makes
 * it so: the evaluation at tN reads minute N-1.
 */
function statesToPoints(metric: string, states: string): Datapoint[] {
    assert.equal(states[0], ".", "alarms start OK");
    return [...states.slice(1)].map((s, minute) =>
        point(T0 + minute * MINUTE + SECOND, s === "A" ? 5 : 0, { metric }),
    );
}
/** Evaluation instant tN: 5 s past minute N. */
const t = (n: number) => T0 + n * MINUTE + 5 * SECOND;

describe("composite alarms: evaluation", () => {
    // A composite is re-evaluated the moment a child changes (the model's stated assumption,
    // from AWS's example events with the same timestamp, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
    const child = (name: string) => metricAlarm({ name, metricName: name });
    const composite = (name: string, rule: string, notifies = false): CompositeAlarmSpec => ({
        name,
        region: "us-east-1",
        rule,
        notifies,
    });

    it("ALARM(), OK(), INSUFFICIENT_DATA(), TRUE and FALSE read the children's states", () => {
        // PutCompositeAlarm AlarmRule: "ALARM("alarm-name or alarm-ARN") is TRUE if the named
        // alarm is in ALARM state. OK(...) is TRUE if the named alarm is in OK state.
        // INSUFFICIENT_DATA(...) is TRUE if the named alarm is in INSUFFICIENT_DATA state."
        // "quiet" has no data, so with missing data treated as missing it goes to
        // INSUFFICIENT_DATA at its first evaluation; "loud" breaches from t2.
        const quiet = metricAlarm({
            name: "quiet",
            metricName: "Quiet",
            treatMissingData: "missing",
        });
        const loud = child("loud");
        const { transitions } = runAlarms(
            [quiet, loud],
            [
                composite("insufficient", "INSUFFICIENT_DATA(quiet)"),
                composite("ok", "OK(quiet)"),
                composite("alarm", "ALARM(loud) AND TRUE"),
                composite("never", "ALARM(loud) AND FALSE"),
                composite("always", "ALARM(quiet) OR TRUE"),
            ],
            statesToPoints("loud", "..AAA"),
            T0,
            t(4),
        );
        assert.deepEqual(transitions, [
            { alarm: "quiet", at: t(0), state: "INSUFFICIENT_DATA" },
            { alarm: "insufficient", at: t(0), state: "ALARM" },
            // OK(quiet) held while quiet was OK, so that was its settled state.
            { alarm: "ok", at: t(0), state: "OK" },
            { alarm: "loud", at: t(2), state: "ALARM" },
            { alarm: "alarm", at: t(2), state: "ALARM" },
        ]);
    });

    it("a composite starts in the state its rule gives over the settled children, without acting", () => {
        const { transitions, notifications } = runAlarms(
            [child("a")],
            [composite("not-a", "NOT ALARM(a)", true)],
            statesToPoints("a", "..A"),
            T0,
            t(2),
        );
        assert.deepEqual(transitions, [
            { alarm: "a", at: t(2), state: "ALARM" },
            { alarm: "not-a", at: t(2), state: "OK" },
        ]);
        assert.deepEqual(notifications, [{ alarm: "not-a", at: t(2), state: "OK" }]);
    });

    it("a composite follows another composite it names", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html: "Rule expressions can refer to metric alarms
        // and composite alarms."
        const { transitions } = runAlarms(
            [child("a"), child("b")],
            [composite("outer", 'ALARM("inner") AND ALARM(b)'), composite("inner", "ALARM(a)")],
            [...statesToPoints("a", "..AA."), ...statesToPoints("b", ".AAAA")],
            T0,
            t(4),
        );
        assert.deepEqual(transitions, [
            { alarm: "b", at: t(1), state: "ALARM" },
            { alarm: "a", at: t(2), state: "ALARM" },
            { alarm: "inner", at: t(2), state: "ALARM" },
            { alarm: "outer", at: t(2), state: "ALARM" },
            { alarm: "a", at: t(4), state: "OK" },
            { alarm: "inner", at: t(4), state: "OK" },
            { alarm: "outer", at: t(4), state: "OK" },
        ]);
    });

    it("composites that name each other in a cycle are refused", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html: "the evaluation of composite alarms stops if
        // CloudWatch detects a cycle in the evaluation path."
        assert.throws(
            () =>
                runAlarms(
                    [child("a")],
                    [composite("x", "ALARM(a) OR ALARM(y)"), composite("y", "ALARM(x)")],
                    [],
                    T0,
                    t(1),
                ),
            /cycle: x → y → x/,
        );
    });

    it("a rule naming an alarm the run does not have is refused", () => {
        assert.throws(
            () =>
                runAlarms([child("a")], [composite("x", "ALARM(a) OR ALARM(typo)")], [], T0, t(1)),
            /x names typo, which is not an alarm of this run/,
        );
    });
});

describe("composite alarms: the actions suppressor", () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html: "In the following examples, WaitPeriod
    // is configured as 2 time units, and ExtensionPeriod is configured as 3 time units." Here a
    // time unit is the minute between two evaluations of the 60 s child and suppressor alarms.
    function suppressed(childStates: string, suppressorStates: string, horizon = 12) {
        const metricAlarms = [
            metricAlarm({ name: "child", metricName: "Child" }),
            metricAlarm({ name: "maintenance", metricName: "Maintenance" }),
        ];
        const page: CompositeAlarmSpec = {
            name: "page",
            region: "us-east-1",
            rule: 'ALARM("child")',
            notifies: true,
            suppressor: { alarm: "maintenance", waitPeriod: 120, extensionPeriod: 180 },
        };
        const points = [
            ...statesToPoints("Child", childStates.padEnd(horizon + 1, childStates.at(-1))),
            ...statesToPoints(
                "Maintenance",
                suppressorStates.padEnd(horizon + 1, suppressorStates.at(-1)),
            ),
        ];
        return runAlarms(metricAlarms, [page], points, T0, t(horizon));
    }
    const pageAt = (n: number, state: AlarmState) => ({ alarm: "page", at: t(n), state });

    it("example 1: the action waits for the WaitPeriod even though nothing suppresses it", () => {
        // "the composite alarm changes states from OK to ALARM at t2. A WaitPeriod starts at t2
        // and ends at t4 ... After the WaitPeriod expires at t4, the composite alarm takes its
        // actions because the suppressor alarm is still in OK."
        const run = suppressed("..A", ".");
        assert.deepEqual(
            run.transitions.filter((x) => x.alarm === "page"),
            [pageAt(2, "ALARM")],
        );
        assert.deepEqual(run.notifications, [pageAt(4, "ALARM")]);
    });

    it("example 2: a suppressor going to ALARM during the WaitPeriod discards it and no action is taken", () => {
        // "Because the suppressor alarm changes states from OK to ALARM at t3, the WaitPeriod
        // that started at t2 is discarded, and the suppressor alarm now stops the composite
        // alarm from taking actions."
        assert.deepEqual(suppressed("..A", "...A").notifications, []);
    });

    it("example 3: a composite back to OK during the WaitPeriod gets a new WaitPeriod and then acts on OK", () => {
        // "The composite alarm changes back to OK at t3, so the WaitPeriod that started at t2 is
        // discarded. A new WaitPeriod starts at t3 and ends at t5. After the new WaitPeriod
        // expires at t5, the composite alarm takes its actions." Its actions are those of its
        // current state: "Composite alarms take actions that are based on their currents
        // states when ExtensionPeriod and WaitPeriod become inactive."
        assert.deepEqual(suppressed("..A.", ".").notifications, [pageAt(5, "OK")]);
    });

    it("example 4: a composite going to ALARM while the suppressor is in ALARM takes no action", () => {
        // "the composite alarm changes states from OK to ALARM at t2. The suppressor alarm is
        // already in ALARM. The suppressor alarm stops the composite alarm from taking actions."
        assert.deepEqual(suppressed("..A", ".A").notifications, []);
    });

    it("example 5: after the suppressor returns to OK, the composite acts on its state when the ExtensionPeriod ends", () => {
        // "At t6, the suppressor alarm changes to OK. An ExtensionPeriod starts at t6 and ends at
        // t9. After the ExtensionPeriod expires, the composite alarm takes its actions."
        assert.deepEqual(suppressed("..A", "...AAA.").notifications, [pageAt(9, "ALARM")]);
    });

    it("example 6: a composite back to OK during the ExtensionPeriod gets a new WaitPeriod instead", () => {
        // "When the composite alarm changes back to OK at t7, the ExtensionPeriod is discarded,
        // and a new WaitPeriod starts at t7 and ends at t9. After the new WaitPeriod expires,
        // the composite alarm can take its actions." (The docs' "ends at t8" for this
        // ExtensionPeriod contradicts its 3 units; either way it is discarded at t7.)
        const run = suppressed("..AAAAA.", "...AAA.");
        assert.deepEqual(
            run.transitions.filter((x) => x.alarm === "page"),
            [pageAt(2, "ALARM"), pageAt(7, "OK")],
        );
        assert.deepEqual(run.notifications, [pageAt(9, "OK")]);
    });

    it("a composite back to OK while its suppressor is in ALARM takes no OK action when the ExtensionPeriod ends (stricter reading)", () => {
        // The page went out at t4; the cause clears at t6 while the window (t5-t7) holds
        // actions back. AWS's examples show only an ALARM acted on after the extension, so the
        // model does not send this OK: the incident stays open unless something else resolves it.
        const run = suppressed("..AAAA.", ".....AA.");
        assert.deepEqual(
            run.transitions.filter((x) => x.alarm === "page"),
            [pageAt(2, "ALARM"), pageAt(6, "OK")],
        );
        assert.deepEqual(run.notifications, [pageAt(4, "ALARM")]);
    });

    it("a composite that flaps back to ALARM during its WaitPeriod acts on ALARM again when it ends", () => {
        // "Composite alarms take actions that are based on their currents states when
        // ExtensionPeriod and WaitPeriod become inactive" (AWS's Lambda payload for this case is
        // an ALARM record whose previous state is ALARM).
        assert.deepEqual(suppressed("..AAAA.A", ".").notifications, [
            pageAt(4, "ALARM"),
            pageAt(9, "ALARM"),
        ]);
    });

    it("a suppressor going from OK to INSUFFICIENT_DATA neither suppresses nor starts an ExtensionPeriod", () => {
        // PutCompositeAlarm: the ExtensionPeriod is the time the composite "waits after
        // suppressor alarm goes out of the ALARM state"; actions are suppressed only "if the
        // suppressor alarm is in the ALARM state".
        // The suppressor's last datapoint (minute 0) leaves its 3-period range at t4.
        const metricAlarms = [
            metricAlarm({ name: "child", metricName: "Child" }),
            metricAlarm({
                name: "maintenance",
                metricName: "Maintenance",
                treatMissingData: "missing",
            }),
        ];
        const page: CompositeAlarmSpec = {
            name: "page",
            region: "us-east-1",
            rule: "ALARM(child)",
            notifies: true,
            suppressor: { alarm: "maintenance", waitPeriod: 120, extensionPeriod: 180 },
        };
        const points = [
            ...statesToPoints("Child", "...AAAAAAA"),
            point(T0 - MINUTE + SECOND, 0, { metric: "Maintenance" }),
            point(T0 + SECOND, 0, { metric: "Maintenance" }),
        ];
        const run = runAlarms(metricAlarms, [page], points, T0, t(9));
        assert.deepEqual(
            run.transitions.filter((x) => x.alarm === "maintenance"),
            [{ alarm: "maintenance", at: t(4), state: "INSUFFICIENT_DATA" }],
        );
        assert.deepEqual(run.notifications, [pageAt(5, "ALARM")]);
    });

    it("a suppressor going from ALARM to INSUFFICIENT_DATA starts the ExtensionPeriod", () => {
        // PutCompositeAlarm ActionsSuppressorExtensionPeriod: "The maximum time in seconds that
        // the composite alarm waits after suppressor alarm goes out of the ALARM state."
        // The suppressor breaches in minutes 1-2 only; those leave its range at t6.
        const metricAlarms = [
            metricAlarm({ name: "child", metricName: "Child" }),
            metricAlarm({
                name: "maintenance",
                metricName: "Maintenance",
                treatMissingData: "missing",
            }),
        ];
        const page: CompositeAlarmSpec = {
            name: "page",
            region: "us-east-1",
            rule: "ALARM(child)",
            notifies: true,
            suppressor: { alarm: "maintenance", waitPeriod: 120, extensionPeriod: 180 },
        };
        const points = [
            ...statesToPoints("Child", "...AAAAAAAAA"),
            point(T0 - MINUTE + SECOND, 0, { metric: "Maintenance" }),
            point(T0 + SECOND, 0, { metric: "Maintenance" }),
            point(T0 + MINUTE + SECOND, 5, { metric: "Maintenance" }),
            point(T0 + 2 * MINUTE + SECOND, 5, { metric: "Maintenance" }),
        ];
        const run = runAlarms(metricAlarms, [page], points, T0, t(11));
        assert.deepEqual(
            run.transitions.filter((x) => x.alarm === "maintenance"),
            [
                { alarm: "maintenance", at: t(2), state: "ALARM" },
                { alarm: "maintenance", at: t(6), state: "INSUFFICIENT_DATA" },
            ],
        );
        assert.deepEqual(run.notifications, [pageAt(9, "ALARM")]);
    });

    it("a suppressor episode while the composite has nothing to act on takes no action (assumed)", () => {
        // The docs are silent; the model acts after an ExtensionPeriod only for a composite
        // whose change of state had its actions held back.
        assert.deepEqual(suppressed("..A", "......AA.").notifications, [pageAt(4, "ALARM")]);
    });

    it("a suppressor that is itself a composite alarm suppresses", () => {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html: "Any alarm can function as a
        // suppressor alarm."
        const metricAlarms = [
            metricAlarm({ name: "child", metricName: "Child" }),
            metricAlarm({ name: "maintenance", metricName: "Maintenance" }),
        ];
        const composites: CompositeAlarmSpec[] = [
            {
                name: "page",
                region: "us-east-1",
                rule: "ALARM(child)",
                notifies: true,
                suppressor: { alarm: "window", waitPeriod: 120, extensionPeriod: 180 },
            },
            { name: "window", region: "us-east-1", rule: "ALARM(maintenance)", notifies: false },
        ];
        const points = [
            ...statesToPoints("Child", "..AAAAAAAAAA"),
            ...statesToPoints("Maintenance", "...AAA......"),
        ];
        const run = runAlarms(metricAlarms, composites, points, T0, t(11));
        assert.deepEqual(run.notifications, [pageAt(9, "ALARM")]);
    });

    it("a composite without a suppressor acts the moment it changes state (assumed)", () => {
        // No delay is documented for composites without an actions suppressor.
        const run = runAlarms(
            [metricAlarm({ name: "child", metricName: "Child" })],
            [{ name: "page", region: "us-east-1", rule: "ALARM(child)", notifies: true }],
            statesToPoints("Child", "..AA."),
            T0,
            t(4),
        );
        assert.deepEqual(run.notifications, [pageAt(2, "ALARM"), pageAt(4, "OK")]);
    });

    it("a composite without actions never notifies", () => {
        const run = runAlarms(
            [metricAlarm({ name: "child", metricName: "Child" })],
            [{ name: "page", region: "us-east-1", rule: "ALARM(child)", notifies: false }],
            statesToPoints("Child", "..AA."),
            T0,
            t(4),
        );
        assert.equal(run.transitions.length, 4);
        assert.deepEqual(run.notifications, []);
    });
});
