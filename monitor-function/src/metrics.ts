import { MetricResolution, Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    observerDimensions,
    type MetricKey,
} from "./contract";
import type { MonitorSettings } from "./environment";
import type { RoundResult } from "./probe";

/**
 * The metrics emitter: EMF on stdout in the contract's namespace, without the `service`
 * dimension Powertools adds by default (the alarms watch exactly the contract's sets).
 */
export function monitorMetrics(): Metrics {
    const metrics = new Metrics({ namespace: METRIC_NAMESPACE });
    metrics.clearDefaultDimensions();
    return metrics;
}

const UNITS = { Count: MetricUnit.Count, Seconds: MetricUnit.Seconds } as const;

/** One EMF document's worth: a dimension set and the metrics it carries this round. */
export interface RoundMetrics {
    readonly dimensions: Readonly<Record<string, string>>;
    readonly values: readonly (readonly [MetricKey, number])[];
}

/**
 * What one round emits: one document per cluster that has something to report, and one
 * for the observer. Sparse metrics appear only when they are non-zero; MonitorHealth
 * appears on every round, so its absence means the monitor is silent.
 */
export function roundMetrics(settings: MonitorSettings, round: RoundResult): RoundMetrics[] {
    const documents: RoundMetrics[] = [];
    for (const c of round.clusters) {
        const values: [MetricKey, number][] = [];
        if (c.judgement.verdict) values.push(["clusterVerdict", c.judgement.verdict]);
        if (c.controlPlane.ok === false) values.push(["controlPlaneFailure", 1]);
        if (c.status && !c.status.usable) values.push(["statusNotUsable", 1]);
        if (c.peering && !c.peering.ok) values.push(["peeringMismatch", 1]);
        if (settings.failoverSignal !== "off") {
            const held = settings.failoverSignal === "hold-in-maintenance";
            const down = c.judgement.verdict === 2 && !(held && round.maintenanceSecondsLeft);
            values.push(["failoverSignal", down ? 1 : 0]);
        }
        if (values.length > 0) {
            documents.push({
                dimensions: metricDimensions(c.cluster, settings.observerRegion),
                values,
            });
        }
    }
    const observer: [MetricKey, number][] = [["monitorHealth", round.monitorSound ? 1 : 0]];
    if (round.unreplicated) observer.push(["unreplicatedHeartbeats", round.unreplicated]);
    if (round.peerSilent) observer.push(["peerMonitorSilent", 1]);
    if (round.maintenanceSecondsLeft) observer.push(["maintenanceWindow", 1]);
    documents.push({
        dimensions: observerDimensions(settings.pair, settings.observerRegion),
        values: observer,
    });
    return documents;
}

/**
 * Emits one round as EMF. Every datapoint carries the round's time (the schedule tick),
 * so each round lands in its own alarm period however long the probes took.
 */
export function publishRound(
    metrics: Metrics,
    settings: MonitorSettings,
    round: RoundResult,
): void {
    const resolutionOf = (key: MetricKey) =>
        ((METRICS[key] as { resolution?: 1 | 60 }).resolution ?? settings.metricResolution) === 1
            ? MetricResolution.High
            : MetricResolution.Standard;
    for (const document of roundMetrics(settings, round)) {
        metrics.setTimestamp(round.at);
        for (const [name, value] of Object.entries(document.dimensions))
            metrics.addDimension(name, value);
        for (const [key, value] of document.values) {
            const metric = METRICS[key];
            metrics.addMetric(metric.name, UNITS[metric.unit], value, resolutionOf(key));
        }
        metrics.publishStoredMetrics();
    }
}
