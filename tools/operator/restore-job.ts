/**
 * The restore job of a drill: what StartRestoreJob is asked, and the bounded wait for it.
 *
 * A multi-Region restore runs in the region of the recovery point, names the peer region
 * (which holds the identical copy) and the witness, and sets each region's cluster up with
 * `regionalConfig`; "If regionalConfig properties are not specified, then default values will
 * be applied: default encryption and isDeletionProtectionEnabled = TRUE"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-auroradsql.html#restore-auroradsql-multiregion).
 * The drill's clusters are temporary, so deletion protection is off for each, and the
 * source's tags are not copied: the restored clusters must not pass for the pair.
 *
 * Which regions a multi-Region restore may span is documented in two ways: AWS Backup's
 * "Amazon Aurora DSQL backups" page lists triplets, the US one being us-east-1, us-east-2 and
 * us-west-1 (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-aurora.html), while
 * its restore page lists continent groups, Americas being us-east-1, us-east-2, us-west-2,
 * ca-west-1 and ca-central-1 (restore-auroradsql.html#restore-auroradsql-multiregion), and
 * Aurora DSQL's own guide pairs us-east-1, us-east-2 and us-west-2. The drill restores into
 * the stack's own two regions and witness, the set Aurora DSQL accepted for the pair; if AWS
 * Backup refuses it, the job fails with AWS's message and the drill reports it.
 */
import type { Clock } from "./clock";
import type { BackupApi, RestoreJobDescription, StartRestoreJobInput } from "./restore-clients";
import type { UsablePoint } from "./restore-points";

export type RestoreTopology = "pair" | "single";

/** Where the restore creates clusters. */
export interface RestoreTarget {
    readonly topology: RestoreTopology;
    /** The recovery point's region: the first cluster is created there. */
    readonly region: string;
    /** Pair only: the region of the identical copy, and the witness. */
    readonly peerRegion?: string;
    readonly witnessRegion?: string;
}

/** StartRestoreJob's metadata for Aurora DSQL (every value a string, JSON where AWS says so). */
export function restoreMetadata(target: RestoreTarget): Record<string, string> {
    const regions =
        target.topology === "pair" ? [target.region, target.peerRegion!] : [target.region];
    const regionalConfig = JSON.stringify(
        regions.map((region) => ({ region, isDeletionProtectionEnabled: false })),
    );
    if (target.topology === "single") return { regionalConfig };
    return {
        witnessRegion: target.witnessRegion!,
        useMultiRegionOrchestration: "true",
        peerRegion: JSON.stringify([target.peerRegion]),
        regionalConfig,
    };
}

export function startRestoreInput(
    point: UsablePoint,
    roleArn: string,
    target: RestoreTarget,
    token: string,
): StartRestoreJobInput {
    return {
        RecoveryPointArn: point.arn,
        IamRoleArn: roleArn,
        Metadata: restoreMetadata(target),
        IdempotencyToken: token,
        CopySourceTagsToRestoredResource: false,
    };
}

/** DescribeRestoreJob statuses after which nothing changes. */
const FINAL = new Set(["COMPLETED", "ABORTED", "FAILED"]);

export interface WaitBounds {
    readonly clock: Clock;
    readonly pollSeconds: number;
    readonly timeoutSeconds: number;
    /** Each status the job reports, once, for the timeline. */
    readonly onStatus: (job: RestoreJobDescription) => void;
    /** The operator's interrupt (Ctrl-C): stop waiting, so the drill can clean up. */
    readonly signal?: AbortSignal;
}

/** The job's final description, or its last one when the bound ran out or the wait was interrupted. */
export async function waitForRestoreJob(
    backup: BackupApi,
    jobId: string,
    bounds: WaitBounds,
): Promise<{ readonly job: RestoreJobDescription; readonly timedOut: boolean }> {
    const until = bounds.clock.now().getTime() + bounds.timeoutSeconds * 1000;
    let seen: string | undefined;
    for (;;) {
        const job = await backup.describeRestoreJob({ RestoreJobId: jobId });
        if (job.Status !== seen) {
            seen = job.Status;
            bounds.onStatus(job);
        }
        if (FINAL.has(job.Status ?? "")) return { job, timedOut: false };
        const outOfTime = bounds.clock.now().getTime() + bounds.pollSeconds * 1000 > until;
        if (outOfTime || bounds.signal?.aborted) return { job, timedOut: true };
        await bounds.clock.sleep(bounds.pollSeconds * 1000);
    }
}
