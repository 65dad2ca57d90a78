import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ENV } from "../../monitor-function/src/contract";
import type { ControlPlane } from "../../monitor-function/src/control-plane";
import { readSettings } from "../../monitor-function/src/environment";
import { probeRound } from "../../monitor-function/src/probe";
import { pgDataPlane } from "../../monitor-function/src/sql-probe";
import { FaultProxy } from "../support/fault-proxy";
import { fixedMaintenance, monitorEnv, PRIMARY, SECONDARY, WITNESS } from "../support/monitor";
import {
    MONITOR_PASSWORD,
    MONITOR_ROLE,
    startPairDatabase,
    type PairDatabase,
} from "../support/pair-database";

const TICK = new Date(Date.UTC(2026, 10, 29, 12, 0, 0));
/** The probe bound, the bound while a cluster wakes, and how long its first connect takes. */
const BOUND_MS = 300;
const WAKE_UP_BOUND_MS = 4000;
const FIRST_CONNECT_MS = 3 * BOUND_MS;

/**
 * The first connect to an IDLE or INACTIVE cluster is slower than usual
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cluster-lifecycle.html): once
 * GetCluster says so, that cluster's heartbeat runs on the wake-up bound, against a real
 * PostgreSQL whose path holds the first connect while the cluster wakes.
 */
describe("a cluster waking from IDLE or INACTIVE", () => {
    let db: PairDatabase;
    const paths = {} as Record<"primary" | "secondary", FaultProxy>;

    before(async () => {
        db = await startPairDatabase();
        paths.primary = await FaultProxy.start(db.port);
        paths.secondary = await FaultProxy.start(db.port);
    });
    after(async () => {
        for (const path of Object.values(paths)) await path?.close();
        await db?.close();
    });

    /** One round of the observer, the secondary cluster reporting `status`, its first connect slow. */
    async function roundWhileSecondaryIs(status: string) {
        paths.secondary.slowFirstConnect(FIRST_CONNECT_MS);
        const settings = readSettings(
            monitorEnv({
                [ENV.controlPlaneTimeoutMs]: String(BOUND_MS),
                [ENV.dataPlaneTimeoutMs]: String(BOUND_MS),
                [ENV.dataPlaneWakeTimeoutMs]: String(WAKE_UP_BOUND_MS),
            }),
        );
        const controlPlane: ControlPlane = {
            async getCluster(_region, identifier) {
                const cluster = identifier === PRIMARY.identifier ? PRIMARY : SECONDARY;
                return {
                    status: cluster === SECONDARY ? status : "ACTIVE",
                    arn: cluster.arn,
                    witnessRegion: WITNESS,
                    peers: [PRIMARY.arn, SECONDARY.arn],
                };
            },
        };
        const dataPlane = pgDataPlane({
            user: MONITOR_ROLE,
            password: async () => MONITOR_PASSWORD,
            tls: false,
            address: (cluster) => ({ host: "127.0.0.1", port: paths[cluster.role].port }),
        });
        const round = await probeRound(
            settings,
            { controlPlane, dataPlane, maintenance: fixedMaintenance(), now: Date.now },
            TICK,
        );
        const secondary = round.clusters.find((c) => c.cluster === settings.clusters[1])!;
        const primary = round.clusters.find((c) => c.cluster === settings.clusters[0])!;
        return { secondary, primary };
    }

    for (const status of ["IDLE", "INACTIVE"]) {
        it(`gives the heartbeat the wake-up bound once GetCluster reports ${status}: a first connect slower than the probe bound succeeds`, async () => {
            const { secondary, primary } = await roundWhileSecondaryIs(status);
            assert.deepEqual(secondary.dataPlane.ok === true ? "ok" : secondary.dataPlane, "ok");
            assert.equal(secondary.wakeUpGraceMs, WAKE_UP_BOUND_MS, "the round says so");
            assert.equal(primary.dataPlane.ok, true);
            assert.equal(primary.wakeUpGraceMs, undefined, "an ACTIVE cluster keeps its bound");
        });
    }

    it("keeps the probe bound for an ACTIVE cluster: the same slow first connect times out", async () => {
        const { secondary } = await roundWhileSecondaryIs("ACTIVE");
        assert.equal(secondary.dataPlane.ok === false && secondary.dataPlane.reason, "timeout");
        assert.equal(secondary.wakeUpGraceMs, undefined);
    });
});
