import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import {
    failoverSignalAlarm,
    failoverSignalPeriodSeconds,
    failoverSignalPeriodsProblem,
} from "./failover-signal";

export interface FailoverHealthChecksArgs {
    /** Both clusters; each cluster Region is also an observer (its monitor watches both). */
    readonly clusters: readonly ClusterRef[];
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    /** N: periods in a row the signal must be 1 before a check turns unhealthy (N of N). */
    readonly signalPeriods: number;
    /** The monitor's schedule period; the alarms' period is it rounded up to whole minutes. */
    readonly schedulePeriodSeconds: number;
    /**
     * Whether the monitor lets maintenance and drill windows move traffic (config
     * `drillsMoveTraffic`). The monitor applies it; here it only goes into the descriptions.
     */
    readonly drillsMoveTraffic: boolean;
    /** One explicit provider per cluster Region; Route 53 (global) goes through the primary's. */
    readonly providers: Readonly<Record<string, aws.Provider>>;
}

/** A cluster's signal alarm as one observer Region sees it (for ARC Region switch triggers). */
export interface SignalAlarm {
    readonly observerRegion: string;
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
}

/**
 * One Route 53 health check per cluster that applications can use in failover records: per
 * observer Region, a metric alarm (actions disabled) on the FailoverSignal series that observer
 * emits for the cluster, and a CLOUDWATCH_METRIC health check following it; per cluster, a
 * CALCULATED health check over the observers' checks, unhealthy as soon as one of them is.
 *
 * - A silent observer must not move traffic by itself: its check is Healthy on insufficient
 *   data (not LastKnownStatus, which AWS advises against for metrics that can stop for long,
 *   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-cloudwatch).
 * - Threshold: all observer checks must be healthy. Each observer's signal is already an
 *   agreed verdict (its own N of M, and the other observer's commits through the cluster
 *   stale); when the cluster's Region is dark its own observer is silent (Healthy), and the
 *   other observer is the only evidence, so one unhealthy child must suffice.
 * - Maintenance: during a window in its Region the monitor emits 0 (drills do not move
 *   traffic) unless `drillsMoveTraffic` is on.
 */
export class FailoverHealthChecks extends pulumi.ComponentResource {
    /** The calculated health check of each cluster: put these in failover records. */
    public readonly healthCheckIds: Readonly<Partial<Record<ClusterRole, pulumi.Output<string>>>>;
    /** Each cluster's signal alarms, one per observer Region. */
    public readonly signalAlarms: Readonly<Partial<Record<ClusterRole, readonly SignalAlarm[]>>>;

    constructor(
        name: string,
        args: FailoverHealthChecksArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("aurora-dsql-dr:failover:HealthChecks", name, {}, opts);
        const problem = failoverSignalPeriodsProblem(args.signalPeriods);
        if (problem) throw new Error(`FailoverHealthChecks ${name}: ${problem}`);
        const observers = args.clusters.map((c) => c.region);
        const route53 = { parent: this, provider: providerIn(name, args, observers[0]) };
        const healthCheckIds: Partial<Record<ClusterRole, pulumi.Output<string>>> = {};
        const signalAlarms: Partial<Record<ClusterRole, SignalAlarm[]>> = {};
        for (const cluster of args.clusters) {
            const perObserver = observers.map((observer) =>
                this.observerCheck(name, args, cluster, observer),
            );
            const calculated = new aws.route53.HealthCheck(
                `${name}-${cluster.role}`,
                {
                    type: "CALCULATED",
                    childHealthchecks: perObserver.map((o) => o.healthCheckId),
                    childHealthThreshold: perObserver.length,
                    tags: {
                        Name: pulumi.interpolate`dr-failover-${args.suffix}-${cluster.role}`,
                        // Tag values allow letters, digits, spaces and + - = . _ : / @ only.
                        description: `Unhealthy when a DR monitor holds the ${cluster.role} Aurora DSQL cluster in ${cluster.region} down - use in failover records`,
                    },
                },
                route53,
            );
            healthCheckIds[cluster.role] = calculated.id;
            signalAlarms[cluster.role] = perObserver.map((o) => o.alarm);
        }
        this.healthCheckIds = healthCheckIds;
        this.signalAlarms = signalAlarms;
        this.registerOutputs({ healthCheckIds, signalAlarms });
    }

    /** The alarm on what `observer` emits about `cluster`, and the health check following it. */
    private observerCheck(
        name: string,
        args: FailoverHealthChecksArgs,
        cluster: ClusterRef,
        observer: string,
    ): { alarm: SignalAlarm; healthCheckId: pulumi.Output<string> } {
        const period = failoverSignalPeriodSeconds(args.schedulePeriodSeconds);
        const n = args.signalPeriods;
        const definition = cluster.identifier.apply((identifier) =>
            failoverSignalAlarm({
                identifier,
                clusterRegion: cluster.region,
                observerRegion: observer,
                periods: n,
                periodSeconds: period,
            }),
        );
        const detail = `${cluster.role}-from-${observer}`;
        const drills = args.drillsMoveTraffic
            ? "drills and maintenance windows there move traffic too (drillsMoveTraffic is on)"
            : "a maintenance or drill window there holds it at 0, so drills do not move traffic (drillsMoveTraffic is off)";
        const alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-${detail}`,
            {
                name: pulumi.interpolate`dr-failover-${args.suffix}-${detail}`,
                alarmDescription: `FAILOVER SIGNAL (no action; followed by a Route 53 health check and usable as an ARC Region switch trigger): the DR monitor in ${observer} has held the ${cluster.role} Aurora DSQL cluster (${cluster.region}) down by agreement for ${n} of ${n} periods of ${period} s; ${drills}.`,
                namespace: definition.namespace,
                metricName: definition.metricName,
                dimensions: definition.dimensions,
                statistic: definition.statistic,
                period: definition.period,
                evaluationPeriods: definition.evaluationPeriods,
                datapointsToAlarm: definition.datapointsToAlarm,
                threshold: definition.threshold,
                comparisonOperator: definition.comparisonOperator,
                treatMissingData: definition.treatMissingData,
                actionsEnabled: false,
            },
            { parent: this, provider: providerIn(name, args, observer) },
        );
        const check = new aws.route53.HealthCheck(
            `${name}-${detail}`,
            {
                type: "CLOUDWATCH_METRIC",
                cloudwatchAlarmName: alarm.name,
                cloudwatchAlarmRegion: observer,
                insufficientDataHealthStatus: "Healthy",
                // Route 53 copies the alarm's settings once and does not follow later changes
                // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-updating-cloudwatch-alarm-settings.html):
                // any change to the alarm's definition updates the check.
                triggers: { alarm: pulumi.jsonStringify(definition) },
                tags: { Name: pulumi.interpolate`dr-failover-${args.suffix}-${detail}` },
            },
            { parent: this, provider: providerIn(name, args, args.clusters[0].region) },
        );
        return {
            alarm: { observerRegion: observer, name: alarm.name, arn: alarm.arn },
            healthCheckId: check.id,
        };
    }
}

function providerIn(name: string, args: FailoverHealthChecksArgs, region: string): aws.Provider {
    const provider = args.providers[region];
    if (!provider) {
        throw new Error(
            `FailoverHealthChecks ${name}: no provider for ${region}; pass one per cluster region`,
        );
    }
    return provider;
}
