/**
 * Monitor benchmark, on the package that ships: its size (zipped, with and without the
 * source map), and for each detection profile the cold start of a fresh process (module
 * init, then one whole invocation against local endpoints: a GetCluster and SSM stub over
 * HTTP and a real PostgreSQL holding the heartbeat table), the median warm invocation, and
 * the log bytes per round; then hang isolation (an invocation whose second cluster never
 * answers, divided by the probe bound). Medians of at least 15 fresh processes.
 *
 * It prints; with --write it also records the figures in monitor-function/benchmark.json,
 * which the offline plan's cost figure reads. Usage: HELP below (`./task bench --help`).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { FAST_ROUNDS } from "../../infra/detection";
import { BenchmarkError } from "../testing/bench-error";
import type { Measured } from "../testing/bench-runs";
import { BENCHMARK_FILE } from "../testing/benchmark-file";
import { noMorePositionals, parseCommandLine as parseFlags, stringFlag } from "../operator/args";
import { shown, UsageError } from "../operator/errors";
import {
    consoleIo,
    EXIT_CODES_HELP,
    exitWhenDrained,
    runTool,
    type ToolIo,
} from "../operator/tool";

export { BenchmarkError };

/** Fewer fresh processes per profile than this make the medians noise. */
export const MIN_RUNS = 15;
const HELP = `usage: ./task bench [--runs N] [--write]

Monitor benchmark, on the package that ships: its size, and per detection profile the cold
start of a fresh process, the median warm invocation and round, the log bytes per round; then
hang isolation. Needs no AWS: local endpoints and a real PostgreSQL on loopback.

Flags:
  --runs N      fresh processes per profile, at least ${MIN_RUNS} (default ${MIN_RUNS})
  --write       record the figures in monitor-function/benchmark.json (the plan's cost reads them)
  -h, --help    this help

${EXIT_CODES_HELP}
`;

const SPEC = { name: "bench", help: HELP };

export interface BenchOptions {
    readonly runs: number;
    readonly write: boolean;
}

/** The benchmark's command line; a UsageError when it is not one. */
export function parseCommandLine(argv: readonly string[]): BenchOptions {
    const { values, positionals } = parseFlags(argv, {
        runs: { type: "string" },
        write: { type: "boolean" },
    });
    noMorePositionals(positionals, 0);
    const runs = stringFlag(values, "runs") ?? String(MIN_RUNS);
    if (!/^\d+$/.test(runs) || Number(runs) < MIN_RUNS) {
        throw new UsageError(
            `--runs ${shown(runs)}: expected a whole number of at least ${MIN_RUNS}`,
        );
    }
    return { runs: Number(runs), write: values.write === true };
}

/** The figures that are not finite numbers (a recorded null would be priced as 0). */
export function nonFigures(result: Record<string, unknown>, prefix = ""): string[] {
    return Object.entries(result).flatMap(([key, value]) => {
        if (key === "node") return [];
        if (value !== null && typeof value === "object")
            return nonFigures(value as Record<string, unknown>, `${prefix}${key}.`);
        return typeof value === "number" && Number.isFinite(value)
            ? []
            : [`${prefix}${key}=${JSON.stringify(value)}`];
    });
}

/** Prints the figures, as the benchmark reports them on the console. */
function printFigures({ result, standard, fast, hangTimeoutMs }: Measured, runs: number): void {
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`Monitor benchmark (${runs} fresh processes per profile, Node ${process.version})`);
    console.log(
        `  package as shipped      ${kb(result.packageZippedBytes)} zipped (goal ≤ 300 KB); with the source map (sourceMaps: true) ${kb(result.packageWithSourceMapZippedBytes as number)}`,
    );
    for (const [name, s] of [
        ["standard", standard],
        ["fast", fast],
    ] as const) {
        console.log(
            `  ${name.padEnd(8)} module init ${s.moduleInitMs} ms, cold invocation ${s.coldInvocationMs} ms (import + ${name === "fast" ? FAST_ROUNDS + " rounds, waits skipped" : "one round"}), warm invocation ${s.warmInvocationMs} ms, warm round ${s.warmRoundMs} ms, ${s.logBytesPerRound} log bytes per round, at most ${s.maxRssMb} MB resident`,
        );
    }
    console.log(
        `  hang isolation          wall time ÷ ${hangTimeoutMs} ms bound when one cluster never answers: control plane ${result.hangRatioControlPlane}, data plane ${result.hangRatioDataPlane} (goal ≤ 1.1)`,
    );
}

/** Records the figures for the plan's cost, refusing any that is not a number. */
function recordFigures(result: Measured["result"]): void {
    const bad = nonFigures(result);
    if (bad.length)
        throw new BenchmarkError(`not recorded: figures that are not numbers: ${bad.join(", ")}`);
    writeFileSync(BENCHMARK_FILE, JSON.stringify(result, null, 2) + "\n");
    console.log(`  written to ${path.relative(process.cwd(), BENCHMARK_FILE)}`);
}

async function benchmark({ runs, write }: BenchOptions): Promise<void> {
    // Loaded only when it runs: --help and usage errors stay instant.
    const { startBenchWorld } = await import("../testing/bench-world.js");
    const { measure } = await import("../testing/bench-runs.js");
    const world = await startBenchWorld();
    try {
        const measured = await measure(world, runs);
        printFigures(measured, runs);
        if (write) {
            recordFigures(measured.result);
        } else {
            console.log(
                "  (not recorded; --write updates monitor-function/benchmark.json for the plan's cost figure)",
            );
        }
    } finally {
        await world.close();
    }
}

/**
 * The command: --help prints the usage; a bad command line prints one line and a hint and
 * exits 2, before anything starts; a failure the benchmark explains prints its message and
 * exits 1; anything else is a defect, printed with its stack.
 */
export function cli(
    argv: readonly string[],
    run: (options: BenchOptions) => Promise<void> = benchmark,
    io: ToolIo = consoleIo,
): Promise<number> {
    return runTool(SPEC, argv, io, async () => {
        const options = parseCommandLine(argv);
        try {
            await run(options);
        } catch (error) {
            const e = error as Error;
            io.err(e instanceof BenchmarkError ? e.message : (e.stack ?? e.message));
            return 1;
        }
        return 0;
    });
}

if (require.main === module) void cli(process.argv.slice(2)).then(exitWhenDrained);
