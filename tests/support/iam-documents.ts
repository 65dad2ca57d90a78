import type { DeclaredResource } from "../../tools/pulumi-host/mock-program";
import { asList, type PolicyDocument } from "./stack";

/** An IAM policy document found among a declared resource's inputs. */
export interface DeclaredPolicy {
    readonly resource: DeclaredResource;
    /** Where in the inputs, e.g. `assumeRolePolicy` or `policy`. */
    readonly path: string;
    readonly doc: PolicyDocument;
    /** The ARN of the resource the policy is attached to, when it names one. */
    readonly subject?: string;
    /** A resource policy (its statements name principals), as opposed to an identity policy. */
    readonly isResourcePolicy: boolean;
}

/**
 * Every IAM policy document the resources declare, wherever it sits in their inputs: an
 * object with a `Statement` list, or JSON text of one. Role, trust, key, topic and queue
 * policies are found alike, and so is any document a later resource type carries.
 */
export function declaredPolicies(resources: readonly DeclaredResource[]): DeclaredPolicy[] {
    const found: DeclaredPolicy[] = [];
    for (const resource of resources) {
        for (const { path, doc } of documentsIn(resource.inputs, "")) {
            const isResourcePolicy = asList(doc.Statement).some((s) => s.Principal !== undefined);
            found.push({
                resource,
                path,
                doc,
                subject: subjectOf(resource, doc),
                isResourcePolicy,
            });
        }
    }
    return found;
}

/** `where` for messages: resource type, logical name and input path. */
export const describePolicy = (p: DeclaredPolicy) =>
    `${p.resource.type} ${p.resource.name} ${p.path}`;

function* documentsIn(
    value: unknown,
    path: string,
): Generator<{ path: string; doc: PolicyDocument }> {
    if (typeof value === "string") {
        const doc = parsedDocument(value);
        if (doc) yield { path, doc };
    } else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) yield* documentsIn(item, `${path}[${i}]`);
    } else if (value !== null && typeof value === "object") {
        if (isDocument(value)) {
            yield { path, doc: value };
            return;
        }
        for (const [key, item] of Object.entries(value)) {
            yield* documentsIn(item, path ? `${path}.${key}` : key);
        }
    }
}

function parsedDocument(text: string): PolicyDocument | undefined {
    if (!text.trimStart().startsWith("{") || !text.includes("Statement")) return undefined;
    try {
        const value: unknown = JSON.parse(text);
        return isDocument(value) ? value : undefined;
    } catch {
        return undefined;
    }
}

function isDocument(value: unknown): value is PolicyDocument {
    const statement = (value as { Statement?: unknown }).Statement;
    return Array.isArray(statement) || (typeof statement === "object" && statement !== null);
}

/**
 * The resource a policy is attached to: the declaring resource's own ARN (a role, a key), or
 * else the one ARN its resource-policy statements name (a topic or queue policy).
 */
function subjectOf(resource: DeclaredResource, doc: PolicyDocument): string | undefined {
    const own = resource.state.arn ?? resource.inputs.arn;
    if (typeof own === "string") return own;
    const named = new Set(
        asList(doc.Statement)
            .filter((s) => s.Principal !== undefined)
            .flatMap((s) => asList(s.Resource))
            .filter((r) => r !== "*"),
    );
    return named.size === 1 ? [...named][0] : undefined;
}
