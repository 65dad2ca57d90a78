/**
 * Which recovery point a restore drill restores: the newest completed one of the chosen
 * cluster in its region's vault, and, for a multi-Region restore, its identical copy in the
 * other region's vault. "Identical in this operation means the recovery points have the same
 * resource name and creation time"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-auroradsql.html#restore-auroradsql-faq).
 */
import type { BackupApi, ListRecoveryPointsInput, RecoveryPoint } from "./restore-clients";

/** A recovery point the drill can use: completed, with its ARN and times. */
export interface UsablePoint {
    readonly arn: string;
    readonly vault: string;
    readonly region: string;
    readonly resourceArn: string;
    readonly createdAt: Date;
    /** When the backup completed (its creation time if AWS gave none). */
    readonly completedAt: Date;
}

/** The request of one page, for the call and for the dry run. */
export const listInput = (vault: string, clusterArn: string): ListRecoveryPointsInput => ({
    BackupVaultName: vault,
    ByResourceArn: clusterArn,
});

/** Every recovery point of `clusterArn` in `vault`, page by page. */
async function listAll(backup: BackupApi, vault: string, clusterArn: string) {
    const points: RecoveryPoint[] = [];
    let NextToken: string | undefined;
    do {
        const page = await backup.listRecoveryPointsByBackupVault({
            ...listInput(vault, clusterArn),
            ...(NextToken ? { NextToken } : {}),
        });
        points.push(...(page.RecoveryPoints ?? []));
        NextToken = page.NextToken;
    } while (NextToken);
    return points;
}

function usable(
    point: RecoveryPoint,
    vault: string,
    region: string,
    clusterArn: string,
): UsablePoint | undefined {
    if (point.Status !== "COMPLETED" || !point.RecoveryPointArn || !point.CreationDate) {
        return undefined;
    }
    return {
        arn: point.RecoveryPointArn,
        vault,
        region,
        resourceArn: point.ResourceArn ?? clusterArn,
        createdAt: point.CreationDate,
        completedAt: point.CompletionDate ?? point.CreationDate,
    };
}

/** The newest completed recovery point of `clusterArn` in `vault`, if any. */
export async function newestRecoveryPoint(
    backup: BackupApi,
    vault: string,
    region: string,
    clusterArn: string,
): Promise<UsablePoint | undefined> {
    const points = (await listAll(backup, vault, clusterArn))
        .filter((p) => p.ResourceArn === undefined || p.ResourceArn === clusterArn)
        .flatMap((p) => usable(p, vault, region, clusterArn) ?? []);
    return points.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
}

/** The completed copy of `source` in `vault` (same resource, same creation time), if any. */
export async function identicalCopy(
    backup: BackupApi,
    vault: string,
    region: string,
    source: UsablePoint,
): Promise<UsablePoint | undefined> {
    const points = await listAll(backup, vault, source.resourceArn);
    return points
        .filter(
            (p) =>
                p.ResourceArn === source.resourceArn &&
                p.CreationDate?.getTime() === source.createdAt.getTime(),
        )
        .flatMap((p) => usable(p, vault, region, source.resourceArn) ?? [])[0];
}
