// The inputs of a region's PagingAlarms component.
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import type { Detection } from "./detection";

export interface PagingAlarmsArgs {
    /** Role and region of the observer (the cell) these alarms belong to. */
    readonly observer: ClusterRole;
    readonly region: string;
    readonly clusters: readonly ClusterRef[];
    readonly suffix: pulumi.Input<string>;
    readonly detection: Detection;
    /** Whether the monitor probes the data plane (without it nothing can say "cluster down"). */
    readonly dataPlaneProbe: boolean;
    /** Where ALARM and OK notifications go. */
    readonly topicArn: pulumi.Input<string>;
    /** Runbook URL without an anchor; each paging alarm links its own section. */
    readonly runbookUrl: string;
}
