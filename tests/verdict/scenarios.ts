import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { declareStack } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { validateConfig } from "../../infra/config/validate";
import {
    FEATURE_SCENARIOS,
    SCENARIOS,
    isBackupRow,
    mirrored,
    pageKey,
} from "../../tools/simulation/verdict-scenarios";
import { simulateVerdict, verdictRows } from "../../tools/simulation/verdict-simulation";
import { stackModel, type StackModel } from "../../tools/simulation/verdict-model";
import { VerdictBench, type ScenarioOutcome } from "../support/verdict-harness";

/**
 * Every row of the verdict table, played with the real monitor against a real PostgreSQL
 * and judged by the alarms `stack` declares. A process declares one stack, so each stack
 * has its own test file calling this.
 */
export function verdictScenarios(stack: string, overrides: Record<string, string> = {}): void {
    describe(`verdict table on stack ${stack}${Object.keys(overrides).length ? ` (${JSON.stringify(overrides)})` : ""}, real monitor and PostgreSQL`, () => {
        let model: StackModel;
        let bench: VerdictBench;
        const outcomes = new Map<string, ScenarioOutcome>();

        before(async () => {
            model = stackModel(stack, await declareStack(stack, stackConfig(stack, overrides)));
            bench = await VerdictBench.start(model);
        });
        after(async () => {
            await bench?.close();
        });

        // The table faults A; three rows are also played on B, so every alarm about either
        // cluster is exercised.
        const rows = [
            ...SCENARIOS,
            ...SCENARIOS.filter((s) =>
                ["cluster-refuses", "peering-changed", "observer-dead"].includes(s.id),
            ).map(mirrored),
        ];
        for (const scenario of rows) {
            const expected = scenario.pages.map(pageKey);
            it(`${scenario.row} → ${expected.length ? expected.join(", ") : "no page"}`, async () => {
                const outcome = await bench.play(scenario);
                outcomes.set(scenario.id, outcome);
                assert.deepEqual(outcome.unexpected, [], "nothing else pages");
                assert.deepEqual(outcome.missing, [], "every expected page comes");
                assert.deepEqual(outcome.unresolved, [], "every page it must resolve resolves");
                assert.deepEqual(outcome.falseAllClear, [], "no page clears while its fault holds");
                assert.deepEqual([...outcome.pages.keys()].sort(), [...expected].sort());
            });
        }

        // The backup and AWS Health rows: no monitor decides them, so they are played against
        // the declared backup pages and Health rules with AWS Backup's and AWS Health's
        // deliveries modelled (tools/simulation/feature-simulation.ts), over the whole grid.
        const checked = validateConfig(stack, stackConfig(stack, overrides));
        const backsUp = "config" in checked && checked.config.backup.mode !== "off";
        const featureRows = FEATURE_SCENARIOS.filter((s) => backsUp || !isBackupRow(s));
        for (const scenario of featureRows) {
            const expected = scenario.pages.map(pageKey);
            it(`${scenario.row} → ${expected.length ? expected.join(", ") : "no page"} (modelled AWS)`, async () => {
                const [figures] = await simulateVerdict(model, [scenario]);
                assert.equal(figures.example, undefined, "every run pages exactly as the row says");
                assert.equal(figures.failures, 0);
                assert.equal(figures.runs > 0, true);
            });
        }

        it("the rows the plan judges the stack on are these", () => {
            assert.deepEqual(
                verdictRows(model).map((s) => s.id),
                [...SCENARIOS, ...featureRows].map((s) => s.id),
            );
        });

        it("every alarm watches a series the monitor emitted in some row", () => {
            const emitted = new Set<string>();
            for (const o of outcomes.values())
                for (const p of o.datapoints)
                    emitted.add(
                        `${p.metric} ${JSON.stringify(Object.entries(p.dimensions).sort())}`,
                    );
            assert.equal(outcomes.size, rows.length, "every row was played");
            for (const alarm of model.metricAlarms) {
                const series = `${alarm.metricName} ${JSON.stringify(Object.entries(alarm.dimensions).sort())}`;
                assert.ok(emitted.has(series), `${alarm.name} watches ${series}, never emitted`);
            }
            assert.ok(model.metricAlarms.every((a) => a.metricName && a.dimensions));
            assert.ok(model.metricAlarms.length > 10);
        });
    });
}
