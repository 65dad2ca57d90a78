import { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { dsqlControlPlane } from "./control-plane";
import { readSettings } from "./environment";
import { monitorMetrics, publishResults } from "./metrics";
import { probeAll, type ClusterResult, type ProbeDependencies } from "./probe";
import { iamTokenPassword, pgProber } from "./sql-probe";

export interface HandlerDependencies extends ProbeDependencies {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly logger: Logger;
    readonly metrics: Metrics;
}

/** What one invocation returns (and logs as its summary line). */
export interface InvocationSummary {
    readonly observerRegion: string;
    readonly clusters: ReadonlyArray<{
        role: string;
        region: string;
        identifier: string;
        status?: string;
        healthy: boolean;
        peered: boolean;
        controlPlaneMs: number;
        dataPlaneMs?: number;
        reasons: readonly string[];
    }>;
}

/**
 * The monitor. A bad environment throws (the invocation fails, which the Lambda-errors
 * alarm sees); probe failures never do: they are 0s in the metrics and reasons in the log.
 * It sends no e-mail: alarms notify on state changes.
 */
export function createHandler(
    deps: HandlerDependencies,
): (event?: ScheduledEvent) => Promise<InvocationSummary> {
    return async (event) => {
        const settings = readSettings(deps.env);
        const started = new Date();
        const results = await probeAll(settings, deps);
        publishResults(deps.metrics, results, settings.observerRegion, tickOf(event, started));
        const summary: InvocationSummary = {
            observerRegion: settings.observerRegion,
            clusters: results.map(summarise),
        };
        const healthy = results.every((r) => r.healthy && r.peered);
        deps.logger[healthy ? "info" : "warn"]("dr-probe-summary", { ...summary });
        return summary;
    };
}

/** The part of the EventBridge scheduled event the monitor reads. */
export interface ScheduledEvent {
    readonly time?: string;
}

/**
 * The schedule tick this invocation belongs to: the event's time, unless it is missing,
 * malformed or implausible (a manual invocation, or a retry beyond one period).
 */
function tickOf(event: ScheduledEvent | undefined, started: Date): Date {
    const tick = event?.time ? new Date(event.time) : undefined;
    const age = tick ? started.getTime() - tick.getTime() : NaN;
    return tick && age >= 0 && age <= 3_600_000 ? tick : started;
}

function summarise(result: ClusterResult): InvocationSummary["clusters"][number] {
    return {
        role: result.cluster.role,
        region: result.cluster.region,
        identifier: result.cluster.identifier,
        status: result.status,
        healthy: result.healthy,
        peered: result.peered,
        controlPlaneMs: result.controlPlaneMs,
        dataPlaneMs: result.dataPlaneMs,
        reasons: result.reasons,
    };
}

/** The production wiring: real SDK clients, IAM tokens, TLS, stdout EMF. */
export function productionDependencies(
    env: Readonly<Record<string, string | undefined>> = process.env,
): HandlerDependencies {
    return {
        env,
        logger: new Logger(),
        metrics: monitorMetrics(),
        controlPlane: dsqlControlPlane(),
        sql: pgProber({ password: iamTokenPassword }),
    };
}

export const handler = createHandler(productionDependencies());

// Building blocks, for wiring the bundled handler to other endpoints (the benchmark).
export { dsqlControlPlane } from "./control-plane";
export { pgProber } from "./sql-probe";
