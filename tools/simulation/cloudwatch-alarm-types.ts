// The shapes the CloudWatch model evaluates: alarm states, datapoints, alarm specs and transitions.

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** A datapoint as the monitor emitted it, and from when CloudWatch can use it. */
export interface Datapoint {
    readonly metric: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly value: number;
    /** The datapoint's own timestamp (epoch ms). */
    readonly timestamp: number;
    /** When it became a metric CloudWatch can evaluate (epoch ms). */
    readonly availableAt: number;
}

export interface MetricAlarmSpec {
    readonly name: string;
    readonly region: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly statistic: "Maximum" | "Minimum" | "Sum" | "Average" | "SampleCount";
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly threshold: number;
    readonly comparisonOperator:
        | "GreaterThanOrEqualToThreshold"
        | "GreaterThanThreshold"
        | "LessThanThreshold"
        | "LessThanOrEqualToThreshold";
    readonly treatMissingData: "breaching" | "notBreaching" | "ignore" | "missing";
    /** Warm-up after creation (WarmUpConfiguration), if any. */
    readonly warmUp?: { readonly minutes: number; readonly onlyAfterEnd: boolean };
    /**
     * A metric math alarm adding these series (`m1 + m2 + …`, each the alarm's statistic over
     * its period; statistic Sum only). A period with no datapoint in any series is missing;
     * one series missing counts 0 ("missing values in a time series are treated as 0",
     * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html).
     * `metricName` and `dimensions` are then unused.
     */
    readonly sumOf?: readonly {
        readonly metricName: string;
        readonly dimensions: Readonly<Record<string, string>>;
    }[];
}

export interface CompositeAlarmSpec {
    readonly name: string;
    readonly region: string;
    readonly rule: string;
    /** Whether it notifies (it has alarm actions). */
    readonly notifies: boolean;
    readonly suppressor?: { alarm: string; waitPeriod: number; extensionPeriod: number };
}

/** One alarm state change, and one notification (an action taken). */
export interface Transition {
    readonly alarm: string;
    readonly at: number;
    readonly state: AlarmState;
}
