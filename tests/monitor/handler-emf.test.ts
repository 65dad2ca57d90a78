import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { DSQLClient, GetClusterCommand } from "@aws-sdk/client-dsql";
import { mockClient } from "aws-sdk-client-mock";
import {
    ENV,
    METRIC_NAMESPACE,
    METRICS,
    OBSERVER_DIMENSION_NAMES,
    DIMENSION_NAMES,
    pairId,
} from "../../monitor-function/src/contract";
import { EnvironmentError } from "../../monitor-function/src/environment";
import {
    activeCluster,
    captureOutput,
    emfDatapoints,
    emfDocuments,
    fixedMaintenance,
    logRecords,
    monitorEnv,
    OBSERVER,
    PRIMARY,
    scriptedDataPlane,
    SECONDARY,
    testHandler,
} from "../support/monitor";

const dsql = mockClient(DSQLClient);
const TICK = "2026-11-29T12:00:00.000Z";
const contractNames = new Set<string>(Object.values(METRICS).map((m) => m.name));

describe("monitor output (EMF and the summary line)", () => {
    beforeEach(() => {
        dsql.reset();
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).resolves(
            activeCluster(PRIMARY, SECONDARY),
        );
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier }).resolves(
            activeCluster(SECONDARY, PRIMARY),
        );
    });

    it("on a healthy pair emits only MonitorHealth = 1, with exactly the observer dimension set", async () => {
        const { lines } = await captureOutput(() =>
            testHandler(scriptedDataPlane(), monitorEnv(), { now: () => Date.parse(TICK) + 2000 })({
                time: TICK,
            }),
        );
        const docs = emfDocuments(lines);
        assert.equal(docs.length, 1, "sparse metrics cost nothing while all is well");
        const [directive] = docs[0]._aws.CloudWatchMetrics;
        assert.equal(directive.Namespace, METRIC_NAMESPACE);
        assert.deepEqual(
            directive.Dimensions,
            [[...OBSERVER_DIMENSION_NAMES]],
            "no service dimension",
        );
        assert.deepEqual(directive.Metrics, [{ Name: "MonitorHealth", Unit: "Count" }]);
        assert.equal(docs[0].MonitorHealth, 1);
        assert.equal(docs[0].Pair, pairId(PRIMARY.identifier, SECONDARY.identifier));
        assert.equal(docs[0].ObserverRegion, OBSERVER);
        assert.equal(docs[0]._aws.Timestamp, Date.parse(TICK), "stamped with the schedule tick");
    });

    it("emits cluster-scoped signals with exactly the cluster dimension set, and only names from the contract", async () => {
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier }).rejects(
            Object.assign(new Error("boom"), {
                name: "InternalServerException",
                $metadata: { httpStatusCode: 500 },
            }),
        );
        const { lines } = await captureOutput(() =>
            testHandler(scriptedDataPlane({ [SECONDARY.identifier]: new Error("refused") }))({
                time: TICK,
            }),
        );
        const docs = emfDocuments(lines);
        for (const doc of docs) {
            for (const directive of doc._aws.CloudWatchMetrics) {
                for (const metric of directive.Metrics)
                    assert.ok(contractNames.has(metric.Name), metric.Name);
            }
        }
        const secondary = emfDatapoints(docs).filter(
            (p) => p.dimensions.ClusterId === SECONDARY.identifier,
        );
        assert.deepEqual(secondary.map((p) => p.metric).sort(), [
            "ClusterVerdict",
            "ControlPlaneFailure",
        ]);
        for (const p of secondary)
            assert.deepEqual(Object.keys(p.dimensions), [...DIMENSION_NAMES]);
    });

    it("stamps each round of the fast profile with its own time, at high resolution", async () => {
        const env = monitorEnv({
            [ENV.probeRounds]: "3",
            [ENV.probeIntervalSeconds]: "12",
            [ENV.metricResolution]: "1",
        });
        // The test handler's waits between rounds return at once.
        const handler = testHandler(scriptedDataPlane(), env, {
            now: () => Date.parse(TICK) + 2000,
        });
        const { result, lines } = await captureOutput(() => handler({ time: TICK }));
        const points = emfDatapoints(emfDocuments(lines)).filter(
            (p) => p.metric === "MonitorHealth",
        );
        assert.deepEqual(
            points.map((p) => p.timestamp - Date.parse(TICK)),
            [0, 12_000, 24_000],
        );
        assert.ok(
            points.every((p) => p.resolution === 1),
            "StorageResolution 1",
        );
        assert.equal(result.rounds.length, 3);
    });

    it("raises the maintenance signal while the region's window is open, and not after it ends", async () => {
        const now = Date.parse(TICK);
        const window = JSON.stringify({
            since: new Date(now - 60_000).toISOString(),
            until: new Date(now + 600_000).toISOString(),
        });
        const open = await captureOutput(() =>
            testHandler(scriptedDataPlane(), monitorEnv(), {
                maintenance: fixedMaintenance(window),
                now: () => now,
            })({ time: TICK }),
        );
        assert.equal(
            emfDatapoints(emfDocuments(open.lines)).find((p) => p.metric === "MaintenanceWindow")
                ?.value,
            1,
        );
        const later = now + 601_000;
        const expired = await captureOutput(() =>
            testHandler(scriptedDataPlane(), monitorEnv(), {
                maintenance: fixedMaintenance(window),
                now: () => later,
            })({
                time: new Date(later).toISOString(),
            }),
        );
        assert.equal(
            emfDatapoints(emfDocuments(expired.lines)).find(
                (p) => p.metric === "MaintenanceWindow",
            ),
            undefined,
        );
    });

    it("logs one summary line per invocation, a warning when anything is off", async () => {
        const quiet = await captureOutput(() => testHandler(scriptedDataPlane())({ time: TICK }));
        const [ok] = logRecords(quiet.lines).filter((r) => r.message === "dr-probe-summary");
        assert.equal(ok.level, "INFO");
        assert.deepEqual(
            ok.rounds[0].clusters.map(
                (c: { role: string; dataPlane: string; controlPlane: string }) => [
                    c.role,
                    c.dataPlane,
                    c.controlPlane,
                ],
            ),
            [
                ["primary", "ok", "ok"],
                ["secondary", "ok", "ok"],
            ],
        );
        const auth = Object.assign(new Error("password authentication failed"), { code: "28P01" });
        const bad = await captureOutput(() =>
            testHandler(scriptedDataPlane({ [SECONDARY.identifier]: auth }))({ time: TICK }),
        );
        const [warn] = logRecords(bad.lines).filter((r) => r.message === "dr-probe-summary");
        assert.equal(warn.level, "WARN");
        assert.equal(warn.rounds[0].clusters[1].dataPlane, "auth-failed (monitor)");
        assert.equal(warn.rounds[0].monitorSound, false);
    });

    it("fails the invocation on a bad environment, naming the variable (the monitor-silent alarm sees it)", async () => {
        await assert.rejects(
            testHandler(
                scriptedDataPlane(),
                monitorEnv({ [ENV.probeRounds]: "13" }),
            )({ time: TICK }),
            (e: Error) =>
                e instanceof EnvironmentError && /PROBE_ROUNDS=13 is invalid/.test(e.message),
        );
    });

    it("skips the data plane when it is switched off: no heartbeat, no verdict", async () => {
        const plane = scriptedDataPlane();
        const { lines } = await captureOutput(() =>
            testHandler(plane, monitorEnv({ [ENV.dataPlaneProbe]: "false" }))({ time: TICK }),
        );
        assert.deepEqual(plane.calls, []);
        assert.deepEqual(
            emfDatapoints(emfDocuments(lines)).map((p) => p.metric),
            ["MonitorHealth"],
        );
    });

    it("says in the summary line when a heartbeat ran on the wake-up bound of an INACTIVE cluster", async () => {
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).resolves(
            activeCluster(PRIMARY, SECONDARY, "INACTIVE"),
        );
        // The first connect to the scaled-down cluster takes longer than the usual bound.
        const base = scriptedDataPlane();
        const slowFirst: typeof base = {
            ...base,
            heartbeat: async (cluster, beat, budget) => {
                if (cluster.identifier === PRIMARY.identifier)
                    await new Promise((resolve) => setTimeout(resolve, 600));
                return base.heartbeat(cluster, beat, budget);
            },
        };
        const env = monitorEnv({ [ENV.dataPlaneWakeTimeoutMs]: "2000" });
        const { lines } = await captureOutput(() =>
            testHandler(slowFirst, env, { now: Date.now })({ time: new Date().toISOString() }),
        );
        const summary = logRecords(lines).find((r) => r.message === "dr-probe-summary")!;
        const [round] = summary.rounds as { clusters: Record<string, unknown>[] }[];
        const primary = round.clusters.find((c) => c.role === "primary")!;
        assert.equal(primary.dataPlane, "ok", "served within the wake-up bound");
        assert.equal(primary.wakeUpGraceMs, 2000);
        const secondary = round.clusters.find((c) => c.role === "secondary")!;
        assert.equal(secondary.wakeUpGraceMs, undefined, "an ACTIVE cluster keeps the usual bound");
    });
});
