/** Evidence reports of the operator commands, written as JSON and Markdown side by side. */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import type { ClusterRole } from "../../monitor-function/src/contract";
import { renderMarkdown } from "./markdown";
import type { TimelineEntry } from "./timeline";
import type { Ending } from "./experiment-run";
import type { Deliveries, Subscription } from "./topic";
import type { RegionOutcome } from "./verdict";

interface ReportHeader {
    readonly stack: string;
    readonly result: "pass" | "fail";
    readonly reasons: readonly string[];
    readonly warnings: readonly string[];
    /** Caller ARN (sts:GetCallerIdentity). */
    readonly ranBy: string;
    /** Git commit of the tool, "-dirty" with local changes. */
    readonly toolVersion: string;
    readonly startedAt: string;
    readonly finishedAt: string;
}

export interface DrillReport extends ReportHeader {
    readonly kind: "fault-drill";
    readonly notify: "page" | "suppress";
    readonly cluster: {
        readonly role: ClusterRole;
        readonly identifier: string;
        readonly region: string;
        readonly arn: string;
    };
    readonly fault: {
        readonly action: string;
        readonly templateId: string;
        readonly percentage: number;
        readonly durationSeconds: number;
        readonly experimentId?: string;
        /** When StartExperiment returned. */
        readonly injectedAt?: string;
        /** When the action began (FIS's own time); detection is measured from it. */
        readonly actionStartedAt?: string;
        /** When the fault ended: the action's end as FIS reports it, else the experiment's. */
        readonly endedAt?: string;
        readonly finalStatus?: string;
        /** Completed on its own, or stopped by the drill (and why), or ended by FIS. */
        readonly ending?: Ending;
    };
    readonly detection: {
        readonly simulatedWorstCaseSeconds: number;
        readonly simulatedTypicalSeconds: number;
        /** Fastest expected page, seconds after the action started. */
        readonly firstPageSeconds?: number;
    };
    /** Seconds from the end of the fault until the last paging alarm was OK again. */
    readonly timeToRecoverSeconds?: number;
    readonly regions: readonly RegionOutcome[];
    readonly timeline: readonly TimelineEntry[];
}

export interface PathOutcome {
    readonly role: ClusterRole;
    readonly region: string;
    readonly alarm: string;
    readonly topicArn: string;
    readonly subscriptions: readonly Subscription[];
    readonly forcedAt?: string;
    readonly returnedOkAt?: string;
    readonly deliveries?: Deliveries;
    readonly result: "pass" | "fail";
    readonly reasons: readonly string[];
}

export interface PagingPathReport extends ReportHeader {
    readonly kind: "paging-path";
    readonly regions: readonly PathOutcome[];
    readonly timeline: readonly TimelineEntry[];
}

export type Report = DrillReport | PagingPathReport;

/** `<stack>-<cluster|paging-path>-<UTC start>`, with "/" of org/project/stack made safe. */
function reportBaseName(report: Report): string {
    const stamp = report.startedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const subject = report.kind === "fault-drill" ? report.cluster.role : "paging-path";
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
    await writeFile(files[1], renderMarkdown(report));
    return files;
}
