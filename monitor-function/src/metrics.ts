import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { METRIC_NAMESPACE, METRICS, metricDimensions } from "./contract";
import type { ClusterResult } from "./probe";

/**
 * The metrics emitter: EMF on stdout in the contract's namespace, without the `service`
 * dimension Powertools adds by default (the alarms watch exactly the contract's set).
 */
export function monitorMetrics(): Metrics {
    const metrics = new Metrics({ namespace: METRIC_NAMESPACE });
    metrics.clearDefaultDimensions();
    return metrics;
}

/** Emits one EMF document per cluster with exactly the contract's dimension set. */
export function publishResults(
    metrics: Metrics,
    results: readonly ClusterResult[],
    observerRegion: string,
    timestamp: Date,
): void {
    for (const result of results) {
        // Stamped with the schedule tick, not the end of the probe: each tick then lands in
        // its own alarm period however long the probe took, so no period is left empty.
        metrics.setTimestamp(timestamp);
        const dimensions = metricDimensions(result.cluster, observerRegion);
        for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
        metrics.addMetric(METRICS.clusterHealth.name, MetricUnit.Count, result.healthy ? 1 : 0);
        metrics.addMetric(METRICS.peeringHealth.name, MetricUnit.Count, result.peered ? 1 : 0);
        metrics.addMetric(
            METRICS.controlPlaneLatency.name,
            MetricUnit.Milliseconds,
            result.controlPlaneMs,
        );
        if (result.dataPlaneMs !== undefined) {
            metrics.addMetric(
                METRICS.dataPlaneLatency.name,
                MetricUnit.Milliseconds,
                result.dataPlaneMs,
            );
        }
        metrics.publishStoredMetrics();
    }
}
