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
                () => monitorCodeArchive(false, empty),
                /The monitor function is not built: index\.mjs, index\.mjs\.map missing in .*Run `npm run build`/,
            );
        } finally {
            rmSync(empty, { recursive: true, force: true });
        }
    });

    it("ships the bundle alone unless stack traces are mapped", async () => {
        const assets = await monitorCodeArchive(false).assets;
        assert.deepEqual(Object.keys(assets), ["index.mjs"]);
        assert.match(
            readFileSync(path.join(MONITOR_BUILD_DIR, "index.mjs"), "utf8"),
            /export\s*\{[^}]*handler/,
        );
    });

    it("ships the source map too when sourceMaps is on", async () => {
        const assets = await monitorCodeArchive(true).assets;
        assert.deepEqual(Object.keys(assets).sort(), ["index.mjs", "index.mjs.map"]);
    });
});
