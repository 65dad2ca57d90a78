import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";
import {
    importCircles,
    LAYERS,
    layerOf,
    longFiles,
    longFunctions,
    MAX_FUNCTION_LINES,
    sourceFiles,
    upwardImports,
} from "../../tools/testing/layout";

const files = sourceFiles(REPO_ROOT);

describe("repository layout: folders by job, imports one way, small files", () => {
    it("puts every source file in a folder of the layout", () => {
        assert.ok(files.length > 100, `${files.length} source files found`);
        assert.deepEqual(
            files.filter((f) => layerOf(f) === undefined),
            [],
            `folders: ${LAYERS.map((l) => l.folder).join(", ")}`,
        );
    });

    it("imports only down the layers (cli → operator → docs-gen → simulation → pulumi-host → infra → monitor)", () => {
        assert.deepEqual(upwardImports(REPO_ROOT, files), []);
    });

    it("has no import circle", () => {
        assert.deepEqual(importCircles(REPO_ROOT, files), []);
    });

    it("keeps every source file within 400 lines and every function within 80", () => {
        assert.deepEqual(longFiles(REPO_ROOT, files), []);
        assert.deepEqual(longFunctions(REPO_ROOT, files), []);
    });

    it("says in each tools folder what it owns and may import", () => {
        for (const layer of LAYERS.filter((l) => l.folder.startsWith("tools/"))) {
            const readme = readFileSync(path.join(REPO_ROOT, layer.folder, "README.md"), "utf8");
            assert.match(readme, /^# tools\/[a-z-]+\n/, layer.folder);
            assert.match(
                readme,
                /May import:/,
                `${layer.folder}/README.md says what it may import`,
            );
        }
    });
});

describe("the layout checks catch what they are for", () => {
    const roots: string[] = [];
    after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

    /** A throwaway tree with the repository's folder names. */
    function tree(sources: Record<string, string>): { root: string; files: string[] } {
        const root = mkdtempSync(path.join(tmpdir(), "layout-"));
        roots.push(root);
        for (const [file, text] of Object.entries(sources)) {
            mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            writeFileSync(path.join(root, file), text);
        }
        return { root, files: sourceFiles(root) };
    }

    it("an import up the layers, dynamic or type-only too", () => {
        const t = tree({
            "infra/a.ts": 'import type { X } from "../tools/cli/b";\nexport const a = 1;\n',
            "tools/cli/b.ts": 'import { a } from "../../infra/a";\nexport type X = typeof a;\n',
            "monitor-function/src/c.ts": 'export const c = () => import("../../infra/a");\n',
        });
        assert.deepEqual(upwardImports(t.root, t.files).sort(), [
            "infra/a.ts → tools/cli/b.ts",
            "monitor-function/src/c.ts → infra/a.ts",
        ]);
    });

    it("a circle, however long", () => {
        const t = tree({
            "tools/operator/a.ts": 'import "./b";\n',
            "tools/operator/b.ts": 'import "./c";\n',
            "tools/operator/c.ts": 'import "./a";\n',
            "tools/operator/d.ts": 'import "./a";\n',
        });
        assert.deepEqual(importCircles(t.root, t.files), [
            ["tools/operator/a.ts", "tools/operator/b.ts", "tools/operator/c.ts"],
        ]);
    });

    it("a long file and a long constructor", () => {
        const body = Array.from(
            { length: MAX_FUNCTION_LINES },
            (_, i) => `        this.x${i} = ${i};`,
        );
        const t = tree({
            "infra/long.ts": `export class A {\n    constructor() {\n${body.join("\n")}\n    }\n}\n${"\n".repeat(400)}`,
            "infra/short.ts": "export const f = () => {\n    return 1;\n};\n",
        });
        assert.deepEqual(longFiles(t.root, t.files), ["infra/long.ts: 485 lines"]);
        assert.deepEqual(longFunctions(t.root, t.files), ["infra/long.ts:2 constructor: 82 lines"]);
    });
});
