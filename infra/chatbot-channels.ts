// AWS Chatbot channels of the DR alerts: one notifications-only role, one configuration per Slack or Teams channel.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CONFIGURATION_NAME_PREFIX, type AlertRouting } from "./alert-config";
import { serviceTrustPolicy } from "./policy-documents";

type PolicyDocument = aws.types.input.iam.PolicyDocument;

export interface ChatChannelsArgs {
    readonly routing: AlertRouting;
    /** Every cluster region's alert topic: each channel hears from both regions. */
    readonly topicArns: pulumi.Input<string>[];
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
}

/** The channel configurations and the role they assume. */
export interface ChatChannels {
    readonly configurationArns: pulumi.Output<string>[];
    readonly roleArn: pulumi.Output<string>;
}

/**
 * The Slack and Teams channels of `args.routing`, each subscribed to every topic of
 * `args.topicArns`; `name` prefixes their logical names, `inChatbotRegion` places them.
 */
export function declareChatChannels(
    name: string,
    args: ChatChannelsArgs,
    inChatbotRegion: { parent: pulumi.Resource; provider: aws.Provider },
): ChatChannels {
    const { routing } = args;
    const chatConfigurations: pulumi.Output<string>[] = [];
    const account = aws.getCallerIdentityOutput({}, inChatbotRegion).accountId;
    const role = new aws.iam.Role(
        `${name}-chatbot-role`,
        {
            name: pulumi.interpolate`dr-chatbot-${args.suffix}`,
            description: "AWS Chatbot channels of the Aurora DSQL DR alerts: notifications only",
            assumeRolePolicy: pulumi.jsonStringify(chatbotTrustPolicy(account)),
        },
        inChatbotRegion,
    );
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-chatbot-policy`,
        { role: role.id, policy: pulumi.jsonStringify(chatbotNotificationPolicy()) },
        inChatbotRegion,
    );
    const configurationName = (channel: string) =>
        pulumi.interpolate`${CONFIGURATION_NAME_PREFIX}-${args.suffix}-${channel}`;
    const common = {
        iamRoleArn: role.arn,
        snsTopicArns: args.topicArns,
        // Never empty: Chatbot applies AdministratorAccess when no guardrail is set.
        guardrailPolicyArns: [...routing.guardrailPolicyArns],
        // Delivery failures reach CloudWatch Logs; successful posts are not logged.
        loggingLevel: "ERROR",
    };
    const options = { ...inChatbotRegion, dependsOn: [rolePolicy] };
    for (const channel of routing.slack) {
        const configuration = new aws.chatbot.SlackChannelConfiguration(
            `${name}-slack-${channel.name}`,
            {
                ...common,
                configurationName: configurationName(channel.name),
                slackTeamId: channel.workspaceId,
                slackChannelId: channel.channelId,
            },
            options,
        );
        chatConfigurations.push(configuration.chatConfigurationArn);
    }
    for (const channel of routing.teams) {
        const configuration = new aws.chatbot.TeamsChannelConfiguration(
            `${name}-teams-${channel.name}`,
            {
                ...common,
                configurationName: configurationName(channel.name),
                teamId: channel.teamId,
                channelId: channel.channelId,
                tenantId: channel.tenantId,
            },
            options,
        );
        chatConfigurations.push(configuration.chatConfigurationArn);
    }
    return { configurationArns: chatConfigurations, roleArn: role.arn };
}

/**
 * Trust of the channel role: AWS Chatbot, on behalf of this account only
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-iam-policies.html; the
 * service principal is chatbot.amazonaws.com).
 */
export function chatbotTrustPolicy(account: pulumi.Input<string>): PolicyDocument {
    return serviceTrustPolicy("chatbot.amazonaws.com", account);
}

/**
 * What a notifications-only channel needs. Delivery itself (subscribing to the topics,
 * posting) is done by Chatbot's service-linked role, AWSServiceRoleForAWSChatbot ("Amazon
 * SNS notifications, CloudWatch Logs",
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/slr-permissions.html); the AWS CDK's
 * channel role carries no policy at all by default. The console's "Notification
 * permissions" template adds CloudWatch reads so that alarm notifications can show the
 * alarm and its metric graph (cloudwatch:Describe*, Get*, List*; the CDK's
 * addNotificationPermissions: "retrieve metric graphs from AWS CloudWatch"). These are the
 * three reads that serves, named (no wildcard). The two Get actions take no resource-level
 * permissions; DescribeAlarms stays on "*" as in AWS's template, since a narrower resource
 * that Chatbot's call does not match would silently drop the alarm details.
 */
export function chatbotNotificationPolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ShowAlarmsAndGraphsInNotifications",
                Effect: "Allow",
                Action: [
                    "cloudwatch:DescribeAlarms",
                    "cloudwatch:GetMetricData",
                    "cloudwatch:GetMetricWidgetImage",
                ],
                Resource: "*",
            },
        ],
    };
}
