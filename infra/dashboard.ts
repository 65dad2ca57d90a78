import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    monitorWidget,
    nativeWidget,
    observerWidget,
    summaryWidget,
    type Placement,
    type Widget,
} from "./dashboard-widgets";
import type { MonitoringDashboardArgs } from "./dashboard-args";

export type { MonitoringDashboardArgs } from "./dashboard-args";

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

/** A row of widgets, before they are placed. */
type Row = Omit<Widget, keyof Placement>[];

/** Widgets top to bottom: the pages, the verdict signals, the warnings, the machinery, the database. */
function dashboardWidgets(args: MonitoringDashboardArgs): Widget[] {
    const rows: Row[] = [
        ...overviewRows(args),
        ...signalRows(args),
        ...machineryRows(args),
        ...databaseRows(args),
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

/** What the dashboard shows and how to read it, then every alarm of this region. */
function overviewRows(args: MonitoringDashboardArgs): Row[] {
    const here = args.cells.find((c) => c.region === args.region)!;
    const [primary, secondary] = args.clusters;
    return [
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
    ];
}

/** The metrics the pages and warnings are made of, from both observers. */
function signalRows(args: MonitoringDashboardArgs): Row[] {
    return [
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
    ];
}

/** The monitors' own rounds, invocations and schedules, per region. */
function machineryRows(args: MonitoringDashboardArgs): Row[] {
    return [
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
    ];
}

/** The clusters' native metrics. */
function databaseRows(args: MonitoringDashboardArgs): Row[] {
    return [
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
}
