import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { failureReason } from "../../monitor-function/src/classify";
import { withDeadline } from "../../monitor-function/src/deadline";
import { pgProber, type PgProberOptions } from "../../monitor-function/src/sql-probe";
import { startPostgres, type LocalPostgres } from "../../tools/embedded-postgres";
import { PRIMARY, silentServer } from "../support/monitor";

const PASSWORD = "probe-test-password";
const USER = "postgres";

/** Probes PRIMARY (pointed at a local address) within `ms`, as the monitor does. */
async function probe(
    options: Partial<PgProberOptions> & { port: number },
    ms = 2000,
): Promise<string> {
    const prober = pgProber({
        password: async () => PASSWORD,
        tls: false,
        address: () => ({ host: "127.0.0.1", port: options.port }),
        ...options,
    });
    try {
        await withDeadline("SQL probe", ms, (signal) => prober.probe(PRIMARY, USER, signal));
        return "ok";
    } catch (error) {
        return failureReason(error);
    }
}

describe("SQL probe against a real PostgreSQL", () => {
    let postgres: LocalPostgres;
    let port: number;

    before(async () => {
        postgres = await startPostgres(PASSWORD);
        port = postgres.port;
    });

    after(async () => {
        await postgres?.close();
    });

    it("succeeds with the right password", async () => {
        assert.equal(await probe({ port }), "ok");
    });

    it("fails with auth-failed on a wrong password", async () => {
        assert.equal(await probe({ port, password: async () => "wrong" }), "auth-failed");
    });

    it("fails with tls when TLS is required and the server offers none", async () => {
        assert.equal(await probe({ port, tls: true }), "tls");
    });

    it("times out on a query slower than the probe bound", async () => {
        const started = performance.now();
        const reason = await probe({ port, query: "SELECT 1 AS ok FROM pg_sleep(5)" }, 300);
        assert.equal(reason, "timeout");
        assert.ok(performance.now() - started < 2000, "the bound is kept, not the query's 5 s");
        assert.equal(await probe({ port }), "ok", "the server is still usable afterwards");
    });

    it("times out on a port that accepts but never answers", async () => {
        const silent = await silentServer();
        try {
            assert.equal(await probe({ port: silent.port }, 300), "timeout");
        } finally {
            await silent.close();
        }
    });

    it("fails, not hangs, when the server stops mid-run", async () => {
        const running = probe({ port, query: "SELECT 1 AS ok FROM pg_sleep(3)" }, 10_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const started = performance.now();
        await postgres.server.stop();
        const reason = await running;
        assert.notEqual(reason, "ok");
        assert.notEqual(reason, "timeout", "the failure is reported as it happens");
        assert.ok(performance.now() - started < 5000);
        assert.equal(await probe({ port }), "connection", "a stopped server refuses connections");
    });
});
