/**
 * The repository's layout as data: which folder may import which (dependencies point one way,
 * from the command entry points down to the monitor's contract), the import graph of every
 * source file, its circles, and the files and functions over the size limits. The layout test
 * (tests/tools/repository-layout.test.ts) holds the repository to it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * Source folders from the bottom up: a file may import its own folder or any folder listed
 * before it, never one after it. The first matching prefix names a file's folder.
 */
export const LAYERS: readonly { readonly folder: string; readonly owns: string }[] = [
    {
        folder: "monitor-function",
        owns: "the monitor Lambda, its build, and the contract all else shares",
    },
    { folder: "infra", owns: "the Pulumi program: resources, config, policies" },
    { folder: "policy", owns: "the policy pack run by pulumi preview and up" },
    {
        folder: "tools/testing",
        owns: "test and benchmark support: PostgreSQL, the benchmark's record, the layout rules",
    },
    {
        folder: "tools/pulumi-host",
        owns: "running the program: mocks, the real language host, stack files",
    },
    { folder: "tools/simulation", owns: "the verdict table, the CloudWatch model, time to detect" },
    {
        folder: "tools/docs-gen",
        owns: "figures, cost, diagrams and the settings table from the program",
    },
    {
        folder: "tools/operator",
        owns: "AWS-facing operations: drill, restore, maintenance, retire, guard",
    },
    { folder: "tools/cli", owns: "command entry points: arguments, exit codes, printing" },
];

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 80;

const SOURCE = /\.(ts|mts|mjs)$/;
const SKIP = /(^|\/)(node_modules|dist|\.tsbuild)(\/|$)|\.d\.ts$/;

/** Every source file under the layers' folders, relative to `root`, committed or not. */
export function sourceFiles(root: string): string[] {
    const files: string[] = [];
    const walk = (dir: string) => {
        for (const name of readdirSync(path.join(root, dir))) {
            const relative = path.posix.join(dir, name);
            if (SKIP.test(relative) || name.startsWith("_")) continue;
            if (statSync(path.join(root, relative)).isDirectory()) walk(relative);
            else if (SOURCE.test(name)) files.push(relative);
        }
    };
    for (const top of new Set(LAYERS.map((l) => l.folder.split("/")[0]))) {
        if (existsSync(path.join(root, top))) walk(top);
    }
    return files.sort();
}

/** The layer index of a file, or undefined outside every layer. */
export function layerOf(file: string): number | undefined {
    let found: number | undefined;
    let longest = -1;
    LAYERS.forEach((layer, i) => {
        const inside = file === layer.folder || file.startsWith(`${layer.folder}/`);
        if (inside && layer.folder.length > longest) {
            found = i;
            longest = layer.folder.length;
        }
    });
    return found;
}

/** The repository files a file imports (static, dynamic, type-only and require alike). */
export function importsOf(root: string, file: string): string[] {
    const text = readFileSync(path.join(root, file), "utf8");
    const info = ts.preProcessFile(text, true, true);
    const resolved = info.importedFiles
        .map((f) => f.fileName)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => resolve(root, path.posix.join(path.posix.dirname(file), spec)));
    return [...new Set(resolved.filter((f): f is string => f !== undefined))];
}

function resolve(root: string, target: string): string | undefined {
    const bare = target.replace(/\.(js|mjs|ts)$/, "");
    const candidates = [target, `${bare}.ts`, `${bare}.mts`, `${bare}.mjs`, `${bare}/index.ts`];
    return candidates.find(
        (c) => existsSync(path.join(root, c)) && statSync(path.join(root, c)).isFile(),
    );
}

/** Every import that points up the layers, as "from → to". */
export function upwardImports(root: string, files: readonly string[]): string[] {
    const wrong: string[] = [];
    for (const file of files) {
        const from = layerOf(file);
        for (const target of importsOf(root, file)) {
            const to = layerOf(target);
            if (from === undefined || to === undefined || to > from)
                wrong.push(`${file} → ${target}`);
        }
    }
    return wrong;
}

/** The import circles among `files` (Tarjan's strongly connected components of two or more). */
export function importCircles(root: string, files: readonly string[]): string[][] {
    const edges = new Map(files.map((f) => [f, importsOf(root, f)]));
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        for (const w of edges.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) !== index.get(v)) return;
        const component: string[] = [];
        let w: string;
        do {
            w = stack.pop()!;
            onStack.delete(w);
            component.push(w);
        } while (w !== v);
        if (component.length > 1) circles.push(component.sort());
    };
    for (const f of files) if (!index.has(f)) visit(f);
    return circles;
}

/** Files over MAX_FILE_LINES, as "file: lines". */
export function longFiles(root: string, files: readonly string[]): string[] {
    return files.flatMap((file) => {
        const lines = readFileSync(path.join(root, file), "utf8").split("\n").length;
        return lines > MAX_FILE_LINES ? [`${file}: ${lines} lines`] : [];
    });
}

/** Functions (and methods, constructors, arrows) whose body is over MAX_FUNCTION_LINES. */
export function longFunctions(root: string, files: readonly string[]): string[] {
    const found: string[] = [];
    for (const file of files) {
        const text = readFileSync(path.join(root, file), "utf8");
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node) => {
            const body = functionBody(node);
            if (body) {
                const line = (at: number) => source.getLineAndCharacterOfPosition(at).line;
                const lines = line(body.getEnd()) - line(body.getStart()) + 1;
                if (lines > MAX_FUNCTION_LINES)
                    found.push(
                        `${file}:${line(body.getStart()) + 1} ${nameOf(node)}: ${lines} lines`,
                    );
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return found;
}

function functionBody(node: ts.Node): ts.Node | undefined {
    if (
        ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isConstructorDeclaration(node) ||
        ts.isArrowFunction(node) ||
        ts.isFunctionExpression(node) ||
        ts.isGetAccessorDeclaration(node)
    )
        return node.body;
    return undefined;
}

function nameOf(node: ts.Node): string {
    if (ts.isConstructorDeclaration(node)) return "constructor";
    const name = (node as { name?: ts.Node }).name;
    return name ? name.getText() : "(anonymous function)";
}
