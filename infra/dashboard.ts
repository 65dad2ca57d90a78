import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    type MetricKey,
} from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import type { MonitoringCell } from "./monitoring-cell";

/** A metric row: namespace, name, dimension name/value pairs, then rendering options. */
type MetricRow = [
    ...pulumi.Input<string>[],
    { region: string; label?: pulumi.Input<string>; stat?: string },
];

interface Placement {
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

type Widget = MetricWidget | AlarmWidget | TextWidget;

export interface MonitoringDashboardArgs {
    /** Region the dashboard lives in (and whose alarms it lists). */
    readonly region: string;
    readonly dashboardName: pulumi.Input<string>;
    readonly clusters: readonly ClusterRef[];
    readonly witnessRegion: string;
    /** Both cells: the dashboard shows both observers, so it stays useful if one is dark. */
    readonly cells: readonly MonitoringCell[];
}

/**
 * One dashboard per region, so each stays reachable when the other region is down: both
 * clusters as seen from both observers, both monitors and schedules, the local alarms,
 * and the clusters' native AWS/AuroraDSQL metrics.
 */
export class MonitoringDashboard extends pulumi.ComponentResource {
    public readonly dashboardName: pulumi.Output<string>;
    public readonly url: pulumi.Output<string>;

    constructor(
        name: string,
        args: MonitoringDashboardArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("aurora-dsql-dr:monitoring:Dashboard", name, {}, opts);
        const dashboard = new aws.cloudwatch.Dashboard(
            name,
            {
                dashboardName: args.dashboardName,
                dashboardBody: pulumi.jsonStringify({ widgets: dashboardWidgets(args) }),
            },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.url = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${dashboard.dashboardName}`;
        this.registerOutputs({ dashboardName: this.dashboardName, url: this.url });
    }
}

const FULL = 24;
const HALF = 12;
const HEIGHT = 6;

/** Widgets top to bottom: the verdicts first, then the machinery, then the database. */
function dashboardWidgets(args: MonitoringDashboardArgs): Widget[] {
    const rows: Omit<Widget, keyof Placement>[][] = [
        [
            {
                type: "text",
                properties: {
                    markdown: pulumi.interpolate`# Aurora DSQL disaster recovery\nPrimary **${args.clusters[0].identifier}** (${args.clusters[0].region}), secondary **${args.clusters[1].identifier}** (${args.clusters[1].region}), witness ${args.witnessRegion}. Health is 1 when the cluster is usable from the observer; a missing line means that observer stopped reporting. Runbook: docs/runbook.md.`,
                },
            },
        ],
        [
            probeWidget(
                args,
                "clusterHealth",
                "Cluster health (1 = usable), by observer",
                "Minimum",
            ),
            probeWidget(
                args,
                "peeringHealth",
                "Peering health (1 = witness and peer as expected)",
                "Minimum",
            ),
        ],
        [
            probeWidget(args, "controlPlaneLatency", "GetCluster latency (ms)", "Maximum"),
            probeWidget(args, "dataPlaneLatency", "SQL probe latency (ms)", "Maximum"),
        ],
        [
            {
                type: "alarm",
                properties: {
                    title: `Alarms in ${args.region}`,
                    alarms: args.cells.find((c) => c.region === args.region)!.alarmArns,
                },
            },
        ],
        [
            monitorWidget(args, "Monitor invocations and errors", [
                ["AWS/Lambda", "Invocations", "Sum"],
                ["AWS/Lambda", "Errors", "Sum"],
                ["AWS/Lambda", "Throttles", "Sum"],
            ]),
            monitorWidget(args, "Monitor duration (ms)", [["AWS/Lambda", "Duration", "Maximum"]]),
        ],
        [
            monitorWidget(args, "Schedule invocations and failures", [
                ["AWS/Events", "Invocations", "Sum"],
                ["AWS/Events", "FailedInvocations", "Sum"],
            ]),
            monitorWidget(args, "Dead-letter queue depth", [
                ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum"],
            ]),
        ],
        [
            nativeWidget(args, "Transactions", [
                ["TotalTransactions", "Sum"],
                ["ReadOnlyTransactions", "Sum"],
            ]),
            nativeWidget(args, "Commit latency P50 (ms)", [["CommitLatency", "Average"]]),
        ],
        [
            nativeWidget(args, "OCC conflicts and query timeouts", [
                ["OccConflicts", "Sum"],
                ["QueryTimeouts", "Sum"],
            ]),
            nativeWidget(args, "Distributed processing units", [["TotalDPU", "Sum"]]),
        ],
    ];
    return rows.flatMap((row, index) =>
        row.map((widget, column) => {
            const width = row.length === 1 ? FULL : HALF;
            return {
                ...widget,
                x: column * width,
                y: index * HEIGHT,
                width,
                height: index === 0 ? 2 : HEIGHT,
            } as Widget;
        }),
    );
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

/** One line per (observer, cluster): the metric from each observer carries its region. */
function probeWidget(
    args: MonitoringDashboardArgs,
    metric: MetricKey,
    title: string,
    stat: string,
): Omit<MetricWidget, keyof Placement> {
    const rows = args.cells.flatMap((observer) =>
        args.clusters.map((cluster) =>
            cluster.identifier.apply((id): MetricRow => [
                METRIC_NAMESPACE,
                METRICS[metric].name,
                ...Object.entries(
                    metricDimensions({ identifier: id, region: cluster.region }, observer.region),
                ).flat(),
                { region: observer.region, label: `${cluster.role} from ${observer.region}`, stat },
            ]),
        ),
    );
    const isHealth = metric === "clusterHealth" || metric === "peeringHealth";
    return metricWidget(
        args.region,
        title,
        stat,
        rows,
        isHealth ? { left: { min: 0, max: 1 } } : undefined,
    );
}

/** The monitors' own Lambda, EventBridge and SQS metrics, one line per region. */
function monitorWidget(
    args: MonitoringDashboardArgs,
    title: string,
    metrics: [namespace: string, name: string, stat: string][],
): Omit<MetricWidget, keyof Placement> {
    const rows = args.cells.flatMap((cell) =>
        metrics.map(([namespace, metricName, stat]): MetricRow => {
            const dimension: [string, pulumi.Output<string>] =
                namespace === "AWS/Lambda"
                    ? ["FunctionName", cell.functionName]
                    : namespace === "AWS/Events"
                      ? ["RuleName", cell.ruleName]
                      : ["QueueName", cell.deadLetterQueueName];
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
function nativeWidget(
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
