import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { DSQLClient, GetClusterCommand } from "@aws-sdk/client-dsql";
import { mockClient } from "aws-sdk-client-mock";
import { DIMENSION_NAMES, METRIC_NAMESPACE, METRICS } from "../../monitor-function/src/contract";
import {
    activeCluster,
    captureOutput,
    emfDocuments,
    emitted,
    logRecords,
    monitorEnv,
    OBSERVER,
    PRIMARY,
    scriptedSql,
    SECONDARY,
    testHandler,
} from "../support/monitor";

const dsql = mockClient(DSQLClient);

describe("monitor handler output", () => {
    beforeEach(() => {
        dsql.reset();
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).resolves(
            activeCluster(PRIMARY, SECONDARY),
        );
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier }).resolves(
            activeCluster(SECONDARY, PRIMARY, "IDLE"),
        );
    });

    it("emits one EMF document per cluster with exactly the contract's namespace, dimensions and units", async () => {
        const tick = new Date(Date.now() - 1500);
        const { lines } = await captureOutput(() =>
            testHandler(scriptedSql({}))({ time: tick.toISOString() }),
        );
        const docs = emfDocuments(lines);
        assert.equal(docs.length, 2);
        for (const doc of docs) {
            const [directive] = doc._aws.CloudWatchMetrics;
            assert.equal(doc._aws.CloudWatchMetrics.length, 1);
            assert.equal(directive.Namespace, METRIC_NAMESPACE);
            assert.deepEqual(directive.Dimensions, [[...DIMENSION_NAMES]]);
            assert.deepEqual(
                directive.Metrics.map((m) => [m.Name, m.Unit]),
                Object.values(METRICS).map((m) => [m.name, m.unit]),
            );
            assert.equal(doc._aws.Timestamp, tick.getTime(), "stamped with the schedule tick");
            assert.equal(doc.ObserverRegion, OBSERVER);
            assert.equal("service" in doc, false, "no Powertools service dimension");
        }
        const values = emitted(docs);
        for (const c of [PRIMARY, SECONDARY]) {
            assert.deepEqual(values.get(`ClusterHealth ${c.identifier}`)!.dimensions, {
                ClusterId: c.identifier,
                ClusterRegion: c.region,
                ObserverRegion: OBSERVER,
            });
            assert.equal(values.get(`ClusterHealth ${c.identifier}`)!.value, 1);
            assert.equal(values.get(`PeeringHealth ${c.identifier}`)!.value, 1);
            assert.ok(values.get(`ControlPlaneLatency ${c.identifier}`)!.value >= 0);
            assert.ok(values.get(`DataPlaneLatency ${c.identifier}`)!.value >= 0);
        }
    });

    it("logs one summary line per invocation with status, reasons and latencies per cluster", async () => {
        const { lines, result } = await captureOutput(() => testHandler(scriptedSql({}))({}));
        const summaries = logRecords(lines).filter((r) => r.message === "dr-probe-summary");
        assert.equal(summaries.length, 1);
        assert.equal(summaries[0].level, "INFO");
        assert.deepEqual(
            summaries[0].clusters.map((c: any) => [
                c.role,
                c.status,
                c.healthy,
                c.peered,
                c.reasons,
            ]),
            [
                ["primary", "ACTIVE", true, true, []],
                ["secondary", "IDLE", true, true, []],
            ],
        );
        assert.deepEqual(
            result.clusters.map((c) => c.identifier),
            [PRIMARY.identifier, SECONDARY.identifier],
        );
    });

    it("asks each cluster's own region for its status", async () => {
        const regions: string[] = [];
        dsql.on(GetClusterCommand).callsFake(async (input, getClient) => {
            regions.push(`${input.identifier}@${await getClient().config.region()}`);
            const [own, peer] =
                input.identifier === PRIMARY.identifier
                    ? [PRIMARY, SECONDARY]
                    : [SECONDARY, PRIMARY];
            return activeCluster(own, peer);
        });
        await captureOutput(() => testHandler(scriptedSql({}))({}));
        assert.deepEqual(regions.sort(), [
            `${PRIMARY.identifier}@us-east-1`,
            `${SECONDARY.identifier}@us-east-2`,
        ]);
    });

    it("skips the SQL probe when it is switched off, and emits no data-plane latency", async () => {
        const sql = scriptedSql({});
        const { lines } = await captureOutput(() =>
            testHandler(sql, monitorEnv({ DATA_PLANE_PROBE: "false" }))({}),
        );
        assert.deepEqual(sql.calls, []);
        const values = emitted(emfDocuments(lines));
        assert.equal(values.has(`DataPlaneLatency ${PRIMARY.identifier}`), false);
        assert.equal(values.get(`ClusterHealth ${PRIMARY.identifier}`)!.value, 1);
    });

    it("logs a warning, not info, when anything is unhealthy", async () => {
        const { lines } = await captureOutput(() =>
            testHandler(
                scriptedSql({
                    [SECONDARY.identifier]: Object.assign(new Error("auth"), { code: "28P01" }),
                }),
            )({}),
        );
        const [summary] = logRecords(lines).filter((r) => r.message === "dr-probe-summary");
        assert.equal(summary.level, "WARN");
        assert.deepEqual(summary.clusters[1].reasons, ["data plane: auth-failed"]);
    });
});
