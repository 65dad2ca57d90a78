import type {
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { METRIC_NAMESPACE, METRICS } from "../monitor-function/src/contract";

/** The component that holds the pair; its `deletionProtection` prop is the stack's config. */
export const PAIR_TYPE = "aurora-dsql-dr:database:PeeredClusterPair";

type Statement = { Action?: string | string[]; NotAction?: string | string[] };

/** Properties that hold IAM-style policy documents, by resource type. */
const POLICY_PROPERTIES: Record<string, string[]> = {
    "aws:iam/role:Role": ["assumeRolePolicy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:iam/policy:Policy": ["policy"],
    "aws:kms/key:Key": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
};

const asList = (value: unknown): string[] =>
    ([] as string[]).concat((value as string | string[]) ?? []);
const documentOf = (value: unknown): { Statement?: Statement | Statement[] } | undefined => {
    if (value === undefined || value === null || value === "") return undefined;
    return typeof value === "string" ? JSON.parse(value) : (value as { Statement?: Statement[] });
};

export const noDefaultProvider: ResourceValidationPolicy = {
    name: "no-default-provider",
    description:
        "Every resource names an explicit provider, so the ambient AWS region never decides where it goes.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type.startsWith("pulumi:providers:") || !args.provider) return;
        if (args.provider.name.startsWith("default")) {
            report(
                `${args.type} ${args.name} uses the default provider ${args.provider.name}; pass an explicit provider.`,
            );
        }
    },
};

export const encryptedTopics: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description:
        "SNS topics are encrypted at rest with a customer-managed key (CloudWatch alarms cannot publish to alias/aws/sns).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:sns/topic:Topic") return;
        const key = args.props.kmsMasterKeyId as string | undefined;
        if (!key)
            report(
                `Topic ${args.name} is not encrypted: set kmsMasterKeyId to a customer-managed key.`,
            );
        else if (key === "alias/aws/sns" || key.endsWith(":alias/aws/sns")) {
            report(
                `Topic ${args.name} uses the AWS-managed alias/aws/sns key, which CloudWatch alarms cannot use.`,
            );
        }
    },
};

export const encryptedQueues: ResourceValidationPolicy = {
    name: "sqs-queue-encrypted",
    description: "SQS queues are encrypted at rest (SSE-SQS or a KMS key).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:sqs/queue:Queue") return;
        if (args.props.sqsManagedSseEnabled !== true && !args.props.kmsMasterKeyId) {
            report(
                `Queue ${args.name} is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId.`,
            );
        }
    },
};

export const noWildcardActions: ResourceValidationPolicy = {
    name: "no-wildcard-iam-actions",
    description: "No policy document grants a wildcard action or uses NotAction.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        for (const property of POLICY_PROPERTIES[args.type] ?? []) {
            const document = documentOf(args.props[property]);
            for (const statement of ([] as Statement[]).concat(document?.Statement ?? [])) {
                if (statement.NotAction) report(`${args.name}.${property} uses NotAction.`);
                for (const action of asList(statement.Action)) {
                    if (action.includes("*"))
                        report(`${args.name}.${property} grants the wildcard action "${action}".`);
                }
            }
        }
    },
};

/**
 * Protection follows the stack's config, whatever the stack is called: when the pair's
 * component says deletionProtection (from `aurora-dsql-dr:deletionProtection`), every
 * cluster and peering under it carries Pulumi protect and every cluster deletion
 * protection. Retiring a stack turns the config off first (`./task retire`), so this
 * mandatory policy accepts the retirement and still refuses a program that drops either.
 */
export const protectedClusters: StackValidationPolicy = {
    name: "clusters-protected-as-configured",
    description:
        "Aurora DSQL clusters and peerings carry Pulumi protect, and clusters deletion protection, whenever the stack's deletionProtection config is on.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const pair of args.resources.filter((r) => r.type === PAIR_TYPE)) {
            if (pair.props.deletionProtection !== true) continue;
            const members = args.resources.filter(
                (r) =>
                    r.parent?.urn === pair.urn &&
                    (r.type === "aws:dsql/cluster:Cluster" ||
                        r.type === "aws:dsql/clusterPeering:ClusterPeering"),
            );
            for (const r of members) {
                if (r.opts.protect !== true)
                    report(
                        `${r.name} is not protected although the stack's deletionProtection is on: set the Pulumi protect option.`,
                    );
                if (
                    r.type === "aws:dsql/cluster:Cluster" &&
                    r.props.deletionProtectionEnabled !== true
                ) {
                    report(
                        `${r.name} has deletion protection off although the stack's deletionProtection is on.`,
                    );
                }
            }
        }
    },
};

export const monitorSilenceBreaches: ResourceValidationPolicy = {
    name: "monitor-silence-breaching",
    description:
        "The monitor-health alarm treats missing data as breaching, so a silent monitor pages.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:cloudwatch/metricAlarm:MetricAlarm") return;
        if (
            args.props.namespace !== METRIC_NAMESPACE ||
            args.props.metricName !== METRICS.monitorHealth.name
        )
            return;
        if (args.props.treatMissingData !== "breaching") {
            report(
                `${args.name} treats missing data as "${args.props.treatMissingData ?? "missing"}"; use "breaching".`,
            );
        }
    },
};

export const alarmTopicsUseCustomerKeys: StackValidationPolicy = {
    name: "alarm-topics-customer-managed-key",
    description:
        "Every SNS topic an alarm notifies is a topic of this stack encrypted with a KMS key of this stack.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const topics = new Map(
            args.resources
                .filter((r) => r.type === "aws:sns/topic:Topic")
                .map((r) => [r.props.arn as string, r]),
        );
        const keyArns = new Set(
            args.resources
                .filter((r) => r.type === "aws:kms/key:Key")
                .map((r) => r.props.arn as string),
        );
        for (const alarm of args.resources.filter(
            (r) =>
                r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" ||
                r.type === "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        )) {
            const targets = [...asList(alarm.props.alarmActions), ...asList(alarm.props.okActions)];
            for (const target of targets.filter(
                (t) => t.startsWith("arn:") && t.split(":")[2] === "sns",
            )) {
                const topic = topics.get(target);
                if (!topic)
                    report(`${alarm.name} notifies ${target}, which is not a topic of this stack.`);
                else if (!keyArns.has(topic.props.kmsMasterKeyId)) {
                    report(
                        `${alarm.name} notifies ${topic.name}, which is not encrypted with a customer-managed key of this stack.`,
                    );
                }
            }
        }
    },
};

export const resourcePolicies: ResourceValidationPolicy[] = [
    noDefaultProvider,
    encryptedTopics,
    encryptedQueues,
    noWildcardActions,
    monitorSilenceBreaches,
];

export const stackPolicies: StackValidationPolicy[] = [
    protectedClusters,
    alarmTopicsUseCustomerKeys,
];
