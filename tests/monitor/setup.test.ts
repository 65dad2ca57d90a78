import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "pg";
import {
    applySetup,
    createSetupHandler,
    readSetupRequest,
    SETUP_SQL,
} from "../../monitor-function/src/setup";
import { monitorEnv, PRIMARY, SECONDARY } from "../support/monitor";
import {
    MONITOR_ROLE,
    MONITOR_ROLE_ARNS,
    passwordMappings,
    startPairDatabase,
    type PairDatabase,
} from "../support/pair-database";

describe("database setup against a real PostgreSQL", () => {
    let db: PairDatabase;
    before(async () => {
        db = await startPairDatabase();
    });
    after(async () => {
        await db?.close();
    });

    it("creates the schema, table and role, then on a second run finds them in place", async () => {
        await db.createDatabase("fresh");
        const client = await db.admin("fresh");
        try {
            // startPairDatabase already ran the setup once in "fresh"; run it again.
            const steps = await applySetup(
                client,
                { databaseUser: MONITOR_ROLE, monitorRoleArns: MONITOR_ROLE_ARNS },
                db.mappings,
            );
            assert.ok(
                !steps.some((s) => s.startsWith("created")),
                `nothing created twice: ${steps}`,
            );
            assert.ok(!steps.some((s) => s.startsWith("mapped")), "mappings already in place");
            const { rows } = await client.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'dr_monitor' AND table_name = 'heartbeat' ORDER BY column_name",
            );
            assert.deepEqual(
                rows.map((r) => r.column_name),
                ["beats", "committed_at", "observer", "tick", "via"],
            );
        } finally {
            await client.end();
        }
    });

    it("maps both monitors' IAM roles, and leaves every other mapping of the role alone", async () => {
        // Another stack's monitor (or a team's own role) mapped to the same database role.
        const other = "arn:aws:iam::111122223333:role/dr-monitor-other1-primary";
        const mappings = passwordMappings();
        mappings.mapped.add(other);
        const client = await db.admin();
        try {
            const steps = await applySetup(
                client,
                { databaseUser: MONITOR_ROLE, monitorRoleArns: MONITOR_ROLE_ARNS },
                mappings,
            );
            assert.deepEqual([...mappings.mapped].sort(), [other, ...MONITOR_ROLE_ARNS].sort());
            assert.deepEqual(
                steps.filter((s) => s.startsWith("mapped")),
                MONITOR_ROLE_ARNS.map((arn) => `mapped ${arn} to ${MONITOR_ROLE}`),
            );
        } finally {
            await client.end();
        }
    });

    it("creates only the table when the monitors connect as admin", async () => {
        const mappings = passwordMappings();
        const client = await db.admin();
        try {
            const steps = await applySetup(
                client,
                { databaseUser: "admin", monitorRoleArns: MONITOR_ROLE_ARNS },
                mappings,
            );
            assert.deepEqual(steps, ["table dr_monitor.heartbeat in place"]);
            assert.equal(mappings.mapped.size, 0);
        } finally {
            await client.end();
        }
    });

    describe("Aurora DSQL's quota of 10 schemas per database", () => {
        const request = { databaseUser: MONITOR_ROLE, monitorRoleArns: MONITOR_ROLE_ARNS };
        /** A database at the quota: `ownSchema` (if given) and an application's schemas. */
        const crowded = async (name: string, ownSchema: boolean): Promise<Client> => {
            const admin = await db.admin();
            await admin.query(`CREATE DATABASE "${name}"`);
            await admin.end();
            const client = await db.admin(name);
            if (ownSchema) await applySetup(client, request, passwordMappings());
            await db.schemaQuota(name);
            for (let i = 0; ; i++) {
                const created = await client.query(`CREATE SCHEMA app_${i}`).then(
                    () => true,
                    () => false,
                );
                if (!created) return client;
            }
        };

        it("fails the setup with a message naming the quota, the schema and what to do", async () => {
            const client = await crowded("crowded", false);
            try {
                await assert.rejects(
                    applySetup(client, request, passwordMappings()),
                    (e: Error) => {
                        assert.match(e.message, /schema "dr_monitor"/);
                        assert.match(e.message, /at most 10 schemas per database/);
                        assert.match(e.message, /cannot be raised/);
                        assert.match(e.message, /drop a schema/i);
                        assert.match(e.message, /"app_0"/, "names the schemas in the way");
                        assert.match(
                            e.message,
                            /aurora-dsql\/latest\/userguide\/CHAP_quotas\.html/,
                        );
                        return true;
                    },
                );
            } finally {
                await client.end();
            }
        });

        it("reuses the monitor's schema already in a database at the quota", async () => {
            const client = await crowded("crowded_adopted", true);
            try {
                const steps = await applySetup(client, request, passwordMappings());
                assert.ok(!steps.some((s) => s.startsWith("created schema")), `${steps}`);
                assert.ok(steps.includes("table dr_monitor.heartbeat in place"));
            } finally {
                await client.end();
            }
        });
    });

    it("runs each statement on its own (one DDL per transaction, as Aurora DSQL requires)", () => {
        const statements = [
            SETUP_SQL.createSchema,
            SETUP_SQL.createTable,
            SETUP_SQL.createRole(MONITOR_ROLE),
            SETUP_SQL.grantSchema(MONITOR_ROLE),
            SETUP_SQL.grantTable(MONITOR_ROLE),
        ];
        for (const s of statements) {
            assert.doesNotMatch(s, /;/, "a single statement");
            assert.doesNotMatch(s, /\bBEGIN\b/i);
        }
        assert.match(
            SETUP_SQL.grantTable(MONITOR_ROLE),
            /GRANT SELECT, INSERT, UPDATE ON "dr_monitor"."heartbeat"/,
        );
    });

    it("refuses a request it cannot trust, before connecting", () => {
        assert.throws(
            () => readSetupRequest({ databaseUser: "x; DROP", monitorRoleArns: MONITOR_ROLE_ARNS }),
            /databaseUser/,
        );
        assert.throws(
            () =>
                readSetupRequest({
                    databaseUser: MONITOR_ROLE,
                    monitorRoleArns: ["arn:aws:iam::1:role/x' OR 1=1"],
                }),
            /monitorRoleArns/,
        );
        assert.throws(
            () => readSetupRequest({ databaseUser: MONITOR_ROLE, monitorRoleArns: [] }),
            /non-empty/,
        );
    });

    it("uses the other cluster when its own region's cannot be reached, and fails loudly when neither can", async () => {
        const tried: string[] = [];
        const handler = createSetupHandler({
            env: monitorEnv(),
            iam: passwordMappings(),
            connect: async (cluster) => {
                tried.push(cluster.role);
                if (cluster.identifier === PRIMARY.identifier) throw new Error("connect ETIMEDOUT");
                return db.admin();
            },
        });
        const result = await handler({
            databaseUser: MONITOR_ROLE,
            monitorRoleArns: MONITOR_ROLE_ARNS,
        });
        assert.deepEqual(tried, ["primary", "secondary"], "its own region (us-east-1) first");
        assert.equal(result.cluster, SECONDARY.identifier);

        const dark = createSetupHandler({
            env: monitorEnv(),
            iam: passwordMappings(),
            connect: async () => {
                throw new Error("connect ECONNREFUSED");
            },
        });
        await assert.rejects(
            dark({ databaseUser: MONITOR_ROLE, monitorRoleArns: MONITOR_ROLE_ARNS }),
            /neither cluster could be reached: connect ECONNREFUSED/,
        );
    });

    it("leaves the monitors able to sign in as their role", async () => {
        const monitor = new Client({
            host: "127.0.0.1",
            port: db.port,
            user: MONITOR_ROLE,
            password: "pair-monitor-password",
            database: "postgres",
        });
        await monitor.connect();
        const { rows } = await monitor.query("SELECT current_user AS who");
        await monitor.end();
        assert.equal(rows[0].who, MONITOR_ROLE);
    });
});
