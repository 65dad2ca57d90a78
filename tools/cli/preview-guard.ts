/**
 * Preview guard: reads the output of `pulumi preview --json` and fails (exit 1) when the
 * plan would break the Aurora DSQL pair: delete or replace one cluster of the pair, replace
 * any cluster, delete, replace or update a peering, or lift a cluster's protection outside
 * retirement (DESIGN.md §2, "Destroy and replace" and "Peering is one-way").
 *
 *   ./task preview-guard <preview.json | -> [--json] [--allow-protection-off]
 *
 * Exit codes: 0 the plan is safe; 1 it is not, or the input is not a complete preview (the
 * guard refuses to judge it); 2 a wrong command line.
 *
 * The input, in either of the formats `pulumi preview --json` writes, is read by
 * operator/preview-input.ts; the plan is judged by preview-plan.ts.
 */
import { readFileSync } from "node:fs";
import { booleanFlag, noMorePositionals, parseCommandLine } from "../operator/args";
import { EXIT, Refusal, UsageError } from "../operator/errors";
import { parsePreview, PreviewInputError } from "../operator/preview-input";
import { exitWhenDrained, runToolSync } from "../operator/tool";
import { evaluatePlan, type Verdict } from "../operator/preview-plan";
import { formatVerdict } from "../operator/preview-verdict-text";

export { evaluatePlan, formatVerdict, parsePreview, PreviewInputError };
export { parseUrn } from "../operator/preview-input";
export type { ParsedUrn, Plan, PlannedStep, ResourceState } from "../operator/preview-input";
export { CLUSTER_TYPE, PEERING_TYPE } from "../operator/preview-pair-members";
export type { Finding, GuardOptions, Rule, Verdict } from "../operator/preview-plan";

export interface GuardIo {
    readonly readInput: (source: string) => string;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

const HELP = `usage: ./task preview-guard <preview.json | -> [--json] [--allow-protection-off]

Reads the output of \`pulumi preview --json\` (the preview digest, or the engine's event
stream when PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set) from the file, or from stdin for -,
and fails when the plan would break the Aurora DSQL pair: delete or replace one cluster,
replace any cluster, delete, replace or update a peering, or lift a cluster's protection.

Flags:
  --json                   write the verdict as JSON on stdout
  --allow-protection-off   lifting protection is intended (retiring the stack)
  -h, --help               this help

Exit codes: 0 the plan is safe; 1 it is unsafe, or the input is not a complete preview (not
judged); 2 wrong command line.
`;

const SPEC = { name: "preview-guard", help: HELP };

/** Judges the input named by `argv`; throws a Refusal when it cannot be judged. */
function judge(argv: readonly string[], io: GuardIo): number {
    const { values, positionals } = parseCommandLine(argv, {
        json: { type: "boolean" },
        "allow-protection-off": { type: "boolean" },
    });
    const source = positionals[0];
    if (source === undefined) {
        throw new UsageError("missing the input: a file holding `pulumi preview --json`, or -");
    }
    noMorePositionals(positionals, 1);
    const json = booleanFlag(values, "json");
    let verdict: Verdict;
    try {
        let text: string;
        try {
            text = io.readInput(source);
        } catch (error) {
            throw new PreviewInputError((error as Error).message);
        }
        verdict = evaluatePlan(parsePreview(text), {
            allowProtectionOff: booleanFlag(values, "allow-protection-off"),
        });
    } catch (error) {
        if (!(error instanceof PreviewInputError)) throw error;
        const message = `cannot judge ${source === "-" ? "stdin" : source}: ${error.message}`;
        if (json) {
            io.stdout(JSON.stringify({ verdict: "error", error: message }, null, 2) + "\n");
        }
        throw new Refusal(message, { cause: error });
    }
    if (json) {
        const { ok, ...rest } = verdict;
        io.stdout(JSON.stringify({ verdict: ok ? "pass" : "fail", ...rest }, null, 2) + "\n");
    } else {
        io.stdout(formatVerdict(verdict));
    }
    return verdict.ok ? EXIT.ok : EXIT.failed;
}

/** Runs the guard on `argv` (without node and the script); returns the exit code. */
export function runGuard(argv: readonly string[], io: GuardIo): number {
    const lines = {
        out: (line: string) => io.stdout(`${line}\n`),
        err: (line: string) => io.stderr(`${line}\n`),
    };
    return runToolSync(SPEC, argv, lines, () => judge(argv, io));
}

if (require.main === module) {
    const code = runGuard(process.argv.slice(2), {
        readInput: (source) => readFileSync(source === "-" ? 0 : source, "utf8"),
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
    });
    exitWhenDrained(code);
}
