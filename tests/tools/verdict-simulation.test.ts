import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { declareStack } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { SCENARIOS } from "../../tools/simulation/verdict-scenarios";
import { stackModel, type StackModel } from "../../tools/simulation/verdict-model";
import { simulateVerdict, type Tamper } from "../../tools/simulation/verdict-simulation";

const row = (id: string) => [SCENARIOS.find((s) => s.id === id)!];

/**
 * The simulation judges the real monitor code and the declared alarms, so a regression in
 * either makes a row of the verdict table fail. Each test plants one and expects the row
 * to catch it (figures themselves are printed by the plan, not asserted here).
 */
describe("verdict simulation catches regressions", () => {
    let model: StackModel;
    before(async () => {
        model = stackModel("dev", await declareStack("dev", stackConfig("dev")));
    });

    it("plays the control-plane row clean as the monitor stands", async () => {
        const [figures] = await simulateVerdict(model, row("control-plane-fails"));
        assert.equal(figures.failures, 0, figures.example);
    });

    it("fails the control-plane row when a GetCluster error counts against the data plane", async () => {
        // The first version's mistake: no control-plane answer, so the cluster is "down".
        const regression: Tamper = (deps) => {
            const failedClusters = new Set<string>();
            return {
                ...deps,
                controlPlane: {
                    getCluster: (region, identifier, signal) =>
                        deps.controlPlane.getCluster(region, identifier, signal).catch((error) => {
                            failedClusters.add(identifier);
                            throw error;
                        }),
                },
                dataPlane: {
                    ...deps.dataPlane,
                    heartbeat: async (cluster, beat, budget) => {
                        await new Promise((resolve) => setTimeout(resolve, 0));
                        if (failedClusters.has(cluster.identifier)) {
                            throw Object.assign(new Error("skipped"), { code: "ECONNREFUSED" });
                        }
                        return deps.dataPlane.heartbeat(cluster, beat, budget);
                    },
                },
            };
        };
        const [figures] = await simulateVerdict(model, row("control-plane-fails"), regression);
        assert.ok(figures.failures > 0, "the row must catch it");
        assert.match(figures.example!, /unexpected clusterDown:primary/);
    });

    it("fails the path-broken row when 'cluster down' stops asking the other observer", async () => {
        const noAgreement: StackModel = {
            ...model,
            composites: model.composites.map((c) =>
                /-down-from-/.test(c.name) ? { ...c, rule: c.rule.split(" AND ")[0] } : c,
            ),
        };
        const [figures] = await simulateVerdict(noAgreement, row("path-broken"));
        assert.ok(figures.failures > 0);
        assert.match(figures.example!, /unexpected clusterDown:primary from secondary/);
    });

    it("misses the silent-monitor page when missing data stops counting as breaching", async () => {
        const forgiving: StackModel = {
            ...model,
            metricAlarms: model.metricAlarms.map((a) =>
                a.metricName === "MonitorHealth" ? { ...a, treatMissingData: "notBreaching" } : a,
            ),
        };
        const [figures] = await simulateVerdict(forgiving, row("observer-dead"));
        assert.equal(figures.failures, figures.runs);
        assert.match(figures.example!, /missing monitor from primary/);
    });

    it("plays the fresh-deploy and replaced-alarm rows clean: a new alarm pages nobody", async () => {
        for (const figures of await simulateVerdict(model, [
            ...row("fresh-deploy"),
            ...row("alarms-replaced"),
        ])) {
            assert.equal(figures.failures, 0, `${figures.scenario.id}: ${figures.example}`);
        }
    });

    it("pages on a fresh deploy when the monitor-silent alarm has no warm-up", async () => {
        // A new alarm is evaluated at once; with missing data breaching and no datapoint yet
        // it goes to ALARM before the monitor has run.
        const noWarmUp: StackModel = {
            ...model,
            metricAlarms: model.metricAlarms.map((a) => ({ ...a, warmUp: undefined })),
        };
        const [figures] = await simulateVerdict(noWarmUp, row("fresh-deploy"));
        assert.equal(figures.failures, figures.runs, "every run pages");
        assert.match(
            figures.example!,
            /unexpected monitor from primary at \d+ s; unexpected monitor from secondary/,
        );
    });

    it("resolves a page that recovered during a maintenance window, through the declared close-out", async () => {
        assert.equal(model.closeouts.length, 2, "one close-out per region");
        const [figures] = await simulateVerdict(model, row("maintenance-hides-recovery"));
        assert.equal(figures.failures, 0, figures.example);
    });

    it("leaves that incident open without the close-out (CloudWatch alone may never send the OK)", async () => {
        const [figures] = await simulateVerdict(
            { ...model, closeouts: [] },
            row("maintenance-hides-recovery"),
        );
        assert.equal(figures.failures, figures.runs);
        assert.match(
            figures.example!,
            /^unresolved clusterDown:primary from primary; unresolved clusterDown:primary from secondary$/,
        );
    });
});
