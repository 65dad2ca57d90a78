// The encrypted SNS topic a region's pages notify: its key, who may publish, its e-mail subscriptions.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    healthEventsKeyStatement,
    healthEventsTopicStatement,
    healthRuleArn,
} from "./health-event-policies";
import { alertKeyPolicy, alertTopicPolicy } from "./policy-documents";

export interface AlertTopicArgs {
    readonly region: string;
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    readonly partition: pulumi.Output<string>;
    readonly account: pulumi.Output<string>;
    /** Physical name of the topic, which its key alias and description repeat. */
    readonly topicName: pulumi.Output<string>;
    readonly alertEmails: readonly string[];
}

/** The topic and the key it is encrypted with. */
export interface EncryptedTopic {
    readonly key: aws.kms.Key;
    readonly topic: aws.sns.Topic;
}

/**
 * Customer-managed key (CloudWatch cannot publish to a topic encrypted with the AWS-managed
 * alias/aws/sns key), topic, topic policy, e-mail subscriptions; `name` prefixes their
 * logical names.
 */
export function declareAlertTopic(
    name: string,
    args: AlertTopicArgs,
    parent: pulumi.Resource,
): EncryptedTopic {
    const { region, partition, account, topicName } = args;
    const arnPrefix = (service: string) =>
        pulumi.interpolate`arn:${partition}:${service}:${region}:${account}`;
    // Every alarm of this stack is named dr-…-<suffix>-…; only those may use the topic and key.
    const alarmArnPattern = pulumi.interpolate`${arnPrefix("cloudwatch")}:alarm:dr-*-${args.suffix}-*`;
    // This stack's AWS Health rule in this region publishes the "redundancy at risk" page.
    const healthRule = healthRuleArn(partition, account, region, args.suffix);

    const key = new aws.kms.Key(
        `${name}-alerts-key`,
        {
            description: pulumi.interpolate`Encrypts the DR alert topic ${topicName}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.jsonStringify(
                alertKeyPolicy(partition, account, region, alarmArnPattern, [
                    healthEventsKeyStatement(account, healthRule),
                ]),
            ),
        },
        { parent },
    );
    new aws.kms.Alias(
        `${name}-alerts-key-alias`,
        { name: pulumi.interpolate`alias/${topicName}`, targetKeyId: key.keyId },
        { parent },
    );
    const topic = new aws.sns.Topic(
        `${name}-alerts`,
        { name: topicName, kmsMasterKeyId: key.arn },
        { parent },
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
        { parent },
    );
    args.alertEmails.forEach(
        (email, index) =>
            new aws.sns.TopicSubscription(
                `${name}-alerts-email-${index}`,
                { topic: topic.arn, protocol: "email", endpoint: email },
                { parent },
            ),
    );
    return { key, topic };
}
