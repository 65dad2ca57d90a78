import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { DeclaredResource } from "../../tools/pulumi-host/mock-program";
import type { HostRun, RegisteredResource } from "../../tools/pulumi-host/real-host";

type ResourceInput = {
    type: string;
    name?: string;
    props: Record<string, any>;
    stack?: string;
    protect?: boolean;
    provider?: string;
    /** Name of its parent, another resource of the same list (stack policies only). */
    parent?: string;
};

const urnOf = (stack: string, qualifiedType: string, name: string) =>
    `urn:pulumi:${stack}::aurora-dsql-dr::${qualifiedType}::${name}`;

/** The arguments Pulumi passes a resource policy, for a resource described in a test. */
export function resourceArgs(input: ResourceInput): ResourceValidationArgs {
    const name = input.name ?? "subject";
    return {
        type: input.type,
        name,
        props: input.props,
        urn: urnOf(input.stack ?? "dev", input.type, name),
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

/** One resource of a stack as the engine describes it to a stack policy. */
interface StackResource {
    readonly args: ResourceValidationArgs;
    /** URN of its parent, if any. */
    readonly parentUrn?: string;
}

/**
 * The violations a stack policy reports. As in @pulumi/policy's server, each resource's
 * `parent` is the policy resource of its parent URN (a parent not in the list stays unset).
 */
async function validateStack(
    policy: StackValidationPolicy,
    resources: readonly StackResource[],
): Promise<string[]> {
    const policyResources = resources.map(
        (r) =>
            ({
                ...r.args,
                dependencies: [],
                propertyDependencies: {},
            }) as unknown as PolicyResource,
    );
    const byUrn = new Map(policyResources.map((r) => [r.urn, r]));
    resources.forEach((r, i) => {
        if (r.parentUrn) policyResources[i].parent = byUrn.get(r.parentUrn);
    });
    const found: string[] = [];
    await policy.validateStack!(
        { resources: policyResources } as unknown as StackValidationArgs,
        (message) => found.push(message),
    );
    return found;
}

/**
 * The violations a stack policy reports for resources described in a test. A resource
 * with a `parent` (by name) gets the parent's URN and a URN qualified by its type chain,
 * as Pulumi builds them.
 */
export async function stackViolations(
    policy: StackValidationPolicy,
    resources: ResourceInput[],
): Promise<string[]> {
    const byName = new Map(resources.map((r) => [r.name ?? "subject", r]));
    const typeChain = (r: ResourceInput): string => {
        if (!r.parent) return r.type;
        const parent = byName.get(r.parent);
        if (!parent) throw new Error(`parent ${r.parent} of ${r.name} is not in the list`);
        return `${typeChain(parent)}$${r.type}`;
    };
    const urn = (r: ResourceInput) => urnOf(r.stack ?? "dev", typeChain(r), r.name ?? "subject");
    return validateStack(
        policy,
        resources.map((r) => ({
            args: { ...resourceArgs(r), urn: urn(r) },
            parentUrn: r.parent ? urn(byName.get(r.parent)!) : undefined,
        })),
    );
}

/**
 * The violations a stack policy reports for a program run under the real language host
 * (`pulumi preview` of new resources), with each resource's props as the engine's
 * AnalyzeStack passes them: its outputs (pulumi/pulumi pkg/resource/deploy/step_generator.go
 * AnalyzeResources). A custom resource's preview outputs are its inputs; a component's are
 * exactly what it passed to registerOutputs, which replace its state's outputs
 * (step_executor.go executeRegisterResourceOutputs), not the args it gave its constructor.
 * `transform` may change a registration before the policy sees it (to model a regression).
 */
export async function engineStackViolations(
    policy: StackValidationPolicy,
    run: HostRun,
    transform: (r: RegisteredResource) => RegisteredResource = (r) => r,
): Promise<string[]> {
    return validateStack(
        policy,
        run.resources.map(transform).map((r) => ({
            args: {
                ...resourceArgs({
                    type: r.type,
                    name: r.name,
                    props: r.custom ? r.inputs : (run.outputs[r.urn] ?? {}),
                    protect: r.protect,
                }),
                urn: r.urn,
            },
            parentUrn: r.parent || undefined,
        })),
    );
}
