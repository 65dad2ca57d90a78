/**
 * Which test files `./task test` runs, in which order: the longest first, so none of them is
 * left to finish alone at the end of a run, then the others alphabetically.
 */
import { existsSync, globSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The test files that take longest on a fresh machine (each about 10 s of CPU or more on two
 * cores, as the slowest-files summary shows; the IAM files declare their stack variants when
 * no earlier run has), started first. A listed file that no longer exists stops the run, so
 * the list cannot go stale unnoticed.
 */
export const LONGEST_FIRST = [
    "tests/tools/plan.test.ts",
    "tests/verdict/prod-fast.test.ts",
    "tests/tools/embedded-postgres-stage.test.ts",
    "tests/infra/real-host.test.ts",
    "tests/tools/drill.test.ts",
    "tests/verdict/dev-standard.test.ts",
    "tests/policy/deploy-role.test.ts",
    "tests/tools/commands.test.ts",
];

/** The files to test, the longest first, then the rest in alphabetical order. */
export function testFiles(patterns) {
    const found = [
        ...new Set(
            (patterns.length > 0 ? patterns : ["tests/**/*.test.ts"]).flatMap((p) =>
                globSync(p, { cwd: ROOT }),
            ),
        ),
    ].sort();
    for (const file of LONGEST_FIRST) {
        if (!existsSync(path.join(ROOT, file))) throw new Error(`LONGEST_FIRST: no ${file}`);
    }
    const first = LONGEST_FIRST.filter((f) => found.includes(f));
    return [...first, ...found.filter((f) => !first.includes(f))];
}
