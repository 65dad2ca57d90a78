import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { Logger } from "@aws-lambda-powertools/logger";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import {
    CLOSEOUT_ENV,
    closedWindow,
    cloudWatchPages,
    createCloseoutHandler,
    okNotification,
    pagesToResolve,
    type AlarmStateChangeEvent,
    type PageState,
} from "../../monitor-function/src/closeout";

const SUPPRESSOR = "dr-maintenance-x7k2q9-primary";
const OPENED = "2026-12-01T08:00:00.000Z";
const CLOSED = "2026-12-01T09:00:00.000Z";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:dr-alerts-x7k2q9-primary";

/** The suppressor's state-change event as CloudWatch sends it to EventBridge. */
function windowClosed(overrides: Partial<NonNullable<AlarmStateChangeEvent["detail"]>> = {}) {
    return {
        "detail-type": "CloudWatch Alarm State Change",
        account: "123456789012",
        region: "us-east-1",
        detail: {
            alarmName: SUPPRESSOR,
            state: { value: "OK", timestamp: CLOSED },
            previousState: { value: "ALARM", timestamp: OPENED },
            ...overrides,
        },
    } satisfies AlarmStateChangeEvent;
}

const page = (name: string, state: PageState["state"], changedAt: string): PageState => ({
    name,
    arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
    state,
    changedAt: new Date(changedAt),
    description: `PAGE: ${name}`,
});

describe("maintenance close-out: which pages get their OK", () => {
    const window = closedWindow(windowClosed(), SUPPRESSOR)!;

    it("reads the window from the suppressor leaving ALARM", () => {
        assert.deepEqual(window, {
            suppressor: SUPPRESSOR,
            opened: new Date(OPENED),
            closed: new Date(CLOSED),
        });
        const toInsufficient = windowClosed({
            state: { value: "INSUFFICIENT_DATA", timestamp: CLOSED },
        });
        assert.ok(closedWindow(toInsufficient, SUPPRESSOR), "out of ALARM either way");
    });

    it("ignores other alarms, a window opening, and malformed events", () => {
        assert.equal(closedWindow(windowClosed({ alarmName: "dr-page-x" }), SUPPRESSOR), undefined);
        const opening = windowClosed({
            state: { value: "ALARM", timestamp: CLOSED },
            previousState: { value: "OK", timestamp: OPENED },
        });
        assert.equal(closedWindow(opening, SUPPRESSOR), undefined);
        assert.equal(
            closedWindow(windowClosed({ previousState: { value: "ALARM" } }), SUPPRESSOR),
            undefined,
        );
        assert.equal(
            closedWindow({ ...windowClosed(), "detail-type": "Something else" }, SUPPRESSOR),
            undefined,
        );
    });

    it("resolves the pages that are OK and changed state inside the window, and no others", () => {
        const pages = [
            page("recovered-inside", "OK", "2026-12-01T08:30:00.000Z"),
            page("recovered-before", "OK", "2026-12-01T07:00:00.000Z"),
            page("still-down", "ALARM", "2026-12-01T07:00:00.000Z"),
            page("went-down-inside", "ALARM", "2026-12-01T08:40:00.000Z"),
            page("recovered-at-close", "OK", CLOSED),
        ];
        assert.deepEqual(
            pagesToResolve(window, pages).map((p) => p.name),
            ["recovered-inside", "recovered-at-close"],
        );
    });

    it("writes the OK in CloudWatch's notification format, with a plain body for e-mail", () => {
        const p = page("dr-page-x7k2q9-primary-down-from-primary", "OK", "2026-12-01T08:30:00Z");
        const { subject, message } = okNotification(p, window, "123456789012", "us-east-1");
        assert.equal(
            subject,
            'OK: "dr-page-x7k2q9-primary-down-from-primary" in US East (N. Virginia)',
        );
        const body = JSON.parse(message);
        const notification = JSON.parse(body.default);
        // What PagerDuty's CloudWatch integration keys on: the alarm and its new state.
        assert.equal(notification.AlarmName, p.name);
        assert.equal(notification.NewStateValue, "OK");
        assert.equal(notification.OldStateValue, "ALARM");
        assert.equal(notification.AlarmArn, p.arn);
        assert.equal(notification.AWSAccountId, "123456789012");
        assert.match(notification.NewStateReason, /maintenance window/);
        assert.match(body.email, /is OK/);
    });

    it("keeps the subject within SNS's 100 characters", () => {
        const long = page(`dr-page-${"x".repeat(200)}`, "OK", "2026-12-01T08:30:00Z");
        assert.equal(okNotification(long, window, "1", "us-east-1").subject.length, 100);
    });
});

describe("maintenance close-out function", () => {
    const cloudwatch = mockClient(CloudWatchClient);
    const sns = mockClient(SNSClient);
    const env = {
        [CLOSEOUT_ENV.topicArn]: TOPIC,
        [CLOSEOUT_ENV.suppressor]: SUPPRESSOR,
        [CLOSEOUT_ENV.pages]: JSON.stringify(["page-a", "page-b"]),
    };
    const handler = () =>
        createCloseoutHandler({
            env,
            describePages: cloudWatchPages(new CloudWatchClient({ region: "us-east-1" })),
            publish: async (topicArn, subject, message) => {
                await new SNSClient({ region: "us-east-1" }).send(
                    new PublishCommand({
                        TopicArn: topicArn,
                        Subject: subject,
                        Message: message,
                        MessageStructure: "json",
                    }),
                );
            },
            logger: new Logger({ serviceName: "test", logLevel: "SILENT" }),
        });

    beforeEach(() => {
        cloudwatch.reset();
        sns.reset();
        cloudwatch.on(DescribeAlarmsCommand).resolves({
            CompositeAlarms: [
                {
                    AlarmName: "page-a",
                    AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:page-a",
                    StateValue: "OK",
                    StateTransitionedTimestamp: new Date("2026-12-01T08:20:00Z"),
                },
                {
                    AlarmName: "page-b",
                    AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:page-b",
                    StateValue: "ALARM",
                    StateTransitionedTimestamp: new Date("2026-12-01T08:25:00Z"),
                },
            ],
        });
        sns.on(PublishCommand).resolves({ MessageId: "1" });
    });

    it("asks only for the region's pages, as composite alarms, and publishes one OK to the topic", async () => {
        const result = await handler()(windowClosed());
        assert.deepEqual(result.resolved, ["page-a"]);
        const [describe] = cloudwatch.commandCalls(DescribeAlarmsCommand);
        assert.deepEqual(describe.args[0].input, {
            AlarmNames: ["page-a", "page-b"],
            AlarmTypes: ["CompositeAlarm"],
        });
        const publishes = sns.commandCalls(PublishCommand);
        assert.equal(publishes.length, 1);
        assert.equal(publishes[0].args[0].input.TopicArn, TOPIC);
        assert.equal(publishes[0].args[0].input.MessageStructure, "json");
        assert.match(publishes[0].args[0].input.Subject!, /^OK: "page-a"/);
    });

    it("does nothing for an event it does not handle", async () => {
        const result = await handler()(windowClosed({ alarmName: "another" }));
        assert.deepEqual(result.resolved, []);
        assert.equal(cloudwatch.commandCalls(DescribeAlarmsCommand).length, 0);
        assert.equal(sns.commandCalls(PublishCommand).length, 0);
    });

    it("fails loudly when publishing fails, so EventBridge retries it", async () => {
        sns.on(PublishCommand).rejects(new Error("KMS.AccessDeniedException"));
        await assert.rejects(handler()(windowClosed()), /KMS.AccessDeniedException/);
    });
});
