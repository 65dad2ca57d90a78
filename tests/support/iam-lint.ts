import {
    ALTERNATIVE_RESOURCE_TYPES,
    DOCUMENTED_CONDITION_KEYS,
    STAR_ONLY_ACTIONS,
} from "./iam-exceptions";
import {
    actionReference,
    conditionKeyExists,
    resourceMayMatch,
    type ResourceTypeReference,
} from "./iam-reference";
import { asList, type PolicyDocument, type PolicyStatement } from "./stack";

/**
 * Lints a policy document against the Service Authorization Reference. Every statement's
 * actions and condition keys must exist; an Allow statement grants an action with no resource
 * type only on `"*"`; and an action with resource types is granted only if each type it
 * requires (or, if it requires none or its required types are alternatives, one of its types)
 * can be named by a resource of a statement that allows it. IAM checks each resource of a request on its own, so the types may
 * come from different statements (an alias statement and a key statement, for example).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

export type LintRule =
    | "unknown-action"
    | "wildcard-action"
    | "no-resource-type-needs-star"
    | "resource-type-unmatched"
    | "star-only-action"
    | "unknown-condition-key"
    | "unsupported-element";

export interface Finding {
    readonly rule: LintRule;
    /** The statement's Sid, or its position. */
    readonly statement: string;
    readonly message: string;
}

/**
 * `subject` is the ARN of the resource the policy is attached to: a resource policy's
 * statement without `Resource` (a role's trust policy) acts on it.
 */
export async function lintPolicy(doc: PolicyDocument, subject?: string): Promise<Finding[]> {
    const findings: Finding[] = [];
    const grants = new Map<string, Grant>();
    for (const [index, statement] of asList(doc.Statement).entries()) {
        const label = statement.Sid ?? `#${index}`;
        const report = (rule: LintRule, message: string) =>
            findings.push({ rule, statement: label, message });
        for (const element of ["NotAction", "NotResource", "NotPrincipal"]) {
            if (element in statement) report("unsupported-element", `${element} is not linted`);
        }
        const actions = asList(statement.Action);
        await lintActions(actions, report);
        await lintConditionKeys(statement, actions, report);
        if (statement.Effect !== "Allow") continue;
        const resources = asList(statement.Resource);
        const named = resources.length > 0 ? resources : subject ? [subject] : [];
        await lintStarOnly(actions, named, report);
        for (const action of actions) {
            const grant = grants.get(action.toLowerCase()) ?? { action, labels: [], resources: [] };
            grant.labels.push(label);
            grant.resources.push(...named);
            grants.set(action.toLowerCase(), grant);
        }
    }
    for (const grant of grants.values()) await lintResourceTypes(grant, findings);
    return findings;
}

/** An action and every resource the document's Allow statements grant it on. */
interface Grant {
    readonly action: string;
    readonly labels: string[];
    readonly resources: string[];
}

type Report = (rule: LintRule, message: string) => void;

async function lintActions(actions: readonly string[], report: Report): Promise<void> {
    for (const action of actions) {
        if (action.includes("*") || action.includes("?")) {
            report("wildcard-action", `${action}: name actions one by one`);
        } else if (!(await actionReference(action))) {
            report(
                "unknown-action",
                `${action} is not an action of the Service Authorization Reference`,
            );
        }
    }
}

/** Rules on one statement's resources: star-only actions, actions with no resource type. */
async function lintStarOnly(
    actions: readonly string[],
    resources: readonly string[],
    report: Report,
): Promise<void> {
    const shown = JSON.stringify(resources);
    for (const action of actions) {
        const reference = await actionReference(action);
        if (!reference || resources.includes("*")) continue;
        const exception = STAR_ONLY_ACTIONS.find(
            (e) => e.action.toLowerCase() === action.toLowerCase(),
        );
        if (exception) {
            report(
                "star-only-action",
                `${action} on ${shown}: ${exception.why} (${exception.url})`,
            );
        }
        if (reference.resourceTypes.length === 0) {
            report(
                "no-resource-type-needs-star",
                `${action} supports no resource type, so only "*" grants it; ${shown} grants nothing`,
            );
        }
    }
}

/** Each resource type the action requires can be named by a resource it is allowed on. */
async function lintResourceTypes(grant: Grant, findings: Finding[]): Promise<void> {
    const reference = await actionReference(grant.action);
    if (!reference || reference.resourceTypes.length === 0) return;
    const alternatives = ALTERNATIVE_RESOURCE_TYPES.some(
        (e) => e.action.toLowerCase() === grant.action.toLowerCase(),
    );
    const required = alternatives ? [] : reference.resourceTypes.filter((t) => t.required);
    const named = (t: ResourceTypeReference) =>
        grant.resources.some((r) => resourceMayMatch(r, t.arnFormat));
    const missing =
        required.length > 0
            ? required.filter((t) => !named(t))
            : reference.resourceTypes.some(named)
              ? []
              : reference.resourceTypes;
    for (const type of missing) {
        findings.push({
            rule: "resource-type-unmatched",
            statement: grant.labels.join(", "),
            message: `${grant.action} needs a resource of type ${type.name} (${type.arnFormat}); none of ${JSON.stringify(grant.resources)} can name one`,
        });
    }
}

async function lintConditionKeys(
    statement: PolicyStatement,
    actions: readonly string[],
    report: Report,
): Promise<void> {
    const services = actions.map((a) => a.split(":")[0].toLowerCase());
    for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
        for (const key of Object.keys(entries)) {
            if (await conditionKeyExists(key, services)) continue;
            if (DOCUMENTED_CONDITION_KEYS.some((documented) => documented.allows(key, statement)))
                continue;
            report(
                "unknown-condition-key",
                `${operator} on ${key}: neither a global condition key nor one of ${[...new Set(services)].join(", ")}`,
            );
        }
    }
}
