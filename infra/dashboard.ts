import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    observerDimensions,
    pairId,
    type MetricKey,
} from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import type { MonitoringCell } from "./monitoring-cell";
import type { MonitorSchedule } from "./monitor-schedule";

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

interface LogWidget extends Placement {
    readonly type: "log";
    readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly view: "table";
        readonly query: pulumi.Input<string>;
    };
}

type Widget = MetricWidget | AlarmWidget | TextWidget | LogWidget;

export interface MonitoringDashboardArgs {
    /** Region the dashboard lives in (and whose alarms it lists). */
    readonly region: string;
    readonly dashboardName: pulumi.Input<string>;
    readonly clusters: readonly ClusterRef[];
    readonly witnessRegion: string;
    /** Both cells: the dashboard shows both observers, so it stays useful if one is dark. */
    readonly cells: readonly MonitoringCell[];
    readonly schedules: readonly MonitorSchedule[];
    readonly runbookUrl: string;
    /** Other alarms of this region to list with the cell's (drill guard, backups, failover). */
    readonly otherAlarmArns?: pulumi.Input<string[]>;
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

/** Widgets top to bottom: the pages, the verdict signals, the warnings, the machinery, the database. */
function dashboardWidgets(args: MonitoringDashboardArgs): Widget[] {
    const here = args.cells.find((c) => c.region === args.region)!;
    const [primary, secondary] = args.clusters;
    const rows: Omit<Widget, keyof Placement>[][] = [
        [
            {
                type: "text",
                properties: {
                    markdown: pulumi.interpolate`# Aurora DSQL disaster recovery, seen from ${args.region}\nPrimary **${primary.identifier}** (${primary.region}), secondary **${secondary.identifier}** (${secondary.region}), witness ${args.witnessRegion}. Each region's monitor commits a heartbeat through both clusters and reads the other monitor's. **ClusterVerdict**: no line = serving; 1 = this observer cannot read or commit through it but the other observer can (a path warning, never a page); 2 = neither can (pages "cluster down" after N of M rounds). Runbook: ${args.runbookUrl}`,
                },
            },
        ],
        [
            {
                type: "alarm",
                properties: {
                    title: `Alarms in ${args.region} (pages, their inputs, maintenance, drill guard, backups, failover)`,
                    alarms: pulumi
                        .all([here.alarmArns, args.otherAlarmArns ?? []])
                        .apply(([cell, other]) => [...cell, ...other]),
                },
            },
        ],
        [
            observerWidget(
                args,
                ["clusterVerdict", "failoverSignal"],
                "ClusterVerdict by observer (1 path warning, 2 cluster down); FailoverSignal (1 = Route 53 fails over, when its health checks are on)",
                "Maximum",
                { min: 0, max: 2 },
            ),
            observerWidget(
                args,
                ["monitorHealth", "peerMonitorSilent"],
                "MonitorHealth (1 sound, 0 own defect, gap = silent); PeerMonitorSilent (1 = the other region's monitor is silent)",
                "Minimum",
                { min: 0, max: 1 },
            ),
        ],
        [
            observerWidget(
                args,
                ["unreplicatedHeartbeats"],
                "Unreplicated heartbeats (consistency check: should stay empty)",
                "Maximum",
                { min: 0 },
            ),
            observerWidget(
                args,
                ["maintenanceWindow"],
                "Maintenance window open (pages suppressed)",
                "Maximum",
                { min: 0, max: 1 },
            ),
        ],
        [
            observerWidget(args, ["peeringMismatch"], "Peering not as declared", "Maximum", {
                min: 0,
                max: 1,
            }),
            observerWidget(
                args,
                ["controlPlaneFailure", "statusNotUsable"],
                "Warnings: GetCluster did not answer, or a status that cannot serve",
                "Sum",
                { min: 0 },
            ),
        ],
        args.cells.map((cell) => summaryWidget(cell)),
        [
            monitorWidget(args, "Monitor invocations, errors, throttles", [
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
            nativeWidget(args, "Transactions (dimension unconfirmed, see README)", [
                ["TotalTransactions", "Sum"],
                ["ReadOnlyTransactions", "Sum"],
            ]),
            nativeWidget(args, "OCC conflicts and query timeouts", [
                ["OccConflicts", "Sum"],
                ["QueryTimeouts", "Sum"],
            ]),
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
                height: index === 0 ? 3 : HEIGHT,
            } as Widget;
        }),
    );
}

/**
 * One line per (observer, cluster) for cluster-scoped metrics, or per observer for
 * observer-scoped ones; each observer's metrics live in its own region.
 */
function observerWidget(
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
function summaryWidget(cell: MonitoringCell): Omit<LogWidget, keyof Placement> {
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
function monitorWidget(
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
