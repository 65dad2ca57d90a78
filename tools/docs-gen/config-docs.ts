/**
 * Pulumi.yaml's `config:` block and the README's settings table, generated from the one
 * config declaration (infra/config/declaration.ts). The functions are pure (text in, text
 * out); writeConfigDocs writes both files. A test fails when either file drifts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { CONFIG_KEYS, DETECTION_PRESETS, SETTINGS, type ConfigKey } from "../../infra/config";
import { FROM_PROFILE, REQUIRED } from "../../infra/config/declaration";
import { REPO_ROOT } from "../pulumi-host/stack-config";

export const SETTINGS_START = "<!-- settings:start -->";
export const SETTINGS_END = "<!-- settings:end -->";

/** A declaration's Markdown as plain text, for Pulumi.yaml. */
const plain = (markdown: string) => markdown.replace(/\*\*|`/g, "");

/** One key as Pulumi.yaml declares it. */
function declaredKey(key: ConfigKey): Record<string, unknown> {
    const { type, default: value, doc } = SETTINGS[key];
    const entry: Record<string, unknown> = {};
    // A profile's key is declared "" (unset): Pulumi refuses "" as an integer's default.
    if (type && !(value === FROM_PROFILE && type === "integer")) entry.type = type;
    if (type === "array") entry.items = { type: "string" };
    if (value === FROM_PROFILE) entry.default = "";
    else if (value !== REQUIRED) entry.default = value;
    entry.description = plain(doc);
    return entry;
}

/** The `config:` block of Pulumi.yaml, every key with its type, default and description. */
export function pulumiConfigBlock(): string {
    const config = Object.fromEntries(CONFIG_KEYS.map((key) => [key, declaredKey(key)]));
    return stringify({ config }, { lineWidth: 0 }).split("\n").map(preferredQuotes).join("\n");
}

/**
 * A double-quoted value that holds more double than single quotes, single-quoted instead:
 * the quotes the repository's formatter (Prettier) prefers, so the file stays as generated.
 */
function preferredQuotes(line: string): string {
    const match = /^(\s*[\w-]+: )"(.*)"$/.exec(line);
    if (!match) return line;
    const value = JSON.parse(`"${match[2]}"`) as string;
    const count = (quote: string) => value.split(quote).length - 1;
    return count('"') > count("'") ? `${match[1]}'${value.replace(/'/g, "''")}'` : line;
}

/** `pulumiYaml` with its `config:` block (the top-level key, to the next one) generated. */
export function withPulumiConfig(pulumiYaml: string): string {
    const lines = pulumiYaml.split("\n");
    const start = lines.findIndex((l) => /^config:/.test(l));
    const block = pulumiConfigBlock().trimEnd().split("\n");
    if (start < 0) return `${pulumiYaml.trimEnd()}\n${block.join("\n")}\n`;
    const next = lines.findIndex((l, i) => i > start && /^[^\s#]/.test(l));
    const end = next < 0 ? lines.length : next;
    const rest = lines.slice(end).join("\n");
    return [...lines.slice(0, start), ...block].join("\n") + (rest.trim() ? `\n${rest}` : "\n");
}

/** How the README shows a key's default. */
function shownDefault(key: ConfigKey): string {
    const value = SETTINGS[key].default;
    if (value === REQUIRED) return "required";
    if (value === "") return "none";
    if (value === FROM_PROFILE) {
        const k = key as keyof (typeof DETECTION_PRESETS)["standard"];
        const each = Object.entries(DETECTION_PRESETS).map(
            ([p, preset]) => `\`${p}\` \`${preset[k]}\``,
        );
        return `none: the profile's (${each.join(", ")})`;
    }
    return `\`${JSON.stringify(value).replace(/^"|"$/g, "")}\``;
}

/** Display width as a Markdown formatter counts it: wide (East Asian, emoji) characters take two. */
function width(text: string): number {
    let n = 0;
    for (const ch of text) {
        if (/\p{Mn}/u.test(ch)) continue;
        n +=
            /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(
                ch,
            )
                ? 2
                : 1;
    }
    return n;
}

/** A Markdown table, columns padded as the repository's formatter (Prettier) pads them. */
export function markdownTable(
    header: readonly string[],
    rows: readonly (readonly string[])[],
): string {
    const cells = [header, ...rows].map((row) => row.map((c) => c.replace(/\|/g, "\\|")));
    const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => width(row[i]))));
    const line = (row: readonly string[]) =>
        `| ${row.map((c, i) => c + " ".repeat(widths[i] - width(c))).join(" | ")} |`;
    const rule = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
    return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}

/** The README's settings table: key, default, meaning. */
export function settingsTable(): string {
    return markdownTable(
        ["key", "default", "meaning"],
        CONFIG_KEYS.map((key) => [`\`${key}\``, shownDefault(key), SETTINGS[key].doc]),
    );
}

/** `readme` with the table between the settings markers generated (the markers must exist). */
export function withSettingsTable(readme: string): string {
    const start = readme.indexOf(SETTINGS_START);
    const end = readme.indexOf(SETTINGS_END);
    if (start < 0 || end < start) {
        throw new Error(`README.md has no settings markers (${SETTINGS_START} … ${SETTINGS_END})`);
    }
    const before = readme.slice(0, start + SETTINGS_START.length);
    return `${before}\n\n${settingsTable()}\n\n${readme.slice(end)}`;
}

/** Regenerates both files under `root`; returns the ones that changed. */
export function writeConfigDocs(root: string = REPO_ROOT): string[] {
    const changed: string[] = [];
    for (const [file, generate] of [
        ["Pulumi.yaml", withPulumiConfig],
        ["README.md", withSettingsTable],
    ] as const) {
        const target = path.join(root, file);
        const current = readFileSync(target, "utf8");
        const updated = generate(current);
        if (updated !== current) {
            writeFileSync(target, updated);
            changed.push(file);
        }
    }
    return changed;
}
