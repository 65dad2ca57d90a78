// The inputs of a region's MonitoringCell component.
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import type { StackConfig } from "./config";
import type { Detection } from "./detection";

export interface MonitoringCellArgs {
    /** Region role of this cell, used in names: "primary" | "secondary". */
    readonly role: ClusterRole;
    /** The region this cell (and its provider) lives in. */
    readonly region: string;
    /** Both clusters: every cell observes the pair, so one dark region cannot silence it. */
    readonly clusters: readonly ClusterRef[];
    readonly witnessRegion: string;
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    /** The monitor function's build output. */
    readonly code: pulumi.asset.Archive;
    /** The maintenance close-out's build output. */
    readonly closeoutCode: pulumi.asset.Archive;
    readonly config: StackConfig;
    readonly detection: Detection;
    /** Runbook URL the paging alarms link to (sections by anchor). */
    readonly runbookUrl: string;
    /** The monitor starts only after these (the peerings), when the pair is ACTIVE. */
    readonly startAfter: pulumi.Resource[];
    /** Pages of this region declared elsewhere (backups): the close-out resolves them too. */
    readonly otherPageNames?: pulumi.Input<string>[];
}
