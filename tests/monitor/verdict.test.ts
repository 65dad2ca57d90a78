import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VERDICT } from "../../monitor-function/src/contract";
import type { HeartbeatRow } from "../../monitor-function/src/sql-probe";
import {
    judgeRound,
    type StepOutcome,
    type VerdictInput,
} from "../../monitor-function/src/verdict";
import { PRIMARY, SECONDARY } from "../support/monitor";

// The observer is the primary's region (us-east-1); the other observer is us-east-2.
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const STALE = 90;
const A = PRIMARY;
const B = SECONDARY;

const row = (observer: string, via: string, ageSeconds: number, beats = 10): HeartbeatRow => ({
    observer,
    via,
    tick: new Date(NOW - ageSeconds * 1000),
    committedAt: new Date(NOW - ageSeconds * 1000),
    beats,
});
const ok = (rows: HeartbeatRow[]): StepOutcome<readonly HeartbeatRow[]> => ({
    ok: true,
    value: rows,
    ms: 20,
});
const failed = (side: "cluster" | "monitor" = "cluster"): StepOutcome<readonly HeartbeatRow[]> => ({
    ok: false,
    reason: side === "cluster" ? "timeout" : "setup-missing",
    side,
    ms: 400,
});
/** Both observers' rows through both clusters, all fresh: a healthy replicating pair. */
const healthyRows = (peerAge = 30) => [
    row(A.region, A.region, 0),
    row(A.region, B.region, 0),
    row(B.region, A.region, peerAge),
    row(B.region, B.region, peerAge),
];

function judge(
    dataPlane: Record<string, StepOutcome<readonly HeartbeatRow[]>>,
    extra: Partial<VerdictInput> = {},
) {
    return judgeRound({
        clusters: [A, B],
        observerRegion: A.region,
        dataPlane,
        staleSeconds: STALE,
        inFlightMs: 5000,
        roundStarted: NOW,
        now: NOW,
        ...extra,
    });
}

describe("verdict of one round", () => {
    it("says nothing about clusters that served this observer", () => {
        const j = judge({ [A.identifier]: ok(healthyRows()), [B.identifier]: ok(healthyRows()) });
        assert.equal(j.clusters[A.identifier].verdict, undefined);
        assert.equal(j.clusters[B.identifier].verdict, undefined);
        assert.equal(j.unreplicated, 0);
        assert.equal(j.monitorSound, true);
    });

    it("calls a failure a path problem while the other observer still commits through that cluster", () => {
        // B's commits through A, read through B, are 30 s old: A serves B.
        const j = judge({ [A.identifier]: failed(), [B.identifier]: ok(healthyRows(30)) });
        assert.equal(j.clusters[A.identifier].verdict, VERDICT.pathFailure);
        assert.equal(j.clusters[A.identifier].peerCommitAgeSeconds, 30);
    });

    it("calls it down when the other observer's commits through it are stale too", () => {
        const rows = [...healthyRows(), row(B.region, A.region, STALE + 1)];
        const j = judge({
            [A.identifier]: failed(),
            [B.identifier]: ok(rows.filter((_, i) => i !== 2)),
        });
        assert.equal(j.clusters[A.identifier].verdict, VERDICT.clusterDown);
    });

    it("when it can read neither cluster, calls only its own region's cluster down, from its second blind round", () => {
        // No evidence either way: a total outage still pages (each region about its own
        // cluster), and an observer cut off from everything does not page about the far one.
        // One blind round is not evidence of anything: the observer's own network may blink.
        const blind = { [A.identifier]: failed(), [B.identifier]: failed() };
        const first = judge(blind);
        assert.equal(first.blind, true);
        assert.equal(first.clusters[A.identifier].verdict, VERDICT.pathFailure);
        assert.equal(first.clusters[B.identifier].verdict, VERDICT.pathFailure);
        const j = judge(blind, { blindBefore: true });
        assert.equal(j.clusters[A.identifier].verdict, VERDICT.clusterDown);
        assert.equal(j.clusters[B.identifier].verdict, VERDICT.pathFailure);
        const fromB = judge(blind, { observerRegion: B.region, blindBefore: true });
        assert.equal(fromB.clusters[A.identifier].verdict, VERDICT.pathFailure);
        assert.equal(fromB.clusters[B.identifier].verdict, VERDICT.clusterDown);
    });

    it("is not blind when it reads one cluster, and then needs no earlier round", () => {
        const rows = healthyRows().filter((r) => !(r.observer === B.region && r.via === A.region));
        const j = judge({ [A.identifier]: failed(), [B.identifier]: ok(rows) });
        assert.equal(j.blind, false);
        assert.equal(j.clusters[A.identifier].verdict, VERDICT.clusterDown);
    });

    it("calls the other monitor silent only after twice the staleness bound, through both clusters", () => {
        const peerRowsAged = (age: number) =>
            healthyRows().map((r) => (r.observer === B.region ? row(r.observer, r.via, age) : r));
        const at = (age: number) =>
            judge({ [A.identifier]: ok(peerRowsAged(age)), [B.identifier]: ok(peerRowsAged(age)) })
                .peerSilent;
        assert.equal(at(STALE + 1), false, "one missed round is not silence");
        assert.equal(at(2 * STALE + 1), true);
        const oneFailed = judge({
            [A.identifier]: ok(peerRowsAged(2 * STALE + 1)),
            [B.identifier]: failed(),
        });
        assert.equal(oneFailed.peerSilent, undefined, "a dark region is the cluster-down row's");
        const none = healthyRows().filter((r) => r.observer !== B.region);
        assert.equal(
            judge({ [A.identifier]: ok(none), [B.identifier]: ok(none) }).peerSilent,
            undefined,
        );
    });

    it("calls the far cluster down when its own observer's commits through it are stale", () => {
        // Observer A reads B's rows through A: B's observer last committed via B long ago.
        const rows = healthyRows().filter((r) => !(r.observer === B.region && r.via === B.region));
        const j = judge({
            [A.identifier]: ok([...rows, row(B.region, B.region, STALE + 1)]),
            [B.identifier]: failed(),
        });
        assert.equal(j.clusters[B.identifier].verdict, VERDICT.clusterDown);
    });

    it("calls it down when the other observer never committed through it", () => {
        const rows = healthyRows().filter((r) => !(r.observer === B.region && r.via === A.region));
        const j = judge({ [A.identifier]: failed(), [B.identifier]: ok(rows) });
        assert.equal(j.clusters[A.identifier].verdict, VERDICT.clusterDown);
    });

    it("never reads a failure of the monitor's own as a cluster problem", () => {
        const j = judge({ [A.identifier]: failed("monitor"), [B.identifier]: ok(healthyRows()) });
        assert.equal(j.clusters[A.identifier].verdict, undefined);
        assert.equal(j.monitorSound, false);
    });

    it("counts the other observer's rows that one cluster shows two beats behind the other", () => {
        const throughA = [row(B.region, A.region, 30, 12), row(B.region, B.region, 150, 10)];
        const throughB = [row(B.region, A.region, 150, 10), row(B.region, B.region, 30, 12)];
        const j = judge({ [A.identifier]: ok(throughA), [B.identifier]: ok(throughB) });
        assert.equal(j.unreplicated, 2);
    });

    it("counts a row one cluster shows and the other lacks, once it was committed twice", () => {
        const j = judge({
            [A.identifier]: ok([row(B.region, A.region, 30, 2)]),
            [B.identifier]: ok([row(B.region, B.region, 30, 1)]),
        });
        // (B via A) is missing through B and has 2 beats; (B via B) has 1 beat: not yet telling.
        assert.equal(j.unreplicated, 1);
    });

    it("leaves out a commit that may have landed between the two reads", () => {
        // One beat apart, the newer stamped 2 s before the round began (within the 5 s bound).
        const j = judge({
            [A.identifier]: ok([row(B.region, B.region, 2, 11)]),
            [B.identifier]: ok([row(B.region, B.region, 62, 10)]),
        });
        assert.equal(j.unreplicated, 0);
    });

    it("counts one beat apart once the newer commit is older than a step's bound", () => {
        const j = judge({
            [A.identifier]: ok([row(B.region, B.region, 30, 11)]),
            [B.identifier]: ok([row(B.region, B.region, 90, 10)]),
        });
        assert.equal(j.unreplicated, 1);
    });

    it("ignores a dead observer's rows, which both clusters show alike", () => {
        const frozen = [row(B.region, A.region, 600, 40), row(B.region, B.region, 600, 40)];
        const j = judge({ [A.identifier]: ok(frozen), [B.identifier]: ok(frozen) });
        assert.equal(j.unreplicated, 0);
    });

    it("says nothing about replication unless both clusters were read", () => {
        const j = judge({ [A.identifier]: ok(healthyRows()), [B.identifier]: failed() });
        assert.equal(j.unreplicated, undefined);
    });
});
