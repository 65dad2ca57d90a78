import assert from "node:assert/strict";
import { after, before, describe, it, mock } from "node:test";
import { Client } from "pg";
import { CATALOG_CHANGED, FaultProxy, RATE_EXCEEDED } from "../support/fault-proxy";
import {
    COMMIT_CONFLICT,
    MONITOR_PASSWORD,
    MONITOR_ROLE,
    SCHEMA_QUOTA,
    startPairDatabase,
    type PairDatabase,
} from "../support/pair-database";

/**
 * The test PostgreSQL's fault modes answer as Aurora DSQL does, so the monitor's tests and
 * the verdict scenarios that use them meet the errors the real service returns.
 */
describe("fault modes of the test PostgreSQL", () => {
    let db: PairDatabase;
    let proxy: FaultProxy;
    const clients: Client[] = [];

    before(async () => {
        db = await startPairDatabase();
        proxy = await FaultProxy.start(db.port);
    });
    after(async () => {
        for (const c of clients) await c.end().catch(() => undefined);
        await proxy?.close();
        await db?.close();
    });

    /** A client of the monitor's role through the proxy, not yet connected. */
    const through = (port = proxy.port) => {
        const client = new Client({
            host: "127.0.0.1",
            port,
            user: MONITOR_ROLE,
            password: MONITOR_PASSWORD,
            database: "postgres",
        });
        client.on("error", () => undefined);
        clients.push(client);
        return client;
    };
    const opened = async () => {
        const client = through();
        await client.connect();
        return client;
    };
    /** The SQLSTATE and message a statement fails with, or "ok". */
    const outcome = (run: Promise<unknown>) =>
        run.then(
            () => "ok",
            (e: { code?: string; message?: string }) => `${e.code} ${e.message}`,
        );
    const catalogChanged = `${CATALOG_CHANGED.code} ${CATALOG_CHANGED.message}`;
    const read = "SELECT count(*) FROM dr_monitor.heartbeat";

    describe("a catalog change (DDL elsewhere on the cluster)", () => {
        it("fails every open session's next statement once, reads included, in either protocol", async () => {
            const [simple, extended] = [await opened(), await opened()];
            proxy.catalogChange();
            assert.equal(await outcome(simple.query(read)), catalogChanged);
            assert.equal(
                await outcome(extended.query("SELECT $1::int AS one", [1])),
                catalogChanged,
            );
            assert.equal(await outcome(simple.query(read)), "ok", "once per session");
            const { rows } = await extended.query("SELECT $1::int AS one", [1]);
            assert.equal(rows[0].one, 1, "the session goes on answering");
        });

        it("leaves sessions opened after it alone, unless told how many to catch", async () => {
            proxy.catalogChange();
            assert.equal(await outcome((await opened()).query(read)), "ok");
            proxy.catalogChange({ nextSessions: 1 });
            assert.equal(await outcome((await opened()).query(read)), catalogChanged);
            assert.equal(await outcome((await opened()).query(read)), "ok", "only the next one");
        });

        it("can let a session's first statements through and fail a later one", async () => {
            proxy.catalogChange({ nextSessions: 1, afterStatements: 1 });
            const session = await opened();
            assert.equal(await outcome(session.query("SELECT 1")), "ok");
            assert.equal(await outcome(session.query(read)), catalogChanged);
            assert.equal(await outcome(session.query(read)), "ok");
        });

        it("aborts a session's open transaction, as a failed statement does", async () => {
            const session = await opened();
            await session.query("BEGIN");
            proxy.catalogChange();
            assert.equal(await outcome(session.query(read)), catalogChanged);
            assert.match(
                await outcome(session.query(read)),
                /^25P02 /,
                "the transaction is aborted",
            );
            await session.query("ROLLBACK");
            assert.equal(await outcome(session.query(read)), "ok");
        });
    });

    describe("the connection rate limit", () => {
        it("refuses the next connects with 53400 and Aurora DSQL's message, then lets them through", async () => {
            proxy.rateLimit(2);
            const refused = `${RATE_EXCEEDED.code} ${RATE_EXCEEDED.message}`;
            assert.equal(await outcome(through().connect()), refused);
            assert.equal(await outcome(through().connect()), refused);
            assert.equal(await outcome(through().connect()), "ok");
        });

        it("refuses every connect until lifted, and leaves open sessions alone", async () => {
            const open = await opened();
            proxy.rateLimit(Infinity);
            for (let i = 0; i < 3; i++) assert.match(await outcome(through().connect()), /^53400 /);
            assert.equal(await outcome(open.query(read)), "ok");
            proxy.rateLimit(0);
            assert.equal(await outcome(through().connect()), "ok");
        });
    });

    describe("a slow first connect (a cluster waking up)", () => {
        it("holds the first connect, and those made meanwhile, for the given time; later ones pass at once", async () => {
            const path = await FaultProxy.start(db.port);
            mock.timers.enable({ apis: ["setTimeout"] });
            try {
                path.slowFirstConnect(5_000);
                const settled: string[] = [];
                const first = outcome(through(path.port).connect()).then((o) => settled.push(o));
                const second = outcome(through(path.port).connect()).then((o) => settled.push(o));
                // Real I/O runs while virtual time stands still: both connects reach the path.
                while (path.held < 2) await new Promise((resolve) => setImmediate(resolve));
                mock.timers.tick(4_999);
                for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
                assert.deepEqual(settled, [], "nothing answered before the cluster is awake");
                mock.timers.tick(1);
                await Promise.all([first, second]);
                assert.deepEqual(settled, ["ok", "ok"]);
                // Awake: the next connect needs no virtual time at all.
                assert.equal(await outcome(through(path.port).connect()), "ok");
                assert.equal(path.held, 0);
            } finally {
                mock.timers.reset();
                await path.close();
            }
        });
    });

    describe("commit faults and the schema quota", () => {
        it("makes a given number of commits meet Aurora DSQL's OC000 conflict, then lets them through", async () => {
            await db.commitFault("us-east-1", "conflicts-2");
            const session = await opened();
            const commit = () =>
                outcome(
                    session.query(
                        "INSERT INTO dr_monitor.heartbeat (observer, via, tick, committed_at) VALUES ('x', 'us-east-1', now(), now()) " +
                            "ON CONFLICT (observer, via) DO UPDATE SET beats = dr_monitor.heartbeat.beats + 1",
                    ),
                );
            const conflict = `${COMMIT_CONFLICT.code} ${COMMIT_CONFLICT.message}`;
            assert.deepEqual(
                [await commit(), await commit(), await commit()],
                [conflict, conflict, "ok"],
            );
            await db.commitFault("us-east-1", undefined);
        });

        it("refuses CREATE SCHEMA past 10 schemas with 54000, as Aurora DSQL does", async () => {
            const admin = await db.admin();
            await admin.query('CREATE DATABASE "quota"');
            await admin.end();
            await db.schemaQuota("quota");
            const client = await db.admin("quota");
            try {
                const existing = await client.query(
                    "SELECT count(*)::int AS n FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
                );
                const room = SCHEMA_QUOTA.limit - existing.rows[0].n;
                assert.ok(room > 0, `${existing.rows[0].n} schemas before the test`);
                for (let i = 0; i < room; i++) await client.query(`CREATE SCHEMA app_${i}`);
                assert.equal(
                    await outcome(client.query("CREATE SCHEMA one_too_many")),
                    `${SCHEMA_QUOTA.code} ${SCHEMA_QUOTA.message}`,
                );
            } finally {
                await client.end();
            }
        });
    });
});
