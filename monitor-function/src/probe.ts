import { checkPeering, classifyStatus, failureReason, failureSide } from "./classify";
import { maintenanceSecondsLeft } from "./contract";
import type { ClusterView, ControlPlane } from "./control-plane";
import { withDeadline, type StepBudget } from "./deadline";
import type { ClusterTarget, MonitorSettings } from "./environment";
import type { DataPlane, HeartbeatRow } from "./sql-probe";
import { judgeRound, type ClusterJudgement, type StepOutcome } from "./verdict";

/** Reads this region's maintenance-window parameter (its raw value). */
export interface MaintenanceSource {
    read(name: string, signal: AbortSignal): Promise<string | undefined>;
}

export interface ProbeDependencies {
    readonly controlPlane: ControlPlane;
    readonly dataPlane: DataPlane;
    readonly maintenance: MaintenanceSource;
    /** Wall clock, epoch milliseconds (tests run on a virtual one). */
    readonly now: () => number;
}

/** What one round saw of one cluster. */
export interface ClusterRound {
    readonly cluster: ClusterTarget;
    readonly controlPlane: StepOutcome<ClusterView>;
    /** Status verdict and peering check, only when GetCluster answered. */
    readonly status?: { readonly value: string; readonly usable: boolean; readonly note?: string };
    readonly peering?: { readonly ok: boolean; readonly reason?: string };
    readonly dataPlane: StepOutcome<readonly HeartbeatRow[]>;
    /**
     * The data-plane step's bound when it ran on the wake-up grace (GetCluster reported the
     * cluster IDLE or INACTIVE while the step ran); undefined on the usual bound.
     */
    readonly wakeUpGraceMs?: number;
    readonly judgement: ClusterJudgement;
}

/** One probe round of one observer. */
export interface RoundResult {
    /** The round's time: its schedule tick (plus its offset in a fast-profile invocation). */
    readonly at: Date;
    readonly clusters: readonly ClusterRound[];
    readonly unreplicated?: number;
    readonly monitorSound: boolean;
    /** Seconds left in this region's maintenance window; undefined when it could not be read. */
    readonly maintenanceSecondsLeft?: number;
    readonly maintenanceError?: string;
}

/** Runs `run` within `ms`, turning any outcome into a StepOutcome. Never throws. */
async function step<T>(
    name: string,
    ms: number,
    now: () => number,
    run: (budget: StepBudget) => Promise<{ value: T; attempts?: number }>,
): Promise<StepOutcome<T>> {
    const started = now();
    try {
        const { value, attempts } = await withDeadline(name, ms, run);
        return { ok: true, value, ms: Math.round(now() - started), attempts };
    } catch (error) {
        return {
            ok: false,
            reason: failureReason(error),
            side: failureSide(error),
            ms: Math.round(now() - started),
        };
    }
}

/**
 * One round: for both clusters at once, GetCluster and the data-plane heartbeat (commit
 * through the cluster, read every heartbeat through it), each bounded by its own
 * deadline and independent of the other; plus this region's maintenance window. Then the
 * pure judgement of the round. Never throws: every failure is a reason in the result.
 */
export async function probeRound(
    settings: MonitorSettings,
    deps: ProbeDependencies,
    at: Date,
): Promise<RoundResult> {
    const roundStarted = deps.now();
    const skipped = { ok: "skipped" } as const;

    const perCluster = settings.clusters.map((cluster) =>
        probeCluster(settings, deps, cluster, at),
    );
    const maintenance = settings.maintenanceParameter
        ? step("maintenance", settings.controlPlaneTimeoutMs, deps.now, async ({ signal }) => ({
              value: await deps.maintenance.read(settings.maintenanceParameter!, signal),
          })).then(({ outcome }) => outcome)
        : Promise.resolve(skipped);

    const [steps, window] = await Promise.all([Promise.all(perCluster), maintenance]);
    const judgement = judgeRound({
        clusters: settings.clusters,
        observerRegion: settings.observerRegion,
        dataPlane: Object.fromEntries(steps.map((s) => [s.cluster.identifier, s.dataPlane])),
        staleSeconds: settings.heartbeatStaleSeconds,
        // The other observer stamps its commit, then commits within its step's bound.
        inFlightMs: settings.dataPlaneTimeoutMs + 1000,
        roundStarted,
        now: deps.now(),
    });

    const clusters = steps.map(
        ({ cluster, controlPlane, dataPlane, wakeUpGraceMs }): ClusterRound => {
            const peer = settings.clusters.find((c) => c !== cluster)!;
            let status: ClusterRound["status"];
            let peering: ClusterRound["peering"];
            if (controlPlane.ok === true) {
                const view = controlPlane.value;
                status = { value: view.status, ...classifyStatus(view.status) };
                peering = checkPeering(
                    view.status,
                    { witnessRegion: view.witnessRegion, clusters: view.peers },
                    settings.witnessRegion,
                    peer.arn,
                );
            }
            return {
                cluster,
                controlPlane,
                status,
                peering,
                dataPlane,
                wakeUpGraceMs,
                judgement: judgement.clusters[cluster.identifier],
            };
        },
    );
    // The monitor's own IAM policy or credentials failing is a defect of the monitor.
    const controlPlaneSound = !clusters.some(
        (c) => c.controlPlane.ok === false && c.controlPlane.side === "monitor",
    );
    return {
        at,
        clusters,
        unreplicated: judgement.unreplicated,
        monitorSound: judgement.monitorSound && controlPlaneSound,
        maintenanceSecondsLeft:
            window.ok === true
                ? maintenanceSecondsLeft(window.value, new Date(deps.now()))
                : undefined,
        maintenanceError: window.ok === false ? window.reason : undefined,
    };
}
