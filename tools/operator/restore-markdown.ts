/** The Markdown twin of a restore drill's evidence report, for people. */
import { formatDuration } from "./duration";
import { list, seconds, table, timeline } from "./markdown-blocks";
import type { RestoreReport } from "./report";

const measured = (value: number | undefined, what: string) =>
    value === undefined ? `not measured (${what})` : `${formatDuration(value)} (${value} s)`;

export function renderRestoreMarkdown(report: RestoreReport): string {
    const point = report.recoveryPoint;
    const lines = [
        `# Restore drill of stack ${report.stack} — ${report.result.toUpperCase()}`,
        "",
        ...table(
            ["Field", "Value"],
            [
                ["Result", `**${report.result.toUpperCase()}**`],
                ["Stack", report.stack],
                [
                    "Restored",
                    report.topology === "pair"
                        ? "a temporary peered pair (both regions and the witness)"
                        : "one temporary single-Region cluster",
                ],
                [
                    "Source",
                    `${report.source.role} cluster ${report.source.clusterArn}, vault ${report.source.vault} (${report.source.region})`,
                ],
                [
                    "Recovery point",
                    point
                        ? `${point.arn}, created ${point.createdAt}, completed ${point.completedAt}, ${seconds(point.ageAtStartSeconds)} old at the start`
                        : "none usable",
                ],
                [
                    "Copy used as peer",
                    report.copy ? `${report.copy.arn} (${report.copy.region})` : undefined,
                ],
                [
                    "Restore job",
                    report.restoreJob
                        ? `${report.restoreJob.id} (${report.restoreJob.region}) requested ${report.restoreJob.requestedAt}${report.restoreJob.status ? `, ${report.restoreJob.status}` : ""}${report.restoreJob.statusMessage ? `: ${report.restoreJob.statusMessage}` : ""}`
                        : "not started",
                ],
                ["RPO measured", measured(report.rpoSeconds, "no restored monitor heartbeat")],
                ["RTO measured", measured(report.rtoSeconds, "no commit on a restored cluster")],
                ["Ran by", report.ranBy],
                ["Tool version", report.toolVersion],
                ["Started", report.startedAt],
                ["Finished", report.finishedAt],
            ],
        ),
        "",
        "RPO: the recovery point's creation minus the newest monitor heartbeat it holds. RTO: the",
        "restore request to the first heartbeat committed on a restored cluster.",
        "",
        ...list("Why it failed", report.reasons),
        ...list("Warnings", report.warnings),
        "## Checks",
        "",
        ...table(
            ["Check", "Expected", "Observed", "Pass"],
            report.checks.map((c) => [c.name, c.expected, c.observed, c.pass ? "yes" : "**no**"]),
        ),
        "",
        "## Clean-up",
        "",
        ...(report.cleanup.deleted.length === 0 && report.cleanup.leftovers.length === 0
            ? ["Nothing was created, so nothing was deleted.", ""]
            : []),
        ...list(
            "Deleted",
            report.cleanup.deleted.map((arn) => `\`${arn}\``),
        ).map((line) => line.replace(/^## /, "### ")),
        ...list(
            "LEFT BEHIND: delete by hand",
            report.cleanup.leftovers.map(
                (l) =>
                    `${l.what} (${l.region}): ${l.error}. ${l.commands.map((c) => `\`${c}\``).join(" then ")}`,
            ),
        ).map((line) => line.replace(/^## /, "### ")),
        ...timeline(report.timeline),
    ];
    return lines.join("\n").trimEnd() + "\n";
}
