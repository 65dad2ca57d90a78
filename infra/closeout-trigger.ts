// What invokes the maintenance close-out: the suppressor alarm leaving ALARM, as an EventBridge rule.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CloseoutTrigger {
    /** Name of the rule (the close-out function's own). */
    readonly ruleName: pulumi.Input<string>;
    readonly fn: aws.lambda.Function;
    /** The maintenance alarm whose state change closes the window. */
    readonly suppressorArn: pulumi.Input<string>;
    readonly account: pulumi.Input<string>;
}

/**
 * The rule on the suppressor's "CloudWatch Alarm State Change" event (previous state ALARM),
 * its permission to invoke the function, and the target; `name` prefixes their logical names.
 */
export function declareCloseoutTrigger(
    name: string,
    t: CloseoutTrigger,
    parent: pulumi.Resource,
): void {
    const rule = new aws.cloudwatch.EventRule(
        `${name}-rule`,
        {
            name: t.ruleName,
            description: "The region's DR maintenance window closed",
            eventPattern: pulumi.jsonStringify({
                source: ["aws.cloudwatch"],
                "detail-type": ["CloudWatch Alarm State Change"],
                resources: [t.suppressorArn],
                detail: { previousState: { value: ["ALARM"] } },
            }),
        },
        { parent },
    );
    const permission = new aws.lambda.Permission(
        `${name}-invoke`,
        {
            function: t.fn.name,
            action: "lambda:InvokeFunction",
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
            sourceAccount: t.account,
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(
        `${name}-target`,
        {
            rule: rule.name,
            arn: t.fn.arn,
            // Late is still useful (an incident stays open until it comes), so retry for an hour.
            retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
        },
        { parent, dependsOn: [permission] },
    );
}
