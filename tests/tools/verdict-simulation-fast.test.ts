import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ENV } from "../../monitor-function/src/contract";
import { readSettings } from "../../monitor-function/src/environment";
import { declareStack } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { SCENARIOS } from "../../tools/simulation/verdict-scenarios";
import { stackModel, type StackModel } from "../../tools/simulation/verdict-model";
import { simulateVerdict } from "../../tools/simulation/verdict-simulation";

const row = (id: string) => [SCENARIOS.find((s) => s.id === id)!];

/** The same stack with its monitors running `rounds` rounds `interval` s apart. */
function withRounds(model: StackModel, rounds: number, interval: number): StackModel {
    return {
        ...model,
        observers: model.observers.map((o) => {
            const environment = {
                ...o.environment,
                [ENV.probeRounds]: String(rounds),
                [ENV.probeIntervalSeconds]: String(interval),
            };
            return { ...o, environment, settings: readSettings(environment) };
        }),
    };
}

/**
 * The fast profile (prod) against late scheduled deliveries: its rounds must fill every
 * 10-s bucket of a minute, or a round written a few seconds late leaves a 10-s alarm with
 * nothing in its range, and "cluster down" clears while the cluster is still down.
 */
describe("fast profile under late deliveries", () => {
    let model: StackModel;
    before(async () => {
        model = stackModel("prod", await declareStack("prod", stackConfig("prod")));
    });

    it("never clears a page while its cluster is down, with deliveries 1-8 s late", async () => {
        const [figures] = await simulateVerdict(model, row("late-delivery"));
        assert.equal(figures.failures, 0, figures.example);
    });

    it("flaps with five rounds 12 s apart: the 50-60 s bucket of each minute stays empty", async () => {
        const [figures] = await simulateVerdict(withRounds(model, 5, 12), row("late-delivery"));
        assert.ok(figures.failures > 0, "the row must catch it");
        assert.match(figures.example!, /false all-clear clusterDown:primary/);
    });
});
