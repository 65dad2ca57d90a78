import * as pulumi from "@pulumi/pulumi";
import { ALERT_CONFIG_KEYS, parseAlertRouting, type AlertRouting } from "./alert-config";
import {
    detection,
    DETECTION_PROFILES,
    FAST_INTERVAL_SECONDS,
    MONITOR_OVERHEAD_SECONDS,
    type DetectionProfile,
} from "./detection";
import { REGION_SETS, regionSetOf, regionsOf } from "./regions";
import { schedulePeriodSeconds } from "./schedule";

/** Every project config key, as declared in Pulumi.yaml. */
export const CONFIG_KEYS = [
    "primaryRegion",
    "secondaryRegion",
    "witnessRegion",
    "alertEmail",
    "clusterPrefix",
    "monitoringSchedule",
    "lambdaMemoryMb",
    "lambdaTimeoutSeconds",
    "reservedConcurrency",
    "deletionProtection",
    "logRetentionDays",
    "dataPlaneProbe",
    "databaseUser",
    "probeTimeoutSeconds",
    "detectionProfile",
    "datapointsToAlarm",
    "evaluationPeriods",
    "runbookUrl",
    "sourceMaps",
    "drillDurationMinutes",
    "drillPercentage",
    "clusterManagement",
    "primaryClusterIdentifier",
    "secondaryClusterIdentifier",
    "extraRegionSets",
    ...ALERT_CONFIG_KEYS,
    "tags",
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** This program's config namespace (the project name). */
export const PROJECT = "aurora-dsql-dr";

/**
 * Raw stack config as Pulumi stores it, strings with objects and arrays JSON-encoded: this
 * project's keys without their namespace, and every other key (another namespace, or a key
 * this program does not know) with it, so validation can name what it does not expect.
 */
export type RawConfig = Partial<Record<ConfigKey, string>> & Readonly<Record<string, string>>;

/** The validated, typed configuration of one stack. */
export interface StackConfig {
    readonly stack: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    readonly witnessRegion: string;
    readonly alertEmails: readonly string[];
    /** Chat channels and HTTPS endpoints besides e-mail; endpoint URLs are secrets. */
    readonly alertRouting: AlertRouting;
    readonly clusterPrefix: string;
    readonly monitoringSchedule: string;
    readonly schedulePeriodSeconds: number;
    readonly lambdaMemoryMb: number;
    readonly lambdaTimeoutSeconds: number;
    /** 0 means no reservation; at most MAX_RESERVED_CONCURRENCY (an account at a quota of 10 cannot reserve any). */
    readonly reservedConcurrency: number;
    readonly deletionProtection: boolean;
    readonly logRetentionDays: number;
    readonly dataPlaneProbe: boolean;
    readonly databaseUser: string;
    readonly probeTimeoutSeconds: number;
    readonly detectionProfile: DetectionProfile;
    /** N of M for the "cannot serve" alarms. */
    readonly datapointsToAlarm: number;
    readonly evaluationPeriods: number;
    /** Where the paging alarms' runbook links point (sections by anchor). */
    readonly runbookUrl: string;
    /** Ship the monitor's source map and map stack traces with it. */
    readonly sourceMaps: boolean;
    /** The DR drill's fault: how long, on what share of connections. */
    readonly drillDurationMinutes: number;
    readonly drillPercentage: number;
    /**
     * Who owns the pair: "create" (this stack creates and peers it), "adopt" (it imports an
     * existing pair on the next up), "monitor-only" (it watches a pair it does not manage).
     */
    readonly clusterManagement: ClusterManagement;
    /** The existing pair's identifiers (adopt and monitor-only). */
    readonly existingClusters?: Readonly<{ primary: string; secondary: string }>;
    /** Region sets the stack adds to the built-in table; the plan warns they are unverified. */
    readonly extraRegionSets: Readonly<Record<string, readonly string[]>>;
    readonly tags: Readonly<Record<string, string>>;
}

export const CLUSTER_MANAGEMENT = ["create", "adopt", "monitor-only"] as const;
export type ClusterManagement = (typeof CLUSTER_MANAGEMENT)[number];
/** Identifiers Aurora DSQL generates: 26 lower-case letters and digits. */
const CLUSTER_IDENTIFIER = /^[a-z0-9]{26}$/;

/** One rejected value: which key (namespaced as the user wrote it), what it was, what is allowed. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string | undefined;
    readonly allowed: string;
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
] as const;

const FAST_HINT = `${FAST_INTERVAL_SECONDS} s with high-resolution alarms`;
const RUNBOOK = /^(https:\/\/[^\s#]+|docs\/runbook\.md)$/;
/**
 * Every paging alarm's description carries the runbook link, and CloudWatch takes at most
 * 1,024 characters of AlarmDescription (PutMetricAlarm, PutCompositeAlarm); the longest
 * description leaves room for a link of this length (a test checks every description).
 */
export const MAX_RUNBOOK_URL_LENGTH = 400;
/**
 * Role names PostgreSQL refuses to create: the pg_ prefix and "public" and "none"
 * (https://www.postgresql.org/docs/current/sql-createrole.html, "reserved").
 */
const RESERVED_DATABASE_USER = /^(pg_.*|public|none)$/;
/** A mailbox SNS will deliver to: no spaces or list separators, dot-separated labels. */
const EMAIL = /^[^\s@,;"<>]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const PREFIX = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const DATABASE_USER = /^[a-z_][a-z0-9_]{0,62}$/;
/**
 * Tags go on every resource, Aurora DSQL clusters included, whose service model allows
 * only `[a-zA-Z0-9_.:/=+\-@ ]*` in keys and values (IAM, CloudWatch Logs and SSM allow
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, a superset); keys 1-128, values up to 256 characters; IAM
 * and CloudWatch Logs take at most 50 tags per resource, the three standard tags included
 * (service models of aws-sdk botocore 1.43: dsql TagKey/TagValue, iam tagKeyType/tagListType,
 * logs Tags).
 */
const TAG_TEXT = /^[a-zA-Z0-9_.:/=+\-@ ]*$/;
export const MAX_TAGS_PER_RESOURCE = 50;
/** Tags every resource carries besides the stack's own (see providers.ts). */
export const STANDARD_TAG_KEYS = ["project", "environment", "managed-by"] as const;
/**
 * Lambda lets an account reserve concurrency only down to 100 unreserved executions, and
 * the default account quota is 1,000, so 900 is the most a default account accepts; new
 * accounts may start at a quota of 10 and cannot reserve any
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export const MAX_RESERVED_CONCURRENCY = 900;

/**
 * A configuration Pulumi must not run. A Pulumi RunError, so Pulumi's Node.js language
 * host prints only its message (it prints any other error with util.inspect).
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        public readonly stackName: string,
        public readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack "${stackName}" (nothing was declared):\n` +
                problems.map((p) => `  - ${describe(p)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function describe(p: ConfigProblem): string {
    const shown = p.value === undefined ? "is not set" : `= ${JSON.stringify(p.value)}`;
    const key = p.key.includes(":") ? p.key : `${PROJECT}:${p.key}`;
    return `${key} ${shown}: ${p.allowed}`;
}

/** Parses and checks raw config. Pure: plain values in, a config or a problem list out. */
export function validateConfig(
    stack: string,
    raw: RawConfig,
    /** Keys Pulumi holds encrypted (PULUMI_CONFIG_SECRET_KEYS); unknown offline. */
    secretKeys?: readonly string[],
): { config: StackConfig } | { problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = unexpectedKeys(raw);
    const fail = (key: ConfigKey, allowed: string): undefined => {
        problems.push({ key, value: raw[key], allowed });
        return undefined;
    };

    // The built-in region sets, extended by the stack's own (unverified by this project).
    const extra = parseRegionSets(raw.extraRegionSets);
    if (typeof extra === "string") fail("extraRegionSets", extra);
    const sets = { ...REGION_SETS, ...(typeof extra === "string" ? {} : extra) };
    const setOf = (region: string) => regionSetOf(region, sets);

    const region = (key: ConfigKey): string | undefined => {
        const value = raw[key]?.trim();
        if (!value) return fail(key, `required; one of ${regionsOf(sets).join(", ")}`);
        if (!setOf(value)) {
            return fail(
                key,
                `not an Aurora DSQL multi-region region; allowed: ${describeRegionSets(sets)} (extend with extraRegionSets)`,
            );
        }
        return value;
    };
    const integer = (key: ConfigKey, min: number, max: number, unit: string) => {
        const text = raw[key]?.trim();
        const value = Number(text);
        if (!text || !Number.isInteger(value) || value < min || value > max) {
            return fail(key, `a whole number of ${unit} from ${min} to ${max}`);
        }
        return value;
    };
    const boolean = (key: ConfigKey) => {
        const text = raw[key]?.trim();
        if (text === "true" || text === "false") return text === "true";
        return fail(key, "true or false");
    };

    const primaryRegion = region("primaryRegion");
    const secondaryRegion = region("secondaryRegion");
    const witnessRegion = region("witnessRegion");
    if (primaryRegion && secondaryRegion) {
        if (primaryRegion === secondaryRegion) {
            fail("secondaryRegion", `must differ from primaryRegion (${primaryRegion})`);
        } else if (setOf(primaryRegion) !== setOf(secondaryRegion)) {
            fail(
                "secondaryRegion",
                `must be in the same region set as primaryRegion ${primaryRegion} (${setOf(primaryRegion)}: ${sets[setOf(primaryRegion)!].join(", ")})`,
            );
        }
    }
    if (primaryRegion && witnessRegion) {
        const set = sets[setOf(primaryRegion)!];
        if (witnessRegion === primaryRegion || witnessRegion === secondaryRegion) {
            fail(
                "witnessRegion",
                `must differ from both cluster regions (${primaryRegion}, ${secondaryRegion}); choose from ${set.filter((r) => r !== primaryRegion && r !== secondaryRegion).join(", ")}`,
            );
        } else if (!set.includes(witnessRegion)) {
            fail(
                "witnessRegion",
                `must be in the peers' region set (${setOf(primaryRegion)}: ${set.filter((r) => r !== primaryRegion && r !== secondaryRegion).join(", ")})`,
            );
        }
    }

    const alertEmails = parseEmails(raw.alertEmail);
    if (typeof alertEmails === "string") fail("alertEmail", alertEmails);
    // Chat channels and HTTPS endpoints; at least one destination of any kind.
    const alerting = parseAlertRouting(raw, {
        alertEmails: typeof alertEmails === "string" ? undefined : alertEmails,
        clusterRegions: [primaryRegion, secondaryRegion].filter((r): r is string => !!r),
        secretKeys,
    });
    if ("problems" in alerting) problems.push(...alerting.problems);

    const clusterPrefix = raw.clusterPrefix?.trim();
    if (!clusterPrefix || !PREFIX.test(clusterPrefix)) {
        fail(
            "clusterPrefix",
            "2 to 32 characters: lower-case letters, digits and hyphens, starting with a letter",
        );
    }

    const monitoringSchedule = raw.monitoringSchedule?.trim() ?? "";
    const period = schedulePeriodSeconds(monitoringSchedule);
    if (typeof period === "string") fail("monitoringSchedule", period);

    const lambdaMemoryMb = integer("lambdaMemoryMb", 128, 10240, "MB");
    const lambdaTimeoutSeconds = integer("lambdaTimeoutSeconds", 1, 900, "seconds");
    const reservedConcurrency = integer(
        "reservedConcurrency",
        0,
        MAX_RESERVED_CONCURRENCY,
        `executions (0 = no reservation; Lambda keeps 100 of the account's quota unreserved, so a default quota of 1,000 allows ${MAX_RESERVED_CONCURRENCY}, and an account at a quota of 10 allows none)`,
    );
    const probeTimeoutSeconds = integer("probeTimeoutSeconds", 1, 60, "seconds");
    const detectionProfile = raw.detectionProfile?.trim() as DetectionProfile;
    if (!DETECTION_PROFILES.includes(detectionProfile)) {
        fail(
            "detectionProfile",
            `one of ${DETECTION_PROFILES.join(", ")} (fast probes every ${FAST_HINT})`,
        );
    } else if (detectionProfile === "fast" && typeof period === "number" && period !== 60) {
        fail(
            "monitoringSchedule",
            `must be rate(1 minute) with detectionProfile fast (its rounds fill one minute); got ${monitoringSchedule}`,
        );
    }
    const evaluationPeriods = integer("evaluationPeriods", 1, 10, "alarm periods");
    const datapointsToAlarm = integer("datapointsToAlarm", 1, 10, "alarm periods");
    if (
        datapointsToAlarm !== undefined &&
        evaluationPeriods !== undefined &&
        datapointsToAlarm > evaluationPeriods
    ) {
        fail(
            "datapointsToAlarm",
            `at most evaluationPeriods (${evaluationPeriods}): N failed rounds out of the last M`,
        );
    }
    if (
        lambdaTimeoutSeconds !== undefined &&
        typeof period === "number" &&
        probeTimeoutSeconds !== undefined &&
        DETECTION_PROFILES.includes(detectionProfile)
    ) {
        const { invocationSeconds, rounds, intervalSeconds } = detection({
            detectionProfile,
            schedulePeriodSeconds: period,
            probeTimeoutSeconds,
            datapointsToAlarm: datapointsToAlarm ?? 1,
            evaluationPeriods: evaluationPeriods ?? 1,
        });
        if (invocationSeconds >= period) {
            fail(
                "probeTimeoutSeconds",
                `at most ${period - 1 - (rounds - 1) * intervalSeconds - MONITOR_OVERHEAD_SECONDS} s with detectionProfile ${detectionProfile} and ${monitoringSchedule}: ${rounds > 1 ? `${rounds - 1} × ${intervalSeconds} s between rounds, ` : ""}one probe bound and ${MONITOR_OVERHEAD_SECONDS} s must fit in one schedule period`,
            );
        } else if (lambdaTimeoutSeconds >= period) {
            fail(
                "lambdaTimeoutSeconds",
                `must be shorter than the schedule period (${period} s from ${monitoringSchedule}), or runs would overlap`,
            );
        } else if (lambdaTimeoutSeconds < invocationSeconds) {
            fail(
                "lambdaTimeoutSeconds",
                `must be at least ${invocationSeconds} s: ${rounds > 1 ? `${rounds - 1} × ${intervalSeconds} s between rounds + ` : ""}one probe bound of probeTimeoutSeconds (${probeTimeoutSeconds} s) + 5 s`,
            );
        }
    }

    const deletionProtection = boolean("deletionProtection");
    const dataPlaneProbe = boolean("dataPlaneProbe");
    const sourceMaps = boolean("sourceMaps");
    // AWS FIS takes 1 minute to 12 hours, and 1-100 % of connections for this action.
    const drillDurationMinutes = integer("drillDurationMinutes", 1, 720, "minutes");
    const drillPercentage = integer("drillPercentage", 1, 100, "percent of connections");

    const retentionText = raw.logRetentionDays?.trim();
    const logRetentionDays = Number(retentionText);
    if (!retentionText || !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
        fail("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")} (days)`);
    }

    const databaseUser = raw.databaseUser?.trim();
    if (
        !databaseUser ||
        !DATABASE_USER.test(databaseUser) ||
        RESERVED_DATABASE_USER.test(databaseUser)
    ) {
        fail(
            "databaseUser",
            'a PostgreSQL role name ("admin", or a custom role granted to the monitor\'s IAM role): lower-case letters, digits and underscores, not starting with pg_ and not "public" or "none" (PostgreSQL reserves those)',
        );
    }

    const runbookUrl = raw.runbookUrl?.trim() ?? "";
    if (!RUNBOOK.test(runbookUrl) || runbookUrl.length > MAX_RUNBOOK_URL_LENGTH) {
        fail(
            "runbookUrl",
            `an https:// URL of the runbook without an anchor, at most ${MAX_RUNBOOK_URL_LENGTH} characters (or the repository path docs/runbook.md)`,
        );
    }

    const clusterManagement = (raw.clusterManagement?.trim() ?? "create") as ClusterManagement;
    if (!CLUSTER_MANAGEMENT.includes(clusterManagement)) {
        fail(
            "clusterManagement",
            `one of ${CLUSTER_MANAGEMENT.join(", ")}: create the pair, adopt (import) an existing one, or only monitor it`,
        );
    }
    const identifiers = (["primaryClusterIdentifier", "secondaryClusterIdentifier"] as const).map(
        (key) => {
            const value = raw[key]?.trim();
            if (clusterManagement === "create") {
                if (value) fail(key, 'only with clusterManagement "adopt" or "monitor-only"');
                return undefined;
            }
            if (!value || !CLUSTER_IDENTIFIER.test(value)) {
                return fail(
                    key,
                    `the existing cluster's identifier (26 lower-case letters and digits, as "aws dsql list-clusters" shows it), required with clusterManagement "${clusterManagement}"`,
                );
            }
            return value;
        },
    );
    if (identifiers[0] && identifiers[0] === identifiers[1]) {
        fail("secondaryClusterIdentifier", "must differ from primaryClusterIdentifier");
    }
    const existingClusters =
        identifiers[0] && identifiers[1]
            ? Object.freeze({ primary: identifiers[0], secondary: identifiers[1] })
            : undefined;

    const tags = parseTags(raw.tags);
    if (typeof tags === "string") fail("tags", tags);

    if (problems.length > 0) return { problems };
    return {
        config: Object.freeze({
            stack,
            primaryRegion: primaryRegion!,
            secondaryRegion: secondaryRegion!,
            witnessRegion: witnessRegion!,
            alertEmails: Object.freeze(alertEmails as string[]),
            alertRouting: (alerting as { routing: AlertRouting }).routing,
            clusterPrefix: clusterPrefix!,
            monitoringSchedule,
            schedulePeriodSeconds: period as number,
            lambdaMemoryMb: lambdaMemoryMb!,
            lambdaTimeoutSeconds: lambdaTimeoutSeconds!,
            reservedConcurrency: reservedConcurrency!,
            deletionProtection: deletionProtection!,
            logRetentionDays,
            dataPlaneProbe: dataPlaneProbe!,
            databaseUser: databaseUser!,
            probeTimeoutSeconds: probeTimeoutSeconds!,
            detectionProfile,
            datapointsToAlarm: datapointsToAlarm!,
            evaluationPeriods: evaluationPeriods!,
            runbookUrl,
            sourceMaps: sourceMaps!,
            drillDurationMinutes: drillDurationMinutes!,
            drillPercentage: drillPercentage!,
            clusterManagement,
            existingClusters,
            extraRegionSets: Object.freeze(typeof extra === "string" ? {} : extra),
            tags: Object.freeze(tags as Record<string, string>),
        }),
    };
}

function describeRegionSets(sets: Readonly<Record<string, readonly string[]>>): string {
    return Object.entries(sets)
        .map(([set, regions]) => `${set}: ${regions.join(", ")}`)
        .join("; ");
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** `text` as a JSON object (unset or blank: empty), or undefined when it is not one. */
function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
    if (!text?.trim()) return {};
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    return isObject ? (value as Record<string, unknown>) : undefined;
}

/**
 * Region sets the stack adds to the built-in table ({ "name": ["region", ...] }), for
 * regions AWS has opened to multi-Region clusters since the table was checked.
 */
function parseRegionSets(text: string | undefined): Record<string, string[]> | string {
    const shape =
        'an object of region-set names to lists of regions, such as {"Europe North": ["eu-north-1", "eu-west-1", "eu-central-1"]}';
    const value = jsonObject(text);
    if (!value) return shape;
    const seen = new Map<string, string>();
    for (const [name, regions] of Object.entries(value)) {
        if (REGION_SETS[name]) return `"${name}" is a built-in region set; give yours another name`;
        if (!Array.isArray(regions) || regions.length < 3) {
            return `set "${name}": a list of at least three regions (two clusters and a witness)`;
        }
        for (const region of regions) {
            if (typeof region !== "string" || !REGION.test(region)) {
                return `set "${name}": ${JSON.stringify(region)} is not an AWS region name`;
            }
            const other = seen.get(region) ?? regionSetOf(region);
            if (other) return `${region} is in two region sets ("${other}" and "${name}")`;
            seen.set(region, name);
        }
    }
    return value as Record<string, string[]>;
}

/**
 * A list of addresses: Pulumi.yaml declares alertEmail as an array, so the CLI itself
 * refuses a plain string; the plan is held to the same rule.
 */
function parseEmails(text: string | undefined): string[] | string {
    const howTo =
        "a list of e-mail addresses (pulumi config set --path 'aurora-dsql-dr:alertEmail[0]' ops@example.com)";
    // None is allowed when another destination exists (checked with the alert routing).
    if (!text?.trim()) return [];
    let list: unknown;
    try {
        list = JSON.parse(text);
    } catch {
        return `${howTo}; a plain string is not a list`;
    }
    if (!Array.isArray(list)) return howTo;
    const bad = list.findIndex((v) => typeof v !== "string" || !EMAIL.test(v));
    if (bad >= 0)
        return `item ${bad} (${JSON.stringify(list[bad])}) is not an e-mail address; ${howTo}`;
    const repeated = list.find((v, i) => list.indexOf(v) !== i);
    if (repeated !== undefined) return `${JSON.stringify(repeated)} is listed twice`;
    return list as string[];
}

function parseTags(text: string | undefined): Record<string, string> | string {
    const shape = `an object of tag keys to string values, at most ${MAX_TAGS_PER_RESOURCE - STANDARD_TAG_KEYS.length} tags`;
    const value = jsonObject(text);
    if (!value) return shape;
    const entries = Object.entries(value);
    if (entries.length + STANDARD_TAG_KEYS.length > MAX_TAGS_PER_RESOURCE) {
        return `${entries.length} tags plus the ${STANDARD_TAG_KEYS.length} standard ones exceed the ${MAX_TAGS_PER_RESOURCE} IAM and CloudWatch Logs allow per resource`;
    }
    const seen = new Map<string, string>();
    for (const [k, v] of entries) {
        // IAM takes tag keys case-insensitively, and every resource also carries the standard ones.
        const folded = k.toLowerCase();
        if (seen.has(folded)) {
            return `tag keys ${JSON.stringify(seen.get(folded))} and ${JSON.stringify(k)} differ only in case; IAM takes tag keys case-insensitively`;
        }
        seen.set(folded, k);
        if (
            k.length < 1 ||
            k.length > 128 ||
            !TAG_TEXT.test(k) ||
            k.toLowerCase().startsWith("aws:")
        ) {
            return `tag key ${JSON.stringify(k)}: 1-128 of A-Z a-z 0-9 space _ . : / = + - @ (Aurora DSQL's pattern), not starting with aws:`;
        }
        if ((STANDARD_TAG_KEYS as readonly string[]).includes(folded)) {
            return `tag key ${JSON.stringify(k)} is set by the program itself (${STANDARD_TAG_KEYS.join(", ")})`;
        }
        if (typeof v !== "string" || v.length > 256 || !TAG_TEXT.test(v)) {
            return `tag ${JSON.stringify(k)}: value ${JSON.stringify(v)} must be a string of up to 256 of A-Z a-z 0-9 space _ . : / = + - @ (Aurora DSQL's pattern)`;
        }
    }
    return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Keys this program would silently ignore: Pulumi passes undeclared keys through, so a
 * typo (`monitoringSchedle`) or a near-miss namespace (`aurora-dsql_dr:`) would deploy
 * the default instead. Each is a problem naming the closest key this program knows.
 */
function unexpectedKeys(raw: RawConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const [key, value] of Object.entries(raw)) {
        if ((CONFIG_KEYS as readonly string[]).includes(key)) continue;
        const [namespace, name] = key.includes(":") ? splitKey(key) : [PROJECT, key];
        const known = CONFIG_KEYS.join(", ");
        if (namespace === PROJECT) {
            problems.push({
                key: `${PROJECT}:${name}`,
                value,
                allowed: `not a setting of this program${suggest(name, CONFIG_KEYS)}; known settings: ${known}`,
            });
        } else if (
            namespace !== PROJECT &&
            distance(normalise(namespace), normalise(PROJECT)) <= 2
        ) {
            problems.push({
                key,
                value,
                allowed: `namespace "${namespace}" is not this project's ("${PROJECT}"), so nothing reads it${suggest(name, CONFIG_KEYS, `${PROJECT}:`)}`,
            });
        }
    }
    return problems;
}

const splitKey = (key: string): [string, string] => {
    const at = key.indexOf(":");
    return [key.slice(0, at), key.slice(at + 1)];
};
const normalise = (s: string) => s.toLowerCase().replace(/[-_.]/g, "");

function suggest(name: string, candidates: readonly string[], prefix = ""): string {
    const best = [...candidates].sort((a, b) => distance(name, a) - distance(name, b))[0];
    return best && distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, best.length / 3)
        ? `; did you mean ${prefix}${best}?`
        : "";
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(
                row[j] + 1,
                row[j - 1] + 1,
                previous + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
            previous = current;
        }
    }
    return row[b.length];
}

/**
 * This program's keys without their namespace, every other key with it, from the map
 * Pulumi hands a program (`<namespace>:<key>` → string).
 */
export function rawConfigOf(all: Readonly<Record<string, string>>): RawConfig {
    const raw: Record<string, string> = {};
    for (const [qualified, value] of Object.entries(all)) {
        const [namespace, key] = splitKey(qualified);
        const known = namespace === PROJECT && (CONFIG_KEYS as readonly string[]).includes(key);
        raw[known ? key : qualified] = value;
    }
    return raw;
}

/** Reads this stack's config and validates it; throws before anything is declared. */
export function loadConfig(): StackConfig {
    const raw = rawConfigOf(pulumi.runtime.allConfig());
    // The language host names the keys the stack holds encrypted.
    const secretKeys = process.env.PULUMI_CONFIG_SECRET_KEYS;
    const result = validateConfig(
        pulumi.getStack(),
        raw,
        secretKeys ? (JSON.parse(secretKeys) as string[]) : undefined,
    );
    if ("problems" in result) throw new ConfigError(pulumi.getStack(), result.problems);
    return result.config;
}
