import type { DeclaredResource } from "../../tools/pulumi-host/mock-program";
import { wildcardPattern } from "./iam-reference";
import {
    operationsOf,
    requestsFor,
    stackView,
    type IamRequest,
    type Operation,
    type ProviderEntry,
} from "./iam-requests";
import { describeRequest, simulate } from "./iam-simulation";
import { asList, type PolicyDocument } from "./stack";

/** Checks of a CI role against the calls the provider makes for a declared stack. */

type CallTable = Readonly<Record<string, ProviderEntry>>;

/** Resource types the stack declares that the table has no entry for (components excluded). */
export function missingEntries(resources: readonly DeclaredResource[], table: CallTable): string[] {
    const types = new Set(resources.filter((r) => r.custom).map((r) => r.type));
    return [...types].filter((type) => !table[type]).sort();
}

/**
 * Every IAM request `pulumi up` makes for the stack's resources, or only those of the given
 * operations; calls AWS checks no permission for are left out.
 */
export function stackRequests(
    resources: readonly DeclaredResource[],
    table: CallTable,
    only?: readonly Operation[],
): IamRequest[] {
    const view = stackView(resources, (r, stack) => table[r.type]?.arn?.(r, stack) ?? r.state.arn);
    return resources
        .filter((r) => r.custom && table[r.type])
        .flatMap((r) => {
            const operations = operationsOf(r).filter((op) => !only || only.includes(op));
            return requestsFor(table[r.type], r, view, operations);
        })
        .filter((request) => request.noPermission === undefined);
}

/** The requests `policy` does not allow, described with the simulator's reason. */
export async function deniedRequests(
    requests: readonly IamRequest[],
    policy: PolicyDocument,
): Promise<string[]> {
    const denied = new Set<string>();
    for (const request of requests) {
        const verdict = await simulate(request, policy);
        if (!verdict.allowed) denied.add(`${describeRequest(request)} (${verdict.detail})`);
    }
    return [...denied];
}

/**
 * What `policy` grants that no request uses: an action of an Allow statement that no request
 * makes on one of the statement's resources, or a resource of it that no request of its
 * actions names.
 */
export function unusedGrants(policy: PolicyDocument, requests: readonly IamRequest[]): string[] {
    const unused: string[] = [];
    for (const [index, statement] of asList(policy.Statement).entries()) {
        if (statement.Effect !== "Allow") continue;
        const label = statement.Sid ?? `#${index}`;
        const actions = asList(statement.Action).map((a) => a.toLowerCase());
        const patterns = asList(statement.Resource).map((r) => ({ r, re: wildcardPattern(r) }));
        const uses = requests.filter((q) => actions.includes(q.action.toLowerCase()));
        for (const action of actions) {
            const used = uses.some(
                (q) => q.action.toLowerCase() === action && patterns.some((p) => p.re.test(q.arn)),
            );
            if (!used) unused.push(`${label}: ${action} is used by no call`);
        }
        for (const { r, re } of patterns) {
            if (!uses.some((q) => re.test(q.arn)))
                unused.push(`${label}: ${r} is named by no call`);
        }
    }
    return unused;
}
