// One cold invocation in a fresh process: import the bundle, wire its SQL probe to local
// servers (no TLS, static password), invoke once, print the timings as the last line.
const started = performance.now();
const bundle = await import(process.argv[2]);
const imported = performance.now();
const ports = JSON.parse(process.env.BENCH_SQL_PORTS);
const handler = bundle.createHandler({
    ...bundle.productionDependencies(process.env),
    sql: bundle.pgProber({
        password: async () => process.env.BENCH_SQL_PASSWORD,
        tls: false,
        address: (cluster) => ({ host: "127.0.0.1", port: ports[cluster.identifier] }),
    }),
});
const summary = await handler({ time: new Date().toISOString() });
const done = performance.now();
process.stdout.write(
    "\nBENCH " +
        JSON.stringify({
            moduleInitMs: imported - started,
            invocationMs: done - imported,
            coldInvocationMs: done - started,
            healthy: summary.clusters.map((c) => c.healthy),
        }) +
        "\n",
    () => process.exit(0),
);
