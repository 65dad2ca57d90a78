/**
 * The heartbeat statements, and one round's exchange on a connection: commit this
 * observer's heartbeat, read every heartbeat.
 */
import type { Client } from "pg";
import { isSerializationFailure } from "./classify";
import { HEARTBEAT } from "./contract";
import { retryWithin, type Backoff, type StepBudget } from "./deadline";
import type { ClusterTarget } from "./environment";

/** One observer's latest heartbeat committed through one cluster. */
export interface HeartbeatRow {
    /** Region of the observer that committed it. */
    readonly observer: string;
    /** Region of the cluster it was committed through. */
    readonly via: string;
    /** The observer's schedule tick. */
    readonly tick: Date;
    /** The observer's clock when it committed. */
    readonly committedAt: Date;
    /** How many times the observer has committed this row. */
    readonly beats: number;
}

/** What this observer commits in one round. */
export interface Heartbeat {
    readonly observer: string;
    readonly tick: Date;
    readonly committedAt: () => Date;
}

/**
 * Back-off between tries of a heartbeat statement that met SQLSTATE 40001: an OCC
 * conflict at commit (OC000) or a catalog change after DDL anywhere on the cluster, which
 * fails every session's next statement, reads included (OC001). Both are meant to be
 * retried (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html,
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/troubleshooting.html). A
 * session's retry after OC001 runs on the new catalog, so the first pause is short.
 */
export const CONFLICT_BACKOFF: Backoff = { baseMs: 20, capMs: 500 };

const Q = `"${HEARTBEAT.schema}"."${HEARTBEAT.table}"`;

/**
 * The heartbeat statements. One row per (observer, cluster it committed through), so the
 * two observers never write the same row and never conflict with each other; each
 * statement commits on its own (autocommit), as Aurora DSQL runs DML without DDL.
 */
export const HEARTBEAT_SQL = {
    commit:
        `INSERT INTO ${Q} (observer, via, tick, committed_at) VALUES ($1, $2, $3, $4) ` +
        "ON CONFLICT (observer, via) DO UPDATE SET tick = EXCLUDED.tick, " +
        `committed_at = EXCLUDED.committed_at, beats = ${Q}.beats + 1`,
    read: `SELECT observer, via, tick, committed_at, beats FROM ${Q}`,
} as const;

/**
 * Commits this observer's heartbeat and reads every heartbeat, on one connection, each
 * statement retried on SQLSTATE 40001 within the budget (a retried commit is stamped
 * afresh: the stamp is when it committed).
 */
export async function exchange(
    client: Client,
    cluster: ClusterTarget,
    beat: Heartbeat,
    budget: StepBudget,
    random: () => number,
): Promise<HeartbeatRow[]> {
    const policy = { retryable: isSerializationFailure, backoff: CONFLICT_BACKOFF, random };
    await retryWithin(
        budget,
        () =>
            client.query(HEARTBEAT_SQL.commit, [
                beat.observer,
                cluster.region,
                beat.tick,
                beat.committedAt(),
            ]),
        policy,
    );
    const result = await retryWithin(
        budget,
        () =>
            client.query<{
                observer: string;
                via: string;
                tick: Date;
                committed_at: Date;
                beats: string;
            }>(HEARTBEAT_SQL.read),
        policy,
    );
    return result.rows.map((r): HeartbeatRow => ({
        observer: r.observer,
        via: r.via,
        tick: new Date(r.tick),
        committedAt: new Date(r.committed_at),
        beats: Number(r.beats),
    }));
}
