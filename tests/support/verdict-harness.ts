/**
 * Plays a row of the verdict table with the real monitor against a real PostgreSQL: both
 * regions' monitors (the real handler, setup and least-privilege role) commit and read
 * heartbeats through loopback proxies that stand for the four network paths (observer →
 * cluster), on a virtual timeline of schedule ticks; faults break paths, make commits fail
 * as a read-only cluster's would, split the database in two (endpoints that disagree), script
 * the control plane, stop an observer, or open a maintenance window. The EMF the monitors
 * print is then evaluated against the alarms the program declares, with the CloudWatch
 * model, and the pages are compared with the row.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { ProbeTimeoutError } from "../../monitor-function/src/classify";
import { ENV, HEARTBEAT, type ClusterRole } from "../../monitor-function/src/contract";
import type { ClusterView, ControlPlane } from "../../monitor-function/src/control-plane";
import { createHandler } from "../../monitor-function/src/handler";
import { monitorMetrics } from "../../monitor-function/src/metrics";
import type { MaintenanceSource } from "../../monitor-function/src/probe";
import { pgDataPlane, type DataPlane } from "../../monitor-function/src/sql-probe";
import { runAlarms, type Datapoint } from "../../tools/simulation/cloudwatch-model";
import { withCloseouts } from "../../tools/simulation/closeout-model";
import type { StackModel } from "../../tools/simulation/verdict-model";
import { scorePages } from "../../tools/simulation/verdict-scoring";
import { answerGetCluster, EMF_DELAY_SECONDS } from "../../tools/simulation/verdict-simulation";
import {
    DEPLOY_TO_FIRST_TICK_SECONDS,
    type Scenario,
} from "../../tools/simulation/verdict-scenarios";
import {
    faultEndsAt,
    faultHolds,
    maintenanceParameter,
    timelineSeconds,
} from "../../tools/simulation/fault-timeline";
import { FaultProxy, type PathMode } from "./fault-proxy";
import { captureOutput, emfDatapoints, emfDocuments } from "./monitor";
import {
    MONITOR_PASSWORD,
    MONITOR_ROLE,
    startPairDatabase,
    type PairDatabase,
} from "./pair-database";
import { VirtualClock } from "./virtual-clock";

/**
 * Real bounds of the monitors' steps in these tests: generous, so a loaded machine cannot
 * turn a healthy round into a failed one. A hung path fails at once as a timed-out step
 * (the timeline is virtual); that a real hang ends at its bound is tested against real
 * sockets in tests/monitor/sql-probe.test.ts and fault-matrix.test.ts.
 */
const TEST_BOUND_MS = 3000;

const ROLES: readonly ClusterRole[] = ["primary", "secondary"];
const SPLIT_DATABASES: Record<ClusterRole, string> = {
    primary: "split_primary",
    secondary: "split_secondary",
};

export interface ScenarioOutcome {
    readonly pages: ReadonlyMap<string, number>;
    readonly missing: readonly string[];
    readonly unexpected: readonly string[];
    readonly unresolved: readonly string[];
    readonly falseAllClear: readonly string[];
    readonly datapoints: readonly Datapoint[];
}

/** One PostgreSQL and four paths, shared by every row a test file plays. */
export class VerdictBench {
    private constructor(
        readonly model: StackModel,
        readonly db: PairDatabase,
        private readonly paths: Record<ClusterRole, Record<ClusterRole, FaultProxy>>,
    ) {}

    static async start(model: StackModel): Promise<VerdictBench> {
        const db = await startPairDatabase();
        for (const role of ROLES) await db.createDatabase(SPLIT_DATABASES[role]);
        const paths = {} as Record<ClusterRole, Record<ClusterRole, FaultProxy>>;
        for (const observer of ROLES) {
            paths[observer] = {} as Record<ClusterRole, FaultProxy>;
            for (const cluster of ROLES) paths[observer][cluster] = await FaultProxy.start(db.port);
        }
        return new VerdictBench(model, db, paths);
    }

    async close(): Promise<void> {
        for (const observer of ROLES)
            for (const cluster of ROLES) await this.paths[observer][cluster].close();
        await this.db.close();
    }

    /** Plays `scenario` from a clean table; the fault starts after a warm-up. */
    async play(scenario: Scenario): Promise<ScenarioOutcome> {
        const { model, db } = this;
        const f = scenario.fault;
        for (const database of ["postgres", ...Object.values(SPLIT_DATABASES)]) {
            const admin = await db.admin(database);
            await admin.query(`TRUNCATE "${HEARTBEAT.schema}"."${HEARTBEAT.table}"`);
            await admin.query("DELETE FROM public.fault_control");
            await admin.end();
        }
        for (const o of ROLES) for (const c of ROLES) this.paths[o][c].clear();

        const period = model.schedulePeriodSeconds * 1000;
        const origin = Date.UTC(2026, 10, 29, 12, 0, 0);
        const warmUp = Math.max(3 * 60_000, 2 * period);
        const faultAt = origin + warmUp + 7_000;
        const slowest = Math.max(
            ...model.metricAlarms.map((a) => a.period * (a.evaluationPeriods + 2)),
        );
        const timeline = timelineSeconds(f, model.schedulePeriodSeconds);
        const end =
            faultAt +
            (slowest + 60) * 1000 +
            2 * period +
            (timeline ? (timeline + slowest + 300) * 1000 : 0);
        const clock = new VirtualClock(origin);
        const faulted = () => clock.now() >= faultAt;
        const roundsSinceFault: Record<ClusterRole, number> = { primary: 0, secondary: 0 };
        let split = false;
        let readOnly = false;

        // The fault takes hold at its time, whoever is running then.
        const applyDatabaseFaults = async () => {
            if (!faulted()) return;
            const readOnlyCluster = f.dataPlane?.find((d) => d.mode === "read-only")?.cluster;
            if (readOnlyCluster && !readOnly) {
                readOnly = true;
                const region = model.observers.find((o) => o.role === readOnlyCluster)!.region;
                await db.commitFault(region, "read-only");
            }
            if (f.endpointsDisagree && !split) {
                split = true;
                // Both halves start from the pair's state at the moment of the split.
                const source = await db.admin();
                const { rows } = await source.query(
                    `SELECT * FROM "${HEARTBEAT.schema}"."${HEARTBEAT.table}"`,
                );
                await source.end();
                for (const database of Object.values(SPLIT_DATABASES)) {
                    const target = await db.admin(database);
                    for (const r of rows)
                        await target.query(
                            `INSERT INTO "${HEARTBEAT.schema}"."${HEARTBEAT.table}" (observer, via, tick, committed_at, beats) VALUES ($1, $2, $3, $4, $5)`,
                            [r.observer, r.via, r.tick, r.committed_at, r.beats],
                        );
                    await target.end();
                }
                // From now on each cluster is its own database: connections kept from before
                // the split would write to neither half.
                await db.endMonitorSessions();
            }
        };

        const pathMode = (observer: ClusterRole, cluster: ClusterRole): PathMode => {
            if (!faultHolds(f, faultAt, period, clock.now()))
                return f.wakeUp === cluster ? "wake-up" : "pass";
            if (f.regionDark === cluster) return "hang";
            const fault = f.dataPlane?.find(
                (d) =>
                    d.cluster === cluster &&
                    d.mode !== "read-only" &&
                    (d.observer === "any" || d.observer === observer) &&
                    (d.rounds === undefined || roundsSinceFault[observer] <= d.rounds),
            );
            if (fault) return fault.mode === "hang" ? "hang" : "refuse";
            return f.wakeUp === cluster ? "wake-up" : "pass";
        };

        const handlers = ROLES.map((role) => {
            const observer = model.observers.find((o) => o.role === role)!;
            const settings = observer.settings;
            const env: Record<string, string> = {
                ...observer.environment,
                [ENV.controlPlaneTimeoutMs]: String(TEST_BOUND_MS),
                [ENV.dataPlaneTimeoutMs]: String(TEST_BOUND_MS),
            };
            const clusterRole = (identifier: string) =>
                settings.clusters.find((c) => c.identifier === identifier)!.role;

            const controlPlane: ControlPlane = {
                async getCluster(_region, identifier): Promise<ClusterView> {
                    const cluster = settings.clusters.find((c) => c.identifier === identifier)!;
                    const peer = settings.clusters.find((c) => c !== cluster)!;
                    const dark = faulted() && f.regionDark === cluster.role;
                    const modes =
                        faulted() && f.controlPlane?.cluster === cluster.role
                            ? f.controlPlane.modes
                            : [];
                    const mode = dark
                        ? "hang"
                        : modes[
                              (roundsSinceFault[role] - 1 + modes.length) %
                                  Math.max(1, modes.length)
                          ];
                    return answerGetCluster(mode ?? "ok", TEST_BOUND_MS, {
                        status: f.statuses?.[cluster.role] ?? "ACTIVE",
                        arn: cluster.arn,
                        witnessRegion: settings.witnessRegion,
                        peers: [cluster.arn, peer.arn],
                    });
                },
            };

            const dataPlane = (s: typeof settings): DataPlane => {
                const real = pgDataPlane({
                    user: MONITOR_ROLE,
                    password: async () => MONITOR_PASSWORD,
                    tls: false,
                    address: (cluster) => ({
                        host: "127.0.0.1",
                        port: this.paths[role][cluster.role].port,
                    }),
                    database: (cluster) => (split ? SPLIT_DATABASES[cluster.role] : "postgres"),
                    reuse: s.probeRounds > 1,
                    now: clock.now,
                });
                return {
                    heartbeat: async (cluster, beat, budget) => {
                        const path = clusterRole(cluster.identifier);
                        const mode = pathMode(role, path);
                        this.paths[role][path].setMode(mode);
                        if (mode === "hang")
                            throw new ProbeTimeoutError("heartbeat", TEST_BOUND_MS);
                        if (f.ddl === path && faultHolds(f, faultAt, period, clock.now())) {
                            // DDL ran again: open and new sessions meet OC001 on their next
                            // statement, and the next commit through the cluster conflicts.
                            this.paths[role][path].catalogChange({ nextSessions: 1 });
                            await db.commitFault(cluster.region, "conflict-once");
                        }
                        return real.heartbeat(cluster, beat, budget);
                    },
                    close: () => real.close(),
                };
            };

            const maintenance: MaintenanceSource = {
                read: async () => maintenanceParameter(f, faultAt, period, clock.now()),
            };
            return createHandler({
                env,
                logger: new Logger({ serviceName: "aurora-dsql-dr-monitor" }),
                metrics: monitorMetrics(),
                controlPlane,
                dataPlane,
                maintenance,
                now: clock.now,
                sleep: async (ms) => {
                    await clock.sleep(ms);
                    await applyDatabaseFaults();
                    if (faulted()) roundsSinceFault[role]++;
                },
            });
        });

        const phases: Record<ClusterRole, number> = { primary: 3_000, secondary: 21_000 };
        // Seconds from a tick to its invocation: 1 s, or sampled late as the row says.
        const delivery = (role: ClusterRole, tick: number) => {
            const late = f.lateDelivery;
            if (!late) return 1_000;
            const u = ((tick / 1000) * 7919 + (role === "primary" ? 0 : 104_729)) % 1000;
            return (late.min + ((late.max - late.min) * u) / 1000) * 1000;
        };
        const { lines, times } = await captureOutput(async () => {
            ROLES.forEach((role, i) =>
                clock.spawn(async () => {
                    for (let tick = origin + phases[role]; tick < end; tick += period) {
                        // A first deployment: no monitor before its schedule exists.
                        if (
                            f.deploy === "fresh" &&
                            tick < faultAt + DEPLOY_TO_FIRST_TICK_SECONDS * 1000
                        )
                            continue;
                        await clock.sleepUntil(tick + delivery(role, tick));
                        await applyDatabaseFaults();
                        const silent = f.silentObserver === role || f.regionDark === role;
                        if (silent && faulted()) continue;
                        if (faulted()) roundsSinceFault[role]++;
                        await handlers[i]({ time: new Date(tick).toISOString() });
                    }
                }),
            );
            await clock.settle();
        }, clock.now);

        // A datapoint is usable once EMF has turned its log line into a metric: the slowest
        // time the simulation assumes, counted from when the monitor wrote it.
        const datapoints: Datapoint[] = lines.flatMap((line, i) =>
            emfDatapoints(emfDocuments([line])).map((p) => ({
                metric: p.metric,
                dimensions: p.dimensions,
                value: p.value,
                timestamp: p.timestamp,
                availableAt: times[i] + EMF_DELAY_SECONDS.max * 1000,
            })),
        );
        // A settled stack, or alarms created by a deployment at the fault's time.
        const deployed = f.deploy ? faultAt : undefined;
        const run = runAlarms(
            model.metricAlarms,
            model.composites,
            datapoints,
            deployed ?? origin + warmUp - 60_000,
            end,
            {},
            { createdAt: deployed },
        );
        const { detected, missing, unexpected, unresolved, falseAllClear } = scorePages(
            model,
            scenario,
            withCloseouts(model.closeouts, run),
            faultAt,
            faultEndsAt(f, faultAt, period),
        );
        return {
            pages: detected,
            missing,
            unexpected,
            unresolved,
            falseAllClear,
            datapoints,
        };
    }
}
