/**
 * Offline plan: evaluates the real program under Pulumi mocks with a stack file, with no
 * Pulumi CLI, credentials or network, and prints what it would deploy, grouped by region,
 * with the settings a reviewer cares about, the simulated time to detect of every row of
 * the verdict table, and the monthly cost. It only prints; `npm run docs` regenerates the
 * committed diagrams.
 *
 *   npm run plan -- [stack | --stack stack] [--json] [--set key=value]...
 */
import { parseArgs } from "node:util";
import { ConfigError, validateConfig } from "../infra/config";
import { detection } from "../infra/detection";
import {
    detectGoal,
    monthlyCost,
    PROFILE_GOALS,
    readBenchmark,
    timeToDetect,
    totalUsd,
} from "./figures";
import { inventory } from "./inventory";
import { declareStack } from "./mock-program";
import { parseOverrides, stackConfig, UsageError } from "./stack-config";
import type { Page } from "./verdict-scenarios";
import { DELIVERY_SECONDS, EMF_DELAY_SECONDS } from "./verdict-simulation";

/** "primary down from primary, secondary": each page kind once, with the regions it comes from. */
function describePages(pages: readonly Page[]): string {
    const byKind = new Map<string, string[]>();
    for (const p of pages) {
        const what = p.kind === "clusterDown" ? `${p.cluster} down` : p.kind;
        byKind.set(what, [...(byKind.get(what) ?? []), p.from]);
    }
    return (
        [...byKind].map(([what, from]) => `${what} from ${from.join(", ")}`).join("; ") || "none"
    );
}

function parseCommandLine(argv: string[]) {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                stack: { type: "string" },
                json: { type: "boolean", default: false },
                set: { type: "string", multiple: true, default: [] },
            },
        });
    } catch (error) {
        throw new UsageError(
            `${(error as Error).message}\nusage: npm run plan -- [stack] [--json] [--set key=value]...`,
        );
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1 || (positionals.length === 1 && values.stack)) {
        throw new UsageError(
            `one stack at a time: got ${[values.stack, ...positionals].filter(Boolean).join(", ")}`,
        );
    }
    return {
        stack: values.stack ?? positionals[0] ?? "dev",
        json: values.json,
        overrides: parseOverrides(values.set),
    };
}

async function main(): Promise<number> {
    const { stack, json, overrides } = parseCommandLine(process.argv.slice(2));
    const raw = stackConfig(stack, overrides);
    // The same validation `pulumi up` runs, before anything is declared.
    const checked = validateConfig(stack, raw);
    if ("problems" in checked) {
        console.error(new ConfigError(stack, checked.problems).message);
        return 1;
    }
    const config = checked.config;
    const declared = await declareStack(stack, raw);
    const detectionTable = await timeToDetect(stack, declared);
    const cost = monthlyCost(declared);
    const rows = inventory(declared);
    const goals = PROFILE_GOALS[config.detectionProfile];
    const detectionRows = detectionTable.map((f) => ({
        scenario: f.scenario.id,
        row: f.scenario.row,
        pages: describePages(f.scenario.pages),
        worstCaseSeconds: f.worstCaseSeconds,
        typicalSeconds: f.typicalSeconds,
        goalSeconds: f.scenario.pages.length
            ? detectGoal(stack, config.detectionProfile, f.scenario)
            : undefined,
        runs: f.runs,
        failures: f.failures,
        example: f.example,
    }));

    if (json) {
        process.stdout.write(
            JSON.stringify(
                {
                    stack,
                    config,
                    resources: rows,
                    figures: {
                        timeToDetect: detectionRows,
                        monthlyCost: {
                            lines: cost,
                            totalUsd: totalUsd(cost),
                            goalUsd: goals.monthlyUsd,
                        },
                    },
                },
                null,
                2,
            ) + "\n",
        );
        return 0;
    }

    const d = detection(config);
    const out: string[] = [];
    out.push(`Offline plan of stack "${stack}" (Pulumi mocks: no credentials, no network)`);
    out.push(
        `  primary ${config.primaryRegion}, secondary ${config.secondaryRegion}, witness ${config.witnessRegion}; ` +
            `schedule ${config.monitoringSchedule}, detection profile ${config.detectionProfile} (${d.rounds} round${d.rounds > 1 ? `s ${d.intervalSeconds} s apart` : ""} per invocation); ` +
            `deletion protection ${config.deletionProtection ? "on" : "off"}`,
    );
    if (config.clusterManagement !== "create") {
        out.push(
            config.clusterManagement === "adopt"
                ? `  ADOPTING the existing pair ${config.existingClusters!.primary} / ${config.existingClusters!.secondary}: the next pulumi up imports both clusters and peerings (see README "Adopt an existing pair")`
                : `  MONITOR-ONLY: watches the existing pair ${config.existingClusters!.primary} / ${config.existingClusters!.secondary}; declares no cluster or peering`,
        );
    }
    for (const [set, regions] of Object.entries(config.extraRegionSets)) {
        out.push(
            `  WARNING: region set "${set}" (${regions.join(", ")}) comes from extraRegionSets and is unverified by this project`,
        );
    }
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
    out.push(
        "",
        `Time to detect, simulated (${detectionRows[0]?.runs ?? 0} runs per row over schedule phases, fault times and alarm-evaluation offsets;`,
        `EventBridge delivery ${DELIVERY_SECONDS.min}-${DELIVERY_SECONDS.max} s and EMF ${EMF_DELAY_SECONDS.min}-${EMF_DELAY_SECONDS.max} s assumed; tools/verdict-simulation.ts):`,
    );
    const rowWidth = Math.max(
        "verdict table row".length,
        ...detectionRows.map((r) => r.row.length),
    );
    const pagesWidth = Math.max("pages".length, ...detectionRows.map((r) => r.pages.length));
    out.push(
        `  ${"verdict table row".padEnd(rowWidth)} ${"pages".padEnd(pagesWidth)} ${"worst".padStart(6)} ${"typical".padStart(7)} ${"goal".padStart(6)}  result`,
    );
    for (const r of detectionRows) {
        const pages = r.pages;
        const met =
            r.failures > 0
                ? `FAIL in ${r.failures} of ${r.runs} runs: ${r.example}`
                : r.goalSeconds === undefined
                  ? "ok (no page in any run)"
                  : r.worstCaseSeconds! <= r.goalSeconds
                    ? "ok"
                    : "OVER GOAL";
        out.push(
            `  ${r.row.padEnd(rowWidth)} ${pages.padEnd(pagesWidth)} ${(r.worstCaseSeconds === undefined ? "-" : `${r.worstCaseSeconds} s`).padStart(6)} ${(r.typicalSeconds === undefined ? "-" : `${r.typicalSeconds} s`).padStart(7)} ${(r.goalSeconds === undefined ? "-" : `${r.goalSeconds} s`).padStart(6)}  ${met}`,
        );
    }
    const bench = readBenchmark();
    out.push("", "Monthly cost of the monitoring path (USD, list prices, tools/prices.ts):");
    for (const line of cost)
        out.push(
            `  ${line.item.padEnd(36)} ${line.quantity.padEnd(58)} ${line.usd.toFixed(2).padStart(7)}`,
        );
    out.push(
        `  ${"total".padEnd(36)} ${`goal ≤ ${goals.monthlyUsd.toFixed(2)} (${config.detectionProfile} profile)`.padEnd(58)} ${totalUsd(cost).toFixed(2).padStart(7)}`,
    );
    out.push(
        `  (round duration from monitor-function/benchmark.json: ${d.rounds > 1 ? bench.fast.warmRoundMs : bench.warmRoundMs} ms warm, plus a network allowance; \`./task bench --write\` measures it)`,
    );
    process.stdout.write(out.join("\n") + "\n");
    return 0;
}

// Exit only once stdout has drained: a large inventory on a pipe is written asynchronously.
main().then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: Error) => {
        console.error(error instanceof UsageError ? error.message : (error.stack ?? error.message));
        process.exit(error instanceof UsageError ? 2 : 1);
    },
);
