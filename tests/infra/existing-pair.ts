import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { CLUSTER_ROLES, ENV } from "../../monitor-function/src/contract";
import {
    declareStack,
    MOCK_ACCOUNT,
    type DeclaredStack,
} from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { policyOf, resourcesOf, asList } from "../support/stack";

/** An existing pair, as `aws dsql list-clusters` would show its identifiers. */
export const EXISTING = {
    primary: "existingprimaryaaaaaaaaaaa",
    secondary: "existingsecondarybbbbbbbbb",
} as const;

/** The dev stack pointed at an existing pair with the given cluster management. */
export function existingPairStack(management: "adopt" | "monitor-only"): {
    declared: () => DeclaredStack;
    arn: (role: (typeof CLUSTER_ROLES)[number]) => string;
} {
    let declared: DeclaredStack;
    const regions = { primary: "us-east-1", secondary: "us-east-2" };
    before(async () => {
        declared = await declareStack(
            "dev",
            stackConfig("dev", {
                clusterManagement: management,
                primaryClusterIdentifier: EXISTING.primary,
                secondaryClusterIdentifier: EXISTING.secondary,
            }),
        );
    });
    return {
        declared: () => declared,
        arn: (role) => `arn:aws:dsql:${regions[role]}:${MOCK_ACCOUNT}:cluster/${EXISTING[role]}`,
    };
}

/** What every stack watching an existing pair must get right: it watches exactly that pair. */
export function watchesTheExistingPair(stack: ReturnType<typeof existingPairStack>): void {
    describe("watches exactly the given pair", () => {
        it("gives both monitors, the setup and the drills the given clusters", () => {
            const declared = stack.declared();
            const probing = resourcesOf(declared, "aws:lambda/function:Function").filter((f) =>
                ["index.handler", "index.setupHandler"].includes(f.inputs.handler),
            );
            assert.equal(probing.length, 3, "two monitors and the setup");
            for (const fn of probing) {
                const env = fn.inputs.environment.variables;
                for (const role of CLUSTER_ROLES) {
                    assert.equal(env[ENV.clusterId(role)], EXISTING[role], fn.name);
                    assert.equal(env[ENV.clusterArn(role)], stack.arn(role), fn.name);
                }
            }
            for (const role of CLUSTER_ROLES) {
                const [template] = resourcesOf(
                    declared,
                    "aws:fis/experimentTemplate:ExperimentTemplate",
                ).filter((t) => t.name === `${role}-drill-template`);
                assert.deepEqual(template.inputs.targets[0].resourceArns, [stack.arn(role)]);
            }
        });

        it("scopes every DSQL permission to the given clusters", () => {
            const declared = stack.declared();
            const arns = CLUSTER_ROLES.map(stack.arn);
            for (const p of resourcesOf(declared, "aws:iam/rolePolicy:RolePolicy")) {
                for (const s of policyOf(p.inputs.policy).Statement) {
                    if (!asList(s.Action).some((a) => a.startsWith("dsql:"))) continue;
                    for (const resource of asList(s.Resource)) {
                        if (resource === "*") continue; // InjectError, held by its conditions
                        assert.ok(arns.includes(resource), `${p.name}: ${resource}`);
                    }
                }
            }
        });

        it("watches the given clusters in its alarms", () => {
            const declared = stack.declared();
            const verdicts = resourcesOf(declared, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
                (a) => a.inputs.dimensions?.ClusterId,
            );
            assert.ok(verdicts.length >= 8);
            for (const a of verdicts) {
                assert.ok(Object.values(EXISTING).includes(a.inputs.dimensions.ClusterId), a.name);
            }
            assert.deepEqual(declared.outputs.clusterIdentifiers, { ...EXISTING });
        });
    });
}
