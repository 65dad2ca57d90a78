/**
 * The clusters a restore created: found from the job's CreatedResourceArn and, for a pair,
 * the peers GetCluster names (multiRegionProperties.clusters), named as the drill's own
 * temporary clusters, and waited on until ACTIVE
 * (https://docs.aws.amazon.com/aurora-dsql/latest/APIReference/API_GetCluster.html).
 */
import { clusterEndpoint } from "../../monitor-function/src/contract";
import type { Clock } from "./clock";
import type { DsqlApi } from "./restore-clients";

export interface RestoredCluster {
    readonly arn: string;
    readonly region: string;
    readonly identifier: string;
    readonly endpoint: string;
}

const CLUSTER_ARN = /^arn:aws[a-z-]*:dsql:([a-z0-9-]+):\d{12}:cluster\/([a-z0-9]+)$/;

/** The cluster an ARN names, or undefined when it is not an Aurora DSQL cluster ARN. */
export function clusterFromArn(arn: string): RestoredCluster | undefined {
    const match = CLUSTER_ARN.exec(arn);
    if (!match) return undefined;
    const [, region, identifier] = match;
    return { arn, region, identifier, endpoint: clusterEndpoint(identifier, region) };
}

/** The created cluster and, for a multi-Region restore, its peers. */
export async function restoredClusters(
    dsql: (region: string) => DsqlApi,
    created: RestoredCluster,
): Promise<RestoredCluster[]> {
    const described = await dsql(created.region).getCluster({ identifier: created.identifier });
    const peers = (described.multiRegionProperties?.clusters ?? [])
        .filter((arn) => arn !== created.arn)
        .flatMap((arn) => clusterFromArn(arn) ?? []);
    return [created, ...peers];
}

/** Tags that say what the cluster is, and when the drill that made it started. */
export function drillTags(stack: string, stamp: string): Record<string, string> {
    return {
        Name: `dr-restore-drill-${stack.replaceAll("/", "-")}-${stamp}`,
        "aurora-dsql-dr:restore-drill": stamp,
    };
}

/**
 * Waits until the cluster is ACTIVE; its last status if the bound runs out or the operator
 * interrupts first.
 */
export async function waitUntilActive(
    dsql: DsqlApi,
    cluster: RestoredCluster,
    bounds: { clock: Clock; pollSeconds: number; timeoutSeconds: number; signal?: AbortSignal },
): Promise<string | undefined> {
    const until = bounds.clock.now().getTime() + bounds.timeoutSeconds * 1000;
    for (;;) {
        const { status } = await dsql.getCluster({ identifier: cluster.identifier });
        if (status === "ACTIVE") return status;
        const outOfTime = bounds.clock.now().getTime() + bounds.pollSeconds * 1000 > until;
        if (outOfTime || bounds.signal?.aborted) return status;
        await bounds.clock.sleep(bounds.pollSeconds * 1000);
    }
}
