/**
 * How CloudWatch evaluates one metric alarm: its cadence, its evaluation range, missing data,
 * datapoints to alarm, and the limits PutMetricAlarm puts on period and N of M.
 *
 * What it follows, from the CloudWatch User Guide and API Reference:
 * - "For any period of one minute or longer, an alarm is evaluated every minute ... If the
 *   alarm period is 10 seconds, 20 seconds, or 30 seconds, the alarm is evaluated every 10
 *   seconds." "If the number of evaluation periods multiplied by the length of each
 *   evaluation period exceeds one day, the alarm is evaluated once per hour", taking "into
 *   account only the metrics up to the current hour at the :00 minute"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html).
 * - Sliding windows end at the last complete minute, not at a multiple of the period; the
 *   open minute is not evaluated (AWS's example events,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 *   A datapoint counts from the moment it is available (`availableAt`), and only in the
 *   evaluations after it.
 * - The evaluation range: "CloudWatch retrieves the 5 most recent data points when evaluating
 *   the alarm" for 3 evaluation periods; the three cases of missing data, the fill with the
 *   treatMissingData value "as few times as possible", and the rule that an alarm goes to
 *   ALARM when "the oldest available breaching datapoint ... is at least as old as the value
 *   of Datapoints to Alarm, and all other more recent data points are breaching or missing"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 * - PutMetricAlarm's limits: periods of 10, 20, 30 s or a multiple of 60; period times
 *   evaluation periods at most 604,800 s, and at most a day below an hour's period.
 *
 * What it assumes, where AWS publishes nothing:
 * - The evaluation range is Evaluation Periods + 2 for every alarm (only 3 → 5 is documented).
 * - 10/20/30 s buckets end on a 10 s boundary. The second of the minute (or of the 10 s step,
 *   or of the hour) an evaluation runs at is a parameter of the caller, one per region.
 * - With fewer real points in the range than Evaluation Periods, the points evaluated are all
 *   the real ones plus (Evaluation Periods − real) filled with the treatMissingData value;
 *   under "ignore" the real points decide when one of them does not breach or M of them
 *   breach, and otherwise the state is kept. This reading fits every row of the docs' tables.
 * - The premature-ALARM rule scans the whole evaluation range (the docs say both "during the
 *   Evaluation Periods number of data points" and "during the evaluation range"), applies
 *   only when every real point in it breaches (the tables' `0 - X - -` with 2 of 3 is OK), and
 *   not under "ignore" (`- - X - -` there retains the state).
 */
import type { AlarmState, Datapoint, MetricAlarmSpec } from "./cloudwatch-alarm-types";

export const EVALUATION_RANGE_EXTRA = 2;
const DAY_SECONDS = 86_400;

/**
 * Seconds between two evaluations of an alarm of this period: 10 below a minute, 60 from a
 * minute, 3600 when its evaluation periods span more than a day.
 */
export const evaluationInterval = (period: number, evaluationPeriods = 1) =>
    period * evaluationPeriods > DAY_SECONDS ? 3600 : period < 60 ? 10 : 60;

/** Throws if PutMetricAlarm would refuse the alarm's period or N of M. */
export function checkMetricAlarm(alarm: MetricAlarmSpec): void {
    const problem = metricAlarmProblem(alarm);
    if (problem) throw new Error(`metric alarm ${alarm.name}: ${problem}`);
}

function metricAlarmProblem(alarm: MetricAlarmSpec): string | undefined {
    const { period, evaluationPeriods: n, datapointsToAlarm: m } = alarm;
    if (alarm.sumOf && alarm.statistic !== "Sum")
        return "a sum of series is modelled for the Sum statistic only";
    if (!(period === 10 || period === 20 || period === 30 || (period > 0 && period % 60 === 0)))
        return `period ${period} is not 10, 20, 30 or a multiple of 60`;
    if (!Number.isInteger(n) || n < 1) return `evaluation periods ${n} is not a positive integer`;
    if (!Number.isInteger(m) || m < 1 || m > n)
        return `datapoints to alarm ${m} is not between 1 and the evaluation periods (${n})`;
    if (period * n > 604_800) return "period × evaluation periods exceeds 604,800 s";
    if (period < 3600 && period * n > DAY_SECONDS)
        return "a period under an hour cannot span more than one day";
    return undefined;
}

/**
 * The state a metric alarm evaluates to at `now`, from the datapoints available then;
 * `current` is its state before (kept when missing data is ignored).
 */
export function evaluateMetricAlarm(
    alarm: MetricAlarmSpec,
    points: readonly Datapoint[],
    now: number,
    current: AlarmState,
): AlarmState {
    checkMetricAlarm(alarm);
    return decideState(alarm, realPoints(alarm, points, now), current);
}

/** A period that holds data: its slot (0 = the most recent) and whether it breaches. */
interface RealPoint {
    readonly slot: number;
    readonly breaching: boolean;
}

/**
 * The periods of the evaluation range that hold data available at `now`, most recent first.
 * Plain loops, no closures: this runs for every alarm at every evaluation of a simulation.
 */
function realPoints(alarm: MetricAlarmSpec, points: readonly Datapoint[], now: number) {
    const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
    const end = Math.floor(now / step) * step;
    const period = alarm.period * 1000;
    const range = alarm.evaluationPeriods + EVALUATION_RANGE_EXTRA;
    // Values per bucket, most recent first: bucket j holds [end − (j+1)·period, end − j·period).
    const values: (number[] | undefined)[] = new Array<number[] | undefined>(range);
    for (const p of points) {
        if (p.availableAt > now) continue;
        const j = Math.ceil((end - p.timestamp) / period) - 1;
        if (j >= 0 && j < range) (values[j] ??= []).push(p.value);
    }
    const real: RealPoint[] = [];
    for (let slot = 0; slot < range; slot++) {
        const v = values[slot];
        if (v === undefined) continue;
        const value = aggregate(alarm.statistic, v);
        real.push({ slot, breaching: compare(alarm.comparisonOperator, value, alarm.threshold) });
    }
    return real;
}

/** How many of the first `upTo` real points breach. */
function countBreaching(real: readonly RealPoint[], upTo = real.length): number {
    let count = 0;
    for (let i = 0; i < upTo; i++) if (real[i].breaching) count++;
    return count;
}

const stateFor = (breaching: number, datapointsToAlarm: number): AlarmState =>
    breaching >= datapointsToAlarm ? "ALARM" : "OK";

/** The alarm's state from its real points, missing data treated as it says. */
function decideState(
    alarm: MetricAlarmSpec,
    real: readonly RealPoint[],
    current: AlarmState,
): AlarmState {
    const { evaluationPeriods, datapointsToAlarm } = alarm;
    if (real.length >= evaluationPeriods) {
        return stateFor(countBreaching(real, evaluationPeriods), datapointsToAlarm);
    }
    const breaching = countBreaching(real);
    switch (alarm.treatMissingData) {
        case "breaching":
            return stateFor(breaching + evaluationPeriods - real.length, datapointsToAlarm);
        case "notBreaching":
            return stateFor(breaching, datapointsToAlarm);
        case "ignore":
            if (breaching < real.length) return stateFor(breaching, datapointsToAlarm);
            return breaching >= datapointsToAlarm ? "ALARM" : current;
        case "missing": {
            if (real.length === 0) return "INSUFFICIENT_DATA";
            if (breaching >= datapointsToAlarm) return "ALARM";
            // The oldest breaching point is at least M periods old and nothing newer is good.
            const oldest = real[real.length - 1];
            return breaching === real.length && oldest.slot + 1 >= datapointsToAlarm
                ? "ALARM"
                : "OK";
        }
    }
}

/**
 * Whether each of the alarm's Evaluation Periods most recent buckets holds a datapoint
 * available at `now`: what ends a warm-up early.
 */
export function windowFilled(alarm: MetricAlarmSpec, points: readonly Datapoint[], now: number) {
    const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
    const end = Math.floor(now / step) * step;
    const period = alarm.period * 1000;
    const filled = new Set<number>();
    for (const p of points) {
        if (p.availableAt > now) continue;
        const j = Math.ceil((end - p.timestamp) / period) - 1;
        if (j >= 0 && j < alarm.evaluationPeriods) filled.add(j);
    }
    return filled.size === alarm.evaluationPeriods;
}

function aggregate(statistic: MetricAlarmSpec["statistic"], values: number[]): number {
    switch (statistic) {
        case "Maximum":
            return Math.max(...values);
        case "Minimum":
            return Math.min(...values);
        case "Sum":
            return values.reduce((a, b) => a + b, 0);
        case "Average":
            return values.reduce((a, b) => a + b, 0) / values.length;
        case "SampleCount":
            return values.length;
    }
}

function compare(op: MetricAlarmSpec["comparisonOperator"], v: number, t: number): boolean {
    switch (op) {
        case "GreaterThanOrEqualToThreshold":
            return v >= t;
        case "GreaterThanThreshold":
            return v > t;
        case "LessThanThreshold":
            return v < t;
        case "LessThanOrEqualToThreshold":
            return v <= t;
    }
}

/**
 * The points of a series sorted by timestamp that can count at `now`: those in the
 * evaluation range ending at the evaluation's step (what evaluateMetricAlarm and windowFilled
 * read; every other point they skip). Two binary searches instead of a scan of the whole run.
 */
export function pointsInRange(
    alarm: MetricAlarmSpec,
    sorted: readonly Datapoint[],
    now: number,
): readonly Datapoint[] {
    const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
    const end = Math.floor(now / step) * step;
    const from = end - (alarm.evaluationPeriods + EVALUATION_RANGE_EXTRA) * alarm.period * 1000;
    return sorted.slice(
        firstIndex(sorted, (t) => t >= from),
        firstIndex(sorted, (t) => t >= end),
    );
}

/** The first index whose timestamp meets `after` (monotone over a sorted series). */
function firstIndex(sorted: readonly Datapoint[], after: (timestamp: number) => boolean): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
        const mid = (low + high) >>> 1;
        if (after(sorted[mid].timestamp)) high = mid;
        else low = mid + 1;
    }
    return low;
}
