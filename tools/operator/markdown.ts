/** Markdown rendering of the evidence reports, for people; the JSON twin is for tools. */
import type { DrillReport, PagingPathReport } from "./report";
import type { PageOutcome } from "./verdict";
import { formatDuration } from "./duration";
import { list, seconds, table, timeline } from "./markdown-blocks";

function pageRow(page: PageOutcome, expected: boolean): unknown[] {
    return [
        `\`${page.alarm}\``,
        page.about,
        expected ? "yes" : "**no**",
        page.enteredAlarmAt,
        seconds(page.secondsToDetect),
        page.withinBound === undefined ? undefined : page.withinBound ? "yes" : "**no**",
        page.returnedOkAt,
        seconds(page.secondsToRecover),
    ];
}

function ending(fault: DrillReport["fault"]): string | undefined {
    const end = fault.ending;
    if (end === undefined) return undefined;
    if (end.how === "stopped by the drill") {
        return `stopped by the drill (StopExperiment at ${end.stopSentAt}): ${end.why}`;
    }
    return end.why ? `${end.how}: ${end.why}` : end.how;
}

function drill(report: DrillReport): string[] {
    const { fault, detection, cluster } = report;
    const notify =
        report.notify === "suppress"
            ? "suppress: maintenance window open in both regions, pages held back"
            : "page: pages went out to the alert topics' subscribers";
    const pageSeconds = report.regions
        .flatMap((r) =>
            r.expected.map((p) => `${seconds(p.secondsToDetect) ?? "none"} (${r.region})`),
        )
        .join(", ");
    return [
        `# Fault drill of stack ${report.stack}: ${cluster.role} cluster — ${report.result.toUpperCase()}`,
        "",
        ...table(
            ["Field", "Value"],
            [
                ["Result", `**${report.result.toUpperCase()}**`],
                ["Stack", report.stack],
                ["Cluster", `${cluster.role} \`${cluster.identifier}\` (${cluster.region})`],
                [
                    "Fault",
                    `${fault.action}, ${fault.percentage} % of calls, ${formatDuration(fault.durationSeconds)}`,
                ],
                [
                    "Experiment",
                    `${fault.experimentId ?? "not started"} (template ${fault.templateId})`,
                ],
                [
                    "Fault on",
                    `from ${fault.actionStartedAt ?? fault.injectedAt ?? "–"} to ${fault.endedAt ?? "–"} (${fault.finalStatus ?? "–"})`,
                ],
                ["Experiment ended", ending(fault)],
                ["Notify mode", notify],
                ["Time to detect", pageSeconds],
                [
                    "Simulated bound",
                    `worst case ${detection.simulatedWorstCaseSeconds} s, typical ${detection.simulatedTypicalSeconds} s`,
                ],
                [
                    "Time to recover",
                    report.timeToRecoverSeconds === undefined
                        ? "not measured"
                        : `${report.timeToRecoverSeconds} s after the fault ended`,
                ],
                ["Ran by", report.ranBy],
                ["Tool version", report.toolVersion],
                ["Started", report.startedAt],
                ["Finished", report.finishedAt],
            ],
        ),
        "",
        ...list("Why it failed", report.reasons),
        ...list("Warnings", report.warnings),
        "## Expected and observed pages",
        "",
        ...report.regions.flatMap((region) => [
            `### ${region.region} (${region.role} cell)`,
            "",
            ...table(
                [
                    "Page",
                    "About",
                    "Expected",
                    "Entered ALARM",
                    "To detect",
                    "Within bound",
                    "Back to OK",
                    "To recover",
                ],
                [
                    ...region.expected.map((p) => pageRow(p, true)),
                    ...region.unexpected.map((p) => pageRow(p, false)),
                ],
            ),
            "",
        ]),
        ...timeline(report.timeline),
    ];
}

function pagingPath(report: PagingPathReport): string[] {
    return [
        `# Paging path check of stack ${report.stack} — ${report.result.toUpperCase()}`,
        "",
        ...table(
            ["Field", "Value"],
            [
                ["Result", `**${report.result.toUpperCase()}**`],
                ["Stack", report.stack],
                ["Ran by", report.ranBy],
                ["Tool version", report.toolVersion],
                ["Started", report.startedAt],
                ["Finished", report.finishedAt],
            ],
        ),
        "",
        ...list("Why it failed", report.reasons),
        ...list("Warnings", report.warnings),
        "## Regions",
        "",
        ...report.regions.flatMap((r) => [
            `### ${r.region} (${r.role} cell) — ${r.result.toUpperCase()}`,
            "",
            ...table(
                ["Field", "Value"],
                [
                    ["Alarm forced", `\`${r.alarm}\``],
                    ["Topic", r.topicArn],
                    [
                        "Subscriptions",
                        r.subscriptions
                            .map(
                                (s) =>
                                    `${s.protocol} ${s.endpoint} (${s.confirmed ? "confirmed" : "PendingConfirmation"})`,
                            )
                            .join(", ") || "none",
                    ],
                    ["Forced to ALARM", r.forcedAt],
                    ["Back to OK", r.returnedOkAt],
                    [
                        "AWS/SNS sums",
                        r.deliveries &&
                            `published ${r.deliveries.published}, delivered ${r.deliveries.delivered}, failed ${r.deliveries.failed}`,
                    ],
                ],
            ),
            "",
            ...r.reasons.map((reason) => `- ${reason}`),
            ...(r.reasons.length > 0 ? [""] : []),
        ]),
        ...timeline(report.timeline),
    ];
}

export function renderMarkdown(report: DrillReport | PagingPathReport): string {
    const lines = report.kind === "fault-drill" ? drill(report) : pagingPath(report);
    return lines.join("\n").trimEnd() + "\n";
}
