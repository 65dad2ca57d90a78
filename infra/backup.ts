import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_ROLES, type ClusterRole } from "../monitor-function/src/contract";
import { BackupPages } from "./backup-alarms";
import { backupRolePolicy, vaultKeyPolicy } from "./backup-policies";
import {
    checkBackupSettings,
    type BackupSettings,
    type BackupSettingsInput,
} from "./backup-settings";
import type { BackupRpo } from "./backup-schedule";
import type { ClusterRef } from "./cluster-pair";
import { describeProblem } from "./config/problem";
import { serviceTrustPolicy } from "./policy-documents";

type ByRole<T> = Readonly<Record<ClusterRole, T>>;

export interface BackupProtectionArgs extends Omit<BackupSettingsInput, "mode"> {
    /** `on`: back the pair up here; `external`: only watch the team's own vaults. */
    readonly mode: "on" | "external";
    /** Both clusters of the pair (create, adopt or monitor-only: only their ARNs are used). */
    readonly clusters: readonly ClusterRef[];
    /** The pair's witness region (a multi-Region restore names it). */
    readonly witnessRegion: string;
    /**
     * One explicit provider per cluster region. They come as an argument, not as the
     * component's `providers` option: that option keeps one provider per package, so a second
     * aws provider would replace the first.
     */
    readonly providers: ByRole<aws.Provider>;
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    /** Protect vaults and their keys (Pulumi `protect`, no force-destroy, Vault Lock). */
    readonly deletionProtection: boolean;
    /** Each region's alert topic and maintenance alarm: the backup page goes where the others go. */
    readonly alertTopicArns: ByRole<pulumi.Input<string>>;
    readonly suppressorAlarmNames: ByRole<pulumi.Input<string>>;
    /** Runbook URL without an anchor; the page links its own section. */
    readonly runbookUrl: string;
}

/**
 * Backups of the pair with AWS Backup, and the page that says when they are failing or late.
 *
 * Per cluster region: a vault encrypted with its own customer-managed key, a plan whose one
 * rule backs up that region's cluster on the schedule and copies each recovery point to the
 * other region's vault (a multi-Region restore needs a recovery point and an identical copy in
 * a peer region, and a multi-Region cluster needs a backup per region:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-aurora.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-auroradsql.html#restore-auroradsql-multiregion),
 * and a selection of that cluster by ARN; one least-privilege role for both. A backup of an
 * IDLE or INACTIVE cluster fails (FailedPrecondition: "it must be in Active state",
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cluster-lifecycle.html): the
 * monitors' data-plane probe connects to both clusters every round, which keeps them ACTIVE;
 * with dataPlaneProbe off nothing does, and a failed backup pages.
 *
 * Cold storage is left out: AWS Backup lists it for a few resource types only and not for
 * Aurora DSQL, whose backups are always full
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html#features-by-resource).
 * Vault Lock applies to every recovery point of a vault, Aurora DSQL's included ("WORM
 * configuration for all the backups you store",
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/backup-aurora-dsql.html): with
 * deletion protection each vault gets a governance-mode lock at the retention, so no recovery
 * point is deleted early by anyone without the right to remove the lock
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html).
 *
 * The Aurora DSQL opt-in is account-wide and shared, so nothing here declares it
 * (backup-opt-in.ts gives the commands). `external` declares no vault, plan or selection:
 * the team backs up elsewhere, and only the page watches their vaults.
 */
export class BackupProtection extends pulumi.ComponentResource {
    public readonly settings: BackupSettings;
    public readonly rpo: BackupRpo;
    public readonly vaultNames: ByRole<pulumi.Output<string>>;
    /** The role AWS Backup assumes for these backups and for restores (`on` only). */
    public readonly roleArn?: pulumi.Output<string>;
    public readonly pageNames: ByRole<pulumi.Output<string>>;
    public readonly pageArns: ByRole<pulumi.Output<string>>;
    public readonly alarmArns: ByRole<pulumi.Output<string[]>>;

    constructor(name: string, args: BackupProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:backup:Protection", name, { mode: args.mode }, opts);
        const settings = checkBackupSettings({
            mode: args.mode,
            schedule: args.schedule,
            startWindowMinutes: args.startWindowMinutes,
            completionWindowMinutes: args.completionWindowMinutes,
            retentionDays: args.retentionDays,
            externalVaults: args.externalVaults,
        });
        if (Array.isArray(settings)) {
            throw new Error(
                `BackupProtection ${name}: ${settings.map(describeProblem).join("; ")}`,
            );
        }
        this.settings = settings;
        this.rpo = settings.rpo;
        const declared = args.mode === "on" ? this.declareBackups(name, args) : undefined;
        this.roleArn = declared?.roleArn;
        this.vaultNames =
            declared?.vaultNames ?? byRole((role) => pulumi.output(args.externalVaults![role]!));

        const pages = byRole(
            (role) =>
                new BackupPages(
                    `${name}-${role}-pages`,
                    {
                        role,
                        region: clusterOf(args, role).region,
                        suffix: args.suffix,
                        vaultName: this.vaultNames[role],
                        peerVaultName: this.vaultNames[other(role)],
                        rpo: settings.rpo,
                        topicArn: args.alertTopicArns[role],
                        suppressorName: args.suppressorAlarmNames[role],
                        runbookUrl: args.runbookUrl,
                    },
                    { parent: this, providers: [args.providers[role]] },
                ),
        );
        this.pageNames = byRole((role) => pages[role].pageName);
        this.pageArns = byRole((role) => pages[role].pageArn);
        this.alarmArns = byRole((role) => pages[role].alarmArns);
        this.registerOutputs({ vaultNames: this.vaultNames, pageNames: this.pageNames });
    }

    /** Keys, vaults, locks, the role, plans with their copy rule, and selections. */
    private declareBackups(name: string, args: BackupProtectionArgs) {
        const inPrimary = { parent: this, provider: args.providers.primary };
        const scope: Scope = {
            name,
            args,
            partition: aws.getPartitionOutput({}, inPrimary).partition,
            account: aws.getCallerIdentityOutput({}, inPrimary).accountId,
            physical: (role?: ClusterRole) =>
                role
                    ? pulumi.interpolate`dr-backup-${args.suffix}-${role}`
                    : pulumi.interpolate`dr-backup-${args.suffix}`,
            at: (role: ClusterRole) => ({ parent: this, provider: args.providers[role] }),
        };
        const stores = byRole((role) => this.declareVault(scope, role));
        const { role, rolePolicy } = this.declareRole(scope, stores);
        for (const side of CLUSTER_ROLES) {
            this.declarePlan(scope, side, stores, role, rolePolicy);
        }
        return { roleArn: role.arn, vaultNames: byRole((r) => stores[r].vault.name) };
    }

    /** A region's key and vault; with deletion protection, both protected and the vault locked. */
    private declareVault(scope: Scope, role: ClusterRole): Store {
        const { name, args, physical } = scope;
        const kept = { ...scope.at(role), protect: args.deletionProtection };
        const key = new aws.kms.Key(
            `${name}-${role}-key`,
            {
                description: pulumi.interpolate`Encrypts the recovery points in backup vault ${physical(role)}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.jsonStringify(
                    vaultKeyPolicy(scope.partition, scope.account, clusterOf(args, role).region),
                ),
            },
            kept,
        );
        new aws.kms.Alias(
            `${name}-${role}-key-alias`,
            { name: pulumi.interpolate`alias/${physical(role)}`, targetKeyId: key.keyId },
            scope.at(role),
        );
        const vault = new aws.backup.Vault(
            `${name}-${role}-vault`,
            {
                name: physical(role),
                kmsKeyArn: key.arn,
                // Without deletion protection (dev), destroy removes the recovery points too.
                forceDestroy: !args.deletionProtection,
            },
            kept,
        );
        if (args.deletionProtection) {
            // Governance mode (no changeableForDays): removable by whoever may remove it.
            new aws.backup.VaultLockConfiguration(
                `${name}-${role}-vault-lock`,
                { backupVaultName: vault.name, minRetentionDays: args.retentionDays },
                kept,
            );
        }
        return { key, vault };
    }

    /** The one role AWS Backup assumes, for this account only, scoped to the pair and vaults. */
    private declareRole(scope: Scope, stores: ByRole<Store>) {
        const { name, args, partition, account } = scope;
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: scope.physical(),
                description: "AWS Backup: backs up, copies and restores the Aurora DSQL pair only",
                assumeRolePolicy: pulumi.jsonStringify(
                    serviceTrustPolicy("backup.amazonaws.com", account),
                ),
            },
            scope.at("primary"),
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify(
                    backupRolePolicy({
                        partition,
                        account,
                        regions: args.clusters.map((c) => c.region),
                        witnessRegion: args.witnessRegion,
                        clusterArns: args.clusters.map((c) => c.arn),
                        vaultArns: CLUSTER_ROLES.map((r) => stores[r].vault.arn),
                        keyArns: CLUSTER_ROLES.map((r) => stores[r].key.arn),
                    }),
                ),
            },
            scope.at("primary"),
        );
        return { role, rolePolicy };
    }

    /** A region's plan (one rule, copied to the other vault) and its selection of its cluster. */
    private declarePlan(
        scope: Scope,
        side: ClusterRole,
        stores: ByRole<Store>,
        role: aws.iam.Role,
        rolePolicy: aws.iam.RolePolicy,
    ): void {
        const { name, args, physical } = scope;
        const lifecycle = { deleteAfter: args.retentionDays };
        const plan = new aws.backup.Plan(
            `${name}-${side}-plan`,
            {
                name: physical(side),
                rules: [
                    {
                        ruleName: `dr-backup-${side}`,
                        targetVaultName: stores[side].vault.name,
                        schedule: args.schedule,
                        startWindow: args.startWindowMinutes,
                        completionWindow: args.completionWindowMinutes,
                        lifecycle,
                        copyActions: [
                            { destinationVaultArn: stores[other(side)].vault.arn, lifecycle },
                        ],
                    },
                ],
            },
            scope.at(side),
        );
        new aws.backup.Selection(
            `${name}-${side}-selection`,
            {
                name: physical(side),
                planId: plan.id,
                iamRoleArn: role.arn,
                resources: [clusterOf(args, side).arn],
            },
            // The role may back up before the first scheduled job runs.
            { ...scope.at(side), dependsOn: [rolePolicy] },
        );
    }
}

/** What every declaration of the component shares. */
interface Scope {
    readonly name: string;
    readonly args: BackupProtectionArgs;
    readonly partition: pulumi.Output<string>;
    readonly account: pulumi.Output<string>;
    /** dr-backup-<suffix>[-<role>]. */
    readonly physical: (role?: ClusterRole) => pulumi.Output<string>;
    /** Options of a child in a region. */
    readonly at: (role: ClusterRole) => pulumi.CustomResourceOptions;
}

/** A region's vault and the key that encrypts it. */
interface Store {
    readonly key: aws.kms.Key;
    readonly vault: aws.backup.Vault;
}

const byRole = <T>(make: (role: ClusterRole) => T): ByRole<T> =>
    Object.fromEntries(CLUSTER_ROLES.map((role) => [role, make(role)])) as Record<ClusterRole, T>;

const other = (role: ClusterRole): ClusterRole => (role === "primary" ? "secondary" : "primary");

function clusterOf(args: BackupProtectionArgs, role: ClusterRole): ClusterRef {
    const cluster = args.clusters.find((c) => c.role === role);
    if (!cluster) throw new Error(`BackupProtection: no ${role} cluster among the clusters given`);
    return cluster;
}
