/**
 * The world the monitors of the time-to-detect simulation probe: each cluster's heartbeat
 * table, GetCluster answers, the scenario's faults, and the clock. Only the monitor's I/O is
 * modelled here; its own code decides each round.
 *
 * Assumptions (AWS publishes no figure): healthy probe steps take tens of milliseconds
 * locally, a little more across regions; a hung step takes its whole bound.
 */
import { ProbeTimeoutError } from "../../monitor-function/src/classify";
import type { ClusterRole } from "../../monitor-function/src/contract";
import type { ClusterView, ControlPlane } from "../../monitor-function/src/control-plane";
import type { ClusterTarget } from "../../monitor-function/src/environment";
import type { MaintenanceSource, RoundMemory } from "../../monitor-function/src/probe";
import type { DataPlane, HeartbeatRow } from "../../monitor-function/src/sql-probe";
import type { StackModel } from "./verdict-model";
import {
    DEPLOY_TO_FIRST_TICK_SECONDS,
    type ControlPlaneFault,
    type Scenario,
} from "./verdict-scenarios";
import { faultHolds, maintenanceParameter } from "./fault-timeline";

/**
 * Modelled step durations, in seconds. `conflicts`: what a round through a cluster under DDL
 * adds, the monitor's two retries (OC001 on its first statement, OC000 on its commit) with
 * their jittered pauses of at most CONFLICT_BACKOFF's cap (monitor-function/src/sql-heartbeat.ts).
 */
const STEP_SECONDS = {
    local: 0.05,
    remote: 0.25,
    refused: 0.05,
    wakeUp: 0.8,
    conflicts: 2 * (0.25 + 0.5),
} as const;

type Observer = StackModel["observers"][number];

/**
 * GetCluster as a control-plane fault mode answers it: a hang past the bound, a 500, a
 * throttle, a view naming another witness, or the healthy view itself.
 */
export function answerGetCluster(
    mode: ControlPlaneFault | "ok",
    timeoutMs: number,
    healthy: ClusterView,
): ClusterView {
    if (mode === "hang") throw new ProbeTimeoutError("GetCluster", timeoutMs);
    if (mode === "error")
        throw Object.assign(new Error("internal error"), {
            name: "InternalServerException",
            $metadata: { httpStatusCode: 500 },
        });
    if (mode === "throttle")
        throw Object.assign(new Error("rate exceeded"), {
            name: "ThrottlingException",
            $metadata: { httpStatusCode: 429 },
        });
    return mode === "witness" ? { ...healthy, witnessRegion: "eu-west-1" } : healthy;
}

/** The monitored world: two clusters' heartbeat tables, faults, and the clock. */
export class World {
    now = 0;
    private readonly tables: Record<string, Map<string, HeartbeatRow>> = {};
    private readonly roundsSinceFault = new Map<string, number>();
    /** Each observer's memory between rounds (its execution environment lives on). */
    private readonly memories = new Map<ClusterRole, RoundMemory>();

    private readonly periodMs: number;

    constructor(
        model: StackModel,
        private readonly scenario: Scenario,
        private readonly faultAt: number,
    ) {
        for (const o of model.observers) this.tables[o.region] = new Map();
        this.periodMs = model.schedulePeriodSeconds * 1000;
    }

    private get faulted() {
        return this.now >= this.faultAt;
    }

    running(observer: ClusterRole, at: number): boolean {
        const f = this.scenario.fault;
        if (f.deploy === "fresh" && at < this.faultAt + DEPLOY_TO_FIRST_TICK_SECONDS * 1000)
            return false;
        const silent = f.silentObserver === observer || f.regionDark === observer;
        return !(silent && at >= this.faultAt);
    }

    /** A round's I/O for `observer`: each step's modelled duration is pushed onto `steps`. */
    dependencies(observer: Observer, steps: number[]) {
        const round = this.faulted ? (this.roundsSinceFault.get(observer.role) ?? 0) + 1 : 0;
        this.roundsSinceFault.set(observer.role, round);
        const controlPlane = this.controlPlane(observer, round, steps);
        const dataPlane = this.dataPlane(observer, round, steps);
        const maintenance: MaintenanceSource = {
            read: async () =>
                maintenanceParameter(this.scenario.fault, this.faultAt, this.periodMs, this.now),
        };
        let memory = this.memories.get(observer.role);
        if (!memory) this.memories.set(observer.role, (memory = {}));
        return { controlPlane, dataPlane, maintenance, memory, now: () => this.now };
    }

    /** GetCluster as the scenario's control-plane faults answer it in `round`. */
    private controlPlane(observer: Observer, round: number, steps: number[]): ControlPlane {
        const settings = observer.settings;
        return {
            getCluster: async (_region, identifier): Promise<ClusterView> => {
                const cluster = settings.clusters.find((c) => c.identifier === identifier)!;
                const peer = settings.clusters.find((c) => c !== cluster)!;
                const mode = this.controlPlaneFault(cluster.role, round);
                steps.push(
                    mode === "hang" ? settings.controlPlaneTimeoutMs / 1000 : STEP_SECONDS.remote,
                );
                return answerGetCluster(mode, settings.controlPlaneTimeoutMs, {
                    status: this.scenario.fault.statuses?.[cluster.role] ?? "ACTIVE",
                    arn: cluster.arn,
                    witnessRegion: settings.witnessRegion,
                    peers: [cluster.arn, peer.arn],
                });
            },
        };
    }

    /** The heartbeat as the scenario's data-plane faults answer it in `round`. */
    private dataPlane(observer: Observer, round: number, steps: number[]): DataPlane {
        const settings = observer.settings;
        return {
            heartbeat: async (cluster, beat) => {
                const mode = this.dataPlaneFault(observer.role, cluster.role, round);
                const local = cluster.region === observer.region;
                if (mode === "hang") {
                    steps.push(settings.dataPlaneTimeoutMs / 1000);
                    throw new ProbeTimeoutError("heartbeat", settings.dataPlaneTimeoutMs);
                }
                if (mode === "refuse") {
                    steps.push(STEP_SECONDS.refused);
                    throw Object.assign(new Error("connect ECONNREFUSED"), {
                        code: "ECONNREFUSED",
                    });
                }
                if (mode === "read-only") {
                    steps.push(local ? STEP_SECONDS.local : STEP_SECONDS.remote);
                    throw Object.assign(
                        new Error("cannot execute INSERT in a read-only transaction"),
                        {
                            code: "25006",
                        },
                    );
                }
                const waking = this.scenario.fault.wakeUp === cluster.role;
                const ddl =
                    this.scenario.fault.ddl === cluster.role &&
                    faultHolds(this.scenario.fault, this.faultAt, this.periodMs, this.now);
                steps.push(
                    (waking
                        ? STEP_SECONDS.wakeUp
                        : local
                          ? STEP_SECONDS.local
                          : STEP_SECONDS.remote) + (ddl ? STEP_SECONDS.conflicts : 0),
                );
                return {
                    rows: this.commitAndRead(cluster, beat.observer, beat.tick, beat.committedAt()),
                    attempts: waking ? 2 : 1,
                };
            },
            close: async () => undefined,
        };
    }

    /** Upserts the observer's row through `cluster` (and its replica), then reads the table. */
    private commitAndRead(cluster: ClusterTarget, observer: string, tick: Date, committedAt: Date) {
        const key = `${observer}|${cluster.region}`;
        const table = this.tables[cluster.region];
        const row: HeartbeatRow = {
            observer,
            via: cluster.region,
            tick,
            committedAt,
            beats: (table.get(key)?.beats ?? 0) + 1,
        };
        table.set(key, row);
        if (!(this.scenario.fault.endpointsDisagree && this.faulted)) {
            for (const [region, other] of Object.entries(this.tables))
                if (region !== cluster.region) other.set(key, row);
        }
        return [...table.values()];
    }

    private dataPlaneFault(observer: ClusterRole, cluster: ClusterRole, round: number) {
        const f = this.scenario.fault;
        if (!faultHolds(f, this.faultAt, this.periodMs, this.now)) return "ok";
        if (f.regionDark === cluster) return "hang";
        const fault = f.dataPlane?.find(
            (d) =>
                d.cluster === cluster &&
                (d.observer === "any" || d.observer === observer) &&
                (d.rounds === undefined || round <= d.rounds),
        );
        return fault?.mode ?? "ok";
    }

    private controlPlaneFault(cluster: ClusterRole, round: number) {
        const f = this.scenario.fault;
        if (!this.faulted) return "ok";
        if (f.regionDark === cluster) return "hang";
        if (f.controlPlane?.cluster !== cluster) return "ok";
        return f.controlPlane.modes[(round - 1) % f.controlPlane.modes.length];
    }
}
