import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "./cluster-pair";
import { CONNECTION_FAILURE_ACTION, drillExperimentArgs } from "./drill-experiment";
import { drillRolePolicy, fisTrustPolicy } from "./policy-documents";

export { CONNECTION_FAILURE_ACTION } from "./drill-experiment";

export interface DrillTemplateArgs {
    /** The cluster the drill breaks; the template lives in its region. */
    readonly cluster: ClusterRef;
    readonly suffix: pulumi.Input<string>;
    /** How long the fault lasts and on what share of connections. */
    readonly durationMinutes: number;
    readonly percentage: number;
    /**
     * Names of the paging alarms in the cluster's region that must not fire while it is
     * drilled (every page there but the drilled cluster's own "down"): any of them stops it.
     */
    readonly otherPages: pulumi.Input<string>[];
    readonly logRetentionDays: number;
}

/**
 * An AWS FIS experiment template that injects connection failures into one cluster
 * (action aws:dsql:cluster-connection-failure on resource type aws:dsql:cluster, with
 * parameters duration and percentage:
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#cluster-connection-failure),
 * run by `./task drill`. Its role may inject that one fault into that one cluster; its log
 * goes to a log group of its own; it stops itself if a page about anything else fires in
 * its region: a drill must not spread. FIS stops an experiment when a stop-condition alarm
 * is in ALARM (https://docs.aws.amazon.com/fis/latest/userguide/stop-conditions.html) and
 * caps the number of stop conditions per template, so one composite alarm (no actions)
 * watches every other page and is the template's single stop condition. A composite rule
 * may name composite alarms
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html),
 * and FIS reads the alarm's state, which an actions suppressor (a maintenance window)
 * does not change.
 */
export class DrillTemplate extends pulumi.ComponentResource {
    public readonly templateId: pulumi.Output<string>;
    /** The composite alarm that stops the drill (listed on the region's dashboard). */
    public readonly guardArn: pulumi.Output<string>;

    constructor(name: string, args: DrillTemplateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:drill:Template", name, {}, opts);
        const parent = { parent: this };
        const { cluster } = args;
        const physical = pulumi.interpolate`dr-drill-${args.suffix}-${cluster.role}`;
        const identity = aws.getCallerIdentityOutput({}, parent);
        const partition = aws.getPartitionOutput({}, parent).partition;

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: pulumi.interpolate`/aws/fis/${physical}`,
                retentionInDays: args.logRetentionDays,
            },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: physical,
                description: `Runs the DR drill of the ${cluster.role} Aurora DSQL cluster (AWS FIS)`,
                assumeRolePolicy: pulumi.jsonStringify(
                    fisTrustPolicy(partition, identity.accountId, cluster.region),
                ),
            },
            parent,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify(
                    drillRolePolicy(
                        cluster,
                        partition,
                        identity.accountId,
                        CONNECTION_FAILURE_ACTION,
                    ),
                ),
            },
            parent,
        );
        const guard = new aws.cloudwatch.CompositeAlarm(
            `${name}-guard`,
            {
                alarmName: pulumi.interpolate`dr-drill-guard-${args.suffix}-${cluster.role}`,
                alarmDescription: `Stops the DR drill of the ${cluster.role} cluster when any other page of its region fires (a stop condition of its AWS FIS template; takes no action itself)`,
                alarmRule: pulumi
                    .all(args.otherPages)
                    .apply((names) => names.map((n) => `ALARM("${n}")`).join(" OR ")),
                actionsEnabled: false,
            },
            parent,
        );
        const template = new aws.fis.ExperimentTemplate(
            `${name}-template`,
            {
                ...drillExperimentArgs({
                    cluster,
                    durationMinutes: args.durationMinutes,
                    percentage: args.percentage,
                    roleArn: role.arn,
                    guardArn: guard.arn,
                    logGroupArn: logGroup.arn,
                }),
                tags: { Name: physical, cluster: cluster.role },
            },
            { parent: this, dependsOn: [policy] },
        );
        this.templateId = template.id;
        this.guardArn = guard.arn;
        this.registerOutputs({ templateId: this.templateId });
    }
}
