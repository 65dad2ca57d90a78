/** Where an evidence report goes: a JSON file for tools and a Markdown twin for people. */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { renderMarkdown } from "./markdown";
import type { Report } from "./report";
import { renderRestoreMarkdown } from "./restore-markdown";

/**
 * `<stack>-<cluster|paging-path|restore-role>-<UTC start>`, with "/" of org/project/stack
 * made safe.
 */
function reportBaseName(report: Report): string {
    const stamp = report.startedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const subject =
        report.kind === "fault-drill"
            ? report.cluster.role
            : report.kind === "restore-drill"
              ? `restore-${report.source.role}`
              : "paging-path";
    return `${report.stack.replaceAll("/", "_")}-${subject}-${stamp}`;
}

const PRINT_WIDTH = 100;

/**
 * JSON laid out as the repository's formatter lays it out (objects expanded; an array of
 * plain values on one line when it fits), so a report committed as evidence passes
 * `prettier --check` as written.
 */
function formatJson(value: unknown): string {
    const print = (v: unknown, indent: string, column: number, comma: boolean): string => {
        const inner = `${indent}  `;
        if (Array.isArray(v)) {
            if (v.length === 0) return "[]";
            if (v.every((x) => x === null || typeof x !== "object")) {
                const flat = `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
                if (column + flat.length + (comma ? 1 : 0) <= PRINT_WIDTH) return flat;
            }
            const items = v.map((x, i) => {
                const more = i < v.length - 1;
                return `${inner}${print(x, inner, inner.length, more)}${more ? "," : ""}`;
            });
            return `[\n${items.join("\n")}\n${indent}]`;
        }
        if (v !== null && typeof v === "object") {
            const entries = Object.entries(v).filter(([, x]) => x !== undefined);
            if (entries.length === 0) return "{}";
            const lines = entries.map(([key, x], i) => {
                const more = i < entries.length - 1;
                const head = `${inner}${JSON.stringify(key)}: `;
                return `${head}${print(x, inner, head.length, more)}${more ? "," : ""}`;
            });
            return `{\n${lines.join("\n")}\n${indent}}`;
        }
        return JSON.stringify(v);
    };
    return `${print(value, "", 0, false)}\n`;
}

/** Writes `<dir>/<base>.json` and `.md`; returns both paths. */
export async function writeReport(dir: string, report: Report): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const base = path.join(dir, reportBaseName(report));
    const files = [`${base}.json`, `${base}.md`];
    await writeFile(files[0], formatJson(report));
    await writeFile(
        files[1],
        report.kind === "restore-drill" ? renderRestoreMarkdown(report) : renderMarkdown(report),
    );
    return files;
}
