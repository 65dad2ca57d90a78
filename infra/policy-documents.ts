import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "./cluster-pair";
import type { StackConfig } from "./config";

/** The IAM, key and resource policies of a monitoring cell, as typed documents. */

type PolicyDocument = aws.types.input.iam.PolicyDocument;
type PolicyStatement = aws.types.input.iam.PolicyStatement;

/**
 * The monitor may read the two clusters and connect to them (as its own database role, or
 * as admin if so configured), read its region's maintenance window, and write to its own
 * log group. Nothing else.
 */
export function monitorPolicy(
    clusters: readonly ClusterRef[],
    logGroupArn: pulumi.Output<string>,
    maintenanceParameterArn: pulumi.Output<string>,
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
            Sid: "ReadMaintenanceWindow",
            Effect: "Allow",
            Action: ["ssm:GetParameter"],
            Resource: [maintenanceParameterArn],
        },
        writeOwnLogs(logGroupArn),
    ];
    if (config.dataPlaneProbe) {
        statements.push({
            Sid: "ConnectForHeartbeat",
            Effect: "Allow",
            Action: [config.databaseUser === "admin" ? "dsql:DbConnectAdmin" : "dsql:DbConnect"],
            Resource: clusterArns,
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * The database setup function alone connects as admin, to put the heartbeat table and the
 * monitors' role in place; it tries its own region's cluster, then the other.
 */
export function setupPolicy(
    clusters: readonly ClusterRef[],
    logGroupArn: pulumi.Output<string>,
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConnectAsAdmin",
                Effect: "Allow",
                Action: ["dsql:DbConnectAdmin"],
                Resource: clusters.map((c) => c.arn),
            },
            writeOwnLogs(logGroupArn),
        ],
    };
}

/**
 * The maintenance close-out reads the region's alarms and publishes OKs to its alert topic.
 * DescribeAlarms returns composite alarms only when allowed on "*"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html);
 * publishing to a topic encrypted with a customer-managed key needs kms:GenerateDataKey and
 * kms:Decrypt on that key (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
export function closeoutPolicy(
    topicArn: pulumi.Input<string>,
    topicKeyArn: pulumi.Input<string>,
    logGroupArn: pulumi.Output<string>,
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadPages",
                Effect: "Allow",
                Action: ["cloudwatch:DescribeAlarms"],
                Resource: "*",
            },
            {
                Sid: "PublishToAlertTopic",
                Effect: "Allow",
                Action: ["sns:Publish"],
                Resource: [topicArn],
            },
            {
                Sid: "EncryptForAlertTopic",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: [topicKeyArn],
            },
            writeOwnLogs(logGroupArn),
        ],
    };
}

function writeOwnLogs(logGroupArn: pulumi.Output<string>): PolicyStatement {
    return {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [pulumi.interpolate`${logGroupArn}:log-stream:*`],
    };
}

/** Trust of a role a service assumes on behalf of this account only (`aws:SourceAccount`). */
export function serviceTrustPolicy(service: string, account: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
        ],
    };
}

/** Trust of a Lambda function's role: Lambda, on behalf of this account only. */
export function lambdaTrustPolicy(account: pulumi.Output<string>): PolicyDocument {
    return serviceTrustPolicy("lambda.amazonaws.com", account);
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
    /** Further publishers' statements (this stack's AWS Health rule). */
    also: PolicyStatement[] = [],
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
            ...also,
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
    /** Further publishers' statements (this stack's AWS Health rule). */
    also: PolicyStatement[] = [],
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
        also,
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
    also: PolicyStatement[] = [],
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { ...allow, Effect: "Allow", Resource: resource },
            ...also,
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

/**
 * Trust of a drill's FIS role: AWS FIS, for experiments of this account and region only
 * (the confused-deputy conditions AWS recommends:
 * https://docs.aws.amazon.com/fis/latest/userguide/getting-started-iam-service-role.html).
 */
export function fisTrustPolicy(
    partition: pulumi.Output<string>,
    account: pulumi.Output<string>,
    region: string,
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "fis.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: {
                        "aws:SourceArn": pulumi.interpolate`arn:${partition}:fis:${region}:${account}:experiment/*`,
                    },
                },
            },
        ],
    };
}

/**
 * What the connection-failure action needs, on exactly one cluster: dsql:InjectError,
 * dsql:GetCluster and tag:GetResources (the action's required permissions,
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#cluster-connection-failure).
 * InjectError is held to this action and this cluster by Aurora DSQL's condition keys
 * dsql:FisActionId and dsql:FisTargetArns, as AWS's own example does (it grants it on "*";
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-iam-condition-keys.html);
 * the Null condition makes the target list required, so ForAllValues cannot pass empty.
 * tag:GetResources has no resource-level permissions. Log delivery to the drill's log
 * group (https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html) needs the
 * four CloudWatch Logs actions of vended-log delivery, and none of them supports a resource
 * type, so only "*" grants them (on log-group ARNs they grant nothing and the experiment
 * fails: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-CWL,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
 * Which log group receives the log is fixed by the template, not by this role.
 */
export function drillRolePolicy(
    cluster: ClusterRef,
    // Partition and account no longer appear in the document (the log statement is on "*").
    _partition: pulumi.Output<string>,
    _account: pulumi.Output<string>,
    actionId: string,
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "InjectIntoThisClusterOnly",
                Effect: "Allow",
                Action: ["dsql:InjectError"],
                Resource: "*",
                Condition: {
                    StringEquals: { "dsql:FisActionId": actionId },
                    "ForAllValues:ArnEquals": { "dsql:FisTargetArns": [cluster.arn] },
                    Null: { "dsql:FisTargetArns": "false" },
                },
            },
            {
                Sid: "ReadThisCluster",
                Effect: "Allow",
                Action: ["dsql:GetCluster"],
                Resource: [cluster.arn],
            },
            {
                Sid: "ResolveTargets",
                Effect: "Allow",
                Action: ["tag:GetResources"],
                Resource: "*",
            },
            {
                Sid: "DeliverExperimentLog",
                Effect: "Allow",
                Action: [
                    "logs:CreateLogDelivery",
                    "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies",
                    "logs:DescribeLogGroups",
                ],
                Resource: "*",
            },
        ],
    };
}
