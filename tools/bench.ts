/**
 * Monitor benchmark, on the package that ships: its size (zipped, with and without the
 * source map), and for each detection profile the cold start of a fresh process (module
 * init, then one whole invocation against local endpoints: a GetCluster and SSM stub over
 * HTTP and a real PostgreSQL holding the heartbeat table), the median warm invocation, and
 * the log bytes per round; then hang isolation (an invocation whose second cluster never
 * answers, divided by the probe bound). Medians of at least 15 fresh processes.
 *
 * It prints; with --write it also records the figures in monitor-function/benchmark.json,
 * which the offline plan's cost figure reads. Usage: HELP below (`./task bench --help`).
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { deflateRawSync } from "node:zlib";
import { Client } from "pg";
import { FAST_INTERVAL_SECONDS, FAST_ROUNDS } from "../infra/detection";
import { MONITOR_BUILD_DIR, shippedFiles } from "../infra/monitor-code";
import { ENV, NO_MAINTENANCE, clusterEndpoint } from "../monitor-function/src/contract";
import { applySetup } from "../monitor-function/src/setup";
import { startPostgres } from "./embedded-postgres";
import { BENCHMARK_FILE, type BenchmarkResult } from "./figures";
import { noMorePositionals, parseCommandLine as parseFlags, stringFlag } from "./operator/args";
import { shown, UsageError } from "./operator/errors";
import { consoleIo, EXIT_CODES_HELP, exitWhenDrained, runTool, type ToolIo } from "./operator/tool";

const run = promisify(execFile);
const ACCOUNT = "111122223333";
const PASSWORD = "bench-password";
const CLUSTERS = [
    { role: "primary", region: "us-east-1", identifier: "benchprimaryaaaaaaaaaaaaaa" },
    { role: "secondary", region: "us-east-2", identifier: "benchsecondarybbbbbbbbbbbb" },
] as const;
const arnOf = (c: (typeof CLUSTERS)[number]) =>
    `arn:aws:dsql:${c.region}:${ACCOUNT}:cluster/${c.identifier}`;

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
}

/**
 * GetCluster (REST) and SSM GetParameter (JSON) over HTTP: every cluster ACTIVE and peered,
 * the maintenance window closed; `hung` never answers.
 */
function awsStub(hung: Set<string>) {
    return createHttpServer((request, response) => {
        response.setHeader("content-type", "application/json");
        if (request.headers["x-amz-target"] === "AmazonSSM.GetParameter") {
            request.resume();
            response.end(JSON.stringify({ Parameter: { Value: JSON.stringify(NO_MAINTENANCE) } }));
            return;
        }
        const identifier = decodeURIComponent(request.url!.split("/").pop()!.split("?")[0]);
        if (hung.has(identifier)) return; // never answers
        const cluster = CLUSTERS.find((c) => c.identifier === identifier)!;
        response.end(
            JSON.stringify({
                identifier,
                arn: arnOf(cluster),
                status: "ACTIVE",
                creationTime: 0,
                deletionProtectionEnabled: false,
                multiRegionProperties: {
                    witnessRegion: "us-west-2",
                    clusters: CLUSTERS.map(arnOf),
                },
            }),
        );
    });
}

type Profile = "standard" | "fast";

function monitorEnvironment(
    profile: Profile,
    awsPort: number,
    sqlPorts: Record<string, number>,
    timeoutMs: number,
) {
    const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        AWS_ACCESS_KEY_ID: "AKIABENCHMARK",
        AWS_SECRET_ACCESS_KEY: "benchmark",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_DSQL: `http://127.0.0.1:${awsPort}`,
        AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${awsPort}`,
        [ENV.witnessRegion]: "us-west-2",
        [ENV.observerRegion]: "us-east-1",
        [ENV.dataPlaneProbe]: "true",
        [ENV.databaseUser]: "postgres",
        [ENV.controlPlaneTimeoutMs]: String(timeoutMs),
        [ENV.dataPlaneTimeoutMs]: String(timeoutMs),
        [ENV.heartbeatStaleSeconds]: "90",
        [ENV.probeRounds]: profile === "fast" ? String(FAST_ROUNDS) : "1",
        [ENV.probeIntervalSeconds]: profile === "fast" ? String(FAST_INTERVAL_SECONDS) : "0",
        [ENV.metricResolution]: profile === "fast" ? "1" : "60",
        [ENV.maintenanceParameter]: "/aurora-dsql-dr/bench/maintenance",
        BENCH_SQL_PORTS: JSON.stringify(sqlPorts),
        BENCH_SQL_PASSWORD: PASSWORD,
    };
    for (const c of CLUSTERS) {
        env[ENV.clusterId(c.role)] = c.identifier;
        env[ENV.clusterRegion(c.role)] = c.region;
        env[ENV.clusterArn(c.role)] = arnOf(c);
        env[ENV.clusterEndpoint(c.role)] = clusterEndpoint(c.identifier, c.region);
    }
    return env;
}

interface ColdRun {
    moduleInitMs: number;
    coldInvocationMs: number;
    warmInvocationMs: number;
    rounds: number;
    logBytesPerRound: number;
    rssMb: number;
    healthy: boolean;
}

async function coldRun(env: Record<string, string>, warmRuns = 10): Promise<ColdRun> {
    const driver = path.join(__dirname, "bench-cold.mjs");
    const { stdout } = await run(
        process.execPath,
        [driver, path.join(MONITOR_BUILD_DIR, "index.mjs")],
        { env: { ...env, BENCH_WARM_RUNS: String(warmRuns) }, maxBuffer: 64 * 1024 * 1024 },
    );
    const line = stdout.split("\n").find((l) => l.startsWith("BENCH "));
    if (!line) throw new BenchmarkError(`no result from the cold-start driver:\n${stdout}`);
    return JSON.parse(line.slice(6)) as ColdRun;
}

const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const zipped = (file: string) =>
    deflateRawSync(readFileSync(path.join(MONITOR_BUILD_DIR, file)), { level: 9 }).length;

/** Fewer fresh processes per profile than this make the medians noise. */
export const MIN_RUNS = 15;
const HELP = `usage: ./task bench [--runs N] [--write]

Monitor benchmark, on the package that ships: its size, and per detection profile the cold
start of a fresh process, the median warm invocation and round, the log bytes per round; then
hang isolation. Needs no AWS: local endpoints and a real PostgreSQL on loopback.

Flags:
  --runs N      fresh processes per profile, at least ${MIN_RUNS} (default ${MIN_RUNS})
  --write       record the figures in monitor-function/benchmark.json (the plan's cost reads them)
  -h, --help    this help

${EXIT_CODES_HELP}
`;

const SPEC = { name: "bench", help: HELP };

export interface BenchOptions {
    readonly runs: number;
    readonly write: boolean;
}

/** The benchmark's command line; a UsageError when it is not one. */
export function parseCommandLine(argv: readonly string[]): BenchOptions {
    const { values, positionals } = parseFlags(argv, {
        runs: { type: "string" },
        write: { type: "boolean" },
    });
    noMorePositionals(positionals, 0);
    const runs = stringFlag(values, "runs") ?? String(MIN_RUNS);
    if (!/^\d+$/.test(runs) || Number(runs) < MIN_RUNS) {
        throw new UsageError(
            `--runs ${shown(runs)}: expected a whole number of at least ${MIN_RUNS}`,
        );
    }
    return { runs: Number(runs), write: values.write === true };
}

/** A failure the benchmark explains itself: its message is the whole story. */
export class BenchmarkError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BenchmarkError";
    }
}

/** The figures that are not finite numbers (a recorded null would be priced as 0). */
export function nonFigures(result: Record<string, unknown>, prefix = ""): string[] {
    return Object.entries(result).flatMap(([key, value]) => {
        if (key === "node") return [];
        if (value !== null && typeof value === "object")
            return nonFigures(value as Record<string, unknown>, `${prefix}${key}.`);
        return typeof value === "number" && Number.isFinite(value)
            ? []
            : [`${prefix}${key}=${JSON.stringify(value)}`];
    });
}

async function benchmark({ runs, write }: BenchOptions): Promise<void> {
    const healthyStub = awsStub(new Set());
    const hungStub = awsStub(new Set([CLUSTERS[1].identifier]));
    const silent = createServer(() => undefined);
    const postgres = await startPostgres(PASSWORD);
    try {
        const admin = new Client({
            host: "127.0.0.1",
            port: postgres.port,
            user: "postgres",
            password: PASSWORD,
            database: "postgres",
        });
        await admin.connect();
        await applySetup(
            admin,
            { databaseUser: "admin", monitorRoleArns: [] },
            {
                list: async () => [],
                grant: async () => undefined,
            },
        );
        await admin.end();
        const healthyPort = await listen(healthyStub);
        const hungPort = await listen(hungStub);
        const silentPort = await listen(silent);
        const sqlPorts = Object.fromEntries(CLUSTERS.map((c) => [c.identifier, postgres.port]));

        const profiles: Record<Profile, ColdRun[]> = { standard: [], fast: [] };
        for (const profile of ["standard", "fast"] as const) {
            for (let i = 0; i < runs; i++) {
                const result = await coldRun(
                    monitorEnvironment(profile, healthyPort, sqlPorts, 5000),
                );
                if (!result.healthy)
                    throw new BenchmarkError(`a ${profile} run did not see both clusters healthy`);
                profiles[profile].push(result);
            }
        }
        const timeoutMs = 1000;
        const hangControl = await coldRun(
            monitorEnvironment("standard", hungPort, sqlPorts, timeoutMs),
            0,
        );
        const hangSql = await coldRun(
            monitorEnvironment(
                "standard",
                healthyPort,
                { ...sqlPorts, [CLUSTERS[1].identifier]: silentPort },
                timeoutMs,
            ),
            0,
        );
        const summary = (p: Profile) => ({
            moduleInitMs: round(median(profiles[p].map((r) => r.moduleInitMs))),
            coldInvocationMs: round(median(profiles[p].map((r) => r.coldInvocationMs))),
            warmInvocationMs: round(median(profiles[p].map((r) => r.warmInvocationMs))),
            warmRoundMs: round(median(profiles[p].map((r) => r.warmInvocationMs / r.rounds))),
            logBytesPerRound: Math.round(median(profiles[p].map((r) => r.logBytesPerRound))),
            maxRssMb: Math.round(Math.max(...profiles[p].map((r) => r.rssMb))),
        });
        const standard = summary("standard");
        const fast = summary("fast");
        const result: BenchmarkResult & Record<string, unknown> = {
            bundleBytes: readFileSync(path.join(MONITOR_BUILD_DIR, "index.mjs")).length,
            packageZippedBytes: shippedFiles(false).reduce((sum, f) => sum + zipped(f), 0),
            packageWithSourceMapZippedBytes: shippedFiles(true).reduce(
                (sum, f) => sum + zipped(f),
                0,
            ),
            ...standard,
            fast,
            hangRatioControlPlane: round(
                hangControl.coldInvocationMs / timeoutMs - hangControl.moduleInitMs / timeoutMs,
                3,
            ),
            hangRatioDataPlane: round(
                hangSql.coldInvocationMs / timeoutMs - hangSql.moduleInitMs / timeoutMs,
                3,
            ),
            runs,
            node: process.version,
        };
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        console.log(
            `Monitor benchmark (${runs} fresh processes per profile, Node ${process.version})`,
        );
        console.log(
            `  package as shipped      ${kb(result.packageZippedBytes)} zipped (goal ≤ 300 KB); with the source map (sourceMaps: true) ${kb(result.packageWithSourceMapZippedBytes as number)}`,
        );
        for (const [name, s] of [
            ["standard", standard],
            ["fast", fast],
        ] as const) {
            console.log(
                `  ${name.padEnd(8)} module init ${s.moduleInitMs} ms, cold invocation ${s.coldInvocationMs} ms (import + ${name === "fast" ? FAST_ROUNDS + " rounds, waits skipped" : "one round"}), warm invocation ${s.warmInvocationMs} ms, warm round ${s.warmRoundMs} ms, ${s.logBytesPerRound} log bytes per round, at most ${s.maxRssMb} MB resident`,
            );
        }
        console.log(
            `  hang isolation          wall time ÷ ${timeoutMs} ms bound when one cluster never answers: control plane ${result.hangRatioControlPlane}, data plane ${result.hangRatioDataPlane} (goal ≤ 1.1)`,
        );
        if (write) {
            const bad = nonFigures(result);
            if (bad.length)
                throw new BenchmarkError(
                    `not recorded: figures that are not numbers: ${bad.join(", ")}`,
                );
            writeFileSync(BENCHMARK_FILE, JSON.stringify(result, null, 2) + "\n");
            console.log(`  written to ${path.relative(process.cwd(), BENCHMARK_FILE)}`);
        } else {
            console.log(
                "  (not recorded; --write updates monitor-function/benchmark.json for the plan's cost figure)",
            );
        }
    } finally {
        healthyStub.close();
        hungStub.closeAllConnections();
        hungStub.close();
        silent.close();
        await postgres.close();
    }
}

/**
 * The command: --help prints the usage; a bad command line prints one line and a hint and
 * exits 2, before anything starts; a failure the benchmark explains prints its message and
 * exits 1; anything else is a defect, printed with its stack.
 */
export function cli(
    argv: readonly string[],
    run: (options: BenchOptions) => Promise<void> = benchmark,
    io: ToolIo = consoleIo,
): Promise<number> {
    return runTool(SPEC, argv, io, async () => {
        const options = parseCommandLine(argv);
        try {
            await run(options);
        } catch (error) {
            const e = error as Error;
            io.err(e instanceof BenchmarkError ? e.message : (e.stack ?? e.message));
            return 1;
        }
        return 0;
    });
}

if (require.main === module) void cli(process.argv.slice(2)).then(exitWhenDrained);
