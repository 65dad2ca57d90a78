import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { restoreDrill } from "../../tools/operator/restore-drill";
import type { RestoreDrillOptions, RestoreOutputs } from "../../tools/operator/restore-options";
import type { ProofTarget } from "../../tools/operator/restore-proof";
import { PROJECT } from "../../tools/pulumi-host/stack-config";
import { documentedPolicy } from "../support/iam-docs";
import { restoreDrillRequests, type OperatorRequest } from "../support/iam-restore-requests";
import { simulate } from "../support/iam-simulation";
import {
    drillRun,
    OUTPUTS,
    recoveryPoint,
    RESTORED,
    script,
    BACKUP_CREATED,
    type Script,
} from "../support/restore-fakes";
import type { PolicyDocument } from "../support/stack";

/**
 * The operator's policy (docs/iam/operator.json), filled in for the stack a restore drill runs
 * against, simulated (@cloud-copilot/iam-simulate) against every request the drill makes: it
 * must allow them all, and none of the changes on the stack's own pair.
 */

/** operator.json for `outputs`' account, Regions and name suffix. */
function operatorPolicy(outputs: RestoreOutputs): PolicyDocument {
    const suffix = /role\/dr-backup-([a-z0-9]+)$/.exec(outputs.backupRoleArn)?.[1];
    assert.ok(suffix, `no name suffix in ${outputs.backupRoleArn}`);
    return documentedPolicy("operator.json", {
        "<account>": outputs.accountId!,
        "<suffix>": suffix,
        "<primaryRegion>": outputs.regions.primary,
        "<secondaryRegion>": outputs.regions.secondary,
    }).doc;
}

async function deniedOf(requests: readonly OperatorRequest[], policy: PolicyDocument) {
    const denied: string[] = [];
    for (const request of requests) {
        const verdict = await simulate(request, policy);
        if (!verdict.allowed)
            denied.push(
                `${request.label}: ${request.action} on ${request.arn} (${verdict.detail})`,
            );
    }
    return denied;
}

/** The requests of one drill run against scripted AWS, with the clusters it proved. */
async function drillRequests(s: Script, options: Partial<RestoreDrillOptions> = {}) {
    const { run, calls } = drillRun(s, options);
    const connected: ProofTarget[] = [];
    const evidence = await restoreDrill({
        ...run,
        prove: (cluster) => {
            connected.push(cluster);
            return run.prove(cluster);
        },
    });
    assert.equal(evidence.kind, "restore-drill");
    assert.equal(evidence.result, "pass", evidence.reasons.join("\n"));
    return restoreDrillRequests(OUTPUTS, calls, connected);
}

const single = () =>
    script({
        job: [{ Status: "COMPLETED", CreatedResourceArn: RESTORED.primary }],
        points: { [OUTPUTS.backupVaults.primary]: [recoveryPoint(BACKUP_CREATED)] },
        clusters: {
            [RESTORED.primary.split("/").pop()!]: [
                { arn: RESTORED.primary, status: "ACTIVE", deletionProtectionEnabled: false },
            ],
        },
    });

describe("the operator's policy against every request of a restore drill", () => {
    const policy = operatorPolicy(OUTPUTS);

    it("a pair restored from the primary's recovery point: every request allowed", async () => {
        const requests = await drillRequests(script());
        const actions = new Set(requests.map((r) => r.action));
        for (const action of [
            "backup:ListRecoveryPointsByBackupVault",
            "backup:StartRestoreJob",
            "iam:PassRole",
            "backup:DescribeRestoreJob",
            "dsql:GetCluster",
            "dsql:TagResource",
            "dsql:DbConnectAdmin",
            "dsql:DeleteCluster",
        ]) {
            assert.ok(actions.has(action), `the drill made no ${action}`);
        }
        assert.deepEqual(await deniedOf(requests, policy), []);
    });

    it("one cluster restored: every request allowed", async () => {
        const requests = await drillRequests(single(), { topology: "single" });
        assert.deepEqual(await deniedOf(requests, policy), []);
    });

    it("never lets the drill's changes reach the stack's own pair, which carries the project tag", async () => {
        const requests = await drillRequests(script());
        const pair = Object.values(OUTPUTS.clusterArns);
        const changes = requests.filter((r) =>
            [
                "dsql:TagResource",
                "dsql:UpdateCluster",
                "dsql:DeleteCluster",
                "dsql:DbConnectAdmin",
            ].includes(r.action),
        );
        assert.ok(changes.length >= 6, `only ${changes.length} changes`);
        const onPair = changes.flatMap((r) =>
            pair.map((arn) => ({
                ...r,
                label: `${r.label} on the pair`,
                arn,
                context: { ...r.context, "aws:ResourceTag/project": PROJECT },
            })),
        );
        assert.deepEqual(
            (await deniedOf(onPair, policy)).length,
            onPair.length,
            "a change the drill makes is allowed on the pair",
        );
    });

    it("restores no recovery point of another project, and passes the backup role to no other service", async () => {
        const requests = await drillRequests(script());
        const foreign = requests
            .filter((r) => r.action === "backup:StartRestoreJob" || r.action === "iam:PassRole")
            .map((r) => ({
                ...r,
                context:
                    r.action === "iam:PassRole"
                        ? { ...r.context, "iam:PassedToService": "ec2.amazonaws.com" }
                        : { ...r.context, "aws:ResourceTag/project": "another-project" },
            }));
        assert.equal(foreign.length, 2);
        assert.equal((await deniedOf(foreign, policy)).length, 2);
    });
});
