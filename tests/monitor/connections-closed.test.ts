import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { pgDataPlane } from "../../monitor-function/src/sql-probe";
import { FaultProxy } from "../support/fault-proxy";
import { OBSERVER, PRIMARY } from "../support/monitor";
import {
    heartbeatVia as heartbeat,
    MONITOR_PASSWORD,
    MONITOR_ROLE,
    startPairDatabase,
    type PairDatabase,
} from "../support/pair-database";

/**
 * Polls `count` until it reads 0 (a closed socket takes a moment to reach the other end),
 * giving up after a few seconds; returns the last reading.
 */
async function settled(count: () => number | Promise<number>): Promise<number> {
    for (let i = 0; ; i++) {
        const n = await count();
        if (n === 0 || i >= 250) return n;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/**
 * Every round, successful or failed, leaves no connection of the monitor's open, on the
 * path (the proxy's client side) or on the server (pg_stat_activity), except the one the
 * fast profile keeps between the rounds of an invocation, until close().
 */
describe("connections the monitor's data plane leaves open, against a real PostgreSQL", () => {
    let db: PairDatabase;
    // Each test has a path of its own and starts with no session of the monitor's.
    let path: FaultProxy;
    before(async () => {
        db = await startPairDatabase();
        // The heartbeat row exists, so a lock on it holds the monitor's commit.
        assert.equal((await heartbeat(db.port)).outcome, "ok");
    });
    after(async () => {
        await db?.close();
    });
    beforeEach(async () => {
        path = await FaultProxy.start(db.port);
    });
    afterEach(async () => {
        await path.close();
        await db.commitFault(PRIMARY.region, undefined);
        await db.endMonitorSessions();
    });

    /** Nothing of the monitor's is open: not on the path, not on the server. */
    const nothingOpen = async (label: string) => {
        assert.equal(await settled(() => path.openConnections), 0, `${label}: path`);
        assert.equal(await settled(() => db.monitorSessions()), 0, `${label}: server`);
    };
    /**
     * Holds the monitor's heartbeat row locked, so its commit waits; `release` ends that.
     * Resolves `waiting` once the monitor's statement waits for the lock.
     */
    const lockHeartbeatRow = async () => {
        const admin = await db.admin();
        await admin.query("BEGIN");
        await admin.query(
            "SELECT 1 FROM dr_monitor.heartbeat WHERE observer = $1 AND via = $2 FOR UPDATE",
            [OBSERVER, PRIMARY.region],
        );
        return {
            waiting: () =>
                settled(async () => 1 - (await db.monitorSessions("wait_event_type = 'Lock'"))),
            release: async () => {
                await admin.query("ROLLBACK");
                await admin.end();
            },
        };
    };

    it("closes its connection after a successful round", async () => {
        assert.equal((await heartbeat(path.port)).outcome, "ok");
        await nothingOpen("after a success");
    });

    it("closes its connection after a statement the server refused mid-way (read-only)", async () => {
        await db.commitFault(PRIMARY.region, "read-only");
        assert.equal((await heartbeat(path.port)).outcome, "read-only");
        await nothingOpen("after a refused commit");
    });

    it("closes its connection after conflicts that outlived the bound", async () => {
        await db.commitFault(PRIMARY.region, "conflict");
        assert.equal((await heartbeat(path.port, { random: () => 0.5 }, 400)).outcome, "conflict");
        await nothingOpen("after conflicts");
    });

    it("closes its connection after a statement cut at the bound (a timeout)", async () => {
        const lock = await lockHeartbeatRow();
        try {
            assert.equal((await heartbeat(path.port, {}, 400)).outcome, "timeout");
        } finally {
            // The server notices the closed socket once the statement stops waiting.
            await lock.release();
        }
        await nothingOpen("after a timeout");
    });

    it("leaves no retry open after its path is refused mid-way", async () => {
        const lock = await lockHeartbeatRow();
        try {
            const round = heartbeat(path.port, {}, 10_000);
            assert.equal(await lock.waiting(), 0, "the commit waits for the lock");
            path.setMode("refuse");
            assert.equal((await round).outcome, "connection");
        } finally {
            await lock.release();
        }
        await nothingOpen("after a refused path");
    });

    it("closes every refused connect at the connection rate", async () => {
        path.rateLimit(Infinity);
        const connects = path.connects;
        assert.equal(
            (await heartbeat(path.port, { random: () => 0.5 }, 400)).outcome,
            "connection-rate",
        );
        assert.ok(path.connects - connects > 1, "tried more than once");
        await nothingOpen("after refused connects");
    });

    it("keeps one connection between the rounds of an invocation on purpose, and none after close()", async () => {
        const plane = pgDataPlane({
            user: MONITOR_ROLE,
            password: async () => MONITOR_PASSWORD,
            tls: false,
            address: () => ({ host: "127.0.0.1", port: path.port }),
            reuse: true,
        });
        try {
            assert.equal((await heartbeat(path.port, {}, 2000, plane)).outcome, "ok");
            assert.equal((await heartbeat(path.port, {}, 2000, plane)).outcome, "ok");
            assert.equal(await db.monitorSessions(), 1, "the kept connection");
        } finally {
            await plane.close();
        }
        await nothingOpen("after close()");
    });
});
