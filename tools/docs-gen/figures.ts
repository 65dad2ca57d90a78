import type { DetectionProfile } from "../../infra/detection";

import type { DeclaredStack } from "../pulumi-host/mock-program";

import type { PageKind, Scenario } from "../simulation/verdict-scenarios";
import { stackModel } from "../simulation/verdict-model";
import { simulateVerdict, type ScenarioFigures } from "../simulation/verdict-simulation";

/**
 * Goals, per detection profile: worst-case seconds from a fault to its first page, by page
 * kind (region dark separately), and USD per stack-month. The prod stack must also meet its
 * own bounds, whatever its profile.
 */
export interface Goals {
    /** The backup page's bound follows the stack's own RPO: see detectGoal. */
    readonly detectSeconds: Readonly<Record<Exclude<PageKind, "backup"> | "regionDark", number>>;
    readonly monthlyUsd: number;
}

/**
 * An AWS Health event reaches both alert topics within this many seconds of AWS Health
 * publishing it: one EventBridge delivery, or two when it is handed across Regions.
 */
const REDUNDANCY_GOAL_SECONDS = 120;

export const PROFILE_GOALS: Readonly<Record<DetectionProfile, Goals>> = {
    standard: {
        detectSeconds: {
            clusterDown: 360,
            regionDark: 360,
            consistency: 360,
            peering: 360,
            monitor: 360,
            peerMonitor: 360,
            redundancy: REDUNDANCY_GOAL_SECONDS,
        },
        // USD 10 until the other-monitor page: one composite and one alarm per region, 1.20.
        monthlyUsd: 11,
    },
    fast: {
        detectSeconds: {
            clusterDown: 60,
            regionDark: 90,
            consistency: 300,
            peering: 300,
            monitor: 90,
            peerMonitor: 90,
            redundancy: REDUNDANCY_GOAL_SECONDS,
        },
        monthlyUsd: 20,
    },
};

/** The prod stack's own bounds (DESIGN.md §3), on top of its profile's. */
export const STACK_GOALS: Readonly<Record<string, Partial<Goals["detectSeconds"]>>> = {
    prod: { clusterDown: 180, regionDark: 180, monitor: 300, consistency: 300 },
};

/**
 * The bound a paging row must meet on `stack` with `profile`; a backup page's is the RPO the
 * stack declares it keeps (`backupRpoMinutes`: from the newest recovery point's scheduled start).
 */
export function detectGoal(
    stack: string,
    profile: DetectionProfile,
    scenario: Scenario,
    backupRpoMinutes = 0,
): number {
    const kind = scenario.fault.regionDark ? "regionDark" : scenario.pages[0].kind;
    if (kind === "backup") return backupRpoMinutes * 60;
    return Math.min(
        PROFILE_GOALS[profile].detectSeconds[kind],
        STACK_GOALS[stack]?.[kind] ?? Infinity,
    );
}

/** Time to detect each row of the verdict table on the declared stack, by simulation. */
export function timeToDetect(stack: string, declared: DeclaredStack): Promise<ScenarioFigures[]> {
    return simulateVerdict(stackModel(stack, declared));
}
