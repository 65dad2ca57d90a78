import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import { deadLetterQueuePolicy } from "./policy-documents";

export interface MonitorScheduleArgs {
    readonly role: ClusterRole;
    /** The monitor function it invokes. */
    readonly functionName: pulumi.Input<string>;
    readonly functionArn: pulumi.Input<string>;
    readonly suffix: pulumi.Input<string>;
    readonly scheduleExpression: string;
    readonly schedulePeriodSeconds: number;
    /** The schedule starts only after these: the database setup, or the peerings. */
    readonly startAfter: pulumi.Resource[];
    /**
     * The monitoring cell that declared these resources in the first release, as
     * `<cell>-schedule…`: aliases keep their identity, so an upgrade moves them instead of
     * creating same-named ones and then deleting the old ones (which, for a rule or queue
     * AWS creates by upsert, would delete the live one).
     */
    readonly formerParent?: pulumi.Resource;
}

/**
 * The EventBridge schedule of one region's monitor. A scheduled event that cannot be
 * delivered is retried for one period at most (a stale health check is worthless), then
 * lands in an encrypted dead-letter queue that only this rule may write to.
 */
export class MonitorSchedule extends pulumi.ComponentResource {
    public readonly ruleName: pulumi.Output<string>;
    public readonly deadLetterQueueName: pulumi.Output<string>;

    constructor(name: string, args: MonitorScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:monitoring:Schedule", name, {}, opts);
        const formerParent = args.formerParent;
        /** Options of a resource the first release named `<cell>-schedule<tail>`. */
        const moved = (tail: string, opts: pulumi.CustomResourceOptions = {}) => ({
            parent: this,
            ...opts,
            aliases: formerParent
                ? [
                      {
                          name: `${pulumi.resourceName(formerParent)}-schedule${tail}`,
                          parent: formerParent,
                      },
                  ]
                : [],
        });
        const physical = (base: string) => pulumi.interpolate`${base}-${args.suffix}-${args.role}`;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        const rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                name: physical("dr-health-monitor"),
                description: "Invokes the Aurora DSQL DR monitor",
                scheduleExpression: args.scheduleExpression,
                state: "ENABLED",
            },
            moved("", { dependsOn: args.startAfter }),
        );
        const dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            {
                name: physical("dr-health-monitor-dlq"),
                sqsManagedSseEnabled: true,
                messageRetentionSeconds: 14 * 24 * 3600,
            },
            moved("-dlq"),
        );
        new aws.sqs.QueuePolicy(
            `${name}-dlq-policy`,
            {
                queueUrl: dlq.url,
                policy: pulumi.jsonStringify(deadLetterQueuePolicy(dlq.arn, rule.arn)),
            },
            moved("-dlq-policy"),
        );
        const permission = new aws.lambda.Permission(
            `${name}-invoke`,
            {
                function: args.functionName,
                action: "lambda:InvokeFunction",
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
                sourceAccount: account,
            },
            moved("-invoke"),
        );
        new aws.cloudwatch.EventTarget(
            `${name}-target`,
            {
                rule: rule.name,
                arn: args.functionArn,
                retryPolicy: {
                    // One period: by then the next scheduled probe supersedes this one.
                    maximumEventAgeInSeconds: Math.max(60, args.schedulePeriodSeconds),
                    maximumRetryAttempts: 2,
                },
                deadLetterConfig: { arn: dlq.arn },
            },
            moved("-target", { dependsOn: [permission] }),
        );
        this.ruleName = rule.name;
        this.deadLetterQueueName = dlq.name;
        this.registerOutputs({ ruleName: this.ruleName });
    }
}
