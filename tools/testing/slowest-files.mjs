/**
 * A node:test reporter that prints, at the end of a run, the ten test files that took the
 * longest: each file's own wall time, as the runner reports it when the file's process
 * completes (files run concurrently, each timed as it ran). Used next to the spec reporter by
 * `./task test`.
 */
const SHOWN = 10;

export default async function* slowestFiles(source) {
    const files = [];
    const started = Date.now();
    for await (const event of source) {
        // A file's own test: nesting 0, named by its path.
        const { data } = event;
        if (event.type !== "test:complete" || data.nesting !== 0) continue;
        if (!data.file || !data.file.endsWith(data.name)) continue;
        files.push({
            file: data.name,
            seconds: (data.details?.duration_ms ?? 0) / 1000,
            passed: data.details?.passed !== false,
        });
    }
    const total = (Date.now() - started) / 1000;
    const slowest = files.sort((a, b) => b.seconds - a.seconds).slice(0, SHOWN);
    yield `\nSlowest ${slowest.length} of ${files.length} test files (each file's wall time; whole run ${total.toFixed(1)} s):\n`;
    for (const { file, seconds, passed } of slowest) {
        yield `  ${seconds.toFixed(1).padStart(6)} s  ${file}${passed ? "" : "  (failed)"}\n`;
    }
}
