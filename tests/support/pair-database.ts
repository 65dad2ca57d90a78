import { Client } from "pg";
import { HEARTBEAT } from "../../monitor-function/src/contract";
import { applySetup, type IamMappings } from "../../monitor-function/src/setup";
import { startPostgres, type LocalPostgres } from "../../tools/embedded-postgres";

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
 * Test-only faults inside the database: commits through a cluster (rows `via` its region)
 * can be made to fail as a read-only cluster's would (SQLSTATE 25006), or to meet one
 * optimistic-concurrency conflict (40001). A SECURITY DEFINER trigger, so the monitor's
 * own least-privilege role needs no rights on the control table.
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
       ELSIF m = 'conflict-once' AND nextval('public.fault_conflicts') = 1 THEN
         RAISE EXCEPTION 'change conflicts with another transaction' USING ERRCODE = '40001';
       ELSIF m = 'conflict' THEN
         RAISE EXCEPTION 'change conflicts with another transaction' USING ERRCODE = '40001';
       END IF;
       RETURN NEW;
     END $$`,
    `DROP TRIGGER IF EXISTS heartbeat_fault ON "${HEARTBEAT.schema}"."${HEARTBEAT.table}"`,
    `CREATE TRIGGER heartbeat_fault BEFORE INSERT OR UPDATE ON "${HEARTBEAT.schema}"."${HEARTBEAT.table}" FOR EACH ROW EXECUTE FUNCTION public.heartbeat_fault()`,
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
    commitFault(
        via: string,
        mode: "read-only" | "conflict-once" | "conflict" | undefined,
        database?: string,
    ): Promise<void>;
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
                        [via, mode],
                    );
                    await client.query("SELECT setval('public.fault_conflicts', 1, false)");
                }
            } finally {
                await client.end();
            }
        },
        close: () => postgres.close(),
    };
}
