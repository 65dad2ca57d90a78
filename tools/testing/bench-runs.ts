/**
 * Fresh monitor processes and the figures drawn from them: per detection profile the medians
 * of cold starts and warm invocations, hang isolation, and the size of the shipped package.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { deflateRawSync } from "node:zlib";
import { MONITOR_BUILD_DIR, shippedFiles } from "../../infra/monitor-code";
import { BenchmarkError } from "./bench-error";
import { CLUSTERS, monitorEnvironment, type BenchWorld, type Profile } from "./bench-world";
import type { BenchmarkResult } from "./benchmark-file";

const run = promisify(execFile);

interface ColdRun {
    moduleInitMs: number;
    coldInvocationMs: number;
    warmInvocationMs: number;
    rounds: number;
    logBytesPerRound: number;
    rssMb: number;
    healthy: boolean;
}

async function coldRun(env: Record<string, string>, warmRuns = 10): Promise<ColdRun> {
    const driver = path.join(__dirname, "bench-cold.mjs");
    const { stdout } = await run(
        process.execPath,
        [driver, path.join(MONITOR_BUILD_DIR, "index.mjs")],
        { env: { ...env, BENCH_WARM_RUNS: String(warmRuns) }, maxBuffer: 64 * 1024 * 1024 },
    );
    const line = stdout.split("\n").find((l) => l.startsWith("BENCH "));
    if (!line) throw new BenchmarkError(`no result from the cold-start driver:\n${stdout}`);
    return JSON.parse(line.slice(6)) as ColdRun;
}

const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const zipped = (file: string) =>
    deflateRawSync(readFileSync(path.join(MONITOR_BUILD_DIR, file)), { level: 9 }).length;

/** One profile's figures: medians over its fresh processes, the largest resident set. */
function summary(runs: ColdRun[]) {
    return {
        moduleInitMs: round(median(runs.map((r) => r.moduleInitMs))),
        coldInvocationMs: round(median(runs.map((r) => r.coldInvocationMs))),
        warmInvocationMs: round(median(runs.map((r) => r.warmInvocationMs))),
        warmRoundMs: round(median(runs.map((r) => r.warmInvocationMs / r.rounds))),
        logBytesPerRound: Math.round(median(runs.map((r) => r.logBytesPerRound))),
        maxRssMb: Math.round(Math.max(...runs.map((r) => r.rssMb))),
    };
}

export type ProfileSummary = ReturnType<typeof summary>;

export interface Measured {
    readonly result: BenchmarkResult & Record<string, unknown>;
    readonly standard: ProfileSummary;
    readonly fast: ProfileSummary;
    /** The probe bound of the hang-isolation runs. */
    readonly hangTimeoutMs: number;
}

/** `runs` fresh processes per profile, all healthy; then one hang per side. */
async function profileRuns(world: BenchWorld, runs: number): Promise<Record<Profile, ColdRun[]>> {
    const profiles: Record<Profile, ColdRun[]> = { standard: [], fast: [] };
    for (const profile of ["standard", "fast"] as const) {
        for (let i = 0; i < runs; i++) {
            const result = await coldRun(
                monitorEnvironment(profile, world.healthyPort, world.sqlPorts, 5000),
            );
            if (!result.healthy)
                throw new BenchmarkError(`a ${profile} run did not see both clusters healthy`);
            profiles[profile].push(result);
        }
    }
    return profiles;
}

/** Wall time past module init, in probe bounds, of a run where one cluster never answers. */
const hangRatio = (hang: ColdRun, timeoutMs: number) =>
    round(hang.coldInvocationMs / timeoutMs - hang.moduleInitMs / timeoutMs, 3);

/** Measures the monitor in `world`: every figure the benchmark prints and records. */
export async function measure(world: BenchWorld, runs: number): Promise<Measured> {
    const profiles = await profileRuns(world, runs);
    const timeoutMs = 1000;
    const { hungPort, healthyPort, silentPort, sqlPorts } = world;
    const hangControl = await coldRun(
        monitorEnvironment("standard", hungPort, sqlPorts, timeoutMs),
        0,
    );
    const hangSql = await coldRun(
        monitorEnvironment(
            "standard",
            healthyPort,
            { ...sqlPorts, [CLUSTERS[1].identifier]: silentPort },
            timeoutMs,
        ),
        0,
    );
    const standard = summary(profiles.standard);
    const fast = summary(profiles.fast);
    const result: BenchmarkResult & Record<string, unknown> = {
        bundleBytes: readFileSync(path.join(MONITOR_BUILD_DIR, "index.mjs")).length,
        packageZippedBytes: shippedFiles(false).reduce((sum, f) => sum + zipped(f), 0),
        packageWithSourceMapZippedBytes: shippedFiles(true).reduce((sum, f) => sum + zipped(f), 0),
        ...standard,
        fast,
        hangRatioControlPlane: hangRatio(hangControl, timeoutMs),
        hangRatioDataPlane: hangRatio(hangSql, timeoutMs),
        runs,
        node: process.version,
    };
    return { result, standard, fast, hangTimeoutMs: timeoutMs };
}
