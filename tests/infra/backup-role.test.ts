import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { backupRolePolicy, vaultKeyPolicy } from "../../infra/backup-policies";
import { MOCK_ACCOUNT, MOCK_SUFFIX } from "../../tools/pulumi-host/mock-program";
import type { IamRequest } from "../support/iam-requests";
import { simulate } from "../support/iam-simulation";
import { asList, type PolicyDocument } from "../support/stack";

// What the backup role may and may not do, simulated with IAM's evaluation logic
// (@cloud-copilot/iam-simulate), and what the vault keys admit.

const REGIONS = ["us-east-1", "us-east-2"];
const WITNESS = "us-west-2";
const cluster = (region: string, id: string) =>
    `arn:aws:dsql:${region}:${MOCK_ACCOUNT}:cluster/${id}`;
const PAIR = [cluster("us-east-1", "aaaaprimary"), cluster("us-east-2", "bbbbsecondary")];
const vault = (region: string, name: string) =>
    `arn:aws:backup:${region}:${MOCK_ACCOUNT}:backup-vault:${name}`;
const VAULTS = REGIONS.map((r, i) =>
    vault(r, `dr-backup-${MOCK_SUFFIX}-${["primary", "secondary"][i]}`),
);

/** A document with Outputs in it, as the JSON its resource is given. */
const resolved = (doc: unknown) =>
    new Promise<PolicyDocument>((resolve) =>
        pulumi.jsonStringify(doc).apply((text) => resolve(JSON.parse(text) as PolicyDocument)),
    );
/** A request; on a key, its key policy decides along with the role's (KMS needs both). */
const request = (action: string, arn: string): IamRequest =>
    ({
        action,
        arn,
        context: {},
        resourcePolicy: action.startsWith("kms:") ? key : undefined,
    }) as unknown as IamRequest;

let role: PolicyDocument;
let key: PolicyDocument;
before(async () => {
    role = await resolved(
        backupRolePolicy({
            partition: "aws",
            account: MOCK_ACCOUNT,
            regions: REGIONS,
            witnessRegion: WITNESS,
            clusterArns: PAIR,
            vaultArns: VAULTS,
            keyArns: REGIONS.map((r) => `arn:aws:kms:${r}:${MOCK_ACCOUNT}:key/k`),
        }),
    );
    key = await resolved(
        vaultKeyPolicy(pulumi.output("aws"), pulumi.output(MOCK_ACCOUNT), "us-east-1"),
    );
});

describe("the backup role", () => {
    it("may back up the pair, copy between its vaults, and restore into new clusters of its two regions", async () => {
        for (const [action, arn] of [
            ["dsql:StartBackupJob", PAIR[0]],
            ["dsql:StartBackupJob", PAIR[1]],
            ["dsql:GetBackupJob", PAIR[1]],
            ["dsql:CreateCluster", cluster("us-east-2", "restoredcluster")],
            ["dsql:AddPeerCluster", cluster("us-east-1", "restoredcluster")],
            // A multi-Region restore names the new pair's witness, authorized in its region.
            ["dsql:PutWitnessRegion", cluster(WITNESS, "restoredcluster")],
            ["backup:CopyIntoBackupVault", VAULTS[1]],
            ["kms:GenerateDataKey", `arn:aws:kms:us-east-2:${MOCK_ACCOUNT}:key/k`],
        ]) {
            const verdict = await simulate(request(action, arn), role);
            assert.ok(verdict.allowed, `${action} on ${arn}: ${verdict.detail}`);
        }
    });

    it("may not back up another cluster, change the pair, act in a third region or use another vault", async () => {
        for (const [action, arn] of [
            ["dsql:StartBackupJob", cluster("us-east-1", "someoneelses")],
            ["dsql:UpdateCluster", PAIR[0]],
            ["dsql:RemovePeerCluster", PAIR[1]],
            ["dsql:PutWitnessRegion", PAIR[0]],
            ["dsql:TagResource", PAIR[1]],
            ["dsql:CreateCluster", cluster(WITNESS, "restoredcluster")],
            ["dsql:UpdateCluster", cluster(WITNESS, "restoredcluster")],
            ["dsql:PutWitnessRegion", cluster("eu-west-1", "restoredcluster")],
            ["backup:CopyIntoBackupVault", vault("us-east-2", "other")],
            ["kms:Decrypt", `arn:aws:kms:us-east-1:${MOCK_ACCOUNT}:key/other`],
        ]) {
            const verdict = await simulate(request(action, arn), role);
            assert.ok(!verdict.allowed, `${action} on ${arn} must be denied: ${verdict.detail}`);
        }
    });
});

describe("a vault key", () => {
    const statement = (sid: string) => asList(key.Statement).find((s) => s.Sid === sid)!;

    it("lets AWS Backup create grants only for its vault encryption context, through AWS Backup", () => {
        assert.deepEqual(statement("BackupGrantsForItsVaults").Condition, {
            "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": "aws:backup:backup-vault" },
            Bool: { "kms:GrantIsForAWSResource": "true" },
            StringLike: { "kms:ViaService": "backup.*.amazonaws.com" },
        });
    });

    it("admits this account only: every statement's principal is its root", () => {
        for (const s of asList(key.Statement)) {
            assert.deepEqual(s.Principal, { AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` }, s.Sid);
        }
    });

    it("is administered with the same listed actions as the stack's other keys (no wildcard)", () => {
        const actions = asList(statement("AccountAdministersKey").Action);
        assert.ok(
            actions.includes("kms:PutKeyPolicy") && actions.includes("kms:ScheduleKeyDeletion"),
        );
        assert.ok(actions.every((a) => !a.includes("*")));
    });
});
