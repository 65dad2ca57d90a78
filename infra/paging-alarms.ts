import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    CLUSTER_ROLES,
    METRIC_NAMESPACE,
    METRICS,
    VERDICT,
    metricDimensions,
    observerDimensions,
    pairId,
    type ClusterRole,
    type MetricKey,
} from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import { SUPPRESSOR_EXTENSION_SECONDS, SUPPRESSOR_WAIT_SECONDS, type Detection } from "./detection";

export interface PagingAlarmsArgs {
    /** Role and region of the observer (the cell) these alarms belong to. */
    readonly observer: ClusterRole;
    readonly region: string;
    readonly clusters: readonly ClusterRef[];
    readonly suffix: pulumi.Input<string>;
    readonly detection: Detection;
    /** Whether the monitor probes the data plane (without it nothing can say "cluster down"). */
    readonly dataPlaneProbe: boolean;
    /** Where ALARM and OK notifications go. */
    readonly topicArn: pulumi.Input<string>;
    /** Runbook URL without an anchor; each paging alarm links its own section. */
    readonly runbookUrl: string;
}

/** The paging alarms of one region, by what they mean. */
export interface PagingAlarmNames {
    readonly clusterDown: Partial<Record<ClusterRole, pulumi.Output<string>>>;
    /** The two endpoints disagree about committed rows: should never fire. */
    readonly consistency?: pulumi.Output<string>;
    readonly peering: pulumi.Output<string>;
    readonly monitor: pulumi.Output<string>;
    /** The other region's monitor silent, seen from here (with the data plane only). */
    readonly peerMonitor?: pulumi.Output<string>;
}

/** Every paging alarm of a region, in a stable order. */
export function pagingAlarmList(names: PagingAlarmNames): pulumi.Output<string>[] {
    return [
        ...CLUSTER_ROLES.flatMap((role) => names.clusterDown[role] ?? []),
        ...(names.consistency ? [names.consistency] : []),
        names.peering,
        names.monitor,
        ...(names.peerMonitor ? [names.peerMonitor] : []),
    ];
}

/** Anchors of the runbook sections the paging alarms link to (docs/runbook.md). */
export const RUNBOOK_ANCHORS = {
    clusterDown: "page-cluster-down",
    consistency: "page-consistency-check-failed",
    peering: "page-peering-not-as-declared",
    monitor: "page-monitor-silent-or-broken",
    peerMonitor: "page-other-monitor-silent",
} as const;

type Comparison = "GreaterThanOrEqualToThreshold" | "LessThanThreshold";

/**
 * The verdict of one region, as CloudWatch alarms. Child metric alarms carry no actions;
 * what pages are composite alarms over them, each notifying ALARM and OK on the region's
 * topic and each silenced by the region's maintenance alarm (its actions suppressor).
 *
 * - "<cluster> down": this observer failed N of the last M rounds on the cluster AND, in
 *   the latest round, the other observer's commits through it were stale too (agreement:
 *   one observer's broken path to a healthy, replicating cluster is only a warning).
 * - "consistency check failed": the two endpoints disagree about the other observer's
 *   heartbeats, which a synchronously replicated pair never does (a case for AWS support).
 * - "peering not as declared": GetCluster answered with another witness or peer.
 * - "monitor silent or broken": no MonitorHealth datapoint (missing = breaching), or 0.
 */
export class PagingAlarms extends pulumi.ComponentResource {
    public readonly names: PagingAlarmNames;
    /** The same alarms' ARNs (drills stop on them). */
    public readonly arns: PagingAlarmNames;
    public readonly suppressorName: pulumi.Output<string>;
    public readonly suppressorArn: pulumi.Output<string>;
    /** Every alarm of the region, children and composites, for the dashboard. */
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: PagingAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:monitoring:PagingAlarms", name, {}, opts);
        const { observer, region, detection: d } = args;
        const parent = { parent: this };
        const physical = (kind: string, detail: string) =>
            pulumi.interpolate`dr-${kind}-${args.suffix}-${detail}`;
        const pair = pulumi
            .all(args.clusters.map((c) => c.identifier))
            .apply(([primary, secondary]) => pairId(primary, secondary));
        const clusterDims = (cluster: ClusterRef) =>
            cluster.identifier.apply((id) =>
                metricDimensions({ identifier: id, region: cluster.region }, region),
            );
        const observerDims = pair.apply((p) => observerDimensions(p, region));

        const child = (
            logical: string,
            alarmName: pulumi.Output<string>,
            description: string,
            metric: MetricKey,
            dimensions: pulumi.Input<Record<string, string>>,
            condition: {
                comparison: Comparison;
                threshold: number;
                period: number;
                datapoints: number;
                periods: number;
                missing: "breaching" | "notBreaching";
                /** Minutes after creation during which it stays INSUFFICIENT_DATA. */
                warmUpMinutes?: number;
            },
        ) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${logical}`,
                {
                    name: alarmName,
                    alarmDescription: `${description} (input of a paging alarm; takes no action itself)`,
                    namespace: METRIC_NAMESPACE,
                    metricName: METRICS[metric].name,
                    dimensions,
                    statistic: condition.comparison === "LessThanThreshold" ? "Minimum" : "Maximum",
                    period: condition.period,
                    evaluationPeriods: condition.periods,
                    datapointsToAlarm: condition.datapoints,
                    threshold: condition.threshold,
                    comparisonOperator: condition.comparison,
                    treatMissingData: condition.missing,
                    actionsEnabled: false,
                    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html
                    warmUpConfiguration: condition.warmUpMinutes
                        ? { warmUpPeriodDurationInMinutes: condition.warmUpMinutes }
                        : undefined,
                },
                parent,
            );
        // A replicating pair never shows an unreplicated heartbeat (commits that may still be
        // in flight are left out), so one observation pages; a peering answer may flicker
        // while the control plane updates, so two of three.
        const slow = { period: d.slowPeriodSeconds, datapoints: 1, periods: 1 };
        const peeringWindow = { period: d.slowPeriodSeconds, datapoints: 2, periods: 3 };

        // The maintenance window: raised by `./task maintenance` and drills, expires by itself.
        const suppressor = child(
            "maintenance",
            physical("maintenance", observer),
            `A maintenance or drill window is open in ${region}: paging alarms here take no action`,
            "maintenanceWindow",
            observerDims,
            {
                comparison: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                ...slow,
                datapoints: 1,
                periods: 1,
                missing: "notBreaching",
            },
        );
        this.suppressorName = suppressor.name;
        this.suppressorArn = suppressor.arn;

        const page = (
            logical: string,
            detail: string,
            rule: pulumi.Input<string>,
            description: pulumi.Input<string>,
        ) =>
            new aws.cloudwatch.CompositeAlarm(
                `${name}-${logical}`,
                {
                    alarmName: physical("page", detail),
                    alarmDescription: description,
                    alarmRule: rule,
                    alarmActions: [args.topicArn],
                    okActions: [args.topicArn],
                    actionsSuppressor: {
                        alarm: suppressor.name,
                        waitPeriod: SUPPRESSOR_WAIT_SECONDS,
                        extensionPeriod: SUPPRESSOR_EXTENSION_SECONDS,
                    },
                },
                parent,
            );
        const link = (anchor: string) => `Runbook: ${args.runbookUrl}#${anchor}`;
        const from = `from ${region} (${observer} region)`;

        const clusterDown: PagingAlarmNames["clusterDown"] = {};
        const clusterDownArns: PagingAlarmNames["clusterDown"] = {};
        const composites: aws.cloudwatch.CompositeAlarm[] = [];
        const children: aws.cloudwatch.MetricAlarm[] = [suppressor];
        if (args.dataPlaneProbe) {
            for (const cluster of args.clusters) {
                const where = `${cluster.role} cluster (${cluster.region})`;
                // One failed round of one adds nothing to the agreed round: no child for it.
                const everyRound = d.datapointsToAlarm === 1 && d.evaluationPeriods === 1;
                const unreachable = everyRound
                    ? undefined
                    : child(
                          `${cluster.role}-unreachable`,
                          physical("signal", `${cluster.role}-unreachable-from-${observer}`),
                          `The monitor in ${region} could not read or commit through the ${where} in ${d.datapointsToAlarm} of the last ${d.evaluationPeriods} rounds`,
                          "clusterVerdict",
                          clusterDims(cluster),
                          {
                              comparison: "GreaterThanOrEqualToThreshold",
                              threshold: VERDICT.pathFailure,
                              period: d.verdictPeriodSeconds,
                              datapoints: d.datapointsToAlarm,
                              periods: d.evaluationPeriods,
                              missing: "notBreaching",
                          },
                      );
                const agreed = child(
                    `${cluster.role}-agreed`,
                    physical("signal", `${cluster.role}-agreed-from-${observer}`),
                    `In the latest round, the other observer's commits through the ${where} were stale too (older than ${d.heartbeatStaleSeconds} s)`,
                    "clusterVerdict",
                    clusterDims(cluster),
                    {
                        comparison: "GreaterThanOrEqualToThreshold",
                        threshold: VERDICT.clusterDown,
                        period: d.verdictPeriodSeconds,
                        datapoints: 1,
                        periods: 1,
                        missing: "notBreaching",
                    },
                );
                children.push(agreed, ...(unreachable ? [unreachable] : []));
                const alarm = page(
                    `${cluster.role}-down`,
                    `${cluster.role}-down-from-${observer}`,
                    unreachable
                        ? pulumi.interpolate`ALARM("${unreachable.name}") AND ALARM("${agreed.name}")`
                        : pulumi.interpolate`ALARM("${agreed.name}")`,
                    `PAGE: the ${where} cannot serve, seen ${from}: this monitor failed to read or commit through it in ${d.datapointsToAlarm} of ${d.evaluationPeriods} rounds and the other region's monitor cannot commit through it either. ` +
                        `First check: the dr-probe-summary log line in ${region} (dataPlane reason), then the AWS Health Dashboard for Aurora DSQL in ${cluster.region}. If the region is down, move traffic to the other cluster. ${link(RUNBOOK_ANCHORS.clusterDown)}`,
                );
                clusterDown[cluster.role] = alarm.alarmName;
                clusterDownArns[cluster.role] = alarm.arn;
                composites.push(alarm);
            }
        }

        let consistency: pulumi.Output<string> | undefined;
        let consistencyArn: pulumi.Output<string> | undefined;
        if (args.dataPlaneProbe) {
            const lag = child(
                "consistency",
                physical("signal", `consistency-from-${observer}`),
                `The two clusters disagree about the other monitor's heartbeats, as read from ${region}`,
                "unreplicatedHeartbeats",
                observerDims,
                {
                    comparison: "GreaterThanOrEqualToThreshold",
                    threshold: 1,
                    ...slow,
                    missing: "notBreaching",
                },
            );
            children.push(lag);
            const alarm = page(
                "consistency",
                `consistency-from-${observer}`,
                pulumi.interpolate`ALARM("${lag.name}")`,
                `PAGE: consistency check failed, seen ${from}: the two endpoints disagree about committed rows (a heartbeat committed through one cluster is missing or two commits behind through the other). Replication in a peered pair is synchronous, so this should never happen: both clusters still answer, and reads may differ between them. ` +
                    `First check: the dr-probe-summary line (unreplicated) in both regions, both clusters' status and multiRegionProperties; then open an AWS support case for Aurora DSQL with the evidence the runbook lists. ${link(RUNBOOK_ANCHORS.consistency)}`,
            );
            consistency = alarm.alarmName;
            consistencyArn = alarm.arn;
            composites.push(alarm);
        }

        const peeringChildren = args.clusters.map((cluster) =>
            child(
                `${cluster.role}-peering`,
                physical("signal", `${cluster.role}-peering-from-${observer}`),
                `GetCluster shows the ${cluster.role} cluster (${cluster.region}) with another witness or peer than declared`,
                "peeringMismatch",
                clusterDims(cluster),
                {
                    comparison: "GreaterThanOrEqualToThreshold",
                    threshold: 1,
                    ...peeringWindow,
                    missing: "notBreaching",
                },
            ),
        );
        children.push(...peeringChildren);
        const peering = page(
            "peering",
            `peering-from-${observer}`,
            pulumi
                .all(peeringChildren.map((c) => c.name))
                .apply((names) => names.map((n) => `ALARM("${n}")`).join(" OR ")),
            `PAGE: the pair is not peered as declared, seen ${from}: a cluster names another witness or peer, or is not peered (PENDING_SETUP). The pair may not survive a region failure. ` +
                `First check: "aws dsql get-cluster" multiRegionProperties of both clusters against the stack outputs witnessRegion and clusterArns. ${link(RUNBOOK_ANCHORS.peering)}`,
        );
        composites.push(peering);

        const health = child(
            "monitor",
            physical("signal", `monitor-${observer}`),
            `The monitor in ${region} reported a defect of its own, or nothing at all`,
            "monitorHealth",
            observerDims,
            {
                comparison: "LessThanThreshold",
                threshold: 1,
                period: d.monitorPeriodSeconds,
                datapoints: 1,
                periods: 1,
                missing: "breaching",
                // A new alarm is evaluated at once and its missing data would breach before
                // the monitor's first datapoint exists: a page on every first deployment.
                warmUpMinutes: d.monitorWarmUpMinutes,
            },
        );
        children.push(health);
        const monitor = page(
            "monitor",
            `monitor-${observer}`,
            pulumi.interpolate`ALARM("${health.name}")`,
            `PAGE: the DR monitor in ${region} is silent or broken, so this region no longer watches the pair (this is not a cluster outage). ` +
                `First check: the monitor's log group for errors and its dr-probe-summary line (reasons marked "(monitor)": setup, grants, credentials), the schedule rule's state, Lambda throttles. ${link(RUNBOOK_ANCHORS.monitor)}`,
        );
        composites.push(monitor);

        // The other region's monitor, seen from here through the heartbeats: silent while
        // this one commits through both clusters (a dark region is the cluster-down page's).
        let peerMonitor: pulumi.Output<string> | undefined;
        let peerMonitorArn: pulumi.Output<string> | undefined;
        if (args.dataPlaneProbe) {
            const other = args.clusters.find((c) => c.role !== observer)!;
            const silent = child(
                "peer-monitor",
                physical("signal", `monitor-${other.role}-silent-from-${observer}`),
                `The monitor in ${other.region} committed no heartbeat through either cluster for over ${2 * d.heartbeatStaleSeconds} s while the one in ${region} committed through both`,
                "peerMonitorSilent",
                observerDims,
                {
                    comparison: "GreaterThanOrEqualToThreshold",
                    threshold: 1,
                    period: d.verdictPeriodSeconds,
                    datapoints: 1,
                    periods: 1,
                    missing: "notBreaching",
                },
            );
            children.push(silent);
            const alarm = page(
                "peer-monitor",
                `monitor-${other.role}-from-${observer}`,
                pulumi.interpolate`ALARM("${silent.name}")`,
                `PAGE: the DR monitor in ${other.region} (${other.role} region) is silent, seen ${from}: its heartbeats stopped while both clusters serve this region's monitor. Until it runs again, an outage of the ${other.role} cluster is seen only from here. ` +
                    `First check: in ${other.region}, the monitor's log group, the schedule rule's state, Lambda throttles and errors; that region's own "monitor" page. ${link(RUNBOOK_ANCHORS.peerMonitor)}`,
            );
            peerMonitor = alarm.alarmName;
            peerMonitorArn = alarm.arn;
            composites.push(alarm);
        }

        this.names = {
            clusterDown,
            consistency,
            peering: peering.alarmName,
            monitor: monitor.alarmName,
            peerMonitor,
        };
        this.arns = {
            clusterDown: clusterDownArns,
            consistency: consistencyArn,
            peering: peering.arn,
            monitor: monitor.arn,
            peerMonitor: peerMonitorArn,
        };
        this.alarmArns = pulumi.all([
            ...composites.map((a) => a.arn),
            ...children.map((a) => a.arn),
        ]);
        this.registerOutputs({ names: this.names, suppressorName: this.suppressorName });
    }
}
