import { readFileSync } from "node:fs";
import * as path from "node:path";
import { schedulePeriodSeconds } from "../infra/schedule";
import { ENV, METRIC_NAMESPACE, METRICS } from "../monitor-function/src/contract";
import type { DeclaredResource, DeclaredStack } from "./mock-program";
import { ASSUMPTIONS, PRICES } from "./prices";
import { REPO_ROOT } from "./stack-config";

/** Goals per stack: worst-case seconds to detect, USD per stack-month. */
export const GOALS: Readonly<Record<string, { timeToDetectSeconds: number; monthlyUsd: number }>> =
    {
        dev: { timeToDetectSeconds: 300, monthlyUsd: 10 },
        prod: { timeToDetectSeconds: 180, monthlyUsd: 10 },
    };

/** What `npm run bench` measured and committed. */
export interface BenchmarkResult {
    readonly coldInvocationMs: number;
    readonly moduleInitMs: number;
    readonly bundleBytes: number;
    readonly zippedBytes: number;
    readonly hangRatio: number;
}

export const BENCHMARK_FILE = path.join(REPO_ROOT, "monitor-function", "benchmark.json");

export function readBenchmark(file = BENCHMARK_FILE): BenchmarkResult {
    return JSON.parse(readFileSync(file, "utf8")) as BenchmarkResult;
}

const inRegion = (stack: DeclaredStack, type: string, region: string) =>
    stack.resources.filter((r) => r.type === type && r.region === region);

/** Regions that hold a monitoring cell (a monitor function). */
function cellRegions(stack: DeclaredStack): string[] {
    return stack.resources
        .filter((r) => r.type === "aws:lambda/function:Function")
        .map((r) => r.region!)
        .sort();
}

function periodOf(rule: DeclaredResource): number {
    const period = schedulePeriodSeconds(rule.inputs.scheduleExpression);
    if (typeof period === "string") throw new Error(`rule ${rule.name}: ${period}`);
    return period;
}

export interface DetectionFigure {
    readonly region: string;
    readonly schedulePeriodSeconds: number;
    readonly probeBudgetSeconds: number;
    readonly alarmEvaluationSeconds: number;
    readonly worstCaseSeconds: number;
}

/**
 * Worst-case seconds from a cluster becoming unusable to its health alarm entering ALARM
 * in each region: up to one schedule period until the next probe, the probe's own bound
 * (control plane, plus data plane if enabled), and the alarm's evaluation window.
 */
export function timeToDetect(stack: DeclaredStack): DetectionFigure[] {
    return cellRegions(stack).map((region) => {
        const [rule] = inRegion(stack, "aws:cloudwatch/eventRule:EventRule", region);
        const [fn] = inRegion(stack, "aws:lambda/function:Function", region);
        const env = fn.inputs.environment.variables as Record<string, string>;
        const probeMs =
            Number(env[ENV.controlPlaneTimeoutMs]) +
            (env[ENV.dataPlaneProbe] === "true" ? Number(env[ENV.dataPlaneTimeoutMs]) : 0);
        const health = inRegion(stack, "aws:cloudwatch/metricAlarm:MetricAlarm", region).filter(
            (a) =>
                a.inputs.namespace === METRIC_NAMESPACE &&
                a.inputs.metricName === METRICS.clusterHealth.name,
        );
        const alarmEvaluationSeconds = Math.max(
            ...health.map((a) => a.inputs.period * a.inputs.evaluationPeriods),
        );
        const schedule = periodOf(rule);
        return {
            region,
            schedulePeriodSeconds: schedule,
            probeBudgetSeconds: probeMs / 1000,
            alarmEvaluationSeconds,
            worstCaseSeconds: schedule + probeMs / 1000 + alarmEvaluationSeconds,
        };
    });
}

export interface CostLine {
    readonly item: string;
    readonly quantity: string;
    readonly usd: number;
}

/** Monthly USD of the monitoring path of the whole stack (both regions), line by line. */
export function monthlyCost(
    stack: DeclaredStack,
    bench: BenchmarkResult = readBenchmark(),
): CostLine[] {
    const lines: CostLine[] = [];
    const seconds = ASSUMPTIONS.hoursPerMonth * 3600;
    const durationSeconds = bench.coldInvocationMs / 1000 + ASSUMPTIONS.networkAllowanceSeconds;
    let invocations = 0;
    let gbSeconds = 0;
    for (const region of cellRegions(stack)) {
        const [rule] = inRegion(stack, "aws:cloudwatch/eventRule:EventRule", region);
        const [fn] = inRegion(stack, "aws:lambda/function:Function", region);
        const perMonth = seconds / periodOf(rule);
        invocations += perMonth;
        gbSeconds += perMonth * durationSeconds * (fn.inputs.memorySize / 1024);
    }
    const count = (type: string) => stack.resources.filter((r) => r.type === type).length;
    const alarms = count("aws:cloudwatch/metricAlarm:MetricAlarm");
    const dashboards = count("aws:cloudwatch/dashboard:Dashboard");
    const paidDashboards = Math.max(
        0,
        dashboards + ASSUMPTIONS.dashboardsAlreadyInAccount - PRICES.freeDashboardsPerAccount,
    );
    // Each monitor emits every contract metric for each of the two clusters.
    const customMetrics = cellRegions(stack).length * 2 * Object.keys(METRICS).length;
    const logGb = (invocations * ASSUMPTIONS.logBytesPerInvocation) / 1024 ** 3;
    const keys = count("aws:kms/key:Key");
    lines.push(
        {
            item: "Lambda requests",
            quantity: `${Math.round(invocations)} invocations`,
            usd: (invocations / 1e6) * PRICES.lambdaPerMillionRequests,
        },
        {
            item: "Lambda duration (arm64)",
            quantity: `${Math.round(gbSeconds)} GB-s at ${durationSeconds.toFixed(2)} s each`,
            usd: gbSeconds * PRICES.lambdaArmPerGbSecond,
        },
        {
            item: "EventBridge schedules",
            quantity: `${Math.round(invocations)} scheduled events`,
            usd: invocations * PRICES.eventBridgeScheduledEvent,
        },
        {
            item: "CloudWatch alarms",
            quantity: `${alarms} alarms`,
            usd: alarms * PRICES.alarmPerMonth,
        },
        {
            item: "CloudWatch custom metrics (EMF)",
            quantity: `${customMetrics} metrics`,
            usd: customMetrics * PRICES.customMetricPerMonth,
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
    );
    return lines;
}

export const totalUsd = (lines: readonly CostLine[]) => lines.reduce((sum, l) => sum + l.usd, 0);
