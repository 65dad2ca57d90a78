// The monitor Lambda of one region: its log group, least-privilege role, maintenance window and retries.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NO_MAINTENANCE } from "../monitor-function/src/contract";
import { monitorEnvironment } from "./monitor-environment";
import type { MonitoringCellArgs } from "./monitoring-cell-args";
import { lambdaIdentity } from "./lambda-identity";
import { monitorPolicy } from "./policy-documents";

/** The monitor's resources other parts of the cell refer to. */
export interface DeclaredMonitor {
    readonly fn: aws.lambda.Function;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly maintenance: aws.ssm.Parameter;
}

/** The monitor of the cell `name` (the logical names' prefix), as `functionName`. */
export function declareMonitor(
    name: string,
    args: MonitoringCellArgs,
    functionName: pulumi.Output<string>,
    account: pulumi.Output<string>,
    parent: pulumi.Resource,
): DeclaredMonitor {
    const { config } = args;
    const { logGroup, role } = lambdaIdentity(
        `${name}-monitor`,
        {
            functionName,
            description: "Monitor of the Aurora DSQL pair: reads both clusters, writes its log",
            logRetentionDays: config.logRetentionDays,
            account,
        },
        parent,
    );
    const maintenance = maintenanceParameter(name, args.suffix, parent);
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-monitor-policy`,
        {
            role: role.id,
            policy: monitorPolicy(args.clusters, logGroup.arn, maintenance.arn, config),
        },
        { parent },
    );
    const fn = monitorFunction(name, args, {
        functionName,
        role,
        logGroup,
        maintenance,
        opts: { parent, dependsOn: [logGroup, rolePolicy, ...args.startAfter] },
    });
    // A failed run is not retried: its probe is stale by then, and the next tick comes.
    new aws.lambda.FunctionEventInvokeConfig(
        `${name}-monitor-async`,
        {
            functionName: fn.name,
            maximumRetryAttempts: 0,
            maximumEventAgeInSeconds: Math.max(60, config.schedulePeriodSeconds),
        },
        { parent },
    );
    return { fn, role, logGroup, maintenance };
}

/**
 * The maintenance window of this region: `./task maintenance` and drills write it, the
 * monitor reads it every round. Its value is theirs, so `pulumi up` leaves it be.
 */
function maintenanceParameter(
    name: string,
    suffix: pulumi.Input<string>,
    parent: pulumi.Resource,
): aws.ssm.Parameter {
    return new aws.ssm.Parameter(
        `${name}-maintenance`,
        {
            name: pulumi.interpolate`/aurora-dsql-dr/${suffix}/maintenance`,
            type: "String",
            tier: "Standard",
            value: JSON.stringify(NO_MAINTENANCE),
            description: "Maintenance or drill window of the DR monitor in this region (JSON)",
        },
        { parent, ignoreChanges: ["value"] },
    );
}

/** The function itself: arm64 Node.js, JSON logs to its own group, its environment. */
function monitorFunction(
    name: string,
    args: MonitoringCellArgs,
    parts: {
        functionName: pulumi.Output<string>;
        role: aws.iam.Role;
        logGroup: aws.cloudwatch.LogGroup;
        maintenance: aws.ssm.Parameter;
        opts: pulumi.CustomResourceOptions;
    },
): aws.lambda.Function {
    const { config } = args;
    return new aws.lambda.Function(
        `${name}-monitor`,
        {
            name: parts.functionName,
            description: "Probes both Aurora DSQL clusters and emits DR health metrics",
            role: parts.role.arn,
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
                logGroup: parts.logGroup.name,
                applicationLogLevel: "INFO",
                systemLogLevel: "WARN",
            },
            environment: {
                variables: monitorEnvironment(args, args.region, parts.maintenance.name),
            },
        },
        parts.opts,
    );
}
