import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRole } from "../monitor-function/src/contract";
import type { AlertRouting } from "./alert-config";
import { declareChatChannels } from "./chatbot-channels";
import type { StackConfig } from "./config";
import { regionalProvider } from "./providers";

export { chatbotNotificationPolicy, chatbotTrustPolicy } from "./chatbot-channels";

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

        const chat =
            routing.slack.length + routing.teams.length > 0
                ? declareChatChannels(
                      name,
                      { routing, topicArns: topics.map((t) => t.topicArn), suffix: args.suffix },
                      { parent: this, provider: providerIn(routing.chatbotRegion) },
                  )
                : undefined;

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

        this.chatConfigurationArns = pulumi.all(chat?.configurationArns ?? []);
        this.chatbotRoleArn = chat?.roleArn ?? pulumi.output(undefined);
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
