import { MOCK_ACCOUNT, type DeclaredResource } from "../../tools/pulumi-host/mock-program";
import type { CallSpec, Operation, ProviderEntry, StackView, Target } from "./iam-requests";

/** Small builders for the provider call table (tests/fixtures/provider-api-calls.ts). */

/** The resource's own ARN. */
export const self: Target = (resource, stack) => {
    const arn = stack.arnOf(resource);
    if (!arn) throw new Error(`${resource.type} ${resource.name}: the call table gives it no ARN`);
    return [arn];
};

/** Actions with no resource type are authorized on "*". */
export const star: Target = () => ["*"];

const arn = (service: string, region: string | undefined, resource: string) =>
    `arn:aws:${service}:${region ?? ""}:${MOCK_ACCOUNT}:${resource}`;

/**
 * The role a resource hands to a service (Lambda's `role`, FIS's and an EventBridge target's
 * `roleArn`, Chatbot's and a backup selection's `iamRoleArn`); none when it hands none (an
 * EventBridge target that needs no role).
 */
const passedRole: Target = (r) =>
    [r.inputs.role ?? r.inputs.roleArn ?? r.inputs.iamRoleArn].filter(
        (role): role is string => typeof role === "string",
    );

/** The role an inline policy belongs to (`role` is the role's ID, its name). */
export const policyRole: Target = (r, stack) => {
    const role = stack.resources.find(
        (x) => x.type === "aws:iam/role:Role" && `${x.name}-id` === r.inputs.role,
    );
    return [role?.state.arn ?? arn("iam", "", `role/${r.inputs.role}`)];
};

export const topic: Target = (r) => [r.inputs.topic ?? r.inputs.arn];

export const queueOfUrl: Target = (r) => {
    const [, region, account, name] =
        /^https:\/\/sqs\.([a-z0-9-]+)\.[^/]+\/(\d{12})\/(.+)$/.exec(r.inputs.queueUrl) ?? [];
    return [`arn:aws:sqs:${region}:${account}:${name}`];
};

export const functionByName: Target = (r) => {
    const name: string = r.inputs.function ?? r.inputs.functionName;
    return [name.startsWith("arn:") ? name : arn("lambda", r.region, `function:${name}`)];
};

export const ruleByName: Target = (r) => [arn("events", r.region, `rule/${r.inputs.rule}`)];

/** The cluster a peering belongs to, by identifier. */
export const peeringCluster: Target = (r) => [
    arn("dsql", r.region, `cluster/${r.inputs.identifier}`),
];

export const peerClusters: Target = (r) => [...(r.inputs.clusters as string[])];

const witnessOf = (r: DeclaredResource): string =>
    r.inputs.witnessRegion ?? r.inputs.multiRegionProperties?.witnessRegion;

/** The same cluster ARN in the witness Region, where the witness is also authorized. */
export const inWitnessRegion =
    (of: Target): Target =>
    (r, stack) =>
        of(r, stack).map((a) => a.replace(/^(arn:[^:]+:dsql:)[^:]+/, `$1${witnessOf(r)}`));

export const aliasTargetKey: Target = (r) => [arn("kms", r.region, `key/${r.inputs.targetKeyId}`)];

export const fisActions: Target = (r) =>
    (r.inputs.actions as { actionId: string }[]).map((a) =>
        arn("fis", r.region, `action/${a.actionId}`),
    );

/** A backup vault, by the name a resource gives it (`backupVaultName`). */
export const vaultByName: Target = (r) => [
    arn("backup", r.region, `backup-vault:${r.inputs.backupVaultName}`),
];

/** The customer-managed key a resource is encrypted with (`kmsKeyArn`). */
export const encryptionKey: Target = (r) => [r.inputs.kmsKeyArn];

/** The backup plan a selection belongs to (`planId` is the plan's ID). */
export const selectionPlan: Target = (r, stack) => {
    const plan = stack.resources.find(
        (x) => x.type === "aws:backup/plan:Plan" && `${x.name}-id` === r.inputs.planId,
    );
    if (!plan)
        throw new Error(`${r.type} ${r.name}: no declared backup plan has ID ${r.inputs.planId}`);
    return [plan.state.arn];
};

/** A recovery point in a vault; the service names them, so one stands for all. */
export const recoveryPointIn: Target = (r) => [
    arn("backup", r.region, `recovery-point:${r.inputs.name}-recovery-point`),
];

/** `of`, only when the resource's boolean input `key` is true (a vault's `forceDestroy`). */
export const when =
    (key: string, of: Target): Target =>
    (r, stack) =>
        r.inputs[key] === true ? of(r, stack) : [];

/** `iam:PassRole` of the resource's role to `service`. */
export const passRoleTo = (service: string): CallSpec =>
    call("iam:PassRole", { on: passedRole, context: () => ({ "iam:PassedToService": service }) });

export const witnessRegion = (r: DeclaredResource) => ({ "dsql:WitnessRegion": witnessOf(r) });

/** A call on `on` (default: the resource itself) once it exists. */
export function call(action: string, options: Partial<CallSpec> = {}): CallSpec {
    return { action, on: self, before: false, requestTags: false, ...options };
}

/** A call that creates the resource: carries its tags, and it has none yet. */
export const creating = (action: string, options: Partial<CallSpec> = {}): CallSpec =>
    call(action, { before: true, requestTags: true, ...options });

/** A call that adds tags to the existing resource. */
export const tagging = (action: string, options: Partial<CallSpec> = {}): CallSpec =>
    call(action, { requestTags: true, ...options });

type Calls = Partial<Record<Operation, readonly (CallSpec | string)[]>>;

/** A table entry: plain strings are calls on the resource itself once it exists. */
export function entry(
    source: string,
    calls: Calls,
    arnOf?: (r: DeclaredResource, stack: StackView) => string,
): ProviderEntry {
    const specs = (list: readonly (CallSpec | string)[] = []) =>
        list.map((c) => (typeof c === "string" ? call(c) : c));
    return {
        source,
        arn: arnOf,
        calls: {
            create: specs(calls.create),
            read: specs(calls.read),
            update: specs(calls.update),
            tag: specs(calls.tag),
            untag: specs(calls.untag),
            delete: specs(calls.delete),
        },
    };
}

/** ARN builders for resources whose mocked state carries none. */
export const arns = {
    alias: (r: DeclaredResource) => arn("kms", r.region, r.inputs.name),
    dashboard: (r: DeclaredResource) => r.state.dashboardArn as string,
    experimentTemplate: (r: DeclaredResource) =>
        arn("fis", r.region, `experiment-template/${r.name}-id`),
    chatConfiguration: (kind: string) => (r: DeclaredResource) =>
        arn("chatbot", "", `chat-configuration/${kind}/${r.inputs.configurationName}`),
    /** Route 53 is global: no Region, no account (`arn:aws:route53:::healthcheck/<id>`). */
    healthCheck: (r: DeclaredResource) => `arn:aws:route53:::healthcheck/${r.name}-id`,
};
