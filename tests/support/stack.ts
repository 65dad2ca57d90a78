import type { DeclaredResource, DeclaredStack } from "../../tools/pulumi-host/mock-program";

/** Finds declared resources by type and, optionally, region. */
export function resourcesOf(
    stack: DeclaredStack,
    type: string,
    region?: string,
): DeclaredResource[] {
    return stack.resources.filter(
        (r) => r.type === type && (region === undefined || r.region === region),
    );
}

/** The one resource of `type` in `region` (or fails). */
export function oneOf(stack: DeclaredStack, type: string, region: string): DeclaredResource {
    const found = resourcesOf(stack, type, region);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} in ${region}, found ${found.length}`);
    }
    return found[0];
}

/** A policy input as an object, whether the program passed an object or JSON text. */
export function policyOf(value: unknown): PolicyDocument {
    return (typeof value === "string" ? JSON.parse(value) : value) as PolicyDocument;
}

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: unknown;
    Action?: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
    Version: string;
    Statement: PolicyStatement[];
}

export const asList = <T>(value: T | T[] | undefined): T[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every policy document the stack declares, with where it came from. */
export function allPolicies(stack: DeclaredStack): { where: string; doc: PolicyDocument }[] {
    const fields: Record<string, string> = {
        "aws:iam/role:Role": "assumeRolePolicy",
        "aws:iam/rolePolicy:RolePolicy": "policy",
        "aws:kms/key:Key": "policy",
        "aws:sns/topicPolicy:TopicPolicy": "policy",
        "aws:sqs/queuePolicy:QueuePolicy": "policy",
    };
    return stack.resources
        .filter((r) => fields[r.type])
        .map((r) => ({ where: `${r.type} ${r.name}`, doc: policyOf(r.inputs[fields[r.type]]) }));
}
