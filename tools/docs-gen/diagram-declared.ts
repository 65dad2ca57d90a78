// The declared resources the diagrams read, looked up by type and region in a stable order.
import type { DeclaredResource, DeclaredStack } from "../pulumi-host/mock-program";

export const TYPE = {
    cluster: "aws:dsql/cluster:Cluster",
    peering: "aws:dsql/clusterPeering:ClusterPeering",
    function: "aws:lambda/function:Function",
    invocation: "aws:lambda/invocation:Invocation",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    queue: "aws:sqs/queue:Queue",
    parameter: "aws:ssm/parameter:Parameter",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    experiment: "aws:fis/experimentTemplate:ExperimentTemplate",
} as const;

export type Resource = DeclaredResource;

export const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

export class Declared {
    constructor(private readonly stack: DeclaredStack) {}

    /** Resources of `type` (in `region`), sorted: registration order is asynchronous. */
    of(type: string, region?: string): Resource[] {
        return this.stack.resources
            .filter((r) => r.type === type && (region === undefined || r.region === region))
            .sort((a, b) => a.name.localeCompare(b.name));
    }
}
