/** Pure judgement of a fault drill from what was observed: no AWS, no clock. */
import type { ClusterRole } from "../../monitor-function/src/contract";
import type { Transition } from "./alarms";
import type { PagingAlarm } from "./outputs";

/** Simulated time from fault to page (tools/simulation/verdict-simulation.ts, detectionBounds(stack)). */
export interface DetectionBound {
    readonly worstCaseSeconds: number;
    readonly typicalSeconds: number;
}

export interface PageOutcome {
    readonly alarm: string;
    readonly about: string;
    readonly enteredAlarmAt?: string;
    readonly secondsToDetect?: number;
    readonly withinBound?: boolean;
    readonly returnedOkAt?: string;
    readonly secondsToRecover?: number;
    readonly finalState: string;
}

export interface RegionOutcome {
    readonly role: ClusterRole;
    readonly region: string;
    readonly expected: PageOutcome[];
    readonly unexpected: PageOutcome[];
}

interface DrillObservations {
    readonly alarms: readonly PagingAlarm[];
    readonly expected: ReadonlySet<string>;
    readonly history: (name: string) => readonly Transition[];
    readonly finalState: (name: string) => string;
    /** When the fault began; undefined when none was injected: then no page is expected. */
    readonly faultStartedAt?: Date;
    readonly faultEndedAt?: Date;
    readonly bound: DetectionBound;
}

interface DrillVerdict {
    readonly regions: RegionOutcome[];
    readonly timeToRecoverSeconds?: number;
    readonly reasons: string[];
}

const secondsBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

function outcome(alarm: PagingAlarm, o: DrillObservations): PageOutcome {
    const history = o.history(alarm.name);
    const finalState = o.finalState(alarm.name);
    const alarmed = history.findIndex((t) => t.state === "ALARM");
    if (alarmed < 0) return { alarm: alarm.name, about: alarm.about, finalState };
    const enteredAt = history[alarmed].at;
    const recovered =
        finalState === "OK" ? history.slice(alarmed).findLast((t) => t.state === "OK") : undefined;
    const secondsToDetect = o.faultStartedAt && secondsBetween(o.faultStartedAt, enteredAt);
    return {
        alarm: alarm.name,
        about: alarm.about,
        enteredAlarmAt: enteredAt.toISOString(),
        ...(secondsToDetect !== undefined && {
            secondsToDetect,
            withinBound: secondsToDetect >= 0 && secondsToDetect <= o.bound.worstCaseSeconds,
        }),
        ...(recovered && {
            returnedOkAt: recovered.at.toISOString(),
            ...(o.faultEndedAt && {
                secondsToRecover: secondsBetween(o.faultEndedAt, recovered.at),
            }),
        }),
        finalState,
    };
}

function problems(alarm: PagingAlarm, page: PageOutcome, o: DrillObservations): string[] {
    const where = `${alarm.name} (${alarm.about}, ${alarm.region})`;
    const found: string[] = [];
    if (!o.expected.has(alarm.name)) {
        if (page.enteredAlarmAt) {
            found.push(`unexpected page ${where} entered ALARM at ${page.enteredAlarmAt}`);
        }
    } else if (o.faultStartedAt !== undefined) {
        const detect = page.secondsToDetect;
        if (detect === undefined) found.push(`expected page ${where} never entered ALARM`);
        else if (detect < 0) {
            found.push(`expected page ${where} entered ALARM ${-detect} s before the fault`);
        } else if (!page.withinBound) {
            found.push(
                `expected page ${where} took ${detect} s to detect, past the simulated worst case of ${o.bound.worstCaseSeconds} s`,
            );
        }
    }
    if (page.finalState !== "OK") {
        found.push(`${where} was still ${page.finalState} when the recovery wait ended`);
    }
    return found;
}

export function judgeDrill(o: DrillObservations): DrillVerdict {
    const pages = o.alarms.map((alarm) => ({ alarm, page: outcome(alarm, o) }));
    const reasons = pages.flatMap(({ alarm, page }) => problems(alarm, page, o));
    const regions = new Map<string, RegionOutcome>();
    for (const { alarm, page } of pages) {
        let region = regions.get(alarm.region);
        if (region === undefined) {
            region = { role: alarm.observer, region: alarm.region, expected: [], unexpected: [] };
            regions.set(alarm.region, region);
        }
        if (o.expected.has(alarm.name)) region.expected.push(page);
        else if (page.enteredAlarmAt) region.unexpected.push(page);
    }
    const alarmed = pages.filter(({ page }) => page.enteredAlarmAt).map(({ page }) => page);
    const recovered = alarmed.every((p) => p.secondsToRecover !== undefined);
    return {
        regions: [...regions.values()],
        ...(alarmed.length > 0 &&
            recovered && {
                timeToRecoverSeconds: Math.max(...alarmed.map((p) => p.secondsToRecover!)),
            }),
        reasons,
    };
}
