import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

/** Every command that is a tool of its own, with its own usage. */
const TOOLS = [
    "plan",
    "profiles",
    "drill",
    "maintenance",
    "retire",
    "preview-guard",
    "bench",
    "docs",
];
const HINT = (tool: string) => `Run "./task ${tool} --help" for usage.`;
const HOME = mkdtempSync(path.join(os.tmpdir(), "commands-test-"));
after(() => rmSync(HOME, { recursive: true, force: true }));

interface Result {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs `command` from the repository root with only node on PATH (no pulumi, no aws), no
 * AWS credentials, and a home of its own.
 */
function spawn(command: string, args: readonly string[]): Promise<Result> {
    return new Promise((resolve) =>
        execFile(
            command,
            [...args],
            {
                cwd: REPO_ROOT,
                env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME },
                timeout: 60_000,
            },
            (error, stdout, stderr) =>
                resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        ),
    );
}

/** A tool's real entry point, as `./task <tool>` runs it. */
const tool = (name: string, ...args: string[]) =>
    spawn(process.execPath, ["--import", "tsx", path.join("tools", "cli", `${name}.ts`), ...args]);
const task = (...args: string[]) => spawn(path.join(REPO_ROOT, "task"), args);

/** Runs the jobs, at most `limit` at a time (each is a Node process on a shared machine). */
async function limited<T>(jobs: (() => Promise<T>)[], limit = 3): Promise<T[]> {
    const results: T[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const i = next++;
            results[i] = await jobs[i]();
        }
    };
    await Promise.all(Array.from({ length: limit }, worker));
    return results;
}

const lines = (text: string) => text.replace(/\n$/, "").split("\n");
const wide = (text: string) => lines(text).filter((line) => [...line].length > 100);
/** Content and modification time of the files `./task docs` writes (it rewrites them as they are). */
const fingerprint = () =>
    ["README.md", "docs/architecture.md", "docs/architecture.prod.md"].map((f) => {
        const file = path.join(REPO_ROOT, f);
        const digest = createHash("sha256").update(readFileSync(file)).digest("hex");
        return `${f} ${digest} ${statSync(file).mtimeMs}`;
    });

describe("./task", () => {
    it("lists its commands, one line each, with no argument and with --help, -h or help", async () => {
        const runs = await Promise.all([task(), task("--help"), task("-h"), task("help")]);
        for (const run of runs) {
            assert.equal(run.code, 0, run.stderr);
            assert.equal(run.stderr, "");
            assert.equal(run.stdout, runs[0].stdout);
        }
        const listed = lines(runs[0].stdout)
            .map((line) => /^ {2}(\S+) +\S/.exec(line)?.[1])
            .filter((name): name is string => name !== undefined);
        const scripts = Object.keys(
            JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts,
        );
        assert.deepEqual([...listed].sort(), [...scripts].sort(), "every npm script, once");
        for (const name of [...TOOLS, "test"]) assert.ok(listed.includes(name), name);
        assert.deepEqual(wide(runs[0].stdout), []);
    });

    it("names the closest commands for an unknown one and exits 2", async () => {
        const [plans, dril, nothing, escape] = await Promise.all([
            task("plans"),
            task("dril", "dev"),
            task("deploy-everything"),
            task("pl\u001b[31man"),
        ]);
        assert.equal(plans.code, 2);
        assert.equal(
            plans.stderr,
            'task: unknown command "plans"; did you mean plan?\n' +
                'Run "./task --help" for the list of commands.\n',
        );
        assert.equal(plans.stdout, "");
        assert.equal(dril.code, 2);
        assert.match(dril.stderr, /did you mean drill\?/);
        assert.equal(nothing.code, 2);
        assert.match(nothing.stderr, /^task: unknown command "deploy-everything"\n/);
        assert.equal(escape.code, 2);
        assert.ok(!escape.stderr.includes("\u001b"), "no raw escape character on the terminal");
    });
});

describe("every command answers --help and refuses a wrong command line alike", () => {
    let help: Result[];
    let short: Result[];
    let bogus: Result[];
    let missingPulumi: Record<string, Result>;
    let fingerprintBefore: string[];

    before(async () => {
        fingerprintBefore = fingerprint();
        const jobs = [
            ...TOOLS.map((name) => () => tool(name, "--help")),
            ...["drill", "preview-guard"].map((name) => () => tool(name, "-h")),
            ...TOOLS.map((name) => () => tool(name, "--bogus")),
            () => tool("drill", "dev", "--cluster", "primary"),
            () => tool("maintenance", "dev", "status"),
            () => tool("retire", "dev", "--yes"),
        ];
        const results = await limited(jobs);
        help = results.slice(0, TOOLS.length);
        short = results.slice(TOOLS.length, TOOLS.length + 2);
        bogus = results.slice(TOOLS.length + 2, 2 * TOOLS.length + 2);
        const [drill, maintenance, retire] = results.slice(2 * TOOLS.length + 2);
        missingPulumi = { drill, maintenance, retire };
    });

    it("prints its usage on stdout with --help, exit 0, within 100 columns", () => {
        TOOLS.forEach((name, i) => {
            const run = help[i];
            assert.equal(run.code, 0, `${name}: ${run.stderr}`);
            assert.equal(run.stderr, "", name);
            assert.match(run.stdout, new RegExp(`^usage: \\./task ${name}`), name);
            assert.match(run.stdout, /Exit codes: 0 /, `${name} states its exit codes`);
            assert.deepEqual(wide(run.stdout), [], name);
        });
        assert.deepEqual(
            short.map((run) => run.stdout),
            [help[TOOLS.indexOf("drill")].stdout, help[TOOLS.indexOf("preview-guard")].stdout],
            "-h is --help",
        );
    });

    it("docs --help regenerates nothing", () => {
        assert.deepEqual(fingerprint(), fingerprintBefore);
    });

    it("refuses an unknown flag in one line and a hint to --help, exit 2, without parseArgs text or a stack", () => {
        TOOLS.forEach((name, i) => {
            const run = bogus[i];
            assert.equal(run.code, 2, `${name}: ${run.stderr}`);
            assert.equal(run.stdout, "", name);
            const [first, second, ...rest] = lines(run.stderr);
            assert.match(first, new RegExp(`^${name}: unknown flag "--bogus" \\(flags: `), name);
            assert.equal(second, HINT(name));
            assert.deepEqual(rest, [], name);
            assert.doesNotMatch(run.stderr, /Unknown option|To specify a positional/, name);
        });
    });

    it("says the same about a missing Pulumi CLI in every tool that needs it, exit 1", () => {
        const message =
            'refused: the Pulumi CLI ("pulumi") is not on PATH: install it ' +
            "(https://www.pulumi.com/docs/iac/download-install/) and log in to the stack's backend";
        for (const [name, run] of Object.entries(missingPulumi)) {
            assert.equal(run.code, 1, `${name}: ${run.stderr}`);
            assert.ok(run.stderr.startsWith(`${name}: ${message}`), `${name} says: ${run.stderr}`);
            assert.doesNotMatch(run.stderr, /^\s+at /m, `${name}: no stack trace`);
        }
    });
});
