/**
 * A stack's outputs without a deployment: the program's own declaration of the stack under
 * Pulumi mocks (tools/pulumi-host/mock-program.ts, the stack file through tools/pulumi-host/stack-config.ts), for a
 * dry run that needs no Pulumi CLI, backend, credentials or network. What only the deployed
 * stack knows is replaced by clearly marked <placeholders>.
 */
import { CLUSTER_ROLES } from "../../monitor-function/src/contract";
import { MOCK_ACCOUNT, MOCK_SUFFIX, declareStack } from "../pulumi-host/mock-program";
import { stackConfig } from "../pulumi-host/stack-config";
import { bareStackName } from "./args";
import { parseStackOutputs, type StackOutputs } from "./outputs";

/** `outputs` with every value only a deployment can know replaced by a <placeholder>. */
export function withPlaceholders(outputs: StackOutputs): unknown {
    const known: [string, string][] = [
        ...CLUSTER_ROLES.flatMap((role): [string, string][] => [
            [outputs.clusterIdentifiers[role], `<${role}-cluster-id>`],
            [outputs.drillTemplates?.[role] ?? "", `<${role}-drill-template-id>`],
        ]),
        [MOCK_ACCOUNT, "<account>"],
        [MOCK_SUFFIX, "<suffix>"],
    ];
    let text = JSON.stringify(outputs);
    for (const [value, placeholder] of known) {
        if (value !== "") text = text.replaceAll(value, placeholder);
    }
    return JSON.parse(text);
}

/** The outputs `stack` would have, declared offline, with placeholders. */
export async function declaredOutputs(stack: string): Promise<StackOutputs> {
    const name = bareStackName(stack);
    const declared = await declareStack(name, stackConfig(name));
    const outputs = parseStackOutputs(declared.outputs, `the declaration of stack ${stack}`);
    return withPlaceholders(outputs) as StackOutputs;
}
