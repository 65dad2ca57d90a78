/**
 * `./task test` after the build: the type check, the lint and the test files at once, since
 * each alone leaves a core idle for long stretches. The tests stream; the type check's and the
 * lint's output is printed when they end, so nothing interleaves. Exits non-zero when any of
 * the three fails, naming which.
 * Usage: node tools/testing/test-all.mjs [test files or globs…]
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";

const files = process.argv.slice(2);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs a command; `stream` pipes its output live, otherwise it is kept for the end. */
function run(name, command, args, stream) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { stdio: stream ? "inherit" : "pipe" });
        const chunks = [];
        child.stdout?.on("data", (d) => chunks.push(d));
        child.stderr?.on("data", (d) => chunks.push(d));
        child.on("close", (code, signal) =>
            resolve({ name, ok: code === 0, code: code ?? signal, output: Buffer.concat(chunks) }),
        );
    });
}

const tests = [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=4",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=./tools/testing/slowest-files.mjs",
    "--test-reporter-destination=stdout",
    ...(files.length > 0 ? files : ["tests/**/*.test.ts"]),
];

const results = await Promise.all([
    run("typecheck", npm, ["run", "--silent", "typecheck"], false),
    run("lint", npm, ["run", "--silent", "lint"], false),
    run("tests", process.execPath, tests, true),
]);
for (const r of results.filter((r) => r.output.length > 0)) {
    process.stdout.write(`\n--- ${r.name} ---\n`);
    process.stdout.write(r.output);
}
const failed = results.filter((r) => !r.ok);
for (const r of failed) process.stderr.write(`${r.name} failed (exit ${r.code})\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
