import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { MONITOR_BUILD_DIR, MONITOR_BUILD_FILES } from "../../infra/monitor-code";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const exec = promisify(execFile);

describe("monitor build", () => {
    // Beside dist/, so source-map paths (relative to the output) match the shipped build.
    const dirs = ["a", "b"].map((n) =>
        mkdtempSync(path.join(REPO_ROOT, "monitor-function", `.build-${n}-`)),
    );
    before(async () => {
        for (const dir of dirs) {
            await exec(process.execPath, [
                path.join(REPO_ROOT, "monitor-function", "build.mjs"),
                dir,
            ]);
        }
    });
    after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

    it("is reproducible: two builds, and the shipped one, are byte for byte equal", () => {
        for (const file of MONITOR_BUILD_FILES) {
            const [a, b] = dirs.map((dir) => readFileSync(path.join(dir, file)));
            assert.ok(a.equals(b), `${file} differs between builds`);
            assert.ok(
                a.equals(readFileSync(path.join(MONITOR_BUILD_DIR, file))),
                `${file} differs from dist/`,
            );
        }
    });

    it("holds no machine-specific path, so builds agree across machines", () => {
        for (const file of MONITOR_BUILD_FILES) {
            const text = readFileSync(path.join(dirs[0], file), "utf8");
            assert.ok(!text.includes(REPO_ROOT), `${file} embeds ${REPO_ROOT}`);
            assert.ok(!text.includes(path.basename(dirs[0])), `${file} embeds its output path`);
        }
    });

    it("is an ES module exporting the handler, with the AWS SDK bundled in", () => {
        const bundle = readFileSync(path.join(dirs[0], "index.mjs"), "utf8");
        assert.match(bundle, /export\s*\{[^}]*\bhandler\b/);
        assert.doesNotMatch(bundle, /from\s*"@aws-sdk\//, "the SDK is bundled, not imported");
        assert.match(bundle, /sourceMappingURL=index\.mjs\.map/);
    });
});
