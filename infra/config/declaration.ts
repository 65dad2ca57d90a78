/**
 * Every config key of this program, declared once: its Pulumi.yaml type, its default, one
 * line of documentation and the schema that reads it (rule and message). The program
 * validates from this table (validate.ts), and tools/docs-gen/config-docs.ts generates Pulumi.yaml's
 * `config:` block and the README's settings table from it; a test fails when either drifts.
 * Adding a key is one entry here; rules that tie keys together live in cross-key.ts,
 * timing.ts and alert-config.ts.
 */
import type { z } from "zod";
import { CLUSTER_MANAGEMENT } from "./cluster-management";
import { alertSlackSchema, alertTeamsSchema } from "./chat-channels";
import { alertEmailSchema } from "./email";
import { guardrailsSchema, DEFAULT_GUARDRAIL_POLICY_ARNS } from "./guardrails";
import { httpsEndpointsSchema } from "./https-endpoints";
import {
    clusterIdentifierSchema,
    clusterPrefixSchema,
    databaseUserSchema,
    runbookUrlSchema,
} from "./names";
import {
    BACKUP_MODES,
    DEFAULT_BACKUP_SCHEDULE,
    DEFAULT_COMPLETION_WINDOW_MINUTES,
    DEFAULT_START_WINDOW_MINUTES,
} from "../backup-settings";
import { externalVaultsSchema, gigabytesSchema } from "./dr-features";
import { boolean, integer, oneOf, optionalText, text, type Schema } from "./parse";
import { profileInteger, scheduleSchema } from "./presets";
import { extraRegionSetsSchema } from "./region-sets";
import { MAX_USER_TAGS, tagsSchema } from "./tags";
import { DETECTION_PROFILES, FAST_INTERVAL_SECONDS, FAST_ROUNDS } from "../detection";

/** No default: the stack must set it (Pulumi refuses to run without it). */
export const REQUIRED = Symbol("required");
/** Declared "" in Pulumi.yaml: the stack's detection profile supplies it (presets.ts). */
export const FROM_PROFILE = Symbol("from the detection profile");

export type JsonValue =
    string | number | boolean | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface Setting<T> {
    /** Pulumi.yaml's type: Pulumi type-checks declared types (lists are lists of strings). */
    readonly type?: "string" | "integer" | "boolean" | "array";
    readonly default: JsonValue | typeof REQUIRED | typeof FROM_PROFILE;
    /** What it does and takes (Markdown), for Pulumi.yaml's description and the README. */
    readonly doc: string;
    /** Reads the raw text Pulumi hands the program; its issues name the rule broken. */
    readonly schema: Schema<T>;
}

const setting = <T>(declared: Setting<T>): Setting<T> => declared;

/**
 * CloudWatch Logs accepts only these retention periods, in days
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
] as const;

/**
 * Lambda lets an account reserve concurrency only down to 100 unreserved executions, and
 * the default account quota is 1,000, so 900 is the most a default account accepts; new
 * accounts may start at a quota of 10 and cannot reserve any
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export const MAX_RESERVED_CONCURRENCY = 900;

const region = (doc: string) =>
    setting({ type: "string", default: REQUIRED, doc, schema: optionalText() });
const retention = oneOf(
    LOG_RETENTION_DAYS.map(String) as [string, ...string[]],
    `one of ${LOG_RETENTION_DAYS.join(", ")} (days)`,
).transform(Number);

export const SETTINGS = {
    primaryRegion: region(
        "Region of the primary cluster and its monitoring cell; same region set (US, Europe, Asia Pacific or one of `extraRegionSets`) as `secondaryRegion` and `witnessRegion`. Changing it replaces the pair.",
    ),
    secondaryRegion: region(
        "Region of the secondary cluster and its monitoring cell; same region set as `primaryRegion`, another region. Changing it replaces the pair.",
    ),
    witnessRegion: region(
        "Witness region of the pair; same region set, different from both cluster regions. Changing it replaces the pair.",
    ),
    alertEmail: setting({
        type: "array",
        default: [],
        schema: alertEmailSchema,
        doc: "E-mail addresses (a list; ASCII, at most 254 characters) subscribed to both regions' alert topics; each confirms the subscription from AWS's e-mail. Optional when `alertSlack`, `alertTeams` or `alertHttpsEndpoints` names another destination: at least one is required.",
    }),
    alertSlack: setting({
        default: [],
        schema: alertSlackSchema,
        doc: "Slack channels through AWS Chatbot, a list of `{workspaceId, channelId, name?}` (e.g. T07EA123LEP, C07EZ1ABC23). Authorize the workspace in the AWS Chatbot console first; one configuration per Slack channel in an account.",
    }),
    alertTeams: setting({
        default: [],
        schema: alertTeamsSchema,
        doc: "Microsoft Teams channels through AWS Chatbot, a list of `{teamId, channelId, tenantId, name?}`, channelId URL-encoded as in the channel's link (19%3a…%40thread.tacv2). Authorize the team in the AWS Chatbot console first; one channel per team.",
    }),
    alertHttpsEndpoints: setting({
        type: "array",
        default: [],
        schema: httpsEndpointsSchema,
        doc: "Public HTTPS endpoints subscribed to both regions' topics, such as a PagerDuty Amazon CloudWatch integration URL (`https://events.pagerduty.com/integration/<key>/enqueue`), written out as `https://host/…`. **Secret**: set each item with `pulumi config set --path --secret`; plain text is refused, and URLs are never printed.",
    }),
    chatbotRegion: setting({
        type: "string",
        default: "",
        schema: optionalText(),
        doc: "Region of the AWS Chatbot configurations: us-east-2, us-west-2, eu-west-1 or ap-southeast-1 (where the Chatbot API exists). Empty: the first cluster region among them, else us-east-2. Only with `alertSlack` or `alertTeams`.",
    }),
    chatbotGuardrailPolicies: setting({
        type: "array",
        default: [...DEFAULT_GUARDRAIL_POLICY_ARNS],
        schema: guardrailsSchema,
        doc: "IAM managed-policy ARNs that cap what anyone in a chat channel can do through AWS Chatbot. Never empty (with none, Chatbot applies AdministratorAccess). Only with `alertSlack` or `alertTeams`.",
    }),
    clusterPrefix: setting({
        type: "string",
        default: "dr-dsql",
        schema: clusterPrefixSchema,
        doc: "Prefix of the clusters' `Name` tags (identifiers are generated by the service): 2-32 lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen. Not with `monitor-only`.",
    }),
    monitoringSchedule: setting({
        type: "string",
        default: FROM_PROFILE,
        schema: scheduleSchema,
        doc: "EventBridge schedule of the monitors, `rate(1 minute)` to `rate(1 hour)` (`cron(...)` is refused: the alarms need a fixed period); `fast` needs `rate(1 minute)`. Empty: the detection profile's.",
    }),
    lambdaMemoryMb: setting({
        type: "integer",
        default: 256,
        schema: integer(128, 10240, "MB"),
        doc: "Memory of each monitor function, 128-10240 MB (the benchmark measures at most 92 MB resident).",
    }),
    lambdaTimeoutSeconds: setting({
        type: "integer",
        default: FROM_PROFILE,
        schema: profileInteger(1, 900, "seconds"),
        doc: `Timeout of each monitor function, 1-900 s: shorter than the schedule period, and at least one probe bound + 5 s (+ ${(FAST_ROUNDS - 1) * FAST_INTERVAL_SECONDS} s of rounds with \`fast\`). Empty: the profile's, fitted to the schedule.`,
    }),
    reservedConcurrency: setting({
        type: "integer",
        default: 0,
        schema: integer(
            0,
            MAX_RESERVED_CONCURRENCY,
            `executions (0 = no reservation; Lambda keeps 100 of the account's quota unreserved, so a default quota of 1,000 allows ${MAX_RESERVED_CONCURRENCY}, and an account at a quota of 10 allows none)`,
        ),
        doc: `Reserved concurrency of each monitor function; 0 = no reservation, at most ${MAX_RESERVED_CONCURRENCY} (Lambda keeps 100 of the default 1,000 unreserved; an account at a quota of 10 can reserve none).`,
    }),
    deletionProtection: setting({
        type: "boolean",
        default: false,
        schema: boolean(),
        doc: "Deletion protection on both clusters, and Pulumi `protect` on clusters and peerings; marks a production stack (then `runbookUrl` must be an https URL). Not with `monitor-only`.",
    }),
    logRetentionDays: setting({
        type: "integer",
        default: 30,
        schema: retention,
        doc: "Retention of the monitors' log groups, one of CloudWatch Logs' values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …).",
    }),
    dataPlaneProbe: setting({
        type: "boolean",
        default: true,
        schema: boolean(),
        doc: 'The heartbeat commit and read through both clusters, which is how "cluster down" and broken replication are detected. **`false` stops detecting a cluster that cannot serve**: only peering, status and the monitor\'s own health remain.',
    }),
    databaseUser: setting({
        type: "string",
        default: "dr_monitor",
        schema: databaseUserSchema,
        doc: "The monitors' database role: `dr_monitor` (created by `pulumi up` with only the heartbeat table, `dsql:DbConnect`) or `admin` (`dsql:DbConnectAdmin`); 1-63 lower-case letters, digits and _, not starting with a digit, not `pg_*`, `public` or `none`.",
    }),
    probeTimeoutSeconds: setting({
        type: "integer",
        default: FROM_PROFILE,
        schema: profileInteger(1, 60, "seconds"),
        doc: "Bound on each probe step (GetCluster; token, connect, commit, read), 1-60 s (at most 6 s with `fast`). Empty: the profile's.",
    }),
    detectionProfile: setting({
        type: "string",
        default: "standard",
        schema: oneOf(
            DETECTION_PROFILES,
            `one of ${DETECTION_PROFILES.join(", ")} (fast probes every ${FAST_INTERVAL_SECONDS} s with high-resolution alarms)`,
        ),
        doc: `\`standard\` (one probe round per schedule tick) or \`fast\` (${FAST_ROUNDS} rounds ${FAST_INTERVAL_SECONDS} s apart per invocation, high-resolution alarms); it brings the schedule, Lambda timeout, probe bound and N of M the stack leaves empty.`,
    }),
    datapointsToAlarm: setting({
        type: "integer",
        default: FROM_PROFILE,
        schema: profileInteger(1, 10, "alarm periods"),
        doc: 'N of the N-of-M "cluster down" alarms: failed rounds out of `evaluationPeriods`. Empty: the profile\'s (`standard` 2 of 3, `fast` 1 of 1: its rounds are 10 s apart and the agreement of the other monitor already spans several).',
    }),
    evaluationPeriods: setting({
        type: "integer",
        default: FROM_PROFILE,
        schema: profileInteger(1, 10, "alarm periods"),
        doc: 'M, the window of the "cluster down" alarms in probe rounds, 1-10. Empty: the profile\'s.',
    }),
    runbookUrl: setting({
        type: "string",
        default: "docs/runbook.md",
        schema: runbookUrlSchema,
        doc: "Runbook every page links (by section anchor): an https URL without anchor, at most 400 characters, e.g. `https://github.com/<org>/<repo>/blob/main/docs/runbook.md`. The repository path `docs/runbook.md` is accepted with a warning, except with `deletionProtection` on.",
    }),
    sourceMaps: setting({
        type: "boolean",
        default: false,
        schema: boolean(),
        doc: "Ship the monitor's source map and map stack traces (`--enable-source-maps`): a larger package and slower cold starts.",
    }),
    drillDurationMinutes: setting({
        type: "integer",
        default: 10,
        schema: integer(1, 720, "minutes"),
        doc: "Length of a DR drill's fault (`./task drill`), 1-720 minutes (AWS FIS allows 1 minute to 12 hours).",
    }),
    drillPercentage: setting({
        type: "integer",
        default: 100,
        schema: integer(1, 100, "percent of connections"),
        doc: "Share of connections a DR drill makes fail, 1-100 %; below 100 tests partial failure, which may rightly not page.",
    }),
    clusterManagement: setting({
        type: "string",
        default: "create",
        schema: oneOf(
            CLUSTER_MANAGEMENT,
            `one of ${CLUSTER_MANAGEMENT.join(", ")}: create the pair, adopt (import) an existing one, or only monitor it`,
        ),
        doc: "`create` the pair; `adopt` an existing one by import on the next `pulumi up` (then set it back to `create`); `monitor-only`: watch a pair this stack never changes.",
    }),
    primaryClusterIdentifier: setting({
        type: "string",
        default: "",
        schema: clusterIdentifierSchema,
        doc: "The existing primary cluster's identifier (26 lower-case letters and digits), with `adopt` or `monitor-only` only.",
    }),
    secondaryClusterIdentifier: setting({
        type: "string",
        default: "",
        schema: clusterIdentifierSchema,
        doc: "The existing secondary cluster's identifier, with `adopt` or `monitor-only` only.",
    }),
    backup: setting({
        type: "string",
        default: "off",
        schema: oneOf(
            BACKUP_MODES,
            `one of ${BACKUP_MODES.join(", ")}: no backups, AWS Backup of the pair by this stack, or only watching the team's own vaults`,
        ),
        doc: "AWS Backup of the pair: `off`; `on` (a vault per cluster region on a customer-managed key, a daily plan copying each region's recovery point to the other region, pages when a backup or copy fails or the newest is older than the RPO); `external` (only those pages, on the vaults in `backupExternalVaults`). Aurora DSQL must be opted in to AWS Backup per region (README).",
    }),
    backupSchedule: setting({
        type: "string",
        default: DEFAULT_BACKUP_SCHEDULE,
        schema: text(),
        doc: "AWS Backup cron expression (UTC) of each region's backup, daily or on listed weekdays, at least 60 minutes apart; the worst-case RPO must stay within 2 days.",
    }),
    backupStartWindowMinutes: setting({
        type: "integer",
        default: DEFAULT_START_WINDOW_MINUTES,
        schema: integer(60, 10080, "minutes"),
        doc: "Minutes a scheduled backup may wait to start, at least 60 (AWS Backup's least).",
    }),
    backupCompletionWindowMinutes: setting({
        type: "integer",
        default: DEFAULT_COMPLETION_WINDOW_MINUTES,
        schema: integer(60, 10080, "minutes"),
        doc: "Minutes a backup may take from its start; start + completion windows must fit between two backups.",
    }),
    backupRetentionDays: setting({
        type: "integer",
        default: 14,
        schema: integer(1, 36500, "days"),
        doc: "Days recovery points and their copies are kept, 1-36500.",
    }),
    backupExternalVaults: setting({
        default: {},
        schema: externalVaultsSchema,
        doc: 'With `backup: external`: the team\'s vault per cluster region, `{"primary": "<vault>", "secondary": "<vault>"}`.',
    }),
    backupAssumedStoredGb: setting({
        type: "string",
        default: "10",
        schema: gigabytesSchema,
        doc: "Stored size of one recovery point, in GB: only the offline plan's backup cost uses it (`./task plan prod --set backupAssumedStoredGb=50`).",
    }),
    failoverHealthChecks: setting({
        type: "boolean",
        default: false,
        schema: boolean(),
        doc: 'One Route 53 health check per cluster, following the verdict (`FailoverSignal`), for failover records and ARC (README "Fail over your application"); needs `dataPlaneProbe`.',
    }),
    failoverSignalPeriods: setting({
        type: "integer",
        default: 2,
        schema: integer(1, 10, "periods"),
        doc: "Periods in a row an observer must hold a cluster down before its health check turns unhealthy, 1-10.",
    }),
    drillsMoveTraffic: setting({
        type: "boolean",
        default: false,
        schema: boolean(),
        doc: "Let a cluster held down during a maintenance window or drill turn its health check unhealthy (move traffic); off, a drill never moves traffic. Needs `failoverHealthChecks`.",
    }),
    extraRegionSets: setting({
        default: {},
        schema: extraRegionSetsSchema,
        doc: 'Region sets added to the built-in table, e.g. `{"Europe North": ["eu-north-1", "eu-west-1", "eu-central-1"]}`, for regions AWS opened later; commercial-partition regions only, each in one set. Unverified by this project: the plan warns.',
    }),
    tags: setting({
        default: {},
        schema: tagsSchema,
        doc: `Extra tags on every resource, at most ${MAX_USER_TAGS} (AWS takes 50 per resource; the program sets up to 5 of its own on one), keys and values in Aurora DSQL's pattern \`[a-zA-Z0-9_.:/=+\\-@ ]\`, no \`aws:\` prefix, none of the program's own keys (project, environment, managed-by, Name, role, cluster).`,
    }),
} as const;

export type ConfigKey = keyof typeof SETTINGS;
/** Every project config key, in Pulumi.yaml's order. */
export const CONFIG_KEYS = Object.freeze(Object.keys(SETTINGS)) as readonly ConfigKey[];
/** Each key's parsed value. */
export type Parsed = { [K in ConfigKey]: z.output<(typeof SETTINGS)[K]["schema"]> };
