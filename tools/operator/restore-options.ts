/**
 * What a restore drill is given: the stack outputs it needs, its options and their defaults,
 * and where the restore goes.
 */
import { CLUSTER_ROLES, type ClusterRole } from "../../monitor-function/src/contract";
import { Refusal } from "./errors";
import type { ByRole, StackOutputs } from "./outputs";
import type { RestoreTarget, RestoreTopology } from "./restore-job";

/** The stack outputs a restore drill needs besides the fault drill's. */
export interface RestoreOutputs extends StackOutputs {
    /** Each cluster region's backup vault. */
    readonly backupVaults: ByRole<string>;
    /** The role AWS Backup assumes for the stack's backups and restores. */
    readonly backupRoleArn: string;
}

export interface RestoreDrillOptions {
    /** Whose newest recovery point: the primary's (in its region) or the secondary's. */
    readonly region: ClusterRole;
    readonly topology: RestoreTopology;
    readonly dryRun: boolean;
    readonly pollSeconds: number;
    /** Aurora DSQL publishes no restore duration: a bound generous for small clusters. */
    readonly restoreTimeoutSeconds: number;
    readonly activeTimeoutSeconds: number;
    readonly proofTimeoutSeconds: number;
    /** How long before the backup the monitors' newest heartbeat may be. */
    readonly markerMaxAgeSeconds: number;
}

export const RESTORE_DEFAULTS: Omit<RestoreDrillOptions, "region"> = {
    topology: "pair",
    dryRun: false,
    pollSeconds: 30,
    restoreTimeoutSeconds: 4 * 3600,
    activeTimeoutSeconds: 15 * 60,
    proofTimeoutSeconds: 60,
    markerMaxAgeSeconds: 15 * 60,
};

/** Clock difference tolerated between the monitors' Lambda clocks and AWS Backup's. */
export const CLOCK_TOLERANCE_SECONDS = 5;

const other = (role: ClusterRole): ClusterRole => (role === "primary" ? "secondary" : "primary");

/** The outputs the drill needs, or a refusal naming what is missing. */
export function checkRestoreOutputs(outputs: StackOutputs): RestoreOutputs {
    const found = outputs as Partial<RestoreOutputs>;
    const problems = [
        ...CLUSTER_ROLES.filter((r) => !found.backupVaults?.[r]).map(
            (r) =>
                `backupVaults.${r}: the stack exports no backup vault for the ${r} region (backup off?)`,
        ),
        ...(found.backupRoleArn
            ? []
            : ["backupRoleArn: the stack exports no backup role (backup on only)"]),
    ];
    if (problems.length > 0) {
        throw new Refusal(`the stack cannot run a restore drill:\n  ${problems.join("\n  ")}`);
    }
    return outputs as RestoreOutputs;
}

/** Where the restore goes: the recovery point's region, and for a pair the other one. */
export function restoreTarget(
    outputs: RestoreOutputs,
    options: RestoreDrillOptions,
): RestoreTarget {
    const region = outputs.regions[options.region];
    return options.topology === "single"
        ? { topology: "single", region }
        : {
              topology: "pair",
              region,
              peerRegion: outputs.regions[other(options.region)],
              witnessRegion: outputs.witnessRegion,
          };
}
