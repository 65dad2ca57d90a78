/**
 * What the backups cost per month for an assumed stored size: full recovery points kept in
 * each region's vault, their copies in the other region's vault, and the inter-region
 * transfer of every copy. The alarms and keys are counted with the rest of the stack's
 * resources; prices are passed in (tools/docs-gen/prices.ts), so this stays pure.
 */
import { WEEK_MINUTES } from "./backup-schedule";
import type { BackupSettings } from "./backup-settings";

export interface BackupPrices {
    /** AWS Backup warm storage of Aurora DSQL recovery points, USD per GB-month. */
    readonly backupDsqlWarmPerGbMonth: number;
    /** Data transfer out to another AWS region, USD per GB (what a cross-region copy moves). */
    readonly interRegionTransferPerGb: number;
}

export interface BackupCostLine {
    readonly item: string;
    readonly quantity: string;
    readonly usd: number;
}

/** Minutes in a month as AWS prices it (730 hours). */
const MONTH_MINUTES = 730 * 60;
const REGIONS = 2;

/**
 * Aurora DSQL backups are always full backups
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-aurora.html), so every
 * recovery point is billed at the cluster's size. Each region backs up its own cluster (a
 * multi-region cluster needs a recovery point per region) and receives the other's copy, so
 * each vault holds twice the retained count. External backups are the team's bill: none here.
 */
export function backupMonthlyCost(
    settings: Pick<BackupSettings, "mode" | "retentionDays" | "cadence">,
    storedGb: number,
    prices: BackupPrices,
): BackupCostLine[] {
    if (settings.mode !== "on") return [];
    const perMinute = settings.cadence.backupsPerWeek / WEEK_MINUTES;
    const retained = Math.ceil(settings.retentionDays * 1440 * perMinute);
    const storedPoints = REGIONS * 2 * retained;
    const copiesPerMonth = REGIONS * MONTH_MINUTES * perMinute;
    const gb = (n: number) => `${Number((n * storedGb).toFixed(1))} GB`;
    return [
        {
            item: "Backup storage (both regions, with copies)",
            quantity: `${storedPoints} recovery points × ${storedGb} GB = ${gb(storedPoints)}-month`,
            usd: storedPoints * storedGb * prices.backupDsqlWarmPerGbMonth,
        },
        {
            item: "Backup copies across regions",
            quantity: `${Number(copiesPerMonth.toFixed(1))} copies × ${storedGb} GB = ${gb(copiesPerMonth)}`,
            usd: copiesPerMonth * storedGb * prices.interRegionTransferPerGb,
        },
    ];
}
