import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterEndpoint, type ClusterRole } from "../monitor-function/src/contract";

/** What the rest of the program needs to know about one cluster. */
export interface ClusterRef {
    readonly role: ClusterRole;
    readonly region: string;
    readonly identifier: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
}

export interface ClusterSide {
    /** Region role, used in names and tags. */
    readonly role: ClusterRole;
    readonly region: string;
    /** Provider for this cluster's region. */
    readonly provider: aws.Provider;
}

export interface PeeredClusterPairArgs {
    readonly primary: ClusterSide;
    readonly secondary: ClusterSide;
    readonly witnessRegion: string;
    /** Prefix of the clusters' Name tags. */
    readonly clusterPrefix: string;
    /** Deletion protection on the clusters and Pulumi `protect` on clusters and peerings. */
    readonly deletionProtection: boolean;
    /**
     * Identifiers of an existing pair to adopt: both clusters and both peerings are
     * imported (import ID: the cluster identifier, for both resource types) instead of
     * created. The imported inputs must match what AWS holds, or Pulumi refuses the import:
     * the witness (it forces replacement if it differs), deletion protection, and each
     * peering's peer ARN and witness; tags are ignored while adopting and set afterwards.
     */
    readonly adopt?: Readonly<Record<ClusterRole, string>>;
}

/**
 * Two Aurora DSQL clusters in one region set, each created with only the witness (they
 * then wait in PENDING_SETUP), and one peering per side naming the other cluster's ARN,
 * which moves both to ACTIVE. Neither cluster depends on the other, so both deletes run
 * on destroy (a deleted peered cluster waits in PENDING_DELETE for its peer).
 */
export class PeeredClusterPair extends pulumi.ComponentResource {
    public readonly primary: ClusterRef;
    public readonly secondary: ClusterRef;
    public readonly witnessRegion: string;
    /** Both peerings: depend on these to start only once the pair is ACTIVE. */
    public readonly peerings: aws.dsql.ClusterPeering[];

    constructor(name: string, args: PeeredClusterPairArgs, opts?: pulumi.ComponentResourceOptions) {
        // The pair's protection is visible to the policy pack, which holds the clusters to it.
        super(
            "aurora-dsql-dr:database:PeeredClusterPair",
            name,
            { deletionProtection: args.deletionProtection },
            opts,
        );

        const adopting = (side: ClusterSide) =>
            args.adopt ? { import: args.adopt[side.role] } : {};
        const cluster = (side: ClusterSide) =>
            new aws.dsql.Cluster(
                `${name}-${side.role}`,
                {
                    deletionProtectionEnabled: args.deletionProtection,
                    multiRegionProperties: { witnessRegion: args.witnessRegion },
                    tags: { Name: `${args.clusterPrefix}-${side.role}`, role: side.role },
                },
                {
                    parent: this,
                    provider: side.provider,
                    protect: args.deletionProtection,
                    ...adopting(side),
                    // An adopted cluster keeps its own tags until the next up sets ours.
                    ...(args.adopt ? { ignoreChanges: ["tags", "tagsAll"] } : {}),
                },
            );
        const primaryCluster = cluster(args.primary);
        const secondaryCluster = cluster(args.secondary);

        const peering = (side: ClusterSide, own: aws.dsql.Cluster, peer: aws.dsql.Cluster) =>
            new aws.dsql.ClusterPeering(
                `${name}-${side.role}-peering`,
                {
                    identifier: own.identifier,
                    clusters: [peer.arn],
                    witnessRegion: args.witnessRegion,
                },
                {
                    parent: this,
                    provider: side.provider,
                    protect: args.deletionProtection,
                    ...adopting(side),
                },
            );
        const primaryPeering = peering(args.primary, primaryCluster, secondaryCluster);
        const secondaryPeering = peering(args.secondary, secondaryCluster, primaryCluster);

        const ref = (side: ClusterSide, c: aws.dsql.Cluster): ClusterRef => ({
            role: side.role,
            region: side.region,
            identifier: c.identifier,
            arn: c.arn,
            endpoint: c.identifier.apply((id) => clusterEndpoint(id, side.region)),
        });
        this.primary = ref(args.primary, primaryCluster);
        this.secondary = ref(args.secondary, secondaryCluster);
        this.witnessRegion = args.witnessRegion;
        this.peerings = [primaryPeering, secondaryPeering];

        this.registerOutputs({
            // The policy pack reads the pair's protection from here (stack policies see outputs).
            deletionProtection: args.deletionProtection,
            primaryArn: this.primary.arn,
            secondaryArn: this.secondary.arn,
            primaryEndpoint: this.primary.endpoint,
            secondaryEndpoint: this.secondary.endpoint,
        });
    }
}

export interface ExistingPairArgs {
    readonly primary: ClusterSide;
    readonly secondary: ClusterSide;
    /** Their identifiers, as `aws dsql list-clusters` shows them. */
    readonly identifiers: Readonly<Record<ClusterRole, string>>;
}

/**
 * A pair this stack watches but does not manage: its references, built from identifier,
 * region and account (the provider has no Aurora DSQL data source to read them), so the
 * program declares no cluster and no peering and can never change or delete them.
 */
export function existingPair(args: ExistingPairArgs): Record<ClusterRole, ClusterRef> {
    const ref = (side: ClusterSide): ClusterRef => {
        const invoke = { provider: side.provider };
        const account = aws.getCallerIdentityOutput({}, invoke).accountId;
        const partition = aws.getPartitionOutput({}, invoke).partition;
        const identifier = pulumi.output(args.identifiers[side.role]);
        return {
            role: side.role,
            region: side.region,
            identifier,
            arn: pulumi.interpolate`arn:${partition}:dsql:${side.region}:${account}:cluster/${identifier}`,
            endpoint: identifier.apply((id) => clusterEndpoint(id, side.region)),
        };
    };
    return { primary: ref(args.primary), secondary: ref(args.secondary) };
}
