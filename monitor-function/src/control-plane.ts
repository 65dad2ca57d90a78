import { DSQLClient, GetClusterCommand } from "@aws-sdk/client-dsql";
import { MalformedResponseError } from "./classify";
import { RETRIED_UNTIL_DEADLINE } from "./deadline";

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
 * retry strategy handles throttling and 5xx; the caller's deadline bounds the whole call.
 * When the deadline aborts the call between attempts, the last attempt's error is what
 * the step reports (a throttled call whose back-off outlasts the bound is "throttled").
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
            const command = new GetClusterCommand({ identifier });
            let lastAttemptError: unknown;
            // A low-priority finalizeRequest middleware runs inside the retry loop (the retry
            // middleware is high priority in that step), once per attempt.
            command.middlewareStack.add(
                (next) => async (args) => {
                    try {
                        return await next(args);
                    } catch (error) {
                        lastAttemptError = error;
                        throw error;
                    }
                },
                { step: "finalizeRequest", priority: "low", name: "recordAttemptError" },
            );
            const sent = clientFor(region).send(command, { abortSignal: signal });
            sent.catch(() => undefined);
            // The SDK's back-off between attempts does not end at an abort: end it here, with
            // the reason the call was being retried if there was one.
            const aborted = new Promise<never>((_, reject) => {
                const abort = () =>
                    reject(
                        lastAttemptError
                            ? Object.assign(lastAttemptError as object, {
                                  [RETRIED_UNTIL_DEADLINE]: true,
                              })
                            : signal.reason,
                    );
                if (signal.aborted) abort();
                else signal.addEventListener("abort", abort, { once: true });
            });
            const output = await Promise.race([sent, aborted]);
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
