/**
 * How one play of a verdict row is scored: the parameters of the play, and which pages its
 * notifications amount to. Shared by the monitors' rows (verdict-simulation.ts), the feature
 * rows (feature-simulation.ts) and the scenario tests with the real monitor.
 */
import type { ClusterRole } from "../../monitor-function/src/contract";
import type { Transition } from "./cloudwatch-model";
import { pageKey, type Page, type Scenario } from "./verdict-scenarios";

/** What scoring needs of a stack: its regions, its composite alarms, and which page each is. */
export interface ScoredStack {
    readonly observers: readonly { readonly role: ClusterRole; readonly region: string }[];
    readonly composites: readonly { readonly name: string; readonly region: string }[];
    readonly pages: ReadonlyMap<string, Page>;
}

/** One play of one scenario. */
export interface RunParameters {
    /** Seconds past a minute boundary the fault starts at (after the warm-up). */
    readonly faultOffsetSeconds: number;
    /** Second of the minute each observer's rule fires at. */
    readonly phases: Readonly<Record<ClusterRole, number>>;
    /** Second past each evaluation step the alarms of each region are evaluated at. */
    readonly evaluationOffset: number;
    readonly seed: number;
}

export interface RunResult {
    /** Seconds from the fault to each expected page's first notification. */
    readonly detected: ReadonlyMap<string, number>;
    /** Expected pages that never came. */
    readonly missing: readonly string[];
    /** Pages that came although the row does not call for them. */
    readonly unexpected: readonly string[];
    /** Pages of a row that must resolve whose last notification is not OK. */
    readonly unresolved: readonly string[];
    /** Expected pages that sent OK while their fault still held: a false all-clear. */
    readonly falseAllClear: readonly string[];
}

/**
 * Which pages a run's notifications amount to: each expected page with the seconds from
 * the fault to its first ALARM, the expected ones that never came, every other ALARM (a
 * page before the fault counts as unexpected), and every OK an expected page sent while
 * its fault still held (a false all-clear, the first sign of flapping). The dark region's
 * own alarms are left out: nobody hears them.
 */
export function scorePages(
    model: ScoredStack,
    scenario: Scenario,
    notifications: readonly Transition[],
    faultAt: number,
    faultEnds = Infinity,
): RunResult {
    const dark = model.observers.find((o) => o.role === scenario.fault.regionDark)?.region;
    const expected = new Set(scenario.pages.map(pageKey));
    const detected = new Map<string, number>();
    const unexpected = new Set<string>();
    // Each page's last notification, as an incident tracker would hold it.
    const last = new Map<string, Transition["state"]>();
    const falseAllClear = new Set<string>();
    const seconds = (at: number) => Math.round((at - faultAt) / 1000);
    for (const n of notifications) {
        if (dark && model.composites.find((c) => c.name === n.alarm)?.region === dark) continue;
        const page = model.pages.get(n.alarm);
        const key = page ? pageKey(page) : n.alarm;
        last.set(key, n.state);
        if (n.state === "OK" && detected.has(key) && n.at < faultEnds)
            falseAllClear.add(`${key} at ${seconds(n.at)} s`);
        if (n.state !== "ALARM") continue;
        if (expected.has(key) && n.at >= faultAt) {
            if (!detected.has(key)) detected.set(key, (n.at - faultAt) / 1000);
        } else unexpected.add(`${key} at ${seconds(n.at)} s`);
    }
    return {
        falseAllClear: [...falseAllClear],
        detected,
        missing: [...expected].filter((k) => !detected.has(k)),
        unexpected: [...unexpected],
        unresolved: scenario.resolves
            ? [...detected.keys()].filter((k) => last.get(k) !== "OK")
            : [],
    };
}

/** A small deterministic random generator, so every run of the plan prints the same figures. */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
