import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { inspect } from "node:util";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProviderRegions, regionalProviders } from "../support/mock-regions";
import {
    DEFAULT_GUARDRAIL_POLICY_ARNS,
    parseAlertRouting,
    type AlertContext,
    type AlertRawConfig,
    type AlertRouting,
} from "../../infra/alert-config";
import { alertProviders, AlertRoutes } from "../../infra/alert-routing";
import { ConfigError, type StackConfig } from "../../infra/config";
import { asList, policyOf } from "../support/stack";

const PAGERDUTY_KEY = "3f1c9a7be2d84c06a5b1e9d27c4f8a60";
const PAGERDUTY = `https://events.pagerduty.com/integration/${PAGERDUTY_KEY}/enqueue`;
const WEBHOOK_TOKEN = "s3cr3t-t0ken-q8w7e6";
const WEBHOOK = `https://hooks.example.com/sns/${WEBHOOK_TOKEN}`;
const SLACK = { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" };
const TEAMS = {
    teamId: "5f4f15d2-b958-4f8b-8e3c-1a2b3c4d5e6f",
    channelId: "19%3ab6ef35dc342d4a89a2d7e4e0c0f4f8f5%40thread.tacv2",
    tenantId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
};
/** dev: us-east-1 / us-east-2, one e-mail address. */
const DEV: AlertContext = {
    alertEmails: ["dr-alerts-dev@example.com"],
    clusterRegions: ["us-east-1", "us-east-2"],
};
const json = JSON.stringify;

function accepted(raw: AlertRawConfig, context: AlertContext = DEV): AlertRouting {
    const result = parseAlertRouting(raw, context);
    if ("problems" in result) assert.fail(new ConfigError("dev", result.problems).message);
    return result.routing;
}

/** The ConfigError message for `raw`; fails if it is accepted. Never holds a secret. */
function rejection(raw: AlertRawConfig, context: AlertContext = DEV): string {
    const result = parseAlertRouting(raw, context);
    assert.ok("problems" in result, `expected ${json(raw)} to be rejected`);
    const message = new ConfigError("dev", result.problems).message;
    for (const secret of [PAGERDUTY_KEY, WEBHOOK_TOKEN, "user:pass"]) {
        assert.ok(!message.includes(secret), `the message shows a secret:\n${message}`);
    }
    return message;
}

/** The line of `message` that reports `key` (a config path, namespaced as users write it). */
function problemOf(message: string, key: string): string {
    const line = message.split("\n").find((l) => l.startsWith(`  - aurora-dsql-dr:${key} `));
    assert.ok(line, `expected a problem with ${key} in:\n${message}`);
    return line;
}

describe("alert routing config", () => {
    describe("accepted", () => {
        it("routes nowhere extra by default, with the least-privilege guardrail", () => {
            const routing = accepted({});
            assert.deepEqual(routing.slack, []);
            assert.deepEqual(routing.teams, []);
            assert.deepEqual(routing.httpsEndpoints, []);
            assert.deepEqual(routing.guardrailPolicyArns, DEFAULT_GUARDRAIL_POLICY_ARNS);
            assert.deepEqual(DEFAULT_GUARDRAIL_POLICY_ARNS, [
                "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
            ]);
        });

        it("puts Chatbot in the first cluster region with the Chatbot API, else us-east-2", () => {
            const regionFor = (clusterRegions: string[]) =>
                accepted({}, { ...DEV, clusterRegions }).chatbotRegion;
            assert.equal(regionFor(["us-east-1", "us-east-2"]), "us-east-2"); // dev
            assert.equal(regionFor(["us-east-1", "us-west-2"]), "us-west-2"); // prod
            assert.equal(regionFor(["eu-west-1", "eu-west-2"]), "eu-west-1");
            assert.equal(regionFor(["ap-northeast-1", "ap-northeast-2"]), "us-east-2");
        });

        it("takes an explicit chatbotRegion", () => {
            const routing = accepted({ chatbotRegion: "eu-west-1", alertSlack: json([SLACK]) });
            assert.equal(routing.chatbotRegion, "eu-west-1");
        });

        it("reads Slack and Teams channels, naming them stably when no name is given", () => {
            const raw = {
                alertSlack: json([SLACK, { ...SLACK, channelId: "G01PRIVATE9", name: "oncall" }]),
                alertTeams: json([TEAMS]),
            };
            const routing = accepted(raw);
            assert.deepEqual(routing.slack, [
                { name: "slack-C07EZ1ABC23", ...SLACK },
                { name: "oncall", workspaceId: SLACK.workspaceId, channelId: "G01PRIVATE9" },
            ]);
            assert.equal(routing.teams.length, 1);
            assert.match(routing.teams[0].name, /^teams-[0-9a-f]{8}$/);
            assert.equal(accepted(raw).teams[0].name, routing.teams[0].name);
            assert.deepEqual(
                { ...routing.teams[0], name: undefined },
                { ...TEAMS, name: undefined },
            );
        });

        it("keeps endpoint URLs out of JSON, strings and inspection; reveal() gives the URL", () => {
            const routing = accepted({ alertHttpsEndpoints: json([PAGERDUTY, WEBHOOK]) });
            const [pagerDuty, webhook] = routing.httpsEndpoints;
            assert.equal(pagerDuty.reveal(), PAGERDUTY);
            assert.equal(webhook.reveal(), WEBHOOK);
            assert.equal(String(pagerDuty), "https://events.pagerduty.com/…/enqueue");
            assert.equal(`${webhook}`, "https://hooks.example.com/…");
            const printed = [json(routing), inspect(routing, { depth: 5, showHidden: true })];
            for (const text of printed) {
                assert.ok(!text.includes(PAGERDUTY_KEY) && !text.includes(WEBHOOK_TOKEN), text);
            }
        });

        it("accepts endpoints Pulumi holds encrypted", () => {
            const secretKeys = ["aurora-dsql-dr:alertHttpsEndpoints"];
            const routing = accepted(
                { alertHttpsEndpoints: json([PAGERDUTY]) },
                { ...DEV, secretKeys },
            );
            assert.equal(routing.httpsEndpoints.length, 1);
        });

        it("takes a stack file's ciphertext (what the offline plan reads) as an opaque endpoint", () => {
            const routing = accepted({ alertHttpsEndpoints: json([{ secure: "v1:abc:def" }]) });
            assert.equal(routing.httpsEndpoints[0].masked, "(encrypted)");
            assert.match(routing.httpsEndpoints[0].reveal(), /^https:\/\/[^/]+\.invalid\//);
        });

        it("is frozen", () => {
            const routing = accepted({
                alertSlack: json([SLACK]),
                alertHttpsEndpoints: json([PAGERDUTY]),
            });
            assert.ok(Object.isFrozen(routing));
            assert.ok(Object.isFrozen(routing.slack) && Object.isFrozen(routing.slack[0]));
            assert.ok(Object.isFrozen(routing.httpsEndpoints));
            assert.ok(Object.isFrozen(routing.guardrailPolicyArns));
        });

        it("needs no e-mail when another destination is set", () => {
            accepted({ alertHttpsEndpoints: json([PAGERDUTY]) }, { ...DEV, alertEmails: [] });
        });
    });

    describe("rejected", () => {
        it("alertSlack that is not a list", () => {
            const line = problemOf(rejection({ alertSlack: "C07EZ1ABC23" }), "alertSlack");
            assert.match(line, /= "C07EZ1ABC23": a list of \{workspaceId, channelId, name\?\}/);
            assert.match(line, /a plain string is not a list/);
        });

        it("a Slack entry that is not an object", () => {
            const line = problemOf(
                rejection({ alertSlack: json(["C07EZ1ABC23"]) }),
                "alertSlack[0]",
            );
            assert.match(line, /a Slack channel: an object with workspaceId, channelId/);
        });

        it("a field a Slack channel does not have", () => {
            const raw = { alertSlack: json([{ ...SLACK, channel: "alerts" }]) };
            const line = problemOf(rejection(raw), "alertSlack[0].channel");
            assert.match(
                line,
                /not a field of a Slack channel; its fields are workspaceId, channelId, name/,
            );
        });

        it("a Slack channel without its channel ID", () => {
            const raw = { alertSlack: json([{ workspaceId: SLACK.workspaceId }]) };
            const line = problemOf(rejection(raw), "alertSlack[0].channelId");
            assert.match(line, /is not set: required for a Slack channel/);
        });

        it("a Slack workspace ID outside AWS's SlackTeamId pattern", () => {
            const raw = { alertSlack: json([{ ...SLACK, workspaceId: "t07ea123lep" }]) };
            const line = problemOf(rejection(raw), "alertSlack[0].workspaceId");
            assert.match(
                line,
                /= "t07ea123lep": the Slack workspace ID .* 1-255 upper-case letters and digits/,
            );
        });

        it("a Slack channel name where its ID belongs", () => {
            const raw = { alertSlack: json([{ ...SLACK, channelId: "#dr-alerts" }]) };
            const line = problemOf(rejection(raw), "alertSlack[0].channelId");
            assert.match(line, /= "#dr-alerts": the Slack channel ID .* not its name/);
        });

        it("the same Slack channel twice", () => {
            const raw = { alertSlack: json([SLACK, { ...SLACK, name: "again" }]) };
            const line = problemOf(rejection(raw), "alertSlack[1]");
            assert.match(line, /is already alertSlack\[0\]; list each channel once/);
        });

        it("a Teams team ID that is not a GUID", () => {
            const raw = { alertTeams: json([{ ...TEAMS, teamId: "DR Team" }]) };
            const line = problemOf(rejection(raw), "alertTeams[0].teamId");
            assert.match(line, /= "DR Team": the team's ID, a GUID/);
        });

        it("a Teams tenant ID that is not a GUID", () => {
            const raw = { alertTeams: json([{ ...TEAMS, tenantId: "contoso.onmicrosoft.com" }]) };
            const line = problemOf(rejection(raw), "alertTeams[0].tenantId");
            assert.match(line, /tenant ID, a GUID/);
        });

        it("a decoded Teams channel ID", () => {
            const decoded = decodeURIComponent(TEAMS.channelId);
            const raw = { alertTeams: json([{ ...TEAMS, channelId: decoded }]) };
            const line = problemOf(rejection(raw), "alertTeams[0].channelId");
            assert.match(line, /URL-encoded: 19%3a…%40thread\.tacv2/);
            assert.match(line, /looks decoded: write : as %3a and @ as %40/);
        });

        it("the same Teams channel twice", () => {
            const raw = { alertTeams: json([TEAMS, { ...TEAMS, name: "again" }]) };
            const line = problemOf(rejection(raw), "alertTeams[1]");
            assert.match(line, /is already alertTeams\[0\]; list each channel once/);
        });

        it("two channels of one team, which the provider cannot tell apart", () => {
            const other = "19%3a0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f%40thread.tacv2";
            const raw = { alertTeams: json([TEAMS, { ...TEAMS, channelId: other }]) };
            const line = problemOf(rejection(raw), "alertTeams[1]");
            assert.match(
                line,
                /team 5f4f15d2-.* already has a channel here \(alertTeams\[0\]\); one channel per team/,
            );
            assert.match(line, /terraform-provider-aws#38943/);
        });

        it("a channel name Chatbot would not take", () => {
            const raw = { alertSlack: json([{ ...SLACK, name: "DR alerts" }]) };
            const line = problemOf(rejection(raw), "alertSlack[0].name");
            assert.match(line, /1-111 letters, digits, - and _ .*dr-alerts-<suffix>-<name>.* 128/);
        });

        it("a channel name too long for a 128-character configuration name", () => {
            const raw = { alertSlack: json([{ ...SLACK, name: "x".repeat(112) }]) };
            assert.match(problemOf(rejection(raw), "alertSlack[0].name"), /1-111 letters/);
            accepted({ alertSlack: json([{ ...SLACK, name: "x".repeat(111) }]) });
        });

        it("two channels with one name, Slack and Teams alike", () => {
            const raw = {
                alertSlack: json([{ ...SLACK, name: "oncall" }]),
                alertTeams: json([{ ...TEAMS, name: "OnCall" }]),
            };
            const line = problemOf(rejection(raw), "alertTeams[0].name");
            assert.match(
                line,
                /alertSlack\[0\] has this name already \(names are compared ignoring case\)/,
            );
        });

        it("alertHttpsEndpoints that is not a list, without showing it", () => {
            const line = problemOf(
                rejection({ alertHttpsEndpoints: PAGERDUTY }),
                "alertHttpsEndpoints",
            );
            assert.match(
                line,
                /= "https:\/\/events\.pagerduty\.com\/…\/enqueue": a list of https URLs/,
            );
            assert.match(
                line,
                /pulumi config set --path --secret 'aurora-dsql-dr:alertHttpsEndpoints\[0\]'/,
            );
        });

        it("an endpoint that is not a string", () => {
            const raw = { alertHttpsEndpoints: json([{ url: PAGERDUTY }]) };
            const line = problemOf(rejection(raw), "alertHttpsEndpoints[0]");
            assert.match(line, /characters, hidden\)": an https URL/);
        });

        it("an endpoint that is not a URL", () => {
            const raw = {
                alertHttpsEndpoints: json([`events.pagerduty.com/integration/${PAGERDUTY_KEY}`]),
            };
            const line = problemOf(rejection(raw), "alertHttpsEndpoints[0]");
            assert.match(
                line,
                /= "\(\d+ characters, hidden\)": an absolute https URL without spaces/,
            );
        });

        it("an http endpoint", () => {
            const raw = { alertHttpsEndpoints: json([PAGERDUTY.replace("https:", "http:")]) };
            const line = problemOf(rejection(raw), "alertHttpsEndpoints[0]");
            assert.match(line, /= "http:\/\/events\.pagerduty\.com\/…\/enqueue": https only/);
        });

        it("a private endpoint SNS cannot reach", () => {
            for (const host of [
                "localhost:8443",
                "10.0.12.7",
                "192.168.1.20",
                "[::1]",
                "pd.internal",
            ]) {
                const raw = {
                    alertHttpsEndpoints: json([`https://user:pass@${host}/sns/${WEBHOOK_TOKEN}`]),
                };
                const line = problemOf(rejection(raw), "alertHttpsEndpoints[0]");
                assert.match(
                    line,
                    /a public endpoint: SNS does not deliver to private HTTP\(S\) endpoints/,
                );
            }
        });

        it("PagerDuty's Events API v2 URL instead of the CloudWatch integration's", () => {
            const raw = { alertHttpsEndpoints: json(["https://events.pagerduty.com/v2/enqueue"]) };
            const line = problemOf(rejection(raw), "alertHttpsEndpoints[0]");
            assert.match(
                line,
                /Events API v2 .* not SNS notifications: use .*\/integration\/<integration key>\/enqueue/,
            );
        });

        it("the same endpoint twice", () => {
            const raw = { alertHttpsEndpoints: json([PAGERDUTY, WEBHOOK, PAGERDUTY]) };
            const line = problemOf(rejection(raw), "alertHttpsEndpoints[2]");
            assert.match(line, /already listed as alertHttpsEndpoints\[0\]/);
        });

        it("endpoints stored in plain text", () => {
            const context = { ...DEV, secretKeys: ["aws:region"] };
            const message = rejection({ alertHttpsEndpoints: json([PAGERDUTY]) }, context);
            const line = problemOf(message, "alertHttpsEndpoints");
            assert.match(
                line,
                /= "https:\/\/events\.pagerduty\.com\/…\/enqueue": is stored in plain text/,
            );
            assert.match(line, /set each item with --secret/);
        });

        it("an empty guardrail list (Chatbot would apply AdministratorAccess)", () => {
            const line = problemOf(
                rejection({ chatbotGuardrailPolicies: "[]" }),
                "chatbotGuardrailPolicies",
            );
            assert.match(
                line,
                /at least one policy ARN: with none, AWS Chatbot applies AdministratorAccess/,
            );
        });

        it("a guardrail that is not a managed-policy ARN", () => {
            const role = "arn:aws:iam::123456789012:role/ops";
            const line = problemOf(
                rejection({ chatbotGuardrailPolicies: json([role]) }),
                "chatbotGuardrailPolicies[0]",
            );
            assert.match(
                line,
                /= "arn:aws:iam::123456789012:role\/ops": an IAM managed-policy ARN/,
            );
        });

        it("a service-role policy as a guardrail", () => {
            const arn =
                "arn:aws:iam::aws:policy/aws-service-role/AWSChatbotServiceLinkedRolePolicy";
            const line = problemOf(
                rejection({ chatbotGuardrailPolicies: json([arn]) }),
                "chatbotGuardrailPolicies[0]",
            );
            assert.match(line, /not an aws-service-role policy/);
        });

        it("the same guardrail twice", () => {
            const arn = DEFAULT_GUARDRAIL_POLICY_ARNS[0];
            const line = problemOf(
                rejection({ chatbotGuardrailPolicies: json([arn, arn]) }),
                "chatbotGuardrailPolicies[1]",
            );
            assert.match(line, /already listed as chatbotGuardrailPolicies\[0\]/);
        });

        it("a chatbotRegion without the Chatbot API", () => {
            const raw = { chatbotRegion: "us-east-1", alertSlack: json([SLACK]) };
            const line = problemOf(rejection(raw), "chatbotRegion");
            assert.match(
                line,
                /= "us-east-1": one of the Regions the AWS Chatbot API exists in: us-east-2, us-west-2, eu-west-1, ap-southeast-1/,
            );
            assert.match(line, /here us-east-2/);
        });

        it("a chatbotRegion no channel uses", () => {
            const line = problemOf(rejection({ chatbotRegion: "us-west-2" }), "chatbotRegion");
            assert.match(line, /neither alertSlack nor alertTeams lists one/);
        });

        it("no destination at all", () => {
            const line = problemOf(rejection({}, { ...DEV, alertEmails: [] }), "alertEmail");
            assert.match(
                line,
                /is not set: at least one alert destination is required: alertEmail, alertSlack, alertTeams or alertHttpsEndpoints/,
            );
        });
    });

    it("leaves the destination count to alertEmail's own problem when it was rejected", () => {
        accepted({}, { ...DEV, alertEmails: undefined });
    });
});

// ---------------------------------------------------------------------------------------

const ACCOUNT = "123456789012";
const SUFFIX = "x7k2q9";
const PROJECT = "aurora-dsql-dr";
const STACK = "test";
const topicArn = (region: string, role: string) =>
    `arn:aws:sns:${region}:${ACCOUNT}:dr-alerts-${SUFFIX}-${role}`;
const TOPICS = [
    { role: "primary", region: "us-east-1", topicArn: topicArn("us-east-1", "primary") },
    { role: "secondary", region: "us-east-2", topicArn: topicArn("us-east-2", "secondary") },
] as const;
const SECRET = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig };

interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Region of the resource's explicit provider. */
    readonly region?: string;
}

/**
 * Declares, under Pulumi mocks, what index.ts would: the providers alertProviders picks for
 * three routings (chat in Europe's Chatbot region, chat in dev's, paging only), then three
 * components: "routes" (two Slack channels, one Teams channel, two HTTPS endpoints, Chatbot
 * in a third region), "paging" (HTTPS only, no provider for any Chatbot region) and
 * "unprovided" (a chat channel whose Chatbot region has no provider, which must fail).
 */
async function declareRoutes(): Promise<{
    resources: Registered[];
    unprovided: unknown;
    providerChoices: Record<string, string[]>;
}> {
    const resources: Registered[] = [];
    const regions = new ProviderRegions(PROJECT, STACK);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const region = regions.seen(args);
                resources.push({ type: args.type, name: args.name, inputs: args.inputs, region });
                const arn =
                    args.type === "aws:iam/role:Role"
                        ? { arn: `arn:aws:iam::${ACCOUNT}:role/${args.name}` }
                        : args.type.startsWith("aws:chatbot/")
                          ? {
                                chatConfigurationArn: `arn:aws:chatbot::${ACCOUNT}:chat-configuration/${args.name}`,
                            }
                          : args.type === "aws:sns/topicSubscription:TopicSubscription"
                            ? { arn: `${args.inputs.topic}:${args.name}` }
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
                throw new Error(`unmocked call ${args.token}`);
            },
        },
        PROJECT,
        STACK,
        false,
    );
    const providers = regionalProviders(["us-east-1", "us-east-2", "us-west-2"]);
    const clusterProviders: Record<string, aws.Provider> = {
        "us-east-1": providers["us-east-1"],
        "us-east-2": providers["us-east-2"],
    };
    const config = { stack: STACK, tags: {} } as unknown as StackConfig;
    const regionsOf = (chosen: Record<string, aws.Provider>) =>
        Object.entries(chosen)
            .map(([region, p]) => `${region}${p === clusterProviders[region] ? "" : " (new)"}`)
            .sort();
    const providerChoices = {
        europeChat: regionsOf(
            alertProviders(
                clusterProviders,
                accepted({ alertSlack: json([SLACK]), chatbotRegion: "eu-west-1" }),
                config,
            ),
        ),
        devChat: regionsOf(
            alertProviders(clusterProviders, accepted({ alertSlack: json([SLACK]) }), config),
        ),
        pagingOnly: regionsOf(
            alertProviders(
                clusterProviders,
                accepted({ alertHttpsEndpoints: json([PAGERDUTY]), chatbotRegion: "" }),
                config,
            ),
        ),
    };
    const routing = accepted({
        alertSlack: json([
            SLACK,
            { workspaceId: SLACK.workspaceId, channelId: "G01PRIVATE9", name: "oncall" },
        ]),
        alertTeams: json([{ ...TEAMS, name: "dr-team" }]),
        alertHttpsEndpoints: json([PAGERDUTY, WEBHOOK]),
        chatbotRegion: "us-west-2",
    });
    const routes = new AlertRoutes("routes", {
        topics: TOPICS,
        routing,
        suffix: SUFFIX,
        providers,
    });
    const paging = new AlertRoutes("paging", {
        topics: TOPICS,
        routing: accepted({ alertHttpsEndpoints: json([PAGERDUTY]) }),
        suffix: SUFFIX,
        providers: clusterProviders,
    });
    let unprovided: unknown;
    try {
        new AlertRoutes("unprovided", {
            topics: TOPICS,
            routing: accepted({ alertSlack: json([SLACK]), chatbotRegion: "eu-west-1" }),
            suffix: SUFFIX,
            providers,
        });
    } catch (error) {
        unprovided = error;
    }
    await promiseOf(
        pulumi.all([
            routes.chatConfigurationArns,
            routes.httpsSubscriptionArns,
            paging.httpsSubscriptionArns,
        ]),
    );
    await pulumi.runtime.disconnect();
    return { resources, unprovided, providerChoices };
}

const promiseOf = <T>(output: pulumi.Output<T>): Promise<T> =>
    new Promise((resolve) => output.apply(resolve));

describe("AlertRoutes under Pulumi mocks", () => {
    let resources: Registered[];
    let unprovided: unknown;
    let providerChoices: Record<string, string[]>;
    before(async () => {
        ({ resources, unprovided, providerChoices } = await declareRoutes());
    });
    const of = (component: string, type: string) =>
        resources.filter((r) => r.type === type && r.name.startsWith(`${component}-`));
    const chatConfigurations = (component: string) => [
        ...of(component, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"),
        ...of(component, "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration"),
    ];
    const subscriptions = (component: string) =>
        of(component, "aws:sns/topicSubscription:TopicSubscription");

    it("is one aurora-dsql-dr:alerting:Routing component", () => {
        assert.ok(
            resources.some(
                (r) => r.type === "aurora-dsql-dr:alerting:Routing" && r.name === "routes",
            ),
        );
    });

    it("gives every Slack and Teams channel one configuration subscribed to both regions' topics", () => {
        const configurations = chatConfigurations("routes");
        assert.deepEqual(configurations.map((c) => c.inputs.configurationName).sort(), [
            `dr-alerts-${SUFFIX}-dr-team`,
            `dr-alerts-${SUFFIX}-oncall`,
            `dr-alerts-${SUFFIX}-slack-C07EZ1ABC23`,
        ]);
        for (const configuration of configurations) {
            assert.deepEqual(
                [...configuration.inputs.snsTopicArns].sort(),
                TOPICS.map((t) => t.topicArn).sort(),
            );
        }
        const slack = configurations.find((c) => c.inputs.slackChannelId === SLACK.channelId);
        assert.equal(slack?.inputs.slackTeamId, SLACK.workspaceId);
        const teams = configurations.find((c) => c.inputs.teamId === TEAMS.teamId);
        assert.deepEqual(
            [teams?.inputs.channelId, teams?.inputs.tenantId],
            [TEAMS.channelId, TEAMS.tenantId],
        );
    });

    it("declares the chat configurations and their role in the Chatbot region", () => {
        for (const r of [...chatConfigurations("routes"), ...of("routes", "aws:iam/role:Role")]) {
            assert.equal(r.region, "us-west-2", `${r.type} ${r.name}`);
        }
    });

    it("sets the guardrail on every configuration, and logs delivery errors", () => {
        for (const configuration of chatConfigurations("routes")) {
            assert.deepEqual(configuration.inputs.guardrailPolicyArns, [
                ...DEFAULT_GUARDRAIL_POLICY_ARNS,
            ]);
            assert.equal(configuration.inputs.loggingLevel, "ERROR");
        }
    });

    it("has every configuration assume one role that only Chatbot of this account can assume", () => {
        const roles = of("routes", "aws:iam/role:Role");
        assert.equal(roles.length, 1);
        const [role] = roles;
        for (const configuration of chatConfigurations("routes")) {
            assert.equal(
                configuration.inputs.iamRoleArn,
                `arn:aws:iam::${ACCOUNT}:role/${role.name}`,
            );
        }
        assert.equal(role.inputs.name, `dr-chatbot-${SUFFIX}`);
        const trust = policyOf(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "chatbot.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            },
        ]);
    });

    it("lets the Chatbot role read alarms and graphs, and nothing else, with no wildcard action", () => {
        const policies = of("routes", "aws:iam/rolePolicy:RolePolicy");
        assert.equal(policies.length, 1);
        const statements = policyOf(policies[0].inputs.policy).Statement;
        const actions = statements.flatMap((s) => asList(s.Action));
        assert.ok(statements.every((s) => s.Effect === "Allow" && !("NotAction" in s)));
        assert.ok(
            actions.every((a) => !a.includes("*")),
            actions.join(", "),
        );
        assert.deepEqual(actions.sort(), [
            "cloudwatch:DescribeAlarms",
            "cloudwatch:GetMetricData",
            "cloudwatch:GetMetricWidgetImage",
        ]);
    });

    it("subscribes every HTTPS endpoint to each region's topic, in that region, auto-confirmed", () => {
        const declared = subscriptions("routes");
        assert.equal(declared.length, TOPICS.length * 2);
        for (const topic of TOPICS) {
            const inRegion = declared.filter((s) => s.inputs.topic === topic.topicArn);
            assert.deepEqual(
                inRegion.map((s) => s.region),
                [topic.region, topic.region],
                `subscriptions of the ${topic.role} topic`,
            );
            assert.deepEqual(
                inRegion.map((s) => s.inputs.endpoint.value).sort(),
                [PAGERDUTY, WEBHOOK].sort(),
            );
            for (const s of inRegion) {
                assert.equal(s.inputs.protocol, "https");
                assert.equal(s.inputs.endpointAutoConfirms, true);
                // PagerDuty's CloudWatch integration reads the SNS envelope.
                assert.notEqual(s.inputs.rawMessageDelivery, true);
            }
        }
    });

    it("hands every endpoint to the engine as a secret, and shows its URL nowhere else", () => {
        for (const s of subscriptions("routes")) {
            assert.deepEqual(
                Object.keys(s.inputs.endpoint).sort(),
                [...Object.keys(SECRET), "value"].sort(),
            );
            assert.equal(
                s.inputs.endpoint[pulumi.runtime.specialSigKey],
                pulumi.runtime.specialSecretSig,
            );
        }
        const withoutSecrets = (value: unknown): unknown =>
            JSON.parse(
                JSON.stringify(value, (_, v) =>
                    v &&
                    typeof v === "object" &&
                    v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
                        ? "[secret]"
                        : v,
                ),
            );
        const visible = json(
            resources.map((r) => ({ name: r.name, inputs: withoutSecrets(r.inputs) })),
        );
        assert.ok(!visible.includes(PAGERDUTY_KEY) && !visible.includes(WEBHOOK_TOKEN), visible);
    });

    it("declares no Chatbot role or configuration, and needs no Chatbot provider, for HTTPS only", () => {
        assert.deepEqual(chatConfigurations("paging"), []);
        assert.deepEqual(of("paging", "aws:iam/role:Role"), []);
        assert.deepEqual(
            subscriptions("paging").map((s) => [s.region, s.inputs.topic]),
            TOPICS.map((t) => [t.region, t.topicArn]),
        );
    });

    it("adds a tagged Chatbot-region provider only for chat channels outside the cluster regions", () => {
        assert.deepEqual(providerChoices.europeChat, ["eu-west-1 (new)", "us-east-1", "us-east-2"]);
        assert.deepEqual(providerChoices.devChat, ["us-east-1", "us-east-2"]);
        assert.deepEqual(providerChoices.pagingOnly, ["us-east-1", "us-east-2"]);
        const chatbot = resources.filter(
            (r) => r.type === "pulumi:providers:aws" && r.name === "chatbot",
        );
        assert.equal(chatbot.length, 1);
        assert.equal(chatbot[0].inputs.region, "eu-west-1");
        assert.ok(JSON.stringify(chatbot[0].inputs.defaultTags).includes("managed-by"));
    });

    it("refuses a Chatbot region it has no provider for, naming it", () => {
        assert.ok(unprovided instanceof Error);
        assert.match(unprovided.message, /no provider for eu-west-1/);
    });
});
