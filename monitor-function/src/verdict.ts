/**
 * Pure decisions over one probe round: which clusters this observer cannot use, whether
 * the other observer agrees (its heartbeats through that cluster are stale too), whether
 * the two clusters disagree about the other observer's heartbeats (replication), and
 * whether the monitor itself is sound. No I/O here, so every case is tested directly.
 */
import { VERDICT } from "./contract";
import type { ClusterTarget } from "./environment";
import type { HeartbeatRow } from "./sql-probe";

/** A step that succeeded, failed (and on whose side), or was not run. */
export type StepOutcome<T> =
    | { readonly ok: true; readonly value: T; readonly ms: number; readonly attempts?: number }
    | {
          readonly ok: false;
          readonly reason: string;
          readonly side: "cluster" | "monitor";
          readonly ms: number;
          readonly attempts?: number;
      }
    | { readonly ok: "skipped" };

export interface VerdictInput {
    readonly clusters: readonly ClusterTarget[];
    readonly observerRegion: string;
    /** Each cluster's data-plane step (heartbeat commit + read), by identifier. */
    readonly dataPlane: Readonly<Record<string, StepOutcome<readonly HeartbeatRow[]>>>;
    readonly staleSeconds: number;
    /** A commit made this long before the round began may still have been in flight (ms). */
    readonly inFlightMs: number;
    /** When this round started and when its steps ended (epoch ms, observer's clock). */
    readonly roundStarted: number;
    readonly now: number;
    /**
     * This observer's previous round (within the staleness bound) could read neither
     * cluster either. Blind, an observer has no evidence about anyone: only a blindness that
     * lasts more than one round calls its own region's cluster down.
     */
    readonly blindBefore?: boolean;
}

export interface ClusterJudgement {
    /** ClusterVerdict to emit, or undefined when the cluster served this observer (or unknown). */
    readonly verdict?: 1 | 2;
    /**
     * Age in seconds of the other observer's latest commit through this cluster, read
     * through the other cluster; undefined when that read failed or no such commit exists.
     */
    readonly peerCommitAgeSeconds?: number;
}

export interface RoundJudgement {
    readonly clusters: Readonly<Record<string, ClusterJudgement>>;
    /** This observer could read through neither cluster. */
    readonly blind: boolean;
    /**
     * How many of the other observer's heartbeat rows the two clusters disagree about;
     * undefined unless both clusters were read.
     */
    readonly unreplicated?: number;
    /** False when a step failed for a reason of the monitor's own (setup, grants, credentials). */
    readonly monitorSound: boolean;
    /**
     * True when the other observer's newest heartbeat is older than twice `staleSeconds` through
     * both clusters while this observer committed and read through both: the other monitor
     * is silent, although its region's cluster serves. Undefined when that cannot be told
     * (a failed step, or no heartbeat of the other observer yet, as after a first deploy).
     */
    readonly peerSilent?: boolean;
}

export function judgeRound(input: VerdictInput): RoundJudgement {
    const { clusters, observerRegion, dataPlane } = input;
    const peerObserver = clusters.find((c) => c.region !== observerRegion)?.region;
    const rowsThrough = (cluster: ClusterTarget) => {
        const step = dataPlane[cluster.identifier];
        return step?.ok === true ? step.value : undefined;
    };
    const otherThan = (cluster: ClusterTarget) => clusters.find((c) => c !== cluster)!;

    /**
     * A cluster this observer cannot use is down when nobody else shows it serving: its
     * own region's observer needs no more (the other observer's fresh commits through it
     * still make it a path problem), but a remote cluster needs evidence that its own
     * observer is failing too, read through the other cluster. An observer that can read
     * neither cluster cannot tell; it calls only its own region's cluster down, so a total
     * outage pages from every region that can still deliver and an observer cut off from
     * everything does not page about the far cluster.
     */
    const blind = clusters.every((c) => !rowsThrough(c));
    const verdictOf = (cluster: ClusterTarget, peerFresh: boolean): 1 | 2 => {
        if (peerFresh) return VERDICT.pathFailure;
        if (rowsThrough(otherThan(cluster))) return VERDICT.clusterDown;
        const own = cluster.region === observerRegion;
        return own && input.blindBefore ? VERDICT.clusterDown : VERDICT.pathFailure;
    };

    const judgements: Record<string, ClusterJudgement> = {};
    for (const cluster of clusters) {
        const step = dataPlane[cluster.identifier];
        // The other observer's commits through this cluster, as the other cluster shows them.
        const seen = rowsThrough(otherThan(cluster))?.find(
            (r) => r.observer === peerObserver && r.via === cluster.region,
        );
        const peerCommitAgeSeconds = seen
            ? Math.max(0, (input.now - seen.committedAt.getTime()) / 1000)
            : undefined;
        const peerFresh =
            peerCommitAgeSeconds !== undefined && peerCommitAgeSeconds <= input.staleSeconds;
        const cannotServe = step?.ok === false && step.side === "cluster";
        judgements[cluster.identifier] = {
            verdict: cannotServe ? verdictOf(cluster, peerFresh) : undefined,
            peerCommitAgeSeconds,
        };
    }

    return {
        clusters: judgements,
        blind,
        unreplicated: unreplicatedRows(input, peerObserver),
        monitorSound: !Object.values(dataPlane).some((s) => s.ok === false && s.side === "monitor"),
        peerSilent: peerSilence(input, peerObserver),
    };
}

/**
 * Whether the other observer is silent: the newest of its heartbeat rows is stale as read
 * through each cluster, and this observer committed and read through both (so a dark region
 * is the cluster-down row's business, never this one's). No row of it yet: unknown.
 */
function peerSilence(input: VerdictInput, peerObserver: string | undefined): boolean | undefined {
    const steps = input.clusters.map((c) => input.dataPlane[c.identifier]);
    if (!peerObserver || !steps.every((s) => s?.ok === true)) return undefined;
    const newest = steps.map((s) => {
        const rows = (s as { value: readonly HeartbeatRow[] }).value.filter(
            (r) => r.observer === peerObserver,
        );
        return rows.length ? Math.max(...rows.map((r) => r.committedAt.getTime())) : undefined;
    });
    if (newest.every((n) => n === undefined)) return undefined;
    // Twice the staleness bound: a monitor that missed one round (blind for a moment, or
    // late) is not silent; one that missed a whole bound more is.
    return newest.every((n) => n === undefined || (input.now - n) / 1000 > 2 * input.staleSeconds);
}

/**
 * Compares the other observer's heartbeat rows as read through each cluster. On one
 * strongly consistent database both reads show the same latest commit of each row, except
 * a commit that landed between the two reads (one beat apart, the newer one stamped less
 * than a step's bound before this round began: it was stamped before it committed). A row one cluster shows and the other does not (once it has been
 * committed twice), or shows older by two beats or more, is a commit that did not
 * replicate. Counting beats, not seconds, keeps this true however the two observers'
 * schedules line up.
 */
function unreplicatedRows(
    input: VerdictInput,
    peerObserver: string | undefined,
): number | undefined {
    const [a, b] = input.clusters.map((c) => input.dataPlane[c.identifier]);
    if (a?.ok !== true || b?.ok !== true || !peerObserver) return undefined;
    const settledBefore = input.roundStarted - input.inFlightMs;
    let count = 0;
    for (const via of input.clusters.map((c) => c.region)) {
        const find = (rows: readonly HeartbeatRow[]) =>
            rows.find((r) => r.observer === peerObserver && r.via === via);
        const [ra, rb] = [find(a.value), find(b.value)];
        if (!ra && !rb) continue;
        if (!ra || !rb) {
            if ((ra ?? rb)!.beats >= 2) count++;
            continue;
        }
        const newer = ra.beats >= rb.beats ? ra : rb;
        const apart = Math.abs(ra.beats - rb.beats);
        if (apart >= 2 || (apart === 1 && newer.committedAt.getTime() < settledBefore)) count++;
    }
    return count;
}
