import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import * as pulumi from "@pulumi/pulumi";
import { ProviderRegions, regionalProviders } from "../support/mock-regions";
import type { AlertTopic } from "../../infra/alert-routing";
import {
    healthEventPattern,
    redundancyPageTransformer,
    type PairRegions,
} from "../../infra/health-event-pattern";
import { HealthEvents } from "../../infra/health-events";
import {
    healthEventsKeyStatement,
    healthEventsTopicStatement,
    healthRuleArn,
} from "../../infra/health-event-policies";
import { dsqlIssue } from "../fixtures/health-events/variants";
import { matchesPattern, type EventPattern } from "../../tools/simulation/event-pattern";
import { lintPolicy } from "../support/iam-lint";
import { simulate } from "../support/iam-simulation";
import type { IamRequest } from "../support/iam-requests";
import { asList, policyOf, type PolicyDocument } from "../support/stack";

const PROJECT = "aurora-dsql-dr";
const STACK = "dev";
const ACCOUNT = "123456789012";
const SUFFIX = "x7k2q9";
const RUNBOOK = "https://github.com/example-org/aurora-dsql-dr/blob/main/docs/runbook.md";
const topic = (role: "primary" | "secondary", region: string): AlertTopic => ({
    role,
    region,
    topicArn: `arn:aws:sns:${region}:${ACCOUNT}:dr-alerts-${SUFFIX}-${role}`,
});
/** dev: us-east-1 / us-east-2, witness us-west-2. */
const DEV_TOPICS = [topic("primary", "us-east-1"), topic("secondary", "us-east-2")];
const DEV: PairRegions = { primary: "us-east-1", secondary: "us-east-2", witness: "us-west-2" };
/** A Europe pair: no Region of it is an AWS Health backup Region, so us-west-2 watches too. */
const EU_TOPICS = [topic("primary", "eu-west-1"), topic("secondary", "eu-west-2")];
const EU: PairRegions = { primary: "eu-west-1", secondary: "eu-west-2", witness: "eu-west-3" };

interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly region?: string;
}

/**
 * Declares, under Pulumi mocks, the component for dev ("dev") and for a Europe pair ("eu"),
 * each Region through its own explicit provider, and one whose witness has no provider.
 */
async function declare(): Promise<{ resources: Registered[]; unprovided: unknown }> {
    const resources: Registered[] = [];
    const regions = new ProviderRegions(PROJECT, STACK);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const region = regions.seen(args);
                resources.push({ type: args.type, name: args.name, inputs: args.inputs, region });
                const arn =
                    args.type === "aws:cloudwatch/eventRule:EventRule"
                        ? { arn: `arn:aws:events:${region}:${ACCOUNT}:rule/${args.inputs.name}` }
                        : args.type === "aws:iam/role:Role"
                          ? { arn: `arn:aws:iam::${ACCOUNT}:role/${args.inputs.name}` }
                          : {};
                return { id: `${args.name}-id`, state: { ...args.inputs, ...arn } };
            },
            call(args) {
                if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
                    return {
                        accountId: ACCOUNT,
                        arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
                        userId: "ci",
                    };
                }
                if (args.token === "aws:index/getPartition:getPartition") {
                    return { partition: "aws", dnsSuffix: "amazonaws.com" };
                }
                throw new Error(`unmocked call ${args.token}`);
            },
        },
        PROJECT,
        STACK,
        false,
    );
    const providers = regionalProviders([
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
    ]);
    const common = { suffix: SUFFIX, runbookUrl: RUNBOOK, providers };
    const dev = new HealthEvents("dev", {
        ...common,
        topics: DEV_TOPICS,
        witnessRegion: DEV.witness,
    });
    const eu = new HealthEvents("eu", { ...common, topics: EU_TOPICS, witnessRegion: EU.witness });
    let unprovided: unknown;
    try {
        const withoutWitness = { ...providers };
        delete withoutWitness["us-west-2"];
        new HealthEvents("unprovided", {
            ...common,
            providers: withoutWitness,
            topics: DEV_TOPICS,
            witnessRegion: DEV.witness,
        });
    } catch (error) {
        unprovided = error;
    }
    await new Promise((resolve) =>
        pulumi.all([dev.ruleArns, dev.forwardRoleArns, eu.ruleArns]).apply(resolve),
    );
    await pulumi.runtime.disconnect();
    return { resources, unprovided };
}

describe("HealthEvents under Pulumi mocks", () => {
    let resources: Registered[];
    let unprovided: unknown;
    before(async () => {
        ({ resources, unprovided } = await declare());
    });
    const of = (component: string, type: string) =>
        resources.filter((r) => r.type === type && r.name.startsWith(`${component}-`));
    const rules = (component: string) => of(component, "aws:cloudwatch/eventRule:EventRule");
    const targets = (component: string) => of(component, "aws:cloudwatch/eventTarget:EventTarget");
    const ruleIn = (component: string, region: string) => {
        const found = rules(component).filter((r) => r.region === region);
        assert.equal(found.length, 1, `rules of ${component} in ${region}`);
        return found[0];
    };
    const targetsOf = (component: string, rule: Registered) =>
        targets(component).filter(
            (t) => t.region === rule.region && t.inputs.rule === rule.inputs.name,
        );
    /** Where `event`, matched in `region`, ends up: the SNS topics it is published to. */
    const topicsReached = (
        component: string,
        region: string,
        event: unknown,
        hops = 0,
    ): string[] => {
        assert.ok(hops < 3, "events go round in circles");
        const rule = ruleIn(component, region);
        // Every rule is on the default bus: forwarded events land where the local rule sees them.
        assert.equal(rule.inputs.eventBusName, undefined);
        if (!matchesPattern(JSON.parse(rule.inputs.eventPattern) as EventPattern, event)) return [];
        return targetsOf(component, rule).flatMap((target) => {
            const arn = target.inputs.arn as string;
            if (arn.startsWith("arn:aws:sns:")) return [arn];
            const bus = /^arn:aws:events:([a-z0-9-]+):(\d+):event-bus\/default$/.exec(arn);
            assert.ok(bus && bus[2] === ACCOUNT, `target ${arn}`);
            return topicsReached(component, bus[1], event, hops + 1);
        });
    };

    it("is one aurora-dsql-dr:monitoring:HealthEvents component per declaration", () => {
        const components = resources.filter(
            (r) => r.type === "aurora-dsql-dr:monitoring:HealthEvents",
        );
        assert.deepEqual(components.map((c) => c.name).sort(), ["dev", "eu", "unprovided"]);
    });

    it("watches in each Region AWS Health delivers the pair's events to, with the page's pattern", () => {
        assert.deepEqual(
            rules("dev")
                .map((r) => r.region)
                .sort(),
            ["us-east-1", "us-east-2", "us-west-2"],
        );
        assert.deepEqual(
            rules("eu")
                .map((r) => r.region)
                .sort(),
            ["eu-west-1", "eu-west-2", "eu-west-3", "us-west-2"],
        );
        for (const rule of rules("dev")) {
            assert.deepEqual(JSON.parse(rule.inputs.eventPattern), healthEventPattern(DEV));
            assert.equal(rule.inputs.name, `dr-health-events-${SUFFIX}`);
        }
    });

    it("names its rules as the alert topics' and keys' policies expect them", async () => {
        for (const rule of rules("dev")) {
            const expected = healthRuleArn("aws", ACCOUNT, rule.region!, SUFFIX);
            const arn = await new Promise((resolve) => expected.apply(resolve));
            assert.equal(arn, `arn:aws:events:${rule.region}:${ACCOUNT}:rule/${rule.inputs.name}`);
        }
    });

    it("publishes, in each cluster Region, to that Region's topic with the page's message", () => {
        for (const t of DEV_TOPICS) {
            const pageTargets = targetsOf("dev", ruleIn("dev", t.region));
            assert.equal(pageTargets.length, 1);
            assert.equal(pageTargets[0].inputs.arn, t.topicArn);
            assert.deepEqual(
                pageTargets[0].inputs.inputTransformer,
                redundancyPageTransformer(DEV, RUNBOOK),
            );
            assert.equal(pageTargets[0].inputs.roleArn, undefined);
        }
    });

    it("gets a DSQL event about the witness Region, matched in the witness Region, to both cluster topics", () => {
        const event = dsqlIssue(DEV.witness);
        assert.deepEqual(
            topicsReached("dev", DEV.witness, event).sort(),
            DEV_TOPICS.map((t) => t.topicArn).sort(),
        );
        const europe = dsqlIssue(EU.witness);
        assert.deepEqual(
            topicsReached("eu", EU.witness, europe).sort(),
            EU_TOPICS.map((t) => t.topicArn).sort(),
        );
    });

    it("gets an event's backup copy in a Region outside the pair to both cluster topics", () => {
        const copy = dsqlIssue(EU.primary, { deliveredTo: "us-west-2" });
        assert.deepEqual(
            topicsReached("eu", "us-west-2", copy).sort(),
            EU_TOPICS.map((t) => t.topicArn).sort(),
        );
    });

    it("pages nowhere for an event about a Region the pair does not depend on", () => {
        for (const region of [DEV.primary, DEV.secondary, DEV.witness]) {
            assert.deepEqual(
                topicsReached("dev", region, dsqlIssue("eu-west-1", { deliveredTo: region })),
                [],
            );
        }
    });

    it("forwards with a role only events:PutEvents on the two cluster Regions' default buses allows", async () => {
        const roles = of("dev", "aws:iam/role:Role");
        assert.deepEqual(
            roles.map((r) => r.inputs.name),
            [`dr-health-forward-${SUFFIX}-us-west-2`],
        );
        const policies = of("dev", "aws:iam/rolePolicy:RolePolicy");
        assert.equal(policies.length, 1);
        const policy = policyOf(policies[0].inputs.policy);
        const bus = (region: string) => `arn:aws:events:${region}:${ACCOUNT}:event-bus/default`;
        const allowed = async (action: string, arn: string) =>
            (await simulate(request(action, arn), policy)).allowed;
        assert.equal(await allowed("events:PutEvents", bus("us-east-1")), true);
        assert.equal(await allowed("events:PutEvents", bus("us-east-2")), true);
        for (const arn of [
            bus("us-west-2"),
            bus("eu-west-1"),
            `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/another-bus`,
            `arn:aws:events:us-east-1:999999999999:event-bus/default`,
        ]) {
            assert.equal(await allowed("events:PutEvents", arn), false, arn);
        }
        assert.equal(
            await allowed("events:PutRule", `arn:aws:events:us-east-1:${ACCOUNT}:rule/x`),
            false,
        );
        const actions = policy.Statement.flatMap((s) => asList(s.Action));
        assert.deepEqual(actions, ["events:PutEvents"]);
        assert.deepEqual(await lintPolicy(policy), []);
        for (const target of targets("dev").filter((t) => t.inputs.roleArn)) {
            assert.equal(
                target.inputs.roleArn,
                `arn:aws:iam::${ACCOUNT}:role/${roles[0].inputs.name}`,
            );
        }
    });

    it("lets only EventBridge of this account assume the forwarding role", () => {
        const [role] = of("dev", "aws:iam/role:Role");
        assert.deepEqual(policyOf(role.inputs.assumeRolePolicy).Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            },
        ]);
    });

    it("refuses to declare a rule without the provider of its Region, naming it", () => {
        assert.ok(unprovided instanceof Error);
        assert.match(unprovided.message, /no provider for us-west-2/);
    });
});

describe("the alert topic and key statements for the page's rule", () => {
    const region = "us-east-1";
    const ruleArn = `arn:aws:events:${region}:${ACCOUNT}:rule/dr-health-events-${SUFFIX}`;
    const otherRule = `arn:aws:events:${region}:${ACCOUNT}:rule/someone-elses-rule`;
    const topicArn = `arn:aws:sns:${region}:${ACCOUNT}:dr-alerts-${SUFFIX}-primary`;
    const keyArn = `arn:aws:kms:${region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const asEventBridge = async (
        action: string,
        arn: string,
        doc: PolicyDocument,
        sourceArn: string,
    ) => {
        const result = await runSimulation(
            {
                request: {
                    principal: "events.amazonaws.com",
                    action,
                    resource: { resource: arn, accountId: ACCOUNT },
                    contextVariables: { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": sourceArn },
                },
                identityPolicies: [],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                resourcePolicy: doc,
            },
            {},
        );
        assert.notEqual(result.resultType, "error", JSON.stringify(result));
        return (result as { overallResult: string }).overallResult === "Allowed";
    };
    const topicDoc = {
        Version: "2012-10-17",
        Statement: [healthEventsTopicStatement(topicArn, ACCOUNT, ruleArn)],
    } as PolicyDocument;
    const keyDoc = {
        Version: "2012-10-17",
        Statement: [healthEventsKeyStatement(ACCOUNT, ruleArn)],
    } as PolicyDocument;

    it("let the page's rule, and no other rule, publish to the topic", async () => {
        assert.equal(await asEventBridge("sns:Publish", topicArn, topicDoc, ruleArn), true);
        assert.equal(await asEventBridge("sns:Publish", topicArn, topicDoc, otherRule), false);
        assert.equal(await asEventBridge("sns:Subscribe", topicArn, topicDoc, ruleArn), false);
    });

    it("let the page's rule, and no other rule, encrypt with the topic's key", async () => {
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            assert.equal(await asEventBridge(action, keyArn, keyDoc, ruleArn), true, action);
            assert.equal(await asEventBridge(action, keyArn, keyDoc, otherRule), false, action);
        }
        assert.equal(await asEventBridge("kms:Encrypt", keyArn, keyDoc, ruleArn), false);
    });

    it("pass the policy lint", async () => {
        assert.deepEqual(await lintPolicy(topicDoc, topicArn), []);
        assert.deepEqual(await lintPolicy(keyDoc, keyArn), []);
    });
});

/** An IAM request of the forwarding role (only action and ARN matter to the simulation). */
function request(action: string, arn: string): IamRequest {
    return { action, arn, context: {} } as unknown as IamRequest;
}
