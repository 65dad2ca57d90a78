import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV, NO_MAINTENANCE, type ClusterRole } from "../monitor-function/src/contract";
import type { ClusterRef } from "./cluster-pair";
import type { StackConfig } from "./config";
import type { Detection } from "./detection";
import { failoverSignalMode } from "./failover-signal";
import {
    healthEventsKeyStatement,
    healthEventsTopicStatement,
    healthRuleArn,
} from "./health-event-policies";
import { MaintenanceCloseout } from "./maintenance-closeout";
import { PagingAlarms, pagingAlarmList, type PagingAlarmNames } from "./paging-alarms";
import {
    alertKeyPolicy,
    alertTopicPolicy,
    lambdaTrustPolicy,
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
    /** The maintenance close-out's build output. */
    readonly closeoutCode: pulumi.asset.Archive;
    readonly config: StackConfig;
    readonly detection: Detection;
    /** Runbook URL the paging alarms link to (sections by anchor). */
    readonly runbookUrl: string;
    /** The monitor starts only after these (the peerings), when the pair is ACTIVE. */
    readonly startAfter: pulumi.Resource[];
    /** Pages of this region declared elsewhere (backups): the close-out resolves them too. */
    readonly otherPageNames?: pulumi.Input<string>[];
}

/**
 * The monitoring cell of one region: monitor Lambda (probes both clusters,
 * commits and reads heartbeats) → EMF metrics → child alarms → paging composite alarms
 * (silenced by the region's maintenance window) → encrypted SNS topic → e-mail. Nothing in
 * it depends on the other region, so it keeps paging when the other region is gone.
 */
export class MonitoringCell extends pulumi.ComponentResource {
    public readonly role: ClusterRole;
    public readonly region: string;
    public readonly topicArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    /** The monitor's IAM role (mapped to its database role by the setup). */
    public readonly monitorRoleArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly pagingAlarms: PagingAlarmNames;
    public readonly pagingAlarmArns: PagingAlarmNames;
    public readonly suppressorAlarmName: pulumi.Output<string>;
    public readonly maintenanceParameterName: pulumi.Output<string>;
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
        // This stack's AWS Health rule in this region publishes the "redundancy at risk" page.
        const healthRule = healthRuleArn(partition.partition, account, region, args.suffix);

        // Alerts: customer-managed key (CloudWatch cannot publish to a topic encrypted with
        // the AWS-managed alias/aws/sns key), topic, topic policy, e-mail subscriptions.
        const key = new aws.kms.Key(
            `${name}-alerts-key`,
            {
                description: pulumi.interpolate`Encrypts the DR alert topic ${physical("dr-alerts")}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.jsonStringify(
                    alertKeyPolicy(partition.partition, account, region, alarmArnPattern, [
                        healthEventsKeyStatement(account, healthRule),
                    ]),
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
                policy: pulumi.jsonStringify(
                    alertTopicPolicy(topic.arn, account, alarmArnPattern, [
                        healthEventsTopicStatement(topic.arn, account, healthRule),
                    ]),
                ),
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
                assumeRolePolicy: pulumi.jsonStringify(lambdaTrustPolicy(account)),
            },
            parent,
        );
        // The maintenance window of this region: `./task maintenance` and drills write it,
        // the monitor reads it every round. Its value is theirs, so `pulumi up` leaves it be.
        const maintenance = new aws.ssm.Parameter(
            `${name}-maintenance`,
            {
                name: pulumi.interpolate`/aurora-dsql-dr/${args.suffix}/maintenance`,
                type: "String",
                tier: "Standard",
                value: JSON.stringify(NO_MAINTENANCE),
                description: "Maintenance or drill window of the DR monitor in this region (JSON)",
            },
            { parent: this, ignoreChanges: ["value"] },
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-monitor-policy`,
            {
                role: monitorRole.id,
                policy: monitorPolicy(args.clusters, logGroup.arn, maintenance.arn, config),
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
                environment: {
                    variables: monitorEnvironment(args, region, maintenance.name),
                },
            },
            { parent: this, dependsOn: [logGroup, rolePolicy, ...args.startAfter] },
        );
        // A failed run is not retried: its probe is stale by then, and the next tick comes.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-monitor-async`,
            {
                functionName: fn.name,
                maximumRetryAttempts: 0,
                maximumEventAgeInSeconds: Math.max(60, config.schedulePeriodSeconds),
            },
            parent,
        );

        const alarms = new PagingAlarms(
            `${name}-alarms`,
            {
                observer: role,
                region,
                clusters: args.clusters,
                suffix: args.suffix,
                detection: args.detection,
                dataPlaneProbe: config.dataPlaneProbe,
                topicArn: topic.arn,
                runbookUrl: args.runbookUrl,
            },
            parent,
        );

        // Pages that recover while a maintenance window holds them back get their OK when it closes.
        new MaintenanceCloseout(
            `${name}-closeout`,
            {
                role,
                suffix: args.suffix,
                code: args.closeoutCode,
                suppressorName: alarms.suppressorName,
                suppressorArn: alarms.suppressorArn,
                pageNames: [...pagingAlarmList(alarms.names), ...(args.otherPageNames ?? [])],
                topicArn: topic.arn,
                topicKeyArn: key.arn,
                logRetentionDays: config.logRetentionDays,
            },
            parent,
        );

        this.role = role;
        this.region = region;
        this.topicArn = topic.arn;
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.monitorRoleArn = monitorRole.arn;
        this.logGroupName = logGroup.name;
        this.pagingAlarms = alarms.names;
        this.pagingAlarmArns = alarms.arns;
        this.suppressorAlarmName = alarms.suppressorName;
        this.maintenanceParameterName = maintenance.name;
        this.alarmArns = alarms.alarmArns;
        this.registerOutputs({
            topicArn: this.topicArn,
            functionName: this.functionName,
            pagingAlarms: this.pagingAlarms,
        });
    }
}

/** The two clusters as the monitor and the setup function know them. */
export function clusterEnvironment(
    clusters: readonly ClusterRef[],
    region: string,
): Record<string, pulumi.Input<string>> {
    const variables: Record<string, pulumi.Input<string>> = { [ENV.observerRegion]: region };
    for (const cluster of clusters) {
        variables[ENV.clusterId(cluster.role)] = cluster.identifier;
        variables[ENV.clusterRegion(cluster.role)] = cluster.region;
        variables[ENV.clusterArn(cluster.role)] = cluster.arn;
        variables[ENV.clusterEndpoint(cluster.role)] = cluster.endpoint;
    }
    return variables;
}

/** The monitor's environment: both clusters, the witness, probe switches, bounds and rounds. */
function monitorEnvironment(
    args: MonitoringCellArgs,
    region: string,
    maintenanceParameter: pulumi.Output<string>,
): Record<string, pulumi.Input<string>> {
    const { config, detection: d } = args;
    // The first connect to an IDLE or INACTIVE cluster is slower than usual
    // (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cluster-lifecycle.html): its
    // heartbeat may then take three probe bounds, but no longer than the last round of an
    // invocation has before the function's timeout, nor, with several rounds, than the
    // time to the next round (less a second), and never less than one probe bound.
    const probeMs = config.probeTimeoutSeconds * 1000;
    const wakeUpMs = Math.max(
        probeMs,
        Math.min(
            3 * probeMs,
            (config.lambdaTimeoutSeconds - d.invocationSeconds) * 1000 + probeMs,
            d.rounds > 1 ? (d.intervalSeconds - 1) * 1000 : Infinity,
        ),
    );
    return {
        ...clusterEnvironment(args.clusters, region),
        [ENV.witnessRegion]: args.witnessRegion,
        [ENV.dataPlaneProbe]: String(config.dataPlaneProbe),
        [ENV.databaseUser]: config.databaseUser,
        [ENV.controlPlaneTimeoutMs]: String(probeMs),
        [ENV.dataPlaneTimeoutMs]: String(probeMs),
        [ENV.dataPlaneWakeTimeoutMs]: String(wakeUpMs),
        [ENV.heartbeatStaleSeconds]: String(d.heartbeatStaleSeconds),
        [ENV.probeRounds]: String(d.rounds),
        [ENV.probeIntervalSeconds]: String(d.intervalSeconds),
        [ENV.metricResolution]: String(d.metricResolution),
        [ENV.maintenanceParameter]: maintenanceParameter,
        [ENV.failoverSignal]: failoverSignalMode(
            config.failover.healthChecks,
            config.failover.drillsMoveTraffic,
        ),
        POWERTOOLS_SERVICE_NAME: "aurora-dsql-dr-monitor",
        // Mapped stack traces, only when the package ships the source map.
        ...(config.sourceMaps ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
    };
}
