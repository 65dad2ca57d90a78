/**
 * Runs the test files that may share a process (process-sharing.mjs) in this one, one after
 * another, printing node:test's spec report on stdout. Started by test-all.mjs with an IPC
 * channel, over which it sends each finished file-level test ({ file, seconds, passed }) for
 * the slowest-files summary. Exits 1 when any test fails.
 * Usage: node --import tsx tools/testing/shared-process.mjs <test files…>
 */
import * as path from "node:path";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { ROOT } from "./test-files.mjs";

const files = process.argv.slice(2).map((f) => path.resolve(ROOT, f));
const events = run({ files, isolation: "none", cwd: ROOT });
let failed = false;
events.on("test:fail", () => (failed = true));
events.on("test:complete", (data) => {
    // Under isolation "none" there is no test per file: its top-level tests stand for it.
    if (data.nesting !== 0 || !data.file) return;
    process.send?.({
        file: path.relative(ROOT, data.file),
        seconds: (data.details?.duration_ms ?? 0) / 1000,
        passed: data.details?.passed !== false,
    });
});
const printed = events.compose(spec);
printed.pipe(process.stdout);
await finished(printed);
process.exitCode = failed ? 1 : 0;
