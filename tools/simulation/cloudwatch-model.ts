/**
 * A model of how CloudWatch evaluates the alarms this program declares: metric alarms
 * (period, evaluation range, datapoints to alarm, missing-data treatment) and composite
 * alarms (rule, actions suppressor with its wait and extension periods). The time-to-detect
 * simulation and the verdict scenario tests both evaluate the declared alarms with it.
 * tests/tools/cloudwatch-model.test.ts checks it against the docs' worked examples.
 *
 * This module runs the alarms over time; what it follows and assumes about each part is
 * told where that part lives: one metric alarm's evaluation in cloudwatch-evaluation.ts,
 * composite rules in cloudwatch-alarm-rule.ts, their order in cloudwatch-composites.ts, and
 * actions under a suppressor in cloudwatch-composite-actions.ts.
 *
 * What the run follows: a composite is OK or ALARM after creation, never INSUFFICIENT_DATA
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 *
 * What it assumes, where AWS publishes nothing:
 * - A composite is re-evaluated the moment a child changes state (AWS's example events show
 *   both at the same millisecond). Within one instant, the metric alarm changes first, then
 *   the composites, children before the composites that name them.
 * - Metric alarms start the run OK, as a settled stack's are; composites start in the state
 *   their rules give over them, without acting.
 * - How long EMF takes to become a metric is a parameter of the caller (AWS gives no figure).
 *
 * Alarm birth, from the PutMetricAlarm and PutCompositeAlarm API references: "When this
 * operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA. The
 * alarm is then evaluated and its state is set appropriately. Any actions associated with
 * the new state are then executed" — OK actions included, as they run on a transition to OK
 * "from any other state"; for a composite "this initial time after creation is the only
 * time that the alarm can be in INSUFFICIENT_DATA state". An update leaves the state
 * unchanged. A warm-up period (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html):
 * "During warm-up, the alarm stays in INSUFFICIENT_DATA and does not perform alarm actions";
 * unless told to wait it out, "the alarm ends the warm-up period early. Evaluation begins as
 * soon as the alarm has enough metric data to fill its evaluation window". Assumed: the
 * window is filled when each of its Evaluation Periods buckets holds an available point; the
 * first evaluation runs at the instant of creation, children before composites.
 */
import { holds } from "./cloudwatch-alarm-rule";
import type {
    AlarmState,
    CompositeAlarmSpec,
    Datapoint,
    MetricAlarmSpec,
    Transition,
} from "./cloudwatch-alarm-types";
import { CompositeActions } from "./cloudwatch-composite-actions";
import { orderComposites } from "./cloudwatch-composites";
import {
    checkMetricAlarm,
    evaluateMetricAlarm,
    evaluationInterval,
    pointsInRange,
    windowFilled,
} from "./cloudwatch-evaluation";

export type {
    AlarmState,
    CompositeAlarmSpec,
    Datapoint,
    MetricAlarmSpec,
    Transition,
} from "./cloudwatch-alarm-types";
export { parseRule, ruleChildren } from "./cloudwatch-alarm-rule";
export { evaluateMetricAlarm, evaluationInterval, windowFilled } from "./cloudwatch-evaluation";

export interface AlarmRun {
    /** Every state change of every alarm, in time order. */
    readonly transitions: Transition[];
    /** Every action a notifying composite took (ALARM or OK), in time order. */
    readonly notifications: Transition[];
}

/** How a run begins. */
export interface AlarmRunStart {
    /**
     * When PutMetricAlarm and PutCompositeAlarm created the alarms (epoch ms, at or after
     * `from`): they are born INSUFFICIENT_DATA and evaluated at once, children first, and
     * act on the state they move to. Without it the run starts on a settled stack: metric
     * alarms OK, composites in the state their rules give, nothing acting.
     */
    readonly createdAt?: number;
}

/**
 * Evaluates every alarm from `from` to `to` (epoch ms). Metric alarms are evaluated on
 * their cadence at `offsetSeconds` (per region; 5 by default) past each step, and once at
 * their creation; composites whenever a child changes, and once at their creation.
 */
export function runAlarms(
    metricAlarms: readonly MetricAlarmSpec[],
    composites: readonly CompositeAlarmSpec[],
    points: readonly Datapoint[],
    from: number,
    to: number,
    offsetSeconds: Readonly<Record<string, number>> = {},
    start: AlarmRunStart = {},
): AlarmRun {
    metricAlarms.forEach(checkMetricAlarm);
    const ordered = orderComposites(metricAlarms, composites);
    const born = start.createdAt;
    const states = new Map<string, AlarmState>();
    const transitions: Transition[] = [];
    const notifications: Transition[] = [];
    for (const a of metricAlarms)
        states.set(a.name, born === undefined ? "OK" : "INSUFFICIENT_DATA");
    for (const c of ordered) {
        const settled = holds(c.rule, states) ? "ALARM" : "OK";
        states.set(c.spec.name, born === undefined ? settled : "INSUFFICIENT_DATA");
    }
    const pointsOf = groupByMetric(points);
    // Each alarm's datapoints, gathered once (the points of a run are fixed) and sorted by
    // timestamp, so each evaluation reads only its range.
    const series = new Map(
        metricAlarms.map((alarm) => [
            alarm.name,
            (alarm.sumOf
                ? alarm.sumOf.flatMap((m) => pointsOf(m.metricName, m.dimensions))
                : [...pointsOf(alarm.metricName, alarm.dimensions)]
            ).sort((a, b) => a.timestamp - b.timestamp),
        ]),
    );
    const seriesOf = (alarm: MetricAlarmSpec, at: number) =>
        pointsInRange(alarm, series.get(alarm.name)!, at);
    // Alarms still in their warm-up period (from their creation), by name.
    const warming = new Map<string, number>();
    if (born !== undefined)
        for (const a of metricAlarms)
            if (a.warmUp) warming.set(a.name, born + a.warmUp.minutes * 60_000);

    const events = evaluationInstants(metricAlarms, from, to, offsetSeconds, born);
    const actions = new CompositeActions(composites, states, notifications);
    const change = (name: string, state: AlarmState, at: number) => {
        const before = states.get(name)!;
        states.set(name, state);
        transitions.push({ alarm: name, at, state });
        actions.alarmChanged(name, before, state, at);
    };
    /** Re-evaluates the composites that name a changed alarm (all of them at birth). */
    const cascade = (changed: Set<string>, at: number, birth = false) => {
        for (const { spec, rule, children } of ordered) {
            const named = [...children].some((child) => changed.has(child));
            const unborn = birth && states.get(spec.name) === "INSUFFICIENT_DATA";
            if (!named && !unborn) continue;
            const state: AlarmState = holds(rule, states) ? "ALARM" : "OK";
            if (state === states.get(spec.name)) continue;
            changed.add(spec.name);
            change(spec.name, state, at);
            actions.compositeChanged(spec, at);
        }
    };
    let birthDone = born === undefined;
    const changedAtBirth = new Set<string>();
    for (const { at, alarm } of events) {
        if (!birthDone && at > born!) {
            cascade(changedAtBirth, born!, true);
            birthDone = true;
        }
        actions.advance(at);
        const warmUpEnds = warming.get(alarm.name);
        if (warmUpEnds !== undefined) {
            const early =
                !alarm.warmUp!.onlyAfterEnd && windowFilled(alarm, seriesOf(alarm, at), at);
            if (at < warmUpEnds && !early) continue;
            warming.delete(alarm.name);
        }
        const before = states.get(alarm.name)!;
        const after = evaluateMetricAlarm(alarm, seriesOf(alarm, at), at, before);
        if (after === before) continue;
        change(alarm.name, after, at);
        if (at === born) changedAtBirth.add(alarm.name);
        else cascade(new Set([alarm.name]), at);
    }
    if (!birthDone) cascade(changedAtBirth, born!, true);
    actions.advance(to);
    return { transitions, notifications };
}

/** The datapoints of one series (metric name and exact dimension set). */
function groupByMetric(points: readonly Datapoint[]) {
    const setText = (dimensions: Readonly<Record<string, string>>) =>
        JSON.stringify(Object.entries(dimensions).sort());
    // By dimension set, then metric name. The points of one metric document are adjacent and
    // share its dimensions object, so each set is written once per document.
    const bySet = new Map<string, Map<string, Datapoint[]>>();
    let lastDimensions: object | undefined;
    let byName = new Map<string, Datapoint[]>();
    for (const p of points) {
        if (p.dimensions !== lastDimensions) {
            lastDimensions = p.dimensions;
            const text = setText(p.dimensions);
            byName = bySet.get(text) ?? new Map<string, Datapoint[]>();
            bySet.set(text, byName);
        }
        const list = byName.get(p.metric);
        if (list) list.push(p);
        else byName.set(p.metric, [p]);
    }
    return (metric: string, dimensions: Readonly<Record<string, string>>) =>
        bySet.get(setText(dimensions))?.get(metric) ?? [];
}

/**
 * Evaluation instants of every metric alarm, in time order: its cadence from `from` (or
 * from its creation) to `to`, and the instant it is created.
 */
function evaluationInstants(
    metricAlarms: readonly MetricAlarmSpec[],
    from: number,
    to: number,
    offsetSeconds: Readonly<Record<string, number>>,
    born: number | undefined,
) {
    const events: { at: number; alarm: MetricAlarmSpec }[] = [];
    const first = Math.max(from, born ?? from);
    for (const alarm of metricAlarms) {
        if (born !== undefined) events.push({ at: born, alarm });
        const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
        const offset = (offsetSeconds[alarm.region] ?? 5) * 1000;
        for (let at = Math.ceil((first - offset) / step) * step + offset; at <= to; at += step) {
            if (at >= first && at !== born) events.push({ at, alarm });
        }
    }
    // Stable: at one instant, alarms keep their declared order (children before composites
    // is kept by the cascade).
    return events.sort((a, b) => a.at - b.at);
}
