// What a drill's AWS FIS experiment does: connection failures into one cluster, its stop condition, its log.
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "./cluster-pair";

/** The AWS FIS action that makes connections to an Aurora DSQL cluster fail. */
export const CONNECTION_FAILURE_ACTION = "aws:dsql:cluster-connection-failure";

export interface DrillExperiment {
    /** The cluster the drill breaks. */
    readonly cluster: ClusterRef;
    /** How long the fault lasts and on what share of connections. */
    readonly durationMinutes: number;
    readonly percentage: number;
    /** The role FIS runs the experiment as. */
    readonly roleArn: pulumi.Input<string>;
    /** The alarm whose ALARM state stops the experiment. */
    readonly guardArn: pulumi.Input<string>;
    readonly logGroupArn: pulumi.Input<string>;
}

/** The experiment template's definition (everything but its tags). */
export function drillExperimentArgs(
    e: DrillExperiment,
): Omit<aws.fis.ExperimentTemplateArgs, "tags"> {
    const { cluster } = e;
    return {
        description: pulumi.interpolate`DR drill: connection failures into the ${cluster.role} Aurora DSQL cluster ${cluster.identifier}`,
        roleArn: e.roleArn,
        actions: [
            {
                name: "connection-failure",
                actionId: CONNECTION_FAILURE_ACTION,
                parameters: [
                    { key: "duration", value: `PT${e.durationMinutes}M` },
                    { key: "percentage", value: String(e.percentage) },
                ],
                target: { key: "Clusters", value: "cluster" },
            },
        ],
        targets: [
            {
                name: "cluster",
                resourceType: "aws:dsql:cluster",
                resourceArns: [cluster.arn],
                selectionMode: "ALL",
            },
        ],
        stopConditions: [{ source: "aws:cloudwatch:alarm", value: e.guardArn }],
        logConfiguration: {
            logSchemaVersion: 2,
            // FIS wants the log group's ARN with its ":*" suffix.
            cloudwatchLogsConfiguration: {
                logGroupArn: pulumi.interpolate`${e.logGroupArn}:*`,
            },
        },
    };
}
