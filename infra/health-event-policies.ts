import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { healthRuleName } from "./health-event-pattern";

/**
 * Policies of the "redundancy at risk" page's delivery, as typed documents: the statements the
 * cluster Regions' alert topic and key policies need so the page's rule can publish, and the
 * policy of the role that hands events from a Region without a topic to the cluster Regions.
 */

type PolicyDocument = aws.types.input.iam.PolicyDocument;
type PolicyStatement = aws.types.input.iam.PolicyStatement;

/**
 * ARN of the page's rule in `region`. Its name is fixed by the suffix, so a cell's topic and
 * key policies can name the rule without depending on it (the rule targets the topic).
 */
export function healthRuleArn(
    partition: pulumi.Input<string>,
    account: pulumi.Input<string>,
    region: string,
    suffix: pulumi.Input<string>,
): pulumi.Output<string> {
    const name = pulumi.output(suffix).apply(healthRuleName);
    return pulumi.interpolate`arn:${partition}:events:${region}:${account}:rule/${name}`;
}

/**
 * Topic-policy statement letting this stack's AWS Health rule in the topic's region publish
 * the "redundancy at risk" page: EventBridge publishes to SNS only when the topic policy allows
 * `events.amazonaws.com` sns:Publish
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions),
 * here from that one rule of this account. To sit beside alertTopicPolicy's CloudWatch statement.
 */
export function healthEventsTopicStatement(
    topicArn: pulumi.Input<string>,
    account: pulumi.Input<string>,
    healthRuleArn: pulumi.Input<string>,
): PolicyStatement {
    return {
        Sid: "HealthEventsPublish",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: topicArn,
        Condition: {
            StringEquals: { "aws:SourceAccount": account },
            ArnEquals: { "aws:SourceArn": healthRuleArn },
        },
    };
}

/**
 * Key-policy statement letting that rule's deliveries be encrypted with the alert topic's
 * customer-managed key: a topic encrypted with a customer-managed key receives EventBridge's
 * messages only if the key policy grants EventBridge kms:Decrypt and kms:GenerateDataKey
 * (https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * Held to the rule and the account as alertKeyPolicy holds CloudWatch to this stack's alarms.
 */
export function healthEventsKeyStatement(
    account: pulumi.Input<string>,
    healthRuleArn: pulumi.Input<string>,
): PolicyStatement {
    return {
        Sid: "HealthEventsEncryptPages",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: {
            StringEquals: { "aws:SourceAccount": account },
            ArnEquals: { "aws:SourceArn": healthRuleArn },
        },
    };
}

/**
 * Policy of the role a Region without an alert topic (the witness, a backup Region) uses to
 * hand AWS Health events to the cluster Regions' default event buses: events:PutEvents on
 * exactly those buses (cross-Region event-bus targets need such a role:
 * https://repost.aws/knowledge-center/eventbridge-centralized-bus-to-bus,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html).
 */
export function healthForwardPolicy(busArns: readonly pulumi.Input<string>[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ForwardToClusterRegionBuses",
                Effect: "Allow",
                Action: ["events:PutEvents"],
                Resource: [...busArns],
            },
        ],
    };
}
