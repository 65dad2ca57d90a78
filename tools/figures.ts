import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { DetectionProfile } from "../infra/detection";

import type { DeclaredStack } from "./mock-program";

import { REPO_ROOT } from "./stack-config";
import type { PageKind, Scenario } from "./verdict-scenarios";
import { stackModel } from "./verdict-model";
import { simulateVerdict, type ScenarioFigures } from "./verdict-simulation";

/**
 * Goals, per detection profile: worst-case seconds from a fault to its first page, by page
 * kind (region dark separately), and USD per stack-month. The prod stack must also meet its
 * own bounds, whatever its profile.
 */
export interface Goals {
    /** The backup page's bound follows the stack's own RPO: see detectGoal. */
    readonly detectSeconds: Readonly<Record<Exclude<PageKind, "backup"> | "regionDark", number>>;
    readonly monthlyUsd: number;
}

/**
 * An AWS Health event reaches both alert topics within this many seconds of AWS Health
 * publishing it: one EventBridge delivery, or two when it is handed across Regions.
 */
const REDUNDANCY_GOAL_SECONDS = 120;

export const PROFILE_GOALS: Readonly<Record<DetectionProfile, Goals>> = {
    standard: {
        detectSeconds: {
            clusterDown: 360,
            regionDark: 360,
            consistency: 360,
            peering: 360,
            monitor: 360,
            peerMonitor: 360,
            redundancy: REDUNDANCY_GOAL_SECONDS,
        },
        // USD 10 until the other-monitor page: one composite and one alarm per region, 1.20.
        monthlyUsd: 11,
    },
    fast: {
        detectSeconds: {
            clusterDown: 60,
            regionDark: 90,
            consistency: 300,
            peering: 300,
            monitor: 90,
            peerMonitor: 90,
            redundancy: REDUNDANCY_GOAL_SECONDS,
        },
        monthlyUsd: 20,
    },
};

/** The prod stack's own bounds (DESIGN.md §3), on top of its profile's. */
export const STACK_GOALS: Readonly<Record<string, Partial<Goals["detectSeconds"]>>> = {
    prod: { clusterDown: 180, regionDark: 180, monitor: 300, consistency: 300 },
};

/**
 * The bound a paging row must meet on `stack` with `profile`; a backup page's is the RPO the
 * stack declares it keeps (`backupRpoMinutes`: from the newest recovery point's scheduled start).
 */
export function detectGoal(
    stack: string,
    profile: DetectionProfile,
    scenario: Scenario,
    backupRpoMinutes = 0,
): number {
    const kind = scenario.fault.regionDark ? "regionDark" : scenario.pages[0].kind;
    if (kind === "backup") return backupRpoMinutes * 60;
    return Math.min(
        PROFILE_GOALS[profile].detectSeconds[kind],
        STACK_GOALS[stack]?.[kind] ?? Infinity,
    );
}

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

/** Time to detect each row of the verdict table on the declared stack, by simulation. */
export function timeToDetect(stack: string, declared: DeclaredStack): Promise<ScenarioFigures[]> {
    return simulateVerdict(stackModel(stack, declared));
}
