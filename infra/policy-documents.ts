import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "./cluster-pair";
import type { StackConfig } from "./config";

/** The IAM, key and resource policies of a monitoring cell, as typed documents. */

type PolicyDocument = aws.types.input.iam.PolicyDocument;
type PolicyStatement = aws.types.input.iam.PolicyStatement;

/**
 * The monitor may read the two clusters and connect to them (as admin or as a custom
 * database role), and write to its own log group. Nothing else.
 */
export function monitorPolicy(
    clusters: readonly ClusterRef[],
    logGroupArn: pulumi.Output<string>,
    config: StackConfig,
): PolicyDocument {
    const clusterArns = clusters.map((c) => c.arn);
    const statements: PolicyStatement[] = [
        {
            Sid: "ReadClusters",
            Effect: "Allow",
            Action: ["dsql:GetCluster"],
            Resource: clusterArns,
        },
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [pulumi.interpolate`${logGroupArn}:log-stream:*`],
        },
    ];
    if (config.dataPlaneProbe) {
        statements.push({
            Sid: "ConnectForSqlProbe",
            Effect: "Allow",
            Action: [config.databaseUser === "admin" ? "dsql:DbConnectAdmin" : "dsql:DbConnect"],
            Resource: clusterArns,
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * Key policy of the alert topic's key: the account administers it through IAM (actions
 * listed, no wildcard), CloudWatch alarms of this account and region may encrypt
 * notifications, and principals of this account may use it only through SNS here.
 */
export function alertKeyPolicy(
    partition: pulumi.Output<string>,
    account: pulumi.Output<string>,
    region: string,
    alarmArnPattern: pulumi.Output<string>,
): PolicyDocument {
    const root = pulumi.interpolate`arn:${partition}:iam::${account}:root`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersKey",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: KEY_ADMIN_ACTIONS,
                Resource: "*",
            },
            {
                Sid: "CloudWatchAlarmsEncryptNotifications",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": alarmArnPattern },
                },
            },
            {
                Sid: "AccountUsesKeyThroughSns",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: {
                    StringEquals: {
                        "kms:CallerAccount": account,
                        "kms:ViaService": `sns.${region}.amazonaws.com`,
                    },
                },
            },
        ],
    };
}

/** Administrative key actions, named one by one (the key policy has no wildcard). */
const KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

/** Only this account's CloudWatch alarms may publish; nothing over plain HTTP. */
export function alertTopicPolicy(
    topicArn: pulumi.Output<string>,
    account: pulumi.Output<string>,
    alarmArnPattern: pulumi.Output<string>,
): PolicyDocument {
    return tlsOnlyResourcePolicy(
        topicArn,
        {
            Sid: "CloudWatchAlarmsPublish",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["sns:Publish"],
            Condition: {
                StringEquals: { "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": alarmArnPattern },
            },
        },
        ["sns:Publish", "sns:Subscribe", "sns:SetTopicAttributes", "sns:GetTopicAttributes"],
    );
}

/** Only the monitor's schedule rule may send to its dead-letter queue; TLS only. */
export function deadLetterQueuePolicy(
    queueArn: pulumi.Output<string>,
    ruleArn: pulumi.Output<string>,
): PolicyDocument {
    return tlsOnlyResourcePolicy(
        queueArn,
        {
            Sid: "ScheduleRuleSendsFailedEvents",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
        },
        ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
    );
}

/** A resource policy: one Allow statement on `resource`, and `actions` denied over plain HTTP. */
function tlsOnlyResourcePolicy(
    resource: pulumi.Output<string>,
    allow: Omit<PolicyStatement, "Effect" | "Resource">,
    actions: string[],
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { ...allow, Effect: "Allow", Resource: resource },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: actions,
                Resource: resource,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}
