/**
 * What a declared stack costs a month, from its resources and the benchmark's measured
 * round, at the list prices of prices.ts. Two parts: the monitoring path (monitors, their
 * alarms and pages, metrics, logs, the alert topics' keys, the probes' DPU), which the
 * profile's budget bounds; and the other DR features a stack may turn on (drill guards,
 * failover health checks, backups), priced separately so each shows what it adds.
 */
import { backupMonthlyCost } from "../../infra/backup-cost";
import type { StackConfig } from "../../infra/config/stack-config";
import { schedulePeriodSeconds } from "../../infra/schedule";
import { ENV, METRICS } from "../../monitor-function/src/contract";
import { readBenchmark, type BenchmarkResult } from "../testing/benchmark-file";
import type { DeclaredResource, DeclaredStack } from "../pulumi-host/mock-program";
import { ASSUMPTIONS, PRICES } from "./prices";

export interface CostLine {
    readonly item: string;
    readonly quantity: string;
    readonly usd: number;
}

export const totalUsd = (lines: readonly CostLine[]) => lines.reduce((sum, l) => sum + l.usd, 0);

/** The feature an alarm, composite or key belongs to. */
type Feature = "monitoring" | "drills" | "failover" | "backups";

const TYPE = {
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    composite: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    key: "aws:kms/key:Key",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    vault: "aws:backup/vault:Vault",
} as const;

/** A resource serves the feature of the component that declares it. */
const FEATURE_OF_COMPONENT: Readonly<Record<string, Feature>> = {
    "aurora-dsql-dr:drill:Template": "drills",
    "aurora-dsql-dr:failover:HealthChecks": "failover",
    "aurora-dsql-dr:backup:Protection": "backups",
    "aurora-dsql-dr:backup:Pages": "backups",
};

function featureOf(resource: DeclaredResource): Feature {
    return FEATURE_OF_COMPONENT[resource.parent?.type ?? ""] ?? "monitoring";
}

const of = (declared: DeclaredStack, type: string, feature: Feature) =>
    declared.resources.filter((r) => r.type === type && featureOf(r) === feature);

/** The metrics an alarm is billed for: its one metric, or each metric its math reads. */
const alarmMetrics = (alarm: DeclaredResource) =>
    Math.max(
        1,
        ((alarm.inputs.metricQueries ?? []) as { metric?: unknown }[]).filter((q) => q.metric)
            .length,
    );

/** Alarm lines: standard and high-resolution metric alarms (per alarm metric), and composites. */
function alarmLines(declared: DeclaredStack, feature: Feature, label = ""): CostLine[] {
    const metricAlarms = of(declared, TYPE.metricAlarm, feature);
    const count = (alarms: DeclaredResource[]) =>
        alarms.reduce((sum, a) => sum + alarmMetrics(a), 0);
    const highRes = count(metricAlarms.filter((a) => a.inputs.period < 60));
    const standard = count(metricAlarms) - highRes;
    const composites = of(declared, TYPE.composite, feature).length;
    const lines: CostLine[] = [];
    if (standard || feature === "monitoring")
        lines.push({
            item: `CloudWatch alarms, standard${label}`,
            quantity: `${standard} alarm metrics`,
            usd: standard * PRICES.alarmPerMonth,
        });
    if (highRes || feature === "monitoring")
        lines.push({
            item: `CloudWatch alarms, high-resolution${label}`,
            quantity: `${highRes} alarm metrics`,
            usd: highRes * PRICES.highResolutionAlarmPerMonth,
        });
    if (composites || feature === "monitoring")
        lines.push({
            item: `CloudWatch composite alarms${label}`,
            quantity: `${composites} ${feature === "monitoring" ? "paging" : "composite"} alarms`,
            usd: composites * PRICES.compositeAlarmPerMonth,
        });
    return lines;
}

/** The monitors and how they run: the schedule's invocations and their rounds. */
function monitorsOf(declared: DeclaredStack) {
    const monitors = declared.resources.filter(
        (r) => r.type === "aws:lambda/function:Function" && r.inputs.handler === "index.handler",
    );
    const rule = declared.resources.find(
        (r) => r.type === "aws:cloudwatch/eventRule:EventRule" && r.inputs.scheduleExpression,
    )!;
    const env = monitors[0].inputs.environment.variables as Record<string, string>;
    const period = schedulePeriodSeconds(rule.inputs.scheduleExpression) as number;
    const invocations = ((ASSUMPTIONS.hoursPerMonth * 3600) / period) * monitors.length;
    return { monitors, env, invocations, rounds: Number(env[ENV.probeRounds]) };
}

/** Monthly USD of the monitoring path of the whole stack (both regions), line by line. */
export function monthlyCost(
    declared: DeclaredStack,
    bench: BenchmarkResult = readBenchmark(),
): CostLine[] {
    const { monitors, env, invocations, rounds } = monitorsOf(declared);
    const interval = Number(env[ENV.probeIntervalSeconds]);
    const measured = rounds > 1 ? bench.fast : bench;
    // An invocation lasts its rounds (it waits between them) plus one round's own work.
    const invocationSeconds =
        (rounds - 1) * interval + measured.warmRoundMs / 1000 + ASSUMPTIONS.networkAllowanceSeconds;
    const gbSeconds = invocations * invocationSeconds * (monitors[0].inputs.memorySize / 1024);
    const dashboards = declared.resources.filter(
        (r) => r.type === "aws:cloudwatch/dashboard:Dashboard",
    ).length;
    const paidDashboards = Math.max(
        0,
        dashboards + ASSUMPTIONS.dashboardsAlreadyInAccount - PRICES.freeDashboardsPerAccount,
    );
    // Dense observer metrics are sent every round; sparse ones only while something is wrong.
    const dense = Object.values(METRICS).filter(
        (m) => m.emitted === "dense" && m.scope === "observer",
    );
    const denseSeries = monitors.length * dense.length;
    const roundsPerMonth = invocations * rounds;
    const logGb = (roundsPerMonth * measured.logBytesPerRound) / 1024 ** 3;
    const keys = of(declared, TYPE.key, "monitoring").length;
    // Each round commits and reads a heartbeat through both clusters.
    const dpus =
        env[ENV.dataPlaneProbe] === "true" ? roundsPerMonth * 2 * ASSUMPTIONS.dpuPerHeartbeat : 0;
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
        ...alarmLines(declared, "monitoring"),
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

/**
 * Monthly USD of the DR features outside the monitoring path, as declared: the drills'
 * guard alarms, failover health checks and their signal, backups (their alarms and keys,
 * and with the stack's config their storage and copies at the assumed stored size).
 */
export function featureCost(
    declared: DeclaredStack,
    config?: Pick<StackConfig, "backup" | "backupAssumedStoredGb">,
): CostLine[] {
    const lines: CostLine[] = [...alarmLines(declared, "drills", " (drill guards)")];
    const healthChecks = declared.resources.filter((r) => r.type === TYPE.healthCheck).length;
    if (healthChecks > 0) {
        const { monitors, env } = monitorsOf(declared);
        const failoverSeries =
            (env[ENV.failoverSignal] ?? "off") === "off" ? 0 : monitors.length * 2;
        lines.push(
            {
                item: "Route 53 health checks (failover)",
                quantity: `${healthChecks} health checks`,
                usd: healthChecks * PRICES.route53HealthCheckPerMonth,
            },
            ...alarmLines(declared, "failover", " (failover)"),
            {
                item: "CloudWatch custom metrics (FailoverSignal)",
                quantity: `${failoverSeries} sent every round`,
                usd: failoverSeries * PRICES.customMetricPerMonth,
            },
        );
    }
    const backupKeys = of(declared, TYPE.key, "backups").length;
    if (backupKeys > 0 || of(declared, TYPE.composite, "backups").length > 0) {
        lines.push(...alarmLines(declared, "backups", " (backups)"), {
            item: "KMS keys (backup vaults)",
            quantity: `${backupKeys} keys`,
            usd: backupKeys * PRICES.kmsKeyPerMonth,
        });
    }
    if (config && config.backup.mode !== "off")
        lines.push(...backupMonthlyCost(config.backup, config.backupAssumedStoredGb, PRICES));
    return lines;
}
