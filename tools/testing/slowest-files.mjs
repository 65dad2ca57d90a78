/**
 * The ten test files that took the longest, printed at the end of `./task test`: each file's
 * own wall time, as the runner reports it when the file's process completes (files run
 * concurrently, each timed as it ran).
 */
import * as path from "node:path";

const SHOWN = 10;

/**
 * Listens to a run() stream's events and returns what to print at its end, paths relative to
 * `root`. A file's own test is the one at nesting 0 named by its path.
 */
export function slowestFiles(events, root) {
    const files = [];
    const started = Date.now();
    events.on("test:complete", (data) => {
        if (data.nesting !== 0 || !data.file || !data.file.endsWith(data.name)) return;
        files.push({
            file: path.relative(root, data.name),
            seconds: (data.details?.duration_ms ?? 0) / 1000,
            passed: data.details?.passed !== false,
        });
    });
    return () => {
        const total = (Date.now() - started) / 1000;
        const slowest = files.sort((a, b) => b.seconds - a.seconds).slice(0, SHOWN);
        return [
            `\nSlowest ${slowest.length} of ${files.length} test files (each file's wall time; whole run ${total.toFixed(1)} s):`,
            ...slowest.map(
                ({ file, seconds, passed }) =>
                    `  ${seconds.toFixed(1).padStart(6)} s  ${file}${passed ? "" : "  (failed)"}`,
            ),
            "",
        ].join("\n");
    };
}
