import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { HEARTBEAT } from "../../monitor-function/src/contract";
import { checkMarker } from "../../tools/operator/restore-marker";
import { DRILL_OBSERVER, pgProof, type ProveCluster } from "../../tools/operator/restore-proof";
import { startPairDatabase, type PairDatabase } from "../support/pair-database";

// The drill's proof with the monitor's own setup and data-plane code, against a real
// PostgreSQL standing in for a restored cluster: one database restored with the monitors'
// heartbeats (the marker), one restored from before the monitors ever ran.

const NOW = new Date(Date.UTC(2026, 11, 6, 9, 30, 0));
const BACKUP = new Date(Date.UTC(2026, 11, 6, 5, 0, 0));
const CLUSTER = {
    identifier: "restoredprimaryaaaaaaaaaaa",
    region: "us-east-1",
    arn: "arn:aws:dsql:us-east-1:123456789012:cluster/restoredprimaryaaaaaaaaaaa",
};
const point = {
    arn: "arn:aws:backup:us-east-1:123456789012:recovery-point:1",
    vault: "dr-backup-q7k2mz-primary",
    region: "us-east-1",
    resourceArn: "arn:aws:dsql:us-east-1:123456789012:cluster/source",
    createdAt: BACKUP,
    completedAt: new Date(BACKUP.getTime() + 20 * 60_000),
};
const BOUNDS = { maxAgeSeconds: 900, toleranceSeconds: 5 };

let db: PairDatabase;
const proofAt = (port: number, database = "postgres"): ProveCluster =>
    pgProof({
        user: db.postgres.user,
        password: async () => db.postgres.password,
        tls: false,
        address: () => ({ host: "127.0.0.1", port }),
        database: () => database,
        timeoutMs: 5000,
        now: () => NOW,
    });

before(async () => {
    db = await startPairDatabase();
    const admin = await db.admin();
    try {
        const table = `"${HEARTBEAT.schema}"."${HEARTBEAT.table}"`;
        for (const [observer, secondsBefore] of [
            ["us-east-1", 40],
            ["us-east-2", 70],
        ] as const) {
            const at = new Date(BACKUP.getTime() - secondsBefore * 1000);
            await admin.query(
                `INSERT INTO ${table} (observer, via, tick, committed_at) VALUES ($1, $1, $2, $2)`,
                [observer, at],
            );
        }
        await admin.query('CREATE DATABASE "before_monitors"');
    } finally {
        await admin.end();
    }
});

after(async () => {
    await db?.close();
});

describe("the proof on a real database, with the monitor's setup and heartbeat code", () => {
    it("a restored database with the monitors' rows: setup finds the table, the drill's heartbeat commits beside them", async () => {
        const proof = await proofAt(db.port)(CLUSTER);
        assert.deepEqual(proof.setupSteps, [
            `table ${HEARTBEAT.schema}.${HEARTBEAT.table} in place`,
        ]);
        assert.deepEqual(proof.committedAt, NOW);
        const observers = proof.rows.map((r) => `${r.observer} via ${r.via}`).sort();
        assert.deepEqual(observers, [
            `${DRILL_OBSERVER} via us-east-1`,
            "us-east-1 via us-east-1",
            "us-east-2 via us-east-2",
        ]);
        const marker = checkMarker(proof.rows, point, BOUNDS);
        assert.equal(marker.pass, true, marker.observed);
        assert.equal(marker.rpoSeconds, 40);
    });

    it("the monitors' rows are left as they were: the drill commits as its own observer", async () => {
        const proof = await proofAt(db.port)(CLUSTER);
        const monitor = proof.rows.find((r) => r.observer === "us-east-1")!;
        assert.deepEqual(monitor.committedAt, new Date(BACKUP.getTime() - 40_000));
        assert.equal(monitor.beats, 1);
    });

    it("a database restored from before the monitors ran: setup creates the table, but no marker", async () => {
        const proof = await proofAt(db.port, "before_monitors")(CLUSTER);
        assert.ok(proof.setupSteps.includes(`created schema ${HEARTBEAT.schema}`));
        assert.deepEqual(
            proof.rows.map((r) => r.observer),
            [DRILL_OBSERVER],
        );
        assert.equal(checkMarker(proof.rows, point, BOUNDS).pass, false);
    });

    it("a cluster that refuses connections: the proof fails with the connect error", async () => {
        // A port just released: nothing listens on it.
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        await new Promise((resolve) => server.close(resolve));
        await assert.rejects(proofAt(port)(CLUSTER), /ECONNREFUSED/);
    });
});
