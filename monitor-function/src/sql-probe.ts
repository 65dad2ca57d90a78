import { DsqlSigner } from "@aws-sdk/dsql-signer";
import { Socket } from "node:net";
import { Client } from "pg";
import {
    isConnectionRateLimited,
    isSerializationFailure,
    isTransientConnectError,
} from "./classify";
import { HEARTBEAT } from "./contract";
import {
    pauseBeforeRetry,
    RETRIED_UNTIL_DEADLINE,
    retriedUntilDeadline,
    retryWithin,
    type Backoff,
    type StepBudget,
} from "./deadline";
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
    /** Uniform in [0, 1) for back-off jitter: Math.random, or a fixed sequence in tests. */
    readonly random?: () => number;
}

/** How the monitor names itself to the server (pg_stat_activity.application_name). */
export const MONITOR_APPLICATION_NAME = "aurora-dsql-dr-monitor";

/**
 * Back-off between tries of a heartbeat statement that met SQLSTATE 40001: an OCC
 * conflict at commit (OC000) or a catalog change after DDL anywhere on the cluster, which
 * fails every session's next statement, reads included (OC001). Both are meant to be
 * retried (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html,
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/troubleshooting.html). A
 * session's retry after OC001 runs on the new catalog, so the first pause is short.
 */
export const CONFLICT_BACKOFF: Backoff = { baseMs: 20, capMs: 500 };

/**
 * Back-off between connects refused at the cluster's connection rate (SQLSTATE 53400):
 * 100 connections per second per cluster, refilled at that rate, shared with the
 * applications on the cluster (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html).
 */
export const CONNECT_RATE_BACKOFF: Backoff = { baseMs: 50, capMs: 1000 };

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
 * the step's budget, and one refused at the connection rate (53400) again after each
 * jittered pause the budget has room for; each statement is retried likewise on SQLSTATE
 * 40001 only. No retry outlives the step's bound.
 */
export function pgDataPlane(options: PgDataPlaneOptions): DataPlane {
    const tls = options.tls ?? true;
    const address =
        options.address ?? ((cluster: ClusterTarget) => ({ host: cluster.endpoint, port: 5432 }));
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
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
            application_name: MONITOR_APPLICATION_NAME,
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

    /**
     * Connects: a kept connection if young enough, else new ones until one opens. A
     * transient failure gets one more try (the first try gets half of what is left, so a
     * hung connect leaves room for it); a refusal at the connection rate gets another after
     * each jittered pause that still ends within the budget.
     */
    const connect = async (
        cluster: ClusterTarget,
        budget: StepBudget,
    ): Promise<{ connection: Connection; attempts: number }> => {
        const reusable = kept.get(cluster.identifier);
        if (reusable && now() - reusable.opened < MAX_CONNECTION_AGE_MS) {
            return { connection: reusable, attempts: 0 };
        }
        if (reusable) await drop(cluster);
        let retriedTransient = false;
        let rateLimited: unknown;
        let pauses = 0;
        for (let attempts = 1; ; attempts++) {
            try {
                const connection = await openWithin(
                    (signal) => open(cluster, signal),
                    budget,
                    retriedTransient ? 1 : 0.5,
                );
                return { connection, attempts };
            } catch (error) {
                if (budget.signal.aborted)
                    throw rateLimited ? retriedUntilDeadline(rateLimited) : error;
                if (isConnectionRateLimited(error)) {
                    rateLimited = error;
                    const resume = await pauseBeforeRetry(
                        budget,
                        ++pauses,
                        CONNECT_RATE_BACKOFF,
                        random,
                    ).catch(() => {
                        throw retriedUntilDeadline(error);
                    });
                    if (resume) continue;
                    throw error;
                }
                if (retriedTransient || !isTransientConnectError(error)) throw error;
                retriedTransient = true;
            }
        }
    };

    const drop = async (cluster: ClusterTarget) => {
        const connection = kept.get(cluster.identifier);
        kept.delete(cluster.identifier);
        connection?.socket.destroy();
    };

    return {
        async heartbeat(cluster, beat, budget) {
            for (;;) {
                const { connection, attempts } = await connect(cluster, budget);
                const abort = () => connection.socket.destroy();
                budget.signal.addEventListener("abort", abort, { once: true });
                try {
                    const rows = await exchange(connection.client, cluster, beat, budget, random);
                    if (options.reuse) kept.set(cluster.identifier, connection);
                    else await connection.client.end().catch(() => connection.socket.destroy());
                    return { rows, attempts };
                } catch (error) {
                    kept.delete(cluster.identifier);
                    connection.socket.destroy();
                    // A kept connection that died since the last round: connect afresh once.
                    if (attempts === 0 && !budget.signal.aborted && isTransientConnectError(error))
                        continue;
                    throw budget.signal.aborted && !isMarkedRetried(error)
                        ? budget.signal.reason
                        : error;
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

/**
 * One connect try, cut at `share` of what is left of the budget (measured again when the
 * budget grows), so a hung connect leaves room for another try.
 */
async function openWithin(
    open: (signal: AbortSignal) => Promise<Connection>,
    budget: StepBudget,
    share: number,
): Promise<Connection> {
    const controller = new AbortController();
    let cut: NodeJS.Timeout | undefined;
    const arm = () => {
        clearTimeout(cut);
        if (share >= 1) return;
        const ms = Math.max(0, (budget.deadline - Date.now()) * share);
        cut = setTimeout(() => controller.abort(new AttemptTimeoutError()), ms);
    };
    const onAbort = () => controller.abort(budget.signal.reason);
    budget.signal.addEventListener("abort", onAbort, { once: true });
    const stopWatching = budget.onExtended(arm);
    arm();
    try {
        return await open(controller.signal);
    } catch (error) {
        throw asConnectError(error, controller.signal);
    } finally {
        clearTimeout(cut);
        stopWatching();
        budget.signal.removeEventListener("abort", onAbort);
    }
}

/**
 * Commits this observer's heartbeat and reads every heartbeat, on one connection, each
 * statement retried on SQLSTATE 40001 within the budget (a retried commit is stamped
 * afresh: the stamp is when it committed).
 */
async function exchange(
    client: Client,
    cluster: ClusterTarget,
    beat: Heartbeat,
    budget: StepBudget,
    random: () => number,
): Promise<HeartbeatRow[]> {
    const policy = { retryable: isSerializationFailure, backoff: CONFLICT_BACKOFF, random };
    await retryWithin(
        budget,
        () =>
            client.query(HEARTBEAT_SQL.commit, [
                beat.observer,
                cluster.region,
                beat.tick,
                beat.committedAt(),
            ]),
        policy,
    );
    const result = await retryWithin(
        budget,
        () =>
            client.query<{
                observer: string;
                via: string;
                tick: Date;
                committed_at: Date;
                beats: string;
            }>(HEARTBEAT_SQL.read),
        policy,
    );
    return result.rows.map((r): HeartbeatRow => ({
        observer: r.observer,
        via: r.via,
        tick: new Date(r.tick),
        committedAt: new Date(r.committed_at),
        beats: Number(r.beats),
    }));
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

/** A connect try ran out of its share of the budget. */
class AttemptTimeoutError extends Error {
    readonly code = "ETIMEDOUT";
    constructor() {
        super("connect did not finish within its share of the step's budget");
        this.name = "TimeoutError";
    }
}

/** Whether `error` says why the step was still retrying when its bound ended it. */
const isMarkedRetried = (error: unknown): boolean =>
    (error as { [RETRIED_UNTIL_DEADLINE]?: boolean })?.[RETRIED_UNTIL_DEADLINE] === true;

/** After an abort, pg reports a closed socket; the cause is the abort's reason. */
function asConnectError(error: unknown, signal: AbortSignal): unknown {
    return signal.aborted ? signal.reason : error;
}

/** IAM authentication tokens from the DSQL signer, for `admin` or a custom role. */
export function iamTokenPassword(cluster: ClusterTarget, user: string): Promise<string> {
    const signer = new DsqlSigner({ hostname: cluster.endpoint, region: cluster.region });
    return user === "admin" ? signer.getDbConnectAdminAuthToken() : signer.getDbConnectAuthToken();
}
