/** The offline plan's work: validate, declare under mocks, simulate, price and print. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, configWarnings, validateConfig, type StackConfig } from "../../infra/config";
import { detection } from "../../infra/detection";
import { featureCost, monthlyCost, totalUsd, type CostLine } from "../docs-gen/cost";
import { detectGoal, PROFILE_GOALS, timeToDetect } from "../docs-gen/figures";
import { readBenchmark } from "../testing/benchmark-file";
import { inventory, type InventoryRow } from "../docs-gen/inventory";
import { declareStack } from "../pulumi-host/mock-program";
import { EXIT } from "../operator/errors";
import {
    costTable,
    featureTable,
    detectionTable,
    recoveryLines,
    type LastRestore,
    inventoryLines,
    strictFailures,
    type DetectionRow,
} from "../operator/plan-report";
import { MAX_COLUMNS, wrap } from "../operator/text-layout";
import { consoleIo } from "../operator/tool";
import { parseOverrides, REPO_ROOT, stackConfig } from "../pulumi-host/stack-config";
import type { Page } from "../simulation/verdict-scenarios";
import { DELIVERY_SECONDS, EMF_DELAY_SECONDS } from "../simulation/verdict-simulation";

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

/** The plan's command line, parsed (plan.ts). */
export interface PlanArguments {
    readonly stack: string;
    readonly json: boolean;
    /** --json-file, resolved: where to write the JSON document as well. */
    readonly jsonFile?: string;
    readonly strict: boolean;
    /** --set key=value, as given. */
    readonly sets: readonly string[];
}

export async function plan({
    stack,
    json,
    jsonFile,
    strict,
    sets,
}: PlanArguments): Promise<number> {
    const raw = stackConfig(stack, parseOverrides(sets));
    // The same validation `pulumi up` runs, before anything is declared.
    const checked = validateConfig(stack, raw);
    if ("problems" in checked) {
        consoleIo.err(new ConfigError(stack, checked.problems).message);
        return EXIT.failed;
    }
    const config = checked.config;
    const declared = await declareStack(stack, raw);
    const detectionRows: DetectionRow[] = (await timeToDetect(stack, declared)).map((f) => ({
        scenario: f.scenario.id,
        row: f.scenario.row,
        pages: describePages(f.scenario.pages),
        worstCaseSeconds: f.worstCaseSeconds,
        typicalSeconds: f.typicalSeconds,
        goalSeconds: f.scenario.pages.length
            ? detectGoal(
                  stack,
                  config.detectionProfile,
                  f.scenario,
                  declared.outputs.backupRpoMinutes as number | undefined,
              )
            : undefined,
        runs: f.runs,
        failures: f.failures,
        example: f.example,
    }));
    const cost = monthlyCost(declared);
    const features = featureCost(declared, config);
    const budget = {
        usd: PROFILE_GOALS[config.detectionProfile].monthlyUsd,
        profile: config.detectionProfile,
    };
    const warnings = configWarnings(config);
    const failures = strictFailures(detectionRows, totalUsd(cost), budget);

    const figures = {
        timeToDetect: detectionRows,
        monthlyCost: { lines: cost, totalUsd: totalUsd(cost), goalUsd: budget.usd },
        featureCost: { lines: features, totalUsd: totalUsd(features) },
    };
    const document = { stack, config, warnings, resources: inventory(declared), figures };
    const jsonText = `${JSON.stringify(document, null, 2)}\n`;
    if (jsonFile !== undefined) writeFileSync(jsonFile, jsonText);
    if (json) {
        process.stdout.write(jsonText);
    } else {
        const sections = {
            config,
            rows: inventory(declared),
            detectionRows,
            cost,
            features,
            budget,
        };
        process.stdout.write(`${planText(stack, sections, warnings).join("\n")}\n`);
    }
    if (strict && failures.length > 0) {
        consoleIo.err(`plan --strict: stack ${stack} misses its goals:`);
        failures.forEach((f) => wrap(f, MAX_COLUMNS, "  - ", "    ").forEach(consoleIo.err));
        return EXIT.failed;
    }
    return EXIT.ok;
}

/** The newest restore drill report of `stack` in the repository's drills/, if any. */
function lastRestore(stack: string): LastRestore | undefined {
    const dir = path.join(REPO_ROOT, "drills");
    const prefix = `${stack.replaceAll("/", "_")}-restore-`;
    const files = existsSync(dir)
        ? readdirSync(dir)
              .filter((f) => f.startsWith(prefix) && f.endsWith(".json"))
              // By start time, the name's last part (<role>-<UTC start>).
              .sort((a, b) => a.split("-").at(-1)!.localeCompare(b.split("-").at(-1)!))
        : [];
    const newest = files.at(-1);
    if (!newest) return undefined;
    const report = JSON.parse(readFileSync(path.join(dir, newest), "utf8")) as LastRestore;
    return { ...report, file: path.join("drills", newest) };
}

function planText(
    stack: string,
    s: {
        config: StackConfig;
        rows: InventoryRow[];
        detectionRows: DetectionRow[];
        cost: CostLine[];
        features: CostLine[];
        budget: { usd: number; profile: string };
    },
    warnings: string[],
): string[] {
    const { config } = s;
    const d = detection(config);
    const rounds = `${d.rounds} round${d.rounds > 1 ? `s ${d.intervalSeconds} s apart` : ""}`;
    const pair = config.existingClusters;
    const out = [
        `Offline plan of stack "${stack}" (Pulumi mocks: no credentials, no network)`,
        ...wrap(
            `primary ${config.primaryRegion}, secondary ${config.secondaryRegion}, witness ${config.witnessRegion}; ` +
                `schedule ${config.monitoringSchedule}, detection profile ${config.detectionProfile} (${rounds} per invocation); ` +
                `deletion protection ${config.deletionProtection ? "on" : "off"}`,
            MAX_COLUMNS,
            "  ",
            "    ",
        ),
    ];
    if (config.clusterManagement !== "create") {
        const text =
            config.clusterManagement === "adopt"
                ? `ADOPTING the existing pair ${pair!.primary} / ${pair!.secondary}: the next pulumi up imports both clusters and peerings (see README "Adopt an existing pair")`
                : `MONITOR-ONLY: watches the existing pair ${pair!.primary} / ${pair!.secondary}; declares no cluster or peering`;
        out.push(...wrap(text, MAX_COLUMNS, "  ", "    "));
    }
    for (const w of warnings) out.push(...wrap(`WARNING: ${w}`, MAX_COLUMNS, "  ", "    "));
    out.push(...inventoryLines(s.rows));
    out.push(
        "",
        ...wrap(
            `Time to detect, simulated (${s.detectionRows[0]?.runs ?? 0} runs per row over schedule phases, fault times ` +
                `and alarm-evaluation offsets; EventBridge delivery ${DELIVERY_SECONDS.min}-${DELIVERY_SECONDS.max} s ` +
                `and EMF ${EMF_DELAY_SECONDS.min}-${EMF_DELAY_SECONDS.max} s assumed; tools/simulation/verdict-simulation.ts):`,
        ),
        ...detectionTable(s.detectionRows),
        "",
        ...recoveryLines(stack, config.backup, s.detectionRows, lastRestore(stack), [
            config.primaryRegion,
            config.secondaryRegion,
        ]),
    );
    const bench = readBenchmark();
    out.push(
        "",
        "Monthly cost of the monitoring path (USD, list prices, tools/docs-gen/prices.ts):",
        ...costTable(s.cost, totalUsd(s.cost), s.budget),
        ...wrap(
            `(round duration from monitor-function/benchmark.json: ${d.rounds > 1 ? bench.fast.warmRoundMs : bench.warmRoundMs} ms warm, ` +
                "plus a network allowance; `./task bench --write` measures it)",
            MAX_COLUMNS,
            "  ",
            "   ",
        ),
    );
    if (s.features.length > 0) {
        out.push(
            "",
            "Monthly cost of the other DR features this stack turns on (outside the budget):",
            ...featureTable(s.features),
        );
    }
    return out;
}
