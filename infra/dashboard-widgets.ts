// The widget kinds of the DR dashboard and how each one is built from the monitored pair.
import * as pulumi from "@pulumi/pulumi";
import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    observerDimensions,
    pairId,
    type MetricKey,
} from "../monitor-function/src/contract";
import type { MonitoringDashboardArgs } from "./dashboard-args";
import type { MonitoringCell } from "./monitoring-cell";

/** A metric row: namespace, name, dimension name/value pairs, then rendering options. */
type MetricRow = [
    ...pulumi.Input<string>[],
    { region: string; label?: pulumi.Input<string>; stat?: string },
];

export interface Placement {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
}

interface MetricWidget extends Placement {
    readonly type: "metric";
    readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly view: "timeSeries";
        readonly stacked: false;
        readonly period: number;
        readonly stat: string;
        readonly metrics: pulumi.Input<MetricRow>[];
        readonly yAxis?: { readonly left: { readonly min: number; readonly max?: number } };
    };
}

interface AlarmWidget extends Placement {
    readonly type: "alarm";
    readonly properties: { readonly title: string; readonly alarms: pulumi.Input<string[]> };
}

interface TextWidget extends Placement {
    readonly type: "text";
    readonly properties: { readonly markdown: pulumi.Input<string> };
}

interface LogWidget extends Placement {
    readonly type: "log";
    readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly view: "table";
        readonly query: pulumi.Input<string>;
    };
}

export type Widget = MetricWidget | AlarmWidget | TextWidget | LogWidget;

/**
 * One line per (observer, cluster) for cluster-scoped metrics, or per observer for
 * observer-scoped ones; each observer's metrics live in its own region.
 */
export function observerWidget(
    args: MonitoringDashboardArgs,
    metrics: MetricKey[],
    title: string,
    stat: string,
    yAxis: { min: number; max?: number },
): Omit<MetricWidget, keyof Placement> {
    const [primary, secondary] = args.clusters;
    const pair = pulumi
        .all([primary.identifier, secondary.identifier])
        .apply(([p, s]) => pairId(p, s));
    const rows = metrics.flatMap((metric) =>
        args.cells.flatMap((observer): pulumi.Input<MetricRow>[] =>
            METRICS[metric].scope === "cluster"
                ? args.clusters.map((cluster) =>
                      cluster.identifier.apply((id): MetricRow => [
                          METRIC_NAMESPACE,
                          METRICS[metric].name,
                          ...Object.entries(
                              metricDimensions(
                                  { identifier: id, region: cluster.region },
                                  observer.region,
                              ),
                          ).flat(),
                          {
                              region: observer.region,
                              label: `${metrics.length > 1 ? `${METRICS[metric].name} ` : ""}${cluster.role} from ${observer.region}`,
                              stat,
                          },
                      ]),
                  )
                : [
                      pair.apply((p): MetricRow => [
                          METRIC_NAMESPACE,
                          METRICS[metric].name,
                          ...Object.entries(observerDimensions(p, observer.region)).flat(),
                          { region: observer.region, label: `observer ${observer.region}`, stat },
                      ]),
                  ],
        ),
    );
    return metricWidget(args.region, title, stat, rows, { left: yAxis });
}

/** The monitor's summary lines (latencies, reasons, heartbeat ages), from its own region's logs. */
export function summaryWidget(cell: MonitoringCell): Omit<LogWidget, keyof Placement> {
    return {
        type: "log",
        properties: {
            title: `Probe rounds seen from ${cell.region} (dr-probe-summary)`,
            region: cell.region,
            view: "table",
            query: pulumi.interpolate`SOURCE '${cell.logGroupName}' | fields @timestamp, rounds.0.clusters.0.role as c0, rounds.0.clusters.0.dataPlane as c0data, rounds.0.clusters.0.dataPlaneMs as c0ms, rounds.0.clusters.0.peerCommitAgeSeconds as c0peerAge, rounds.0.clusters.1.role as c1, rounds.0.clusters.1.dataPlane as c1data, rounds.0.clusters.1.dataPlaneMs as c1ms, rounds.0.clusters.1.peerCommitAgeSeconds as c1peerAge, rounds.0.clusters.0.controlPlane as c0control, rounds.0.clusters.1.controlPlane as c1control | filter message = "dr-probe-summary" | sort @timestamp desc | limit 20`,
        },
    };
}

function metricWidget(
    region: string,
    title: string,
    stat: string,
    metrics: pulumi.Input<MetricRow>[],
    yAxis?: MetricWidget["properties"]["yAxis"],
): Omit<MetricWidget, keyof Placement> {
    return {
        type: "metric",
        properties: {
            title,
            region,
            view: "timeSeries",
            stacked: false,
            period: 60,
            stat,
            metrics,
            ...(yAxis ? { yAxis } : {}),
        },
    };
}

/** The monitors' own Lambda, EventBridge and SQS metrics, one line per region. */
export function monitorWidget(
    args: MonitoringDashboardArgs,
    title: string,
    metrics: [namespace: string, name: string, stat: string][],
): Omit<MetricWidget, keyof Placement> {
    const rows = args.cells.flatMap((cell, i) =>
        metrics.map(([namespace, metricName, stat]): MetricRow => {
            const dimension: [string, pulumi.Output<string>] =
                namespace === "AWS/Lambda"
                    ? ["FunctionName", cell.functionName]
                    : namespace === "AWS/Events"
                      ? ["RuleName", args.schedules[i].ruleName]
                      : ["QueueName", args.schedules[i].deadLetterQueueName];
            return [
                namespace,
                metricName,
                ...dimension,
                { region: cell.region, label: `${metricName} ${cell.region}`, stat },
            ];
        }),
    );
    return metricWidget(args.region, title, "Sum", rows);
}

/** The clusters' native metrics, each from its own region. */
export function nativeWidget(
    args: MonitoringDashboardArgs,
    title: string,
    metrics: [name: string, stat: string][],
): Omit<MetricWidget, keyof Placement> {
    const rows = args.clusters.flatMap((cluster) =>
        metrics.map(([metricName, stat]): MetricRow => [
            "AWS/AuroraDSQL",
            metricName,
            "ClusterId",
            cluster.identifier,
            { region: cluster.region, label: `${metricName} ${cluster.role}`, stat },
        ]),
    );
    return metricWidget(args.region, title, "Sum", rows);
}
