// The two kinds of alarm in a region's paging set (silent signals, paging composites) and what they share.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    observerDimensions,
    pairId,
    type MetricDimensions,
    type MetricKey,
    type ObserverDimensions,
} from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import { SUPPRESSOR_EXTENSION_SECONDS, SUPPRESSOR_WAIT_SECONDS } from "./detection";
import type { PagingAlarmsArgs } from "./paging-alarms-args";

/** Anchors of the runbook sections the paging alarms link to (docs/runbook.md). */
export const RUNBOOK_ANCHORS = {
    clusterDown: "page-cluster-down",
    consistency: "page-consistency-check-failed",
    peering: "page-peering-not-as-declared",
    monitor: "page-monitor-silent-or-broken",
    peerMonitor: "page-other-monitor-silent",
} as const;

type Comparison = "GreaterThanOrEqualToThreshold" | "LessThanThreshold";

/** When a signal alarm is in ALARM. */
export interface SignalCondition {
    readonly comparison: Comparison;
    readonly threshold: number;
    readonly period: number;
    readonly datapoints: number;
    readonly periods: number;
    readonly missing: "breaching" | "notBreaching";
    /** Minutes after creation during which it stays INSUFFICIENT_DATA. */
    readonly warmUpMinutes?: number;
}

/** A page and the signal alarms its rule reads. */
export interface DeclaredPage {
    readonly alarm: aws.cloudwatch.CompositeAlarm;
    /** Its inputs, in the order the dashboard lists them. */
    readonly signals: aws.cloudwatch.MetricAlarm[];
}

/** Declares the alarms of one region's paging set, all children of the same component. */
export interface PagingAlarmFactory {
    readonly args: PagingAlarmsArgs;
    /** Physical alarm name: dr-<kind>-<suffix>-<detail>. */
    physical(kind: string, detail: string): pulumi.Output<string>;
    /** Dimensions of a cluster-scoped metric this observer emits. */
    clusterDims(cluster: ClusterRef): pulumi.Output<MetricDimensions>;
    /** Dimensions of an observer-scoped metric this observer emits. */
    readonly observerDims: pulumi.Output<ObserverDimensions>;
    /** The region's maintenance alarm: the actions suppressor of every page. */
    readonly suppressor: aws.cloudwatch.MetricAlarm;
    /** Where a page says it was seen from, for its description. */
    readonly seenFrom: string;
    runbookLink(anchor: string): string;
    signal(
        logical: string,
        alarmName: pulumi.Output<string>,
        description: string,
        metric: MetricKey,
        dimensions: pulumi.Input<Record<string, string>>,
        condition: SignalCondition,
    ): aws.cloudwatch.MetricAlarm;
    page(
        logical: string,
        detail: string,
        rule: pulumi.Input<string>,
        description: pulumi.Input<string>,
    ): aws.cloudwatch.CompositeAlarm;
}

/**
 * The factory of a PagingAlarms component named `name`, with its maintenance alarm declared:
 * raised by `./task maintenance` and drills, it expires by itself.
 */
export function pagingAlarmFactory(
    name: string,
    args: PagingAlarmsArgs,
    parent: pulumi.Resource,
): PagingAlarmFactory {
    const { observer, region } = args;
    const physical = (kind: string, detail: string) =>
        pulumi.interpolate`dr-${kind}-${args.suffix}-${detail}`;
    const pair = pulumi
        .all(args.clusters.map((c) => c.identifier))
        .apply(([primary, secondary]) => pairId(primary, secondary));
    const observerDims = pair.apply((p) => observerDimensions(p, region));
    const signal: PagingAlarmFactory["signal"] = (logical, ...rest) =>
        signalAlarm(`${name}-${logical}`, parent, ...rest);
    const suppressor = signal(
        "maintenance",
        physical("maintenance", observer),
        `A maintenance or drill window is open in ${region}: paging alarms here take no action`,
        "maintenanceWindow",
        observerDims,
        {
            comparison: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            period: args.detection.slowPeriodSeconds,
            datapoints: 1,
            periods: 1,
            missing: "notBreaching",
        },
    );
    return {
        args,
        physical,
        clusterDims: (cluster) =>
            cluster.identifier.apply((id) =>
                metricDimensions({ identifier: id, region: cluster.region }, region),
            ),
        observerDims,
        suppressor,
        seenFrom: `from ${region} (${observer} region)`,
        runbookLink: (anchor) => `Runbook: ${args.runbookUrl}#${anchor}`,
        signal,
        page: (logical, detail, rule, description) =>
            pageAlarm(`${name}-${logical}`, parent, {
                alarmName: physical("page", detail),
                alarmDescription: description,
                alarmRule: rule,
                topicArn: args.topicArn,
                suppressorName: suppressor.name,
            }),
    };
}

/** A child metric alarm over one monitor metric: no actions, only an input of pages. */
function signalAlarm(
    logical: string,
    parent: pulumi.Resource,
    alarmName: pulumi.Output<string>,
    description: string,
    metric: MetricKey,
    dimensions: pulumi.Input<Record<string, string>>,
    condition: SignalCondition,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        logical,
        {
            name: alarmName,
            alarmDescription: `${description} (input of a paging alarm; takes no action itself)`,
            namespace: METRIC_NAMESPACE,
            metricName: METRICS[metric].name,
            dimensions,
            statistic: condition.comparison === "LessThanThreshold" ? "Minimum" : "Maximum",
            period: condition.period,
            evaluationPeriods: condition.periods,
            datapointsToAlarm: condition.datapoints,
            threshold: condition.threshold,
            comparisonOperator: condition.comparison,
            treatMissingData: condition.missing,
            actionsEnabled: false,
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html
            warmUpConfiguration: condition.warmUpMinutes
                ? { warmUpPeriodDurationInMinutes: condition.warmUpMinutes }
                : undefined,
        },
        { parent },
    );
}

/** A composite alarm that notifies ALARM and OK on the topic, silenced by the suppressor. */
export function pageAlarm(
    logical: string,
    parent: pulumi.Resource,
    page: {
        alarmName: pulumi.Input<string>;
        alarmDescription: pulumi.Input<string>;
        alarmRule: pulumi.Input<string>;
        topicArn: pulumi.Input<string>;
        suppressorName: pulumi.Input<string>;
    },
): aws.cloudwatch.CompositeAlarm {
    return new aws.cloudwatch.CompositeAlarm(
        logical,
        {
            alarmName: page.alarmName,
            alarmDescription: page.alarmDescription,
            alarmRule: page.alarmRule,
            alarmActions: [page.topicArn],
            okActions: [page.topicArn],
            actionsSuppressor: {
                alarm: page.suppressorName,
                waitPeriod: SUPPRESSOR_WAIT_SECONDS,
                extensionPeriod: SUPPRESSOR_EXTENSION_SECONDS,
            },
        },
        { parent },
    );
}
