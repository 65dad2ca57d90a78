import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { DSQLClient, GetClusterCommand } from "@aws-sdk/client-dsql";
import { mockClient } from "aws-sdk-client-mock";
import { ENV, METRIC_NAMESPACE } from "../../monitor-function/src/contract";
import { declareStack, type DeclaredStack } from "../../tools/mock-program";
import { stackConfig } from "../../tools/stack-config";
import { captureOutput, emfDocuments, scriptedSql, testHandler } from "../support/monitor";
import { resourcesOf } from "../support/stack";

/**
 * The contract, end to end: declare the real program (dev) under mocks, run the real
 * handler with each declared function's own environment, and require every alarm on the
 * monitor's namespace to watch a metric name + dimension set the handler actually emitted.
 */
describe("alarm ↔ monitor contract", () => {
    let declared: DeclaredStack;
    const emittedSeries = new Set<string>();
    const series = (name: string, dimensions: Record<string, string>) =>
        `${name} ${JSON.stringify(Object.entries(dimensions).sort())}`;

    before(async () => {
        declared = await declareStack("dev", stackConfig("dev"));
        const dsql = mockClient(DSQLClient);
        for (const fn of resourcesOf(declared, "aws:lambda/function:Function")) {
            const env: Record<string, string> = fn.inputs.environment.variables;
            dsql.reset();
            dsql.on(GetClusterCommand).callsFake((input) => {
                const role = ["primary", "secondary"].find(
                    (r) => env[ENV.clusterId(r as "primary")] === input.identifier,
                )!;
                const peer = role === "primary" ? "secondary" : "primary";
                return {
                    identifier: input.identifier,
                    arn: env[ENV.clusterArn(role as "primary")],
                    status: "ACTIVE",
                    multiRegionProperties: {
                        witnessRegion: env[ENV.witnessRegion],
                        clusters: [
                            env[ENV.clusterArn(role as "primary")],
                            env[ENV.clusterArn(peer)],
                        ],
                    },
                };
            });
            const { lines } = await captureOutput(() => testHandler(scriptedSql({}), env)({}));
            for (const doc of emfDocuments(lines)) {
                for (const directive of doc._aws.CloudWatchMetrics) {
                    assert.equal(directive.Namespace, METRIC_NAMESPACE);
                    for (const set of directive.Dimensions) {
                        const dims = Object.fromEntries(set.map((d) => [d, String(doc[d])]));
                        for (const metric of directive.Metrics)
                            emittedSeries.add(series(metric.Name, dims));
                    }
                }
            }
        }
        dsql.restore();
    });

    it("the handler emitted both clusters' health from both observers", () => {
        assert.equal([...emittedSeries].filter((s) => s.startsWith("ClusterHealth ")).length, 4);
    });

    it("every alarm on the monitor's namespace watches a series the handler emitted", () => {
        const alarms = resourcesOf(declared, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
            (a) => a.inputs.namespace === METRIC_NAMESPACE,
        );
        assert.equal(alarms.length, 8);
        for (const alarm of alarms) {
            assert.ok(
                emittedSeries.has(series(alarm.inputs.metricName, alarm.inputs.dimensions)),
                `${alarm.inputs.name} watches ${series(alarm.inputs.metricName, alarm.inputs.dimensions)}, never emitted`,
            );
        }
    });
});
