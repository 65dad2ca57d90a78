import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { MONITOR_BUILD_DIR, monitorCodeArchive } from "../../infra/monitor-code";

describe("monitor code asset", () => {
    it("names the build command when the monitor has not been built", () => {
        const empty = mkdtempSync(path.join(tmpdir(), "no-build-"));
        try {
            assert.throws(
                () => monitorCodeArchive(empty),
                /The monitor function is not built: index\.mjs, index\.mjs\.map missing in .*Run `npm run build`/,
            );
        } finally {
            rmSync(empty, { recursive: true, force: true });
        }
    });

    it("packages exactly the bundle and its source map", async () => {
        const archive = monitorCodeArchive();
        const assets = await archive.assets;
        assert.deepEqual(Object.keys(assets).sort(), ["index.mjs", "index.mjs.map"]);
        assert.match(
            readFileSync(path.join(MONITOR_BUILD_DIR, "index.mjs"), "utf8"),
            /export\s*\{[^}]*handler/,
        );
    });
});
