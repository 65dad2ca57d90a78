/**
 * A real PostgreSQL holding the heartbeat table, set up by the monitor's own setup code,
 * with faults that make it answer as Aurora DSQL does. Use:
 *
 *     const db = await startPairDatabase();         // db.port; db.admin() is a superuser
 *     await db.commitFault(region, "read-only");     // commits via `region` fail with 25006
 *     await db.commitFault(region, "conflict-once"); // ... meet one OCC conflict (40001, OC000)
 *     await db.commitFault(region, "conflicts-3");   // ... the next 3 commits conflict
 *     await db.commitFault(region, "conflict");      // ... every commit conflicts
 *     await db.commitFault(region, undefined);       // commits pass again
 *     await db.schemaQuota("postgres");              // CREATE SCHEMA past 10 fails with 54000
 *     await db.monitorSessions();                    // the monitor's sessions the server holds
 *     await heartbeatVia(port, { reuse: true }, 400); // one heartbeat, as the monitor runs it
 *
 * Faults of the path and of every statement (a catalog change after DDL, OC001; connects
 * refused at the connection rate, 53400; a slow first connect) are in fault-proxy.ts.
 */
import { Client } from "pg";
import { failureReason, failureSide } from "../../monitor-function/src/classify";
import { HEARTBEAT } from "../../monitor-function/src/contract";
import { withDeadline } from "../../monitor-function/src/deadline";
import { applySetup, type IamMappings } from "../../monitor-function/src/setup";
import {
    MONITOR_APPLICATION_NAME,
    pgDataPlane,
    type PgDataPlaneOptions,
} from "../../monitor-function/src/sql-probe";
import { startPostgres, type LocalPostgres } from "../../tools/testing/embedded-postgres";
import { OBSERVER, PRIMARY } from "./monitor";

const ADMIN_PASSWORD = "pair-admin-password";
/** The monitors' database role signs in with this in tests, where Aurora DSQL maps IAM roles. */
export const MONITOR_PASSWORD = "pair-monitor-password";
export const MONITOR_ROLE = HEARTBEAT.role;
export const MONITOR_ROLE_ARNS = [
    "arn:aws:iam::111122223333:role/dr-monitor-test-primary",
    "arn:aws:iam::111122223333:role/dr-monitor-test-secondary",
];

/**
 * Aurora DSQL maps IAM roles to database roles (AWS IAM GRANT); PostgreSQL has no such
 * thing, so in tests a mapped role signs in with a password instead, and the mappings
 * are kept here for the test to inspect.
 */
export function passwordMappings(): IamMappings & { mapped: Set<string> } {
    const mapped = new Set<string>();
    return {
        mapped,
        async list() {
            return [...mapped];
        },
        async grant(client, role, arn) {
            mapped.add(arn);
            await client.query(`ALTER ROLE "${role}" WITH PASSWORD '${MONITOR_PASSWORD}'`);
        },
    };
}

/**
 * Aurora DSQL's answer to a commit that lost an optimistic-concurrency conflict
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
 */
export const COMMIT_CONFLICT = {
    code: "40001",
    message: "change conflicts with another transaction, please retry: (OC000)",
} as const;

/**
 * Test-only faults inside the database: commits through a cluster (rows `via` its region)
 * can be made to fail as a read-only cluster's would (SQLSTATE 25006), or to meet
 * optimistic-concurrency conflicts (40001, OC000): once, a given number of times
 * (`conflicts-<n>`), or always. A SECURITY DEFINER trigger, so the monitor's own
 * least-privilege role needs no rights on the control table.
 */
const FAULT_HOOKS = [
    "CREATE TABLE IF NOT EXISTS public.fault_control (via text PRIMARY KEY, mode text NOT NULL)",
    // A sequence outlives the failed transaction that advances it (a table row would not).
    "CREATE SEQUENCE IF NOT EXISTS public.fault_conflicts",
    `CREATE OR REPLACE FUNCTION public.heartbeat_fault() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
     DECLARE m text;
     BEGIN
       SELECT mode INTO m FROM public.fault_control WHERE via = NEW.via;
       IF m = 'read-only' THEN
         RAISE EXCEPTION 'cannot execute INSERT in a read-only transaction' USING ERRCODE = '25006';
       ELSIF m = 'conflict'
          OR (m LIKE 'conflicts-%' AND nextval('public.fault_conflicts') <= split_part(m, '-', 2)::int) THEN
         RAISE EXCEPTION '${COMMIT_CONFLICT.message}' USING ERRCODE = '${COMMIT_CONFLICT.code}';
       END IF;
       RETURN NEW;
     END $$`,
    `DROP TRIGGER IF EXISTS heartbeat_fault ON "${HEARTBEAT.schema}"."${HEARTBEAT.table}"`,
    `CREATE TRIGGER heartbeat_fault BEFORE INSERT OR UPDATE ON "${HEARTBEAT.schema}"."${HEARTBEAT.table}" FOR EACH ROW EXECUTE FUNCTION public.heartbeat_fault()`,
];

/** A commit fault: a read-only cluster, or conflicts once, `n` times, or always. */
export type CommitFault = "read-only" | "conflict-once" | `conflicts-${number}` | "conflict";

/** Aurora DSQL's schema quota (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html). */
export const SCHEMA_QUOTA = {
    limit: 10,
    code: "54000",
    message: "more than 10 schemas not allowed",
} as const;

/**
 * An event trigger that refuses CREATE SCHEMA as Aurora DSQL does once a database holds
 * its quota of schemas (counting every schema but PostgreSQL's own catalogs).
 */
const SCHEMA_QUOTA_HOOKS = [
    `CREATE OR REPLACE FUNCTION public.schema_quota() RETURNS event_trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF (SELECT count(*) FROM pg_namespace
           WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema') >= ${SCHEMA_QUOTA.limit} THEN
         RAISE EXCEPTION '${SCHEMA_QUOTA.message}' USING ERRCODE = '${SCHEMA_QUOTA.code}';
       END IF;
     END $$`,
    "DROP EVENT TRIGGER IF EXISTS schema_quota",
    "CREATE EVENT TRIGGER schema_quota ON ddl_command_start WHEN TAG IN ('CREATE SCHEMA') EXECUTE FUNCTION public.schema_quota()",
];

/** A real PostgreSQL holding the heartbeat table, set up by the monitor's own setup code. */
export interface PairDatabase {
    readonly postgres: LocalPostgres;
    readonly port: number;
    readonly mappings: ReturnType<typeof passwordMappings>;
    /** A superuser connection to `database`. */
    admin(database?: string): Promise<Client>;
    /** A new database, set up like the first (a second, unreplicated "cluster"). */
    createDatabase(name: string): Promise<void>;
    /** Sets (or clears with undefined) the commit fault for rows committed through `via`. */
    commitFault(via: string, mode: CommitFault | undefined, database?: string): Promise<void>;
    /** From now on, CREATE SCHEMA in `database` fails as past Aurora DSQL's schema quota. */
    schemaQuota(database: string): Promise<void>;
    /** How many sessions of the monitor's the server holds (matching `where`, an SQL condition on pg_stat_activity). */
    monitorSessions(where?: string): Promise<number>;
    /** Ends every session of the monitor's the server holds. */
    endMonitorSessions(): Promise<void>;
    close(): Promise<void>;
}

export async function startPairDatabase(): Promise<PairDatabase> {
    const postgres = await startPostgres(ADMIN_PASSWORD);
    const mappings = passwordMappings();
    const admin = async (database = "postgres") => {
        const client = new Client({
            host: "127.0.0.1",
            port: postgres.port,
            user: postgres.user,
            password: ADMIN_PASSWORD,
            database,
        });
        await client.connect();
        return client;
    };
    const prepare = async (database: string) => {
        const client = await admin(database);
        try {
            await applySetup(
                client,
                { databaseUser: MONITOR_ROLE, monitorRoleArns: MONITOR_ROLE_ARNS },
                mappings,
            );
            for (const statement of FAULT_HOOKS) await client.query(statement);
        } finally {
            await client.end();
        }
    };
    await prepare("postgres");
    return {
        postgres,
        port: postgres.port,
        mappings,
        admin,
        async createDatabase(name) {
            const client = await admin();
            await client.query(`CREATE DATABASE "${name}"`);
            await client.end();
            await prepare(name);
        },
        async commitFault(via, mode, database = "postgres") {
            const client = await admin(database);
            try {
                if (mode === undefined)
                    await client.query("DELETE FROM public.fault_control WHERE via = $1", [via]);
                else {
                    await client.query(
                        "INSERT INTO public.fault_control (via, mode) VALUES ($1, $2) ON CONFLICT (via) DO UPDATE SET mode = EXCLUDED.mode",
                        [via, mode === "conflict-once" ? "conflicts-1" : mode],
                    );
                    await client.query("SELECT setval('public.fault_conflicts', 1, false)");
                }
            } finally {
                await client.end();
            }
        },
        async schemaQuota(database) {
            const client = await admin(database);
            try {
                for (const statement of SCHEMA_QUOTA_HOOKS) await client.query(statement);
            } finally {
                await client.end();
            }
        },
        async monitorSessions(where = "true") {
            const client = await admin();
            try {
                const { rows } = await client.query<{ n: number }>(
                    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND ${where}`,
                    [MONITOR_APPLICATION_NAME],
                );
                return rows[0].n;
            } finally {
                await client.end();
            }
        },
        async endMonitorSessions() {
            const client = await admin();
            try {
                await client.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                    [MONITOR_APPLICATION_NAME],
                );
            } finally {
                await client.end();
            }
        },
        close: () => postgres.close(),
    };
}

/** The schedule tick of the heartbeats `heartbeatVia` commits. */
export const HEARTBEAT_TICK = new Date(Date.UTC(2026, 10, 29, 12, 0, 0));

/**
 * One heartbeat of the monitor's data plane through PRIMARY, pointed at a local port (the
 * database's or a proxy's), within `ms`, as a probe step runs it: "ok" with what it
 * returned, or the step's failure reason and side.
 */
export async function heartbeatVia(
    port: number,
    options: Partial<PgDataPlaneOptions> = {},
    ms = 2000,
    plane = pgDataPlane({
        user: MONITOR_ROLE,
        password: async () => MONITOR_PASSWORD,
        tls: false,
        address: () => ({ host: "127.0.0.1", port }),
        ...options,
    }),
) {
    try {
        const result = await withDeadline("heartbeat", ms, (budget) =>
            plane.heartbeat(
                PRIMARY,
                {
                    observer: OBSERVER,
                    tick: HEARTBEAT_TICK,
                    committedAt: () => new Date(HEARTBEAT_TICK.getTime() + 100),
                },
                budget,
            ),
        );
        return { outcome: "ok" as const, ...result };
    } catch (error) {
        return { outcome: failureReason(error), side: failureSide(error) };
    }
}
