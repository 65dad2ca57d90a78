/**
 * Monitor benchmark: prints bundle size (raw and zipped), cold start of a fresh process
 * (module init and one full invocation against local stub endpoints: a GetCluster stub
 * over HTTP and a real PostgreSQL), and hang isolation (wall time of an invocation whose
 * second cluster never answers, divided by the probe bound). Writes the figures to
 * monitor-function/benchmark.json, which the offline plan's cost figure reads.
 *
 *   npm run bench [-- --runs 15]
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import * as path from "node:path";
import { parseArgs, promisify } from "node:util";
import { deflateRawSync } from "node:zlib";
import { ENV, clusterEndpoint } from "../monitor-function/src/contract";
import { MONITOR_BUILD_DIR, MONITOR_BUILD_FILES } from "../infra/monitor-code";
import { startPostgres } from "./embedded-postgres";
import { BENCHMARK_FILE } from "./figures";

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

/** GetCluster over HTTP: every cluster ACTIVE and peered, except `hung`, which never answers. */
function controlPlaneStub(hung: Set<string>) {
    return createHttpServer((request, response) => {
        const identifier = decodeURIComponent(request.url!.split("/").pop()!.split("?")[0]);
        if (hung.has(identifier)) return; // never answers
        const cluster = CLUSTERS.find((c) => c.identifier === identifier)!;
        response.setHeader("content-type", "application/json");
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

function monitorEnvironment(
    controlPlanePort: number,
    sqlPorts: Record<string, number>,
    timeoutMs: number,
) {
    const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        AWS_ACCESS_KEY_ID: "AKIABENCHMARK",
        AWS_SECRET_ACCESS_KEY: "benchmark",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_DSQL: `http://127.0.0.1:${controlPlanePort}`,
        [ENV.witnessRegion]: "us-west-2",
        [ENV.observerRegion]: "us-east-1",
        [ENV.dataPlaneProbe]: "true",
        [ENV.databaseUser]: "postgres",
        [ENV.controlPlaneTimeoutMs]: String(timeoutMs),
        [ENV.dataPlaneTimeoutMs]: String(timeoutMs),
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
    invocationMs: number;
    coldInvocationMs: number;
    healthy: boolean[];
}

async function coldRun(env: Record<string, string>): Promise<ColdRun> {
    const driver = path.join(__dirname, "bench-cold.mjs");
    const { stdout } = await run(
        process.execPath,
        [driver, path.join(MONITOR_BUILD_DIR, "index.mjs")],
        { env },
    );
    const line = stdout.split("\n").find((l) => l.startsWith("BENCH "));
    if (!line) throw new Error(`no result from the cold-start driver:\n${stdout}`);
    return JSON.parse(line.slice(6)) as ColdRun;
}

const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main() {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "15" } } });
    const runs = Math.max(10, Number(values.runs));

    const bundle = readFileSync(path.join(MONITOR_BUILD_DIR, "index.mjs"));
    const packageFiles = MONITOR_BUILD_FILES.map((f) =>
        readFileSync(path.join(MONITOR_BUILD_DIR, f)),
    );
    const zipped = (b: Buffer) => deflateRawSync(b, { level: 9 }).length;

    const closers: (() => Promise<void>)[] = [];
    const healthyStub = controlPlaneStub(new Set());
    const hungStub = controlPlaneStub(new Set([CLUSTERS[1].identifier]));
    const silent = createServer(() => undefined);
    try {
        const postgres = await startPostgres(PASSWORD);
        closers.push(() => postgres.close());
        const pgPort = postgres.port;
        const healthyPort = await listen(healthyStub);
        const hungPort = await listen(hungStub);
        const silentPort = await listen(silent);
        const sqlPorts = Object.fromEntries(CLUSTERS.map((c) => [c.identifier, pgPort]));

        const cold: ColdRun[] = [];
        for (let i = 0; i < runs; i++)
            cold.push(await coldRun(monitorEnvironment(healthyPort, sqlPorts, 5000)));
        if (!cold.every((r) => r.healthy.every(Boolean)))
            throw new Error("a cold run did not see both clusters healthy");

        const timeoutMs = 1000;
        const hangControl = await coldRun(monitorEnvironment(hungPort, sqlPorts, timeoutMs));
        const hangSql = await coldRun(
            monitorEnvironment(
                healthyPort,
                { ...sqlPorts, [CLUSTERS[1].identifier]: silentPort },
                timeoutMs,
            ),
        );
        const result = {
            bundleBytes: bundle.length,
            zippedBytes: zipped(bundle),
            packageZippedBytes: packageFiles.reduce((sum, f) => sum + zipped(f), 0),
            moduleInitMs: round(median(cold.map((r) => r.moduleInitMs))),
            coldInvocationMs: round(median(cold.map((r) => r.coldInvocationMs))),
            warmInvocationMs: round(median(cold.map((r) => r.invocationMs))),
            hangRatio: round(
                Math.max(hangControl.invocationMs, hangSql.invocationMs) / timeoutMs,
                3,
            ),
            hangRatioControlPlane: round(hangControl.invocationMs / timeoutMs, 3),
            hangRatioDataPlane: round(hangSql.invocationMs / timeoutMs, 3),
            runs,
            node: process.version,
        };
        writeFileSync(BENCHMARK_FILE, JSON.stringify(result, null, 2) + "\n");
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        console.log(`Monitor benchmark (${runs} cold runs, Node ${process.version})`);
        console.log(
            `  bundle size             ${kb(result.bundleBytes)} raw, ${kb(result.zippedBytes)} zipped (target ≤ 300 KB); package with source map ${kb(result.packageZippedBytes)} zipped`,
        );
        console.log(`  module init (median)    ${result.moduleInitMs} ms (target ≤ 150 ms)`);
        console.log(
            `  cold invocation (median) ${result.coldInvocationMs} ms: import + one invocation, GetCluster stub + real PostgreSQL (target ≤ 400 ms)`,
        );
        console.log(
            `  hang ratio              ${result.hangRatio} (wall time ÷ ${timeoutMs} ms probe bound; control plane hung ${result.hangRatioControlPlane}, SQL hung ${result.hangRatioDataPlane}; target ≤ 1.1)`,
        );
        console.log(`  written to ${path.relative(process.cwd(), BENCHMARK_FILE)}`);
    } finally {
        healthyStub.close();
        hungStub.closeAllConnections();
        hungStub.close();
        silent.close();
        for (const close of closers) await close();
    }
}

main().then(
    () => process.exit(0),
    (error: Error) => {
        console.error(error.stack ?? error.message);
        process.exit(1);
    },
);
