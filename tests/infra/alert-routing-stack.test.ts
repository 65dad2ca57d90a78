import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { declareStack, type DeclaredStack } from "../../tools/pulumi-host/mock-program";
import { inventory } from "../../tools/docs-gen/inventory";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { resourcesOf } from "../support/stack";

const KEY = "R0ut1ngIntegrationKey1234567890ab";
const PAGERDUTY = `https://events.pagerduty.com/integration/${KEY}/enqueue`;

/** The dev stack with e-mail, a Slack channel and a PagerDuty endpoint, declared under mocks. */
describe("alert routing on the dev stack", () => {
    let declared: DeclaredStack;
    before(async () => {
        declared = await declareStack(
            "dev",
            stackConfig("dev", {
                alertSlack: JSON.stringify([
                    { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23", name: "dr-oncall" },
                ]),
                alertHttpsEndpoints: JSON.stringify([PAGERDUTY]),
            }),
        );
    });

    it("subscribes the Slack channel to both regions' topics through one Chatbot configuration", () => {
        const [slack] = resourcesOf(
            declared,
            "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
        );
        const topics = resourcesOf(declared, "aws:sns/topic:Topic")
            .map((t) => t.state.arn)
            .sort();
        assert.equal(topics.length, 2);
        assert.deepEqual([...slack.inputs.snsTopicArns].sort(), topics);
        assert.equal(
            slack.region,
            "us-east-2",
            "the first cluster region where the Chatbot API exists",
        );
    });

    it("subscribes the PagerDuty endpoint to each region's topic, auto-confirmed, as a secret", () => {
        const https = resourcesOf(declared, "aws:sns/topicSubscription:TopicSubscription").filter(
            (s) => s.inputs.protocol === "https",
        );
        assert.deepEqual(https.map((s) => s.region).sort(), ["us-east-1", "us-east-2"]);
        for (const s of https) {
            assert.equal(s.inputs.endpointAutoConfirms, true);
            assert.equal(typeof s.inputs.endpoint, "object", "a secret, not a plain string");
        }
    });

    it("never shows the integration key in the plan's inventory", () => {
        const rows = JSON.stringify(inventory(declared).map((r) => r.settings));
        assert.ok(!rows.includes(KEY), "the key is not printed");
        assert.match(rows, /https:\[secret\]/);
    });
});
