/**
 * A scripted AWS for restore drills: recovery points per vault, the restore job's statuses in
 * order, the clusters it creates and how they answer, and a data plane that proves a cluster or
 * fails. Every call is recorded. The stack outputs are the dev fixture's, with the backup
 * outputs a stack with backups exports.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { HeartbeatRow } from "../../monitor-function/src/sql-probe";
import { virtualClock, type Clock } from "../../tools/operator/clock";
import type { StackOutputs } from "../../tools/operator/outputs";
import type {
    ClusterDescription,
    RecoveryPoint,
    RestoreClients,
    RestoreJobDescription,
} from "../../tools/operator/restore-clients";
import type { RestoreDrillRun } from "../../tools/operator/restore-drill";
import {
    RESTORE_DEFAULTS,
    type RestoreDrillOptions,
    type RestoreOutputs,
} from "../../tools/operator/restore-options";
import { DRILL_OBSERVER, type Proof, type ProofTarget } from "../../tools/operator/restore-proof";

const fixture = JSON.parse(
    readFileSync(path.join(__dirname, "..", "fixtures", "stack-outputs.dev.json"), "utf8"),
) as StackOutputs;

export const OUTPUTS: RestoreOutputs = {
    ...fixture,
    backupVaults: { primary: "dr-backup-q7k2mz-primary", secondary: "dr-backup-q7k2mz-secondary" },
    backupRoleArn: "arn:aws:iam::123456789012:role/dr-backup-q7k2mz",
};

/** When the drill starts. */
export const START = new Date(Date.UTC(2026, 11, 6, 9, 0, 0));
/** The newest backup: started 05:00, completed 05:20 that morning. */
export const BACKUP_CREATED = new Date(Date.UTC(2026, 11, 6, 5, 0, 0));
export const BACKUP_COMPLETED = new Date(Date.UTC(2026, 11, 6, 5, 20, 0));

const SOURCE = OUTPUTS.clusterArns.primary;
export const RESTORED = {
    primary: "arn:aws:dsql:us-east-1:123456789012:cluster/restoredprimaryaaaaaaaaaaa",
    secondary: "arn:aws:dsql:us-east-2:123456789012:cluster/restoredsecondarybbbbbbbbb",
};
const idOf = (arn: string) => arn.split("/").pop()!;

export function recoveryPoint(
    created: Date,
    overrides: Partial<RecoveryPoint> = {},
): RecoveryPoint {
    return {
        RecoveryPointArn: `arn:aws:backup:us-east-1:123456789012:recovery-point:${created.getTime()}`,
        ResourceArn: SOURCE,
        ResourceType: "DSQL",
        CreationDate: created,
        CompletionDate: new Date(created.getTime() + 20 * 60_000),
        Status: "COMPLETED",
        ...overrides,
    };
}

const row = (observer: string, via: string, at: Date): HeartbeatRow => ({
    observer,
    via,
    tick: at,
    committedAt: at,
    beats: 100,
});

/** The monitors' heartbeats as the backup holds them: the newest at `newest`. */
export const heartbeats = (newest: Date): HeartbeatRow[] => [
    row("us-east-1", "us-east-1", newest),
    row("us-east-2", "us-east-2", new Date(newest.getTime() - 30_000)),
];

/**
 * A data plane where each restored cluster commits the drill's heartbeat and reads the
 * monitors' rows (`monitors`) and every drill heartbeat committed so far: a replicating pair.
 */
export function replicatingPair(monitors: HeartbeatRow[]): Script["prove"] {
    const committed: HeartbeatRow[] = [];
    return (cluster, clock) => {
        const at = clock.now();
        committed.push(row(DRILL_OBSERVER, cluster.region, at));
        return { setupSteps: [], committedAt: at, rows: [...monitors, ...committed] };
    };
}

export interface Script {
    /** Recovery points per vault; a vault listed as an array of pages is paginated. */
    points: Record<string, RecoveryPoint[] | RecoveryPoint[][]>;
    /** DescribeRestoreJob's answers in order; the last one repeats. */
    job: RestoreJobDescription[];
    /** GetCluster's answers per identifier, in order; the last repeats. */
    clusters: Record<string, ClusterDescription[]>;
    /** Identifiers whose DeleteCluster fails. */
    deleteFails: string[];
    /** What StartRestoreJob throws, if it refuses. */
    startError?: Error;
    /** How each restored cluster answers the data plane. */
    prove: (cluster: ProofTarget, clock: Clock) => Proof;
}

export interface Call {
    readonly api: string;
    readonly region: string;
    readonly input: any;
}

/** The happy path: a pair restored in 40 minutes, both clusters proving the data. */
export function script(overrides: Partial<Script> = {}): Script {
    // Linked to its peer once the job completed; ACTIVE a poll later.
    const restoredCluster = (arn: string): ClusterDescription[] =>
        ["UPDATING", "ACTIVE"].map((status) => ({
            arn,
            identifier: idOf(arn),
            status,
            deletionProtectionEnabled: false,
            multiRegionProperties: {
                witnessRegion: "us-west-2",
                clusters: Object.values(RESTORED),
            },
        }));
    return {
        points: {
            [OUTPUTS.backupVaults.primary]: [
                recoveryPoint(new Date(BACKUP_CREATED.getTime() - 86_400_000)),
                recoveryPoint(BACKUP_CREATED),
            ],
            [OUTPUTS.backupVaults.secondary]: [
                recoveryPoint(BACKUP_CREATED, {
                    RecoveryPointArn: "arn:aws:backup:us-east-2:123456789012:recovery-point:copy",
                }),
            ],
        },
        job: [
            { Status: "PENDING" },
            { Status: "RUNNING" },
            { Status: "RUNNING" },
            { Status: "COMPLETED", CreatedResourceArn: RESTORED.primary },
        ],
        clusters: {
            [idOf(RESTORED.primary)]: restoredCluster(RESTORED.primary),
            [idOf(RESTORED.secondary)]: restoredCluster(RESTORED.secondary),
        },
        deleteFails: [],
        prove: replicatingPair(heartbeats(new Date(BACKUP_CREATED.getTime() - 40_000))),
        ...overrides,
    };
}

/** Clients that answer from `s`, recording every call. */
export function fakeAws(s: Script): { clients: RestoreClients; calls: Call[] } {
    const calls: Call[] = [];
    const served = new Map<string, number>();
    const next = <T>(key: string, answers: T[]): T => {
        const i = served.get(key) ?? 0;
        served.set(key, i + 1);
        return answers[Math.min(i, answers.length - 1)];
    };
    const record = (api: string, region: string, input: any) => calls.push({ api, region, input });
    return {
        calls,
        clients: {
            backup: (region) => ({
                async listRecoveryPointsByBackupVault(input) {
                    record("backup:ListRecoveryPointsByBackupVault", region, input);
                    const all = s.points[input.BackupVaultName] ?? [];
                    const pages = Array.isArray(all[0])
                        ? (all as RecoveryPoint[][])
                        : [all as RecoveryPoint[]];
                    const page = Number(input.NextToken ?? 0);
                    const more = page + 1 < pages.length;
                    return {
                        RecoveryPoints: pages[page] ?? [],
                        NextToken: more ? String(page + 1) : undefined,
                    };
                },
                async startRestoreJob(input) {
                    record("backup:StartRestoreJob", region, input);
                    if (s.startError) throw s.startError;
                    return { RestoreJobId: "job-1" };
                },
                async describeRestoreJob(input) {
                    record("backup:DescribeRestoreJob", region, input);
                    return next("job", s.job);
                },
            }),
            dsql: (region) => ({
                async getCluster(input) {
                    record("dsql:GetCluster", region, input);
                    const answers = s.clusters[input.identifier];
                    if (!answers)
                        throw Object.assign(new Error("cluster not found"), {
                            name: "ResourceNotFoundException",
                        });
                    return next(`cluster ${input.identifier}`, answers);
                },
                async updateCluster(input) {
                    record("dsql:UpdateCluster", region, input);
                },
                async deleteCluster(input) {
                    record("dsql:DeleteCluster", region, input);
                    if (s.deleteFails.includes(input.identifier)) {
                        throw Object.assign(
                            new Error("User is not authorized to perform dsql:DeleteCluster"),
                            { name: "AccessDeniedException" },
                        );
                    }
                },
                async tagResource(input) {
                    record("dsql:TagResource", region, input);
                },
            }),
        },
    };
}

/** A drill run against `s`, on a virtual clock from START. */
export function drillRun(s: Script, options: Partial<RestoreDrillOptions> = {}) {
    const aws = fakeAws(s);
    const clock = virtualClock(START);
    const run: RestoreDrillRun = {
        stack: "dev",
        outputs: OUTPUTS,
        options: { ...RESTORE_DEFAULTS, region: "primary", ...options },
        ranBy: "arn:aws:sts::123456789012:assumed-role/operator/alice",
        clients: aws.clients,
        clock,
        prove: async (cluster) => {
            await clock.sleep(2000);
            return s.prove(cluster, clock);
        },
    };
    return { run, calls: aws.calls, clock };
}
