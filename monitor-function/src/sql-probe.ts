import { DsqlSigner } from "@aws-sdk/dsql-signer";
import { Socket } from "node:net";
import { Client } from "pg";
import type { ClusterTarget } from "./environment";

/** Runs the SQL round trip against one cluster; rejects on any failure. */
export interface SqlProber {
    probe(cluster: ClusterTarget, user: string, signal: AbortSignal): Promise<void>;
}

export interface PgProberOptions {
    /** The password for `user` on `cluster`: an IAM token in production. */
    readonly password: (cluster: ClusterTarget, user: string) => Promise<string>;
    /** TLS with certificate verification; only tests turn it off. */
    readonly tls?: boolean;
    /** Where to connect; defaults to the cluster endpoint on 5432. */
    readonly address?: (cluster: ClusterTarget) => { host: string; port: number };
    /** The query to run; it must return one row with ok = 1. Defaults to PROBE_QUERY. */
    readonly query?: string;
}

/** The probe query: trivial, read-only, and answered by any PostgreSQL-compatible server. */
export const PROBE_QUERY = "SELECT 1 AS ok";

/**
 * node-postgres prober. It owns the socket, so an aborted probe closes the connection
 * at once instead of waiting for a server that may never answer.
 */
export function pgProber(options: PgProberOptions): SqlProber {
    const tls = options.tls ?? true;
    const address =
        options.address ?? ((cluster: ClusterTarget) => ({ host: cluster.endpoint, port: 5432 }));
    return {
        async probe(cluster, user, signal) {
            const password = await options.password(cluster, user);
            signal.throwIfAborted();
            const socket = new Socket();
            const client = new Client({
                ...address(cluster),
                user,
                password,
                database: "postgres",
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
                const result = await client.query<{ ok: number }>(options.query ?? PROBE_QUERY);
                if (Number(result.rows[0]?.ok) !== 1) {
                    throw new Error(`probe query returned ${JSON.stringify(result.rows)}`);
                }
                await client.end();
            } catch (error) {
                socket.destroy();
                throw error;
            } finally {
                signal.removeEventListener("abort", abort);
            }
        },
    };
}

/** IAM authentication tokens from the DSQL signer, for `admin` or a custom role. */
export function iamTokenPassword(cluster: ClusterTarget, user: string): Promise<string> {
    const signer = new DsqlSigner({ hostname: cluster.endpoint, region: cluster.region });
    return user === "admin" ? signer.getDbConnectAdminAuthToken() : signer.getDbConnectAuthToken();
}
