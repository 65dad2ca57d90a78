/** The preview guard's verdict as the text it prints: the result, each finding, what changes. */
import type { Finding, Verdict } from "./preview-plan";

function formatFinding(mark: string, f: Finding): string[] {
    const head = [f.op, f.type, f.name].filter(Boolean).join(" ");
    return [
        `${mark} ${head || "preview"} [${f.rule}]`,
        ...(f.urn ? [`    urn: ${f.urn}`] : []),
        `    why: ${f.reason}`,
        `    do:  ${f.fix}`,
    ];
}

export function formatVerdict(verdict: Verdict): string {
    const stack = verdict.stacks.length > 0 ? ` (stack ${verdict.stacks.join(", ")})` : "";
    const lines: string[] = [];
    if (verdict.ok) {
        lines.push(
            verdict.retiresPair
                ? `preview-guard: OK${stack}: the plan retires the pair, deleting both clusters together with all their data`
                : `preview-guard: OK${stack}: no unsafe change to the Aurora DSQL pair`,
        );
    } else {
        const n = verdict.violations.length;
        lines.push(
            `preview-guard: FAIL${stack}: ${n} unsafe change${n === 1 ? "" : "s"} to the Aurora DSQL pair`,
        );
    }
    for (const v of verdict.violations) lines.push("", ...formatFinding("✗", v));
    for (const w of verdict.warnings) lines.push("", ...formatFinding("!", w));
    const touched = verdict.pairMembers.map((m) => `${m.name} ${m.change}`);
    lines.push(
        "",
        `Clusters and peerings changed: ${touched.length > 0 ? touched.join(", ") : "none"}.`,
    );
    return lines.join("\n") + "\n";
}
