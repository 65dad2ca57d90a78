import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { EventPattern } from "../../tools/simulation/event-pattern";
import { declareStack } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { stackModel, type StackModel } from "../../tools/simulation/verdict-model";
import { FEATURE_SCENARIOS } from "../../tools/simulation/verdict-scenarios";
import { simulateVerdict } from "../../tools/simulation/verdict-simulation";

const row = (id: string) => [FEATURE_SCENARIOS.find((s) => s.id === id)!];

/**
 * The backup and AWS Health rows judge the declared pages and rules, so a regression in
 * either makes a row fail. Each test plants one in the prod stack's model and expects the
 * row to catch it; the rows themselves pass as declared (tests/verdict/*.test.ts).
 */
describe("feature rows catch regressions", () => {
    let model: StackModel;
    before(async () => {
        model = stackModel("prod", await declareStack("prod", stackConfig("prod")));
    });

    it("fails 'no backup runs' when the recovery-point signal treats no data as fine", async () => {
        const backup = model.backup!;
        const lenient: StackModel = {
            ...model,
            backup: {
                ...backup,
                metricAlarms: backup.metricAlarms.map((a) =>
                    a.comparisonOperator === "LessThanThreshold"
                        ? { ...a, treatMissingData: "notBreaching" }
                        : a,
                ),
            },
        };
        const [figures] = await simulateVerdict(lenient, row("backups-stop"));
        assert.equal(figures.failures, figures.runs, "no run pages");
        assert.match(figures.example!, /^missing backup:primary from primary/);
    });

    it("fails the first deploy when the recovery-point signal has no warm-up", async () => {
        const backup = model.backup!;
        const noWarmUp: StackModel = {
            ...model,
            backup: {
                ...backup,
                metricAlarms: backup.metricAlarms.map((a) => ({ ...a, warmUp: undefined })),
            },
        };
        const [figures] = await simulateVerdict(noWarmUp, row("backups-first-deploy"));
        assert.ok(figures.failures > 0, "the deployment pages before the first backup");
        assert.match(figures.example!, /unexpected backup:/);
    });

    it("fails the witness row when no rule forwards across Regions", async () => {
        // The witness Region's event reaches a topic only through forwarding (its own rule,
        // or its Health backup Region's when that is not a cluster Region).
        const noForwarding: StackModel = {
            ...model,
            health: { rules: model.health.rules.map((r) => ({ ...r, forwardsTo: [] })) },
        };
        const [figures] = await simulateVerdict(noForwarding, row("health-event-witness"));
        assert.equal(figures.failures, figures.runs);
        assert.match(figures.example!, /missing redundancy from (primary|secondary)/);
    });

    it("fails the region-A row when region B's rule does not watch (only A's delivery pages)", async () => {
        const secondary = model.observers.find((o) => o.role === "secondary")!.region;
        const noSecondary: StackModel = {
            ...model,
            health: { rules: model.health.rules.filter((r) => r.region !== secondary) },
        };
        const [figures] = await simulateVerdict(noSecondary, row("health-event-cluster-region"));
        assert.equal(figures.failures, figures.runs);
        assert.match(figures.example!, /missing redundancy from secondary/);
    });

    it("fails the elsewhere row when the rules stop filtering on the event's Region", async () => {
        const unfiltered: StackModel = {
            ...model,
            health: {
                rules: model.health.rules.map((r) => {
                    const detail = { ...(r.pattern.detail as EventPattern) };
                    delete detail.eventRegion;
                    return { ...r, pattern: { ...r.pattern, detail } };
                }),
            },
        };
        const [figures] = await simulateVerdict(unfiltered, row("health-event-elsewhere"));
        assert.equal(figures.failures, figures.runs);
        assert.match(figures.example!, /unexpected redundancy/);
    });
});
