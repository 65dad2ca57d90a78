import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declareStack, type DeclaredResource } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";

describe("an invalid stack config", () => {
    it("fails with the validation message and declares no resource at all", async () => {
        let resources: readonly DeclaredResource[] | undefined;
        const raw = stackConfig("dev", { witnessRegion: "us-west-1", lambdaMemoryMb: "64" });
        await assert.rejects(
            declareStack("dev", raw, (declared) => (resources = declared)),
            (error: Error) =>
                /aurora-dsql-dr:witnessRegion = "us-west-1"/.test(error.message) &&
                /aurora-dsql-dr:lambdaMemoryMb = "64"/.test(error.message),
        );
        // Registration is asynchronous: give anything declared before the throw time to arrive.
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.deepEqual(resources, []);
    });
});
