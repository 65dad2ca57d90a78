/**
 * The stack's configuration: raw stack config in, one typed, frozen, validated object out.
 * Every key is declared once (config/declaration.ts: type, default, documentation, rule);
 * validation is pure (config/validate.ts) and reports every problem at once, each naming
 * the key, the escaped value and the rule.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS } from "./config/declaration";
import { ConfigError, PROJECT } from "./config/problem";
import { splitKey } from "./config/unknown-keys";
import { configWarnings, validateConfig, type RawConfig } from "./config/validate";
import type { StackConfig } from "./config/stack-config";

export { CLUSTER_MANAGEMENT, type ClusterManagement } from "./config/cluster-management";
export {
    CONFIG_KEYS,
    LOG_RETENTION_DAYS,
    MAX_RESERVED_CONCURRENCY,
    SETTINGS,
    type ConfigKey,
} from "./config/declaration";
export { MAX_RUNBOOK_URL_LENGTH } from "./config/names";
export { DETECTION_PRESETS, PROFILE_KEYS } from "./config/presets";
export { ConfigError, PROJECT, type ConfigProblem } from "./config/problem";
export {
    MAX_TAGS_PER_RESOURCE,
    MAX_USER_TAGS,
    RESERVED_TAG_KEYS,
    STANDARD_TAG_KEYS,
} from "./config/tags";
export { configWarnings, validateConfig, type RawConfig, type StackConfig };

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

/**
 * Reads this stack's config and validates it; throws before anything is declared. What an
 * accepted config still deserves a word about goes to the engine as warnings.
 */
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
    for (const warning of configWarnings(result.config)) void pulumi.log.warn(warning);
    return result.config;
}
