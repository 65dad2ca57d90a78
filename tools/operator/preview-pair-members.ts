/**
 * The clusters and peerings a preview's steps touch, each with all of its steps folded into
 * one change. Step operations: pkg/resource/deploy/step.go (`OpSame` … `OpImportReplacement`,
 * `IsReplacementStep`).
 */
import { parseUrn, type Plan, type PlannedStep, type ResourceState } from "./preview-input";

export const CLUSTER_TYPE = "aws:dsql/cluster:Cluster";
export const PEERING_TYPE = "aws:dsql/clusterPeering:ClusterPeering";

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

export type Change = "none" | "create" | "update" | "delete" | "replace" | "unknown";
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
export interface PairMember {
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

/** Every cluster and peering the plan touches, in the order the plan first names them. */
export function pairMembers(plan: Plan): PairMember[] {
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
export function protectionLifted(member: PairMember): string[] {
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
