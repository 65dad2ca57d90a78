/**
 * `./task test` after the build: the type check, the lint and the test files at once, since
 * each alone leaves a core idle for long stretches. The tests stream; the type check's and the
 * lint's output is printed when they end, so nothing interleaves. Exits non-zero when any of
 * the three fails, naming which.
 *
 * The test files run four at a time, the longest first (test-files.mjs): `node --test` starts
 * files in alphabetical order, which put the longest ones last and left one core idle while
 * they finished alone. `node:test`'s run() keeps the order given.
 * Usage: node --import tsx tools/testing/test-all.mjs [test files or globs…]
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { slowestFiles } from "./slowest-files.mjs";
import { ROOT, testFiles } from "./test-files.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs a command; its output is kept for the end. */
function quiet(name, command, args) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: ROOT, stdio: "pipe" });
        const chunks = [];
        child.stdout.on("data", (d) => chunks.push(d));
        child.stderr.on("data", (d) => chunks.push(d));
        child.on("close", (code, signal) =>
            resolve({ name, ok: code === 0, code: code ?? signal, output: Buffer.concat(chunks) }),
        );
    });
}

/** The test files, streamed with the spec reporter, then the ten slowest files. */
async function tests(files) {
    let ok = true;
    const events = run({ files: files.map((f) => path.join(ROOT, f)), concurrency: 4, cwd: ROOT });
    events.on("test:fail", () => (ok = false));
    const summary = slowestFiles(events, ROOT);
    const printed = events.compose(spec);
    printed.pipe(process.stdout, { end: false });
    await finished(printed);
    process.stdout.write(summary());
    return { name: "tests", ok, code: ok ? 0 : 1, output: Buffer.alloc(0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const files = testFiles(process.argv.slice(2));
    const results = await Promise.all([
        quiet("typecheck", npm, ["run", "--silent", "typecheck"]),
        quiet("lint", npm, ["run", "--silent", "lint"]),
        tests(files),
    ]);
    for (const r of results.filter((r) => r.output.length > 0)) {
        process.stdout.write(`\n--- ${r.name} ---\n`);
        process.stdout.write(r.output);
    }
    const failed = results.filter((r) => !r.ok);
    for (const r of failed) process.stderr.write(`${r.name} failed (exit ${r.code})\n`);
    process.exitCode = failed.length > 0 ? 1 : 0;
}
