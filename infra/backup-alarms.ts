import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import { formatMinutes, type BackupRpo } from "./backup-schedule";
import { pageAlarm } from "./paging-alarm-factory";

/** Anchor of the runbook section the backup page links to (docs/runbook.md). */
export const BACKUP_RUNBOOK_ANCHOR = "page-backup";

/**
 * The backup page's name in a region, known before it exists: the maintenance close-out and
 * the fault drill's guard of that region can name it without waiting for it.
 */
export const backupPageName = (suffix: pulumi.Input<string>, role: ClusterRole) =>
    pulumi.interpolate`dr-page-${suffix}-backup-${role}`;

/**
 * AWS Backup's CloudWatch metrics: namespace AWS/Backup, published every 5 minutes and only
 * when the value is not zero; their example dimensions are the resource type and the vault
 * name, a copy job's vault being its destination vault
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html). AWS does not list
 * which dimension sets it publishes ("More dimensions are available"), so every signal sums the
 * vault's series and the vault's Aurora DSQL series: metric math counts a missing series as 0
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html), so
 * the sum is right whichever set is published, and is missing only when both are.
 *
 * Metrics, not EventBridge events: AWS Backup sends its events "in a best-effort manner every
 * 5 minutes" (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html), and
 * an event cannot say that nothing happened; a metric alarm can, it fits the composite and
 * suppressor scheme of the other pages, and it needs no rule, target or topic policy.
 */
const NAMESPACE = "AWS/Backup";
export const DSQL_RESOURCE_TYPE = "DSQL";

export interface BackupPagesArgs {
    /** Region role of the vault (and of the topic and suppressor) these alarms watch. */
    readonly role: ClusterRole;
    readonly region: string;
    readonly suffix: pulumi.Input<string>;
    /** The vault that receives this region's backups, and the other region's vault. */
    readonly vaultName: pulumi.Input<string>;
    readonly peerVaultName: pulumi.Input<string>;
    readonly rpo: BackupRpo;
    /** Where ALARM and OK notifications go: the region's alert topic. */
    readonly topicArn: pulumi.Input<string>;
    /** The region's maintenance alarm: a window silences the page, as every other page. */
    readonly suppressorName: pulumi.Input<string>;
    readonly runbookUrl: string;
}

/** When one child signal breaches, and which AWS Backup metrics it sums. */
export interface SignalCondition {
    readonly detail: "backup-failed" | "copy-failed" | "recovery-point-too-old";
    readonly metrics: readonly string[];
    readonly comparison: "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly missing: "breaching" | "notBreaching";
    readonly warmUpMinutes?: number;
}

/** A condition with its description and the vaults its metrics are read for. */
interface Signal extends SignalCondition {
    readonly description: pulumi.Input<string>;
    readonly vaults: readonly pulumi.Input<string>[];
}

/**
 * The RPO page of one region: "backup" when a backup or copy job of the pair failed or
 * expired, or when no backup of this region's cluster completed within the worst-case RPO.
 * Child metric alarms carry no actions; the composite notifies ALARM and OK on the region's
 * topic and is held back by the region's maintenance alarm, like every other page.
 */
export class BackupPages extends pulumi.ComponentResource {
    public readonly pageName: pulumi.Output<string>;
    public readonly pageArn: pulumi.Output<string>;
    /** The page and its children, for the dashboard. */
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: BackupPagesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:backup:Pages", name, {}, opts);
        const { role, region, rpo } = args;
        const physical = (kind: string, detail: string) =>
            pulumi.interpolate`dr-${kind}-${args.suffix}-${detail}-${role}`;
        const children = backupSignals(args).map((signal) =>
            signalAlarm(`${name}-${signal.detail}`, physical("signal", signal.detail), signal, {
                parent: this,
            }),
        );
        const rule = pulumi
            .all(children.map((c) => c.name))
            .apply((names) => names.map((n) => `ALARM("${n}")`).join(" OR "));
        // Like every other page: ALARM and OK on the region's topic, held by its maintenance alarm.
        const page = pageAlarm(`${name}-page`, this, {
            alarmName: backupPageName(args.suffix, role),
            alarmDescription: pulumi.interpolate`PAGE: backups of the ${role} cluster (${region}) failed or are late, so the newest data a restore could bring back after a DROP TABLE or bad migration may be older than the RPO of ${formatMinutes(rpo.pageMinutes)}; replication copies such mistakes to both clusters. First check: aws backup list-backup-jobs --by-backup-vault-name ${args.vaultName} --region ${region} (state, status message; FailedPrecondition: the cluster was IDLE or INACTIVE), then list-copy-jobs, then the DSQL opt-in (describe-region-settings). Runbook: ${args.runbookUrl}#${BACKUP_RUNBOOK_ANCHOR}`,
            alarmRule: rule,
            topicArn: args.topicArn,
            suppressorName: args.suppressorName,
        });
        this.pageName = page.alarmName;
        this.pageArn = page.arn;
        this.alarmArns = pulumi.all([page.arn, ...children.map((c) => c.arn)]);
        this.registerOutputs({ pageName: this.pageName });
    }
}

/** Hours a failed job keeps the page up: about one schedule gap, at most a day. */
export function failureWindowHours(rpo: BackupRpo): number {
    return Math.min(24, Math.ceil(rpo.longestGapMinutes / 60));
}

/** The three signals of a region's backups, as CloudWatch will evaluate them. */
export function backupSignalConditions(rpo: BackupRpo): SignalCondition[] {
    // A failure stays visible for about one schedule gap (one failed datapoint in the last
    // `hours` hourly periods), so the page clears once a whole gap passed without another
    // failure, not 5 minutes after it (the metric is published only while it is not zero).
    const failed = {
        comparison: "GreaterThanOrEqualToThreshold",
        periodSeconds: 3600,
        evaluationPeriods: failureWindowHours(rpo),
        datapointsToAlarm: 1,
        missing: "notBreaching",
    } as const;
    const rpoHours = Math.ceil(rpo.worstCaseMinutes / 60);
    return [
        {
            ...failed,
            detail: "backup-failed",
            metrics: ["NumberOfBackupJobsFailed", "NumberOfBackupJobsExpired"],
        },
        { ...failed, detail: "copy-failed", metrics: ["NumberOfCopyJobsFailed"] },
        {
            detail: "recovery-point-too-old",
            metrics: ["NumberOfBackupJobsCompleted"],
            comparison: "LessThanThreshold",
            // Every hour of the RPO without a completed job, rather than one period as long as
            // the RPO: CloudWatch reads a few periods beyond the evaluation periods and, while
            // the range holds a datapoint, evaluates that one; with a period of a whole RPO, a
            // backup one or two RPOs old would still hold the alarm OK
            // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
            // So it pages a little after the RPO (whole hours, and those extra periods), never before.
            periodSeconds: 3600,
            evaluationPeriods: rpoHours,
            datapointsToAlarm: rpoHours,
            missing: "breaching",
            // A new alarm is evaluated at once; with missing data breaching it would page before
            // the first scheduled backup. The warm-up keeps it quiet for one RPO and ends as soon
            // as a datapoint exists (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html).
            warmUpMinutes: rpo.worstCaseMinutes,
        },
    ];
}

/** Each condition with the vaults it watches and what it says. */
function backupSignals(args: BackupPagesArgs): Signal[] {
    const { rpo, region, vaultName, peerVaultName } = args;
    const hours = failureWindowHours(rpo);
    const [backupFailed, copyFailed, tooOld] = backupSignalConditions(rpo);
    return [
        {
            ...backupFailed,
            vaults: [vaultName],
            description: pulumi.interpolate`A backup job into vault ${vaultName} (${region}) failed, or expired before it could start, in the last ${hours} h`,
        },
        {
            ...copyFailed,
            // A copy job's metrics name its destination vault: copies to the other region and
            // copies from it are both watched here, wherever AWS publishes them.
            vaults: [vaultName, peerVaultName],
            description: pulumi.interpolate`A copy job between vaults ${vaultName} and ${peerVaultName} failed in the last ${hours} h (seen from ${region})`,
        },
        {
            ...tooOld,
            vaults: [vaultName],
            description: pulumi.interpolate`No backup job into vault ${vaultName} (${region}) completed in the last ${formatMinutes(rpo.worstCaseMinutes)} (schedule gap + start and completion windows + margin)`,
        },
    ];
}

/** Each series with the vault alone, and with the vault and Aurora DSQL's resource type. */
const DIMENSION_SETS: Record<string, string>[] = [{}, { ResourceType: DSQL_RESOURCE_TYPE }];

/** One child alarm: the sum of the signal's series, each with and without the DSQL dimension. */
function signalAlarm(
    logical: string,
    alarmName: pulumi.Output<string>,
    signal: Signal,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    const series = signal.metrics.flatMap((metric) =>
        signal.vaults.map((vault) => ({ metric, vault })),
    );
    const queries = series.flatMap((s, i) =>
        DIMENSION_SETS.map((extra, j) => ({
            id: `m${i}${j}`,
            returnData: false,
            metric: {
                namespace: NAMESPACE,
                metricName: s.metric,
                dimensions: pulumi
                    .output(s.vault)
                    .apply((v): Record<string, string> => ({ BackupVaultName: v, ...extra })),
                period: signal.periodSeconds,
                stat: "Sum",
            },
        })),
    );
    return new aws.cloudwatch.MetricAlarm(
        logical,
        {
            name: alarmName,
            alarmDescription: pulumi.interpolate`${signal.description} (input of a paging alarm; takes no action itself)`,
            metricQueries: [
                {
                    id: "total",
                    expression: queries.map((q) => q.id).join(" + "),
                    label: signal.detail,
                    returnData: true,
                },
                ...queries,
            ],
            comparisonOperator: signal.comparison,
            threshold: 1,
            evaluationPeriods: signal.evaluationPeriods,
            datapointsToAlarm: signal.datapointsToAlarm,
            treatMissingData: signal.missing,
            actionsEnabled: false,
            warmUpConfiguration: signal.warmUpMinutes
                ? { warmUpPeriodDurationInMinutes: signal.warmUpMinutes }
                : undefined,
        },
        opts,
    );
}
