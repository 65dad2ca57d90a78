import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../testing/repo-root";
import { isMap, isScalar, parse, parseDocument } from "yaml";
import { PROJECT, rawConfigOf, type RawConfig } from "../../infra/config";

export { REPO_ROOT };
export { PROJECT };

/** A refusal of what the user asked for, shown as it is. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

interface ProjectFile {
    config: Record<string, { default?: unknown; description?: string; type?: string }>;
}

/** Pulumi.yaml's config declarations: key → default and description. */
export function projectConfig(root: string = REPO_ROOT): ProjectFile["config"] {
    const file = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
    return file.config;
}

/** The stacks of this project: one Pulumi.<stack>.yaml each. */
export function listStacks(root: string = REPO_ROOT): string[] {
    return readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Pulumi stores every config value as a string; objects and arrays as JSON. */
function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A stack file's config as Pulumi hands it over: a scalar as the text the file holds (Pulumi
 * "first, tr[ies] to unmarshal as a string", config.Value in
 * https://github.com/pulumi/pulumi/blob/master/sdk/go/common/resource/config/value.go, so
 * `0x100`, `1e3` or `256.0` reach the program as written, never as 256, 1000 or 256), a
 * list or object as JSON.
 */
function stackFileValues(text: string): Record<string, string> {
    const document = parseDocument(text);
    if (document.errors.length > 0) throw document.errors[0];
    const config = document.get("config", true);
    if (config === undefined || config === null) return {};
    if (!isMap(config)) throw new Error("config: expected a map of keys to values");
    const values: Record<string, string> = {};
    for (const pair of config.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const node = pair.value;
        values[key] = isScalar(node)
            ? node.value === null
                ? ""
                : (node.source ?? String(node.value))
            : encode((node as { toJSON(): unknown } | null)?.toJSON() ?? null);
    }
    return values;
}

/** `--set key=value` pairs as config: this project's keys bare, others with their namespace. */
export function parseOverrides(pairs: readonly string[]): Record<string, string> {
    const overrides: Record<string, string> = {};
    for (const pair of pairs) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new UsageError(`--set ${pair}: expected key=value`);
        const key = pair.slice(0, at);
        overrides[key.includes(":") ? key : `${PROJECT}:${key}`] = pair.slice(at + 1);
    }
    return overrides;
}

/**
 * The raw config `pulumi up --stack <stack>` would hand the program: Pulumi.yaml defaults
 * overlaid by Pulumi.<stack>.yaml, then by `overrides` (namespaced keys). Keys the program
 * does not know are kept (namespaced), for validation to name.
 */
export function stackConfig(
    stack: string,
    overrides: Readonly<Record<string, string>> = {},
    root: string = REPO_ROOT,
): RawConfig {
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    if (!existsSync(stackFile)) {
        throw new UsageError(
            `unknown stack "${stack}": no ${path.relative(root, stackFile)}; stacks of this project: ${listStacks(root).join(", ")}`,
        );
    }
    let values: Record<string, string>;
    try {
        values = stackFileValues(readFileSync(stackFile, "utf8"));
    } catch (error) {
        throw new UsageError(`Cannot read stack file ${stackFile}: ${(error as Error).message}`);
    }
    const all: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(projectConfig(root))) {
        if (declaration.default !== undefined)
            all[`${PROJECT}:${key}`] = encode(declaration.default);
    }
    for (const [qualified, value] of Object.entries(values)) {
        all[qualified.includes(":") ? qualified : `${PROJECT}:${qualified}`] = value;
    }
    for (const [key, value] of Object.entries(overrides)) {
        all[key.includes(":") ? key : `${PROJECT}:${key}`] = value;
    }
    return rawConfigOf(all);
}
