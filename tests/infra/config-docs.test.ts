import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as prettier from "prettier";
import { parse } from "yaml";
import { CONFIG_KEYS, SETTINGS } from "../../infra/config";
import { defaultText } from "../../infra/config/validate";
import {
    pulumiConfigBlock,
    settingsTable,
    SETTINGS_END,
    SETTINGS_START,
    withPulumiConfig,
    withSettingsTable,
} from "../../tools/docs-gen/config-docs";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const REGENERATE =
    "regenerate it with writeConfigDocs (tools/docs-gen/config-docs.ts, run by ./task docs)";
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

/** `text` as the repository's formatter leaves it. */
async function formatted(text: string, file: string): Promise<string> {
    const options = await prettier.resolveConfig(path.join(REPO_ROOT, file));
    return prettier.format(text, { ...options, filepath: path.join(REPO_ROOT, file) });
}

describe("config docs generated from the declaration", () => {
    it("Pulumi.yaml's config block is the generated one (./task docs regenerates it)", () => {
        const file = read("Pulumi.yaml");
        assert.equal(
            withPulumiConfig(file),
            file,
            `Pulumi.yaml drifted from the declaration: ${REGENERATE}`,
        );
    });

    it("the README's settings table is the generated one, between its markers", () => {
        const readme = read("README.md");
        assert.ok(readme.includes(SETTINGS_START) && readme.includes(SETTINGS_END));
        assert.equal(
            withSettingsTable(readme),
            readme,
            `README.md drifted from the declaration: ${REGENERATE}`,
        );
    });

    it("notices a drifted description, default or row", () => {
        const file = read("Pulumi.yaml");
        assert.notEqual(
            withPulumiConfig(file.replace("default: 256", "default: 512")),
            file.replace("default: 256", "default: 512"),
        );
        const readme = read("README.md").replace("| `lambdaMemoryMb` ", "| `lambdaMemory`   ");
        assert.notEqual(withSettingsTable(readme), readme);
    });

    it("generates what the formatter leaves as it is, so lint and generation agree", async () => {
        assert.equal(
            await formatted(withPulumiConfig(read("Pulumi.yaml")), "Pulumi.yaml"),
            withPulumiConfig(read("Pulumi.yaml")),
        );
        const table = `# t\n\n${settingsTable()}\n`;
        assert.equal(await formatted(table, "README.md"), table);
    });

    it("declares every key as Pulumi's project schema wants it", () => {
        const declared = (
            parse(pulumiConfigBlock()) as { config: Record<string, Record<string, unknown>> }
        ).config;
        assert.deepEqual(Object.keys(declared), [...CONFIG_KEYS]);
        const typeOf: Record<string, (v: unknown) => boolean> = {
            string: (v) => typeof v === "string",
            integer: (v) => Number.isInteger(v),
            boolean: (v) => typeof v === "boolean",
            array: (v) => Array.isArray(v) && v.every((item) => typeof item === "string"),
        };
        for (const [key, entry] of Object.entries(declared)) {
            assert.ok(String(entry.description).length > 20, key);
            if (entry.type === undefined) continue;
            assert.ok(["string", "integer", "boolean", "array"].includes(String(entry.type)), key);
            // Pulumi refuses a project whose default is not of the declared type.
            if ("default" in entry)
                assert.ok(
                    typeOf[String(entry.type)](entry.default),
                    `${key}: ${JSON.stringify(entry.default)}`,
                );
            if (entry.type === "array") assert.deepEqual(entry.items, { type: "string" }, key);
        }
    });

    it("declares a default for every key but the three regions (Pulumi requires the others)", () => {
        const declared = (
            parse(pulumiConfigBlock()) as { config: Record<string, Record<string, unknown>> }
        ).config;
        const required = Object.keys(declared).filter((k) => !("default" in declared[k]));
        assert.deepEqual(required, ["primaryRegion", "secondaryRegion", "witnessRegion"]);
    });

    it("has every default pass its own key's rule", () => {
        for (const key of CONFIG_KEYS) {
            const text = defaultText(key);
            if (text === undefined) continue;
            const parsed = SETTINGS[key].schema.safeParse(text);
            assert.ok(parsed.success, `${key}: ${text}`);
        }
    });
});
