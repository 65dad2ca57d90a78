import {
    CLUSTER_ROLES,
    ENV,
    FAILOVER_SIGNAL_MODES,
    pairId,
    type ClusterRole,
    type FailoverSignalMode,
} from "./contract";

/** One cluster as the monitor knows it. */
export interface ClusterTarget {
    readonly role: ClusterRole;
    readonly region: string;
    readonly identifier: string;
    readonly arn: string;
    readonly endpoint: string;
}

/** Everything the monitor needs, parsed from its environment. */
export interface MonitorSettings {
    readonly observerRegion: string;
    readonly witnessRegion: string;
    readonly clusters: readonly ClusterTarget[];
    /** `<primary id>+<secondary id>`: the Pair dimension of observer-scoped metrics. */
    readonly pair: string;
    readonly dataPlaneProbe: boolean;
    readonly databaseUser: string;
    readonly controlPlaneTimeoutMs: number;
    readonly dataPlaneTimeoutMs: number;
    /**
     * Bound on a cluster's data-plane step once GetCluster reports it IDLE or INACTIVE (its
     * first connect wakes it, slower than usual); dataPlaneTimeoutMs when none is set.
     */
    readonly dataPlaneWakeTimeoutMs: number;
    /** The other observer's heartbeat through a cluster is stale beyond this age. */
    readonly heartbeatStaleSeconds: number;
    /** Probe rounds per invocation, and seconds between their starts. */
    readonly probeRounds: number;
    readonly probeIntervalSeconds: number;
    /** This region's maintenance-window parameter, if the stack has one. */
    readonly maintenanceParameter?: string;
    /** Storage resolution of the emitted metrics: 1 (high) or 60 (standard) seconds. */
    readonly metricResolution: 1 | 60;
    /** Whether and how FailoverSignal is emitted (Route 53 failover health checks). */
    readonly failoverSignal: FailoverSignalMode;
}

/** A defect of the deployment: the invocation fails, so the monitor-silent alarm sees it. */
export class EnvironmentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EnvironmentError";
    }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Lambda's longest function timeout (900 s): no step can run longer than its invocation. */
const MAX_WAKE_TIMEOUT_MS = 900_000;
const ARN = /^arn:aws[a-z-]*:dsql:([a-z0-9-]+):\d{12}:cluster\/([a-z0-9]+)$/;

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string, pattern?: RegExp, allowed?: string): string {
    const value = env[name]?.trim();
    if (!value) throw new EnvironmentError(`Environment variable ${name} is missing`);
    if (pattern && !pattern.test(value)) {
        throw new EnvironmentError(
            `Environment variable ${name}=${JSON.stringify(value)} is invalid: expected ${allowed}`,
        );
    }
    return value;
}

/** The two clusters and the region this function runs in (one of theirs). */
export function readClusterEnvironment(env: Env): {
    clusters: ClusterTarget[];
    observerRegion: string;
} {
    const clusters = CLUSTER_ROLES.map((role): ClusterTarget => {
        const region = required(
            env,
            ENV.clusterRegion(role),
            REGION,
            "an AWS region such as us-east-1",
        );
        const identifier = required(
            env,
            ENV.clusterId(role),
            /^[a-z0-9]+$/,
            "a cluster identifier",
        );
        const arn = required(env, ENV.clusterArn(role), ARN, "an Aurora DSQL cluster ARN");
        const [, arnRegion, arnId] = ARN.exec(arn)!;
        if (arnRegion !== region || arnId !== identifier) {
            throw new EnvironmentError(
                `Environment variable ${ENV.clusterArn(role)}=${JSON.stringify(arn)} does not name cluster ${identifier} in ${region}`,
            );
        }
        const endpoint = required(env, ENV.clusterEndpoint(role), /^[a-z0-9.-]+$/, "a host name");
        return { role, region, identifier, arn, endpoint };
    });
    const observerRegion = required(
        env,
        ENV.observerRegion,
        REGION,
        "an AWS region such as us-east-1",
    );
    if (!clusters.some((c) => c.region === observerRegion)) {
        throw new EnvironmentError(
            `Environment variable ${ENV.observerRegion}=${JSON.stringify(observerRegion)} is invalid: expected the region of one of the two clusters`,
        );
    }
    return { clusters, observerRegion };
}

/** Parses the environment; throws an EnvironmentError naming the first bad variable. */
export function readSettings(env: Env): MonitorSettings {
    const whole = (name: string, min: number, max: number, unit: string, from = `${min}`) => {
        const value = Number(required(env, name, /^\d+$/, `a whole number of ${unit}`));
        if (value < min || value > max) {
            throw new EnvironmentError(
                `Environment variable ${name}=${value} is invalid: expected ${from} to ${max} ${unit}`,
            );
        }
        return value;
    };
    const { clusters, observerRegion } = readClusterEnvironment(env);
    const probeRounds = whole(ENV.probeRounds, 1, 12, "rounds");
    const probeIntervalSeconds = whole(ENV.probeIntervalSeconds, 0, 30, "seconds");
    if (probeRounds > 1 && probeIntervalSeconds < 5) {
        throw new EnvironmentError(
            `Environment variable ${ENV.probeIntervalSeconds}=${probeIntervalSeconds} is invalid: expected at least 5 seconds between ${probeRounds} rounds`,
        );
    }
    const resolution = required(env, ENV.metricResolution, /^(1|60)$/, "1 or 60");
    const dataPlaneTimeoutMs = whole(ENV.dataPlaneTimeoutMs, 100, 60_000, "ms");
    const dataPlaneWakeTimeoutMs = env[ENV.dataPlaneWakeTimeoutMs]?.trim()
        ? whole(
              ENV.dataPlaneWakeTimeoutMs,
              dataPlaneTimeoutMs,
              MAX_WAKE_TIMEOUT_MS,
              "ms",
              `${dataPlaneTimeoutMs} (${ENV.dataPlaneTimeoutMs})`,
          )
        : dataPlaneTimeoutMs;

    return {
        observerRegion,
        witnessRegion: required(env, ENV.witnessRegion, REGION, "an AWS region such as us-west-2"),
        clusters,
        pair: pairId(clusters[0].identifier, clusters[1].identifier),
        dataPlaneProbe:
            required(env, ENV.dataPlaneProbe, /^(true|false)$/, "true or false") === "true",
        databaseUser: required(
            env,
            ENV.databaseUser,
            /^[a-z_][a-z0-9_]*$/,
            "a PostgreSQL role name",
        ),
        controlPlaneTimeoutMs: whole(ENV.controlPlaneTimeoutMs, 100, 60_000, "ms"),
        dataPlaneTimeoutMs,
        dataPlaneWakeTimeoutMs,
        heartbeatStaleSeconds: whole(ENV.heartbeatStaleSeconds, 5, 7200, "seconds"),
        probeRounds,
        probeIntervalSeconds,
        maintenanceParameter: env[ENV.maintenanceParameter]?.trim() || undefined,
        metricResolution: resolution === "1" ? 1 : 60,
        failoverSignal: (env[ENV.failoverSignal]?.trim()
            ? required(
                  env,
                  ENV.failoverSignal,
                  new RegExp(`^(${FAILOVER_SIGNAL_MODES.join("|")})$`),
                  FAILOVER_SIGNAL_MODES.join(", "),
              )
            : "off") as FailoverSignalMode,
    };
}

/** The cluster in the observer's own region, and the other one. */
export function localAndRemote(settings: MonitorSettings): {
    local: ClusterTarget;
    remote: ClusterTarget;
} {
    const local = settings.clusters.find((c) => c.region === settings.observerRegion)!;
    const remote = settings.clusters.find((c) => c !== local)!;
    return { local, remote };
}
