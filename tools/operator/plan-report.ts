/**
 * The offline plan's text, at most MAX_COLUMNS wide (text-layout.ts): inventory, time to
 * detect per verdict-table row, monthly cost; what `--strict` holds against the goals; and the
 * warnings a reviewer must see.
 */
import { dsqlOptInCommands } from "../../infra/backup-opt-in";
import { formatMinutes } from "../../infra/backup-schedule";
import type { BackupConfig } from "../../infra/config/dr-features";
import type { CostLine } from "../docs-gen/cost";
import type { InventoryRow } from "../docs-gen/inventory";
import { formatDuration } from "./duration";
import { MAX_COLUMNS, table, tableLayout, wrap } from "./text-layout";

/** One row of the verdict table as the simulation played it on the stack. */
export interface DetectionRow {
    readonly scenario: string;
    readonly row: string;
    readonly pages: string;
    readonly worstCaseSeconds?: number;
    readonly typicalSeconds?: number;
    /** Undefined for rows that must not page. */
    readonly goalSeconds?: number;
    readonly runs: number;
    readonly failures: number;
    readonly example?: string;
}

const overGoal = (r: DetectionRow) =>
    r.goalSeconds !== undefined &&
    r.worstCaseSeconds !== undefined &&
    r.worstCaseSeconds > r.goalSeconds;

function result(r: DetectionRow): string {
    if (r.failures > 0) return "FAIL";
    if (r.goalSeconds === undefined) return "no page";
    return overGoal(r) ? "OVER GOAL" : "ok";
}

/** Seconds as seconds up to ten minutes, then in hours and minutes ("35h0m"). */
export const secondsText = (value: number | undefined) =>
    value === undefined
        ? "-"
        : value < 600
          ? `${value} s`
          : formatDuration(Math.round(value / 60) * 60);
/** A note under a table row, wrapped, its continuation lines under its text. */
const note = (label: string, text: string) =>
    wrap(`${label}: ${text}`, MAX_COLUMNS, "      ", " ".repeat(8 + label.length));

/** The time-to-detect table: a line per row, its pages (and any failure) under it. */
export function detectionTable(rows: readonly DetectionRow[]): string[] {
    const laid = tableLayout(
        [
            { header: "verdict table row", wraps: true },
            { header: "worst", align: "right" },
            { header: "typical", align: "right" },
            { header: "goal", align: "right" },
            { header: "result" },
        ],
        rows.map((r) => [
            r.row,
            secondsText(r.worstCaseSeconds),
            secondsText(r.typicalSeconds),
            secondsText(r.goalSeconds),
            result(r),
        ]),
    );
    return [
        ...laid.header,
        ...rows.flatMap((r, i) => [
            ...laid.rows[i],
            ...(r.goalSeconds === undefined ? [] : note("pages", r.pages)),
            ...(r.failures > 0
                ? note("FAIL", `in ${r.failures} of ${r.runs} runs: ${r.example}`)
                : []),
        ]),
    ];
}

/** The monthly cost, line by line, and the total against the profile's budget. */
export function costTable(
    lines: readonly CostLine[],
    total: number,
    budget: { usd: number; profile: string },
): string[] {
    return table(
        [
            { header: "item" },
            { header: "quantity", wraps: true },
            { header: "USD", align: "right" },
        ],
        [
            ...lines.map((l) => [l.item, l.quantity, l.usd.toFixed(2)]),
            [
                "total",
                `budget ≤ ${budget.usd.toFixed(2)} (${budget.profile} profile)${total > budget.usd ? ": OVER BUDGET" : ""}`,
                total.toFixed(2),
            ],
        ],
    );
}

/** Costs outside the monitoring path's budget, line by line, with their total. */
export function featureTable(lines: readonly CostLine[]): string[] {
    const total = lines.reduce((sum, l) => sum + l.usd, 0);
    return table(
        [
            { header: "item" },
            { header: "quantity", wraps: true },
            { header: "USD", align: "right" },
        ],
        [
            ...lines.map((l) => [l.item, l.quantity, l.usd.toFixed(2)]),
            ["total", "", total.toFixed(2)],
        ],
    );
}

/** Resources by region, with the settings a reviewer cares about. */
export function inventoryLines(rows: readonly InventoryRow[]): string[] {
    const out: string[] = [];
    const regions = [...new Set(rows.map((r) => r.region ?? "(global)"))];
    for (const region of regions) {
        const inRegion = rows.filter((r) => (r.region ?? "(global)") === region);
        out.push("", `${region} — ${inRegion.length} resources`);
        for (const r of inRegion) {
            const physical = r.physicalName ? `  (${r.physicalName})` : "";
            out.push(
                ...wrap(
                    `${r.type}  ${r.name}${physical}${r.protect ? "  [protected]" : ""}`,
                    MAX_COLUMNS,
                    "  ",
                    "      ",
                ),
            );
            for (const [key, value] of Object.entries(r.settings)) {
                out.push(...wrap(`${key}: ${value}`, MAX_COLUMNS, "      ", "          "));
            }
        }
    }
    return out;
}

/**
 * Why `--strict` fails the plan: a row that pages wrongly or misses a page in some run, a
 * worst case over its goal, a monthly cost over the profile's budget. Empty when it passes.
 */
export function strictFailures(
    rows: readonly DetectionRow[],
    total: number,
    budget: { usd: number; profile: string },
): string[] {
    return [
        ...rows
            .filter((r) => r.failures > 0)
            .map(
                (r) =>
                    `"${r.row}": wrong or missing page in ${r.failures} of ${r.runs} runs (${r.example})`,
            ),
        ...rows
            .filter(overGoal)
            .map(
                (r) =>
                    `"${r.row}": worst case ${r.worstCaseSeconds} s to the first page, over its ${r.goalSeconds} s goal`,
            ),
        ...(total > budget.usd
            ? [
                  `monthly cost USD ${total.toFixed(2)} is over the USD ${budget.usd.toFixed(2)} budget of the ${budget.profile} profile`,
              ]
            : []),
    ];
}

/** What the plan says about recovery from data loss: the backups, the RPO, the restore drill. */
export function recoveryLines(
    stack: string,
    backup: BackupConfig,
    rows: readonly DetectionRow[],
    lastRestore?: LastRestore,
    regions: readonly string[] = [],
): string[] {
    if (backup.mode === "off") {
        return wrap(
            `Recovery from data loss: no backups (backup off). Replication copies a DROP TABLE or a bad migration to both clusters; set aurora-dsql-dr:backup on (README "Recover from data loss").`,
        );
    }
    const stopped = rows.find((r) => r.scenario === "backups-stop");
    const simulated =
        stopped?.worstCaseSeconds === undefined
            ? ""
            : `; simulated worst ${secondsText(stopped.worstCaseSeconds)}`;
    const where =
        backup.mode === "on"
            ? `AWS Backup ${backup.schedule} (UTC), start window ${formatMinutes(backup.startWindowMinutes)}, completion window ${formatMinutes(backup.completionWindowMinutes)}, kept ${backup.retentionDays} days in both regions (each region's recovery point copied to the other)`
            : "the team's own backups into the vaults it named (backup external)";
    return [
        ...wrap(`Recovery from data loss: ${where}.`),
        ...wrap(
            `RPO the backup page keeps: ${formatMinutes(backup.rpo.pageMinutes)} from the newest recovery point's scheduled start to the page${simulated}. RTO: measured by \`./task drill ${stack} --restore\` (AWS publishes no restore-time bound).`,
        ),
        ...wrap(
            lastRestore
                ? `Last restore drill: ${lastRestore.result.toUpperCase()} at ${lastRestore.finishedAt}, RPO ${secondsText(lastRestore.rpoSeconds)}, RTO ${secondsText(lastRestore.rtoSeconds)} (${lastRestore.file}).`
                : `Last restore drill: none found in drills/: the backups have never been proven to restore.`,
        ),
        ...(backup.mode === "on" && regions.length > 0
            ? [
                  ...wrap(
                      "AWS Backup protects Aurora DSQL only where it is opted in (an account-wide setting this stack never changes): check, and if it does not print true, opt in:",
                  ),
                  ...dsqlOptInCommands(regions).flatMap((c) => [`  ${c.check}`, `  ${c.set}`]),
              ]
            : []),
    ];
}

/** The newest restore drill report of a stack, as the plan summarises it. */
export interface LastRestore {
    readonly file: string;
    readonly result: string;
    readonly finishedAt: string;
    readonly rpoSeconds?: number;
    readonly rtoSeconds?: number;
}
