import { createHash } from "node:crypto";
import { z } from "zod";
import { jsonList, report, type Ctx, type Schema } from "./parse";
import { kindOf, quote, showJson } from "./text";

/**
 * Slack and Microsoft Teams channels of AWS Chatbot (Amazon Q Developer in chat
 * applications). The patterns are AWS's own, from the Chatbot service model (botocore
 * 1.43, chatbot/2017-10-11/service-2.json: SlackTeamId, SlackChannelId, TeamsChannelId,
 * UUID, ConfigurationName), anchored here because the service matches them against the
 * whole value.
 */

/** Chat configurations are named `dr-alerts-<suffix>-<channel name>` (account-wide names). */
export const CONFIGURATION_NAME_PREFIX = "dr-alerts";
/** Length of the per-stack name suffix (the RandomString in index.ts). */
export const NAME_SUFFIX_LENGTH = 6;
/** Chatbot's ConfigurationName takes 1-128 of [A-Za-z0-9-_]; the prefix and suffix use 17. */
export const MAX_CHANNEL_NAME_LENGTH =
    128 - CONFIGURATION_NAME_PREFIX.length - NAME_SUFFIX_LENGTH - 2;

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

/** A parsed channel and where it was listed, for the checks across both lists. */
export interface Listed<T> {
    readonly path: string;
    readonly channel: T;
}

const SLACK_TEAM_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;
const TEAMS_CHANNEL_ID = /^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/;
const GUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const CHANNEL_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CHANNEL_NAME_LENGTH}}$`);
const NAME_RULE = `1-${MAX_CHANNEL_NAME_LENGTH} letters, digits, - and _ (the chat configuration is named ${CONFIGURATION_NAME_PREFIX}-<suffix>-<name>, and AWS Chatbot allows 128 of [A-Za-z0-9-_])`;

const SLACK_HOW_TO =
    "a list of {workspaceId, channelId, name?} objects (pulumi config set --path 'aurora-dsql-dr:alertSlack[0].workspaceId' T07EA123LEP; likewise alertSlack[0].channelId)";
const TEAMS_HOW_TO =
    "a list of {teamId, channelId, tenantId, name?} objects (pulumi config set --path 'aurora-dsql-dr:alertTeams[0].teamId' <team GUID>; likewise channelId and tenantId)";

/** Per field: its pattern, its rule, and what else to say of a value that breaks it. */
type FieldRules<F extends string> = Readonly<
    Record<F, readonly [RegExp, string, ((value: string) => string)?]>
>;

const SLACK_RULES: FieldRules<"workspaceId" | "channelId"> = {
    workspaceId: [
        SLACK_TEAM_ID,
        "the Slack workspace ID the AWS Chatbot console shows once the workspace is authorized, e.g. T07EA123LEP: 1-255 upper-case letters and digits (AWS Chatbot's SlackTeamId pattern)",
    ],
    channelId: [
        SLACK_CHANNEL_ID,
        "the Slack channel ID (in Slack: channel details, at the bottom), e.g. C07EZ1ABC23, not its name: 1-255 letters and digits (AWS Chatbot's SlackChannelId pattern)",
    ],
};
const TEAMS_RULES: FieldRules<"teamId" | "channelId" | "tenantId"> = {
    teamId: [
        GUID,
        "the team's ID, a GUID such as 5f4f15d2-b958-4f8b-8e3c-1a2b3c4d5e6f (the groupId in the channel's link; the AWS Chatbot console shows it once the team is authorized)",
    ],
    channelId: [
        TEAMS_CHANNEL_ID,
        "the channel ID as the channel's link carries it, URL-encoded: 19%3a…%40thread.tacv2, at most 255 characters (AWS Chatbot's TeamsChannelId pattern requires %3a and %40)",
        (value) =>
            value.includes(":") || value.includes("@")
                ? "; this one looks decoded: write : as %3a and @ as %40"
                : "",
    ],
    tenantId: [GUID, "the Microsoft Entra tenant ID, a GUID (the tenantId in the channel's link)"],
};

/** One list item's fields, checked against `rules`; undefined after reporting every problem. */
function fieldsOf<F extends string>(
    ctx: Ctx,
    at: string,
    item: unknown,
    rules: FieldRules<F>,
    what: string,
): (Record<F, string> & { name?: string }) | undefined {
    const required = Object.keys(rules) as F[];
    const fields = [...required, "name"];
    const shape = `an object with ${required.join(", ")} (and optionally name)`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
        report(ctx, `${what}: ${shape}`, { at, shown: JSON.stringify(item) });
        return undefined;
    }
    let ok = true;
    const fail = (field: string, shown: string | undefined, allowed: string) => {
        ok = false;
        report(ctx, allowed, { at: `${at}.${field}`, shown });
    };
    for (const [field, value] of Object.entries(item)) {
        if (!fields.includes(field)) {
            fail(
                field,
                JSON.stringify(value),
                `not a field of ${what}; its fields are ${fields.join(", ")}`,
            );
        } else if (typeof value !== "string") {
            fail(
                field,
                JSON.stringify(value),
                `a string, but this is ${kindOf(value)} (${showJson(value)}): quote it in the stack file, or Pulumi reads it as ${kindOf(value)}`,
            );
        }
    }
    if (!ok) return undefined;
    const values = item as Record<string, string>;
    for (const field of required) {
        const value = values[field]?.trim();
        const [pattern, rule, hint] = rules[field];
        if (!value) fail(field, undefined, `required for ${what}: ${shape}`);
        else if (value.length > 255 || !pattern.test(value))
            fail(field, value, rule + (hint?.(value) ?? ""));
    }
    if (values.name !== undefined && !CHANNEL_NAME.test(values.name.trim()))
        fail("name", values.name, NAME_RULE);
    return ok
        ? (Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()])) as Record<
              F,
              string
          >)
        : undefined;
}

/** alertSlack: Slack channels; one configuration per channel. */
export const alertSlackSchema: Schema<readonly Listed<SlackChannel>[]> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const list = jsonList(ctx, text, SLACK_HOW_TO);
        if (!list) return z.NEVER;
        const channels: Listed<SlackChannel>[] = [];
        const seen = new Map<string, string>();
        list.forEach((item, i) => {
            const at = `[${i}]`;
            const f = fieldsOf(ctx, at, item, SLACK_RULES, "a Slack channel");
            if (!f) return;
            const id = `${f.workspaceId}/${f.channelId}`;
            const earlier = seen.get(id);
            if (earlier !== undefined) {
                report(
                    ctx,
                    `channel ${f.channelId} of workspace ${f.workspaceId} is already ${earlier}; list each channel once (AWS Chatbot takes one configuration per Slack channel in an account)`,
                    { at, shown: id },
                );
                return;
            }
            seen.set(id, `alertSlack${at}`);
            const name = f.name ?? `slack-${f.channelId}`;
            if (!defaultNameFits(ctx, at, name)) return;
            channels.push({
                path: `alertSlack${at}`,
                channel: Object.freeze({
                    name,
                    workspaceId: f.workspaceId,
                    channelId: f.channelId,
                }),
            });
        });
        return channels.length === list.length ? Object.freeze(channels) : z.NEVER;
    });

/** alertTeams: Microsoft Teams channels; one channel per team. */
export const alertTeamsSchema: Schema<readonly Listed<TeamsChannel>[]> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const list = jsonList(ctx, text, TEAMS_HOW_TO);
        if (!list) return z.NEVER;
        const channels: Listed<TeamsChannel>[] = [];
        const seen = new Map<string, string>();
        const teams = new Map<string, string>();
        list.forEach((item, i) => {
            const at = `[${i}]`;
            const f = fieldsOf(ctx, at, item, TEAMS_RULES, "a Microsoft Teams channel");
            if (!f) return;
            const id = `${f.teamId}/${f.channelId}`.toLowerCase();
            const shown = `${f.teamId}/${f.channelId}`;
            const earlier = seen.get(id) ?? teams.get(f.teamId.toLowerCase());
            if (earlier !== undefined) {
                report(
                    ctx,
                    seen.has(id)
                        ? `this channel of team ${f.teamId} is already ${earlier}; list each channel once`
                        : `team ${f.teamId} already has a channel here (${earlier}); one channel per team: the provider (@pulumi/aws 7.48.0, from terraform-provider-aws) finds a Teams configuration by its team ID and fails with a second one in the same team (hashicorp/terraform-provider-aws#38943, #45081)`,
                    { at, shown },
                );
                return;
            }
            seen.set(id, `alertTeams${at}`);
            teams.set(f.teamId.toLowerCase(), `alertTeams${at}`);
            // A stable default: Teams channel IDs hold % and . , which configuration names cannot.
            const name =
                f.name ?? `teams-${createHash("sha256").update(id).digest("hex").slice(0, 8)}`;
            if (!defaultNameFits(ctx, at, name)) return;
            channels.push({
                path: `alertTeams${at}`,
                channel: Object.freeze({
                    name,
                    teamId: f.teamId,
                    channelId: f.channelId,
                    tenantId: f.tenantId,
                }),
            });
        });
        return channels.length === list.length ? Object.freeze(channels) : z.NEVER;
    });

/** Whether the (default) name fits a configuration name; reports that a name is needed if not. */
function defaultNameFits(ctx: Ctx, at: string, name: string): boolean {
    if (CHANNEL_NAME.test(name)) return true;
    report(ctx, `needed: the default ${quote(name)} is not ${NAME_RULE}`, {
        at: `${at}.name`,
        shown: undefined,
    });
    return false;
}

/** Problems of channel names used twice across both lists (compared ignoring case), in order. */
export function duplicateChannelNames(
    channels: readonly Listed<SlackChannel | TeamsChannel>[],
): { key: string; value: string; allowed: string }[] {
    const owners = new Map<string, string>();
    return channels.flatMap(({ path, channel }) => {
        const folded = channel.name.toLowerCase();
        const owner = owners.get(folded);
        if (owner === undefined) {
            owners.set(folded, path);
            return [];
        }
        return [
            {
                key: `${path}.name`,
                value: channel.name,
                allowed: `${owner} has this name already (names are compared ignoring case); give each channel its own`,
            },
        ];
    });
}
