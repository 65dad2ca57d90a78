import { checkPeering, classifyStatus, failureReason } from "./classify";
import type { ControlPlane } from "./control-plane";
import { withDeadline } from "./deadline";
import type { ClusterTarget, MonitorSettings } from "./environment";
import type { SqlProber } from "./sql-probe";

/** What one invocation saw of one cluster. */
export interface ClusterResult {
    readonly cluster: ClusterTarget;
    readonly status?: string;
    readonly healthy: boolean;
    readonly peered: boolean;
    readonly controlPlaneMs: number;
    /** Only when the SQL round trip was attempted. */
    readonly dataPlaneMs?: number;
    /** Why the cluster is unhealthy, unpeered, or worth a look; empty when all is well. */
    readonly reasons: readonly string[];
}

export interface ProbeDependencies {
    readonly controlPlane: ControlPlane;
    readonly sql: SqlProber;
    readonly now?: () => number;
}

/**
 * Probes one cluster: GetCluster in its region, then (if enabled and the control plane
 * says usable) a SQL round trip. Never throws: every failure is a reason and a 0.
 */
export async function probeCluster(
    cluster: ClusterTarget,
    settings: MonitorSettings,
    deps: ProbeDependencies,
): Promise<ClusterResult> {
    const now = deps.now ?? (() => performance.now());
    const peer = settings.clusters.find((c) => c.role !== cluster.role)!;
    const reasons: string[] = [];

    const controlStart = now();
    let view;
    try {
        view = await withDeadline("GetCluster", settings.controlPlaneTimeoutMs, (signal) =>
            deps.controlPlane.getCluster(cluster.region, cluster.identifier, signal),
        );
    } catch (error) {
        reasons.push(`control plane: ${failureReason(error)}`);
    }
    const controlPlaneMs = Math.round(now() - controlStart);
    if (!view) return { cluster, healthy: false, peered: false, controlPlaneMs, reasons };

    const status = classifyStatus(view.status);
    if (status.note) reasons.push(status.note);
    const peering = checkPeering(
        view.status,
        { witnessRegion: view.witnessRegion, clusters: view.peers },
        settings.witnessRegion,
        peer.arn,
    );
    if (!peering.ok) reasons.push(`peering: ${peering.reason}`);

    let healthy = status.usable;
    let dataPlaneMs: number | undefined;
    if (status.usable && settings.dataPlaneProbe) {
        const dataStart = now();
        try {
            await withDeadline("SQL probe", settings.dataPlaneTimeoutMs, (signal) =>
                deps.sql.probe(cluster, settings.databaseUser, signal),
            );
        } catch (error) {
            healthy = false;
            reasons.push(`data plane: ${failureReason(error)}`);
        }
        dataPlaneMs = Math.round(now() - dataStart);
    }
    return {
        cluster,
        status: view.status,
        healthy,
        peered: peering.ok,
        controlPlaneMs,
        dataPlaneMs,
        reasons,
    };
}

/** Both clusters concurrently; one cluster's hang or failure cannot touch the other. */
export function probeAll(
    settings: MonitorSettings,
    deps: ProbeDependencies,
): Promise<ClusterResult[]> {
    return Promise.all(settings.clusters.map((cluster) => probeCluster(cluster, settings, deps)));
}
