/**
 * Alert routing beyond e-mail: AWS Chatbot (Amazon Q Developer in chat applications)
 * channel configurations for Slack and Microsoft Teams, and HTTPS endpoints such as a
 * PagerDuty CloudWatch integration. Each key is read by its schema in the config
 * declaration (config/chat-channels.ts, config/https-endpoints.ts, config/guardrails.ts);
 * this module holds the rules across them and the routing they make. Pure: config strings
 * in, a frozen routing or a problem list out.
 */
import { SETTINGS } from "./config/declaration";
import {
    duplicateChannelNames,
    type Listed,
    type SlackChannel,
    type TeamsChannel,
} from "./config/chat-channels";
import { isDefaultGuardrail } from "./config/guardrails";
import type { HttpsEndpoint } from "./config/https-endpoints";
import { problemsOf } from "./config/parse";
import type { ConfigProblem } from "./config/problem";

export {
    CONFIGURATION_NAME_PREFIX,
    MAX_CHANNEL_NAME_LENGTH,
    NAME_SUFFIX_LENGTH,
    type SlackChannel,
    type TeamsChannel,
} from "./config/chat-channels";
export { DEFAULT_GUARDRAIL_POLICY_ARNS } from "./config/guardrails";
export { ENCRYPTED_ENDPOINT_PLACEHOLDER, HttpsEndpoint, maskUrl } from "./config/https-endpoints";

/** The config keys this module reads (the declaration holds them with every other key). */
export const ALERT_CONFIG_KEYS = [
    "alertSlack",
    "alertTeams",
    "alertHttpsEndpoints",
    "chatbotRegion",
    "chatbotGuardrailPolicies",
] as const;
export type AlertConfigKey = (typeof ALERT_CONFIG_KEYS)[number];

/** These keys as Pulumi hands them to the program: strings, lists and objects as JSON. */
export type AlertRawConfig = Readonly<Partial<Record<AlertConfigKey, string>>>;

/**
 * The Regions the AWS Chatbot API exists in ("AWS Chatbot APIs are currently available in
 * the following Regions: US East (Ohio) - us-east-2, US West (Oregon) - us-west-2, Asia
 * Pacific (Singapore) - ap-southeast-1, Europe (Ireland) - eu-west-1",
 * https://docs.aws.amazon.com/cli/latest/reference/chatbot/index.html).
 */
export const CHATBOT_API_REGIONS: readonly string[] = [
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "ap-southeast-1",
];
/** Where the channel configurations go when no cluster region has the API: the console's Region. */
export const FALLBACK_CHATBOT_REGION = "us-east-2";

/** Where a stack's alerts go besides e-mail. */
export interface AlertRouting {
    readonly slack: readonly SlackChannel[];
    readonly teams: readonly TeamsChannel[];
    readonly httpsEndpoints: readonly HttpsEndpoint[];
    /** Region of the Chatbot channel configurations (and of their IAM role's provider). */
    readonly chatbotRegion: string;
    readonly guardrailPolicyArns: readonly string[];
}

/** What the rest of the stack's validation already knows. */
export interface AlertContext {
    /** alertEmail as validateConfig parsed it; undefined when alertEmail itself was rejected. */
    readonly alertEmails: readonly string[] | undefined;
    /** The stack's two cluster regions, primary first (those that passed validation). */
    readonly clusterRegions: readonly string[];
    /**
     * Namespaced keys Pulumi holds encrypted (PULUMI_CONFIG_SECRET_KEYS). When given,
     * alertHttpsEndpoints must be among them; omit it where it is unknown.
     */
    readonly secretKeys?: readonly string[];
}

/** The alert keys as their schemas parsed them; a key whose value was refused is undefined. */
export interface AlertValues {
    readonly alertSlack?: readonly Listed<SlackChannel>[];
    readonly alertTeams?: readonly Listed<TeamsChannel>[];
    readonly alertHttpsEndpoints?: readonly HttpsEndpoint[];
    readonly chatbotRegion?: string;
    readonly chatbotGuardrailPolicies?: readonly string[];
}

/** The one key whose values are secrets (namespaced, as PULUMI_CONFIG_SECRET_KEYS lists it). */
const HTTPS_SECRET_KEY = "aurora-dsql-dr:alertHttpsEndpoints";

/**
 * Parses and checks the alert routing keys. Pure: the raw config strings and what
 * validateConfig already parsed in, a frozen routing or the problems out. Secret URLs
 * appear in problems only masked.
 */
export function parseAlertRouting(
    raw: AlertRawConfig,
    context: AlertContext,
): { routing: AlertRouting } | { problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const values: Record<string, unknown> = {};
    for (const key of ALERT_CONFIG_KEYS) {
        const parsed = SETTINGS[key].schema.safeParse(raw[key]);
        if (parsed.success) values[key] = parsed.data;
        else problems.push(...problemsOf(key, raw[key], parsed.error));
    }
    const routing = alertRules(values as AlertValues, raw, context, problems);
    return routing && problems.length === 0 ? { routing } : { problems };
}

/** The rules across the alert keys and alertEmail; the routing when they all hold. */
export function alertRules(
    values: AlertValues,
    raw: AlertRawConfig,
    context: AlertContext,
    problems: ConfigProblem[],
): AlertRouting | undefined {
    const { alertSlack: slack, alertTeams: teams, alertHttpsEndpoints: https } = values;
    const before = problems.length;
    problems.push(...duplicateChannelNames([...(slack ?? []), ...(teams ?? [])]));
    const channels = (slack?.length ?? 0) + (teams?.length ?? 0);
    const channelsKnown = slack !== undefined && teams !== undefined;
    const derivedRegion =
        context.clusterRegions.find((r) => CHATBOT_API_REGIONS.includes(r)) ??
        FALLBACK_CHATBOT_REGION;
    const region = values.chatbotRegion;
    const withoutChannel =
        "only used by Slack and Teams channels, and neither alertSlack nor alertTeams lists one; unset it or add a channel";
    if (region !== undefined && !CHATBOT_API_REGIONS.includes(region)) {
        problems.push({
            key: "chatbotRegion",
            value: raw.chatbotRegion,
            allowed: `one of the Regions the AWS Chatbot API exists in: ${CHATBOT_API_REGIONS.join(", ")} (unset, it is the first of this stack's cluster regions among them, else ${FALLBACK_CHATBOT_REGION}: here ${derivedRegion})`,
        });
    } else if (region !== undefined && channelsKnown && channels === 0) {
        problems.push({ key: "chatbotRegion", value: raw.chatbotRegion, allowed: withoutChannel });
    }
    const guardrails = values.chatbotGuardrailPolicies;
    if (guardrails && !isDefaultGuardrail(guardrails) && channelsKnown && channels === 0) {
        problems.push({
            key: "chatbotGuardrailPolicies",
            value: raw.chatbotGuardrailPolicies,
            allowed: `${withoutChannel} (its default is the only value without a channel)`,
        });
    }
    if (
        https?.length &&
        context.secretKeys !== undefined &&
        !context.secretKeys.includes(HTTPS_SECRET_KEY)
    ) {
        problems.push({
            key: "alertHttpsEndpoints",
            value: https.map((e) => e.masked).join(", "),
            allowed: `is stored in plain text, but its URLs carry integration keys: set each item with --secret (pulumi config rm aurora-dsql-dr:alertHttpsEndpoints, then pulumi config set --path --secret 'aurora-dsql-dr:alertHttpsEndpoints[0]' <url>)`,
        });
    }
    const destinations = (context.alertEmails?.length ?? 0) + channels + (https?.length ?? 0);
    if (
        context.alertEmails !== undefined &&
        channelsKnown &&
        https !== undefined &&
        destinations === 0
    ) {
        problems.push({
            key: "alertEmail",
            value: undefined,
            allowed:
                "at least one alert destination is required: alertEmail, alertSlack, alertTeams or alertHttpsEndpoints",
        });
    }
    if (problems.length > before || !channelsKnown || !https || !guardrails) return undefined;
    return Object.freeze({
        slack: Object.freeze(slack!.map((l) => l.channel)),
        teams: Object.freeze(teams!.map((l) => l.channel)),
        httpsEndpoints: https,
        chatbotRegion: region ?? derivedRegion,
        guardrailPolicyArns: guardrails,
    });
}
