/** An alert topic: who is subscribed, and what CloudWatch says it delivered. */
import {
    CloudWatchClient,
    GetMetricDataCommand,
    type GetMetricDataCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { maskUrl } from "../../infra/alert-config";

export interface Subscription {
    readonly protocol: string;
    readonly endpoint: string;
    readonly confirmed: boolean;
}

/**
 * Every subscription of `topicArn`. An unconfirmed one is listed with the SubscriptionArn
 * "PendingConfirmation" and receives nothing until confirmed.
 * https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
 */
export async function listSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
    const found: Subscription[] = [];
    let NextToken: string | undefined;
    do {
        const page = await sns.send(
            new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }),
        );
        for (const s of page.Subscriptions ?? []) {
            found.push({
                protocol: s.Protocol ?? "unknown",
                // An HTTPS endpoint's URL carries its integration key: never report it whole.
                endpoint: /^https?$/.test(s.Protocol ?? "")
                    ? maskUrl(s.Endpoint ?? "")
                    : (s.Endpoint ?? ""),
                confirmed: s.SubscriptionArn !== "PendingConfirmation",
            });
        }
        NextToken = page.NextToken;
    } while (NextToken);
    return found;
}

/** Warnings an operator must see before paging through `topicArn`. */
export function subscriptionWarnings(topicArn: string, subscriptions: Subscription[]): string[] {
    const pending = subscriptions.filter((s) => !s.confirmed);
    const warnings = pending.map(
        (s) => `${topicArn}: ${s.protocol} subscription ${s.endpoint} is PendingConfirmation`,
    );
    if (subscriptions.length === pending.length) {
        warnings.push(`${topicArn} has no confirmed subscription: a page would reach nobody`);
    }
    return warnings;
}

export interface Deliveries {
    readonly published: number;
    readonly delivered: number;
    readonly failed: number;
}

const DELIVERY_METRICS = {
    published: "NumberOfMessagesPublished",
    delivered: "NumberOfNotificationsDelivered",
    failed: "NumberOfNotificationsFailed",
} as const;

/**
 * Per-minute sums of the topic's AWS/SNS metrics over [start, end].
 * https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
 */
export function deliveriesInput(
    topicArn: string,
    start: Date,
    end: Date,
): GetMetricDataCommandInput {
    const topicName = topicArn.split(":").at(-1)!;
    return {
        StartTime: start,
        EndTime: end,
        MetricDataQueries: Object.entries(DELIVERY_METRICS).map(([Id, MetricName]) => ({
            Id,
            MetricStat: {
                Metric: {
                    Namespace: "AWS/SNS",
                    MetricName,
                    Dimensions: [{ Name: "TopicName", Value: topicName }],
                },
                Period: 60,
                Stat: "Sum",
            },
        })),
    };
}

export async function readDeliveries(
    cloudwatch: CloudWatchClient,
    input: GetMetricDataCommandInput,
): Promise<Deliveries> {
    const sums: Record<string, number> = { published: 0, delivered: 0, failed: 0 };
    let NextToken: string | undefined;
    do {
        const page = await cloudwatch.send(new GetMetricDataCommand({ ...input, NextToken }));
        for (const result of page.MetricDataResults ?? []) {
            sums[result.Id!] += (result.Values ?? []).reduce((a, b) => a + b, 0);
        }
        NextToken = page.NextToken;
    } while (NextToken);
    return { published: sums.published, delivered: sums.delivered, failed: sums.failed };
}
