// One fresh process: import the shipped bundle, wire its data plane to a local PostgreSQL
// (no TLS, static password), invoke once, then time warm rounds. Prints the timings as the
// last line. Waiting between fast-profile rounds is skipped: it is sleep, not work.
import { Buffer } from "node:buffer";

const started = performance.now();
const bundle = await import(process.argv[2]);
const imported = performance.now();
const ports = JSON.parse(process.env.BENCH_SQL_PORTS);
const warmRuns = Number(process.env.BENCH_WARM_RUNS ?? "10");
let logBytes = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
    logBytes += Buffer.byteLength(chunk);
    return write(chunk, ...rest);
};
const deps = bundle.productionDependencies(process.env);
const handler = bundle.createHandler({
    ...deps,
    sleep: async () => undefined,
    dataPlane: (settings) =>
        bundle.pgDataPlane({
            user: settings.databaseUser,
            password: async () => process.env.BENCH_SQL_PASSWORD,
            tls: false,
            address: (cluster) => ({ host: "127.0.0.1", port: ports[cluster.identifier] }),
            reuse: settings.probeRounds > 1,
        }),
});
const first = await handler({ time: new Date().toISOString() });
const done = performance.now();
const firstLogBytes = logBytes;
const warm = [];
for (let i = 0; i < warmRuns; i++) {
    const t = performance.now();
    await handler({ time: new Date().toISOString() });
    warm.push(performance.now() - t);
}
const rounds = first.rounds.length;
process.stdout.write = write;
process.stdout.write(
    "\nBENCH " +
        JSON.stringify({
            moduleInitMs: imported - started,
            coldInvocationMs: done - started,
            warmInvocationMs: warm.sort((a, b) => a - b)[Math.floor(warm.length / 2)],
            rounds,
            logBytesPerRound: firstLogBytes / rounds,
            rssMb: process.memoryUsage().rss / 2 ** 20,
            healthy: first.rounds.every((r) =>
                r.clusters.every((c) => c.dataPlane === "ok" && c.controlPlane === "ok"),
            ),
        }) +
        "\n",
    () => process.exit(0),
);
