/**
 * Connections to each cluster: opened within a step's budget, retried on transient and
 * rate-limited connects, kept between the rounds of one invocation, and closed without
 * waiting on a server that went dark.
 */
import { Socket } from "node:net";
import { Client } from "pg";
import { isConnectionRateLimited, isTransientConnectError } from "./classify";
import { pauseBeforeRetry, retriedUntilDeadline, type Backoff, type StepBudget } from "./deadline";
import type { ClusterTarget } from "./environment";

/** How to reach and authenticate to each cluster. */
export interface ConnectOptions {
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
    /** Wall clock (tests run on a virtual one). */
    readonly now?: () => number;
    /** Uniform in [0, 1) for back-off jitter: Math.random, or a fixed sequence in tests. */
    readonly random?: () => number;
}

/** How the monitor names itself to the server (pg_stat_activity.application_name). */
export const MONITOR_APPLICATION_NAME = "aurora-dsql-dr-monitor";

/**
 * Back-off between connects refused at the cluster's connection rate (SQLSTATE 53400):
 * 100 connections per second per cluster, refilled at that rate, shared with the
 * applications on the cluster (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html).
 */
export const CONNECT_RATE_BACKOFF: Backoff = { baseMs: 50, capMs: 1000 };

/** Connection lifetime kept under Aurora DSQL's one-hour limit per connection. */
const MAX_CONNECTION_AGE_MS = 50 * 60 * 1000;

/**
 * How long close() lets a kept connection end politely (Terminate, then the server closes
 * the socket) before destroying it. node-postgres's end() resolves only once the socket
 * closes, which a server that went dark since the last round never does: unbounded, the
 * invocation would wait for its Lambda timeout. The Terminate message is a courtesy.
 */
export const END_GRACE_MS = 500;

export interface Connection {
    readonly client: Client;
    readonly socket: Socket;
    readonly opened: number;
}

/** By default, the cluster's endpoint on PostgreSQL's port. */
const endpointAddress = (cluster: ClusterTarget) => ({ host: cluster.endpoint, port: 5432 });

/** Each cluster's connection, opened on demand and kept for later rounds when asked to. */
export class ClusterConnections {
    private readonly kept = new Map<string, Connection>();

    constructor(private readonly options: ConnectOptions) {}

    /** The wall clock: the injected one, else the system's. */
    private now(): number {
        return (this.options.now ?? Date.now)();
    }

    private async open(cluster: ClusterTarget, signal: AbortSignal): Promise<Connection> {
        const { options } = this;
        const password = await options.password(cluster, options.user);
        signal.throwIfAborted();
        const socket = new Socket();
        const client = new Client({
            ...(options.address ?? endpointAddress)(cluster),
            user: options.user,
            password,
            database: options.database?.(cluster) ?? "postgres",
            ssl: (options.tls ?? true) ? { rejectUnauthorized: true } : false,
            stream: () => socket,
            application_name: MONITOR_APPLICATION_NAME,
        });
        // Errors after an abort arrive on the client; they are already accounted for.
        client.on("error", () => undefined);
        const abort = () => socket.destroy();
        signal.addEventListener("abort", abort, { once: true });
        try {
            await client.connect();
            return { client, socket, opened: this.now() };
        } catch (error) {
            socket.destroy();
            throw error;
        } finally {
            signal.removeEventListener("abort", abort);
        }
    }

    /**
     * Connects: a kept connection if young enough, else new ones until one opens. A
     * transient failure gets one more try (the first try gets half of what is left, so a
     * hung connect leaves room for it); a refusal at the connection rate gets another after
     * each jittered pause that still ends within the budget.
     */
    async connect(
        cluster: ClusterTarget,
        budget: StepBudget,
    ): Promise<{ connection: Connection; attempts: number }> {
        const reusable = this.kept.get(cluster.identifier);
        if (reusable && this.now() - reusable.opened < MAX_CONNECTION_AGE_MS) {
            return { connection: reusable, attempts: 0 };
        }
        if (reusable) await this.drop(cluster);
        let retriedTransient = false;
        let rateLimited: unknown;
        let pauses = 0;
        for (let attempts = 1; ; attempts++) {
            try {
                const connection = await openWithin(
                    (signal) => this.open(cluster, signal),
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
                        this.options.random ?? Math.random,
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
    }

    private async drop(cluster: ClusterTarget): Promise<void> {
        const connection = this.kept.get(cluster.identifier);
        this.kept.delete(cluster.identifier);
        connection?.socket.destroy();
    }

    /** Keeps `connection` for the cluster's next round. */
    keep(cluster: ClusterTarget, connection: Connection): void {
        this.kept.set(cluster.identifier, connection);
    }

    /** No longer keeps the cluster's connection (its owner destroys it). */
    forget(cluster: ClusterTarget): void {
        this.kept.delete(cluster.identifier);
    }

    /** Closes every kept connection, each given `END_GRACE_MS` to end politely. */
    async close(): Promise<void> {
        const connections = [...this.kept.values()];
        this.kept.clear();
        await Promise.all(connections.map((c) => endWithin(c, END_GRACE_MS)));
    }
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

/** After an abort, pg reports a closed socket; the cause is the abort's reason. */
function asConnectError(error: unknown, signal: AbortSignal): unknown {
    return signal.aborted ? signal.reason : error;
}
