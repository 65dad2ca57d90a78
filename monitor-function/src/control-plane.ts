import { DSQLClient, GetClusterCommand } from "@aws-sdk/client-dsql";
import { MalformedResponseError } from "./classify";

/** What the monitor reads from GetCluster. */
export interface ClusterView {
    readonly status: string;
    readonly arn: string;
    readonly witnessRegion?: string;
    readonly peers: readonly string[];
}

export interface ControlPlane {
    getCluster(region: string, identifier: string, signal: AbortSignal): Promise<ClusterView>;
}

/**
 * GetCluster through one SDK client per region (kept across invocations). The SDK's own
 * retry strategy handles throttling; the caller's deadline bounds the whole call.
 */
export function dsqlControlPlane(
    newClient: (region: string) => DSQLClient = (region) => new DSQLClient({ region }),
): ControlPlane {
    const clients = new Map<string, DSQLClient>();
    const clientFor = (region: string) => {
        let client = clients.get(region);
        if (!client) {
            client = newClient(region);
            clients.set(region, client);
        }
        return client;
    };
    return {
        async getCluster(region, identifier, signal) {
            const output = await clientFor(region).send(new GetClusterCommand({ identifier }), {
                abortSignal: signal,
            });
            if (typeof output?.status !== "string" || typeof output.arn !== "string") {
                throw new MalformedResponseError("GetCluster returned no status or ARN");
            }
            if (output.identifier !== undefined && output.identifier !== identifier) {
                throw new MalformedResponseError(
                    `GetCluster returned cluster ${output.identifier}, asked for ${identifier}`,
                );
            }
            const peers = output.multiRegionProperties?.clusters;
            if (peers !== undefined && !Array.isArray(peers)) {
                throw new MalformedResponseError("multiRegionProperties.clusters is not a list");
            }
            return {
                status: output.status,
                arn: output.arn,
                witnessRegion: output.multiRegionProperties?.witnessRegion,
                peers: peers ?? [],
            };
        },
    };
}
