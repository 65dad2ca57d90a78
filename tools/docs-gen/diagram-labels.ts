// The short texts of diagram nodes: counts, protection, recipients, topics, metrics and drills.
import type { Experiment } from "./diagram-cell";
import { sortedUnique, type Resource } from "./diagram-declared";
import type { Cluster } from "./diagram-pair";

export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Which clusters of the pair: "both", "all", or their roles. */
export const which = (clusters: readonly Cluster[], all: readonly Cluster[]) =>
    clusters.length === all.length
        ? all.length === 2
            ? "both"
            : "all"
        : clusters.map((c) => c.role).join(", ");

export function protection(cluster: Cluster): string {
    const service = cluster.resource.inputs.deletionProtectionEnabled === true;
    const pulumi = cluster.resource.protect;
    if (service && pulumi) return "deletion-protected";
    if (service) return "deletion-protected, not Pulumi-protected";
    return pulumi ? "Pulumi-protected only" : "unprotected";
}

/** "1 e-mail" per protocol, from subscriptions. */
export function recipients(subscriptions: readonly Resource[]): string[] {
    const protocols = sortedUnique(subscriptions.map((s) => s.inputs.protocol as string));
    return protocols.map((protocol) => {
        const endpoints = sortedUnique(
            subscriptions
                .filter((s) => s.inputs.protocol === protocol)
                .map((s) => s.inputs.endpoint as string),
        );
        return count(endpoints.length, protocol === "email" ? "e-mail" : protocol);
    });
}

export function topicLabel(topics: readonly Resource[]): string[] {
    const encrypted = topics.every((t) => t.inputs.kmsMasterKeyId);
    return [
        topics.length === 1 ? "SNS topic" : count(topics.length, "SNS topic"),
        ...(encrypted ? ["KMS-encrypted"] : []),
    ];
}

export const COMPARISON: Record<string, string> = {
    GreaterThanOrEqualToThreshold: "≥",
    GreaterThanThreshold: ">",
    LessThanThreshold: "<",
    LessThanOrEqualToThreshold: "≤",
};

/** "ClusterVerdict ×4" per metric the alarms watch (AWS metrics with their namespace). */
export function perMetric(alarms: readonly Resource[], namespace: string | undefined): string[] {
    const names = alarms.map((a) =>
        a.inputs.namespace === namespace
            ? (a.inputs.metricName as string)
            : `${a.inputs.namespace} ${a.inputs.metricName}`,
    );
    return sortedUnique(names).map((name) => {
        const n = names.filter((m) => m === name).length;
        return n > 1 ? `${name} ×${n}` : name;
    });
}

/** "PT10M" → "10 min". */
function duration(iso: string): string {
    const [, h, m, s] = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso) ?? [];
    const parts = [h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
    return parts.length > 0 ? parts.join(" ") : iso;
}

export function experimentLabel(experiment: Experiment): string[] {
    const action = ((experiment.resource.inputs.actions ?? []) as any[])[0] ?? {};
    const parameters = Object.fromEntries(
        ((action.parameters ?? []) as { key: string; value: string }[]).map((p) => [
            p.key,
            p.value,
        ]),
    );
    const what = String(action.actionId ?? "")
        .split(":")
        .pop()!
        .replace(/-/g, " ");
    return [
        "FIS experiment template",
        what,
        `into the ${experiment.targets.map((c) => c.role).join(" and ")} cluster`,
        ...(parameters.duration ? [`for ${duration(parameters.duration)}`] : []),
        ...(parameters.percentage ? [`on ${parameters.percentage} % of connections`] : []),
    ];
}
