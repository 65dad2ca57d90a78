import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlertTopic } from "./alert-routing";
import {
    healthEventPattern,
    healthRuleName,
    healthWatchRegions,
    redundancyPageTransformer,
    type PairRegions,
} from "./health-event-pattern";
import { healthForwardPolicy } from "./health-event-policies";
import { serviceTrustPolicy } from "./policy-documents";

export interface HealthEventsArgs {
    /** Both cluster Regions' alert topics (the monitoring cells): the page goes to each. */
    readonly topics: readonly AlertTopic[];
    readonly witnessRegion: string;
    /** Per-stack random suffix of physical names. */
    readonly suffix: pulumi.Input<string>;
    /** Runbook URL without an anchor. */
    readonly runbookUrl: string;
    /** One explicit provider per Region of healthWatchRegions() (the witness's included). */
    readonly providers: Readonly<Record<string, aws.Provider>>;
}

/**
 * The "redundancy at risk" page: AWS Health events about Aurora DSQL and the monitoring path's
 * services, in the cluster Regions and the witness Region, go to both cluster Regions' alert
 * topics. AWS Health delivers an event only to EventBridge in the Region it is about and in
 * that Region's backup Region (https://docs.aws.amazon.com/health/latest/ug/choosing-a-region.html),
 * so a rule watches in each of those Regions. A cluster Region's rule publishes to its own
 * topic; a Region without a topic (the witness, a backup Region outside the pair) hands the
 * event to both cluster Regions' default buses
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html), where their
 * rules publish it. Between its two deliveries every event reaches both topics, and nothing is
 * forwarded twice (no rule forwards into a Region that forwards).
 *
 * A plain EventBridge → SNS notification, not a metric behind the composite alarms: an AWS
 * Health event is AWS reporting its own impairment, which no maintenance window or drill of
 * this product causes, so it pages during a window too (during a drill, an AWS issue in the
 * pair's Regions is a reason to stop the drill). It pages on "open" and again on "closed",
 * costs next to nothing (AWS service events on the default bus are not charged; only the few
 * handed across Regions are), and keeps the event's details, which a metric would lose.
 */
export class HealthEvents extends pulumi.ComponentResource {
    /** Regions a rule watches in. */
    public readonly watchRegions: readonly string[];
    /** The page rule's ARN, by Region. */
    public readonly ruleArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** Role a Region without a topic forwards with, by Region. */
    public readonly forwardRoleArns: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: HealthEventsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:monitoring:HealthEvents", name, {}, opts);
        const pair = pairRegionsOf(name, args);
        const pattern = JSON.stringify(healthEventPattern(pair));
        const transformer = redundancyPageTransformer(pair, args.runbookUrl);
        const ruleName = pulumi.output(args.suffix).apply(healthRuleName);
        this.watchRegions = healthWatchRegions(pair);
        const ruleArns: Record<string, pulumi.Output<string>> = {};
        const forwardRoleArns: Record<string, pulumi.Output<string>> = {};
        for (const region of this.watchRegions) {
            const inRegion = { parent: this, provider: providerIn(name, args, region) };
            const topic = args.topics.find((t) => t.region === region);
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${region}`,
                {
                    name: ruleName,
                    description: topic
                        ? "AWS Health events that put the Aurora DSQL pair's redundancy at risk: page on this region's alert topic"
                        : "AWS Health events that put the Aurora DSQL pair's redundancy at risk: hand them to the cluster regions, which page",
                    eventPattern: pattern,
                },
                inRegion,
            );
            ruleArns[region] = rule.arn;
            if (topic) {
                new aws.cloudwatch.EventTarget(
                    `${name}-${region}-page`,
                    {
                        rule: rule.name,
                        targetId: "redundancy-at-risk-page",
                        arn: topic.topicArn,
                        inputTransformer: transformer,
                    },
                    inRegion,
                );
            } else {
                forwardRoleArns[region] = this.forward(name, args, region, rule, inRegion);
            }
        }
        this.ruleArns = ruleArns;
        this.forwardRoleArns = forwardRoleArns;
        this.registerOutputs({ ruleArns, forwardRoleArns });
    }

    /** Targets the cluster Regions' default buses from `region`, through a role that can only do that. */
    private forward(
        name: string,
        args: HealthEventsArgs,
        region: string,
        rule: aws.cloudwatch.EventRule,
        inRegion: pulumi.CustomResourceOptions,
    ): pulumi.Output<string> {
        const account = aws.getCallerIdentityOutput({}, inRegion).accountId;
        const partition = aws.getPartitionOutput({}, inRegion).partition;
        const buses = args.topics.map((topic) => ({
            region: topic.region,
            arn: pulumi.interpolate`arn:${partition}:events:${topic.region}:${account}:event-bus/default`,
        }));
        const role = new aws.iam.Role(
            `${name}-${region}-forward-role`,
            {
                name: pulumi.interpolate`dr-health-forward-${args.suffix}-${region}`,
                description: `Hands AWS Health events from ${region} to the Aurora DSQL cluster regions' default event buses`,
                assumeRolePolicy: pulumi.jsonStringify(
                    serviceTrustPolicy("events.amazonaws.com", account),
                ),
            },
            inRegion,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-${region}-forward-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify(healthForwardPolicy(buses.map((b) => b.arn))),
            },
            inRegion,
        );
        for (const bus of buses) {
            new aws.cloudwatch.EventTarget(
                `${name}-${region}-to-${bus.region}`,
                { rule: rule.name, targetId: `to-${bus.region}`, arn: bus.arn, roleArn: role.arn },
                { ...inRegion, dependsOn: [policy] },
            );
        }
        return role.arn;
    }
}

/** The pair's Regions, from the two topics (one per cluster role) and the witness. */
function pairRegionsOf(name: string, args: HealthEventsArgs): PairRegions {
    const regionOf = (role: string) => {
        const found = args.topics.filter((t) => t.role === role);
        if (found.length !== 1) {
            throw new Error(
                `HealthEvents ${name}: expected one alert topic of the ${role} region, got ${found.length}`,
            );
        }
        return found[0].region;
    };
    return {
        primary: regionOf("primary"),
        secondary: regionOf("secondary"),
        witness: args.witnessRegion,
    };
}

function providerIn(name: string, args: HealthEventsArgs, region: string): aws.Provider {
    const provider = args.providers[region];
    if (!provider) {
        throw new Error(
            `HealthEvents ${name}: no provider for ${region}; pass one for each region of healthWatchRegions() (the cluster regions, the witness and their AWS Health backup regions)`,
        );
    }
    return provider;
}
