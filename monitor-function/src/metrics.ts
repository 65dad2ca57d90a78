import type { Metrics } from "@aws-lambda-powertools/metrics";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { METRICS, metricDimensions } from "./contract";
import type { ClusterResult } from "./probe";

/**
 * Emits one EMF document per cluster with exactly the contract's dimension set (the
 * Powertools `service` default dimension is cleared where the Metrics instance is made).
 */
export function publishResults(
    metrics: Metrics,
    results: readonly ClusterResult[],
    observerRegion: string,
): void {
    for (const result of results) {
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
