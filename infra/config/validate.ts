import { alertRules, type AlertValues } from "../alert-config";
import type { DetectionProfile } from "../detection";
import {
    configWarnings,
    managementRules,
    monitorOnlyRules,
    regionRules,
    runbookRule,
    type Values,
} from "./cross-key";
import { CONFIG_KEYS, FROM_PROFILE, REQUIRED, SETTINGS, type ConfigKey } from "./declaration";
import { backupRules, failoverRules } from "./dr-features";
import { problemsOf } from "./parse";
import type { ConfigProblem } from "./problem";
import type { StackConfig } from "./stack-config";
import { timingRules } from "./timing";
import { unexpectedKeys } from "./unknown-keys";

export { configWarnings };

/**
 * Raw stack config as Pulumi stores it, strings with objects and arrays JSON-encoded: this
 * project's keys without their namespace, and every other key (another namespace, or a key
 * this program does not know) with it, so validation can name what it does not expect.
 */
export type RawConfig = Partial<Record<ConfigKey, string>> & Readonly<Record<string, string>>;

/** A key's default as Pulumi would hand it over: strings as they are, the rest as JSON. */
export function defaultText(key: ConfigKey): string | undefined {
    const value = SETTINGS[key].default;
    if (value === REQUIRED) return undefined;
    if (value === FROM_PROFILE) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Every key through its own schema. A key the stack does not hold at all takes its
 * declared default, as Pulumi would (offline tools and tests hand over only what they set).
 */
export function parseKeys(raw: RawConfig): { values: Values; problems: ConfigProblem[] } {
    const values: Record<string, unknown> = {};
    const problems: ConfigProblem[] = [];
    for (const key of CONFIG_KEYS) {
        const text = Object.hasOwn(raw, key) ? raw[key] : defaultText(key);
        const parsed = SETTINGS[key].schema.safeParse(text);
        if (parsed.success) values[key] = parsed.data;
        else problems.push(...problemsOf(key, text, parsed.error));
    }
    return { values: values as Values, problems };
}

/**
 * Parses and checks raw config. Pure: plain values in, a config or every problem out (each
 * key's own, then those between keys, all at once).
 */
export function validateConfig(
    stack: string,
    raw: RawConfig,
    /** Keys Pulumi holds encrypted (PULUMI_CONFIG_SECRET_KEYS); unknown offline. */
    secretKeys?: readonly string[],
): { config: StackConfig } | { problems: ConfigProblem[] } {
    const problems = unexpectedKeys(raw);
    const { values, problems: own } = parseKeys(raw);
    problems.push(...own);
    const regions = regionRules(values, problems);
    const existingClusters = managementRules(values, problems);
    monitorOnlyRules(values, raw, problems);
    runbookRule(values, problems);
    const timing = timingRules(values, problems);
    const backup = backupRules(values, problems);
    const failover = failoverRules(values, problems);
    const alertRouting = alertRules(
        values as AlertValues,
        raw,
        {
            alertEmails: values.alertEmail,
            clusterRegions: regions ? [regions.primary, regions.secondary] : [],
            secretKeys,
        },
        problems,
    );
    if (problems.length > 0 || !regions || !timing || !alertRouting || !backup || !failover)
        return { problems };
    const v = values as Required<Values>;
    return {
        config: Object.freeze({
            stack,
            primaryRegion: regions.primary,
            secondaryRegion: regions.secondary,
            witnessRegion: regions.witness,
            alertEmails: v.alertEmail,
            alertRouting,
            clusterPrefix: v.clusterPrefix,
            ...timing,
            lambdaMemoryMb: v.lambdaMemoryMb,
            reservedConcurrency: v.reservedConcurrency,
            deletionProtection: v.deletionProtection,
            logRetentionDays: v.logRetentionDays,
            dataPlaneProbe: v.dataPlaneProbe,
            databaseUser: v.databaseUser,
            detectionProfile: v.detectionProfile as DetectionProfile,
            runbookUrl: v.runbookUrl,
            sourceMaps: v.sourceMaps,
            drillDurationMinutes: v.drillDurationMinutes,
            drillPercentage: v.drillPercentage,
            clusterManagement: v.clusterManagement,
            existingClusters,
            extraRegionSets: v.extraRegionSets,
            tags: v.tags,
            backup,
            backupAssumedStoredGb: v.backupAssumedStoredGb,
            failover,
        }),
    };
}
