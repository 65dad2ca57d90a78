import assert from "node:assert/strict";
import { globSync } from "node:fs";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../../tools/testing/repo-root";
// @ts-expect-error: a plain ES module without types, run by `npm test` itself
import { LONGEST_FIRST, testFiles } from "../../tools/testing/test-files.mjs";

describe("./task test's order of test files", () => {
    const all = globSync("tests/**/*.test.ts", { cwd: REPO_ROOT }).sort();

    it("runs every test file once, the longest first, then the others alphabetically", () => {
        const files: string[] = testFiles([]);
        assert.deepEqual([...files].sort(), all);
        assert.deepEqual(files.slice(0, LONGEST_FIRST.length), LONGEST_FIRST);
        const rest = files.slice(LONGEST_FIRST.length);
        assert.deepEqual(rest, [...rest].sort());
    });

    it("keeps to the files asked for, the longest of them first", () => {
        const files: string[] = testFiles(["tests/verdict/*.test.ts", "tests/tools/plan.test.ts"]);
        assert.deepEqual(files.slice(0, 3), [
            "tests/tools/plan.test.ts",
            "tests/verdict/prod-fast.test.ts",
            "tests/verdict/dev-standard.test.ts",
        ]);
        assert.deepEqual(
            [...files].sort(),
            [
                ...globSync("tests/verdict/*.test.ts", { cwd: REPO_ROOT }),
                "tests/tools/plan.test.ts",
            ].sort(),
        );
    });
});
