import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { MOCK_ACCOUNT } from "../../tools/pulumi-host/mock-program";
import type { IamRequest } from "./iam-requests";
import { resolvedResourceType, simulateAs } from "./iam-resource-type";
import type { PolicyDocument } from "./stack";

/** The principal the CI roles' requests come from. */
const CI_PRINCIPAL = `arn:aws:iam::${MOCK_ACCOUNT}:role/ci`;

export interface Verdict {
    readonly allowed: boolean;
    /** Why not, when not: the simulator's decision or its validation error. */
    readonly detail: string;
}

/** What the simulator needs of a request: a provider call's, or an operator command's. */
export type SimulatedRequest = Pick<IamRequest, "action" | "arn" | "context" | "resourcePolicy">;

const verdicts = new Map<string, Promise<Verdict>>();

/**
 * Whether `policy`, as the caller's only identity policy, lets it make the request, by
 * @cloud-copilot/iam-simulate (IAM's evaluation logic, in process), with the resource's own
 * policy where it has one (a KMS key policy must let the account's IAM policies decide).
 * Identical requests are simulated once.
 */
export function simulate(request: SimulatedRequest, policy: PolicyDocument): Promise<Verdict> {
    const key = JSON.stringify([
        request.action,
        request.arn,
        request.context,
        request.resourcePolicy,
        policy,
    ]);
    let verdict = verdicts.get(key);
    if (!verdict) {
        verdict = run(request, policy);
        verdicts.set(key, verdict);
    }
    return verdict;
}

async function run(request: SimulatedRequest, policy: PolicyDocument): Promise<Verdict> {
    const simulation: Simulation = {
        request: {
            principal: CI_PRINCIPAL,
            action: request.action,
            resource: { resource: request.arn, accountId: MOCK_ACCOUNT },
            contextVariables: request.context,
        },
        identityPolicies: [{ name: "role", policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: request.resourcePolicy,
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
        return ambiguous(result.errors)
            ? runAsNamedType(request, simulation)
            : notSimulated(result.errors);
    }
    if (result.resultType === "wildcard") {
        // A call on "*" (DescribeAlarms listing composite alarms) needs "*" itself allowed,
        // not only some narrower pattern the policy names.
        const star = result.results.find((r) => r.resourcePattern === request.arn);
        const allowed = result.overallResult === "Allowed" && star?.analysis.result === "Allowed";
        const patterns = result.results.map((r) => `${r.resourcePattern}: ${r.analysis.result}`);
        return { allowed, detail: `on "*" only as ${patterns.join(", ") || "nothing"}` };
    }
    const ignored = result.result.ignoredContextKeys?.length
        ? ` (context keys that do not apply: ${result.result.ignoredContextKeys.join(", ")})`
        : "";
    return {
        allowed: result.overallResult === "Allowed",
        detail: `${result.overallResult}${ignored}`,
    };
}

const notSimulated = (errors: unknown): Verdict => ({
    allowed: false,
    detail: `not simulated: ${JSON.stringify(errors)}`,
});

const ambiguous = (errors: unknown) =>
    (errors as { message?: string }).message === "multiple.resource.types";

/** An ARN several resource types match, simulated as the type it names (iam-resource-type.ts). */
async function runAsNamedType(request: SimulatedRequest, simulation: Simulation): Promise<Verdict> {
    const [service, action] = request.action.split(":");
    const type = await resolvedResourceType(service, action, request.arn);
    if (!type) return notSimulated({ message: "multiple.resource.types", arn: request.arn });
    const result = await simulateAs(simulation, type);
    return { allowed: result === "Allowed", detail: `${result} (as ${type.key})` };
}

/** `action on arn` for messages, with the resource it was made for. */
export const describeRequest = (r: IamRequest) =>
    `${r.operation} ${r.resource.type} ${r.resource.name}: ${r.action} on ${r.arn}`;
