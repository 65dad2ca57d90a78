import * as pulumi from "@pulumi/pulumi";
import type { DeclaredResource, DeclaredStack } from "../pulumi-host/mock-program";

export interface InventoryRow {
    readonly type: string;
    readonly name: string;
    readonly region?: string;
    readonly physicalName?: string;
    readonly protect: boolean;
    /** The settings a reviewer cares about, as short text. */
    readonly settings: Record<string, string>;
    readonly inputs: Record<string, unknown>;
}

const list = (value: unknown) => ([] as unknown[]).concat(value ?? []);
/**
 * A value as short readable text that wraps at its spaces: `key=value, …` for objects and
 * for FIS's `[{key, value}]` parameter lists, `[a, b]` for other arrays.
 */
function brief(value: unknown): string {
    if (Array.isArray(value)) {
        const keyed = value.every(
            (v) => typeof v === "object" && v !== null && "key" in v && "value" in v,
        );
        return keyed
            ? value.map((v) => `${v.key}=${brief(v.value)}`).join(", ")
            : `[${value.map(brief).join(", ")}]`;
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value)
            .map(([k, v]) => `${k}=${brief(v)}`)
            .join(", ");
    }
    return String(value);
}

/** A JSON document as brief text; other text as it is. */
function briefJson(text: unknown): string {
    try {
        return brief(JSON.parse(String(text)));
    } catch {
        return String(text);
    }
}
/** A secret input, as a mocked engine receives it: never printed. */
const isSecret = (value: unknown) =>
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] ===
        pulumi.runtime.specialSecretSig;
/** The provider's -1 (or nothing) is the config's 0: no reserved concurrency. */
const reserved = (value: unknown) =>
    value === undefined || value === -1 ? "no reserved concurrency" : `reserved ${value}`;
const policy = (value: unknown) =>
    (typeof value === "string" ? JSON.parse(value) : value) as {
        Statement: {
            Effect: string;
            Action?: string | string[];
            Resource?: string | string[];
            Principal?: unknown;
        }[];
    };

/** `value` with every secret replaced by "[secret]", at any depth. */
function redacted(value: unknown): unknown {
    if (isSecret(value)) return "[secret]";
    if (Array.isArray(value)) return value.map(redacted);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v)]));
    }
    return value;
}

/** Key settings per resource type; types not listed show none. */
const SETTINGS: Record<string, (r: DeclaredResource) => Record<string, string>> = {
    "aws:dsql/cluster:Cluster": (r) => ({
        witness: r.inputs.multiRegionProperties?.witnessRegion,
        deletionProtection: String(r.inputs.deletionProtectionEnabled),
    }),
    "aws:dsql/clusterPeering:ClusterPeering": (r) => ({
        peers: list(r.inputs.clusters).join(", "),
        witness: r.inputs.witnessRegion,
    }),
    "aws:cloudwatch/eventRule:EventRule": (r) => ({ schedule: r.inputs.scheduleExpression }),
    "aws:cloudwatch/eventTarget:EventTarget": (r) => ({
        target: r.inputs.arn,
        retry: `max age ${r.inputs.retryPolicy?.maximumEventAgeInSeconds} s, ${r.inputs.retryPolicy?.maximumRetryAttempts} attempts`,
        deadLetterQueue: r.inputs.deadLetterConfig?.arn,
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => ({
        watches: `${r.inputs.namespace} ${r.inputs.metricName} (${brief(r.inputs.dimensions)})`,
        condition: `${r.inputs.statistic} ${r.inputs.comparisonOperator} ${r.inputs.threshold}, ${r.inputs.datapointsToAlarm ?? r.inputs.evaluationPeriods} of ${r.inputs.evaluationPeriods} × ${r.inputs.period} s, missing data ${r.inputs.treatMissingData}${r.inputs.actionsEnabled === false ? ", no actions" : ""}`,
    }),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": (r) => ({
        rule: r.inputs.alarmRule,
        notifies: `${list(r.inputs.alarmActions).join(", ")} (ALARM and OK), suppressed by ${r.inputs.actionsSuppressor?.alarm}`,
    }),
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": (r) => ({
        retries: `${r.inputs.maximumRetryAttempts}, max event age ${r.inputs.maximumEventAgeInSeconds} s`,
    }),
    "aws:lambda/invocation:Invocation": (r) => ({
        runs: `${r.inputs.functionName} with ${briefJson(r.inputs.input)}`,
    }),
    "aws:fis/experimentTemplate:ExperimentTemplate": (r) => ({
        fault: `${r.inputs.actions?.[0]?.actionId} (${brief(r.inputs.actions?.[0]?.parameters)}) on ${list(r.inputs.targets?.[0]?.resourceArns).join(", ")}`,
        stopsOn: list(r.inputs.stopConditions)
            .map((c: any) => c.value)
            .join(", "),
    }),
    "aws:iam/rolePolicy:RolePolicy": (r) =>
        Object.fromEntries(
            policy(r.inputs.policy).Statement.map((s, i) => [
                `statement ${i + 1}`,
                `${s.Effect} ${list(s.Action).join(", ")} on ${list(s.Resource).join(", ")}`,
            ]),
        ),
    "aws:iam/role:Role": (r) => ({
        trust: JSON.stringify(policy(r.inputs.assumeRolePolicy).Statement.map((s) => s.Principal)),
    }),
    "aws:sns/topic:Topic": (r) => ({ encryption: `KMS ${r.inputs.kmsMasterKeyId}` }),
    "aws:sqs/queue:Queue": (r) => ({
        encryption: r.inputs.sqsManagedSseEnabled ? "SSE-SQS" : (r.inputs.kmsMasterKeyId ?? "none"),
    }),
    "aws:kms/key:Key": (r) => ({ rotation: String(r.inputs.enableKeyRotation) }),
    "aws:lambda/function:Function": (r) => ({
        runtime: `${r.inputs.runtime} ${list(r.inputs.architectures).join(",")}`,
        limits: `${r.inputs.memorySize} MB, ${r.inputs.timeout} s, ${reserved(r.inputs.reservedConcurrentExecutions)}`,
    }),
    "aws:cloudwatch/logGroup:LogGroup": (r) => ({ retention: `${r.inputs.retentionInDays} days` }),
    "aws:sns/topicSubscription:TopicSubscription": (r) => ({
        endpoint: `${r.inputs.protocol}:${isSecret(r.inputs.endpoint) ? "[secret]" : r.inputs.endpoint}`,
    }),
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": (r) => ({
        channel: `Slack ${r.inputs.slackTeamId}/${r.inputs.slackChannelId}`,
        topics: list(r.inputs.snsTopicArns).join(", "),
        guardrails: list(r.inputs.guardrailPolicyArns).join(", "),
    }),
    "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration": (r) => ({
        channel: `Teams ${r.inputs.teamId}/${r.inputs.channelId}`,
        topics: list(r.inputs.snsTopicArns).join(", "),
        guardrails: list(r.inputs.guardrailPolicyArns).join(", "),
    }),
};

/** Every declared resource with its physical name and key settings, region by region. */
export function inventory(stack: DeclaredStack): InventoryRow[] {
    return [...stack.resources]
        .sort(
            (a, b) =>
                (a.region ?? "").localeCompare(b.region ?? "") ||
                a.type.localeCompare(b.type) ||
                a.name.localeCompare(b.name),
        )
        .map((r) => ({
            type: r.type,
            name: r.name,
            region: r.region,
            physicalName: r.inputs.name ?? r.inputs.dashboardName,
            protect: r.protect,
            settings: SETTINGS[r.type]?.(r) ?? {},
            inputs: redacted(r.inputs) as Record<string, unknown>,
        }));
}
