import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { declareStack, type DeclaredStack } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { resourcesOf } from "../support/stack";

describe("the database setup as `pulumi up` runs it", () => {
    let declared: DeclaredStack;
    before(async () => {
        declared = await declareStack("dev", stackConfig("dev"));
    });

    it("runs again when the deployed code changes: its trigger is the function's codeSha256", () => {
        const [fn] = resourcesOf(declared, "aws:lambda/function:Function").filter(
            (f) => f.inputs.handler === "index.setupHandler",
        );
        const [run] = resourcesOf(declared, "aws:lambda/invocation:Invocation");
        // codeSha256 is what the provider reads back from Lambda after an upload; an input
        // the program never sets (sourceCodeHash) would leave the trigger empty.
        assert.match(fn.state.codeSha256, /^[A-Za-z0-9+/=]{20,}$/);
        assert.equal(run.inputs.triggers.code, fn.state.codeSha256);
    });

    it("runs again when either cluster changes", () => {
        const [run] = resourcesOf(declared, "aws:lambda/invocation:Invocation");
        const arns = resourcesOf(declared, "aws:dsql/cluster:Cluster").map((c) => c.state.arn);
        assert.equal(arns.length, 2);
        for (const arn of arns) assert.ok(run.inputs.triggers.clusters.includes(arn));
    });
});
