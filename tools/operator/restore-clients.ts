/**
 * The AWS calls a restore drill makes, as small interfaces shaped like the AWS SDK for
 * JavaScript v3 (inputs and outputs as the SDK names them), so tests pass fakes and a dry run
 * passes none. The Aurora DSQL side is the installed @aws-sdk/client-dsql; the AWS Backup side
 * is @aws-sdk/client-backup, loaded when the drill runs (the package must be installed).
 *
 * AWS Backup API: ListRecoveryPointsByBackupVault
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByBackupVault.html),
 * StartRestoreJob (…/API_StartRestoreJob.html), DescribeRestoreJob (…/API_DescribeRestoreJob.html).
 * Aurora DSQL API: GetCluster, UpdateCluster, DeleteCluster, TagResource
 * (https://docs.aws.amazon.com/aurora-dsql/latest/APIReference/API_Operations.html).
 */
import {
    DeleteClusterCommand,
    DSQLClient,
    GetClusterCommand,
    TagResourceCommand,
    UpdateClusterCommand,
} from "@aws-sdk/client-dsql";

/** A recovery point as ListRecoveryPointsByBackupVault lists it (the fields the drill reads). */
export interface RecoveryPoint {
    readonly RecoveryPointArn?: string;
    readonly BackupVaultName?: string;
    readonly SourceBackupVaultArn?: string;
    readonly ResourceArn?: string;
    readonly ResourceType?: string;
    readonly CreationDate?: Date;
    readonly CompletionDate?: Date;
    /** COMPLETED | PARTIAL | DELETING | EXPIRED | AVAILABLE | STOPPED | CREATING */
    readonly Status?: string;
}

export interface ListRecoveryPointsInput {
    readonly BackupVaultName: string;
    readonly ByResourceArn?: string;
    readonly NextToken?: string;
}

export interface StartRestoreJobInput {
    readonly RecoveryPointArn: string;
    readonly IamRoleArn: string;
    readonly Metadata: Record<string, string>;
    readonly IdempotencyToken: string;
    readonly CopySourceTagsToRestoredResource: boolean;
}

/** DescribeRestoreJob's answer; Status is PENDING | RUNNING | COMPLETED | ABORTED | FAILED. */
export interface RestoreJobDescription {
    readonly Status?: string;
    readonly StatusMessage?: string;
    readonly CreatedResourceArn?: string;
    readonly CreationDate?: Date;
    readonly CompletionDate?: Date;
}

export interface BackupApi {
    listRecoveryPointsByBackupVault(
        input: ListRecoveryPointsInput,
    ): Promise<{ RecoveryPoints?: RecoveryPoint[]; NextToken?: string }>;
    startRestoreJob(input: StartRestoreJobInput): Promise<{ RestoreJobId?: string }>;
    describeRestoreJob(input: { RestoreJobId: string }): Promise<RestoreJobDescription>;
}

/** A cluster as GetCluster describes it (the fields the drill reads). */
export interface ClusterDescription {
    readonly identifier?: string;
    readonly arn?: string;
    readonly status?: string;
    readonly deletionProtectionEnabled?: boolean;
    readonly multiRegionProperties?: { witnessRegion?: string; clusters?: string[] };
}

export interface DsqlApi {
    getCluster(input: { identifier: string }): Promise<ClusterDescription>;
    updateCluster(input: {
        identifier: string;
        deletionProtectionEnabled: boolean;
    }): Promise<unknown>;
    deleteCluster(input: { identifier: string }): Promise<unknown>;
    tagResource(input: { resourceArn: string; tags: Record<string, string> }): Promise<unknown>;
}

/** The drill's clients, per region. */
export interface RestoreClients {
    backup(region: string): BackupApi;
    dsql(region: string): DsqlApi;
}

/** Aurora DSQL calls through @aws-sdk/client-dsql. */
export function dsqlApi(client: DSQLClient): DsqlApi {
    return {
        getCluster: (input) => client.send(new GetClusterCommand(input)),
        updateCluster: (input) => client.send(new UpdateClusterCommand(input)),
        deleteCluster: (input) => client.send(new DeleteClusterCommand(input)),
        tagResource: (input) => client.send(new TagResourceCommand(input)),
    };
}

/** What the drill uses of the @aws-sdk/client-backup module. */
export interface BackupSdk {
    BackupClient: new (config: { region: string }) => { send(command: unknown): Promise<any> };
    ListRecoveryPointsByBackupVaultCommand: new (input: ListRecoveryPointsInput) => unknown;
    StartRestoreJobCommand: new (input: StartRestoreJobInput) => unknown;
    DescribeRestoreJobCommand: new (input: { RestoreJobId: string }) => unknown;
}

/** AWS Backup calls through the SDK module `sdk`, in `region`. */
export function backupApi(sdk: BackupSdk, region: string): BackupApi {
    const client = new sdk.BackupClient({ region });
    return {
        listRecoveryPointsByBackupVault: (input) =>
            client.send(new sdk.ListRecoveryPointsByBackupVaultCommand(input)),
        startRestoreJob: (input) => client.send(new sdk.StartRestoreJobCommand(input)),
        describeRestoreJob: (input) => client.send(new sdk.DescribeRestoreJobCommand(input)),
    };
}

export const BACKUP_SDK_PACKAGE = "@aws-sdk/client-backup";

/**
 * Real clients on the default credential chain, created once per region. The AWS Backup SDK
 * is loaded by name so the rest of the tools build without it.
 */
export async function restoreClients(
    load: (name: string) => Promise<unknown> = (name) => import(name),
): Promise<RestoreClients> {
    let sdk: BackupSdk;
    try {
        sdk = (await load(BACKUP_SDK_PACKAGE)) as BackupSdk;
    } catch (error) {
        throw new Error(
            `the restore drill needs ${BACKUP_SDK_PACKAGE} (npm install --save-dev ${BACKUP_SDK_PACKAGE}): ${(error as Error).message}`,
            { cause: error },
        );
    }
    const backups = new Map<string, BackupApi>();
    const dsqls = new Map<string, DsqlApi>();
    const once = <T>(cache: Map<string, T>, region: string, make: () => T) => {
        if (!cache.has(region)) cache.set(region, make());
        return cache.get(region)!;
    };
    return {
        backup: (region) => once(backups, region, () => backupApi(sdk, region)),
        dsql: (region) => once(dsqls, region, () => dsqlApi(new DSQLClient({ region }))),
    };
}
