// The environment the monitor Lambda runs with: the pair, the witness, probe switches, bounds and rounds.
import type * as pulumi from "@pulumi/pulumi";
import { ENV } from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import { failoverSignalMode } from "./failover-signal";
import type { MonitoringCellArgs } from "./monitoring-cell-args";

/** The two clusters as the monitor and the setup function know them. */
export function clusterEnvironment(
    clusters: readonly ClusterRef[],
    region: string,
): Record<string, pulumi.Input<string>> {
    const variables: Record<string, pulumi.Input<string>> = { [ENV.observerRegion]: region };
    for (const cluster of clusters) {
        variables[ENV.clusterId(cluster.role)] = cluster.identifier;
        variables[ENV.clusterRegion(cluster.role)] = cluster.region;
        variables[ENV.clusterArn(cluster.role)] = cluster.arn;
        variables[ENV.clusterEndpoint(cluster.role)] = cluster.endpoint;
    }
    return variables;
}

/** The monitor's environment: both clusters, the witness, probe switches, bounds and rounds. */
export function monitorEnvironment(
    args: MonitoringCellArgs,
    region: string,
    maintenanceParameter: pulumi.Output<string>,
): Record<string, pulumi.Input<string>> {
    const { config, detection: d } = args;
    // The first connect to an IDLE or INACTIVE cluster is slower than usual
    // (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cluster-lifecycle.html): its
    // heartbeat may then take three probe bounds, but no longer than the last round of an
    // invocation has before the function's timeout, nor, with several rounds, than the
    // time to the next round (less a second), and never less than one probe bound.
    const probeMs = config.probeTimeoutSeconds * 1000;
    const wakeUpMs = Math.max(
        probeMs,
        Math.min(
            3 * probeMs,
            (config.lambdaTimeoutSeconds - d.invocationSeconds) * 1000 + probeMs,
            d.rounds > 1 ? (d.intervalSeconds - 1) * 1000 : Infinity,
        ),
    );
    return {
        ...clusterEnvironment(args.clusters, region),
        [ENV.witnessRegion]: args.witnessRegion,
        [ENV.dataPlaneProbe]: String(config.dataPlaneProbe),
        [ENV.databaseUser]: config.databaseUser,
        [ENV.controlPlaneTimeoutMs]: String(probeMs),
        [ENV.dataPlaneTimeoutMs]: String(probeMs),
        [ENV.dataPlaneWakeTimeoutMs]: String(wakeUpMs),
        [ENV.heartbeatStaleSeconds]: String(d.heartbeatStaleSeconds),
        [ENV.probeRounds]: String(d.rounds),
        [ENV.probeIntervalSeconds]: String(d.intervalSeconds),
        [ENV.metricResolution]: String(d.metricResolution),
        [ENV.maintenanceParameter]: maintenanceParameter,
        [ENV.failoverSignal]: failoverSignalMode(
            config.failover.healthChecks,
            config.failover.drillsMoveTraffic,
        ),
        POWERTOOLS_SERVICE_NAME: "aurora-dsql-dr-monitor",
        // Mapped stack traces, only when the package ships the source map.
        ...(config.sourceMaps ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
    };
}
