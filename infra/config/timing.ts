/**
 * The detection timing of a stack: its profile, schedule, probe bound and Lambda timeout
 * must fit together (the profile's rounds, one probe bound and the monitor's overhead end
 * before the next tick; the Lambda timeout covers them and ends before the next tick too).
 * Keys the stack leaves unset come from the profile's preset, fitted to what the stack does
 * set, so a preset alone is always valid. Every conflict is reported at once, each with the
 * fix that works with the others (the advice never asks for a value another rule refuses).
 */
import { detection, MONITOR_OVERHEAD_SECONDS, type DetectionProfile } from "../detection";
import { schedulePeriodSeconds } from "../schedule";
import type { Values } from "./cross-key";
import { DETECTION_PRESETS, PROFILE_KEYS, PROFILE_PERIOD_SECONDS, type Schedule } from "./presets";
import { PROJECT, type ConfigProblem } from "./problem";

export interface Timing {
    readonly monitoringSchedule: string;
    readonly schedulePeriodSeconds: number;
    readonly probeTimeoutSeconds: number;
    readonly lambdaTimeoutSeconds: number;
    readonly datapointsToAlarm: number;
    readonly evaluationPeriods: number;
}

/** The one fix for a key that conflicts with its profile: leave it to the profile. */
const unset = (key: string) => `unset it (pulumi config rm ${PROJECT}:${key})`;
const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

/** The stack's timing, its own values or its profile's; undefined after reporting a conflict. */
export function timingRules(values: Values, problems: ConfigProblem[]): Timing | undefined {
    const profile = values.detectionProfile;
    if (profile === undefined || !PROFILE_KEYS.every((k) => Object.hasOwn(values, k)))
        return undefined;
    const preset = DETECTION_PRESETS[profile];
    const schedule: Schedule = values.monitoringSchedule ?? {
        expression: preset.monitoringSchedule,
        seconds: schedulePeriodSeconds(preset.monitoringSchedule) as number,
    };
    const needed = PROFILE_PERIOD_SECONDS[profile];
    if (needed === undefined || schedule.seconds === needed) {
        return fitTimeouts(profile, schedule, values, problems);
    }
    problems.push({
        key: "monitoringSchedule",
        value: schedule.expression,
        allowed: `must be ${preset.monitoringSchedule} with detectionProfile ${profile} (its rounds fill one minute); got ${schedule.expression}; or ${unset("monitoringSchedule")}: each profile brings its own schedule`,
    });
    // The timeouts are checked against the schedule the fix gives, so every conflict shows now.
    const fixed = { expression: preset.monitoringSchedule, seconds: needed };
    fitTimeouts(profile, fixed, values, problems);
    return undefined;
}

function fitTimeouts(
    profile: DetectionProfile,
    schedule: Schedule,
    values: Values,
    problems: ConfigProblem[],
): Timing | undefined {
    const preset = DETECTION_PRESETS[profile];
    const period = schedule.seconds;
    const { rounds, intervalSeconds } = detection({
        detectionProfile: profile,
        schedulePeriodSeconds: period,
        probeTimeoutSeconds: 0,
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
    });
    const base = (rounds - 1) * intervalSeconds + MONITOR_OVERHEAD_SECONDS;
    const between = rounds > 1 ? `${rounds - 1} × ${intervalSeconds} s between rounds` : "";
    const maxProbe = Math.min(60, period - 1 - base);
    const probe = values.probeTimeoutSeconds ?? Math.min(preset.probeTimeoutSeconds, maxProbe);
    // A probe bound that cannot fit is reported with its fix, the profile's: the Lambda timeout is
    // checked against that fix, so the two pieces of advice hold together.
    const probeFits = probe <= maxProbe;
    const assumedProbe = probeFits ? probe : Math.min(preset.probeTimeoutSeconds, maxProbe);
    const fittedLambda = clamp(preset.lambdaTimeoutSeconds, base + assumedProbe, period - 1);
    const lambda = values.lambdaTimeoutSeconds ?? fittedLambda;
    const unsetLambda =
        values.lambdaTimeoutSeconds === undefined
            ? ""
            : `; or ${unset("lambdaTimeoutSeconds")} to take the ${profile} profile's, fitted: ${fittedLambda} s`;
    const before = problems.length;
    if (!probeFits) {
        const room = lambda - base;
        const lambdaBound =
            values.lambdaTimeoutSeconds !== undefined &&
            lambda < period &&
            room >= 1 &&
            room < maxProbe
                ? `; with lambdaTimeoutSeconds ${lambda} s, at most ${room} s`
                : "";
        problems.push({
            key: "probeTimeoutSeconds",
            value: String(probe),
            allowed: `at most ${maxProbe} s with detectionProfile ${profile} and ${schedule.expression}: ${between ? `${between}, ` : ""}one probe bound and ${MONITOR_OVERHEAD_SECONDS} s must fit in one schedule period${lambdaBound}; or ${unset("probeTimeoutSeconds")} to take the ${profile} profile's ${assumedProbe} s`,
        });
    }
    if (lambda >= period) {
        problems.push({
            key: "lambdaTimeoutSeconds",
            value: String(lambda),
            allowed: `must be shorter than the schedule period (${period} s from ${schedule.expression}), or runs would overlap${unsetLambda}`,
        });
    } else if (lambda < base + assumedProbe) {
        const bound = probeFits
            ? `probeTimeoutSeconds (${probe} s)`
            : `probeTimeoutSeconds once fixed (the ${profile} profile's ${assumedProbe} s)`;
        const probeHint =
            values.probeTimeoutSeconds === undefined || !probeFits
                ? ""
                : " (or lower probeTimeoutSeconds)";
        problems.push({
            key: "lambdaTimeoutSeconds",
            value: String(lambda),
            allowed: `must be at least ${base + assumedProbe} s: ${between ? `${between} + ` : ""}one probe bound of ${bound} + ${MONITOR_OVERHEAD_SECONDS} s${probeHint}${unsetLambda}`,
        });
    }
    if (problems.length > before) return undefined;
    return {
        monitoringSchedule: schedule.expression,
        schedulePeriodSeconds: period,
        probeTimeoutSeconds: probe,
        lambdaTimeoutSeconds: lambda,
        ...alarmWindow(profile, values, problems),
    };
}

/**
 * N of M, the stack's or its profile's: N at most M. A conflict names the key the stack
 * set (leaving it to the profile is always a fix: the presets hold together).
 */
function alarmWindow(profile: DetectionProfile, values: Values, problems: ConfigProblem[]) {
    const preset = DETECTION_PRESETS[profile];
    const n = values.datapointsToAlarm ?? preset.datapointsToAlarm;
    const m = values.evaluationPeriods ?? preset.evaluationPeriods;
    if (n > m) {
        const set =
            values.datapointsToAlarm !== undefined ? "datapointsToAlarm" : "evaluationPeriods";
        problems.push({
            key: "datapointsToAlarm",
            value: String(n),
            allowed: `at most evaluationPeriods (${m}${values.evaluationPeriods === undefined ? `, the ${profile} profile's` : ""}): N failed rounds out of the last M; or ${unset(set)}`,
        });
    }
    return { datapointsToAlarm: n, evaluationPeriods: m };
}
