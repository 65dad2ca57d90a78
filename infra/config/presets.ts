import { z } from "zod";
import { FAST_SCHEDULE_SECONDS, type DetectionProfile } from "../detection";
import { schedulePeriodSeconds } from "../schedule";
import { integer, optionalText, report, type Schema } from "./parse";

/** What a detection profile brings for the keys a stack leaves to it. */
export interface DetectionPreset {
    readonly monitoringSchedule: string;
    readonly probeTimeoutSeconds: number;
    readonly lambdaTimeoutSeconds: number;
    /** N of M, in rounds, of the "cannot serve" alarm. */
    readonly datapointsToAlarm: number;
    readonly evaluationPeriods: number;
}

/**
 * The presets: a stack that leaves these keys unset (Pulumi.yaml declares them "") takes
 * its profile's values, so `--set detectionProfile=fast` alone is a valid config; a key the
 * stack sets overrides its profile's value. The Lambda timeout is then fitted between the
 * profile's rounds plus one probe bound and the schedule period (timing.ts).
 */
export const DETECTION_PRESETS: Readonly<Record<DetectionProfile, DetectionPreset>> = {
    // Two failed rounds of three: with a round every two minutes, the other observer's
    // staleness bound spans barely more than one of its rounds, so it alone cannot tell a
    // one-round blip of both observers from an outage.
    standard: {
        monitoringSchedule: "rate(2 minutes)",
        probeTimeoutSeconds: 10,
        lambdaTimeoutSeconds: 60,
        datapointsToAlarm: 2,
        evaluationPeriods: 3,
    },
    // One agreed round: rounds are 10 s apart, so the staleness bound (a whole gap between two
    // invocations, a probe bound and EventBridge's jitter) already spans several of them.
    fast: {
        monitoringSchedule: "rate(1 minute)",
        probeTimeoutSeconds: 3,
        // The last round starts 50 s in; 59 s leaves its heartbeat a wake-up bound above 3 s.
        lambdaTimeoutSeconds: 59,
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
    },
};

/** The keys a detection profile fills when the stack leaves them unset. */
export const PROFILE_KEYS = [
    "monitoringSchedule",
    "lambdaTimeoutSeconds",
    "probeTimeoutSeconds",
    "datapointsToAlarm",
    "evaluationPeriods",
] as const satisfies readonly (keyof DetectionPreset)[];

/**
 * The one schedule period a profile needs, if any: the fast profile's rounds fill one
 * minute, so it runs at rate(1 minute) only.
 */
export const PROFILE_PERIOD_SECONDS: Readonly<Partial<Record<DetectionProfile, number>>> = {
    fast: FAST_SCHEDULE_SECONDS,
};

export interface Schedule {
    readonly expression: string;
    readonly seconds: number;
}

/** monitoringSchedule: a rate expression, or undefined (blank) for the profile's. */
export const scheduleSchema: Schema<Schedule | undefined> = optionalText().transform(
    (expression, ctx) => {
        if (expression === undefined) return undefined;
        const seconds = schedulePeriodSeconds(expression);
        return typeof seconds === "number" ? { expression, seconds } : report(ctx, seconds);
    },
);

/** A whole number from min to max, or undefined (blank) for the profile's. */
export function profileInteger(min: number, max: number, unit: string): Schema<number | undefined> {
    const whole = integer(min, max, unit);
    return z
        .string()
        .optional()
        .transform((text, ctx) => {
            if (!text?.trim()) return undefined;
            const parsed = whole.safeParse(text);
            if (parsed.success) return parsed.data;
            for (const issue of parsed.error.issues) report(ctx, issue.message);
            return z.NEVER;
        });
}
