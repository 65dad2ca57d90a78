import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    type FailoverSignalMode,
    type MetricDimensions,
} from "../monitor-function/src/contract";

/**
 * The alarm a Route 53 health check follows for one cluster as one observer sees it, as plain
 * values. Route 53 does not follow an alarm's state: it reads the alarm's metric data stream
 * and applies the alarm's criteria itself
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html#dns-failover-determining-health-of-endpoints-cloudwatch),
 * and only for alarms on one standard-resolution metric with a plain statistic, no metric
 * math, no "M out of N" and no composite (no metric stream)
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-cloudwatch).
 * So the paging composites cannot drive it: the monitor emits FailoverSignal, 1 while this
 * observer holds the cluster down by agreement and no maintenance window in its Region holds
 * failover back, else 0, on every round, at standard resolution.
 */

/** The contract's metric the health checks follow. */
export const FAILOVER_SIGNAL = METRICS.failoverSignal;

/** Smallest and largest N (periods in a row at 1 before a health check turns unhealthy). */
export const FAILOVER_SIGNAL_PERIODS = { min: 1, max: 10 } as const;

/**
 * Period of the signal's alarms: the monitor's schedule period rounded up to whole minutes
 * (standard resolution counts minutes). Every period then holds at least one datapoint while
 * the monitor runs; a shorter one would hold none every other minute on a two-minute schedule,
 * and N of N could never be reached.
 */
export function failoverSignalPeriodSeconds(schedulePeriodSeconds: number): number {
    return 60 * Math.max(1, Math.ceil(schedulePeriodSeconds / 60));
}

export interface SignalAlarmDefinition {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: MetricDimensions;
    readonly statistic: "Maximum";
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly threshold: number;
    readonly comparisonOperator: "GreaterThanOrEqualToThreshold";
    readonly treatMissingData: "notBreaching";
}

/**
 * The alarm of one cluster (`identifier` in `clusterRegion`) seen from `observerRegion`:
 * Maximum ≥ 1 in each of N periods in a row (N of N, as Route 53 requires). Missing data does
 * not breach: a silent observer says nothing about the cluster.
 */
export function failoverSignalAlarm(input: {
    readonly identifier: string;
    readonly clusterRegion: string;
    readonly observerRegion: string;
    readonly periods: number;
    readonly periodSeconds: number;
}): SignalAlarmDefinition {
    return {
        namespace: METRIC_NAMESPACE,
        metricName: FAILOVER_SIGNAL.name,
        dimensions: metricDimensions(
            { identifier: input.identifier, region: input.clusterRegion },
            input.observerRegion,
        ),
        statistic: "Maximum",
        period: input.periodSeconds,
        evaluationPeriods: input.periods,
        datapointsToAlarm: input.periods,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
    };
}

/**
 * What the monitor is told to emit (its FAILOVER_SIGNAL variable): nothing without health
 * checks to follow it; with them, 0 during a maintenance or drill window in its region unless
 * `drillsMoveTraffic`, so a drill moves no traffic unless the user asks it to.
 */
export function failoverSignalMode(
    healthChecks: boolean,
    drillsMoveTraffic: boolean,
): FailoverSignalMode {
    if (!healthChecks) return "off";
    return drillsMoveTraffic ? "follow-in-maintenance" : "hold-in-maintenance";
}

/** Why `periods` cannot be N, or undefined when it can (the message names the config key). */
export function failoverSignalPeriodsProblem(periods: number): string | undefined {
    const { min, max } = FAILOVER_SIGNAL_PERIODS;
    if (Number.isInteger(periods) && periods >= min && periods <= max) return undefined;
    const shown = JSON.stringify(String(periods)).slice(0, 40);
    return `failoverSignalPeriods: ${shown} is not allowed; use a whole number from ${min} to ${max} (periods in a row the failover signal must hold before a health check turns unhealthy)`;
}
