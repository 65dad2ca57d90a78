/**
 * The benchmark's record, monitor-function/benchmark.json: what `./task bench --write`
 * measured, and the one reader that refuses a figure that is not a number (the plan's cost
 * prices the monitors from it).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./repo-root";

/** What `npm run bench` measured and committed. */
export interface BenchmarkResult {
    readonly bundleBytes: number;
    readonly packageZippedBytes: number;
    readonly moduleInitMs: number;
    readonly coldInvocationMs: number;
    /** Milliseconds of one warm probe round (both clusters, commit and read). */
    readonly warmRoundMs: number;
    /** Bytes the monitor logs per round (EMF documents and its share of the summary line). */
    readonly logBytesPerRound: number;
    /** The same figures for the fast profile (connections kept between rounds). */
    readonly fast: { readonly warmRoundMs: number; readonly logBytesPerRound: number };
}

export const BENCHMARK_FILE = path.join(REPO_ROOT, "monitor-function", "benchmark.json");

export function readBenchmark(file = BENCHMARK_FILE): BenchmarkResult {
    const bench = JSON.parse(readFileSync(file, "utf8")) as BenchmarkResult;
    // The figures the cost and the README are computed from; a NaN or null would price silently.
    const figures: Record<string, unknown> = {
        bundleBytes: bench.bundleBytes,
        packageZippedBytes: bench.packageZippedBytes,
        moduleInitMs: bench.moduleInitMs,
        coldInvocationMs: bench.coldInvocationMs,
        warmRoundMs: bench.warmRoundMs,
        logBytesPerRound: bench.logBytesPerRound,
        "fast.warmRoundMs": bench.fast?.warmRoundMs,
        "fast.logBytesPerRound": bench.fast?.logBytesPerRound,
    };
    const bad = Object.keys(figures).filter((k) => !Number.isFinite(figures[k]));
    if (bad.length > 0) {
        throw new Error(
            `${file}: ${bad.join(", ")} must be numbers; measure again with ./task bench --write`,
        );
    }
    return bench;
}
