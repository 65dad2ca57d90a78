import assert from "node:assert/strict";
import {
    ConfigError,
    PROJECT,
    validateConfig,
    type ConfigProblem,
    type RawConfig,
    type StackConfig,
} from "../../infra/config";
import { REGION_SETS } from "../../infra/regions";
import { projectConfig } from "../../tools/pulumi-host/stack-config";

/** Pulumi stores every value as text; lists and objects as JSON. */
const encode = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * A config as `pulumi up` would hand it over for a stack that sets only what it must: the
 * three regions of the first built-in region set and one e-mail address, every other key
 * at Pulumi.yaml's default. It depends on no stack file.
 */
export function baseConfig(): Record<string, string> {
    const [primaryRegion, secondaryRegion, witnessRegion] = Object.values(REGION_SETS)[0];
    const defaults = Object.entries(projectConfig())
        .filter(([, declaration]) => declaration.default !== undefined)
        .map(([key, declaration]) => [key, encode(declaration.default)]);
    return {
        ...Object.fromEntries(defaults),
        primaryRegion,
        secondaryRegion,
        witnessRegion,
        alertEmail: JSON.stringify(["oncall@example.com"]),
    };
}

/** The base config with `overrides` (bare keys are this project's) and `unset` removed. */
export function configWith(
    overrides: Record<string, string>,
    unset: readonly string[] = [],
): RawConfig {
    const raw: Record<string, string> = { ...baseConfig(), ...overrides };
    for (const key of unset) delete raw[key];
    return raw;
}

/** The problems of the base config with `overrides`; fails if it is accepted. */
export function problems(
    overrides: Record<string, string>,
    unset: readonly string[] = [],
): readonly ConfigProblem[] {
    const result = validateConfig("test", configWith(overrides, unset));
    assert.ok(
        "problems" in result,
        `expected ${JSON.stringify(overrides).slice(0, 300)} to be rejected`,
    );
    return result.problems;
}

/** The ConfigError message for the base config with `overrides`; fails if it is accepted. */
export const rejection = (
    overrides: Record<string, string>,
    unset: readonly string[] = [],
): string => new ConfigError("test", problems(overrides, unset)).message;

/** The config of the base config with `overrides`; fails with the message if it is rejected. */
export function accepted(overrides: Record<string, string>): StackConfig {
    const result = validateConfig("test", configWith(overrides));
    if ("problems" in result) assert.fail(new ConfigError("test", result.problems).message);
    return result.config;
}

/** The line of `message` that reports `key` (this project's unless namespaced). */
export function problemOf(message: string, key: string): string {
    const namespaced = key.includes(":") ? key : `${PROJECT}:${key}`;
    const line = message.split("\n").find((l) => l.startsWith(`  - ${namespaced} `));
    assert.ok(line, `expected a problem with ${namespaced} in:\n${message}`);
    return line;
}

/** Every problem line of `message` (after its heading). */
export const problemLines = (message: string): string[] => message.split("\n").slice(1);

export const json = JSON.stringify;
