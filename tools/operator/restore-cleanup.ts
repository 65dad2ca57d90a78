/**
 * Deleting what a restore drill created, every time it ran far enough to create something,
 * and saying exactly what is left when a delete fails. Each cluster of a restored pair is
 * deleted on its own: a deleted peered cluster waits in PENDING_DELETE until its peer is
 * deleted too, so one failure must not stop the other's delete
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/configuring-multi-region-clusters.html).
 * Deletion protection is off on restored clusters (the drill asks so); if it is on anyway, it
 * is turned off first (https://docs.aws.amazon.com/aurora-dsql/latest/APIReference/API_UpdateCluster.html).
 */
import { describeError } from "./aws-errors";
import type { DsqlApi } from "./restore-clients";
import type { RestoredCluster } from "./restore-clusters";

/** Something the drill created and could not delete, with the commands that delete it. */
export interface Leftover {
    readonly what: string;
    readonly region: string;
    readonly error: string;
    readonly commands: readonly string[];
}

export interface Cleanup {
    /** ARNs whose delete was accepted. */
    readonly deleted: readonly string[];
    readonly leftovers: readonly Leftover[];
}

/** The commands that delete one cluster by hand. */
export function deleteCommands(cluster: RestoredCluster): string[] {
    const at = `--region ${cluster.region} --identifier ${cluster.identifier}`;
    return [
        `aws dsql update-cluster ${at} --no-deletion-protection-enabled`,
        `aws dsql delete-cluster ${at}`,
    ];
}

async function deleteOne(dsql: DsqlApi, cluster: RestoredCluster): Promise<void> {
    const { deletionProtectionEnabled } = await dsql.getCluster({ identifier: cluster.identifier });
    if (deletionProtectionEnabled) {
        await dsql.updateCluster({
            identifier: cluster.identifier,
            deletionProtectionEnabled: false,
        });
    }
    await dsql.deleteCluster({ identifier: cluster.identifier });
}

/** Deletes every cluster in `clusters`, each whatever happened to the others. */
export async function deleteRestored(
    dsql: (region: string) => DsqlApi,
    clusters: readonly RestoredCluster[],
): Promise<Cleanup> {
    const deleted: string[] = [];
    const leftovers: Leftover[] = [];
    for (const cluster of clusters) {
        try {
            await deleteOne(dsql(cluster.region), cluster);
            deleted.push(cluster.arn);
        } catch (error) {
            leftovers.push({
                what: `cluster ${cluster.arn}`,
                region: cluster.region,
                error: describeError(error),
                commands: deleteCommands(cluster),
            });
        }
    }
    return { deleted, leftovers };
}

/** A restore job still running when the drill gave up: what it creates must be deleted later. */
export function runningJobLeftover(jobId: string, region: string): Leftover {
    return {
        what: `restore job ${jobId}, still running: the clusters it creates`,
        region,
        // AWS Backup's API has no call that stops a restore job
        // (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Operations_AWS_Backup.html).
        error: "the drill stopped waiting before the job finished, and a restore job cannot be stopped",
        commands: [
            `aws backup describe-restore-job --region ${region} --restore-job-id ${jobId} --query '[Status,CreatedResourceArn]'`,
            `aws dsql get-cluster --region ${region} --identifier <identifier in CreatedResourceArn> --query multiRegionProperties.clusters`,
            `aws dsql delete-cluster --region <each cluster's region> --identifier <each cluster's identifier>`,
        ],
    };
}
