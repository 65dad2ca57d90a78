/**
 * Loads, once, the source modules most test files share, before the test files start. tsx
 * caches each TypeScript transform under the temp directory; on a fresh machine (CI) the
 * first dozen test processes would otherwise all transform the same sources at once, which
 * made a run about 20 s longer on 2 cores.
 *
 * Left out: the test files (node:test would run what they register) and the entry points,
 * each loaded by one process only (tools/cli/, whose commands act when run; infra/index.ts,
 * which declares the program). The modules are only loaded, nothing is called; one that
 * fails to load is skipped, since the tests that use it say why.
 * Usage: node --import tsx tools/testing/warm-transforms.mjs
 */
import { globSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./test-files.mjs";

/** The modules to load, relative to the repository. */
export const SHARED_SOURCES = ["monitor-function/src", "infra", "tools"]
    .flatMap((dir) => globSync(`${dir}/**/*.ts`, { cwd: ROOT }))
    .filter((file) => !/(^|\/)(node_modules|dist)\//.test(file) && !file.endsWith(".d.ts"))
    .filter((file) => file !== "infra/index.ts" && !file.startsWith("tools/cli/"))
    .sort();

/** Loads each module of SHARED_SOURCES in turn; a failure is skipped. */
async function warm() {
    for (const file of SHARED_SOURCES) {
        await import(pathToFileURL(path.join(ROOT, file)).href).catch(() => undefined);
    }
}

// Run, not imported (the tests import the list; a top-level await would stop them).
if (import.meta.url === pathToFileURL(process.argv[1]).href) void warm();
