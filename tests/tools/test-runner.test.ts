import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { globSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
// @ts-expect-error: a plain ES module without types, run by `npm test` itself
import { byProcess, ownProcessReasons } from "../../tools/testing/process-sharing.mjs";
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

describe("./task test's shared process", () => {
    const root = mkdtempSync(path.join(tmpdir(), "process-sharing-"));
    after(() => rmSync(root, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
    };

    it("keeps a file in its own process for each kind of process-wide state, naming it", () => {
        const cases: Record<string, string> = {
            "Pulumi runtime": "await declareStack('dev', {});",
            "a PostgreSQL server": "const db = await startPairDatabase();",
            "child processes": 'import { execFile } from "node:child_process";',
            "the environment": 'process.env["AWS_REGION"] = "eu-west-1";',
            "the process": "process.exitCode = 1;",
            "a global mock": "mock.timers.enable({ apis: ['setTimeout'] });",
            "an AWS SDK client mock": "const sns = mockClient(SNSClient);",
        };
        for (const [why, line] of Object.entries(cases)) {
            write("tests/a.test.ts", `${line}\n`);
            assert.deepEqual(ownProcessReasons(root, "tests/a.test.ts"), [
                `${why} (tests/a.test.ts)`,
            ]);
        }
    });

    it("follows the test modules a file imports, but not type-only imports or a test's own mock", () => {
        write(
            "tests/support/env.ts",
            'process.env.POWERTOOLS_DEV = "true";\nexport const x = 1;\n',
        );
        write("tests/support/via.ts", 'export { x } from "./env";\n');
        write("tests/b.test.ts", 'import { x } from "./support/via";\n');
        write(
            "tests/c.test.ts",
            'import type { x } from "./support/env";\nt.mock.timers.enable();\n',
        );
        write("tests/d.test.ts", 'const e = process.env.HOME === "/";\n');
        assert.deepEqual(ownProcessReasons(root, "tests/b.test.ts"), [
            "the environment (tests/support/env.ts)",
        ]);
        assert.deepEqual(ownProcessReasons(root, "tests/c.test.ts"), []);
        assert.deepEqual(ownProcessReasons(root, "tests/d.test.ts"), []);
        assert.deepEqual(
            byProcess(root, ["tests/b.test.ts", "tests/c.test.ts", "tests/d.test.ts"]),
            { own: ["tests/b.test.ts"], shared: ["tests/c.test.ts", "tests/d.test.ts"] },
        );
    });

    it("splits the repository's files without losing one, the order kept", () => {
        const files: string[] = testFiles([]);
        const { own, shared } = byProcess(REPO_ROOT, files);
        assert.deepEqual([...own, ...shared].sort(), [...files].sort());
        assert.deepEqual(
            own,
            files.filter((f) => own.includes(f)),
        );
        assert.ok(own.includes("tests/tools/plan.test.ts"), "plan.test starts plan processes");
        assert.ok(shared.length > 0 && own.length > 0);
    });

    it("runs the shared files in one process, reports each file's time and fails on a failure", async () => {
        const pids = path.join(root, "pids");
        const file = (name: string, body: string) =>
            write(
                `tests/${name}`,
                `import { appendFileSync } from "node:fs";\nimport { it } from "node:test";\n` +
                    `appendFileSync(${JSON.stringify(pids)}, process.pid + "\\n");\n${body}\n`,
            );
        file("pass.test.ts", 'it("passes", () => {});');
        file("fail.test.ts", 'it("fails", () => { throw new Error("planted"); });');
        const child = spawn(
            process.execPath,
            [
                "--import",
                "tsx",
                path.join(REPO_ROOT, "tools", "testing", "shared-process.mjs"),
                ...["pass", "fail"].map((n) => path.join(root, "tests", `${n}.test.ts`)),
            ],
            { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe", "ipc"] },
        );
        const messages: { file: string; seconds: number; passed: boolean }[] = [];
        child.on("message", (m: (typeof messages)[number]) => messages.push(m));
        let output = "";
        child.stdout!.on("data", (d) => (output += d));
        const [code] = await once(child, "close");
        assert.equal(code, 1, output);
        assert.match(output, /✖ fails/);
        assert.equal(new Set(readFileSync(pids, "utf8").trim().split("\n")).size, 1, "one process");
        assert.deepEqual(
            messages.map((m) => [path.basename(m.file), m.passed]),
            [
                ["pass.test.ts", true],
                ["fail.test.ts", false],
            ],
        );
        assert.ok(messages.every((m) => m.seconds >= 0));
    });
});
