/**
 * What the "redundancy at risk" page listens to: AWS Health events about Aurora DSQL and the
 * services the monitoring path runs on, in the Regions the pair depends on, as an EventBridge
 * pattern; where rules must watch for them; and the message the page carries. Pure values, so
 * the pattern is tested against AWS's sample events without Pulumi.
 */

/** The Regions the pair depends on: the two cluster Regions and the witness. */
export interface PairRegions {
    readonly primary: string;
    readonly secondary: string;
    readonly witness: string;
}

/**
 * The services watched, by AWS Health event-type code prefix. AWS Health event-type codes
 * have the form AWS_<SERVICE>_<DESCRIPTION>, e.g. AWS_EC2_OPERATIONAL_ISSUE
 * (https://docs.aws.amazon.com/health/latest/APIReference/API_EventType.html). Matching the
 * prefix takes every event type of a service, so event types AWS adds later are covered.
 *
 * - Aurora DSQL: its AWS Health service code is not published anywhere (checked 2026-12-07).
 *   The prefixes are the plausible codes (DSQL is its IAM and AWS Backup name); confirm with
 *   `aws health describe-event-types --region us-east-1` (Business, Enterprise On-Ramp or
 *   Enterprise Support) and correct them here.
 * - Lambda: `LAMBDA` is verified (AWS's sample AWS_LAMBDA_PLANNED_LIFECYCLE_EVENT,
 *   https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html).
 * - EventBridge: `EVENTS` is the code AWS's own sample event names it by ("… now operating
 *   normally: APPSYNC, BACKUP, EVENTS", same page).
 * - CloudWatch (`CLOUDWATCH`), CloudWatch Logs (`LOGS`: the monitor's metrics are extracted
 *   from its log lines), SNS, KMS and Systems Manager (`SSM`: the maintenance window) are the
 *   services' IAM prefixes, unverified as AWS Health codes.
 */
export const WATCHED_SERVICES: readonly {
    readonly service: string;
    readonly prefixes: readonly string[];
    readonly verified: boolean;
}[] = [
    {
        service: "Aurora DSQL",
        prefixes: ["AWS_DSQL_", "AWS_AURORA_DSQL_", "AWS_AURORADSQL_"],
        verified: false,
    },
    { service: "Lambda", prefixes: ["AWS_LAMBDA_"], verified: true },
    { service: "EventBridge", prefixes: ["AWS_EVENTS_"], verified: true },
    { service: "CloudWatch", prefixes: ["AWS_CLOUDWATCH_"], verified: false },
    { service: "CloudWatch Logs", prefixes: ["AWS_LOGS_"], verified: false },
    { service: "SNS", prefixes: ["AWS_SNS_"], verified: false },
    { service: "KMS", prefixes: ["AWS_KMS_"], verified: false },
    { service: "Systems Manager", prefixes: ["AWS_SSM_"], verified: false },
];

/**
 * Categories that page: something is wrong now (issue) or AWS is looking into it
 * (investigation). Scheduled changes and account notifications (the other two categories,
 * https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html)
 * are planned or informational: they belong in the AWS Health Dashboard, not in a page.
 */
export const PAGED_CATEGORIES = ["issue", "investigation"] as const;

/**
 * AWS Health also delivers an event to a backup Region: us-west-2, whose own backup is
 * us-east-1 (standard partition). Public events go there when a rule exists in the impacted
 * Region, account-specific ones always
 * (https://docs.aws.amazon.com/health/latest/ug/choosing-a-region.html).
 */
export function healthBackupRegion(region: string): string {
    return region === "us-west-2" ? "us-east-1" : "us-west-2";
}

/**
 * Where a rule must watch: AWS Health delivers an event for a Region in that Region and in its
 * backup Region only ("You must create an EventBridge rule for each Region that you want to
 * receive AWS Health events for", choosing-a-region.html). Watching both means a Region too
 * impaired to deliver its own events still has them delivered elsewhere.
 */
export function healthWatchRegions(pair: PairRegions): string[] {
    const own = [pair.primary, pair.secondary, pair.witness];
    return [...new Set([...own, ...own.map(healthBackupRegion)])];
}

/** The EventBridge pattern of the page (https://docs.aws.amazon.com/health/latest/ug/cloudwatch-events-health.html). */
export function healthEventPattern(pair: PairRegions) {
    return {
        // Exactly "aws.health": "Wildcards, such as "source": ["aws.health*"] won't match"
        // (https://docs.aws.amazon.com/health/latest/ug/aws-health-events-public-events.html).
        source: ["aws.health"],
        "detail-type": ["AWS Health Event"],
        detail: {
            // The Region the event is about; the envelope's `region` is only where it was delivered.
            eventRegion: [pair.primary, pair.secondary, pair.witness],
            eventTypeCategory: [...PAGED_CATEGORIES],
            eventTypeCode: WATCHED_SERVICES.flatMap((s) => s.prefixes).map((prefix) => ({
                prefix,
            })),
        },
    };
}

/** Runbook section the page links. */
export const REDUNDANCY_RUNBOOK_ANCHOR = "page-redundancy-at-risk";

/** Physical name of the page's rule in every watched Region (rules are regional). */
export const healthRuleName = (suffix: string) => `dr-health-events-${suffix}`;

/**
 * The page's text, as an input transformer on the SNS target. The template is JSON with every
 * placeholder inside a string, so EventBridge escapes the values and the message stays valid
 * JSON (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 * Its shape is AWS Chatbot's custom notification (version, source "custom", content), which
 * chat channels subscribed to the topic render
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html; confirm in a real
 * channel); e-mail and HTTPS endpoints receive it as JSON. Event ARN and communication ID are in it because the same communication can
 * arrive twice (its own Region and the backup Region).
 */
export function redundancyPageTransformer(pair: PairRegions, runbookUrl: string) {
    const inputPaths = {
        eventTypeCode: "$.detail.eventTypeCode",
        service: "$.detail.service",
        eventRegion: "$.detail.eventRegion",
        status: "$.detail.statusCode",
        category: "$.detail.eventTypeCategory",
        eventArn: "$.detail.eventArn",
        communicationId: "$.detail.communicationId",
        startTime: "$.detail.startTime",
        description: "$.detail.eventDescription[0].latestDescription",
        deliveredTo: "$.region",
    };
    const regions = `primary ${pair.primary}, secondary ${pair.secondary}, witness ${pair.witness}`;
    const template = {
        version: "1.0",
        source: "custom",
        content: {
            title: "PAGE (redundancy at risk): AWS Health <eventTypeCode> in <eventRegion> is <status>",
            description:
                "AWS Health reports <eventTypeCode> (<service>, <category>) in <eventRegion>, status <status>, since <startTime>. " +
                `The Aurora DSQL pair depends on ${regions}: while this is open the pair may be one failure away from an outage, although both clusters may still serve. ` +
                "AWS says: <description> " +
                "(event <eventArn>, communication <communicationId>, delivered to <deliveredTo>; the same communication may arrive twice)",
            nextSteps: [
                "Open the event in the AWS Health Dashboard of the account.",
                "Check both clusters' pages and the monitors' summary lines.",
                `Runbook: ${runbookUrl}#${REDUNDANCY_RUNBOOK_ANCHOR}`,
            ],
        },
    };
    return { inputPaths, inputTemplate: JSON.stringify(template) };
}
