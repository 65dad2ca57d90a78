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
    /** What this observer remembers between rounds (as long as its process lives). */
    readonly memory?: RoundMemory;
}

/** When this observer last could read neither cluster (epoch ms). */
export interface RoundMemory {
    blindAt?: number;
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
    /** The other region's monitor is silent (see judgeRound); undefined when unknown. */
    readonly peerSilent?: boolean;
    readonly monitorSound: boolean;
    /** Seconds left in this region's maintenance window; undefined when it could not be read. */
    readonly maintenanceSecondsLeft?: number;
    readonly maintenanceError?: string;
}

/**
 * Statuses of a cluster Aurora DSQL has scaled down: the first connect wakes it and "is
 * slower than usual", and recovery from INACTIVE "depends on the size of the cluster"
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cluster-lifecycle.html).
 */
const WAKING = new Set(["IDLE", "INACTIVE"]);

/**
 * Runs `run` within `ms` (or the longer bound `extension` grants while it runs), turning
 * any outcome into a StepOutcome, with the bound it ran on. Never throws.
 */
async function step<T>(
    name: string,
    ms: number,
    now: () => number,
    run: (budget: StepBudget) => Promise<{ value: T; attempts?: number }>,
    extension?: Promise<number | undefined>,
): Promise<{ outcome: StepOutcome<T>; boundMs: number }> {
    const started = now();
    // Once the step has ended, a bound granted later no longer applies: this one is final.
    let budget: StepBudget | undefined;
    const observed = (b: StepBudget) => run((budget = b));
    const boundMs = () => budget?.boundMs ?? ms;
    try {
        const { value, attempts } = await withDeadline(name, ms, observed, extension);
        const elapsed = Math.round(now() - started);
        return { outcome: { ok: true, value, ms: elapsed, attempts }, boundMs: boundMs() };
    } catch (error) {
        const outcome = {
            ok: false,
            reason: failureReason(error),
            side: failureSide(error),
            ms: Math.round(now() - started),
        } as const;
        return { outcome, boundMs: boundMs() };
    }
}

/**
 * One cluster's steps: GetCluster and the heartbeat side by side, each within its own
 * bound; if GetCluster says the cluster is scaled down while the heartbeat still runs, the
 * heartbeat gets the wake-up bound instead.
 */
async function probeCluster(
    settings: MonitorSettings,
    deps: ProbeDependencies,
    cluster: ClusterTarget,
    at: Date,
) {
    const getCluster = step(
        "GetCluster",
        settings.controlPlaneTimeoutMs,
        deps.now,
        async ({ signal }) => ({
            value: await deps.controlPlane.getCluster(cluster.region, cluster.identifier, signal),
        }),
    );
    const wakeUp = getCluster.then(({ outcome }) =>
        outcome.ok === true && WAKING.has(outcome.value.status)
            ? settings.dataPlaneWakeTimeoutMs
            : undefined,
    );
    const beat = {
        observer: settings.observerRegion,
        tick: at,
        committedAt: () => new Date(deps.now()),
    };
    const heartbeat = settings.dataPlaneProbe
        ? step(
              "heartbeat",
              settings.dataPlaneTimeoutMs,
              deps.now,
              async (budget) => {
                  const { rows, attempts } = await deps.dataPlane.heartbeat(cluster, beat, budget);
                  return { value: rows, attempts };
              },
              wakeUp,
          )
        : Promise.resolve({ outcome: { ok: "skipped" } as const, boundMs: 0 });
    const [controlPlane, dataPlane] = await Promise.all([getCluster, heartbeat]);
    return {
        cluster,
        controlPlane: controlPlane.outcome,
        dataPlane: dataPlane.outcome,
        wakeUpGraceMs:
            dataPlane.boundMs > settings.dataPlaneTimeoutMs ? dataPlane.boundMs : undefined,
    };
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
        blindBefore:
            deps.memory?.blindAt !== undefined &&
            roundStarted - deps.memory.blindAt <= settings.heartbeatStaleSeconds * 1000,
    });
    if (deps.memory) deps.memory.blindAt = judgement.blind ? roundStarted : undefined;

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
        peerSilent: judgement.peerSilent,
        monitorSound: judgement.monitorSound && controlPlaneSound,
        maintenanceSecondsLeft:
            window.ok === true
                ? maintenanceSecondsLeft(window.value, new Date(deps.now()))
                : undefined,
        maintenanceError: window.ok === false ? window.reason : undefined,
    };
}
