/**
 * The preview guard's judgement of a plan: which changes to the Aurora DSQL pair are unsafe
 * (violations), which may fail (warnings), and whether the plan retires whole pairs.
 */
import { parseUrn, type Plan } from "./preview-input";
import {
    CLUSTER_TYPE,
    PEERING_TYPE,
    pairMembers,
    protectionLifted,
    type Change,
    type PairMember,
} from "./preview-pair-members";

/** A peered pair is exactly two clusters (DESIGN.md §2, "Region sets"). */
const PAIR_SIZE = 2;

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
    /** Retirement lifts protection on purpose (tools/cli/retire.ts). */
    readonly allowProtectionOff?: boolean;
}

/** What every member's judgement needs to know of the whole plan. */
interface PlanFacts {
    readonly clusters: PairMember[];
    /** Clusters the plan creates. */
    readonly created: PairMember[];
    /** Pairs whose clusters the plan deletes, all of them and nothing else. */
    readonly retiredPairs: Set<string>;
    readonly options: GuardOptions;
}

/** One member's finding: a violation fails the plan, a warning does not. */
interface Judged {
    readonly finding: Finding;
    readonly violation: boolean;
}

const because = (reasons: Set<string>) =>
    reasons.size > 0 ? ` (because of ${[...reasons].join(", ")})` : "";

const retire = (stack: string) => `./task retire ${stack}`;

function finding(member: PairMember, rule: Rule, reason: string, fix: string): Finding {
    return {
        rule,
        urn: member.urn,
        name: member.name,
        type: member.type,
        op: [...new Set(member.ops)].join(", "),
        reason,
        fix,
    };
}

const violation = (f: Finding): Judged => ({ finding: f, violation: true });

/**
 * A pair is retired when the plan deletes its two clusters and changes no other cluster of
 * it; then its peerings may go too (their delete is a no-op in AWS).
 */
function retiredPairs(clusters: PairMember[], created: PairMember[]): Set<string> {
    return new Set(
        [...new Set(clusters.map((c) => c.pair))].filter((pair) => {
            const inPair = clusters.filter((c) => c.pair === pair);
            return (
                created.length === 0 &&
                inPair.length >= PAIR_SIZE &&
                inPair.every((c) => c.change === "delete")
            );
        }),
    );
}

function judgeCluster(member: PairMember, facts: PlanFacts): Judged | undefined {
    const { name, stack } = member;
    const { clusters, created } = facts;
    if (member.change === "replace") {
        return violation(
            finding(
                member,
                "cluster-replace",
                `replaces cluster ${name}${because(member.replaceReasons)}: the replacement is a new, empty cluster (all data in the old one is deleted), a new cluster can be peered only while it is PENDING_SETUP, and the old one waits in PENDING_DELETE until its peer is deleted too`,
                `Revert the change that forces it (witnessRegion, the region and the provider cannot change in place). To move the pair, retire it with ${retire(stack)} and deploy a new one. To adopt an existing cluster, import it (pulumi import ${CLUSTER_TYPE} <name> <identifier>) instead of re-creating it.`,
            ),
        );
    }
    if (member.change === "delete" && created.length > 0) {
        return violation(
            finding(
                member,
                "cluster-recreate",
                `deletes cluster ${name} while the plan creates ${created.length === 1 ? "cluster" : "clusters"} ${created.map((c) => c.name).join(", ")}: a new cluster is a new, empty database, and everything in ${name} is lost (often a rename or a move to another parent without an alias)`,
                `If you renamed or re-parented the clusters, add the \`aliases\` resource option so Pulumi keeps them. To adopt existing clusters, import them instead of re-creating. To start over, retire first with ${retire(stack)}, then deploy.`,
            ),
        );
    }
    if (member.change === "delete" && !facts.retiredPairs.has(member.pair)) {
        const peers = clusters.filter((c) => c.pair === member.pair && c !== member);
        const peer = peers.length === 1 ? `its peer ${peers[0].name}` : "its peer";
        return violation(
            finding(
                member,
                "cluster-partial-delete",
                `deletes cluster ${name} while ${peer} stays: a deleted peered cluster waits in PENDING_DELETE until its peer is deleted too, so the delete hangs until the provider's 30-minute timeout and leaves the pair half-deleted`,
                `Retire the whole pair with ${retire(stack)} (both clusters in one destroy). Never \`pulumi destroy --target\` one cluster, never \`--parallel 1\`. If the cluster was renamed or moved to another parent, add an alias so Pulumi keeps it.`,
            ),
        );
    }
    if (facts.options.allowProtectionOff) return undefined;
    const lifted = protectionLifted(member);
    if (lifted.length === 0) return undefined;
    return violation(
        finding(
            member,
            "cluster-protection-off",
            `turns off ${lifted.join(" and ")} on cluster ${name}: any later destroy could then delete it`,
            `Protection comes off only to retire the stack: run ${retire(stack)}, which lifts it and destroys both clusters in one go after confirmation. Keep deletionProtection as it is in this change.`,
        ),
    );
}

function judgePeering(member: PairMember, facts: PlanFacts): Judged | undefined {
    const { name, stack } = member;
    if (member.change === "replace") {
        return violation(
            finding(
                member,
                "peering-replace",
                `replaces peering ${name}${because(member.replaceReasons)}: its delete does nothing in AWS and its re-create fails, because a peering can be created only while its cluster is PENDING_SETUP and an established pair is ACTIVE`,
                `Revert the change that forces it. To adopt an existing pair, import the peering (pulumi import ${PEERING_TYPE} <name> <cluster identifier>) with inputs that match AWS exactly, instead of re-creating it.`,
            ),
        );
    }
    if (member.change === "update") {
        return violation(
            finding(
                member,
                "peering-update",
                `updates peering ${name}${member.diffReasons.size > 0 ? ` (${[...member.diffReasons].join(", ")})` : ""}: a ClusterPeering cannot be updated (the provider has no update), so the apply fails`,
                "Make the peering's inputs match AWS again: identifier = its own cluster, clusters = [the peer's ARN], witnessRegion = the pair's witness (after an import they must match exactly; `pulumi refresh` shows the difference).",
            ),
        );
    }
    if (member.change === "delete" && !facts.retiredPairs.has(member.pair)) {
        return violation(
            finding(
                member,
                "peering-delete",
                `deletes peering ${name} outside a retirement of its whole pair: deleting a ClusterPeering does nothing in AWS (the clusters stay peered), and it cannot be created again once the pair is ACTIVE`,
                `Keep the peering in the program and in the state. To retire the pair, retire the whole stack with ${retire(stack)}. If it was renamed or re-parented, add an alias.`,
            ),
        );
    }
    if (
        member.change === "create" &&
        !facts.clusters.some((c) => c.pair === member.pair && c.change === "create")
    ) {
        return {
            violation: false,
            finding: finding(
                member,
                "peering-create-on-existing-pair",
                `creates peering ${name} for clusters that already exist: that works only while they are still PENDING_SETUP (finishing an interrupted first deployment); on an ACTIVE pair it fails`,
                `If the pair is already ACTIVE, import the peering instead (pulumi import ${PEERING_TYPE} ${name} <cluster identifier>).`,
            ),
        };
    }
    return undefined;
}

function judgeMember(member: PairMember, facts: PlanFacts): Judged | undefined {
    if (member.change === "unknown") {
        return violation(
            finding(
                member,
                "unknown-operation",
                `operation "${member.ops.join(", ")}" on ${member.type} ${member.name} is not one this guard knows, so it cannot tell whether it is safe`,
                "Check the plan by hand, then teach tools/cli/preview-guard.ts this operation.",
            ),
        );
    }
    return member.kind === "cluster" ? judgeCluster(member, facts) : judgePeering(member, facts);
}

/** An error the preview reported: its plan is incomplete, so it is not judged. */
function previewError(error: Plan["errors"][number]): Finding {
    const urn = error.urn ? parseUrn(error.urn) : undefined;
    return {
        rule: "preview-error",
        urn: error.urn,
        name: urn?.name,
        type: urn?.type,
        reason: `the preview reported an error, so its plan is incomplete: ${error.message}`,
        fix: "Fix the error and preview again; the guard judges only complete plans.",
    };
}

export function evaluatePlan(plan: Plan, options: GuardOptions = {}): Verdict {
    const members = pairMembers(plan);
    const clusters = members.filter((m) => m.kind === "cluster");
    const created = clusters.filter((c) => c.change === "create");
    const facts: PlanFacts = {
        clusters,
        created,
        retiredPairs: retiredPairs(clusters, created),
        options,
    };
    const violations: Finding[] = [];
    const warnings: Finding[] = [];
    for (const member of members) {
        const judged = judgeMember(member, facts);
        if (judged) (judged.violation ? violations : warnings).push(judged.finding);
    }
    violations.push(...plan.errors.map(previewError));

    const stacks = [...new Set(plan.steps.map((s) => parseUrn(s.urn).stack))];
    return {
        ok: violations.length === 0,
        format: plan.format,
        stacks,
        retiresPair: violations.length === 0 && facts.retiredPairs.size > 0,
        violations,
        warnings,
        pairMembers: members
            .filter((m) => m.change !== "none")
            .map(({ urn, name, type, change }) => ({ urn, name, type, change })),
    };
}
