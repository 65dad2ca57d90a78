/**
 * Time to detect, measured by simulation: every row of the verdict table is played against
 * the stack as the program declares it, many times over a grid of schedule phases, fault
 * times and alarm-evaluation offsets, with random delivery and ingestion delays. The
 * monitor's own code decides each round (probeRound, judgeRound and the metrics it emits);
 * only its I/O is modelled (a heartbeat table per cluster, GetCluster answers, faults: the
 * world in verdict-world.ts), and CloudWatch is the model in cloudwatch-model.ts. The result
 * per row: worst-case and typical seconds from the fault to the first page, and whether
 * anything paged that should not.
 *
 * Assumptions (AWS publishes no figure): EventBridge fires each rule at a fixed second of
 * its minute and delivers within DELIVERY_SECONDS; EMF becomes a metric within
 * EMF_DELAY_SECONDS; how long each probe step takes is told in verdict-world.ts.
 */
import { METRICS } from "../../monitor-function/src/contract";
import { roundMetrics } from "../../monitor-function/src/metrics";
import { probeRound, type ProbeDependencies } from "../../monitor-function/src/probe";
import { runAlarms, type Datapoint } from "./cloudwatch-model";
import { withCloseouts } from "./closeout-model";
import { playFeatureScenario } from "./feature-simulation";
import { declareStack } from "../pulumi-host/mock-program";
import { stackConfig } from "../pulumi-host/stack-config";
import { stackModel, type StackModel } from "./verdict-model";
import { mulberry32, scorePages, type RunParameters, type RunResult } from "./verdict-scoring";
import {
    FEATURE_SCENARIOS,
    isBackupRow,
    SCENARIOS,
    type Page,
    type Scenario,
} from "./verdict-scenarios";
import { faultEndsAt, timelineSeconds } from "./fault-timeline";
import { World } from "./verdict-world";

export { answerGetCluster } from "./verdict-world";

/** Seconds from EventBridge firing a rule to the monitor starting (delivery, cold start). */
export const DELIVERY_SECONDS = { min: 0.2, max: 5 } as const;
/** Seconds from the monitor writing an EMF line to CloudWatch evaluating the metric. */
export const EMF_DELAY_SECONDS = { min: 2, max: 10 } as const;

const WARM_UP_SECONDS = 8 * 60;

/** Changes a round's dependencies before the monitor runs with them (tests plant regressions). */
export type Tamper = (deps: ProbeDependencies) => ProbeDependencies;

/** A uniformly random number in a range, from the run's seeded generator. */
type Between = (range: { min: number; max: number }) => number;

/** One monitor round: who runs it, when it starts, and the tick it is scheduled for. */
interface Round {
    readonly observer: StackModel["observers"][number];
    readonly start: number;
    readonly at: number;
}

/** Every round of both observers from `origin` to `horizon`, in the order they start. */
function scheduledRounds(
    model: StackModel,
    scenario: Scenario,
    parameters: RunParameters,
    span: { origin: number; horizon: number },
    between: Between,
): Round[] {
    const rounds: Round[] = [];
    for (const observer of model.observers) {
        const { settings } = observer;
        const period = model.schedulePeriodSeconds * 1000;
        for (
            let tick = span.origin + parameters.phases[observer.role] * 1000;
            tick < span.horizon;
            tick += period
        ) {
            const start = tick + between(scenario.fault.lateDelivery ?? DELIVERY_SECONDS) * 1000;
            for (let i = 0; i < settings.probeRounds; i++) {
                const offset = i * settings.probeIntervalSeconds * 1000;
                rounds.push({ observer, start: start + offset, at: tick + offset });
            }
        }
    }
    return rounds.sort((a, b) => a.start - b.start);
}

/** Runs the monitor's own code for each round in `world`; the datapoints its metrics become. */
async function emittedPoints(
    world: World,
    rounds: readonly Round[],
    tamper: Tamper,
    between: Between,
): Promise<Datapoint[]> {
    const points: Datapoint[] = [];
    for (const { observer, start, at } of rounds) {
        if (!world.running(observer.role, start)) continue;
        world.now = start;
        const steps: number[] = [];
        const round = await probeRound(
            observer.settings,
            tamper(world.dependencies(observer, steps)),
            new Date(at),
        );
        const emitted = start + Math.max(0, ...steps) * 1000 + 50;
        for (const document of roundMetrics(observer.settings, round)) {
            for (const [key, value] of document.values) {
                points.push({
                    metric: METRICS[key].name,
                    dimensions: document.dimensions,
                    value,
                    timestamp: at,
                    availableAt: emitted + between(EMF_DELAY_SECONDS) * 1000,
                });
            }
        }
    }
    return points;
}

/** Plays `scenario` once: monitors, faults and CloudWatch, from warm-up to the horizon. */
export async function playScenario(
    model: StackModel,
    scenario: Scenario,
    parameters: RunParameters,
    tamper: Tamper = (deps) => deps,
): Promise<RunResult> {
    const random = mulberry32(parameters.seed);
    const between: Between = (r) => r.min + random() * (r.max - r.min);
    const origin = Date.UTC(2026, 0, 1);
    const faultAt = origin + (WARM_UP_SECONDS + parameters.faultOffsetSeconds) * 1000;
    const slowest = Math.max(
        ...model.metricAlarms.map((a) => a.period * (a.evaluationPeriods + 2)),
    );
    const timeline = timelineSeconds(scenario.fault, model.schedulePeriodSeconds);
    const horizon =
        faultAt +
        Math.max(12 * 60, slowest * 2, timeline ? timeline + slowest * 2 + 300 : 0) * 1000;
    const world = new World(model, scenario, faultAt);
    const rounds = scheduledRounds(model, scenario, parameters, { origin, horizon }, between);
    const points = await emittedPoints(world, rounds, tamper, between);

    // Evaluated once the monitors have run a while, as on a settled stack, or from the
    // moment a deployment creates the alarms.
    const deployed = scenario.fault.deploy ? faultAt : undefined;
    const run = runAlarms(
        model.metricAlarms,
        model.composites,
        points,
        deployed ?? origin + 5 * 60_000,
        horizon,
        Object.fromEntries(model.observers.map((o) => [o.region, parameters.evaluationOffset])),
        { createdAt: deployed },
    );
    return scorePages(
        model,
        scenario,
        withCloseouts(model.closeouts, run),
        faultAt,
        faultEndsAt(scenario.fault, faultAt, model.schedulePeriodSeconds * 1000),
    );
}

export interface ScenarioFigures {
    readonly scenario: Scenario;
    readonly runs: number;
    /** Worst-case and median seconds from the fault to the first expected page (paging rows). */
    readonly worstCaseSeconds?: number;
    readonly typicalSeconds?: number;
    /** Runs where an expected page never came or an unexpected one did, with an example. */
    readonly failures: number;
    readonly example?: string;
}

/** The grid every row is played over: fault times across a period, phases, evaluation offsets. */
export function runGrid(model: StackModel): RunParameters[] {
    const grid: RunParameters[] = [];
    const period = model.schedulePeriodSeconds;
    const faultOffsets = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875].map(
        (f) => Math.round(f * period) + 7,
    );
    const phases = [3, 33];
    let seed = 1;
    for (const faultOffsetSeconds of faultOffsets)
        for (const a of phases)
            for (const b of [a, a + 17])
                for (const evaluationOffset of [1, 37])
                    grid.push({
                        faultOffsetSeconds,
                        phases: { primary: a, secondary: b % 60 },
                        evaluationOffset,
                        seed: seed++,
                    });
    return grid;
}

/**
 * The rows a stack is judged on: every row of the verdict table, then the feature rows it
 * declares the feature for (the backup rows only where it backs up).
 */
export function verdictRows(model: StackModel): Scenario[] {
    return [...SCENARIOS, ...FEATURE_SCENARIOS.filter((s) => model.backup || !isBackupRow(s))];
}

const isFeatureRow = (scenario: Scenario) => FEATURE_SCENARIOS.includes(scenario);

/**
 * The feature rows' grid: no monitor runs in them, so schedule phases and evaluation offsets
 * change nothing; what varies is the fault's time and the random delays, one per seed. Every
 * fourth entry of the monitors' grid: each fault offset twice, sixteen seeds.
 */
const featureGrid = (grid: readonly RunParameters[]) => grid.filter((_, i) => i % 4 === 0);

/** Plays every row the stack is judged on (or `scenarios`) over the grid. */
export async function simulateVerdict(
    model: StackModel,
    scenarios: readonly Scenario[] = verdictRows(model),
    tamper?: Tamper,
): Promise<ScenarioFigures[]> {
    const monitorGrid = runGrid(model);
    const figures: ScenarioFigures[] = [];
    for (const scenario of scenarios) {
        const grid = isFeatureRow(scenario) ? featureGrid(monitorGrid) : monitorGrid;
        const firsts: number[] = [];
        let failures = 0;
        let example: string | undefined;
        for (const parameters of grid) {
            const result = isFeatureRow(scenario)
                ? playFeatureScenario(model, scenario, parameters)
                : await playScenario(model, scenario, parameters, tamper);
            if (result.detected.size > 0) firsts.push(Math.min(...result.detected.values()));
            const problems = [
                ...result.missing.map((m) => `missing ${m}`),
                ...result.unexpected.map((u) => `unexpected ${u}`),
                ...result.unresolved.map((u) => `unresolved ${u}`),
                ...result.falseAllClear.map((u) => `false all-clear ${u}`),
            ];
            if (problems.length > 0) {
                failures++;
                example ??= problems.join("; ");
            }
        }
        firsts.sort((a, b) => a - b);
        figures.push({
            scenario,
            runs: grid.length,
            worstCaseSeconds: firsts.length ? Math.ceil(firsts[firsts.length - 1]) : undefined,
            typicalSeconds: firsts.length
                ? Math.round(firsts[Math.floor(firsts.length / 2)])
                : undefined,
            failures,
            example,
        });
    }
    return figures;
}

/** Worst-case and typical seconds to the first page, per kind of page, on `stack` as declared. */
export type DetectionBounds = Partial<
    Record<Page["kind"], { readonly worstCaseSeconds: number; readonly typicalSeconds: number }>
>;

/**
 * The bounds a drill is judged against: the stack declared from its stack file (offline,
 * under mocks), every paging row simulated, and per kind of page the slowest row's figures.
 */
export async function detectionBounds(stack: string): Promise<DetectionBounds> {
    const model = stackModel(stack, await declareStack(stack, stackConfig(stack)));
    const bounds: Record<string, { worstCaseSeconds: number; typicalSeconds: number }> = {};
    for (const f of await simulateVerdict(model, SCENARIOS)) {
        const kind = f.scenario.pages[0]?.kind;
        if (!kind || f.scenario.fault.regionDark || f.worstCaseSeconds === undefined) continue;
        const current = bounds[kind];
        if (!current || f.worstCaseSeconds > current.worstCaseSeconds) {
            bounds[kind] = {
                worstCaseSeconds: f.worstCaseSeconds,
                typicalSeconds: f.typicalSeconds!,
            };
        }
    }
    return bounds;
}
