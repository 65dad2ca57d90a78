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
 * operator/preview-input.ts. Step operations: pkg/resource/deploy/step.go (`OpSame` …
 * `OpImportReplacement`, `IsReplacementStep`).
 */
import { readFileSync } from "node:fs";
import { booleanFlag, noMorePositionals, parseCommandLine } from "./operator/args";
import { EXIT, Refusal, UsageError } from "./operator/errors";
import {
    parsePreview,
    parseUrn,
    PreviewInputError,
    type Plan,
    type PlannedStep,
    type ResourceState,
} from "./operator/preview-input";
import { exitWhenDrained, runToolSync } from "./operator/tool";

export { parsePreview, parseUrn, PreviewInputError };
export type { ParsedUrn, Plan, PlannedStep, ResourceState } from "./operator/preview-input";

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
