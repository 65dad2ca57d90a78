/**
 * The monitor's data plane: per cluster, connect, commit this observer's heartbeat and read
 * every heartbeat, within the step's bound, with node-postgres.
 */
import { DsqlSigner } from "@aws-sdk/dsql-signer";
import { isTransientConnectError } from "./classify";
import { RETRIED_UNTIL_DEADLINE, type StepBudget } from "./deadline";
import type { ClusterTarget } from "./environment";
import { ClusterConnections, type ConnectOptions } from "./sql-connection";
import { exchange, type Heartbeat, type HeartbeatRow } from "./sql-heartbeat";

export { CONNECT_RATE_BACKOFF, END_GRACE_MS, MONITOR_APPLICATION_NAME } from "./sql-connection";
export { CONFLICT_BACKOFF, HEARTBEAT_SQL } from "./sql-heartbeat";
export type { Heartbeat, HeartbeatRow } from "./sql-heartbeat";

/** The data-plane step of one cluster: connect, commit a heartbeat, read every heartbeat. */
export interface DataPlane {
    heartbeat(
        cluster: ClusterTarget,
        beat: Heartbeat,
        budget: StepBudget,
    ): Promise<{ rows: HeartbeatRow[]; attempts: number }>;
    /** Closes connections kept for later rounds of this invocation. */
    close(): Promise<void>;
}

export interface PgDataPlaneOptions extends ConnectOptions {
    /** Keep each cluster's connection for later rounds of the invocation (fast profile). */
    readonly reuse?: boolean;
}

/**
 * node-postgres data plane. It owns each socket, so an aborted step closes its connection
 * at once instead of waiting for a server that may never answer. A connect that fails
 * transiently (refused, reset, timed out, server waking up) is tried once more within
 * the step's budget, and one refused at the connection rate (53400) again after each
 * jittered pause the budget has room for; each statement is retried likewise on SQLSTATE
 * 40001 only. No retry outlives the step's bound.
 */
export function pgDataPlane(options: PgDataPlaneOptions): DataPlane {
    const connections = new ClusterConnections(options);
    return {
        heartbeat: (cluster, beat, budget) =>
            heartbeat(connections, options, cluster, beat, budget),
        close: () => connections.close(),
    };
}

/**
 * One cluster's heartbeat, on a kept connection or a new one; a kept connection that died
 * since the last round is replaced once.
 */
async function heartbeat(
    connections: ClusterConnections,
    options: PgDataPlaneOptions,
    cluster: ClusterTarget,
    beat: Heartbeat,
    budget: StepBudget,
): Promise<{ rows: HeartbeatRow[]; attempts: number }> {
    const random = options.random ?? Math.random;
    for (;;) {
        const { connection, attempts } = await connections.connect(cluster, budget);
        const abort = () => connection.socket.destroy();
        budget.signal.addEventListener("abort", abort, { once: true });
        try {
            const rows = await exchange(connection.client, cluster, beat, budget, random);
            if (options.reuse) connections.keep(cluster, connection);
            else await connection.client.end().catch(() => connection.socket.destroy());
            return { rows, attempts };
        } catch (error) {
            connections.forget(cluster);
            connection.socket.destroy();
            // A kept connection that died since the last round: connect afresh once.
            if (attempts === 0 && !budget.signal.aborted && isTransientConnectError(error))
                continue;
            throw budget.signal.aborted && !isMarkedRetried(error) ? budget.signal.reason : error;
        } finally {
            budget.signal.removeEventListener("abort", abort);
        }
    }
}

/** Whether `error` says why the step was still retrying when its bound ended it. */
const isMarkedRetried = (error: unknown): boolean =>
    (error as { [RETRIED_UNTIL_DEADLINE]?: boolean })?.[RETRIED_UNTIL_DEADLINE] === true;

/** IAM authentication tokens from the DSQL signer, for `admin` or a custom role. */
export function iamTokenPassword(cluster: ClusterTarget, user: string): Promise<string> {
    const signer = new DsqlSigner({ hostname: cluster.endpoint, region: cluster.region });
    return user === "admin" ? signer.getDbConnectAdminAuthToken() : signer.getDbConnectAuthToken();
}
