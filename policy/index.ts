import { PolicyPack } from "@pulumi/policy";
import { resourcePolicies, stackPolicies } from "./policies";

// Passed to `pulumi preview` and `pulumi up` with --policy-pack policy.
new PolicyPack("aurora-dsql-dr", {
    policies: [...resourcePolicies, ...stackPolicies],
});
