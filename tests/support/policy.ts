import type {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { DeclaredResource } from "../../tools/mock-program";

type ResourceInput = {
    type: string;
    name?: string;
    props: Record<string, any>;
    stack?: string;
    protect?: boolean;
    provider?: string;
};

/** The arguments Pulumi passes a resource policy, for a resource described in a test. */
export function resourceArgs(input: ResourceInput): ResourceValidationArgs {
    const name = input.name ?? "subject";
    return {
        type: input.type,
        name,
        props: input.props,
        urn: `urn:pulumi:${input.stack ?? "dev"}::aurora-dsql-dr::${input.type}::${name}`,
        opts: {
            protect: input.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            additionalSecretOutputs: [],
        },
        provider: input.provider
            ? {
                  type: "pulumi:providers:aws",
                  name: input.provider,
                  urn: `urn:${input.provider}`,
                  props: {},
              }
            : undefined,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => ({}) as never,
        notApplicable: () => undefined as never,
    } as unknown as ResourceValidationArgs;
}

/** Same, for a resource the real program declared under mocks. */
export function declaredArgs(r: DeclaredResource, stack: string): ResourceValidationArgs {
    return resourceArgs({
        type: r.type,
        name: r.name,
        props: r.state,
        stack,
        protect: r.protect,
        provider: r.provider?.split("::")[3],
    });
}

/** The violations `policy` reports for `args`. */
export async function violations(
    policy: ResourceValidationPolicy,
    args: ResourceValidationArgs,
): Promise<string[]> {
    const found: string[] = [];
    const validate = policy.validateResource as (
        a: ResourceValidationArgs,
        r: (m: string) => void,
    ) => unknown;
    await validate(args, (message) => found.push(message));
    return found;
}

export async function stackViolations(
    policy: StackValidationPolicy,
    resources: ResourceInput[],
): Promise<string[]> {
    const found: string[] = [];
    const args = {
        resources: resources.map((r) => ({
            ...resourceArgs(r),
            dependencies: [],
            propertyDependencies: {},
        })),
    };
    await policy.validateStack!(args as unknown as StackValidationArgs, (message) =>
        found.push(message),
    );
    return found;
}
