// What every Lambda function of the program has before its code: its log group and its role.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaTrustPolicy } from "./policy-documents";

/** A function's log group and the role it runs as (no permissions yet: the caller adds them). */
export interface LambdaIdentity {
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly role: aws.iam.Role;
}

/**
 * The log group `/aws/lambda/<functionName>` (where Lambda writes the function's logs,
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html), declared so
 * its retention is ours, and a role of the same name that only Lambda in this account may
 * assume. Logical names: `<prefix>-logs` and `<prefix>-role`.
 */
export function lambdaIdentity(
    prefix: string,
    args: {
        readonly functionName: pulumi.Output<string>;
        readonly description: string;
        readonly logRetentionDays: number;
        readonly account: pulumi.Output<string>;
    },
    parent: pulumi.Resource,
): LambdaIdentity {
    const logGroup = new aws.cloudwatch.LogGroup(
        `${prefix}-logs`,
        {
            name: pulumi.interpolate`/aws/lambda/${args.functionName}`,
            retentionInDays: args.logRetentionDays,
        },
        { parent },
    );
    const role = new aws.iam.Role(
        `${prefix}-role`,
        {
            name: args.functionName,
            description: args.description,
            assumeRolePolicy: pulumi.jsonStringify(lambdaTrustPolicy(args.account)),
        },
        { parent },
    );
    return { logGroup, role };
}
