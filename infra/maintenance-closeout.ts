import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLOSEOUT_ENV } from "../monitor-function/src/closeout";
import type { ClusterRole } from "../monitor-function/src/contract";
import { declareCloseoutTrigger } from "./closeout-trigger";
import { lambdaIdentity } from "./lambda-identity";
import { closeoutPolicy } from "./policy-documents";

export interface MaintenanceCloseoutArgs {
    readonly role: ClusterRole;
    readonly suffix: pulumi.Input<string>;
    /** The close-out package (the build's `closeout` bundle). */
    readonly code: pulumi.asset.Archive;
    /** The region's maintenance alarm: the actions suppressor of its pages. */
    readonly suppressorName: pulumi.Input<string>;
    readonly suppressorArn: pulumi.Input<string>;
    /** The region's paging alarms. */
    readonly pageNames: pulumi.Input<string>[];
    /** Where the pages notify, and the key that topic is encrypted with. */
    readonly topicArn: pulumi.Input<string>;
    readonly topicKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
}

/**
 * When the region's maintenance window closes (its suppressor alarm leaves ALARM), a small
 * function sends an OK for each page that recovered while the window held its notifications
 * back, so incidents opened before the window are resolved after it. The trigger is the
 * suppressor's own "CloudWatch Alarm State Change" event on the default event bus
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html),
 * which CloudWatch sends whether or not any action runs.
 */
export class MaintenanceCloseout extends pulumi.ComponentResource {
    public readonly functionName: pulumi.Output<string>;

    constructor(
        name: string,
        args: MaintenanceCloseoutArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("aurora-dsql-dr:monitoring:MaintenanceCloseout", name, {}, opts);
        const parent = { parent: this };
        const functionName = pulumi.interpolate`dr-closeout-${args.suffix}-${args.role}`;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;

        const { logGroup, role } = lambdaIdentity(
            name,
            {
                functionName,
                description: "Sends the OK of DR pages that recovered during a maintenance window",
                logRetentionDays: args.logRetentionDays,
                account,
            },
            this,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify(
                    closeoutPolicy(args.topicArn, args.topicKeyArn, logGroup.arn),
                ),
            },
            parent,
        );
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                name: functionName,
                description: "Resolves DR pages whose OK a maintenance window held back",
                role: role.arn,
                runtime: aws.lambda.Runtime.NodeJS24dX,
                architectures: ["arm64"],
                handler: "closeout.closeoutHandler",
                code: args.code,
                memorySize: 128,
                timeout: 30,
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                environment: {
                    variables: {
                        [CLOSEOUT_ENV.topicArn]: args.topicArn,
                        [CLOSEOUT_ENV.suppressor]: args.suppressorName,
                        [CLOSEOUT_ENV.pages]: pulumi.jsonStringify(args.pageNames),
                    },
                },
            },
            { parent: this, dependsOn: [logGroup, policy] },
        );
        declareCloseoutTrigger(
            name,
            { ruleName: functionName, fn, suppressorArn: args.suppressorArn, account },
            this,
        );
        this.functionName = fn.name;
        this.registerOutputs({ functionName: this.functionName });
    }
}
