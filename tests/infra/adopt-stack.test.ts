import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { resourcesOf } from "../support/stack";
import { EXISTING, existingPairStack, watchesTheExistingPair } from "./existing-pair";

/**
 * Adoption: the pair is imported, not created. Pulumi refuses an import whose inputs differ
 * from what AWS holds, and a different witness would even force a replacement, so the test
 * pins what the import must match.
 */
describe("adopting an existing pair (clusterManagement adopt)", () => {
    const stack = existingPairStack("adopt");
    const config = stackConfig("dev");

    it("imports both clusters by their identifiers, with the witness and protection AWS holds", () => {
        const clusters = resourcesOf(stack.declared(), "aws:dsql/cluster:Cluster");
        assert.equal(clusters.length, 2);
        for (const c of clusters) {
            const role = c.name.endsWith("-primary") ? "primary" : "secondary";
            assert.equal(c.importId, EXISTING[role]);
            // Forces replacement if it differs: the config must name the pair's real witness.
            assert.deepEqual(c.inputs.multiRegionProperties, {
                witnessRegion: config.witnessRegion,
            });
            // Must equal the clusters' setting (the provider's default is false).
            assert.equal(c.inputs.deletionProtectionEnabled, config.deletionProtection === "true");
            // The cluster's own tags are kept while adopting; ours are set on the next up.
            assert.deepEqual(c.ignoreChanges, ["tags", "tagsAll"]);
        }
    });

    it("imports both peerings by their cluster's identifier, naming the peer's ARN and the witness", () => {
        const peerings = resourcesOf(stack.declared(), "aws:dsql/clusterPeering:ClusterPeering");
        assert.equal(peerings.length, 2);
        for (const p of peerings) {
            const role = p.name.includes("-primary-") ? "primary" : "secondary";
            const peer = role === "primary" ? "secondary" : "primary";
            assert.equal(p.importId, EXISTING[role]);
            assert.equal(p.inputs.identifier, EXISTING[role]);
            assert.deepEqual(p.inputs.clusters, [stack.arn(peer)]);
            assert.equal(p.inputs.witnessRegion, config.witnessRegion);
            assert.deepEqual(
                p.ignoreChanges,
                [],
                "a peering cannot be updated: it must match exactly",
            );
        }
    });

    watchesTheExistingPair(stack);
});
