/**
 * The backup role's policies and the vault keys' policy, as typed documents. Every action is
 * one that AWS's managed policies for AWS Backup grant for Aurora DSQL, narrowed to this
 * pair, its two vaults and their keys wherever the action has a resource type
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonauroradsql.html).
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alertKeyPolicy } from "./policy-documents";

type PolicyDocument = aws.types.input.iam.PolicyDocument;
type PolicyStatement = aws.types.input.iam.PolicyStatement;

/** What the role and the keys are scoped to. */
export interface BackupScope {
    readonly partition: pulumi.Input<string>;
    readonly account: pulumi.Input<string>;
    /** The two cluster regions: restores create the temporary clusters there. */
    readonly regions: readonly string[];
    /** The pair's witness region: a multi-Region restore names it for the new clusters. */
    readonly witnessRegion: string;
    readonly clusterArns: pulumi.Input<string>[];
    readonly vaultArns: pulumi.Input<string>[];
    readonly keyArns: pulumi.Input<string>[];
}

/**
 * AWSBackupServiceRolePolicyForBackup grants Aurora DSQL dsql:StartBackupJob, GetBackupJob,
 * StopBackupJob, GetCluster, ListClusters and ListTagsForResource
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html);
 * here they act on the pair only (ListClusters has no resource type). Its KMS statement for
 * Aurora DSQL serves clusters encrypted with a customer-managed key: the pair uses AWS-owned
 * keys, so it is left out. Its vault statements (DescribeBackupVault, CopyIntoBackupVault on
 * vaults; CopyFromBackupVault) let a copy rule move a recovery point between the two vaults.
 */
const BACKUP_ACTIONS = [
    "dsql:StartBackupJob",
    "dsql:GetBackupJob",
    "dsql:StopBackupJob",
    "dsql:GetCluster",
    "dsql:ListTagsForResource",
];

/**
 * AWSBackupServiceRolePolicyForRestores grants Aurora DSQL these, the last four added for
 * orchestrated multi-Region restores
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html).
 * A restore creates new clusters whose identifiers the service generates, so they are allowed
 * on the clusters of the two regions of this account; the pair itself is denied every one of
 * them that changes a cluster, so a restore can never touch it.
 */
const RESTORE_ACTIONS = [
    "dsql:StartRestoreJob",
    "dsql:GetRestoreJob",
    "dsql:StopRestoreJob",
    "dsql:TagResource",
    "dsql:CreateCluster",
    "dsql:PutMultiRegionProperties",
    "dsql:PutWitnessRegion",
    "dsql:UpdateCluster",
    "dsql:AddPeerCluster",
    "dsql:RemovePeerCluster",
    "dsql:GetCluster",
];
const CHANGES_A_CLUSTER = [
    "dsql:TagResource",
    "dsql:PutMultiRegionProperties",
    "dsql:PutWitnessRegion",
    "dsql:UpdateCluster",
    "dsql:AddPeerCluster",
    "dsql:RemovePeerCluster",
];

/**
 * The backup role: back up the pair, copy its recovery points between the two vaults, restore
 * them into new clusters of the two regions, and use the vault keys ("Your IAM role must have
 * access to the KMS key being used to back up and restore",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
 */
export function backupRolePolicy(scope: BackupScope): PolicyDocument {
    const inRegions = (service: string, account: pulumi.Input<string>, resource: string) =>
        scope.regions.map(
            (region) =>
                pulumi.interpolate`arn:${scope.partition}:${service}:${region}:${account}:${resource}`,
        );
    const statements: PolicyStatement[] = [
        {
            Sid: "BackUpThePair",
            Effect: "Allow",
            Action: BACKUP_ACTIONS,
            Resource: scope.clusterArns,
        },
        { Sid: "ListClusters", Effect: "Allow", Action: ["dsql:ListClusters"], Resource: "*" },
        {
            Sid: "RestoreIntoNewClusters",
            Effect: "Allow",
            Action: RESTORE_ACTIONS,
            Resource: inRegions("dsql", scope.account, "cluster/*"),
        },
        {
            // A multi-Region restore sets the new pair's witness: dsql:PutWitnessRegion is
            // authorized on a cluster ARN in the witness region too, as for CreateCluster
            // (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-multi-region-clusters.html).
            Sid: "NameTheWitness",
            Effect: "Allow",
            Action: ["dsql:PutWitnessRegion"],
            Resource: pulumi.interpolate`arn:${scope.partition}:dsql:${scope.witnessRegion}:${scope.account}:cluster/*`,
        },
        {
            Sid: "NeverChangeThePair",
            Effect: "Deny",
            Action: CHANGES_A_CLUSTER,
            Resource: scope.clusterArns,
        },
        {
            Sid: "CopyBetweenTheVaults",
            Effect: "Allow",
            Action: ["backup:DescribeBackupVault", "backup:CopyIntoBackupVault"],
            Resource: scope.vaultArns,
        },
        {
            // The recovery-point ARN format leaves the account open (arn:…:${Region}:*:…,
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html);
            // AWS Backup's own recovery points, in the two regions.
            Sid: "CopyRecoveryPoints",
            Effect: "Allow",
            Action: ["backup:CopyFromBackupVault"],
            Resource: inRegions("backup", "*", "recovery-point:*"),
        },
        {
            Sid: "UseTheVaultKeys",
            Effect: "Allow",
            Action: ["kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
            Resource: scope.keyArns,
        },
        {
            Sid: "GrantTheVaultKeysToAwsResources",
            Effect: "Allow",
            Action: ["kms:CreateGrant"],
            Resource: scope.keyArns,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * A vault key's policy. "At a minimum, the key policy requires the following permissions:
 * kms:createGrant, kms:generateDataKey, kms:decrypt", given as AWS's example gives them: to
 * this account, and grants only for AWS Backup's own vault encryption context through AWS
 * Backup (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#backup-permissions-grants-deny-statements).
 * ViaService names backup in every region: a cross-region copy is encrypted with the
 * destination vault's key ("A copy of a backup to another AWS Region is encrypted using the key
 * of the destination vault", same page). IAM policies decide which principals of the account
 * may use it; the backup role's is the only one the stack grants.
 */
export function vaultKeyPolicy(
    partition: pulumi.Output<string>,
    account: pulumi.Output<string>,
    region: string,
): PolicyDocument {
    const root = pulumi.interpolate`arn:${partition}:iam::${account}:root`;
    return {
        Version: "2012-10-17",
        Statement: [
            accountAdministration(partition, account, region),
            {
                Sid: "AccountEncryptsBackups",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: "*",
            },
            {
                Sid: "BackupGrantsForItsVaults",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: ["kms:CreateGrant"],
                Resource: "*",
                Condition: {
                    "ForAnyValue:StringEquals": {
                        "kms:EncryptionContextKeys": "aws:backup:backup-vault",
                    },
                    Bool: { "kms:GrantIsForAWSResource": "true" },
                    StringLike: { "kms:ViaService": "backup.*.amazonaws.com" },
                },
            },
        ],
    };
}

/**
 * The account's administration of a key, the same statement every key of the stack carries
 * (policy-documents.ts holds its one list of actions, named one by one).
 */
function accountAdministration(
    partition: pulumi.Output<string>,
    account: pulumi.Output<string>,
    region: string,
): PolicyStatement {
    const statements = alertKeyPolicy(partition, account, region, pulumi.output(""))
        .Statement as PolicyStatement[];
    return statements.find((s) => s.Sid === "AccountAdministersKey")!;
}
