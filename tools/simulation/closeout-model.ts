/**
 * The maintenance close-out as the simulation and the scenario tests play it: when a
 * region's suppressor alarm leaves ALARM, the declared close-out function runs (its own
 * decision code, `pagesToResolve`) and sends an OK for each page that recovered while the
 * window held it back. Only close-outs the stack declares are played, so a stack without
 * one keeps the open incident and its row fails.
 */
import { pagesToResolve, type PageState } from "../../monitor-function/src/closeout";
import type { AlarmRun, AlarmState, Transition } from "./cloudwatch-model";
import type { DeclaredStack } from "../pulumi-host/mock-program";

/** One region's close-out: the suppressor whose state changes start it, and its pages. */
export interface CloseoutSpec {
    readonly region: string;
    readonly suppressor: string;
    readonly pages: readonly string[];
}

/**
 * Seconds from the suppressor's change of state to the OK being published: EventBridge
 * delivers CloudWatch's state-change event and invokes the function (assumed; AWS gives
 * no figure), which makes one DescribeAlarms and one Publish per page.
 */
export const CLOSEOUT_DELAY_SECONDS = 6;

/** The close-outs a declared stack has: a close-out function and a rule that starts it. */
export function declaredCloseouts(declared: DeclaredStack): CloseoutSpec[] {
    const of = (type: string) => declared.resources.filter((r) => r.type === type);
    const alarms = of("aws:cloudwatch/metricAlarm:MetricAlarm");
    const targets = of("aws:cloudwatch/eventTarget:EventTarget");
    return of("aws:lambda/function:Function")
        .filter((f) => f.inputs.handler === "closeout.closeoutHandler")
        .flatMap((fn) => {
            const env = fn.inputs.environment.variables as Record<string, string>;
            const suppressor = alarms.find((a) => a.inputs.name === env.CLOSEOUT_SUPPRESSOR);
            const started = of("aws:cloudwatch/eventRule:EventRule").some((rule) => {
                const pattern = rule.inputs.eventPattern && JSON.parse(rule.inputs.eventPattern);
                return (
                    suppressor &&
                    pattern?.resources?.includes(suppressor.state.arn) &&
                    targets.some(
                        (t) => t.inputs.rule === rule.inputs.name && t.inputs.arn === fn.state.arn,
                    )
                );
            });
            if (!started || !suppressor) return [];
            return [
                {
                    region: fn.region!,
                    suppressor: suppressor.inputs.name as string,
                    pages: JSON.parse(env.CLOSEOUT_PAGES) as string[],
                },
            ];
        });
}

/**
 * The OKs the close-outs send over a run: for each suppressor change out of ALARM, the
 * pages' states then (from the run's transitions; a page with none is settled OK) judged by
 * the function's own `pagesToResolve`.
 */
export function closeoutNotifications(
    closeouts: readonly CloseoutSpec[],
    run: AlarmRun,
): Transition[] {
    const sent: Transition[] = [];
    for (const closeout of closeouts) {
        let opened: number | undefined;
        for (const t of run.transitions) {
            if (t.alarm !== closeout.suppressor) continue;
            if (t.state === "ALARM") {
                opened = t.at;
                continue;
            }
            if (opened === undefined) continue;
            const window = {
                suppressor: closeout.suppressor,
                opened: new Date(opened),
                closed: new Date(t.at),
            };
            opened = undefined;
            const pages = closeout.pages.map((name) => pageAt(run, name, t.at));
            for (const page of pagesToResolve(window, pages))
                sent.push({
                    alarm: page.name,
                    at: t.at + CLOSEOUT_DELAY_SECONDS * 1000,
                    state: "OK",
                });
        }
    }
    return sent;
}

/** A page as DescribeAlarms would show it at `at`. */
function pageAt(run: AlarmRun, name: string, at: number): PageState {
    let state: AlarmState = "OK";
    let changedAt = 0;
    for (const t of run.transitions) {
        if (t.alarm !== name || t.at > at) continue;
        state = t.state;
        changedAt = t.at;
    }
    return { name, arn: name, state, changedAt: new Date(changedAt) };
}

/** A run's notifications with its close-outs' OKs, in time order. */
export function withCloseouts(closeouts: readonly CloseoutSpec[], run: AlarmRun): Transition[] {
    return [...run.notifications, ...closeoutNotifications(closeouts, run)].sort(
        (a, b) => a.at - b.at,
    );
}
