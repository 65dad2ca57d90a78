import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { ConfigProblem } from "./config";

/**
 * Alert routing beyond e-mail: AWS Chatbot (Amazon Q Developer in chat applications)
 * channel configurations for Slack and Microsoft Teams, and HTTPS endpoints such as a
 * PagerDuty CloudWatch integration. Pure: config strings in, a frozen routing or a
 * problem list out. The patterns are AWS's own, from the Chatbot service model (botocore
 * 1.43, chatbot/2017-10-11/service-2.json: SlackTeamId, SlackChannelId, TeamsChannelId,
 * UUID, ConfigurationName, GuardrailPolicyArn), anchored here because the service matches
 * them against the whole value.
 */

/** The config keys this module reads (Pulumi.yaml declares them; config.ts lists them). */
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

/**
 * The channel guardrail when none is configured. Chatbot itself applies AdministratorAccess
 * when the list is empty (service model, GuardrailPolicyArns), so the program never leaves it
 * empty. A guardrail caps the channel role and every user role of the channel (what a member
 * can do is the intersection of guardrail and role; Chatbot admin guide, "Understanding
 * permissions"). CloudWatchReadOnlyAccess is the narrowest AWS-managed policy the Chatbot
 * guide lists for channels ("IAM policies for Amazon Q Developer in chat applications"), and
 * covers the CloudWatch reads the notification template grants (cloudwatch Describe/Get/List).
 */
export const DEFAULT_GUARDRAIL_POLICY_ARNS: readonly string[] = [
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
];

/** Chat configurations are named `dr-alerts-<suffix>-<channel name>` (account-wide names). */
export const CONFIGURATION_NAME_PREFIX = "dr-alerts";
/** Length of the per-stack name suffix (the RandomString in index.ts). */
export const NAME_SUFFIX_LENGTH = 6;
/** Chatbot's ConfigurationName takes 1-128 of [A-Za-z0-9-_]; the prefix and suffix use 17. */
export const MAX_CHANNEL_NAME_LENGTH =
    128 - CONFIGURATION_NAME_PREFIX.length - NAME_SUFFIX_LENGTH - 2;

/** What stands in for an endpoint the stack file holds encrypted (only the offline plan sees one). */
export const ENCRYPTED_ENDPOINT_PLACEHOLDER = "https://encrypted-in-stack-file.invalid/";

export interface SlackChannel {
    /** Names the chat configuration; default `slack-<channelId>`. */
    readonly name: string;
    /** The Slack workspace (team) ID, e.g. T07EA123LEP. */
    readonly workspaceId: string;
    /** The Slack channel ID, e.g. C07EZ1ABC23. */
    readonly channelId: string;
}

export interface TeamsChannel {
    /** Names the chat configuration; default `teams-<8 hex digits of the team and channel>`. */
    readonly name: string;
    readonly teamId: string;
    /** URL-encoded, as in the channel's link: 19%3a…%40thread.tacv2. */
    readonly channelId: string;
    readonly tenantId: string;
}

/**
 * An HTTPS endpoint whose URL is a secret (a PagerDuty integration URL carries its key).
 * Its text shows only the masked form, in JSON, string conversion and util.inspect alike;
 * the URL itself comes out only through `reveal()`, straight into `pulumi.secret`.
 */
export class HttpsEndpoint {
    readonly #url: string;
    /** Scheme and host only, e.g. https://events.pagerduty.com/…/enqueue. */
    public readonly masked: string;

    constructor(url: string, masked: string = maskUrl(url)) {
        this.#url = url;
        this.masked = masked;
    }

    reveal(): string {
        return this.#url;
    }

    toJSON(): string {
        return this.masked;
    }

    toString(): string {
        return this.masked;
    }
}

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

const SLACK_FIELDS = ["workspaceId", "channelId", "name"] as const;
const TEAMS_FIELDS = ["teamId", "channelId", "tenantId", "name"] as const;
// Chatbot service model patterns, anchored.
const SLACK_TEAM_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;
const TEAMS_CHANNEL_ID = /^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/;
const GUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const CHANNEL_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CHANNEL_NAME_LENGTH}}$`);
/** GuardrailPolicyArn (11-1163 characters, not a service-role policy), narrowed to managed-policy ARNs. */
const GUARDRAIL_ARN =
    /^(?!.*\/aws-service-role\/)arn:aws:iam::(?:aws|\d{12}):policy\/[A-Za-z0-9:_/+=,@.-]{1,1140}$/;
/** The one key whose values are secrets (namespaced, as PULUMI_CONFIG_SECRET_KEYS lists it). */
const HTTPS_SECRET_KEY = "aurora-dsql-dr:alertHttpsEndpoints";
/** PagerDuty's own Events API; the CloudWatch integration's URLs are /integration/<key>/enqueue. */
const PAGERDUTY_EVENTS_HOSTS = ["events.pagerduty.com", "events.eu.pagerduty.com"];

const SLACK_HOW_TO =
    "a list of {workspaceId, channelId, name?} objects (pulumi config set --path 'aurora-dsql-dr:alertSlack[0].workspaceId' T07EA123LEP; likewise alertSlack[0].channelId)";
const TEAMS_HOW_TO =
    "a list of {teamId, channelId, tenantId, name?} objects (pulumi config set --path 'aurora-dsql-dr:alertTeams[0].teamId' <team GUID>; likewise channelId and tenantId)";
const HTTPS_HOW_TO =
    "a list of https URLs, each set as a secret (pulumi config set --path --secret 'aurora-dsql-dr:alertHttpsEndpoints[0]' https://events.pagerduty.com/integration/<integration key>/enqueue)";
const GUARDRAIL_HOW_TO =
    "a list of IAM managed-policy ARNs (pulumi config set --path 'aurora-dsql-dr:chatbotGuardrailPolicies[0]' arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess)";
const NAME_RULE = `1-${MAX_CHANNEL_NAME_LENGTH} letters, digits, - and _ (the chat configuration is named ${CONFIGURATION_NAME_PREFIX}-<suffix>-<name>, and AWS Chatbot allows 128 of [A-Za-z0-9-_])`;

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
    const fail = (key: string, value: string | undefined, allowed: string): undefined => {
        problems.push({ key, value, allowed });
        return undefined;
    };

    // Names key Pulumi resources and Chatbot's account-wide configuration names: one each.
    const names = new Map<string, string>();
    const slack = parseSlack(raw.alertSlack, names, fail);
    const teams = parseTeams(raw.alertTeams, names, fail);
    const httpsEndpoints = parseHttpsEndpoints(raw.alertHttpsEndpoints, fail);
    const guardrailPolicyArns = parseGuardrails(raw.chatbotGuardrailPolicies, fail);
    const channels = slack.length + teams.length;

    const derivedRegion =
        context.clusterRegions.find((r) => CHATBOT_API_REGIONS.includes(r)) ??
        FALLBACK_CHATBOT_REGION;
    const regionText = raw.chatbotRegion?.trim();
    const chatbotRegion = regionText || derivedRegion;
    if (regionText && !CHATBOT_API_REGIONS.includes(regionText)) {
        fail(
            "chatbotRegion",
            raw.chatbotRegion,
            `one of the Regions the AWS Chatbot API exists in: ${CHATBOT_API_REGIONS.join(", ")} (unset, it is the first of this stack's cluster regions among them, else ${FALLBACK_CHATBOT_REGION}: here ${derivedRegion})`,
        );
    } else if (
        regionText &&
        channels === 0 &&
        !problemsAbout(problems, ["alertSlack", "alertTeams"])
    ) {
        fail(
            "chatbotRegion",
            raw.chatbotRegion,
            "only used by Slack and Teams channels, and neither alertSlack nor alertTeams lists one; unset it or add a channel",
        );
    }

    if (
        httpsEndpoints.length > 0 &&
        context.secretKeys !== undefined &&
        !context.secretKeys.includes(HTTPS_SECRET_KEY)
    ) {
        fail(
            "alertHttpsEndpoints",
            httpsEndpoints.map((e) => e.masked).join(", "),
            `is stored in plain text, but its URLs carry integration keys: set each item with --secret (pulumi config rm aurora-dsql-dr:alertHttpsEndpoints, then pulumi config set --path --secret 'aurora-dsql-dr:alertHttpsEndpoints[0]' <url>)`,
        );
    }

    const destinations = (context.alertEmails?.length ?? 0) + channels + httpsEndpoints.length;
    if (
        context.alertEmails !== undefined &&
        destinations === 0 &&
        !problemsAbout(problems, ["alertSlack", "alertTeams", "alertHttpsEndpoints"])
    ) {
        fail(
            "alertEmail",
            undefined,
            "at least one alert destination is required: alertEmail, alertSlack, alertTeams or alertHttpsEndpoints",
        );
    }

    if (problems.length > 0) return { problems };
    return {
        routing: Object.freeze({
            slack: Object.freeze(slack),
            teams: Object.freeze(teams),
            httpsEndpoints: Object.freeze(httpsEndpoints),
            chatbotRegion,
            guardrailPolicyArns: Object.freeze(guardrailPolicyArns),
        }),
    };
}

type Fail = (key: string, value: string | undefined, allowed: string) => undefined;

const problemsAbout = (problems: readonly ConfigProblem[], keys: readonly string[]) =>
    problems.some((p) => keys.some((k) => p.key === k || p.key.startsWith(`${k}[`)));

/** A JSON list from `text` (unset or blank: empty), or undefined after reporting why not. */
function parseList(
    key: AlertConfigKey,
    text: string | undefined,
    howTo: string,
    fail: Fail,
    shown: (text: string) => string = (t) => t,
): unknown[] | undefined {
    if (!text?.trim()) return [];
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return fail(key, shown(text), `${howTo}; a plain string is not a list`);
    }
    if (!Array.isArray(value)) return fail(key, shown(text), howTo);
    return value;
}

/** An object's string fields, or undefined after reporting the first thing wrong with its shape. */
function fieldsOf<F extends string>(
    path: string,
    item: unknown,
    fields: readonly F[],
    required: readonly F[],
    what: string,
    fail: Fail,
): Partial<Record<F, string>> | undefined {
    const shape = `an object with ${required.join(", ")} (and optionally name)`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
        return fail(path, JSON.stringify(item), `${what}: ${shape}`);
    }
    const entries = Object.entries(item as Record<string, unknown>);
    const unknown = entries.find(([k]) => !(fields as readonly string[]).includes(k));
    if (unknown) {
        return fail(
            `${path}.${unknown[0]}`,
            JSON.stringify(unknown[1]),
            `not a field of ${what}; its fields are ${fields.join(", ")}`,
        );
    }
    const notText = entries.find(([, v]) => typeof v !== "string");
    if (notText) {
        return fail(`${path}.${notText[0]}`, JSON.stringify(notText[1]), "a string");
    }
    const missing = required.find((f) => !(item as Record<string, string>)[f]?.trim());
    if (missing) return fail(`${path}.${missing}`, undefined, `required for ${what}: ${shape}`);
    return Object.fromEntries(entries.map(([k, v]) => [k, (v as string).trim()])) as Partial<
        Record<F, string>
    >;
}

function parseSlack(
    text: string | undefined,
    names: Map<string, string>,
    fail: Fail,
): SlackChannel[] {
    const list = parseList("alertSlack", text, SLACK_HOW_TO, fail) ?? [];
    const channels: SlackChannel[] = [];
    const seen = new Map<string, string>();
    list.forEach((item, i) => {
        const path = `alertSlack[${i}]`;
        const fields = fieldsOf(
            path,
            item,
            SLACK_FIELDS,
            ["workspaceId", "channelId"],
            "a Slack channel",
            fail,
        );
        if (!fields) return;
        const { workspaceId = "", channelId = "" } = fields;
        let ok = true;
        if (!SLACK_TEAM_ID.test(workspaceId)) {
            ok = false;
            fail(
                `${path}.workspaceId`,
                workspaceId,
                "the Slack workspace ID the AWS Chatbot console shows once the workspace is authorized, e.g. T07EA123LEP: 1-255 upper-case letters and digits (AWS Chatbot's SlackTeamId pattern)",
            );
        }
        if (!SLACK_CHANNEL_ID.test(channelId)) {
            ok = false;
            fail(
                `${path}.channelId`,
                channelId,
                "the Slack channel ID (in Slack: channel details, at the bottom), e.g. C07EZ1ABC23, not its name: 1-255 letters and digits (AWS Chatbot's SlackChannelId pattern)",
            );
        }
        if (!ok) return;
        const id = `${workspaceId}/${channelId}`;
        if (seen.has(id)) {
            fail(
                path,
                id,
                `channel ${channelId} of workspace ${workspaceId} is already ${seen.get(id)}; list each channel once (AWS Chatbot takes one configuration per Slack channel in an account)`,
            );
            return;
        }
        seen.set(id, path);
        const name = channelName(path, fields.name, `slack-${channelId}`, names, fail);
        if (name !== undefined) channels.push(Object.freeze({ name, workspaceId, channelId }));
    });
    return channels;
}

function parseTeams(
    text: string | undefined,
    names: Map<string, string>,
    fail: Fail,
): TeamsChannel[] {
    const list = parseList("alertTeams", text, TEAMS_HOW_TO, fail) ?? [];
    const channels: TeamsChannel[] = [];
    const seen = new Map<string, string>();
    const teams = new Map<string, string>();
    list.forEach((item, i) => {
        const path = `alertTeams[${i}]`;
        const fields = fieldsOf(
            path,
            item,
            TEAMS_FIELDS,
            ["teamId", "channelId", "tenantId"],
            "a Microsoft Teams channel",
            fail,
        );
        if (!fields) return;
        const { teamId = "", channelId = "", tenantId = "" } = fields;
        let ok = true;
        if (!GUID.test(teamId)) {
            ok = false;
            fail(
                `${path}.teamId`,
                teamId,
                "the team's ID, a GUID such as 5f4f15d2-b958-4f8b-8e3c-1a2b3c4d5e6f (the groupId in the channel's link; the AWS Chatbot console shows it once the team is authorized)",
            );
        }
        if (channelId.length > 255 || !TEAMS_CHANNEL_ID.test(channelId)) {
            ok = false;
            const decoded = channelId.includes(":") || channelId.includes("@");
            fail(
                `${path}.channelId`,
                channelId,
                `the channel ID as the channel's link carries it, URL-encoded: 19%3a…%40thread.tacv2, at most 255 characters (AWS Chatbot's TeamsChannelId pattern requires %3a and %40)${decoded ? "; this one looks decoded: write : as %3a and @ as %40" : ""}`,
            );
        }
        if (!GUID.test(tenantId)) {
            ok = false;
            fail(
                `${path}.tenantId`,
                tenantId,
                "the Microsoft Entra tenant ID, a GUID (the tenantId in the channel's link)",
            );
        }
        if (!ok) return;
        const id = `${teamId}/${channelId}`.toLowerCase();
        if (seen.has(id)) {
            fail(
                path,
                `${teamId}/${channelId}`,
                `this channel of team ${teamId} is already ${seen.get(id)}; list each channel once`,
            );
            return;
        }
        seen.set(id, path);
        const team = teamId.toLowerCase();
        if (teams.has(team)) {
            fail(
                path,
                `${teamId}/${channelId}`,
                `team ${teamId} already has a channel here (${teams.get(team)}); one channel per team: the provider (@pulumi/aws 7.48.0, from terraform-provider-aws) finds a Teams configuration by its team ID and fails with a second one in the same team (hashicorp/terraform-provider-aws#38943, #45081)`,
            );
            return;
        }
        teams.set(team, path);
        // A stable default: Teams channel IDs hold % and . , which configuration names cannot.
        const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
        const name = channelName(path, fields.name, `teams-${hash}`, names, fail);
        if (name !== undefined) {
            channels.push(Object.freeze({ name, teamId, channelId, tenantId }));
        }
    });
    return channels;
}

/** The channel's name (given, or the default) if valid and not yet taken; else reported. */
function channelName(
    path: string,
    given: string | undefined,
    fallback: string,
    names: Map<string, string>,
    fail: Fail,
): string | undefined {
    const name = given ?? fallback;
    if (!CHANNEL_NAME.test(name)) {
        return given === undefined
            ? fail(`${path}.name`, undefined, `needed: the default ${fallback} is not ${NAME_RULE}`)
            : fail(`${path}.name`, given, NAME_RULE);
    }
    const folded = name.toLowerCase();
    const owner = names.get(folded);
    if (owner !== undefined) {
        return fail(
            `${path}.name`,
            name,
            `${owner} has this name already (names are compared ignoring case); give each channel its own`,
        );
    }
    names.set(folded, path);
    return name;
}

function parseHttpsEndpoints(text: string | undefined, fail: Fail): HttpsEndpoint[] {
    const list = parseList("alertHttpsEndpoints", text, HTTPS_HOW_TO, fail, maskUrl) ?? [];
    const endpoints: HttpsEndpoint[] = [];
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
        const path = `alertHttpsEndpoints[${i}]`;
        // The offline plan reads stack files, where `--secret` items are {secure: <ciphertext>}.
        if (isEncrypted(item)) {
            endpoints.push(new HttpsEndpoint(ENCRYPTED_ENDPOINT_PLACEHOLDER, "(encrypted)"));
            return;
        }
        if (typeof item !== "string") {
            fail(path, maskUrl(JSON.stringify(item)), `an https URL; ${HTTPS_HOW_TO}`);
            return;
        }
        const shown = maskUrl(item);
        const url = parseUrl(item);
        if (!url || /\s/.test(item)) {
            fail(path, shown, "an absolute https URL without spaces");
            return;
        }
        if (url.protocol !== "https:") {
            fail(
                path,
                shown,
                "https only: over http, SNS would carry the alerts and the endpoint's key unencrypted",
            );
            return;
        }
        if (isPrivateHost(url.hostname)) {
            fail(
                path,
                shown,
                "a public endpoint: SNS does not deliver to private HTTP(S) endpoints (localhost, private, loopback or link-local addresses)",
            );
            return;
        }
        if (PAGERDUTY_EVENTS_HOSTS.includes(url.hostname) && url.pathname.startsWith("/v2/")) {
            fail(
                path,
                shown,
                "the PagerDuty Events API v2 endpoint expects PagerDuty's event JSON, not SNS notifications: use the URL of the service's Amazon CloudWatch integration, https://events.pagerduty.com/integration/<integration key>/enqueue",
            );
            return;
        }
        const earlier = seen.get(url.href);
        if (earlier !== undefined) {
            fail(path, shown, `already listed as alertHttpsEndpoints[${earlier}]`);
            return;
        }
        seen.set(url.href, i);
        endpoints.push(new HttpsEndpoint(item));
    });
    return endpoints;
}

function parseGuardrails(text: string | undefined, fail: Fail): string[] {
    if (!text?.trim()) return [...DEFAULT_GUARDRAIL_POLICY_ARNS];
    const list = parseList("chatbotGuardrailPolicies", text, GUARDRAIL_HOW_TO, fail);
    if (!list) return [];
    if (list.length === 0) {
        fail(
            "chatbotGuardrailPolicies",
            text,
            `at least one policy ARN: with none, AWS Chatbot applies AdministratorAccess as the channel guardrail; the default is ${DEFAULT_GUARDRAIL_POLICY_ARNS.join(", ")}`,
        );
        return [];
    }
    const arns: string[] = [];
    list.forEach((item, i) => {
        const path = `chatbotGuardrailPolicies[${i}]`;
        if (typeof item !== "string" || item.length > 1163 || !GUARDRAIL_ARN.test(item)) {
            fail(
                path,
                typeof item === "string" ? item : JSON.stringify(item),
                "an IAM managed-policy ARN, arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<path><name>, not an aws-service-role policy (AWS Chatbot's GuardrailPolicyArn)",
            );
            return;
        }
        if (arns.includes(item)) {
            fail(path, item, `already listed as chatbotGuardrailPolicies[${arns.indexOf(item)}]`);
            return;
        }
        arns.push(item);
    });
    return arns;
}

const isEncrypted = (item: unknown): boolean =>
    typeof item === "object" &&
    item !== null &&
    Object.keys(item).length === 1 &&
    typeof (item as { secure?: unknown }).secure === "string";

function parseUrl(text: string): URL | undefined {
    try {
        return new URL(text);
    } catch {
        return undefined;
    }
}

/**
 * What a problem may show of a secret URL: scheme and host, never user, path or query
 * (PagerDuty's key is a path segment); a trailing /enqueue is kept, as it is no secret.
 * Text that is no URL shows only its length.
 */
export function maskUrl(text: string): string {
    const url = parseUrl(text.trim());
    if (!url) return `(${text.length} characters, hidden)`;
    if (!url.host) return `${url.protocol}…`;
    const tail = url.pathname.endsWith("/enqueue") ? "/enqueue" : "";
    return `${url.protocol}//${url.host}/…${tail}`;
}

function isPrivateHost(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (["localhost", "localhost.localdomain"].includes(host)) return true;
    if ([".localhost", ".local", ".internal"].some((s) => host.endsWith(s))) return true;
    switch (isIP(host)) {
        case 4: {
            const [a, b] = host.split(".").map(Number);
            return (
                a === 0 ||
                a === 10 ||
                a === 127 ||
                (a === 100 && b >= 64 && b <= 127) ||
                (a === 169 && b === 254) ||
                (a === 172 && b >= 16 && b <= 31) ||
                (a === 192 && b === 168)
            );
        }
        case 6:
            return host === "::" || host === "::1" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
        default:
            return false;
    }
}
