/**
 * The ten test files that took the longest, printed at the end of `./task test`: for a file
 * in its own process, the file's wall time as the runner reports it when the process
 * completes (files run concurrently, each timed as it ran); for a file in the shared process,
 * the sum of its top-level tests' times (its modules load before them).
 */
import * as path from "node:path";

const SHOWN = 10;

/** Collects file times; `summary()` gives what to print at the end. */
export class SlowestFiles {
    #files = new Map();
    #started = Date.now();

    /** Adds `seconds` to `file` (relative to the repository); a failed part marks it failed. */
    add(file, seconds, passed) {
        const entry = this.#files.get(file) ?? { file, seconds: 0, passed: true, shared: false };
        entry.seconds += seconds;
        entry.passed &&= passed;
        this.#files.set(file, entry);
        return entry;
    }

    /** Listens to a run() stream: a file's own test is the one at nesting 0 named by its path. */
    listen(events, root) {
        events.on("test:complete", (data) => {
            if (data.nesting !== 0 || !data.file || !data.file.endsWith(data.name)) return;
            this.add(
                path.relative(root, data.name),
                (data.details?.duration_ms ?? 0) / 1000,
                data.details?.passed !== false,
            );
        });
    }

    /** One top-level test of a file in the shared process. */
    addShared({ file, seconds, passed }) {
        this.add(file, seconds, passed).shared = true;
    }

    summary() {
        const total = (Date.now() - this.#started) / 1000;
        const all = [...this.#files.values()];
        const slowest = all.sort((a, b) => b.seconds - a.seconds).slice(0, SHOWN);
        return [
            `\nSlowest ${slowest.length} of ${all.length} test files (each file's wall time; whole run ${total.toFixed(1)} s):`,
            ...slowest.map(
                ({ file, seconds, passed, shared }) =>
                    `  ${seconds.toFixed(1).padStart(6)} s  ${file}${shared ? "  (shared process)" : ""}${passed ? "" : "  (failed)"}`,
            ),
            "",
        ].join("\n");
    }
}
