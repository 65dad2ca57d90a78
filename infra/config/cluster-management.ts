/**
 * Who owns the pair: "create" (this stack creates and peers it), "adopt" (it imports an
 * existing pair on the next up), "monitor-only" (it watches a pair it does not manage).
 */
export const CLUSTER_MANAGEMENT = ["create", "adopt", "monitor-only"] as const;
export type ClusterManagement = (typeof CLUSTER_MANAGEMENT)[number];
