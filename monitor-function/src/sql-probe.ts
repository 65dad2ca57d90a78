import { DsqlSigner } from "@aws-sdk/dsql-signer";
import { Socket } from "node:net";
import { Client } from "pg";
import { isSerializationFailure, isTransientConnectError } from "./classify";
import { HEARTBEAT } from "./contract";
import type { StepBudget } from "./deadline";
import type { ClusterTarget } from "./environment";

/** One observer's latest heartbeat committed through one cluster. */
export interface HeartbeatRow {
    /** Region of the observer that committed it. */
    readonly observer: string;
    /** Region of the cluster it was committed through. */
    readonly via: string;
    /** The observer's schedule tick. */
    readonly tick: Date;
    /** The observer's clock when it committed. */
    readonly committedAt: Date;
    /** How many times the observer has committed this row. */
    readonly beats: number;
}

/** What this observer commits in one round. */
export interface Heartbeat {
    readonly observer: string;
    readonly tick: Date;
    readonly committedAt: () => Date;
}

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

export interface PgDataPlaneOptions {
    /** Database role to connect as. */
    readonly user: string;
    /** The password for `user` on `cluster`: an IAM token in production. */
    readonly password: (cluster: ClusterTarget, user: string) => Promise<string>;
    /** TLS with certificate verification; only tests turn it off. */
    readonly tls?: boolean;
    /** Where to connect; defaults to the cluster endpoint on 5432. */
    readonly address?: (cluster: ClusterTarget) => { host: string; port: number };
    /** Which database to connect to; Aurora DSQL has one, "postgres" (tests use others). */
    readonly database?: (cluster: ClusterTarget) => string;
    /** Keep each cluster's connection for later rounds of the invocation (fast profile). */
    readonly reuse?: boolean;
    /** Wall clock (tests run on a virtual one). */
    readonly now?: () => number;
}

const Q = `"${HEARTBEAT.schema}"."${HEARTBEAT.table}"`;

/**
 * The heartbeat statements. One row per (observer, cluster it committed through), so the
 * two observers never write the same row and never conflict with each other; each
 * statement commits on its own (autocommit), as Aurora DSQL runs DML without DDL.
 */
export const HEARTBEAT_SQL = {
    commit:
        `INSERT INTO ${Q} (observer, via, tick, committed_at) VALUES ($1, $2, $3, $4) ` +
        "ON CONFLICT (observer, via) DO UPDATE SET tick = EXCLUDED.tick, " +
        `committed_at = EXCLUDED.committed_at, beats = ${Q}.beats + 1`,
    read: `SELECT observer, via, tick, committed_at, beats FROM ${Q}`,
} as const;

/** Connection lifetime kept under Aurora DSQL's one-hour limit per connection. */
const MAX_CONNECTION_AGE_MS = 50 * 60 * 1000;

/**
 * How long close() lets a kept connection end politely (Terminate, then the server closes
 * the socket) before destroying it. node-postgres's end() resolves only once the socket
 * closes, which a server that went dark since the last round never does: unbounded, the
 * invocation would wait for its Lambda timeout. The Terminate message is a courtesy.
 */
export const END_GRACE_MS = 500;

interface Connection {
    readonly client: Client;
    readonly socket: Socket;
    readonly opened: number;
}

/**
 * node-postgres data plane. It owns each socket, so an aborted step closes its connection
 * at once instead of waiting for a server that may never answer. A connect that fails
 * transiently (refused, reset, timed out, server waking up) is tried once more within
 * the step's budget; a commit is retried once on SQLSTATE 40001 only.
 */
export function pgDataPlane(options: PgDataPlaneOptions): DataPlane {
    const tls = options.tls ?? true;
    const address =
        options.address ?? ((cluster: ClusterTarget) => ({ host: cluster.endpoint, port: 5432 }));
    const now = options.now ?? Date.now;
    const kept = new Map<string, Connection>();

    const open = async (cluster: ClusterTarget, signal: AbortSignal): Promise<Connection> => {
        const password = await options.password(cluster, options.user);
        signal.throwIfAborted();
        const socket = new Socket();
        const client = new Client({
            ...address(cluster),
            user: options.user,
            password,
            database: options.database?.(cluster) ?? "postgres",
            ssl: tls ? { rejectUnauthorized: true } : false,
            stream: () => socket,
            application_name: "aurora-dsql-dr-monitor",
        });
        // Errors after an abort arrive on the client; they are already accounted for.
        client.on("error", () => undefined);
        const abort = () => socket.destroy();
        signal.addEventListener("abort", abort, { once: true });
        try {
            await client.connect();
            return { client, socket, opened: now() };
        } catch (error) {
            socket.destroy();
            throw error;
        } finally {
            signal.removeEventListener("abort", abort);
        }
    };

    /** Connects, with one more try for a transient failure if half the budget remains. */
    const connect = async (
        cluster: ClusterTarget,
        { signal, deadline }: StepBudget,
    ): Promise<{ connection: Connection; attempts: number }> => {
        const reusable = kept.get(cluster.identifier);
        if (reusable && now() - reusable.opened < MAX_CONNECTION_AGE_MS) {
            return { connection: reusable, attempts: 0 };
        }
        if (reusable) await drop(cluster);
        // The first try gets half of what is left, so a hung connect leaves room for a retry.
        const first = new AbortController();
        const onAbort = () => first.abort(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        const halfway = setTimeout(
            () => first.abort(new HalfBudgetError()),
            Math.max(0, (deadline - Date.now()) / 2),
        );
        try {
            return { connection: await open(cluster, first.signal), attempts: 1 };
        } catch (error) {
            if (signal.aborted || !isTransientConnectError(asConnectError(error, first.signal))) {
                throw asConnectError(error, first.signal);
            }
            return { connection: await open(cluster, signal), attempts: 2 };
        } finally {
            clearTimeout(halfway);
            signal.removeEventListener("abort", onAbort);
        }
    };

    const drop = async (cluster: ClusterTarget) => {
        const connection = kept.get(cluster.identifier);
        kept.delete(cluster.identifier);
        connection?.socket.destroy();
    };

    /** Commits this observer's heartbeat and reads every heartbeat, on one connection. */
    const exchange = async (connection: Connection, cluster: ClusterTarget, beat: Heartbeat) => {
        const commit = () =>
            connection.client.query(HEARTBEAT_SQL.commit, [
                beat.observer,
                cluster.region,
                beat.tick,
                beat.committedAt(),
            ]);
        try {
            await commit();
        } catch (error) {
            if (!isSerializationFailure(error)) throw error;
            await commit();
        }
        const result = await connection.client.query<{
            observer: string;
            via: string;
            tick: Date;
            committed_at: Date;
            beats: string;
        }>(HEARTBEAT_SQL.read);
        return result.rows.map((r): HeartbeatRow => ({
            observer: r.observer,
            via: r.via,
            tick: new Date(r.tick),
            committedAt: new Date(r.committed_at),
            beats: Number(r.beats),
        }));
    };

    return {
        async heartbeat(cluster, beat, budget) {
            for (;;) {
                const { connection, attempts } = await connect(cluster, budget);
                const abort = () => connection.socket.destroy();
                budget.signal.addEventListener("abort", abort, { once: true });
                try {
                    const rows = await exchange(connection, cluster, beat);
                    if (options.reuse) kept.set(cluster.identifier, connection);
                    else await connection.client.end().catch(() => connection.socket.destroy());
                    return { rows, attempts };
                } catch (error) {
                    kept.delete(cluster.identifier);
                    connection.socket.destroy();
                    // A kept connection that died since the last round: connect afresh once.
                    if (attempts === 0 && !budget.signal.aborted && isTransientConnectError(error))
                        continue;
                    throw budget.signal.aborted ? budget.signal.reason : error;
                } finally {
                    budget.signal.removeEventListener("abort", abort);
                }
            }
        },
        async close() {
            const connections = [...kept.values()];
            kept.clear();
            await Promise.all(connections.map((c) => endWithin(c, END_GRACE_MS)));
        },
    };
}

/** Ends `connection` politely if the server lets it within `ms`; its socket is destroyed either way. */
async function endWithin(connection: Connection, ms: number): Promise<void> {
    let grace: NodeJS.Timeout | undefined;
    try {
        await Promise.race([
            connection.client.end().catch(() => undefined),
            new Promise<void>((resolve) => (grace = setTimeout(resolve, ms))),
        ]);
    } finally {
        clearTimeout(grace);
        connection.socket.destroy();
    }
}

/** The first connect try ran out of its half of the budget. */
class HalfBudgetError extends Error {
    readonly code = "ETIMEDOUT";
    constructor() {
        super("connect did not finish within half of the step's budget");
        this.name = "TimeoutError";
    }
}

/** After an abort, pg reports a closed socket; the cause is the abort's reason. */
function asConnectError(error: unknown, signal: AbortSignal): unknown {
    return signal.aborted ? signal.reason : error;
}

/** IAM authentication tokens from the DSQL signer, for `admin` or a custom role. */
export function iamTokenPassword(cluster: ClusterTarget, user: string): Promise<string> {
    const signer = new DsqlSigner({ hostname: cluster.endpoint, region: cluster.region });
    return user === "admin" ? signer.getDbConnectAdminAuthToken() : signer.getDbConnectAuthToken();
}
