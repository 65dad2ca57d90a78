/**
 * Which test files may run together in one process. A test file costs a Node process, tsx
 * and, for most, `@pulumi/pulumi` (about 1.5 s of CPU before its first test); run together,
 * the files that touch nothing process-wide pay that once.
 *
 * A file runs in a process of its own when it, or a test module it imports (transitively,
 * under tests/), does any of what the markers below name: state the whole process shares
 * (Pulumi's runtime mocks, the environment, global mock timers, a patched AWS SDK client,
 * the process itself), or waits that are better overlapped with other files' work (servers,
 * child processes). Everything else shares one process, where node:test runs the files one
 * after another (isolation "none": https://nodejs.org/api/test.html#runoptions).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

/** What keeps a file in a process of its own: a pattern in its source, and why. */
export const OWN_PROCESS_MARKERS = [
    { pattern: /\b(declareStack|setMocks|runProgram)\s*\(/, why: "Pulumi runtime" },
    { pattern: /\b(startPairDatabase|startPostgres)\s*\(/, why: "a PostgreSQL server" },
    { pattern: /["']node:child_process["']/, why: "child processes" },
    {
        pattern: /process\.env(\.\w+|\[[^\]]+\])\s*=(?!=)|delete\s+process\.env/,
        why: "the environment",
    },
    { pattern: /process\.(chdir|exit|exitCode)\b/, why: "the process" },
    {
        // node:test's global `mock` (a test's own `t.mock` is undone when the test ends).
        pattern: /(?<![\w.])mock\.(timers|method|module|getter|setter|property|fn)\b/,
        why: "a global mock",
    },
    { pattern: /\bmockClient\s*\(/, why: "an AWS SDK client mock" },
];

/** Relative imports with values (not `import type`) of `file` that lie under `testsDir`. */
function testImports(file, testsDir) {
    const source = readFileSync(file, "utf8");
    const found = [];
    const imports =
        /(?:import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?["'](\.[^"']+)["']|import\s*\(\s*["'](\.[^"']+)["']/g;
    for (const match of source.matchAll(imports)) {
        if (match[1]) continue;
        const base = path.resolve(path.dirname(file), match[2] ?? match[3]);
        const resolved = [base, `${base}.ts`, `${base}.mjs`, path.join(base, "index.ts")].find(
            (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
        );
        if (resolved?.startsWith(testsDir + path.sep)) found.push(resolved);
    }
    return found;
}

/**
 * Why `file` (relative to `root`) needs a process of its own, one line per marker and the
 * module it is in; empty when it can share one.
 */
export function ownProcessReasons(root, file) {
    const testsDir = path.join(root, "tests");
    const reasons = new Set();
    const seen = new Set();
    const pending = [path.join(root, file)];
    while (pending.length > 0) {
        const current = pending.pop();
        if (seen.has(current)) continue;
        seen.add(current);
        const source = readFileSync(current, "utf8");
        for (const { pattern, why } of OWN_PROCESS_MARKERS) {
            if (pattern.test(source)) reasons.add(`${why} (${path.relative(root, current)})`);
        }
        pending.push(...testImports(current, testsDir));
    }
    return [...reasons];
}

/** The files split into those needing their own process and those sharing one, order kept. */
export function byProcess(root, files) {
    const own = [];
    const shared = [];
    for (const file of files) (ownProcessReasons(root, file).length > 0 ? own : shared).push(file);
    return { own, shared };
}
