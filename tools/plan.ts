/**
 * Offline plan: evaluates the real program under Pulumi mocks with a stack file, with no
 * Pulumi CLI, credentials or network, and prints what it would deploy, grouped by region,
 * with the settings a reviewer cares about and two figures (time to detect, monthly cost).
 *
 *   npm run plan -- [stack] [--json] [--no-diagram] [--set key=value]...
 *
 * It also writes the stack's architecture diagram (docs/architecture.md for dev).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_KEYS, ConfigError, validateConfig, type ConfigKey } from "../infra/config";
import { architectureDiagram, diagramPath, readmeWithDiagram } from "./diagram";
import { monthlyCost, readBenchmark, timeToDetect, totalUsd } from "./figures";
import { inventory } from "./inventory";
import { declareStack } from "./mock-program";
import { REPO_ROOT, stackConfig } from "./stack-config";

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: {
            json: { type: "boolean", default: false },
            "no-diagram": { type: "boolean", default: false },
            set: { type: "string", multiple: true, default: [] },
        },
    });
    const stack = positionals[0] ?? "dev";
    const overrides: Partial<Record<ConfigKey, string>> = {};
    for (const pair of values.set) {
        const [key, ...rest] = pair.split("=");
        if (!(CONFIG_KEYS as readonly string[]).includes(key) || rest.length === 0) {
            throw new Error(
                `--set ${pair}: expected key=value with key one of ${CONFIG_KEYS.join(", ")}`,
            );
        }
        overrides[key as ConfigKey] = rest.join("=");
    }

    const raw = stackConfig(stack, overrides);
    // The same validation `pulumi up` runs, before anything is declared.
    const checked = validateConfig(stack, raw);
    if ("problems" in checked) {
        console.error(new ConfigError(stack, checked.problems).message);
        return 1;
    }
    const declared = await declareStack(stack, raw);
    const detection = timeToDetect(declared);
    const cost = monthlyCost(declared);
    const bench = readBenchmark();

    const diagramFile = path.join(REPO_ROOT, diagramPath(stack));
    // A plan with overrides describes no stack file, so it leaves the committed diagram alone.
    const writeDiagram = !values["no-diagram"] && Object.keys(overrides).length === 0;
    if (writeDiagram) {
        const diagram = architectureDiagram(declared, stack);
        mkdirSync(path.dirname(diagramFile), { recursive: true });
        writeFileSync(diagramFile, diagram);
        if (stack === "dev") {
            const readme = path.join(REPO_ROOT, "README.md");
            writeFileSync(readme, readmeWithDiagram(readFileSync(readme, "utf8"), diagram));
        }
    }

    const rows = inventory(declared);
    if (values.json) {
        process.stdout.write(
            JSON.stringify(
                {
                    stack,
                    config: checked.config,
                    resources: rows,
                    figures: {
                        timeToDetect: detection,
                        monthlyCost: { lines: cost, totalUsd: totalUsd(cost) },
                    },
                },
                null,
                2,
            ) + "\n",
        );
        return 0;
    }

    const out: string[] = [];
    out.push(`Offline plan of stack "${stack}" (Pulumi mocks: no credentials, no network)`);
    out.push(
        `  primary ${checked.config.primaryRegion}, secondary ${checked.config.secondaryRegion}, witness ${checked.config.witnessRegion}; ` +
            `schedule ${checked.config.monitoringSchedule}; deletion protection ${checked.config.deletionProtection ? "on" : "off"}`,
    );
    const regions = [...new Set(rows.map((r) => r.region ?? "(global)"))];
    for (const region of regions) {
        const inRegion = rows.filter((r) => (r.region ?? "(global)") === region);
        out.push("", `${region} — ${inRegion.length} resources`);
        for (const r of inRegion) {
            out.push(
                `  ${r.type}  ${r.name}${r.physicalName ? `  (${r.physicalName})` : ""}${r.protect ? "  [protected]" : ""}`,
            );
            for (const [key, value] of Object.entries(r.settings))
                out.push(`      ${key}: ${value}`);
        }
    }
    out.push("", "Time to detect (worst case, cluster unusable → health alarm in ALARM):");
    for (const d of detection) {
        out.push(
            `  ${d.region}: ${d.worstCaseSeconds} s = schedule ${d.schedulePeriodSeconds} s + probe bound ${d.probeBudgetSeconds} s + alarm evaluation ${d.alarmEvaluationSeconds} s`,
        );
    }
    out.push("", "Monthly cost of the monitoring path (USD, list prices, tools/prices.ts):");
    for (const line of cost)
        out.push(
            `  ${line.item.padEnd(34)} ${line.quantity.padEnd(44)} ${line.usd.toFixed(2).padStart(7)}`,
        );
    out.push(`  ${"total".padEnd(34)} ${"".padEnd(44)} ${totalUsd(cost).toFixed(2).padStart(7)}`);
    out.push(
        `  (invocation duration from monitor-function/benchmark.json: cold ${bench.coldInvocationMs} ms + network allowance)`,
    );
    if (writeDiagram) out.push("", `Diagram written to ${path.relative(REPO_ROOT, diagramFile)}`);
    process.stdout.write(out.join("\n") + "\n");
    return 0;
}

// Exit only once stdout has drained: a large inventory on a pipe is written asynchronously.
main().then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: Error) => {
        console.error(error.message);
        process.exit(1);
    },
);
