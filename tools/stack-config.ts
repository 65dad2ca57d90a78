import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_KEYS, type ConfigKey, type RawConfig } from "../infra/config";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const PROJECT = "aurora-dsql-dr";

interface ProjectFile {
    config: Record<string, { default?: unknown; description?: string; type?: string }>;
}

/** Pulumi.yaml's config declarations: key → default and description. */
export function projectConfig(root: string = REPO_ROOT): ProjectFile["config"] {
    const file = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
    return file.config;
}

/** Pulumi stores every config value as a string; objects and arrays as JSON. */
function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The raw config `pulumi up --stack <stack>` would see: Pulumi.yaml defaults overlaid by
 * Pulumi.<stack>.yaml, then by `overrides` (unprefixed keys). Unknown keys are refused.
 */
export function stackConfig(
    stack: string,
    overrides: Partial<Record<ConfigKey, string>> = {},
    root: string = REPO_ROOT,
): RawConfig {
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    let values: Record<string, unknown>;
    try {
        values =
            (parse(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> })
                ?.config ?? {};
    } catch (error) {
        throw new Error(`Cannot read stack file ${stackFile}: ${(error as Error).message}`, {
            cause: error,
        });
    }
    const raw: RawConfig = {};
    for (const [key, declaration] of Object.entries(projectConfig(root))) {
        if (declaration.default !== undefined) raw[key as ConfigKey] = encode(declaration.default);
    }
    for (const [qualified, value] of Object.entries(values)) {
        const [project, key] = qualified.includes(":")
            ? qualified.split(":", 2)
            : [PROJECT, qualified];
        if (project !== PROJECT) continue; // provider settings such as aws:region
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            throw new Error(
                `${stackFile}: unknown config key ${qualified}; known keys: ${CONFIG_KEYS.join(", ")}`,
            );
        }
        raw[key as ConfigKey] = encode(value);
    }
    return { ...raw, ...overrides };
}
