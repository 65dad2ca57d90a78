import type { DeclaredResource } from "../../tools/pulumi-host/mock-program";
import { declaredPolicies } from "./iam-documents";
import { asList, type PolicyDocument } from "./stack";

/**
 * The API calls the Pulumi AWS provider (terraform-provider-aws underneath) makes for a
 * declared resource, turned into the IAM requests AWS authorizes: action, resource ARN and
 * request context, built from what the program declared.
 */

export const OPERATIONS = ["create", "read", "update", "tag", "untag", "delete"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The declared resources of one stack, with lookups by ARN. */
export interface StackView {
    readonly resources: readonly DeclaredResource[];
    /** A declared resource's own ARN, if it has one. */
    arnOf(resource: DeclaredResource): string | undefined;
    /** The resource whose own ARN this is, if the stack declares it. */
    ownerOf(arn: string): DeclaredResource | undefined;
    /** The resource policy attached to the resource with this ARN, for calls of `service`. */
    resourcePolicyOf(arn: string, service: string): PolicyDocument | undefined;
    /** The tags AWS holds for a resource: its provider's default tags and its own. */
    tagsOf(resource: DeclaredResource): Record<string, string>;
}

/** The ARNs a call acts on, from the declared resource. */
export type Target = (resource: DeclaredResource, stack: StackView) => string[];

export interface CallSpec {
    readonly action: string;
    readonly on: Target;
    /**
     * Authorized while the resource does not exist yet: no resource tags. (Its resource policy
     * still applies: a KMS key is created with its key policy.)
     */
    readonly before: boolean;
    /** The request carries the resource's tags (`aws:RequestTag/…`, `aws:TagKeys`). */
    readonly requestTags: boolean;
    /** Request context the call carries besides tags (multivalued keys as lists). */
    readonly context?: (
        resource: DeclaredResource,
        stack: StackView,
    ) => Record<string, string | string[]>;
    /** AWS checks no permission for this call: the documentation that says so. */
    readonly noPermission?: string;
}

export interface ProviderEntry {
    /** The provider source the calls were read from (path in hashicorp/terraform-provider-aws). */
    readonly source: string;
    /** The resource's own ARN, when its state has none. */
    readonly arn?: (resource: DeclaredResource, stack: StackView) => string;
    readonly calls: Readonly<Record<Operation, readonly CallSpec[]>>;
}

/**
 * What `pulumi up` does to a declared resource: an imported one is only read (the import); one
 * whose tags the program leaves alone is never tagged or untagged.
 */
export function operationsOf(resource: DeclaredResource): Operation[] {
    if (resource.importId !== undefined) return ["read"];
    const tagsLeftAlone = resource.ignoreChanges.some((key) => key === "tags" || key === "tagsAll");
    return OPERATIONS.filter((op) => !(tagsLeftAlone && (op === "tag" || op === "untag")));
}

/** One IAM request to simulate. */
export interface IamRequest {
    readonly resource: DeclaredResource;
    readonly operation: Operation;
    readonly action: string;
    readonly arn: string;
    readonly context: Record<string, string | string[]>;
    readonly resourcePolicy?: PolicyDocument;
    readonly noPermission?: string;
}

/** The requests behind `operations` of one declared resource. */
export function requestsFor(
    entry: ProviderEntry,
    resource: DeclaredResource,
    stack: StackView,
    operations: readonly Operation[],
): IamRequest[] {
    const requests: IamRequest[] = [];
    for (const operation of operations) {
        for (const spec of entry.calls[operation]) {
            for (const arn of spec.on(resource, stack)) {
                requests.push(request(spec, operation, arn, resource, stack));
            }
        }
    }
    return requests;
}

function request(
    spec: CallSpec,
    operation: Operation,
    arn: string,
    resource: DeclaredResource,
    stack: StackView,
): IamRequest {
    const context: Record<string, string | string[]> = { "aws:SecureTransport": "true" };
    if (spec.requestTags) {
        const tags = stack.tagsOf(resource);
        for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
        context["aws:TagKeys"] = Object.keys(tags);
    }
    const owner = spec.before ? undefined : stack.ownerOf(arn);
    for (const [key, value] of Object.entries(owner ? stack.tagsOf(owner) : {})) {
        context[`aws:ResourceTag/${key}`] = value;
    }
    Object.assign(context, spec.context?.(resource, stack));
    const service = spec.action.split(":")[0];
    return {
        resource,
        operation,
        action: spec.action,
        arn,
        context,
        resourcePolicy: stack.resourcePolicyOf(arn, service),
        noPermission: spec.noPermission,
    };
}

/** A view of one declared stack; `arnOf` gives each resource's own ARN, if any. */
export function stackView(
    resources: readonly DeclaredResource[],
    arnOf: (resource: DeclaredResource, stack: StackView) => string | undefined,
): StackView {
    const policies = declaredPolicies(resources).filter((p) => p.isResourcePolicy && p.subject);
    const byArn = new Map<string, DeclaredResource>();
    const view: StackView = {
        resources,
        arnOf: (resource) => arnOf(resource, view),
        ownerOf: (arn) => byArn.get(arn),
        resourcePolicyOf: (arn, service) =>
            policies.find(
                (p) =>
                    p.subject === arn &&
                    asList(p.doc.Statement).some((s) =>
                        asList(s.Action).some((a) => a.startsWith(`${service}:`)),
                    ),
            )?.doc,
        tagsOf: (resource) => tagsOf(resource, resources),
    };
    for (const resource of resources) {
        const arn = resource.custom ? view.arnOf(resource) : undefined;
        if (arn) byArn.set(arn, resource);
    }
    return view;
}

/** Default tags of the resource's provider, then its own; none if the program ignores them. */
function tagsOf(
    resource: DeclaredResource,
    resources: readonly DeclaredResource[],
): Record<string, string> {
    if (resource.ignoreChanges.includes("tags")) return {};
    const providerName = resource.provider?.split("::")[3];
    const provider = resources.find(
        (r) => r.type === "pulumi:providers:aws" && r.name === providerName,
    );
    const defaults = provider?.inputs.defaultTags
        ? (JSON.parse(provider.inputs.defaultTags as string) as { tags?: Record<string, string> })
              .tags
        : undefined;
    return { ...defaults, ...(resource.inputs.tags as Record<string, string> | undefined) };
}
