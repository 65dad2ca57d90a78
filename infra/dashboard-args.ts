// The inputs of a region's MonitoringDashboard component.
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "./cluster-pair";
import type { MonitoringCell } from "./monitoring-cell";
import type { MonitorSchedule } from "./monitor-schedule";

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
