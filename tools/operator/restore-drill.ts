/**
 * The restore drill: restore the newest recovery point of one cluster into a new, temporary,
 * clearly named pair (or one cluster), prove the data with the monitors' own heartbeat rows,
 * measure RPO and RTO, and delete what it created, whatever happened. It returns the evidence;
 * writing and printing it is the command's.
 *
 * RPO = the recovery point's creation − the newest restored monitor heartbeat (the moment the
 * backup holds). RTO = StartRestoreJob sent → the first heartbeat committed on a restored
 * cluster (the moment an application could write again).
 */
import type { ClusterRole } from "../../monitor-function/src/contract";
import { describeError } from "./aws-errors";
import type { Clock } from "./clock";
import { deleteRestored, runningJobLeftover, type Leftover } from "./restore-cleanup";
import type { RestoreClients } from "./restore-clients";
import {
    clusterFromArn,
    drillTags,
    restoredClusters,
    waitUntilActive,
    type RestoredCluster,
} from "./restore-clusters";
import { RestoreRecord, verdictOf, type RestoreEvidence } from "./restore-evidence";
import { startRestoreInput, waitForRestoreJob } from "./restore-job";
import { checkMarker } from "./restore-marker";
import {
    CLOCK_TOLERANCE_SECONDS,
    restoreTarget,
    type RestoreDrillOptions,
    type RestoreOutputs,
} from "./restore-options";
import { restorePlan, type RestorePlanStep } from "./restore-plan";
import { identicalCopy, newestRecoveryPoint, type UsablePoint } from "./restore-points";
import { DRILL_OBSERVER, type Proof, type ProveCluster } from "./restore-proof";

export interface RestoreDrillRun {
    readonly stack: string;
    readonly outputs: RestoreOutputs;
    readonly options: RestoreDrillOptions;
    /** Who runs it (sts:GetCallerIdentity, checked by the command before). */
    readonly ranBy: string;
    readonly clients: RestoreClients;
    readonly clock: Clock;
    readonly prove: ProveCluster;
    /**
     * The operator's interrupt (Ctrl-C): the drill stops waiting and proving, and cleans up
     * what it created; a restore job still running is reported with the commands to finish.
     */
    readonly signal?: AbortSignal;
}

export type RestoreDrillResult =
    { readonly kind: "dry-run"; readonly steps: readonly RestorePlanStep[] } | RestoreEvidence;

const other = (role: ClusterRole): ClusterRole => (role === "primary" ? "secondary" : "primary");

/** The drill, or with dryRun every AWS call it would make (and none made). */
export async function restoreDrill(run: RestoreDrillRun): Promise<RestoreDrillResult> {
    if (run.options.dryRun)
        return { kind: "dry-run", steps: restorePlan(run.outputs, run.options) };
    return runRestoreDrill(run);
}

/** What one drill has found and created, for the steps and the evidence. */
interface DrillState {
    readonly record: RestoreRecord;
    readonly created: RestoredCluster[];
    readonly deleted: string[];
    readonly leftovers: Leftover[];
    point?: UsablePoint;
    copy?: UsablePoint;
    job?: { id: string; requestedAt: Date; status?: string; statusMessage?: string };
    firstCommit?: Date;
    rpoSeconds?: number;
}

async function runRestoreDrill(run: RestoreDrillRun): Promise<RestoreEvidence> {
    const { clock, outputs, options } = run;
    const startedAt = clock.now();
    const state: DrillState = {
        record: new RestoreRecord(clock),
        created: [],
        deleted: [],
        leftovers: [],
    };
    state.record.note("restore drill", `started by ${run.ranBy}`);
    try {
        await restoreAndProve(run, state);
    } catch (error) {
        state.record.check("drill", "every step completes", describeError(error), false);
    } finally {
        await cleanUp(run, state);
    }
    const role = options.region;
    const { point, copy, job, record } = state;
    return {
        kind: "restore-drill",
        stack: run.stack,
        ...verdictOf(record.checks),
        warnings: record.warnings,
        ranBy: run.ranBy,
        startedAt: startedAt.toISOString(),
        finishedAt: clock.now().toISOString(),
        topology: options.topology,
        source: {
            role,
            region: outputs.regions[role],
            clusterArn: outputs.clusterArns[role],
            vault: outputs.backupVaults[role],
        },
        recoveryPoint: point && {
            arn: point.arn,
            createdAt: point.createdAt.toISOString(),
            completedAt: point.completedAt.toISOString(),
            ageAtStartSeconds: (startedAt.getTime() - point.createdAt.getTime()) / 1000,
        },
        copy: copy && { arn: copy.arn, region: copy.region, vault: copy.vault },
        restoreJob: job && {
            id: job.id,
            region: outputs.regions[role],
            requestedAt: job.requestedAt.toISOString(),
            status: job.status,
            statusMessage: job.statusMessage,
        },
        restored: state.created.map((c) => ({ arn: c.arn, region: c.region })),
        rpoSeconds: state.rpoSeconds,
        rtoSeconds:
            state.firstCommit && (state.firstCommit.getTime() - job!.requestedAt.getTime()) / 1000,
        checks: record.checks,
        cleanup: { deleted: state.deleted, leftovers: state.leftovers },
        timeline: record.entries(),
    };
}

async function restoreAndProve(run: RestoreDrillRun, state: DrillState): Promise<void> {
    if (!(await findRecoveryPoints(run, state))) return;
    if (run.signal?.aborted) throw new Error("interrupted by the operator before the restore");
    const created = await restore(run, state);
    if (!created) return;
    if (!(await bringUp(run, state, created))) return;
    await prove(run, state);
}

/** The newest recovery point and, for a pair, its identical copy in the other region. */
async function findRecoveryPoints(run: RestoreDrillRun, state: DrillState): Promise<boolean> {
    const { outputs, options, clients } = run;
    const role = options.region;
    const [region, vault, arn] = [
        outputs.regions[role],
        outputs.backupVaults[role],
        outputs.clusterArns[role],
    ];
    state.point = await newestRecoveryPoint(clients.backup(region), vault, region, arn);
    const found = state.record.check(
        "recovery point",
        `a completed recovery point of ${arn} in vault ${vault} (${region})`,
        state.point
            ? `${state.point.arn}, created ${state.point.createdAt.toISOString()}`
            : "none: no backup of this cluster has completed (opt-in, plan, selection?)",
        state.point !== undefined,
    );
    if (!found || options.topology === "single") return found;
    const peer = other(role);
    const [peerRegion, peerVault] = [outputs.regions[peer], outputs.backupVaults[peer]];
    state.copy = await identicalCopy(
        clients.backup(peerRegion),
        peerVault,
        peerRegion,
        state.point!,
    );
    return state.record.check(
        "identical copy",
        `a completed copy in vault ${peerVault} (${peerRegion}) with the same resource and creation time: a multi-Region restore needs it`,
        state.copy
            ? state.copy.arn
            : "none: the copy job has not completed or failed (list-copy-jobs); restore one cluster with the single topology",
        state.copy !== undefined,
    );
}

/** Starts the restore job and waits for it; the cluster it created, when it completed. */
async function restore(
    run: RestoreDrillRun,
    state: DrillState,
): Promise<RestoredCluster | undefined> {
    const { outputs, options, clients, clock } = run;
    const { record } = state;
    const region = outputs.regions[options.region];
    const backup = clients.backup(region);
    const token = `restore-drill-${clock.now().getTime()}`;
    const requestedAt = clock.now();
    const input = startRestoreInput(
        state.point!,
        outputs.backupRoleArn,
        restoreTarget(outputs, options),
        token,
    );
    const { RestoreJobId } = await backup.startRestoreJob(input);
    state.job = { id: RestoreJobId ?? "", requestedAt };
    record.note(`restore job ${RestoreJobId}`, "started", region, requestedAt);
    const { job, timedOut } = await waitForRestoreJob(backup, state.job.id, {
        clock,
        signal: run.signal,
        pollSeconds: options.pollSeconds,
        timeoutSeconds: options.restoreTimeoutSeconds,
        onStatus: (j) =>
            record.note(`restore job ${RestoreJobId}`, j.Status ?? "no status", region),
    });
    Object.assign(state.job, { status: job.Status, statusMessage: job.StatusMessage });
    const created = job.CreatedResourceArn ? clusterFromArn(job.CreatedResourceArn) : undefined;
    if (timedOut) state.leftovers.push(runningJobLeftover(state.job.id, region));
    else if (created) state.created.push(created);
    const completed = record.check(
        "restore job",
        `COMPLETED within ${options.restoreTimeoutSeconds}s, creating a cluster`,
        timedOut
            ? `still ${job.Status} ${run.signal?.aborted ? "when the operator interrupted the drill" : `after ${options.restoreTimeoutSeconds}s`}`
            : `${job.Status}${job.StatusMessage ? `: ${job.StatusMessage}` : ""}${created ? `, created ${created.arn}` : ""}`,
        !timedOut && job.Status === "COMPLETED" && created !== undefined,
    );
    if (!timedOut && job.Status !== "COMPLETED" && !created) {
        record.warnings.push(
            `the restore job ended ${job.Status} without naming a cluster; if it created one, find it with aws dsql list-clusters --region ${region} (created after ${requestedAt.toISOString()})`,
        );
    }
    return completed ? created : undefined;
}

/** Finds the restored pair, names it, and waits until every cluster is ACTIVE. */
async function bringUp(
    run: RestoreDrillRun,
    state: DrillState,
    created: RestoredCluster,
): Promise<boolean> {
    const { clients, clock, options } = run;
    const { record } = state;
    const clusters = await restoredClusters(clients.dsql, created);
    for (const c of clusters)
        if (!state.created.some((k) => k.arn === c.arn)) state.created.push(c);
    const expected = options.topology === "pair" ? 2 : 1;
    if (
        !record.check(
            "restored clusters",
            `${expected} new cluster${expected > 1 ? "s, peered" : ""}`,
            clusters.map((c) => c.arn).join(", "),
            clusters.length === expected,
        )
    ) {
        return false;
    }
    const tags = drillTags(
        run.stack,
        `${state.job!.requestedAt.toISOString().replace(/[-:.]/g, "")}`,
    );
    for (const c of clusters) {
        await clients
            .dsql(c.region)
            .tagResource({ resourceArn: c.arn, tags })
            .catch((e: unknown) =>
                record.warnings.push(`could not name ${c.arn}: ${describeError(e)}`),
            );
    }
    const bounds = {
        clock,
        signal: run.signal,
        pollSeconds: options.pollSeconds,
        timeoutSeconds: options.activeTimeoutSeconds,
    };
    const statuses = await Promise.all(
        clusters.map((c) => waitUntilActive(clients.dsql(c.region), c, bounds)),
    );
    return record.check(
        "clusters active",
        `every restored cluster ACTIVE within ${options.activeTimeoutSeconds}s`,
        clusters.map((c, i) => `${c.identifier} ${statuses[i]}`).join(", "),
        statuses.every((s) => s === "ACTIVE"),
    );
}

/** Setup and a heartbeat on every restored cluster; then the marker, RPO and RTO. */
async function prove(run: RestoreDrillRun, state: DrillState): Promise<void> {
    const { record } = state;
    const proofs: Proof[] = [];
    for (const cluster of state.created) {
        if (run.signal?.aborted) throw new Error("interrupted by the operator before the proof");
        let proof: Proof | undefined;
        let failure = "";
        try {
            proof = await run.prove(cluster);
        } catch (error) {
            failure = describeError(error);
        }
        record.check(
            `setup and heartbeat on ${cluster.identifier}`,
            "the monitor's setup runs, a heartbeat commits and reads back",
            proof
                ? `committed at ${proof.committedAt.toISOString()}; ${proof.rows.length} rows read`
                : failure,
            proof !== undefined,
        );
        if (!proof) return;
        state.firstCommit ??= proof.committedAt;
        proofs.push(proof);
    }
    const marker = checkMarker(proofs[0].rows, state.point!, {
        maxAgeSeconds: run.options.markerMaxAgeSeconds,
        toleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    });
    state.rpoSeconds = marker.rpoSeconds;
    record.check("recovery point marker", marker.expected, marker.observed, marker.pass);
    if (proofs.length > 1) {
        const first = proofs[0].committedAt.getTime();
        const seen = proofs[1].rows.some(
            (r) =>
                r.observer === DRILL_OBSERVER &&
                r.via === state.created[0].region &&
                r.committedAt.getTime() === first,
        );
        record.check(
            "restored pair replicates",
            `the heartbeat committed through ${state.created[0].region} is read through ${state.created[1].region}`,
            seen ? "read" : "not read",
            seen,
        );
    }
}

/** Deletes every cluster the drill created; records what could not be. */
async function cleanUp(run: RestoreDrillRun, state: DrillState): Promise<void> {
    const { record } = state;
    if (state.created.length === 0 && state.leftovers.length === 0) return;
    const result = await deleteRestored(run.clients.dsql, state.created);
    state.leftovers.push(...result.leftovers);
    state.deleted.push(...result.deleted);
    record.check(
        "clean-up",
        "every cluster the drill created deleted, nothing left running",
        state.leftovers.length === 0
            ? `deleted ${result.deleted.join(", ")}`
            : `left behind: ${state.leftovers.map((l) => `${l.what} (${l.error})`).join("; ")}`,
        state.leftovers.length === 0,
    );
}
