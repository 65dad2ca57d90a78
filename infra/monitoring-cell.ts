import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ENV,
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    type ClusterRole,
} from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import type { StackConfig } from "./config";
import {
    alertKeyPolicy,
    alertTopicPolicy,
    deadLetterQueuePolicy,
    monitorPolicy,
} from "./policy-documents";

export interface MonitoringCellArgs {
    /** Region role of this cell, used in names: "primary" | "secondary". */
    readonly role: ClusterRole;
    /** The region this cell (and its provider) lives in. */
    readonly region: string;
    /** Both clusters: every cell observes the pair, so one dark region cannot silence it. */
    readonly clusters: readonly ClusterRef[];
    readonly witnessRegion: string;
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    /** The monitor function's build output. */
    readonly code: pulumi.asset.Archive;
    readonly config: StackConfig;
    /** The monitor starts only after these (the peerings), when the pair is ACTIVE. */
    readonly startAfter: pulumi.Resource[];
}

/**
 * The monitoring cell of one region: schedule → monitor Lambda (probes both clusters)
 * → EMF metrics → alarms → encrypted SNS topic → e-mail. Nothing in it depends on the
 * other region, so it keeps paging when the other region is gone.
 */
export class MonitoringCell extends pulumi.ComponentResource {
    public readonly role: ClusterRole;
    public readonly region: string;
    public readonly topicArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly ruleName: pulumi.Output<string>;
    public readonly deadLetterQueueName: pulumi.Output<string>;
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    public readonly alarmNames: pulumi.Output<string[]>;
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: MonitoringCellArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:monitoring:Cell", name, {}, opts);
        const { role, region, config } = args;
        const parent = { parent: this };
        const physical = (base: string) => pulumi.interpolate`${base}-${args.suffix}-${role}`;

        const identity = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent);
        const account = identity.accountId;
        const arnPrefix = (service: string) =>
            pulumi.interpolate`arn:${partition.partition}:${service}:${region}:${account}`;
        // Every alarm of this stack is named dr-…-<suffix>-…; only those may use the topic and key.
        const alarmArnPattern = pulumi.interpolate`${arnPrefix("cloudwatch")}:alarm:dr-*-${args.suffix}-*`;

        // Alerts: customer-managed key (CloudWatch cannot publish to a topic encrypted with
        // the AWS-managed alias/aws/sns key), topic, topic policy, e-mail subscriptions.
        const key = new aws.kms.Key(
            `${name}-alerts-key`,
            {
                description: pulumi.interpolate`Encrypts the DR alert topic ${physical("dr-alerts")}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.jsonStringify(
                    alertKeyPolicy(partition.partition, account, region, alarmArnPattern),
                ),
            },
            parent,
        );
        new aws.kms.Alias(
            `${name}-alerts-key-alias`,
            { name: pulumi.interpolate`alias/${physical("dr-alerts")}`, targetKeyId: key.keyId },
            parent,
        );
        const topic = new aws.sns.Topic(
            `${name}-alerts`,
            { name: physical("dr-alerts"), kmsMasterKeyId: key.arn },
            parent,
        );
        new aws.sns.TopicPolicy(
            `${name}-alerts-policy`,
            {
                arn: topic.arn,
                policy: pulumi.jsonStringify(alertTopicPolicy(topic.arn, account, alarmArnPattern)),
            },
            parent,
        );
        config.alertEmails.forEach(
            (email, index) =>
                new aws.sns.TopicSubscription(
                    `${name}-alerts-email-${index}`,
                    { topic: topic.arn, protocol: "email", endpoint: email },
                    parent,
                ),
        );

        // The monitor function, its log group and its least-privilege role.
        const functionName = physical("dr-monitor");
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-monitor-logs`,
            {
                name: pulumi.interpolate`/aws/lambda/${functionName}`,
                retentionInDays: config.logRetentionDays,
            },
            parent,
        );
        const monitorRole = new aws.iam.Role(
            `${name}-monitor-role`,
            {
                name: functionName,
                description: "Monitor of the Aurora DSQL pair: reads both clusters, writes its log",
                assumeRolePolicy: {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": account } },
                        },
                    ],
                },
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-monitor-policy`,
            {
                role: monitorRole.id,
                policy: monitorPolicy(args.clusters, logGroup.arn, config),
            },
            parent,
        );
        const fn = new aws.lambda.Function(
            `${name}-monitor`,
            {
                name: functionName,
                description: "Probes both Aurora DSQL clusters and emits DR health metrics",
                role: monitorRole.arn,
                runtime: aws.lambda.Runtime.NodeJS24dX,
                architectures: ["arm64"],
                handler: "index.handler",
                code: args.code,
                memorySize: config.lambdaMemoryMb,
                timeout: config.lambdaTimeoutSeconds,
                // -1 is the provider's "no reservation"; 0 would disable the function.
                reservedConcurrentExecutions:
                    config.reservedConcurrency > 0 ? config.reservedConcurrency : -1,
                loggingConfig: {
                    logFormat: "JSON",
                    logGroup: logGroup.name,
                    applicationLogLevel: "INFO",
                    systemLogLevel: "WARN",
                },
                environment: { variables: monitorEnvironment(args, region) },
            },
            { parent: this, dependsOn: [logGroup, rolePolicy, ...args.startAfter] },
        );

        // Schedule with a short retry window (a stale health check is worthless) and a DLQ.
        const rule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            {
                name: physical("dr-health-monitor"),
                description: "Invokes the Aurora DSQL DR monitor",
                scheduleExpression: config.monitoringSchedule,
                state: "ENABLED",
            },
            parent,
        );
        const dlq = new aws.sqs.Queue(
            `${name}-schedule-dlq`,
            {
                name: physical("dr-health-monitor-dlq"),
                sqsManagedSseEnabled: true,
                messageRetentionSeconds: 14 * 24 * 3600,
            },
            parent,
        );
        new aws.sqs.QueuePolicy(
            `${name}-schedule-dlq-policy`,
            {
                queueUrl: dlq.url,
                policy: pulumi.jsonStringify(deadLetterQueuePolicy(dlq.arn, rule.arn)),
            },
            parent,
        );
        const permission = new aws.lambda.Permission(
            `${name}-schedule-invoke`,
            {
                function: fn.name,
                action: "lambda:InvokeFunction",
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
                sourceAccount: account,
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-schedule-target`,
            {
                rule: rule.name,
                arn: fn.arn,
                retryPolicy: {
                    // One period: by then the next scheduled probe supersedes this one.
                    maximumEventAgeInSeconds: Math.max(60, config.schedulePeriodSeconds),
                    maximumRetryAttempts: 2,
                },
                deadLetterConfig: { arn: dlq.arn },
            },
            { parent: this, dependsOn: [permission] },
        );

        // Alarms: notifications come only from alarm state changes (ALARM and OK).
        const actions = { alarmActions: [topic.arn], okActions: [topic.arn] };
        const alarm = (
            suffixName: string,
            alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">,
        ) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${suffixName}`,
                { ...alarmArgs, ...actions },
                parent,
            );
        const clusterAlarms = args.clusters.flatMap((cluster) => {
            // Both verdicts are 0/1 per probe: below 1 for N consecutive periods is bad.
            const verdict = {
                namespace: METRIC_NAMESPACE,
                dimensions: cluster.identifier.apply((id) =>
                    metricDimensions({ identifier: id, region: cluster.region }, region),
                ),
                statistic: "Minimum",
                period: config.schedulePeriodSeconds,
                evaluationPeriods: config.healthAlarmEvaluationPeriods,
                datapointsToAlarm: config.healthAlarmEvaluationPeriods,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
            } as const;
            const where = `${cluster.role} cluster (${cluster.region}) as seen from ${region}`;
            return [
                alarm(`${cluster.role}-cluster-health`, {
                    ...verdict,
                    name: pulumi.interpolate`dr-cluster-health-${args.suffix}-${cluster.role}-from-${role}`,
                    alarmDescription: pulumi.interpolate`Aurora DSQL ${where} is not usable, or its monitor stopped reporting (missing data counts as unhealthy). First check the monitor's summary line in log group ${logGroup.name} (field "clusters"), then the cluster status in the ${cluster.region} console. See docs/runbook.md.`,
                    metricName: METRICS.clusterHealth.name,
                    treatMissingData: "breaching",
                }),
                alarm(`${cluster.role}-peering-health`, {
                    ...verdict,
                    name: pulumi.interpolate`dr-peering-health-${args.suffix}-${cluster.role}-from-${role}`,
                    alarmDescription:
                        `The ${where} no longer names the expected witness (${args.witnessRegion}) ` +
                        `and peer. First check "aws dsql get-cluster --region ${cluster.region}" ` +
                        `multiRegionProperties. Missing data is left to the health alarm.`,
                    metricName: METRICS.peeringHealth.name,
                    treatMissingData: "notBreaching",
                }),
            ];
        });
        // Any error, failed invocation or dropped event within a minute pages.
        const countAlarm = (
            alarmName: string,
            description: string,
            metric: Pick<aws.cloudwatch.MetricAlarmArgs, "namespace" | "metricName" | "dimensions">,
            statistic: "Sum" | "Maximum",
        ) =>
            alarm(alarmName.replace(/^dr-/, ""), {
                name: physical(alarmName),
                alarmDescription: description,
                ...metric,
                statistic,
                period: 60,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
            });
        this.alarms = [
            ...clusterAlarms,
            countAlarm(
                "dr-monitor-errors",
                `The DR monitor in ${region} failed (a defect or bad environment, not a cluster ` +
                    `outage). First check its log group for the error message.`,
                {
                    namespace: "AWS/Lambda",
                    metricName: "Errors",
                    dimensions: { FunctionName: fn.name },
                },
                "Sum",
            ),
            countAlarm(
                "dr-schedule-failures",
                `EventBridge could not invoke the DR monitor in ${region}. First check the ` +
                    `function's resource policy and throttles, then the dead-letter queue.`,
                {
                    namespace: "AWS/Events",
                    metricName: "FailedInvocations",
                    dimensions: { RuleName: rule.name },
                },
                "Sum",
            ),
            countAlarm(
                "dr-schedule-dlq",
                `Scheduled DR checks in ${region} were dropped into the dead-letter queue. First ` +
                    `read a message's ERROR_CODE attribute, then purge the queue once fixed.`,
                {
                    namespace: "AWS/SQS",
                    metricName: "ApproximateNumberOfMessagesVisible",
                    dimensions: { QueueName: dlq.name },
                },
                "Maximum",
            ),
        ];

        this.role = role;
        this.region = region;
        this.topicArn = topic.arn;
        this.functionName = fn.name;
        this.ruleName = rule.name;
        this.deadLetterQueueName = dlq.name;
        this.alarmNames = pulumi.all(this.alarms.map((a) => a.name));
        this.alarmArns = pulumi.all(this.alarms.map((a) => a.arn));
        this.registerOutputs({
            topicArn: this.topicArn,
            functionName: this.functionName,
            ruleName: this.ruleName,
            alarmNames: this.alarmNames,
        });
    }
}

/** The monitor's environment: both clusters, the witness, probe switches and bounds. */
function monitorEnvironment(
    args: MonitoringCellArgs,
    region: string,
): Record<string, pulumi.Input<string>> {
    const variables: Record<string, pulumi.Input<string>> = {
        [ENV.witnessRegion]: args.witnessRegion,
        [ENV.observerRegion]: region,
        [ENV.dataPlaneProbe]: String(args.config.dataPlaneProbe),
        [ENV.databaseUser]: args.config.databaseUser,
        [ENV.controlPlaneTimeoutMs]: String(args.config.probeTimeoutSeconds * 1000),
        [ENV.dataPlaneTimeoutMs]: String(args.config.probeTimeoutSeconds * 1000),
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: "aurora-dsql-dr-monitor",
    };
    for (const cluster of args.clusters) {
        variables[ENV.clusterId(cluster.role)] = cluster.identifier;
        variables[ENV.clusterRegion(cluster.role)] = cluster.region;
        variables[ENV.clusterArn(cluster.role)] = cluster.arn;
        variables[ENV.clusterEndpoint(cluster.role)] = cluster.endpoint;
    }
    return variables;
}
