/** How the restore drill reaches AWS and the restored clusters: for real, or faked by tests. */
import { restoreClients, type RestoreClients } from "./restore-clients";
import { DSQL_PROOF, pgProof, type ProveCluster } from "./restore-proof";

/** What the drill reaches AWS and the restored clusters with; tests pass fakes. */
export interface RestoreWiring {
    readonly clients: () => Promise<RestoreClients>;
    readonly prove: (timeoutMs: number, now: () => Date) => ProveCluster;
}

export const REAL_RESTORE: RestoreWiring = {
    clients: () => restoreClients(),
    prove: (timeoutMs, now) => pgProof({ ...DSQL_PROOF, timeoutMs, now }),
};
