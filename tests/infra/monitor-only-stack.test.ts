import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourcesOf } from "../support/stack";
import { existingPairStack, watchesTheExistingPair } from "./existing-pair";

describe("monitoring an existing pair (clusterManagement monitor-only)", () => {
    const stack = existingPairStack("monitor-only");

    it("declares no cluster and no peering, so it can never change or delete them", () => {
        const declared = stack.declared();
        assert.deepEqual(
            declared.resources.filter((r) => r.type.startsWith("aws:dsql/")).map((r) => r.type),
            [],
        );
        assert.equal(resourcesOf(declared, "aurora-dsql-dr:database:PeeredClusterPair").length, 0);
    });

    it("starts the monitors without waiting for a peering it does not make", () => {
        const declared = stack.declared();
        for (const fn of resourcesOf(declared, "aws:lambda/function:Function")) {
            assert.ok(!fn.dependsOn.some((d) => d.endsWith("-peering")), fn.name);
        }
    });

    watchesTheExistingPair(stack);
});
