import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import { CONFIGURATION_NAME_PREFIX, type AlertRouting } from "./alert-config";
import type { StackConfig } from "./config";
import { serviceTrustPolicy } from "./policy-documents";
import { regionalProvider } from "./providers";

type PolicyDocument = aws.types.input.iam.PolicyDocument;

/** One cluster region's alert topic (a MonitoringCell is one). */
export interface AlertTopic {
    readonly role: ClusterRole;
    readonly region: string;
    readonly topicArn: pulumi.Input<string>;
}

export interface AlertRoutesArgs {
    /** Both cluster regions' alert topics: every destination hears from both regions. */
    readonly topics: readonly AlertTopic[];
    readonly routing: AlertRouting;
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    /**
     * One explicit provider per region: each topic's region (a subscription lives in its
     * topic's region), and `routing.chatbotRegion` when a Slack or Teams channel is set.
     */
    readonly providers: Readonly<Record<string, aws.Provider>>;
}

/**
 * Where alerts go besides e-mail. Chat: one AWS Chatbot channel configuration per Slack or
 * Teams channel, in the Chatbot region, subscribed to both regions' topics, assuming one
 * notifications-only role under the configured guardrails. Paging: per region, one SNS HTTPS
 * subscription per endpoint on that region's topic, auto-confirmed (PagerDuty confirms on
 * its own), its URL a secret. The composite alarms send ALARM and OK to the topics, so an OK
 * resolves what the ALARM opened. The topics stay each region's own: losing one region
 * silences only its own notifications.
 */
export class AlertRoutes extends pulumi.ComponentResource {
    /** ARNs of the Slack and Teams channel configurations. */
    public readonly chatConfigurationArns: pulumi.Output<string[]>;
    /** The role the channel configurations assume, if any channel is configured. */
    public readonly chatbotRoleArn: pulumi.Output<string | undefined>;
    /** ARNs of the HTTPS subscriptions (no URL in them). */
    public readonly httpsSubscriptionArns: pulumi.Output<string[]>;

    constructor(name: string, args: AlertRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:alerting:Routing", name, {}, opts);
        const { routing, topics } = args;
        const providerIn = (region: string): aws.Provider => {
            const provider = args.providers[region];
            if (!provider) {
                throw new Error(
                    `AlertRoutes ${name}: no provider for ${region}; pass one per topic region and for the Chatbot region (${routing.chatbotRegion})`,
                );
            }
            return provider;
        };

        const chatConfigurations: pulumi.Output<string>[] = [];
        let chatbotRoleArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (routing.slack.length + routing.teams.length > 0) {
            const inChatbotRegion = { parent: this, provider: providerIn(routing.chatbotRegion) };
            const account = aws.getCallerIdentityOutput({}, inChatbotRegion).accountId;
            const role = new aws.iam.Role(
                `${name}-chatbot-role`,
                {
                    name: pulumi.interpolate`dr-chatbot-${args.suffix}`,
                    description:
                        "AWS Chatbot channels of the Aurora DSQL DR alerts: notifications only",
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
                snsTopicArns: topics.map((t) => t.topicArn),
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
            chatbotRoleArn = role.arn;
        }

        // Named by index, never by URL: resource names are plain text in state and URNs.
        const subscriptions = topics.flatMap((topic) =>
            routing.httpsEndpoints.map(
                (endpoint, index) =>
                    new aws.sns.TopicSubscription(
                        `${name}-${topic.role}-https-${index}`,
                        {
                            topic: topic.topicArn,
                            protocol: "https",
                            endpoint: pulumi.secret(endpoint.reveal()),
                            // PagerDuty confirms itself; without this, Pulumi could not wait for it.
                            endpointAutoConfirms: true,
                            // No raw delivery: PagerDuty's CloudWatch integration reads the SNS envelope.
                        },
                        { parent: this, provider: providerIn(topic.region) },
                    ),
            ),
        );

        this.chatConfigurationArns = pulumi.all(chatConfigurations);
        this.chatbotRoleArn = chatbotRoleArn;
        this.httpsSubscriptionArns = pulumi.all(subscriptions.map((s) => s.arn));
        this.registerOutputs({
            chatConfigurationArns: this.chatConfigurationArns,
            chatbotRoleArn: this.chatbotRoleArn,
            httpsSubscriptionArns: this.httpsSubscriptionArns,
        });
    }
}

/**
 * The providers AlertRoutes needs, by region: the cluster regions' own, and one more, named
 * "chatbot", only when a chat channel is configured and the Chatbot region is neither
 * cluster region (a Europe or Asia Pacific pair without eu-west-1 or ap-southeast-1).
 */
export function alertProviders(
    clusterProviders: Readonly<Record<string, aws.Provider>>,
    routing: AlertRouting,
    config: StackConfig,
): Record<string, aws.Provider> {
    const region = routing.chatbotRegion;
    const chat = routing.slack.length + routing.teams.length > 0;
    return chat && !clusterProviders[region]
        ? { ...clusterProviders, [region]: regionalProvider("chatbot", region, config) }
        : { ...clusterProviders };
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
