import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { CONFIG_KEYS } from "../../infra/config";
import { projectConfig, REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

describe("repository", () => {
    it("locks exactly one copy of @pulumi/pulumi (mocks miss resources otherwise)", () => {
        const lock = JSON.parse(read("package-lock.json"));
        const copies = Object.keys(lock.packages).filter((p) =>
            p.endsWith("node_modules/@pulumi/pulumi"),
        );
        assert.deepEqual(copies, ["node_modules/@pulumi/pulumi"]);
    });

    it("pins TypeScript to 5.x", () => {
        const version = JSON.parse(read("package.json")).devDependencies.typescript;
        assert.match(version, /^5\.\d+\.\d+$/);
        const lock = JSON.parse(read("package-lock.json"));
        assert.match(lock.packages["node_modules/typescript"].version, /^5\./);
    });

    it("declares every config key the program reads in Pulumi.yaml, with a description", () => {
        const declared = projectConfig();
        assert.deepEqual(Object.keys(declared).sort(), [...CONFIG_KEYS].sort());
        for (const [key, declaration] of Object.entries(declared)) {
            assert.ok((declaration.description ?? "").length > 20, `${key} has a description`);
        }
    });

    it("documents every config key in the README with its Pulumi.yaml default", () => {
        const readme = read("README.md");
        for (const [key, declaration] of Object.entries(projectConfig())) {
            const row = readme
                .split("\n")
                .find((line) => new RegExp(`^\\| \`${key}\` +\\|`).test(line));
            assert.ok(row, `README has a row for ${key}`);
            const shown =
                declaration.default === undefined
                    ? "required"
                    : declaration.default === ""
                      ? "none"
                      : `\`${JSON.stringify(declaration.default).replace(/^"|"$/g, "")}\``;
            assert.ok(row.includes(shown), `README row for ${key} shows ${shown}: ${row}`);
        }
    });
});
