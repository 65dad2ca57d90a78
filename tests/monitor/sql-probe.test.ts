import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { failureReason, failureSide } from "../../monitor-function/src/classify";
import { withDeadline } from "../../monitor-function/src/deadline";
import { pgDataPlane, type PgDataPlaneOptions } from "../../monitor-function/src/sql-probe";
import { FaultProxy } from "../support/fault-proxy";
import { OBSERVER, PRIMARY, silentServer } from "../support/monitor";
import {
    MONITOR_PASSWORD,
    MONITOR_ROLE,
    startPairDatabase,
    type PairDatabase,
} from "../support/pair-database";

const TICK = new Date(Date.UTC(2026, 10, 29, 12, 0, 0));

/** One heartbeat through PRIMARY, pointed at a local port, within `ms`, as the monitor runs it. */
async function heartbeat(
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
                    tick: TICK,
                    committedAt: () => new Date(TICK.getTime() + 100),
                },
                budget,
            ),
        );
        return { outcome: "ok" as const, ...result };
    } catch (error) {
        return { outcome: failureReason(error), side: failureSide(error) };
    }
}

describe("heartbeat data plane against a real PostgreSQL", () => {
    let db: PairDatabase;
    let proxy: FaultProxy;

    before(async () => {
        db = await startPairDatabase();
        proxy = await FaultProxy.start(db.port);
    });
    afterEach(async () => {
        proxy.setMode("pass");
        await db.commitFault(PRIMARY.region, undefined);
    });
    after(async () => {
        await proxy?.close();
        await db?.close();
    });

    it("commits this observer's heartbeat and reads every heartbeat, as the least-privilege role", async () => {
        const first = await heartbeat(db.port);
        const second = await heartbeat(db.port);
        assert.equal(first.outcome, "ok");
        assert.equal(second.outcome, "ok");
        const mine = (r: typeof second) =>
            "rows" in r
                ? r.rows.find((x) => x.observer === OBSERVER && x.via === PRIMARY.region)
                : undefined;
        assert.equal(mine(second)!.tick.getTime(), TICK.getTime());
        assert.equal(mine(second)!.committedAt.getTime(), TICK.getTime() + 100);
        assert.equal(mine(second)!.beats, mine(first)!.beats + 1, "each commit counts a beat");
    });

    it("tries a transiently refused connect once more within its budget (a cluster waking up)", async () => {
        proxy.setMode("wake-up");
        const result = await heartbeat(proxy.port);
        assert.equal(result.outcome, "ok");
        assert.equal("attempts" in result && result.attempts, 2);
    });

    it("fails as the cluster's problem when every connect is refused", async () => {
        proxy.setMode("refuse");
        assert.deepEqual(await heartbeat(proxy.port), { outcome: "connection", side: "cluster" });
    });

    it("gives up at its bound on a path that accepts and never answers, retry included", async () => {
        proxy.setMode("hang");
        const started = performance.now();
        assert.deepEqual(await heartbeat(proxy.port, {}, 400), {
            outcome: "timeout",
            side: "cluster",
        });
        assert.ok(performance.now() - started < 1000, "the bound is kept");
        proxy.setMode("pass");
        assert.equal(
            (await heartbeat(proxy.port)).outcome,
            "ok",
            "the server is usable afterwards",
        );
    });

    it("times out on a port that accepts but never speaks", async () => {
        const silent = await silentServer();
        try {
            assert.deepEqual(await heartbeat(silent.port, {}, 300), {
                outcome: "timeout",
                side: "cluster",
            });
        } finally {
            await silent.close();
        }
    });

    it("reports a cluster that reads but cannot commit as read-only, the cluster's problem", async () => {
        await db.commitFault(PRIMARY.region, "read-only");
        assert.deepEqual(await heartbeat(db.port), { outcome: "read-only", side: "cluster" });
    });

    it("retries a commit once on an optimistic-concurrency conflict (40001), and only once", async () => {
        await db.commitFault(PRIMARY.region, "conflict-once");
        assert.equal((await heartbeat(db.port)).outcome, "ok");
        await db.commitFault(PRIMARY.region, "conflict");
        assert.deepEqual(await heartbeat(db.port), { outcome: "conflict", side: "cluster" });
    });

    it("reads a missing heartbeat table as the monitor's own defect, not an outage", async () => {
        const fresh = await db.admin();
        await fresh.query('CREATE DATABASE "no_setup"');
        await fresh.end();
        const result = await heartbeat(db.port, { database: () => "no_setup" });
        assert.deepEqual(result, { outcome: "setup-missing", side: "monitor" });
    });

    it("reads a refused sign-in as the monitor's own defect (its IAM mapping or grants)", async () => {
        assert.deepEqual(await heartbeat(db.port, { password: async () => "wrong" }), {
            outcome: "auth-failed",
            side: "monitor",
        });
    });

    it("fails with tls when TLS is required and the server offers none", async () => {
        assert.deepEqual(await heartbeat(db.port, { tls: true }), {
            outcome: "tls",
            side: "cluster",
        });
    });

    it("keeps its connection between the rounds of one invocation, and reconnects once if it died", async () => {
        const plane = pgDataPlane({
            user: MONITOR_ROLE,
            password: async () => MONITOR_PASSWORD,
            tls: false,
            address: () => ({ host: "127.0.0.1", port: proxy.port }),
            reuse: true,
        });
        try {
            const first = await heartbeat(proxy.port, {}, 2000, plane);
            const second = await heartbeat(proxy.port, {}, 2000, plane);
            assert.equal("attempts" in first && first.attempts, 1);
            assert.equal("attempts" in second && second.attempts, 0, "the kept connection");
            proxy.setMode("refuse"); // drops the kept connection
            proxy.setMode("pass");
            const third = await heartbeat(proxy.port, {}, 2000, plane);
            assert.equal(third.outcome, "ok");
            assert.equal("attempts" in third && third.attempts, 1, "a fresh connection");
        } finally {
            await plane.close();
        }
    });

    it("gives the monitor's role only what the heartbeat needs", async () => {
        const { Client } = await import("pg");
        const monitor = new Client({
            host: "127.0.0.1",
            port: db.port,
            user: MONITOR_ROLE,
            password: MONITOR_PASSWORD,
            database: "postgres",
        });
        await monitor.connect();
        try {
            const denied = async (sql: string) =>
                monitor.query(sql).then(
                    () => "allowed",
                    (e: { code?: string }) => e.code,
                );
            assert.equal(await denied("DELETE FROM dr_monitor.heartbeat"), "42501");
            assert.equal(await denied("CREATE TABLE dr_monitor.other (x int)"), "42501");
            assert.equal(await denied("TRUNCATE dr_monitor.heartbeat"), "42501");
            assert.equal(await denied("SELECT count(*) FROM dr_monitor.heartbeat"), "allowed");
        } finally {
            await monitor.end();
        }
    });
});
