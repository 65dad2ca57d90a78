/**
 * The contract between the monitor function, the Pulumi program and the operator tools:
 * the metrics the monitor emits and their dimensions, the heartbeat table it writes, the
 * maintenance signal, and the environment it is given. Alarms, dashboards, the monitor,
 * the drill and the policy pack all import this one module, so an alarm can never watch a
 * metric name or dimension set that the monitor does not publish.
 */

/** CloudWatch namespace of every metric the monitor publishes. */
export const METRIC_NAMESPACE = "Aurora/DSQL/DisasterRecovery";

/** Values of the FAILOVER_SIGNAL environment variable. */
export const FAILOVER_SIGNAL_MODES = [
    "off",
    "hold-in-maintenance",
    "follow-in-maintenance",
] as const;
export type FailoverSignalMode = (typeof FAILOVER_SIGNAL_MODES)[number];

/** Which dimension set a metric carries: one cluster as one observer sees it, or the observer. */
export type MetricScope = "cluster" | "observer";

/**
 * Metric names, units, scopes and when they are emitted. "dense" metrics are emitted on
 * every probe round; "sparse" ones only when there is something to report, so a healthy
 * pair costs nothing for them (CloudWatch bills custom metrics by the hour they are sent).
 */
export const METRICS = {
    /**
     * Data-plane verdict of one cluster from one observer, emitted only when it is not
     * serving this observer: 1 = this observer could not read or commit through it (after
     * one retry) but the other observer's commits through it are fresh (a path problem,
     * a warning); 2 = it could not, and the other observer's commits through it are stale
     * or unreadable too (the cluster looks down).
     */
    clusterVerdict: { name: "ClusterVerdict", unit: "Count", scope: "cluster", emitted: "sparse" },
    /** 1 when GetCluster answered and the cluster does not name the declared witness and peer. */
    peeringMismatch: {
        name: "PeeringMismatch",
        unit: "Count",
        scope: "cluster",
        emitted: "sparse",
    },
    /** 1 when GetCluster did not answer (timeout, throttling, error): a warning only. */
    controlPlaneFailure: {
        name: "ControlPlaneFailure",
        unit: "Count",
        scope: "cluster",
        emitted: "sparse",
    },
    /** 1 when GetCluster answered with a status that cannot serve: a warning only. */
    statusNotUsable: {
        name: "StatusNotUsable",
        unit: "Count",
        scope: "cluster",
        emitted: "sparse",
    },
    /**
     * How many of the other observer's heartbeat rows the two clusters disagree about (a
     * commit through one that the other does not show): 0 on a replicating pair, so it is
     * emitted only when above 0.
     */
    unreplicatedHeartbeats: {
        name: "UnreplicatedHeartbeats",
        unit: "Count",
        scope: "observer",
        emitted: "sparse",
    },
    /**
     * 1 when the round ran as designed; 0 when a defect of the monitor itself (setup not in
     * place, credentials, database grants) kept it from probing. Missing: the monitor is silent.
     */
    monitorHealth: { name: "MonitorHealth", unit: "Count", scope: "observer", emitted: "dense" },
    /**
     * 1 when the other region's monitor has committed no heartbeat through either cluster
     * for longer than the staleness bound while this monitor commits fine through both: the
     * other monitor is silent (its own region's alarm sees that only once its metric is
     * missing for a whole evaluation range).
     */
    peerMonitorSilent: {
        name: "PeerMonitorSilent",
        unit: "Count",
        scope: "observer",
        emitted: "sparse",
    },
    /**
     * 1 while this observer holds the cluster down by agreement (ClusterVerdict 2) and no
     * maintenance window in its region holds failover back; 0 otherwise. Emitted every round
     * at standard resolution, and only by stacks with failover health checks: Route 53
     * follows an alarm's metric stream and reads standard-resolution metrics only
     * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html).
     */
    failoverSignal: {
        name: "FailoverSignal",
        unit: "Count",
        scope: "cluster",
        emitted: "dense",
        resolution: 60,
    },
    /** 1 while a maintenance or drill window is open in the observer's region. */
    maintenanceWindow: {
        name: "MaintenanceWindow",
        unit: "Count",
        scope: "observer",
        emitted: "sparse",
    },
} as const;

export type MetricKey = keyof typeof METRICS;

/** ClusterVerdict values. */
export const VERDICT = { pathFailure: 1, clusterDown: 2 } as const;

/** Dimension names of cluster-scoped metrics, in the order they are emitted. */
export const DIMENSION_NAMES = ["ClusterId", "ClusterRegion", "ObserverRegion"] as const;
/** Dimension names of observer-scoped metrics. */
export const OBSERVER_DIMENSION_NAMES = ["Pair", "ObserverRegion"] as const;

export type MetricDimensions = Readonly<Record<(typeof DIMENSION_NAMES)[number], string>>;
export type ObserverDimensions = Readonly<
    Record<(typeof OBSERVER_DIMENSION_NAMES)[number], string>
>;

/**
 * The exact dimension set a metric about `cluster` carries when observed from
 * `observerRegion`. Stacks sharing an account stay apart because identifiers are unique.
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

/** The pair's name in observer-scoped metrics: both identifiers, primary first. */
export function pairId(primaryIdentifier: string, secondaryIdentifier: string): string {
    return `${primaryIdentifier}+${secondaryIdentifier}`;
}

/** The exact dimension set of an observer-scoped metric. */
export function observerDimensions(pair: string, observerRegion: string): ObserverDimensions {
    return { Pair: pair, ObserverRegion: observerRegion };
}

/** Roles of the two peered clusters. */
export const CLUSTER_ROLES = ["primary", "secondary"] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

/** The heartbeat table: one row per (observer region, cluster region it was committed through). */
export const HEARTBEAT = {
    schema: "dr_monitor",
    table: "heartbeat",
    /** Database role the monitor connects as in steady state (dsql:DbConnect). */
    role: "dr_monitor",
} as const;

/**
 * A maintenance or drill window, as stored in each region's SSM parameter. The monitor
 * raises the MaintenanceWindow signal while `until` is ahead, never longer than
 * MAX_MAINTENANCE_SECONDS after `since`, so a forgotten silence ends by itself.
 */
export interface MaintenanceWindow {
    readonly until: string | null;
    readonly since?: string;
    readonly reason?: string;
    readonly by?: string;
}

/** Longest window the monitor honours, whatever the parameter says. */
export const MAX_MAINTENANCE_SECONDS = 12 * 3600;

/**
 * How far ahead of the monitor's clock a window's `since` may be (the writer's clock may
 * run ahead); a window that starts later than that is not open yet.
 */
export const MAINTENANCE_CLOCK_SKEW_SECONDS = 300;

/** The parameter value of a closed window. */
export const NO_MAINTENANCE: MaintenanceWindow = { until: null };

/**
 * Seconds a window stays open at `now`: 0 when closed, malformed (not an object with ISO
 * dates `since` and `until`, `until` after `since`), not yet begun, or past its cap of
 * MAX_MAINTENANCE_SECONDS after `since`. The parameter may be written by anyone allowed
 * to, so nothing in it can hold pages back for longer than the cap.
 */
export function maintenanceSecondsLeft(text: string | undefined, now: Date): number {
    let window: unknown;
    try {
        window = JSON.parse(text ?? "");
    } catch {
        return 0;
    }
    const { since, until } = (window ?? {}) as Partial<Record<"since" | "until", unknown>>;
    const date = (value: unknown) => (typeof value === "string" ? Date.parse(value) : NaN);
    const [start, end] = [date(since), date(until)];
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return 0;
    if (start > now.getTime() + MAINTENANCE_CLOCK_SKEW_SECONDS * 1000) return 0;
    const close = Math.min(end, start + MAX_MAINTENANCE_SECONDS * 1000);
    return Math.max(0, Math.floor((close - now.getTime()) / 1000));
}

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
    /** "true" or "false": probe the data plane (read and commit) as well as the control plane. */
    dataPlaneProbe: "DATA_PLANE_PROBE",
    /** Database role the SQL probe connects as ("dr_monitor", "admin" or a custom role). */
    databaseUser: "DATABASE_USER",
    /** Bound on GetCluster, in milliseconds. */
    controlPlaneTimeoutMs: "CONTROL_PLANE_TIMEOUT_MS",
    /** Bound on one cluster's data-plane step (token, connect, commit, read), in milliseconds. */
    dataPlaneTimeoutMs: "DATA_PLANE_TIMEOUT_MS",
    /**
     * Bound on that step once GetCluster reports the cluster IDLE or INACTIVE (its first
     * connect wakes it, slower than usual), in milliseconds; unset: the usual bound.
     */
    dataPlaneWakeTimeoutMs: "DATA_PLANE_WAKE_TIMEOUT_MS",
    /** Seconds after which the other observer's heartbeat counts as stale. */
    heartbeatStaleSeconds: "HEARTBEAT_STALE_SECONDS",
    /** Probe rounds per invocation and seconds between their starts (1 and 0 when standard). */
    probeRounds: "PROBE_ROUNDS",
    probeIntervalSeconds: "PROBE_INTERVAL_SECONDS",
    /** Name of this region's maintenance-window parameter. */
    maintenanceParameter: "MAINTENANCE_PARAMETER",
    /** "1" for high-resolution (1 s) metrics, "60" for standard resolution. */
    metricResolution: "METRIC_RESOLUTION",
    /**
     * FailoverSignal: "off" (not emitted), "hold-in-maintenance" (0 while a maintenance window
     * is open here: a drill moves no traffic) or "follow-in-maintenance". Unset: "off".
     */
    failoverSignal: "FAILOVER_SIGNAL",
} as const;

/** Aurora DSQL data-plane endpoint of a cluster: the Pulumi resource exposes none. */
export function clusterEndpoint(identifier: string, region: string): string {
    return `${identifier}.dsql.${region}.on.aws`;
}
