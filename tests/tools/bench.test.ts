import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import {
    BenchmarkError,
    cli,
    MIN_RUNS,
    nonFigures,
    parseCommandLine,
    type BenchOptions,
} from "../../tools/cli/bench";
import { BENCHMARK_FILE, readBenchmark } from "../../tools/testing/benchmark-file";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const exec = promisify(execFile);

/** The benchmark's command on `argv`, with a stand-in for the benchmark that records its options. */
async function bench(...argv: string[]) {
    const ran: BenchOptions[] = [];
    const out: string[] = [];
    const err: string[] = [];
    const code = await cli(argv, async (options) => void ran.push(options), {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
    });
    return { code, ran, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("the benchmark's command line", () => {
    for (const [argv, names] of [
        [["--runs", "abc"], /--runs "abc": expected a whole number of at least 15/],
        [["--runs", "3"], /--runs "3": expected a whole number of at least 15/],
        [["--runs", "15.5"], /--runs "15.5"/],
        [["--runs", "-20"], /--runs/],
        [["--runs="], /--runs ""/],
        [["--bogus"], /^bench: unknown flag "--bogus" \(flags: --runs, --write\)$/m],
        [["--write", "extra"], /^bench: unexpected argument "extra"$/m],
    ] as const) {
        it(`refuses ${argv.join(" ")} with exit 2, one line and a hint, before anything runs`, async () => {
            const { code, ran, stderr } = await bench(...argv);
            assert.equal(code, 2);
            assert.match(stderr, names);
            assert.equal(stderr.split("\n").length, 2, stderr);
            assert.match(stderr, /^Run "\.\/task bench --help" for usage\.$/m);
            assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
            assert.deepEqual(ran, [], "the benchmark did not start");
        });
    }

    it("runs with the default, the minimum and more, writing only when asked", async () => {
        assert.deepEqual((await bench()).ran, [{ runs: MIN_RUNS, write: false }]);
        assert.deepEqual((await bench("--runs", "15")).ran, [{ runs: 15, write: false }]);
        assert.deepEqual((await bench("--runs=40", "--write")).ran, [{ runs: 40, write: true }]);
        assert.equal((await bench("--runs", "40")).code, 0);
    });

    it("prints its usage on --help and -h, and runs nothing", async () => {
        for (const flag of ["--help", "-h"]) {
            const { code, ran, stdout, stderr } = await bench("--runs", "abc", flag);
            assert.equal(code, 0);
            assert.match(stdout, /^usage: \.\/task bench \[--runs N\] \[--write\]$/m);
            assert.equal(stderr, "");
            assert.deepEqual(ran, []);
        }
    });

    it("parses the same way it is called", () => {
        assert.throws(() => parseCommandLine(["--runs", "14"]), { name: "UsageError" });
        assert.deepEqual(parseCommandLine(["--runs", "016"]), { runs: 16, write: false });
    });

    it("prints a failure the benchmark explains without a stack, and exits 1", async () => {
        const err: string[] = [];
        const code = await cli(
            [],
            async () => {
                throw new BenchmarkError("a fast run did not see both clusters healthy");
            },
            { out: () => undefined, err: (line) => err.push(line) },
        );
        assert.equal(code, 1);
        assert.deepEqual(err, ["a fast run did not see both clusters healthy"]);
    });

    it(
        "exits 2 with the message and no stack trace as a process",
        { timeout: 60_000 },
        async () => {
            // A refused command line stops before PostgreSQL or any benchmark process starts.
            const result = await exec(
                process.execPath,
                [
                    "--import",
                    "tsx",
                    path.join(REPO_ROOT, "tools", "cli", "bench.ts"),
                    "--runs",
                    "abc",
                ],
                { cwd: REPO_ROOT, timeout: 50_000 },
            ).then(
                () => ({ code: 0, stderr: "" }),
                (error: { code: number; stderr: string }) => error,
            );
            assert.equal(result.code, 2);
            assert.match(result.stderr, /--runs "abc": expected a whole number of at least 15/);
            assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
        },
    );
});

describe("figures the benchmark records", () => {
    it("names every figure that is not a finite number, nested ones included", () => {
        assert.deepEqual(
            nonFigures({
                warmRoundMs: NaN,
                logBytesPerRound: 900,
                runs: null,
                fast: { warmRoundMs: 15, logBytesPerRound: undefined },
                node: "v24.21.0",
            }),
            ["warmRoundMs=null", "runs=null", "fast.logBytesPerRound=undefined"],
        );
        assert.deepEqual(nonFigures({ warmRoundMs: 51.2, fast: { warmRoundMs: 15 } }), []);
    });
});

describe("reading the recorded benchmark", () => {
    it("returns the committed figures", () => {
        const bench = readBenchmark();
        assert.ok(Number.isFinite(bench.warmRoundMs) && bench.warmRoundMs > 0);
    });

    it("refuses figures that are not numbers, naming them, instead of pricing them", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "bench-"));
        try {
            const file = path.join(dir, "benchmark.json");
            const recorded = JSON.parse(readFileSync(BENCHMARK_FILE, "utf8"));
            recorded.warmRoundMs = null;
            recorded.fast.logBytesPerRound = "807";
            writeFileSync(file, JSON.stringify(recorded));
            assert.throws(
                () => readBenchmark(file),
                /warmRoundMs, fast\.logBytesPerRound must be numbers; measure again with \.\/task bench --write/,
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
