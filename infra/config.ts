import * as pulumi from "@pulumi/pulumi";
import { DSQL_REGIONS, REGION_SETS, regionSetOf } from "./regions";
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
    "healthAlarmEvaluationPeriods",
    "tags",
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Raw stack config as Pulumi stores it: strings, objects and arrays JSON-encoded. */
export type RawConfig = Partial<Record<ConfigKey, string>>;

/** The validated, typed configuration of one stack. */
export interface StackConfig {
    readonly stack: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    readonly witnessRegion: string;
    readonly alertEmails: readonly string[];
    readonly clusterPrefix: string;
    readonly monitoringSchedule: string;
    readonly schedulePeriodSeconds: number;
    readonly lambdaMemoryMb: number;
    readonly lambdaTimeoutSeconds: number;
    /** 0 means no reservation (accounts on the default quota of 10 cannot reserve any). */
    readonly reservedConcurrency: number;
    readonly deletionProtection: boolean;
    readonly logRetentionDays: number;
    readonly dataPlaneProbe: boolean;
    readonly databaseUser: string;
    readonly probeTimeoutSeconds: number;
    readonly healthAlarmEvaluationPeriods: number;
    readonly tags: Readonly<Record<string, string>>;
}

/** One rejected value: which key, what it was, what is allowed. */
export interface ConfigProblem {
    readonly key: ConfigKey;
    readonly value: string | undefined;
    readonly allowed: string;
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
] as const;

/** Seconds the monitor needs beyond its two probe steps (start-up, metric flush). */
export const MONITOR_OVERHEAD_SECONDS = 5;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[a-z]{2,}$/i;
const PREFIX = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const DATABASE_USER = /^[a-z_][a-z0-9_]{0,62}$/;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export class ConfigError extends Error {
    constructor(
        public readonly stack: string,
        public readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack "${stack}" (nothing was declared):\n` +
                problems.map((p) => `  - ${describe(p)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function describe(p: ConfigProblem): string {
    const shown = p.value === undefined ? "is not set" : `= ${JSON.stringify(p.value)}`;
    return `aurora-dsql-dr:${p.key} ${shown}: ${p.allowed}`;
}

/** Parses and checks raw config. Pure: plain values in, a config or a problem list out. */
export function validateConfig(
    stack: string,
    raw: RawConfig,
): { config: StackConfig } | { problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const fail = (key: ConfigKey, allowed: string): undefined => {
        problems.push({ key, value: raw[key], allowed });
        return undefined;
    };

    const region = (key: ConfigKey): string | undefined => {
        const value = raw[key]?.trim();
        if (!value) return fail(key, `required; one of ${DSQL_REGIONS.join(", ")}`);
        if (!regionSetOf(value)) {
            return fail(
                key,
                `not an Aurora DSQL multi-region region; allowed: ${describeRegionSets()}`,
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
        } else if (regionSetOf(primaryRegion) !== regionSetOf(secondaryRegion)) {
            fail(
                "secondaryRegion",
                `must be in the same region set as primaryRegion ${primaryRegion} (${regionSetOf(primaryRegion)}: ${REGION_SETS[regionSetOf(primaryRegion)!].join(", ")})`,
            );
        }
    }
    if (primaryRegion && witnessRegion) {
        const set = REGION_SETS[regionSetOf(primaryRegion)!];
        if (witnessRegion === primaryRegion || witnessRegion === secondaryRegion) {
            fail(
                "witnessRegion",
                `must differ from both cluster regions (${primaryRegion}, ${secondaryRegion}); choose from ${set.filter((r) => r !== primaryRegion && r !== secondaryRegion).join(", ")}`,
            );
        } else if (!set.includes(witnessRegion)) {
            fail(
                "witnessRegion",
                `must be in the peers' region set (${regionSetOf(primaryRegion)}: ${set.filter((r) => r !== primaryRegion && r !== secondaryRegion).join(", ")})`,
            );
        }
    }

    const alertEmails = parseEmails(raw.alertEmail);
    if (typeof alertEmails === "string") fail("alertEmail", alertEmails);

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
        1000,
        "executions (0 = no reservation)",
    );
    const probeTimeoutSeconds = integer("probeTimeoutSeconds", 1, 60, "seconds");
    const healthAlarmEvaluationPeriods = integer(
        "healthAlarmEvaluationPeriods",
        1,
        10,
        "schedule periods",
    );
    if (lambdaTimeoutSeconds !== undefined && typeof period === "number") {
        if (lambdaTimeoutSeconds >= period) {
            fail(
                "lambdaTimeoutSeconds",
                `must be shorter than the schedule period (${period} s from ${monitoringSchedule}), or runs would overlap`,
            );
        } else if (
            probeTimeoutSeconds !== undefined &&
            lambdaTimeoutSeconds < 2 * probeTimeoutSeconds + MONITOR_OVERHEAD_SECONDS
        ) {
            fail(
                "lambdaTimeoutSeconds",
                `must be at least ${2 * probeTimeoutSeconds + MONITOR_OVERHEAD_SECONDS} s: two probe steps of probeTimeoutSeconds (${probeTimeoutSeconds} s) plus ${MONITOR_OVERHEAD_SECONDS} s`,
            );
        }
    }

    const deletionProtection = boolean("deletionProtection");
    const dataPlaneProbe = boolean("dataPlaneProbe");

    const retentionText = raw.logRetentionDays?.trim();
    const logRetentionDays = Number(retentionText);
    if (!retentionText || !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
        fail("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")} (days)`);
    }

    const databaseUser = raw.databaseUser?.trim();
    if (!databaseUser || !DATABASE_USER.test(databaseUser)) {
        fail(
            "databaseUser",
            'a PostgreSQL role name ("admin", or a custom role granted to the monitor\'s IAM role): lower-case letters, digits and underscores',
        );
    }

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
            healthAlarmEvaluationPeriods: healthAlarmEvaluationPeriods!,
            tags: Object.freeze(tags as Record<string, string>),
        }),
    };
}

function describeRegionSets(): string {
    return Object.entries(REGION_SETS)
        .map(([set, regions]) => `${set}: ${regions.join(", ")}`)
        .join("; ");
}

/** One address, or a JSON array of addresses (Pulumi stores arrays as JSON). */
function parseEmails(text: string | undefined): string[] | string {
    const allowed = "one e-mail address or a list of them, such as ops@example.com";
    if (!text?.trim()) return allowed;
    let values: unknown = text.trim();
    if (text.trim().startsWith("[")) {
        try {
            values = JSON.parse(text);
        } catch {
            return allowed;
        }
    }
    const list = Array.isArray(values) ? values : [values];
    if (list.length === 0 || !list.every((v) => typeof v === "string" && EMAIL.test(v))) {
        return allowed;
    }
    if (new Set(list).size !== list.length) return `${allowed}, without repeats`;
    return list as string[];
}

function parseTags(text: string | undefined): Record<string, string> | string {
    const allowed =
        "an object of tag keys to string values (keys 1-128 characters, not starting with aws:; values up to 256)";
    if (!text?.trim()) return {};
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return allowed;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return allowed;
    const entries = Object.entries(value);
    const ok = entries.every(
        ([k, v]) => TAG_KEY.test(k) && typeof v === "string" && v.length <= 256,
    );
    return ok ? Object.fromEntries(entries) : allowed;
}

/** Reads this stack's config and validates it; throws before anything is declared. */
export function loadConfig(): StackConfig {
    const config = new pulumi.Config();
    const raw: RawConfig = {};
    for (const key of CONFIG_KEYS) {
        const value = config.get(key);
        if (value !== undefined) raw[key] = value;
    }
    const result = validateConfig(pulumi.getStack(), raw);
    if ("problems" in result) throw new ConfigError(pulumi.getStack(), result.problems);
    return result.config;
}
