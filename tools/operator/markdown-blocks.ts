/** The pieces every evidence report's Markdown is made of: tables, lists, the timeline. */
import type { TimelineEntry } from "./timeline";

export const cell = (value: unknown) =>
    value === undefined || value === "" ? "–" : String(value).replaceAll("|", "\\|");

/**
 * A table with its columns padded the way the repository's formatter pads them, so a
 * report committed as evidence passes `prettier --check` as written.
 */
export function table(header: string[], rows: unknown[][]): string[] {
    const cells = [header, ...rows.map((row) => row.map(cell))];
    const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
    const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [
        line(header),
        line(widths.map((width) => "-".repeat(width))),
        ...cells.slice(1).map(line),
    ];
}

export const seconds = (value: number | undefined) =>
    value === undefined ? undefined : `${value} s`;

export function list(title: string, items: readonly string[]): string[] {
    return items.length === 0 ? [] : [`## ${title}`, "", ...items.map((item) => `- ${item}`), ""];
}

export function timeline(entries: readonly TimelineEntry[]): string[] {
    return [
        "## Timeline",
        "",
        ...table(
            ["Time (UTC)", "Region", "Subject", "Event"],
            entries.map((e) => [e.at, e.region, `\`${e.subject}\``, e.event]),
        ),
        "",
    ];
}
