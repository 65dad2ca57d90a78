import { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { dsqlControlPlane } from "./control-plane";
import { readSettings, type MonitorSettings } from "./environment";
import { monitorMetrics, publishRound } from "./metrics";
import {
    probeRound,
    type RoundMemory,
    type MaintenanceSource,
    type ProbeDependencies,
    type RoundResult,
} from "./probe";
import { iamTokenPassword, pgDataPlane, type DataPlane } from "./sql-probe";

export interface HandlerDependencies extends Omit<ProbeDependencies, "dataPlane"> {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly logger: Logger;
    readonly metrics: Metrics;
    /** A data plane for one invocation (it may keep connections between its rounds). */
    readonly dataPlane: (settings: MonitorSettings) => DataPlane;
    /** Waits until the next round is due (real time in Lambda, virtual in tests). */
    readonly sleep: (ms: number) => Promise<void>;
}

/** What one invocation returns (and logs as its summary line). */
export interface InvocationSummary {
    readonly observerRegion: string;
    readonly rounds: readonly RoundSummary[];
}

export interface RoundSummary {
    readonly at: string;
    readonly monitorSound: boolean;
    readonly unreplicated?: number;
    readonly peerSilent?: boolean;
    readonly maintenanceSecondsLeft?: number;
    readonly maintenanceError?: string;
    readonly clusters: ReadonlyArray<{
        readonly role: string;
        readonly region: string;
        readonly status?: string;
        /** "ok" or the reason GetCluster failed. */
        readonly controlPlane: string;
        readonly controlPlaneMs?: number;
        readonly peering?: string;
        /** "ok", "off" or the reason the heartbeat failed (with its side). */
        readonly dataPlane: string;
        readonly dataPlaneMs?: number;
        /** The heartbeat's bound when it ran on the wake-up grace (cluster IDLE/INACTIVE). */
        readonly wakeUpGraceMs?: number;
        readonly connectAttempts?: number;
        readonly peerCommitAgeSeconds?: number;
        readonly verdict?: number;
    }>;
}

/**
 * The monitor. A bad environment throws (the invocation fails; the monitor-silent alarm
 * sees the missing heartbeat metric); probe failures never do: they are signals in the
 * metrics and reasons in the summary line. It sends no e-mail: alarms notify on state
 * changes. In the fast profile one invocation runs several rounds, a fixed interval apart.
 */
export function createHandler(
    deps: HandlerDependencies,
): (event?: ScheduledEvent) => Promise<InvocationSummary> {
    // Lives as long as the execution environment: a blindness seen by the last invocation's
    // last round still counts for the next one's first.
    const memory: RoundMemory = {};
    return async (event) => {
        const settings = readSettings(deps.env);
        const started = deps.now();
        const tick = tickOf(event, new Date(started));
        const dataPlane = deps.dataPlane(settings);
        const rounds: RoundResult[] = [];
        try {
            for (let i = 0; i < settings.probeRounds; i++) {
                const due = started + i * settings.probeIntervalSeconds * 1000;
                if (deps.now() < due) await deps.sleep(due - deps.now());
                const at = new Date(tick.getTime() + i * settings.probeIntervalSeconds * 1000);
                const round = await probeRound(settings, { ...deps, dataPlane, memory }, at);
                publishRound(deps.metrics, settings, round);
                rounds.push(round);
            }
        } finally {
            await dataPlane.close();
        }
        const summary: InvocationSummary = {
            observerRegion: settings.observerRegion,
            rounds: rounds.map(summarise),
        };
        const quiet = rounds.every(
            (r) =>
                r.monitorSound &&
                !r.unreplicated &&
                !r.peerSilent &&
                r.clusters.every(
                    (c) =>
                        !c.judgement.verdict &&
                        c.controlPlane.ok !== false &&
                        c.peering?.ok !== false,
                ),
        );
        deps.logger[quiet ? "info" : "warn"]("dr-probe-summary", { ...summary });
        return summary;
    };
}

/** The part of the EventBridge scheduled event the monitor reads. */
export interface ScheduledEvent {
    readonly time?: string;
}

/**
 * The schedule tick this invocation belongs to: the event's time, unless it is missing,
 * malformed or implausible (a manual invocation, or an event older than an hour).
 */
function tickOf(event: ScheduledEvent | undefined, started: Date): Date {
    const tick = event?.time ? new Date(event.time) : undefined;
    const age = tick ? started.getTime() - tick.getTime() : NaN;
    return tick && age >= 0 && age <= 3_600_000 ? tick : started;
}

function summarise(round: RoundResult): RoundSummary {
    return {
        at: round.at.toISOString(),
        monitorSound: round.monitorSound,
        unreplicated: round.unreplicated,
        peerSilent: round.peerSilent,
        maintenanceSecondsLeft: round.maintenanceSecondsLeft,
        maintenanceError: round.maintenanceError,
        clusters: round.clusters.map((c) => ({
            role: c.cluster.role,
            region: c.cluster.region,
            status: c.status?.value,
            controlPlane:
                c.controlPlane.ok === true
                    ? "ok"
                    : c.controlPlane.ok === false
                      ? c.controlPlane.reason
                      : "off",
            controlPlaneMs: c.controlPlane.ok === "skipped" ? undefined : c.controlPlane.ms,
            peering: c.peering ? (c.peering.ok ? "ok" : c.peering.reason) : undefined,
            dataPlane:
                c.dataPlane.ok === true
                    ? "ok"
                    : c.dataPlane.ok === false
                      ? `${c.dataPlane.reason} (${c.dataPlane.side})`
                      : "off",
            dataPlaneMs: c.dataPlane.ok === "skipped" ? undefined : c.dataPlane.ms,
            wakeUpGraceMs: c.wakeUpGraceMs,
            connectAttempts: c.dataPlane.ok === true ? c.dataPlane.attempts : undefined,
            peerCommitAgeSeconds:
                c.judgement.peerCommitAgeSeconds === undefined
                    ? undefined
                    : Math.round(c.judgement.peerCommitAgeSeconds),
            verdict: c.judgement.verdict,
        })),
    };
}

/** This region's maintenance window, from its SSM parameter (a missing one is closed). */
export function ssmMaintenance(client: SSMClient = new SSMClient({})): MaintenanceSource {
    return {
        async read(name, signal) {
            try {
                const output = await client.send(new GetParameterCommand({ Name: name }), {
                    abortSignal: signal,
                });
                return output.Parameter?.Value;
            } catch (error) {
                if ((error as Error).name === "ParameterNotFound") return undefined;
                throw error;
            }
        },
    };
}

/** The production wiring: real SDK clients, IAM tokens, TLS, stdout EMF, real time. */
export function productionDependencies(
    env: Readonly<Record<string, string | undefined>> = process.env,
): HandlerDependencies {
    return {
        env,
        logger: new Logger(),
        metrics: monitorMetrics(),
        controlPlane: dsqlControlPlane(),
        maintenance: ssmMaintenance(),
        dataPlane: (settings) =>
            pgDataPlane({
                user: settings.databaseUser,
                password: iamTokenPassword,
                reuse: settings.probeRounds > 1,
            }),
        now: Date.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
}

export const handler = createHandler(productionDependencies());

// The database setup runs from the same package, as its own function with its own role.
export { setupHandler } from "./setup";
// Building blocks, for wiring the bundled handler to other endpoints (the benchmark).
export { dsqlControlPlane } from "./control-plane";
export { pgDataPlane } from "./sql-probe";
