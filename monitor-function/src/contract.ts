/**
 * The contract between the monitor function and the Pulumi program: the metrics the
 * monitor emits, the dimensions it emits them with, and the environment it is given.
 * The alarms, the dashboard and the monitor all import this one module, so an alarm
 * can never watch a metric name or dimension set that the monitor does not publish.
 */

/** CloudWatch namespace of every metric the monitor publishes. */
export const METRIC_NAMESPACE = "Aurora/DSQL/DisasterRecovery";

/** Metric names, with the unit each is emitted in. */
export const METRICS = {
    /** 1 when the control plane says usable and (if enabled) a SQL round trip succeeded. */
    clusterHealth: { name: "ClusterHealth", unit: "Count" },
    /** 1 when the cluster's multi-region properties name the expected witness and peer. */
    peeringHealth: { name: "PeeringHealth", unit: "Count" },
    /** Round trip of GetCluster, in milliseconds. */
    controlPlaneLatency: { name: "ControlPlaneLatency", unit: "Milliseconds" },
    /** Connect, authenticate and run the probe query, in milliseconds. */
    dataPlaneLatency: { name: "DataPlaneLatency", unit: "Milliseconds" },
} as const;

export type MetricKey = keyof typeof METRICS;

/** Dimension names, in the order they are emitted. */
export const DIMENSION_NAMES = ["ClusterId", "ClusterRegion", "ObserverRegion"] as const;

export type MetricDimensions = Readonly<Record<(typeof DIMENSION_NAMES)[number], string>>;

/**
 * The exact dimension set a metric about `cluster` carries when observed from
 * `observerRegion`. Both stacks of one account stay apart because identifiers are unique.
 */
export function metricDimensions(
    cluster: { identifier: string; region: string },
    observerRegion: string,
): MetricDimensions {
    return {
        ClusterId: cluster.identifier,
        ClusterRegion: cluster.region,
        ObserverRegion: observerRegion,
    };
}

/** Roles of the two peered clusters. */
export const CLUSTER_ROLES = ["primary", "secondary"] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

/** Environment variables the program sets on the monitor function. */
export const ENV = {
    /** Per role: `<ROLE>_CLUSTER_ID`, `_REGION`, `_ARN`, `_ENDPOINT`. */
    clusterId: (role: ClusterRole) => `${role.toUpperCase()}_CLUSTER_ID`,
    clusterRegion: (role: ClusterRole) => `${role.toUpperCase()}_CLUSTER_REGION`,
    clusterArn: (role: ClusterRole) => `${role.toUpperCase()}_CLUSTER_ARN`,
    clusterEndpoint: (role: ClusterRole) => `${role.toUpperCase()}_CLUSTER_ENDPOINT`,
    /** Region of the witness both clusters must name. */
    witnessRegion: "WITNESS_REGION",
    /** Region the monitor runs in (its own dimension value). */
    observerRegion: "OBSERVER_REGION",
    /** "true" or "false": run the SQL round trip after the control-plane check. */
    dataPlaneProbe: "DATA_PLANE_PROBE",
    /** Database role the SQL probe connects as ("admin" or a custom role). */
    databaseUser: "DATABASE_USER",
    /** Bound on GetCluster, in milliseconds. */
    controlPlaneTimeoutMs: "CONTROL_PLANE_TIMEOUT_MS",
    /** Bound on the SQL probe (token, connect, query), in milliseconds. */
    dataPlaneTimeoutMs: "DATA_PLANE_TIMEOUT_MS",
} as const;

/** Aurora DSQL data-plane endpoint of a cluster: the Pulumi resource exposes none. */
export function clusterEndpoint(identifier: string, region: string): string {
    return `${identifier}.dsql.${region}.on.aws`;
}
