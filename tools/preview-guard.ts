/**
 * Preview guard: reads the output of `pulumi preview --json` and fails (exit 1) when the
 * plan would break the Aurora DSQL pair: delete or replace one cluster of the pair, replace
 * any cluster, delete, replace or update a peering, or lift a cluster's protection outside
 * retirement (DESIGN.md §2, "Destroy and replace" and "Peering is one-way").
 *
 *   npm run --silent preview-guard -- <preview.json | -> [--json] [--allow-protection-off]
 *
 * Exit codes: 0 the plan is safe, 1 it is not, 2 the input is not a complete preview.
 *
 * Input formats, as written by pulumi/pulumi at commit
 * 1b5949891b3cefcb9974752b24a5ecef0acc86c8 (2026-08-21):
 * - The preview digest (default for `pulumi preview --json` and
 *   `pulumi destroy --preview-only --json`): one JSON document, printed once at the end.
 *   Shape: `PreviewDigest` / `PreviewStep` / `PreviewDiagnostic` in pkg/display/json.go;
 *   producer `ShowPreviewDigest` in pkg/backend/display/json.go; `oldState`/`newState`
 *   are `apitype.ResourceV3` (sdk/go/common/apitype/core.go). `shouldShow`
 *   (pkg/backend/display/display.go) leaves out `same` steps (unless `protect` changed) and
 *   the non-logical replacement steps, so an untouched resource has no step at all.
 * - Engine events, one JSON object per line: what `--json` prints when
 *   PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set (`ShowJSONEvents`, chosen in `ShowEvents`,
 *   pkg/backend/display/display.go), and what `--event-log <file>` writes (same writer,
 *   `logJSONEvent`). Shape: `EngineEvent`, `ResourcePreEvent`, `StepEventMetadata` in
 *   sdk/go/common/apitype/events.go. A stream counts only if it holds its summaryEvent.
 * Step operations: pkg/resource/deploy/step.go (`OpSame` … `OpImportReplacement`,
 * `IsReplacementStep`). Text before the JSON (pulumi/pulumi#19775: "Installing policy
 * pack …" on stdout) is skipped; policy violations are not in the digest at all.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export const CLUSTER_TYPE = "aws:dsql/cluster:Cluster";
export const PEERING_TYPE = "aws:dsql/clusterPeering:ClusterPeering";
/** A peered pair is exactly two clusters (DESIGN.md §2, "Region sets"). */
const PAIR_SIZE = 2;

/** Operations that change nothing in AWS. */
const NEUTRAL_OPS = new Set(["same", "read", "refresh", "import", "discard"]);
/** `IsReplacementStep` in pkg/resource/deploy/step.go. */
const REPLACE_OPS = new Set([
    "replace",
    "create-replacement",
    "delete-replaced",
    "read-replacement",
    "discard-replaced",
    "remove-pending-replace",
    "import-replacement",
]);

/** What a resource's state says, as far as the guard cares. */
export interface ResourceState {
    readonly parent?: string;
    readonly protect: boolean;
    readonly inputs: Record<string, unknown>;
}

/** One step of the plan, in either input format. */
export interface PlannedStep {
    readonly op: string;
    readonly urn: string;
    readonly old?: ResourceState;
    readonly new?: ResourceState;
    readonly replaceReasons: readonly string[];
    readonly diffReasons: readonly string[];
}

export interface Plan {
    readonly format: "digest" | "events";
    readonly steps: readonly PlannedStep[];
    /** Messages of error diagnostics: the plan is incomplete. */
    readonly errors: readonly { urn?: string; message: string }[];
}

/** The input is not a complete `pulumi preview --json` output. */
export class PreviewInputError extends Error {}

export interface ParsedUrn {
    readonly stack: string;
    readonly project: string;
    /** The resource type: the last entry of the `$`-joined parent type chain. */
    readonly type: string;
    readonly parentTypes: readonly string[];
    readonly name: string;
}

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`. */
export function parseUrn(urn: string): ParsedUrn {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.*)$/s.exec(urn);
    if (!match) throw new PreviewInputError(`not a Pulumi URN: ${JSON.stringify(urn)}`);
    const [, stack, project, qualifiedType, name] = match;
    const types = qualifiedType.split("$");
    return { stack, project, type: types.at(-1)!, parentTypes: types.slice(0, -1), name };
}

// ---------------------------------------------------------------------------------------
// Reading the input

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
    typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function stateOf(value: unknown): ResourceState | undefined {
    if (!isObject(value)) return undefined;
    return {
        parent: typeof value.parent === "string" && value.parent ? value.parent : undefined,
        protect: value.protect === true,
        inputs: isObject(value.inputs) ? value.inputs : {},
    };
}

function stepOf(raw: unknown, where: string): PlannedStep {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.urn !== "string") {
        throw new PreviewInputError(`${where} has no "op" and "urn" strings`);
    }
    parseUrn(raw.urn);
    return {
        op: raw.op,
        urn: raw.urn,
        // Digest steps carry oldState/newState/replaceReasons/diffReasons; engine events
        // carry old/new/keys/diffs.
        old: stateOf(raw.oldState ?? raw.old),
        new: stateOf(raw.newState ?? raw.new),
        replaceReasons: strings(raw.replaceReasons ?? raw.keys),
        diffReasons: strings(raw.diffReasons ?? raw.diffs),
    };
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** End (exclusive) of the JSON object that opens at `start`, or -1 if it never closes. */
function objectEnd(text: string, start: number): number {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === "\\") i++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
            depth--;
            if (depth === 0) return i + 1;
        }
    }
    return -1;
}

const isEvent = (value: Json) =>
    typeof value.sequence === "number" || Object.keys(value).some((k) => k.endsWith("Event"));
const isDigest = (value: Json) => Array.isArray(value.steps) || isObject(value.changeSummary);

function digestPlan(digest: Json): Plan {
    const steps = digest.steps ?? [];
    if (!Array.isArray(steps)) throw new PreviewInputError(`"steps" is not an array`);
    const diagnostics = Array.isArray(digest.diagnostics) ? digest.diagnostics : [];
    return {
        format: "digest",
        steps: steps.map((s, i) => stepOf(s, `steps[${i}]`)),
        errors: diagnostics
            .filter((d): d is Json => isObject(d) && d.severity === "error")
            .map((d) => ({
                urn: typeof d.urn === "string" && d.urn ? d.urn : undefined,
                message: String(d.message ?? "").trim(),
            })),
    };
}

function eventsPlan(text: string, start: number): Plan {
    const steps: PlannedStep[] = [];
    const errors: { urn?: string; message: string }[] = [];
    let summary = false;
    const firstLine = lineOf(text, start);
    for (const [index, line] of text.slice(start).split("\n").entries()) {
        if (!line.trimStart().startsWith("{")) continue;
        const where = `line ${firstLine + index}`;
        let event: unknown;
        try {
            event = JSON.parse(line);
        } catch (error) {
            throw new PreviewInputError(
                `${where} is not a complete JSON event (was the output cut short?): ${(error as Error).message}`,
            );
        }
        if (!isObject(event)) continue;
        if (event.cancelEvent) throw new PreviewInputError("the preview was cancelled");
        if (isObject(event.resourcePreEvent)) {
            steps.push(stepOf(event.resourcePreEvent.metadata, `${where} (resourcePreEvent)`));
        }
        const diag = event.diagnosticEvent;
        if (isObject(diag) && diag.severity === "error" && diag.ephemeral !== true) {
            errors.push({
                urn: typeof diag.urn === "string" && diag.urn ? diag.urn : undefined,
                message: String(diag.message ?? "").trim(),
            });
        }
        if (event.summaryEvent) summary = true;
    }
    if (!summary) {
        throw new PreviewInputError(
            "the engine event stream has no summaryEvent, so the preview did not finish (was the output cut short?)",
        );
    }
    return { format: "events", steps, errors };
}

/**
 * The plan in `text`: a preview digest or an engine event stream, after any lines the CLI
 * printed first. A JSON document starts at the beginning of a line (the digest is printed
 * with json.MarshalIndent, events one per line), so only those `{` are candidates.
 */
export function parsePreview(text: string): Plan {
    const source = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
    let firstProblem: string | undefined;
    for (let start = 0; start < source.length;) {
        const next = source.indexOf("\n", start);
        const lineEnd = next === -1 ? source.length : next;
        if (source[start] === "{") {
            const end = objectEnd(source, start);
            const where = `the JSON starting on line ${lineOf(source, start)}`;
            if (end === -1) {
                firstProblem ??= `${where} never closes (was the output cut short?)`;
            } else {
                try {
                    const value: unknown = JSON.parse(source.slice(start, end));
                    if (isObject(value) && isEvent(value)) return eventsPlan(source, start);
                    if (isObject(value) && isDigest(value)) return digestPlan(value);
                    firstProblem ??= `${where} is not a preview (it has neither "steps" nor "changeSummary")`;
                } catch (error) {
                    if (error instanceof PreviewInputError) throw error;
                    firstProblem ??= `${where} is not valid JSON: ${(error as Error).message}`;
                }
            }
        }
        start = lineEnd + 1;
    }
    throw new PreviewInputError(
        `${firstProblem ?? "no JSON document found"}; expected the output of \`pulumi preview --json\``,
    );
}

// ---------------------------------------------------------------------------------------
// Judging the plan

type Change = "none" | "create" | "update" | "delete" | "replace" | "unknown";
const RANK: Record<Change, number> = {
    none: 0,
    create: 1,
    update: 2,
    delete: 3,
    replace: 4,
    unknown: 5,
};

function changeOf(step: PlannedStep): Change {
    if (REPLACE_OPS.has(step.op) || step.replaceReasons.length > 0) return "replace";
    if (step.op === "delete") return "delete";
    if (step.op === "update") return "update";
    if (step.op === "create") return "create";
    return NEUTRAL_OPS.has(step.op) ? "none" : "unknown";
}

/** A cluster or peering, with all of its steps folded into one change. */
interface PairMember {
    readonly kind: "cluster" | "peering";
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    readonly stack: string;
    /** The parent (the PeeredClusterPair): members with the same parent form one pair. */
    readonly pair: string;
    change: Change;
    readonly ops: string[];
    readonly replaceReasons: Set<string>;
    readonly diffReasons: Set<string>;
    old?: ResourceState;
    new?: ResourceState;
}

export type Rule =
    | "cluster-partial-delete"
    | "cluster-recreate"
    | "cluster-replace"
    | "cluster-protection-off"
    | "peering-delete"
    | "peering-replace"
    | "peering-update"
    | "peering-create-on-existing-pair"
    | "unknown-operation"
    | "preview-error";

export interface Finding {
    readonly rule: Rule;
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly op?: string;
    readonly reason: string;
    readonly fix: string;
}

export interface Verdict {
    readonly ok: boolean;
    readonly format: Plan["format"];
    readonly stacks: string[];
    /** The plan deletes whole pairs and nothing else of them: a retirement. */
    readonly retiresPair: boolean;
    readonly violations: Finding[];
    readonly warnings: Finding[];
    /** Every cluster and peering the plan touches, with its folded change. */
    readonly pairMembers: { urn: string; name: string; type: string; change: Change }[];
}

export interface GuardOptions {
    /** Retirement lifts protection on purpose (tools/retire.ts). */
    readonly allowProtectionOff?: boolean;
}

const because = (reasons: Set<string>) =>
    reasons.size > 0 ? ` (because of ${[...reasons].join(", ")})` : "";

function pairMembers(plan: Plan): PairMember[] {
    const members = new Map<string, PairMember>();
    for (const step of plan.steps) {
        const urn = parseUrn(step.urn);
        const kind =
            urn.type === CLUSTER_TYPE ? "cluster" : urn.type === PEERING_TYPE ? "peering" : null;
        if (!kind) continue;
        let member = members.get(step.urn);
        if (!member) {
            member = {
                kind,
                urn: step.urn,
                name: urn.name,
                type: urn.type,
                stack: urn.stack,
                pair:
                    step.old?.parent ??
                    step.new?.parent ??
                    `${urn.stack}::${urn.project}::${urn.parentTypes.join("$")}`,
                change: "none",
                ops: [],
                replaceReasons: new Set(),
                diffReasons: new Set(),
            };
            members.set(step.urn, member);
        }
        const change = changeOf(step);
        if (RANK[change] > RANK[member.change]) member.change = change;
        member.ops.push(step.op);
        step.replaceReasons.forEach((r) => member.replaceReasons.add(r));
        step.diffReasons.forEach((r) => member.diffReasons.add(r));
        member.old ??= step.old;
        member.new = step.new ?? member.new;
    }
    return [...members.values()];
}

/** What turning protection off looks like in a step: either flag going from on to off. */
function protectionLifted(member: PairMember): string[] {
    if (!member.old || !member.new) return [];
    const lifted: string[] = [];
    if (
        member.old.inputs.deletionProtectionEnabled === true &&
        member.new.inputs.deletionProtectionEnabled !== true
    ) {
        lifted.push("deletion protection (deletionProtectionEnabled true → false)");
    }
    if (member.old.protect && !member.new.protect) lifted.push("Pulumi protect");
    return lifted;
}

export function evaluatePlan(plan: Plan, options: GuardOptions = {}): Verdict {
    const members = pairMembers(plan);
    const clusters = members.filter((m) => m.kind === "cluster");
    const violations: Finding[] = [];
    const warnings: Finding[] = [];
    const finding = (member: PairMember, rule: Rule, reason: string, fix: string): Finding => ({
        rule,
        urn: member.urn,
        name: member.name,
        type: member.type,
        op: [...new Set(member.ops)].join(", "),
        reason,
        fix,
    });
    const retire = (stack: string) => `./task retire ${stack}`;

    const created = clusters.filter((c) => c.change === "create");
    // A pair is retired when the plan deletes its two clusters and changes no other
    // cluster of it; then its peerings may go too (their delete is a no-op in AWS).
    const retiredPairs = new Set(
        [...new Set(clusters.map((c) => c.pair))].filter((pair) => {
            const inPair = clusters.filter((c) => c.pair === pair);
            return (
                created.length === 0 &&
                inPair.length >= PAIR_SIZE &&
                inPair.every((c) => c.change === "delete")
            );
        }),
    );

    for (const member of members) {
        const { name, stack } = member;
        if (member.change === "unknown") {
            violations.push(
                finding(
                    member,
                    "unknown-operation",
                    `operation "${member.ops.join(", ")}" on ${member.type} ${name} is not one this guard knows, so it cannot tell whether it is safe`,
                    "Check the plan by hand, then teach tools/preview-guard.ts this operation.",
                ),
            );
            continue;
        }
        if (member.kind === "cluster") {
            if (member.change === "replace") {
                violations.push(
                    finding(
                        member,
                        "cluster-replace",
                        `replaces cluster ${name}${because(member.replaceReasons)}: the replacement is a new, empty cluster (all data in the old one is deleted), a new cluster can be peered only while it is PENDING_SETUP, and the old one waits in PENDING_DELETE until its peer is deleted too`,
                        `Revert the change that forces it (witnessRegion, the region and the provider cannot change in place). To move the pair, retire it with ${retire(stack)} and deploy a new one. To adopt an existing cluster, import it (pulumi import ${CLUSTER_TYPE} <name> <identifier>) instead of re-creating it.`,
                    ),
                );
            } else if (member.change === "delete" && created.length > 0) {
                violations.push(
                    finding(
                        member,
                        "cluster-recreate",
                        `deletes cluster ${name} while the plan creates ${created.length === 1 ? "cluster" : "clusters"} ${created.map((c) => c.name).join(", ")}: a new cluster is a new, empty database, and everything in ${name} is lost (often a rename or a move to another parent without an alias)`,
                        `If you renamed or re-parented the clusters, add the \`aliases\` resource option so Pulumi keeps them. To adopt existing clusters, import them instead of re-creating. To start over, retire first with ${retire(stack)}, then deploy.`,
                    ),
                );
            } else if (member.change === "delete" && !retiredPairs.has(member.pair)) {
                const peers = clusters.filter((c) => c.pair === member.pair && c !== member);
                const peer = peers.length === 1 ? `its peer ${peers[0].name}` : "its peer";
                violations.push(
                    finding(
                        member,
                        "cluster-partial-delete",
                        `deletes cluster ${name} while ${peer} stays: a deleted peered cluster waits in PENDING_DELETE until its peer is deleted too, so the delete hangs until the provider's 30-minute timeout and leaves the pair half-deleted`,
                        `Retire the whole pair with ${retire(stack)} (both clusters in one destroy). Never \`pulumi destroy --target\` one cluster, never \`--parallel 1\`. If the cluster was renamed or moved to another parent, add an alias so Pulumi keeps it.`,
                    ),
                );
            } else if (!options.allowProtectionOff) {
                const lifted = protectionLifted(member);
                if (lifted.length > 0) {
                    violations.push(
                        finding(
                            member,
                            "cluster-protection-off",
                            `turns off ${lifted.join(" and ")} on cluster ${name}: any later destroy could then delete it`,
                            `Protection comes off only to retire the stack: run ${retire(stack)}, which lifts it and destroys both clusters in one go after confirmation. Keep deletionProtection as it is in this change.`,
                        ),
                    );
                }
            }
            continue;
        }
        // Peerings.
        if (member.change === "replace") {
            violations.push(
                finding(
                    member,
                    "peering-replace",
                    `replaces peering ${name}${because(member.replaceReasons)}: its delete does nothing in AWS and its re-create fails, because a peering can be created only while its cluster is PENDING_SETUP and an established pair is ACTIVE`,
                    `Revert the change that forces it. To adopt an existing pair, import the peering (pulumi import ${PEERING_TYPE} <name> <cluster identifier>) with inputs that match AWS exactly, instead of re-creating it.`,
                ),
            );
        } else if (member.change === "update") {
            violations.push(
                finding(
                    member,
                    "peering-update",
                    `updates peering ${name}${member.diffReasons.size > 0 ? ` (${[...member.diffReasons].join(", ")})` : ""}: a ClusterPeering cannot be updated (the provider has no update), so the apply fails`,
                    "Make the peering's inputs match AWS again: identifier = its own cluster, clusters = [the peer's ARN], witnessRegion = the pair's witness (after an import they must match exactly; `pulumi refresh` shows the difference).",
                ),
            );
        } else if (member.change === "delete" && !retiredPairs.has(member.pair)) {
            violations.push(
                finding(
                    member,
                    "peering-delete",
                    `deletes peering ${name} outside a retirement of its whole pair: deleting a ClusterPeering does nothing in AWS (the clusters stay peered), and it cannot be created again once the pair is ACTIVE`,
                    `Keep the peering in the program and in the state. To retire the pair, retire the whole stack with ${retire(stack)}. If it was renamed or re-parented, add an alias.`,
                ),
            );
        } else if (
            member.change === "create" &&
            !clusters.some((c) => c.pair === member.pair && c.change === "create")
        ) {
            warnings.push(
                finding(
                    member,
                    "peering-create-on-existing-pair",
                    `creates peering ${name} for clusters that already exist: that works only while they are still PENDING_SETUP (finishing an interrupted first deployment); on an ACTIVE pair it fails`,
                    `If the pair is already ACTIVE, import the peering instead (pulumi import ${PEERING_TYPE} ${name} <cluster identifier>).`,
                ),
            );
        }
    }

    for (const error of plan.errors) {
        const urn = error.urn ? parseUrn(error.urn) : undefined;
        violations.push({
            rule: "preview-error",
            urn: error.urn,
            name: urn?.name,
            type: urn?.type,
            reason: `the preview reported an error, so its plan is incomplete: ${error.message}`,
            fix: "Fix the error and preview again; the guard judges only complete plans.",
        });
    }

    const stacks = [...new Set(plan.steps.map((s) => parseUrn(s.urn).stack))];
    return {
        ok: violations.length === 0,
        format: plan.format,
        stacks,
        retiresPair: violations.length === 0 && retiredPairs.size > 0,
        violations,
        warnings,
        pairMembers: members
            .filter((m) => m.change !== "none")
            .map(({ urn, name, type, change }) => ({ urn, name, type, change })),
    };
}

// ---------------------------------------------------------------------------------------
// Reporting

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

// ---------------------------------------------------------------------------------------
// Command line

export interface GuardIo {
    readonly readInput: (source: string) => string;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

const USAGE =
    "usage: preview-guard <preview.json | -> [--json] [--allow-protection-off]\n" +
    "  Reads `pulumi preview --json` output from the file (or stdin for -) and exits 1 when\n" +
    "  the plan is unsafe for the Aurora DSQL pair, 2 when the input is not a preview.\n";

/** Runs the guard on `argv` (without node and the script); returns the exit code. */
export function runGuard(argv: readonly string[], io: GuardIo): number {
    let values: { json?: boolean; "allow-protection-off"?: boolean };
    let positionals: string[];
    try {
        ({ values, positionals } = parseArgs({
            args: [...argv],
            allowPositionals: true,
            options: {
                json: { type: "boolean", default: false },
                "allow-protection-off": { type: "boolean", default: false },
            },
        }));
    } catch (error) {
        io.stderr(`preview-guard: ${(error as Error).message}\n${USAGE}`);
        return 2;
    }
    if (positionals.length !== 1) {
        io.stderr(USAGE);
        return 2;
    }
    const [source] = positionals;
    let verdict: Verdict;
    try {
        let text: string;
        try {
            text = io.readInput(source);
        } catch (error) {
            throw new PreviewInputError((error as Error).message);
        }
        verdict = evaluatePlan(parsePreview(text), {
            allowProtectionOff: values["allow-protection-off"],
        });
    } catch (error) {
        if (!(error instanceof PreviewInputError)) throw error;
        const input = source === "-" ? "stdin" : source;
        const message = `preview-guard: cannot judge ${input}: ${error.message}`;
        if (values.json) {
            io.stdout(JSON.stringify({ verdict: "error", error: message }, null, 2) + "\n");
        }
        io.stderr(message + "\n");
        return 2;
    }
    if (values.json) {
        const { ok, ...rest } = verdict;
        io.stdout(JSON.stringify({ verdict: ok ? "pass" : "fail", ...rest }, null, 2) + "\n");
    } else {
        io.stdout(formatVerdict(verdict));
    }
    return verdict.ok ? 0 : 1;
}

if (require.main === module) {
    const code = runGuard(process.argv.slice(2), {
        readInput: (source) => readFileSync(source === "-" ? 0 : source, "utf8"),
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
    });
    // Exit only once stdout has drained (a pipe is written asynchronously).
    process.stdout.write("", () => process.exit(code));
}
