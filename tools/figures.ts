import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { DetectionProfile } from "../infra/detection";
import { schedulePeriodSeconds } from "../infra/schedule";
import { METRICS } from "../monitor-function/src/contract";
import type { DeclaredStack } from "./mock-program";
import { ASSUMPTIONS, PRICES } from "./prices";
import { REPO_ROOT } from "./stack-config";
import type { PageKind, Scenario } from "./verdict-scenarios";
import { simulateVerdict, stackModel, type ScenarioFigures } from "./verdict-simulation";

/**
 * Goals, per detection profile: worst-case seconds from a fault to its first page, by page
 * kind (region dark separately), and USD per stack-month. The prod stack must also meet its
 * own bounds, whatever its profile.
 */
export interface Goals {
    readonly detectSeconds: Readonly<Record<PageKind | "regionDark", number>>;
    readonly monthlyUsd: number;
}

export const PROFILE_GOALS: Readonly<Record<DetectionProfile, Goals>> = {
    standard: {
        detectSeconds: {
            clusterDown: 360,
            regionDark: 360,
            replication: 360,
            peering: 360,
            monitor: 360,
        },
        monthlyUsd: 10,
    },
    fast: {
        detectSeconds: {
            clusterDown: 60,
            regionDark: 90,
            replication: 300,
            peering: 300,
            monitor: 300,
        },
        monthlyUsd: 20,
    },
};

/** The prod stack's own bounds (DESIGN.md §3), on top of its profile's. */
export const STACK_GOALS: Readonly<Record<string, Partial<Goals["detectSeconds"]>>> = {
    prod: { clusterDown: 180, regionDark: 180, monitor: 300, replication: 300 },
};

/** The bound a paging row must meet on `stack` with `profile`. */
export function detectGoal(stack: string, profile: DetectionProfile, scenario: Scenario): number {
    const kind: PageKind | "regionDark" = scenario.fault.regionDark
        ? "regionDark"
        : scenario.pages[0].kind;
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

export interface CostLine {
    readonly item: string;
    readonly quantity: string;
    readonly usd: number;
}

const count = (
    stack: DeclaredStack,
    type: string,
    where?: (r: DeclaredStack["resources"][number]) => boolean,
) => stack.resources.filter((r) => r.type === type && (!where || where(r))).length;

/** Monthly USD of the monitoring path of the whole stack (both regions), line by line. */
export function monthlyCost(
    declared: DeclaredStack,
    bench: BenchmarkResult = readBenchmark(),
): CostLine[] {
    const monitors = declared.resources.filter(
        (r) => r.type === "aws:lambda/function:Function" && r.inputs.handler === "index.handler",
    );
    const rule = declared.resources.find(
        (r) => r.type === "aws:cloudwatch/eventRule:EventRule" && r.inputs.scheduleExpression,
    )!;
    const env = monitors[0].inputs.environment.variables as Record<string, string>;
    const rounds = Number(env.PROBE_ROUNDS);
    const interval = Number(env.PROBE_INTERVAL_SECONDS);
    const period = schedulePeriodSeconds(rule.inputs.scheduleExpression) as number;
    const perMonthPerRegion = (ASSUMPTIONS.hoursPerMonth * 3600) / period;
    const invocations = perMonthPerRegion * monitors.length;
    const measured = rounds > 1 ? bench.fast : bench;
    // An invocation lasts its rounds (it waits between them) plus one round's own work.
    const invocationSeconds =
        (rounds - 1) * interval + measured.warmRoundMs / 1000 + ASSUMPTIONS.networkAllowanceSeconds;
    const gbSeconds = invocations * invocationSeconds * (monitors[0].inputs.memorySize / 1024);
    const metricAlarms = declared.resources.filter(
        (r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm",
    );
    const highRes = metricAlarms.filter((a) => a.inputs.period < 60).length;
    const composites = count(declared, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
    const dashboards = count(declared, "aws:cloudwatch/dashboard:Dashboard");
    const paidDashboards = Math.max(
        0,
        dashboards + ASSUMPTIONS.dashboardsAlreadyInAccount - PRICES.freeDashboardsPerAccount,
    );
    // Dense metrics are sent every round; sparse ones only while something is wrong.
    const dense = Object.values(METRICS).filter((m) => m.emitted === "dense");
    const denseSeries = monitors.length * dense.length;
    const roundsPerMonth = invocations * rounds;
    const logGb = (roundsPerMonth * measured.logBytesPerRound) / 1024 ** 3;
    const keys = count(declared, "aws:kms/key:Key");
    // Each round commits and reads a heartbeat through both clusters.
    const dpus =
        env.DATA_PLANE_PROBE === "true" ? roundsPerMonth * 2 * ASSUMPTIONS.dpuPerHeartbeat : 0;
    return [
        {
            item: "Lambda requests",
            quantity: `${Math.round(invocations)} invocations`,
            usd: (invocations / 1e6) * PRICES.lambdaPerMillionRequests,
        },
        {
            item: "Lambda duration (arm64)",
            quantity: `${Math.round(gbSeconds)} GB-s at ${invocationSeconds.toFixed(2)} s each`,
            usd: gbSeconds * PRICES.lambdaArmPerGbSecond,
        },
        {
            item: "CloudWatch alarms, standard",
            quantity: `${metricAlarms.length - highRes} alarms`,
            usd: (metricAlarms.length - highRes) * PRICES.alarmPerMonth,
        },
        {
            item: "CloudWatch alarms, high-resolution",
            quantity: `${highRes} alarms`,
            usd: highRes * PRICES.highResolutionAlarmPerMonth,
        },
        {
            item: "CloudWatch composite alarms",
            quantity: `${composites} paging alarms`,
            usd: composites * PRICES.compositeAlarmPerMonth,
        },
        {
            item: "CloudWatch custom metrics (EMF)",
            quantity: `${denseSeries} sent every round (sparse ones: only while failing)`,
            usd: denseSeries * PRICES.customMetricPerMonth,
        },
        {
            item: "CloudWatch dashboards",
            quantity: `${dashboards} (${paidDashboards} beyond the free ${PRICES.freeDashboardsPerAccount})`,
            usd: paidDashboards * PRICES.dashboardPerMonth,
        },
        { item: "KMS keys", quantity: `${keys} keys`, usd: keys * PRICES.kmsKeyPerMonth },
        {
            item: "CloudWatch Logs ingestion",
            quantity: `${logGb.toFixed(3)} GB`,
            usd: logGb * PRICES.logIngestionPerGb,
        },
        {
            item: "Aurora DSQL (probe heartbeats)",
            quantity: `${Math.round(dpus)} DPU`,
            usd: (dpus / 1e6) * PRICES.dsqlPerMillionDpu,
        },
    ];
}

export const totalUsd = (lines: readonly CostLine[]) => lines.reduce((sum, l) => sum + l.usd, 0);
