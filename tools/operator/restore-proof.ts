/**
 * What a restored cluster must prove: that the monitor's own setup runs on it, and that a
 * heartbeat commits and reads back, with the monitor's code (applySetup, pgDataPlane) so the
 * drill exercises what production runs. The drill commits as its own observer, so it never
 * overwrites the monitors' restored rows, which are the marker of the recovery point.
 */
import { Client } from "pg";
import { clusterEndpoint } from "../../monitor-function/src/contract";
import { withDeadline } from "../../monitor-function/src/deadline";
import type { ClusterTarget } from "../../monitor-function/src/environment";
import { applySetup, type IamMappings } from "../../monitor-function/src/setup";
import {
    iamTokenPassword,
    pgDataPlane,
    type HeartbeatRow,
    type PgDataPlaneOptions,
} from "../../monitor-function/src/sql-probe";

/** The observer name of the drill's own heartbeat rows. */
export const DRILL_OBSERVER = "restore-drill";

export interface ProofTarget {
    readonly identifier: string;
    readonly region: string;
    readonly arn: string;
}

export interface Proof {
    /** What the setup did (nothing but checks on a restored database that has the table). */
    readonly setupSteps: readonly string[];
    /** The drill's clock when its heartbeat committed. */
    readonly committedAt: Date;
    /** Every heartbeat row the cluster holds after that commit. */
    readonly rows: readonly HeartbeatRow[];
}

/** Proves one restored cluster, or throws why it could not. */
export type ProveCluster = (cluster: ProofTarget) => Promise<Proof>;

export interface PgProofOptions extends Pick<
    PgDataPlaneOptions,
    "tls" | "address" | "database" | "password"
> {
    /** Database role: `admin` on Aurora DSQL (dsql:DbConnectAdmin). */
    readonly user: string;
    /** Bound on the heartbeat step (connect, commit, read), as the monitor bounds its own. */
    readonly timeoutMs: number;
    readonly now: () => Date;
}

/** Only `admin` is set up here, and admin needs no IAM mapping: none is ever made. */
const NO_MAPPINGS: IamMappings = {
    list: async () => [],
    grant: async () => {
        throw new Error("the restore drill maps no IAM role");
    },
};

/** Aurora DSQL as production reaches it: admin, an IAM token, TLS verified. */
export const DSQL_PROOF: Omit<PgProofOptions, "now" | "timeoutMs"> = {
    user: "admin",
    password: iamTokenPassword,
};

/** The proof through node-postgres: setup on one connection, then one heartbeat step. */
export function pgProof(options: PgProofOptions): ProveCluster {
    return async (cluster) => {
        const target: ClusterTarget = {
            role: "primary",
            region: cluster.region,
            identifier: cluster.identifier,
            arn: cluster.arn,
            endpoint: clusterEndpoint(cluster.identifier, cluster.region),
        };
        const address = options.address?.(target) ?? { host: target.endpoint, port: 5432 };
        const client = new Client({
            ...address,
            user: options.user,
            password: await options.password(target, options.user),
            database: options.database?.(target) ?? "postgres",
            ssl: options.tls === false ? false : { rejectUnauthorized: true },
            connectionTimeoutMillis: options.timeoutMs,
            application_name: "aurora-dsql-dr-restore-drill",
        });
        let setupSteps: string[];
        await client.connect();
        try {
            setupSteps = await applySetup(
                client,
                { databaseUser: "admin", monitorRoleArns: [] },
                NO_MAPPINGS,
            );
        } finally {
            await client.end().catch(() => undefined);
        }
        const plane = pgDataPlane({ ...options, now: () => options.now().getTime() });
        let committedAt: Date | undefined;
        const beat = {
            observer: DRILL_OBSERVER,
            tick: options.now(),
            committedAt: () => (committedAt = options.now()),
        };
        try {
            const { rows } = await withDeadline("restore heartbeat", options.timeoutMs, (budget) =>
                plane.heartbeat(target, beat, budget),
            );
            return { setupSteps, committedAt: committedAt!, rows };
        } finally {
            await plane.close();
        }
    };
}
