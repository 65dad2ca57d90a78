import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { METRIC_NAMESPACE } from "./contract";
import { dsqlControlPlane } from "./control-plane";
import { readSettings } from "./environment";
import { publishResults } from "./metrics";
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
export function createHandler(deps: HandlerDependencies): () => Promise<InvocationSummary> {
    return async () => {
        const settings = readSettings(deps.env);
        const results = await probeAll(settings, deps);
        publishResults(deps.metrics, results, settings.observerRegion);
        const summary: InvocationSummary = {
            observerRegion: settings.observerRegion,
            clusters: results.map(summarise),
        };
        const healthy = results.every((r) => r.healthy && r.peered);
        deps.logger[healthy ? "info" : "warn"]("dr-probe-summary", { ...summary });
        return summary;
    };
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
    const metrics = new Metrics({ namespace: METRIC_NAMESPACE });
    metrics.clearDefaultDimensions();
    return {
        env,
        logger: new Logger(),
        metrics,
        controlPlane: dsqlControlPlane(),
        sql: pgProber({ password: iamTokenPassword }),
    };
}

export const handler = createHandler(productionDependencies());
