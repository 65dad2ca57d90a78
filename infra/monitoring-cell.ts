import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import { declareAlertTopic } from "./alert-topic";
import { MaintenanceCloseout } from "./maintenance-closeout";
import { declareMonitor } from "./monitor-lambda";
import type { MonitoringCellArgs } from "./monitoring-cell-args";
import { PagingAlarms, pagingAlarmList, type PagingAlarmNames } from "./paging-alarms";

export { clusterEnvironment } from "./monitor-environment";
export type { MonitoringCellArgs } from "./monitoring-cell-args";

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

        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const { key, topic } = declareAlertTopic(
            name,
            {
                region,
                suffix: args.suffix,
                partition,
                account,
                topicName: physical("dr-alerts"),
                alertEmails: config.alertEmails,
            },
            this,
        );
        const monitor = declareMonitor(name, args, physical("dr-monitor"), account, this);

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
        this.functionName = monitor.fn.name;
        this.functionArn = monitor.fn.arn;
        this.monitorRoleArn = monitor.role.arn;
        this.logGroupName = monitor.logGroup.name;
        this.pagingAlarms = alarms.names;
        this.pagingAlarmArns = alarms.arns;
        this.suppressorAlarmName = alarms.suppressorName;
        this.maintenanceParameterName = monitor.maintenance.name;
        this.alarmArns = alarms.alarmArns;
        this.registerOutputs({
            topicArn: this.topicArn,
            functionName: this.functionName,
            pagingAlarms: this.pagingAlarms,
        });
    }
}
