import { DsqlSigner } from "@aws-sdk/dsql-signer";
import { Client } from "pg";
import { isSerializationFailure } from "./classify";
import { HEARTBEAT } from "./contract";
import { readClusterEnvironment, type ClusterTarget } from "./environment";

/** What `pulumi up` passes the setup function (through aws.lambda.Invocation). */
export interface SetupRequest {
    /** Database role the monitors connect as; "admin" needs no role or grants. */
    readonly databaseUser: string;
    /** IAM roles of both regions' monitors, mapped to that database role. */
    readonly monitorRoleArns: readonly string[];
}

export interface SetupResult {
    readonly cluster: string;
    readonly steps: readonly string[];
}

/** Mapping IAM roles to a database role: Aurora DSQL's `AWS IAM GRANT`, or a stand-in in tests. */
export interface IamMappings {
    list(client: Client, role: string): Promise<string[]>;
    grant(client: Client, role: string, arn: string): Promise<void>;
}

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * Aurora DSQL's IAM mapping statements; see "Using database roles and IAM authentication"
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-database-and-iam-roles.html).
 * ARNs are checked against IAM_ROLE_ARN before they are quoted into a statement.
 */
export const DSQL_IAM_MAPPINGS: IamMappings = {
    async list(client, role) {
        const { rows } = await client.query<{ arn: string }>(
            "SELECT arn FROM sys.iam_pg_role_mappings WHERE pg_role_name = $1",
            [role],
        );
        return rows.map((r) => r.arn);
    },
    async grant(client, role, arn) {
        await client.query(`AWS IAM GRANT "${role}" TO '${arn}'`);
    },
};

/**
 * Aurora DSQL allows at most 10 schemas per database, a limit that cannot be raised, and
 * refuses one more with SQLSTATE 54000 ("more than 10 schemas not allowed")
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html).
 */
const SCHEMA_QUOTA = {
    limit: 10,
    code: "54000",
    url: "https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html",
} as const;

/** The statements that put the heartbeat table and the monitor's role in place. */
export const SETUP_SQL = {
    schemaExists: "SELECT 1 FROM pg_namespace WHERE nspname = $1",
    createSchema: `CREATE SCHEMA "${HEARTBEAT.schema}"`,
    createTable:
        `CREATE TABLE IF NOT EXISTS "${HEARTBEAT.schema}"."${HEARTBEAT.table}" (` +
        "observer text NOT NULL, via text NOT NULL, tick timestamptz NOT NULL, " +
        "committed_at timestamptz NOT NULL, beats bigint NOT NULL DEFAULT 1, " +
        "PRIMARY KEY (observer, via))",
    /** Schemas a database holds, PostgreSQL's own catalogs aside. */
    listSchemas:
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' " +
        "AND nspname <> 'information_schema' ORDER BY nspname",
    roleExists: "SELECT 1 FROM pg_roles WHERE rolname = $1",
    createRole: (role: string) => `CREATE ROLE "${role}" WITH LOGIN`,
    grantSchema: (role: string) => `GRANT USAGE ON SCHEMA "${HEARTBEAT.schema}" TO "${role}"`,
    // Only what the heartbeat needs: no DELETE, no DDL, nothing outside its table.
    grantTable: (role: string) =>
        `GRANT SELECT, INSERT, UPDATE ON "${HEARTBEAT.schema}"."${HEARTBEAT.table}" TO "${role}"`,
} as const;

/**
 * Idempotent setup, one statement per transaction (Aurora DSQL runs at most one DDL per
 * transaction and never mixes DDL with DML), each retried on SQLSTATE 40001 (a concurrent
 * schema change). Returns what it did.
 */
export async function applySetup(
    client: Client,
    request: SetupRequest,
    iam: IamMappings,
): Promise<string[]> {
    const steps: string[] = [];
    const run = async (label: string, statement: () => Promise<unknown>) => {
        for (let attempt = 1; ; attempt++) {
            try {
                await statement();
                steps.push(label);
                return;
            } catch (error) {
                if (!isSerializationFailure(error) || attempt >= 3) throw error;
            }
        }
    };
    const exists = async (query: string, value: string) =>
        (await client.query(query, [value])).rowCount! > 0;

    if (!(await exists(SETUP_SQL.schemaExists, HEARTBEAT.schema))) {
        await run(`created schema ${HEARTBEAT.schema}`, () =>
            client.query(SETUP_SQL.createSchema).catch(async (error: unknown) => {
                throw (error as { code?: string })?.code === SCHEMA_QUOTA.code
                    ? await schemaQuotaError(client, error)
                    : error;
            }),
        );
    }
    await run(`table ${HEARTBEAT.schema}.${HEARTBEAT.table} in place`, () =>
        client.query(SETUP_SQL.createTable),
    );
    const role = request.databaseUser;
    if (role === "admin") return steps;

    if (!(await exists(SETUP_SQL.roleExists, role))) {
        await run(`created role ${role}`, () => client.query(SETUP_SQL.createRole(role)));
    }
    await run(`granted schema usage to ${role}`, () => client.query(SETUP_SQL.grantSchema(role)));
    await run(`granted SELECT, INSERT, UPDATE on the heartbeat table to ${role}`, () =>
        client.query(SETUP_SQL.grantTable(role)),
    );
    // Only adds: a mapping this stack did not ask for may be another stack's monitor (or a
    // team's own role) using the same database role, and removing it would break that one.
    const current = new Set(await iam.list(client, role));
    for (const arn of request.monitorRoleArns) {
        if (!current.has(arn))
            await run(`mapped ${arn} to ${role}`, () => iam.grant(client, role, arn));
    }
    return steps;
}

/**
 * What to tell the user when CREATE SCHEMA meets the schema quota: the schema the setup
 * needs, the quota, the schemas in the way, and what to do.
 */
async function schemaQuotaError(client: Client, cause: unknown): Promise<Error> {
    const { rows } = await client
        .query<{ nspname: string }>(SETUP_SQL.listSchemas)
        .catch(() => ({ rows: [] as { nspname: string }[] }));
    const names = rows.map((r) => JSON.stringify(r.nspname));
    const shown = names.length > 12 ? [...names.slice(0, 12), "…"] : names;
    const said = JSON.stringify(String((cause as Error)?.message ?? cause).slice(0, 200));
    return new Error(
        `setup: cannot create schema "${HEARTBEAT.schema}" for the monitors' heartbeat table: ` +
            `Aurora DSQL allows at most ${SCHEMA_QUOTA.limit} schemas per database, a quota that ` +
            `cannot be raised (${SCHEMA_QUOTA.url}), and this database holds ` +
            `${rows.length ? `${rows.length}: ${shown.join(", ")}` : "that many"}. ` +
            `Drop a schema no longer used (DROP SCHEMA <name>), then run pulumi up again. ` +
            `The cluster said: ${said}`,
        { cause },
    );
}

/** Checks the request before anything is run. */
export function readSetupRequest(event: unknown): SetupRequest {
    const request = event as Partial<SetupRequest> | undefined;
    const role = request?.databaseUser;
    if (typeof role !== "string" || !ROLE.test(role)) {
        throw new Error(
            `setup: databaseUser ${JSON.stringify(role)} is not a PostgreSQL role name`,
        );
    }
    const arns = request?.monitorRoleArns;
    if (!Array.isArray(arns) || arns.length === 0 || !arns.every((a) => IAM_ROLE_ARN.test(a))) {
        throw new Error(
            `setup: monitorRoleArns ${JSON.stringify(arns)} must be a non-empty list of IAM role ARNs`,
        );
    }
    return { databaseUser: role, monitorRoleArns: arns };
}

export interface SetupDependencies {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly connect: (cluster: ClusterTarget) => Promise<Client>;
    readonly iam: IamMappings;
}

/**
 * Puts the heartbeat table and the monitors' database role in place, through the
 * cluster of this function's region, or the other one if that cannot be reached (the pair
 * is one database, so either will do). Fails loudly: `pulumi up` shows the error.
 */
export function createSetupHandler(
    deps: SetupDependencies,
): (event: unknown) => Promise<SetupResult> {
    return async (event) => {
        const request = readSetupRequest(event);
        const { clusters, observerRegion } = readClusterEnvironment(deps.env);
        const local = clusters.find((c) => c.region === observerRegion)!;
        const remote = clusters.find((c) => c !== local)!;
        let lastError: unknown;
        for (const cluster of [local, remote]) {
            let client: Client;
            try {
                client = await deps.connect(cluster);
            } catch (error) {
                lastError = error;
                continue;
            }
            try {
                const steps = await applySetup(client, request, deps.iam);
                return { cluster: cluster.identifier, steps };
            } finally {
                await client.end().catch(() => undefined);
            }
        }
        throw new Error(
            `setup: neither cluster could be reached: ${(lastError as Error)?.message ?? lastError}`,
        );
    };
}

/** Connects as `admin` with an IAM token (dsql:DbConnectAdmin), TLS verified. */
async function connectAsAdmin(cluster: ClusterTarget): Promise<Client> {
    const signer = new DsqlSigner({ hostname: cluster.endpoint, region: cluster.region });
    const client = new Client({
        host: cluster.endpoint,
        port: 5432,
        user: "admin",
        password: await signer.getDbConnectAdminAuthToken(),
        database: "postgres",
        ssl: { rejectUnauthorized: true },
        connectionTimeoutMillis: 10_000,
        application_name: "aurora-dsql-dr-setup",
    });
    await client.connect();
    return client;
}

export const setupHandler = createSetupHandler({
    env: process.env,
    connect: connectAsAdmin,
    iam: DSQL_IAM_MAPPINGS,
});
