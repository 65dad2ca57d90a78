// The peered pair as the diagrams show it: clusters in role order, witness regions, peerings.
import { CLUSTER_ROLES } from "../../monitor-function/src/contract";
import { sortedUnique, TYPE, type Declared, type Resource } from "./diagram-declared";

export interface Cluster {
    readonly resource: Resource;
    readonly role: string;
    readonly region: string;
    readonly arn: string;
}

export interface Pair {
    readonly clusters: readonly Cluster[];
    readonly witnessRegions: readonly string[];
    /** Peered clusters, each link once; `mutual` when both sides name the other. */
    readonly links: readonly { from: Cluster; to: Cluster; mutual: boolean }[];
}

/** Cluster roles in the program's order (primary first), unknown roles after them. */
const roleRank = (role: string) => {
    const rank = (CLUSTER_ROLES as readonly string[]).indexOf(role);
    return rank < 0 ? CLUSTER_ROLES.length : rank;
};

function clustersOf(declared: Declared): Cluster[] {
    return declared
        .of(TYPE.cluster)
        .map((resource) => ({
            resource,
            role: String(resource.inputs.tags?.role ?? resource.name.split("-").pop()),
            region: resource.region!,
            arn: resource.state.arn as string,
        }))
        .sort((a, b) => roleRank(a.role) - roleRank(b.role) || a.role.localeCompare(b.role));
}

export function pairOf(declared: Declared): Pair {
    const clusters = clustersOf(declared);
    const peerings = declared.of(TYPE.peering);
    const peers = (from: Cluster, to: Cluster) =>
        peerings.some(
            (p) =>
                p.inputs.identifier === from.resource.state.identifier &&
                ((p.inputs.clusters ?? []) as string[]).includes(to.arn),
        );
    const links = clusters.flatMap((a, i) =>
        clusters.slice(i + 1).flatMap((b) => {
            const [ab, ba] = [peers(a, b), peers(b, a)];
            if (ab && ba) return [{ from: a, to: b, mutual: true }];
            if (ab || ba) return [{ from: ab ? a : b, to: ab ? b : a, mutual: false }];
            return [];
        }),
    );
    return {
        clusters,
        witnessRegions: sortedUnique([
            ...clusters.map((c) => c.resource.inputs.multiRegionProperties?.witnessRegion),
            ...peerings.map((p) => p.inputs.witnessRegion),
        ]).filter((region) => typeof region === "string"),
        links,
    };
}
