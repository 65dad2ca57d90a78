import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, validateConfig } from "../../infra/config";
import { REGION_SETS } from "../../infra/regions";
import { REPO_ROOT, stackConfig } from "../../tools/pulumi-host/stack-config";

/** A project directory with this Pulumi.yaml and one stack file `Pulumi.t.yaml` of `lines`. */
function projectWith(lines: readonly string[]): string {
    const root = mkdtempSync(path.join(tmpdir(), "stack-file-"));
    copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const [primary, secondary, witness] = Object.values(REGION_SETS)[0];
    const config = [
        `aurora-dsql-dr:primaryRegion: ${primary}`,
        `aurora-dsql-dr:secondaryRegion: ${secondary}`,
        `aurora-dsql-dr:witnessRegion: ${witness}`,
        "aurora-dsql-dr:alertEmail: [oncall@example.com]",
        ...lines,
    ];
    writeFileSync(
        path.join(root, "Pulumi.t.yaml"),
        `config:\n${config.map((l) => `  ${l}`).join("\n")}\n`,
    );
    return root;
}

describe("a stack file's values as the offline tools read them", () => {
    const roots: string[] = [];
    after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
    const read = (lines: readonly string[]) => {
        const root = projectWith(lines);
        roots.push(root);
        return stackConfig("t", {}, root);
    };

    it("hands over numbers as written, as Pulumi does (0x100, 1e3, 256.0 are no whole numbers)", () => {
        const raw = read([
            "aurora-dsql-dr:lambdaMemoryMb: 0x100",
            "aurora-dsql-dr:drillDurationMinutes: 1e3",
            "aurora-dsql-dr:reservedConcurrency: 256.0",
        ]);
        assert.deepEqual(
            [raw.lambdaMemoryMb, raw.drillDurationMinutes, raw.reservedConcurrency],
            ["0x100", "1e3", "256.0"],
        );
        const result = validateConfig("t", raw);
        assert.ok("problems" in result);
        const message = new ConfigError("t", result.problems).message;
        for (const [key, written] of [
            ["lambdaMemoryMb", "0x100"],
            ["drillDurationMinutes", "1e3"],
            ["reservedConcurrency", "256.0"],
        ]) {
            assert.match(
                message,
                new RegExp(
                    `aurora-dsql-dr:${key} = "${written}": a whole number of .*, written in decimal digits`,
                ),
            );
        }
    });

    it("keeps lists and objects as JSON with their own types", () => {
        const raw = read([
            "aurora-dsql-dr:alertSlack:",
            "    - workspaceId: T07EA123LEP",
            "      channelId: 12345",
        ]);
        assert.equal(
            raw.alertSlack,
            JSON.stringify([{ workspaceId: "T07EA123LEP", channelId: 12345 }]),
        );
    });

    it("reads true, false and quoted text as written", () => {
        const raw = read([
            "aurora-dsql-dr:deletionProtection: true",
            "aurora-dsql-dr:clusterPrefix: 'team-dr'",
        ]);
        assert.deepEqual([raw.deletionProtection, raw.clusterPrefix], ["true", "team-dr"]);
    });
});
