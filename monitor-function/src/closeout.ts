/**
 * The maintenance close-out: when a region's maintenance window closes, every page of the
 * region that recovered while the window held its notifications back gets its OK, so an
 * incident opened before the window (PagerDuty, Slack) is resolved after it.
 *
 * Why: a composite alarm takes no action while its actions suppressor is in ALARM
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html).
 * When the suppressor leaves ALARM the composite acts "based on [its] current states" once
 * the ExtensionPeriod ends, but AWS documents that only for a composite that went to ALARM
 * meanwhile; an OK reached while suppressed may never be sent. The close-out does not rely
 * on it: it runs on the suppressor's own state change (an EventBridge "CloudWatch Alarm
 * State Change" event, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html),
 * reads the region's pages (DescribeAlarms, which returns composite alarms only to a caller
 * allowed on "*", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html)
 * and publishes an OK in CloudWatch's own notification format for each page that is OK now
 * and changed state inside the window. A second OK, should CloudWatch send one too, resolves
 * nothing twice: incident tools close an incident once.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";

/** Environment variables the program sets on the close-out function. */
export const CLOSEOUT_ENV = {
    /** The region's alert topic. */
    topicArn: "CLOSEOUT_TOPIC_ARN",
    /** The suppressor alarm whose closing window this function handles. */
    suppressor: "CLOSEOUT_SUPPRESSOR",
    /** The region's paging alarms, as a JSON list of names. */
    pages: "CLOSEOUT_PAGES",
} as const;

/** A paging alarm as DescribeAlarms reports it. */
export interface PageState {
    readonly name: string;
    readonly arn: string;
    readonly state: "OK" | "ALARM" | "INSUFFICIENT_DATA";
    /** When its state value last changed (StateTransitionedTimestamp). */
    readonly changedAt: Date;
    readonly description?: string;
    readonly rule?: string;
}

/** A maintenance window as the suppressor saw it: in ALARM from `opened` to `closed`. */
export interface ClosedWindow {
    readonly suppressor: string;
    readonly opened: Date;
    readonly closed: Date;
}

/**
 * The pages to resolve: OK now, and their last change of state fell inside the window
 * (the window held back its notification). A page that changed to OK before the window
 * was notified then; one that is in ALARM is CloudWatch's to notify once the
 * ExtensionPeriod ends.
 */
export function pagesToResolve(window: ClosedWindow, pages: readonly PageState[]): PageState[] {
    return pages.filter(
        (p) =>
            p.state === "OK" &&
            p.changedAt.getTime() >= window.opened.getTime() &&
            p.changedAt.getTime() <= window.closed.getTime(),
    );
}

/** The part of an EventBridge "CloudWatch Alarm State Change" event the close-out reads. */
export interface AlarmStateChangeEvent {
    readonly "detail-type"?: string;
    readonly account?: string;
    readonly region?: string;
    readonly detail?: {
        readonly alarmName?: string;
        readonly state?: { readonly value?: string; readonly timestamp?: string };
        readonly previousState?: { readonly value?: string; readonly timestamp?: string };
    };
}

/**
 * The window an event closes, or undefined when it is not the suppressor leaving ALARM
 * (another alarm, or a change that closes nothing).
 */
export function closedWindow(
    event: AlarmStateChangeEvent,
    suppressor: string,
): ClosedWindow | undefined {
    const d = event.detail;
    if (event["detail-type"] !== "CloudWatch Alarm State Change" || d?.alarmName !== suppressor)
        return undefined;
    if (d.previousState?.value !== "ALARM" || d.state?.value === "ALARM") return undefined;
    const opened = new Date(d.previousState.timestamp ?? NaN);
    const closed = new Date(d.state?.timestamp ?? NaN);
    if (Number.isNaN(opened.getTime()) || Number.isNaN(closed.getTime())) return undefined;
    return { suppressor, opened, closed };
}

/** Region names as CloudWatch writes them in its notifications' Region field. */
const REGION_NAMES: Readonly<Record<string, string>> = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)",
    "eu-west-3": "EU (Paris)",
    "eu-central-1": "EU (Frankfurt)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
};

/**
 * An OK notification in the shape CloudWatch publishes alarm notifications in (the JSON
 * that PagerDuty's CloudWatch integration and AWS Chatbot read: AlarmName, NewStateValue,
 * OldStateValue…), with a plain-text body for e-mail (SNS MessageStructure "json").
 */
export function okNotification(
    page: PageState,
    window: ClosedWindow,
    account: string,
    region: string,
): { subject: string; message: string } {
    const regionName = REGION_NAMES[region] ?? region;
    const reason = `Resolved while the maintenance window (${window.suppressor}, ${window.opened.toISOString()} to ${window.closed.toISOString()}) held this alarm's notifications back; sent when the window closed.`;
    const notification = {
        AlarmName: page.name,
        AlarmDescription: page.description ?? null,
        AWSAccountId: account,
        NewStateValue: "OK",
        NewStateReason: reason,
        StateChangeTime: page.changedAt.toISOString(),
        Region: regionName,
        AlarmArn: page.arn,
        OldStateValue: "ALARM",
        AlarmRule: page.rule ?? null,
    };
    const email = [
        `The alarm "${page.name}" in ${regionName} is OK (since ${page.changedAt.toISOString()}).`,
        reason,
        "",
        page.description ?? "",
    ].join("\n");
    // An SNS subject is at most 100 characters.
    const subject = `OK: "${page.name}" in ${regionName}`.slice(0, 100);
    return {
        subject,
        message: JSON.stringify({ default: JSON.stringify(notification), email }),
    };
}

export interface CloseoutDependencies {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly describePages: (names: readonly string[]) => Promise<PageState[]>;
    readonly publish: (topicArn: string, subject: string, message: string) => Promise<void>;
    readonly logger: Logger;
}

/** What one close-out did. */
export interface CloseoutResult {
    readonly window?: ClosedWindow;
    readonly resolved: readonly string[];
}

export function createCloseoutHandler(
    deps: CloseoutDependencies,
): (event: AlarmStateChangeEvent) => Promise<CloseoutResult> {
    return async (event) => {
        const topicArn = required(deps.env, CLOSEOUT_ENV.topicArn);
        const suppressor = required(deps.env, CLOSEOUT_ENV.suppressor);
        const names = JSON.parse(required(deps.env, CLOSEOUT_ENV.pages)) as string[];
        const window = closedWindow(event, suppressor);
        if (!window) {
            deps.logger.info("dr-closeout-ignored", { alarmName: event.detail?.alarmName });
            return { resolved: [] };
        }
        const resolve = pagesToResolve(window, await deps.describePages(names));
        for (const page of resolve) {
            const { subject, message } = okNotification(
                page,
                window,
                event.account ?? "",
                event.region ?? "",
            );
            await deps.publish(topicArn, subject, message);
        }
        const resolved = resolve.map((p) => p.name);
        deps.logger.info("dr-closeout", { ...window, resolved });
        return { window, resolved };
    };
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
    const value = env[name];
    if (!value) throw new Error(`Environment variable ${name} is missing`);
    return value;
}

/** DescribeAlarms of the named composite alarms (at most 100 names per call). */
export function cloudWatchPages(client: CloudWatchClient) {
    return async (names: readonly string[]): Promise<PageState[]> => {
        const pages: PageState[] = [];
        for (let i = 0; i < names.length; i += 100) {
            const output = await client.send(
                new DescribeAlarmsCommand({
                    AlarmNames: names.slice(i, i + 100),
                    AlarmTypes: ["CompositeAlarm"],
                }),
            );
            for (const a of output.CompositeAlarms ?? []) {
                pages.push({
                    name: a.AlarmName!,
                    arn: a.AlarmArn!,
                    state: a.StateValue as PageState["state"],
                    changedAt: a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp!,
                    description: a.AlarmDescription,
                    rule: a.AlarmRule,
                });
            }
        }
        return pages;
    };
}

export const closeoutHandler = createCloseoutHandler({
    env: process.env,
    describePages: cloudWatchPages(new CloudWatchClient({})),
    publish: async (topicArn, subject, message) => {
        await new SNSClient({}).send(
            new PublishCommand({
                TopicArn: topicArn,
                Subject: subject,
                Message: message,
                MessageStructure: "json",
            }),
        );
    },
    logger: new Logger({ serviceName: "aurora-dsql-dr-closeout" }),
});
