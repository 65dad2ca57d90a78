import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { restoreDrill } from "../../tools/operator/restore-drill";
import type { RestoreEvidence } from "../../tools/operator/restore-evidence";
import {
    BACKUP_COMPLETED,
    BACKUP_CREATED,
    drillRun,
    heartbeats,
    OUTPUTS,
    recoveryPoint,
    replicatingPair,
    RESTORED,
    script,
    START,
    type Call,
    type Script,
} from "../support/restore-fakes";

/** The drill, with the operator pressing Ctrl-C at its `sleeps`-th wait. */
async function interrupted(s: Script, sleeps: number) {
    const { run, calls } = drillRun(s);
    const controller = new AbortController();
    let slept = 0;
    const clock = {
        now: run.clock.now,
        sleep: async (ms: number) => {
            if (++slept === sleeps) controller.abort();
            await run.clock.sleep(ms);
        },
    };
    const result = await restoreDrill({ ...run, clock, signal: controller.signal });
    return { evidence: result as RestoreEvidence, calls };
}

async function drill(s: Script, options = {}) {
    const { run, calls } = drillRun(s, options);
    const result = await restoreDrill(run);
    assert.equal(result.kind, "restore-drill");
    return { evidence: result as RestoreEvidence, calls };
}

const apis = (calls: Call[]) => calls.map((c) => c.api);
const failed = (e: RestoreEvidence) => e.checks.filter((c) => !c.pass).map((c) => c.name);
const deletes = (calls: Call[]) =>
    calls
        .filter((c) => c.api === "dsql:DeleteCluster")
        .map((c) => `${c.region} ${c.input.identifier}`);
const idOf = (arn: string) => arn.split("/").pop()!;
const BOTH_DELETED = [
    `us-east-1 ${idOf(RESTORED.primary)}`,
    `us-east-2 ${idOf(RESTORED.secondary)}`,
];

describe("restore drill: the newest recovery point into a temporary pair, proven, measured, removed", () => {
    it("passes, every check as expected, and leaves nothing behind", async () => {
        const { evidence } = await drill(script());
        assert.deepEqual(failed(evidence), []);
        assert.equal(evidence.result, "pass");
        assert.deepEqual(evidence.cleanup, { deleted: Object.values(RESTORED), leftovers: [] });
        assert.deepEqual(
            evidence.checks.map((c) => c.name),
            [
                "recovery point",
                "identical copy",
                "restore job",
                "restored clusters",
                "clusters active",
                `setup and heartbeat on ${idOf(RESTORED.primary)}`,
                `setup and heartbeat on ${idOf(RESTORED.secondary)}`,
                "recovery point marker",
                "restored pair replicates",
                "clean-up",
            ],
        );
    });

    it("restores the newest completed recovery point, with its copy as the peer, protection off, tags not copied", async () => {
        const { calls, evidence } = await drill(script());
        const start = calls.find((c) => c.api === "backup:StartRestoreJob")!;
        assert.equal(start.region, "us-east-1");
        assert.equal(start.input.RecoveryPointArn, recoveryPoint(BACKUP_CREATED).RecoveryPointArn);
        assert.equal(start.input.IamRoleArn, OUTPUTS.backupRoleArn);
        assert.equal(start.input.CopySourceTagsToRestoredResource, false);
        assert.deepEqual(start.input.Metadata, {
            witnessRegion: OUTPUTS.witnessRegion,
            useMultiRegionOrchestration: "true",
            peerRegion: '["us-east-2"]',
            regionalConfig:
                '[{"region":"us-east-1","isDeletionProtectionEnabled":false},{"region":"us-east-2","isDeletionProtectionEnabled":false}]',
        });
        assert.equal(
            evidence.copy?.arn,
            "arn:aws:backup:us-east-2:123456789012:recovery-point:copy",
        );
    });

    it("names each restored cluster as the drill's, by stack and start", async () => {
        const { calls } = await drill(script());
        const tags = calls.filter((c) => c.api === "dsql:TagResource");
        assert.deepEqual(
            tags.map((t) => t.input.resourceArn),
            Object.values(RESTORED),
        );
        for (const t of tags)
            assert.match(t.input.tags.Name, /^dr-restore-drill-dev-\d{8}T\d{9}Z$/);
    });

    it("measures RPO from the restored heartbeats and RTO from the restore request to the first commit", async () => {
        const { evidence } = await drill(script());
        // The newest monitor heartbeat the backup holds was committed 40 s before it was taken.
        assert.equal(evidence.rpoSeconds, 40);
        const requested = Date.parse(evidence.restoreJob!.requestedAt);
        const firstCommit = evidence.timeline.find((t) =>
            t.subject.startsWith("setup and heartbeat"),
        )!;
        assert.equal(evidence.rtoSeconds, (Date.parse(firstCommit.at) - requested) / 1000);
        // Three polls of 30 s while the job ran, two while the clusters became ACTIVE, 2 s to commit.
        assert.equal(evidence.rtoSeconds, 3 * 30 + 30 + 2);
        assert.equal(
            evidence.recoveryPoint?.ageAtStartSeconds,
            (START.getTime() - BACKUP_CREATED.getTime()) / 1000,
        );
    });

    it("one cluster when asked: single-Region metadata, no copy needed, one cluster deleted", async () => {
        const single = script({
            job: [{ Status: "COMPLETED", CreatedResourceArn: RESTORED.primary }],
            points: { [OUTPUTS.backupVaults.primary]: [recoveryPoint(BACKUP_CREATED)] },
            clusters: {
                [idOf(RESTORED.primary)]: [
                    { arn: RESTORED.primary, status: "ACTIVE", deletionProtectionEnabled: false },
                ],
            },
        });
        const { evidence, calls } = await drill(single, { topology: "single" });
        assert.equal(evidence.result, "pass", evidence.reasons.join("\n"));
        const start = calls.find((c) => c.api === "backup:StartRestoreJob")!;
        assert.deepEqual(start.input.Metadata, {
            regionalConfig: '[{"region":"us-east-1","isDeletionProtectionEnabled":false}]',
        });
        assert.equal(
            calls.filter((c) => c.api === "backup:ListRecoveryPointsByBackupVault").length,
            1,
        );
        assert.deepEqual(deletes(calls), [`us-east-1 ${idOf(RESTORED.primary)}`]);
    });

    it("--region secondary: the secondary's recovery point, restored in its region with the primary's as peer", async () => {
        const secondaryArn = OUTPUTS.clusterArns.secondary;
        const points = {
            [OUTPUTS.backupVaults.secondary]: [
                recoveryPoint(BACKUP_CREATED, { ResourceArn: secondaryArn }),
            ],
            [OUTPUTS.backupVaults.primary]: [
                recoveryPoint(BACKUP_CREATED, { ResourceArn: secondaryArn }),
            ],
        };
        const { calls } = await drill(script({ points }), { region: "secondary" });
        const start = calls.find((c) => c.api === "backup:StartRestoreJob")!;
        assert.equal(start.region, "us-east-2");
        assert.equal(start.input.Metadata.peerRegion, '["us-east-1"]');
        const lists = calls.filter((c) => c.api === "backup:ListRecoveryPointsByBackupVault");
        assert.deepEqual(
            lists.map((c) => [c.region, c.input.ByResourceArn]),
            [
                ["us-east-2", secondaryArn],
                ["us-east-1", secondaryArn],
            ],
        );
    });
});

describe("restore drill: every failure fails the drill, and whatever was created is deleted", () => {
    it("no recovery point: fails before restoring anything", async () => {
        const { evidence, calls } = await drill(script({ points: {} }));
        assert.deepEqual(failed(evidence), ["recovery point"]);
        assert.match(evidence.reasons[0], /none: no backup of this cluster has completed/);
        assert.ok(!apis(calls).includes("backup:StartRestoreJob"));
        assert.deepEqual(deletes(calls), []);
    });

    it("only partial or deleting recovery points: none usable", async () => {
        const points = {
            [OUTPUTS.backupVaults.primary]: [
                recoveryPoint(BACKUP_CREATED, { Status: "PARTIAL" }),
                recoveryPoint(BACKUP_CREATED, { Status: "DELETING" }),
            ],
        };
        const { evidence } = await drill(script({ points }));
        assert.deepEqual(failed(evidence), ["recovery point"]);
    });

    it("no identical copy in the other region: fails before restoring, pointing to the copy job", async () => {
        const points = {
            [OUTPUTS.backupVaults.primary]: [recoveryPoint(BACKUP_CREATED)],
            // A copy of an older backup is not the newest one's.
            [OUTPUTS.backupVaults.secondary]: [
                recoveryPoint(new Date(BACKUP_CREATED.getTime() - 86_400_000)),
            ],
        };
        const { evidence, calls } = await drill(script({ points }));
        assert.deepEqual(failed(evidence), ["identical copy"]);
        assert.match(evidence.reasons[0], /list-copy-jobs/);
        assert.ok(!apis(calls).includes("backup:StartRestoreJob"));
    });

    it("StartRestoreJob is refused: fails with AWS's message, nothing to delete", async () => {
        const startError = Object.assign(
            new Error("Regions must be contained in one continent group"),
            { name: "InvalidParameterValueException" },
        );
        const { evidence, calls } = await drill(script({ startError }));
        assert.deepEqual(failed(evidence), ["drill"]);
        assert.match(evidence.reasons[0], /InvalidParameterValueException: Regions must be/);
        assert.ok(!apis(calls).includes("backup:DescribeRestoreJob"));
        assert.deepEqual(deletes(calls), []);
        assert.equal(
            evidence.checks.some((c) => c.name === "clean-up"),
            false,
        );
    });

    it("the restore job fails: fails with AWS's message, says how to look for clusters it may have made", async () => {
        const job = [
            { Status: "RUNNING" },
            { Status: "FAILED", StatusMessage: "Insufficient permissions" },
        ];
        const { evidence, calls } = await drill(script({ job }));
        assert.deepEqual(failed(evidence), ["restore job"]);
        assert.match(evidence.reasons[0], /FAILED: Insufficient permissions/);
        assert.match(evidence.warnings[0], /aws dsql list-clusters --region us-east-1/);
        assert.deepEqual(deletes(calls), []);
    });

    it("the restore job fails after creating a cluster: that cluster is deleted", async () => {
        const job = [
            {
                Status: "FAILED",
                StatusMessage: "peering failed",
                CreatedResourceArn: RESTORED.primary,
            },
        ];
        const { evidence, calls } = await drill(script({ job }));
        assert.deepEqual(failed(evidence), ["restore job"]);
        assert.deepEqual(deletes(calls), [`us-east-1 ${idOf(RESTORED.primary)}`]);
        assert.deepEqual(evidence.cleanup.leftovers, []);
    });

    it("the restore job never finishes: bounded polling, then a leftover naming the job and the commands", async () => {
        const { evidence, calls } = await drill(script({ job: [{ Status: "RUNNING" }] }), {
            restoreTimeoutSeconds: 600,
        });
        assert.deepEqual(failed(evidence), ["restore job", "clean-up"]);
        assert.equal(
            calls.filter((c) => c.api === "backup:DescribeRestoreJob").length,
            600 / 30 + 1,
        );
        const [leftover] = evidence.cleanup.leftovers;
        assert.match(leftover.what, /restore job job-1, still running/);
        assert.ok(
            leftover.commands.some((c) =>
                c.includes("describe-restore-job --region us-east-1 --restore-job-id job-1"),
            ),
        );
    });

    it("Ctrl-C while the job runs: stops waiting, reports the running job and how to finish", async () => {
        const { evidence, calls } = await interrupted(script({ job: [{ Status: "RUNNING" }] }), 2);
        assert.deepEqual(failed(evidence), ["restore job", "clean-up"]);
        assert.match(evidence.reasons[0], /when the operator interrupted the drill/);
        assert.equal(calls.filter((c) => c.api === "backup:DescribeRestoreJob").length, 3);
        assert.match(evidence.cleanup.leftovers[0].what, /restore job job-1, still running/);
    });

    it("Ctrl-C while the clusters come up: no proof, both restored clusters deleted", async () => {
        const slow = script();
        slow.clusters[idOf(RESTORED.secondary)] = [{ arn: RESTORED.secondary, status: "UPDATING" }];
        const { evidence, calls } = await interrupted(slow, 5);
        assert.deepEqual(failed(evidence), ["clusters active"]);
        assert.ok(!evidence.checks.some((c) => c.name.startsWith("setup and heartbeat")));
        assert.deepEqual(deletes(calls), BOTH_DELETED);
        assert.deepEqual(evidence.cleanup.leftovers, []);
    });

    it("a restored cluster never becomes ACTIVE: fails, both deleted", async () => {
        const stuck = script();
        stuck.clusters[idOf(RESTORED.secondary)] = [
            { arn: RESTORED.secondary, status: "CREATING" },
        ];
        const { evidence, calls } = await drill(stuck, { activeTimeoutSeconds: 120 });
        assert.deepEqual(failed(evidence), ["clusters active"]);
        assert.deepEqual(deletes(calls), BOTH_DELETED);
    });

    it("the restored cluster refuses connections: fails, no RTO, both deleted", async () => {
        const refused = script({
            prove: () => {
                throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
            },
        });
        const { evidence, calls } = await drill(refused);
        assert.deepEqual(failed(evidence), [`setup and heartbeat on ${idOf(RESTORED.primary)}`]);
        assert.match(evidence.reasons[0], /ECONNREFUSED/);
        assert.equal(evidence.rtoSeconds, undefined);
        assert.deepEqual(deletes(calls), BOTH_DELETED);
    });

    it("the marker is missing (no monitor heartbeat restored): fails, says why it matters", async () => {
        const { evidence, calls } = await drill(script({ prove: replicatingPair([]) }));
        assert.deepEqual(failed(evidence), ["recovery point marker"]);
        assert.match(evidence.reasons[0], /nothing shows it holds this recovery point's data/);
        assert.equal(evidence.rpoSeconds, undefined);
        assert.deepEqual(deletes(calls), BOTH_DELETED);
    });

    it("heartbeats newer than the recovery point's completion: not this recovery point's data", async () => {
        const later = new Date(BACKUP_COMPLETED.getTime() + 3_600_000);
        const { evidence } = await drill(script({ prove: replicatingPair(heartbeats(later)) }));
        assert.deepEqual(failed(evidence), ["recovery point marker"]);
        assert.match(evidence.reasons[0], /newer than the recovery point/);
    });

    it("heartbeats far older than the backup: the monitors were not committing", async () => {
        const stale = new Date(BACKUP_CREATED.getTime() - 3 * 3_600_000);
        const { evidence } = await drill(script({ prove: replicatingPair(heartbeats(stale)) }));
        assert.deepEqual(failed(evidence), ["recovery point marker"]);
        assert.equal(evidence.rpoSeconds, 3 * 3600);
    });

    it("the restored clusters do not see each other's commits: the pair is not replicating", async () => {
        const monitors = heartbeats(new Date(BACKUP_CREATED.getTime() - 40_000));
        const isolated = script({
            prove: (cluster, clock) => ({
                setupSteps: [],
                committedAt: clock.now(),
                rows: [
                    ...monitors,
                    {
                        ...monitors[0],
                        observer: "restore-drill",
                        via: cluster.region,
                        committedAt: clock.now(),
                    },
                ],
            }),
        });
        const { evidence, calls } = await drill(isolated);
        assert.deepEqual(failed(evidence), ["restored pair replicates"]);
        assert.deepEqual(deletes(calls), BOTH_DELETED);
    });

    it("a delete fails: the other cluster is still deleted, the leftover names the commands to finish", async () => {
        const { evidence, calls } = await drill(script({ deleteFails: [idOf(RESTORED.primary)] }));
        assert.deepEqual(failed(evidence), ["clean-up"]);
        assert.deepEqual(deletes(calls), BOTH_DELETED);
        assert.deepEqual(evidence.cleanup.deleted, [RESTORED.secondary]);
        assert.deepEqual(evidence.cleanup.leftovers, [
            {
                what: `cluster ${RESTORED.primary}`,
                region: "us-east-1",
                error: "AccessDeniedException: User is not authorized to perform dsql:DeleteCluster",
                commands: [
                    `aws dsql update-cluster --region us-east-1 --identifier ${idOf(RESTORED.primary)} --no-deletion-protection-enabled`,
                    `aws dsql delete-cluster --region us-east-1 --identifier ${idOf(RESTORED.primary)}`,
                ],
            },
        ]);
    });

    it("a restored cluster with deletion protection on: turned off, then deleted", async () => {
        const protectedPair = script();
        protectedPair.clusters[idOf(RESTORED.primary)] = [
            {
                arn: RESTORED.primary,
                status: "ACTIVE",
                deletionProtectionEnabled: true,
                multiRegionProperties: { clusters: Object.values(RESTORED) },
            },
        ];
        const { evidence, calls } = await drill(protectedPair);
        assert.equal(evidence.result, "pass", evidence.reasons.join("\n"));
        const update = calls.filter((c) => c.api === "dsql:UpdateCluster");
        assert.deepEqual(
            update.map((c) => c.input),
            [{ identifier: idOf(RESTORED.primary), deletionProtectionEnabled: false }],
        );
        const order = apis(calls).filter(
            (a) => a === "dsql:UpdateCluster" || a === "dsql:DeleteCluster",
        );
        assert.deepEqual(order, ["dsql:UpdateCluster", "dsql:DeleteCluster", "dsql:DeleteCluster"]);
    });
});
