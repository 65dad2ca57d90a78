/**
 * `./task test` after the build: the type check, the lint and the test files at once, since
 * each alone leaves a core idle for long stretches. The tests stream; the type check's and the
 * lint's output is printed when they end, so nothing interleaves. Exits non-zero when any part
 * fails, naming which.
 *
 * The test files that need a process of their own (process-sharing.mjs) run four at a time,
 * the longest first (test-files.mjs): `node --test` starts files in alphabetical order, which
 * put the longest ones last and left one core idle while they finished alone. `node:test`'s
 * run() keeps the order given. The others run one after another in one more process
 * (shared-process.mjs), whose report is printed when it ends.
 * Usage: node --import tsx tools/testing/test-all.mjs [test files or globs…]
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { byProcess } from "./process-sharing.mjs";
import { SlowestFiles } from "./slowest-files.mjs";
import { ROOT, testFiles } from "./test-files.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** A child's exit, with its stdout and stderr as one buffer. */
function collect(child) {
    return new Promise((resolve) => {
        const chunks = [];
        child.stdout.on("data", (d) => chunks.push(d));
        child.stderr.on("data", (d) => chunks.push(d));
        child.on("close", (code, signal) =>
            resolve({ ok: code === 0, code: code ?? signal, output: Buffer.concat(chunks) }),
        );
    });
}

/** Runs a command; its output is kept for the end. */
async function quiet(name, command, args) {
    const result = await collect(spawn(command, args, { cwd: ROOT, stdio: "pipe" }));
    return { ...result, name };
}

/** The files that need their own process, streamed with the spec reporter. */
async function ownProcesses(files, slowest) {
    if (files.length === 0) return { name: "tests", ok: true, code: 0, output: Buffer.alloc(0) };
    let ok = true;
    const events = run({ files: files.map((f) => path.join(ROOT, f)), concurrency: 4, cwd: ROOT });
    events.on("test:fail", () => (ok = false));
    slowest.listen(events, ROOT);
    const printed = events.compose(spec);
    printed.pipe(process.stdout, { end: false });
    await finished(printed);
    return { name: "tests", ok, code: ok ? 0 : 1, output: Buffer.alloc(0) };
}

/** The files that share one process; their report is kept for the end. */
async function sharedProcess(files, slowest) {
    if (files.length === 0) return { name: "shared", ok: true, code: 0, output: Buffer.alloc(0) };
    const child = spawn(
        process.execPath,
        ["--import", "tsx", path.join(ROOT, "tools", "testing", "shared-process.mjs"), ...files],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe", "ipc"] },
    );
    child.on("message", (message) => slowest.addShared(message));
    const result = await collect(child);
    return { ...result, name: `tests sharing one process (${files.length} files)` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const { own, shared } = byProcess(ROOT, testFiles(process.argv.slice(2)));
    const slowest = new SlowestFiles();
    const results = await Promise.all([
        quiet("typecheck", npm, ["run", "--silent", "typecheck"]),
        quiet("lint", npm, ["run", "--silent", "lint"]),
        sharedProcess(shared, slowest),
        ownProcesses(own, slowest),
    ]);
    for (const r of results.filter((r) => r.output.length > 0)) {
        process.stdout.write(`\n--- ${r.name} ---\n`);
        process.stdout.write(r.output);
    }
    process.stdout.write(slowest.summary());
    const failed = results.filter((r) => !r.ok);
    for (const r of failed) process.stderr.write(`${r.name} failed (exit ${r.code})\n`);
    process.exitCode = failed.length > 0 ? 1 : 0;
}
