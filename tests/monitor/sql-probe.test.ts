import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { END_GRACE_MS, pgDataPlane } from "../../monitor-function/src/sql-probe";
import { FaultProxy } from "../support/fault-proxy";
import { OBSERVER, PRIMARY, silentServer } from "../support/monitor";
import {
    HEARTBEAT_TICK as TICK,
    heartbeatVia as heartbeat,
    MONITOR_PASSWORD,
    MONITOR_ROLE,
    startPairDatabase,
    type PairDatabase,
} from "../support/pair-database";

/** A jitter source that always draws `value` and counts its draws (one per back-off pause). */
function countedRandom(value: number) {
    const source = { draws: 0, random: () => (source.draws++, value) };
    return source;
}

/** A TCP server on loopback that accepts and never says a word; `closed` has one entry per connection. */
async function blackhole() {
    const sockets = new Set<Socket>();
    const closed: Promise<void>[] = [];
    const server = createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => undefined);
        socket.resume(); // reads (and drops) what comes, so it sees the client's FIN
        closed.push(new Promise((resolve) => socket.once("close", () => resolve())));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as { port: number }).port,
        /** Settles once the client has closed that connection. */
        closed,
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}

/**
 * A TCP path to `upstreamPort` that can go dark, as a peer that vanished after the last
 * round: from then on it drops what either side sends, and ignores the client's FIN (it
 * never closes its half). `accepted` holds the path's end of each connection.
 */
async function darkPath(upstreamPort: number) {
    let dark = false;
    const sockets = new Set<Socket>();
    const accepted: Socket[] = [];
    const server = createServer({ allowHalfOpen: true }, (client) => {
        accepted.push(client);
        const upstream = connect(upstreamPort, "127.0.0.1");
        for (const s of [client, upstream]) {
            sockets.add(s);
            s.on("error", () => undefined);
            s.on("close", () => sockets.delete(s));
        }
        client.on("data", (chunk) => void (dark || upstream.write(chunk)));
        upstream.on("data", (chunk) => void (dark || client.write(chunk)));
        client.on("end", () => void (dark || upstream.end()));
        upstream.on("close", () => void (dark || client.destroy()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as { port: number }).port,
        accepted,
        goDark: () => void (dark = true),
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}

/**
 * Resolves once the far end of `socket` is gone for good: a socket merely half-closed (FIN
 * sent) still takes data; a destroyed one answers with a reset. Pokes until then.
 */
function farEndGone(socket: Socket): Promise<void> {
    return new Promise((resolve) => {
        socket.once("close", () => resolve());
        const poke = () => {
            if (!socket.destroyed) socket.write("\0", () => setTimeout(poke, 10));
        };
        poke();
    });
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
        proxy.rateLimit(0);
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

    // Were the bound not kept, the heartbeat would never return, nor would a socket left open
    // close: the test's timeout fails it (and its cleanup still runs).
    it(
        "gives up at its bound on a path that accepts and never answers, retry included, and closes both connections",
        { timeout: 10_000 },
        async (t) => {
            const path = await blackhole();
            t.after(path.close);
            assert.deepEqual(await heartbeat(path.port, {}, 400), {
                outcome: "timeout",
                side: "cluster",
            });
            assert.equal(
                path.closed.length,
                2,
                "the first connect, cut at half the budget, then one retry",
            );
            // Both sockets closed by the monitor: nothing of the hung path outlives the bound.
            await Promise.all(path.closed);
        },
    );

    it("times out on a port that accepts but never speaks", { timeout: 10_000 }, async (t) => {
        const silent = await silentServer();
        t.after(silent.close);
        assert.deepEqual(await heartbeat(silent.port, {}, 300), {
            outcome: "timeout",
            side: "cluster",
        });
    });

    it("reports a cluster that reads but cannot commit as read-only, the cluster's problem", async () => {
        await db.commitFault(PRIMARY.region, "read-only");
        assert.deepEqual(await heartbeat(db.port), { outcome: "read-only", side: "cluster" });
    });

    it("retries a commit through repeated OC000 conflicts, backing off with its own jitter source", async () => {
        await db.commitFault(PRIMARY.region, "conflicts-3");
        const jitter = countedRandom(0.5);
        const result = await heartbeat(db.port, { random: jitter.random });
        assert.equal(result.outcome, "ok");
        assert.equal(jitter.draws, 3, "one jittered pause before each of the three retries");
    });

    it("retries a read that meets OC001 after DDL elsewhere on the cluster", async () => {
        // The commit passes; the catalog changes before the read.
        proxy.catalogChange({ nextSessions: 1, afterStatements: 1 });
        const jitter = countedRandom(0);
        const result = await heartbeat(proxy.port, { random: jitter.random });
        assert.equal(result.outcome, "ok");
        assert.equal(jitter.draws, 1, "the read was retried once");
    });

    it("carries a kept connection through the catalog change its next statement meets", async () => {
        const plane = pgDataPlane({
            user: MONITOR_ROLE,
            password: async () => MONITOR_PASSWORD,
            tls: false,
            address: () => ({ host: "127.0.0.1", port: proxy.port }),
            reuse: true,
            random: () => 0,
        });
        try {
            assert.equal((await heartbeat(proxy.port, {}, 2000, plane)).outcome, "ok");
            proxy.catalogChange();
            const next = await heartbeat(proxy.port, {}, 2000, plane);
            assert.equal(next.outcome, "ok");
            assert.equal("attempts" in next && next.attempts, 0, "on the kept connection");
        } finally {
            await plane.close();
        }
    });

    it("fails as a conflict, the cluster's side, when conflicts outlive its bound, having retried until then", async () => {
        await db.commitFault(PRIMARY.region, "conflict");
        const jitter = countedRandom(0.5);
        assert.deepEqual(await heartbeat(db.port, { random: jitter.random }, 1000), {
            outcome: "conflict",
            side: "cluster",
        });
        assert.ok(jitter.draws >= 2, `kept retrying: ${jitter.draws} pauses`);
    });

    it("retries a connect refused at the cluster's connection rate (53400), backing off", async () => {
        proxy.rateLimit(3);
        const jitter = countedRandom(0);
        const result = await heartbeat(proxy.port, { random: jitter.random });
        assert.equal(result.outcome, "ok");
        assert.equal("attempts" in result && result.attempts, 4);
        assert.equal(jitter.draws, 3);
    });

    it("fails as connection-rate, the cluster's side, when the rate limit outlasts its bound", async () => {
        proxy.rateLimit(Infinity);
        assert.deepEqual(await heartbeat(proxy.port, { random: () => 0.5 }, 400), {
            outcome: "connection-rate",
            side: "cluster",
        });
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

    // Were close() to wait for the server to close the socket, it would never return: the
    // test's timeout fails it.
    it(
        "closes a kept connection whose server went dark since the last round, without waiting for it",
        { timeout: 10 * END_GRACE_MS },
        async (t) => {
            const path = await darkPath(db.port);
            t.after(path.close);
            const plane = pgDataPlane({
                user: MONITOR_ROLE,
                password: async () => MONITOR_PASSWORD,
                tls: false,
                address: () => ({ host: "127.0.0.1", port: path.port }),
                reuse: true,
            });
            assert.equal((await heartbeat(path.port, {}, 2000, plane)).outcome, "ok");
            assert.equal(path.accepted.length, 1, "one connection, kept");
            path.goDark();
            await plane.close();
            // Destroyed, not merely half-closed after its Terminate and FIN went unanswered.
            await farEndGone(path.accepted[0]);
        },
    );

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
