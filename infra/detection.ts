/**
 * How fast the stack detects, in one place: probe rounds per invocation, the alarms'
 * periods and N-of-M, and the heartbeat staleness bound, derived from the stack's
 * detection profile and schedule. The cell, the alarms, the monitor's environment and the
 * time-to-detect simulation all read this, so they cannot disagree.
 */

export const DETECTION_PROFILES = ["standard", "fast"] as const;
export type DetectionProfile = (typeof DETECTION_PROFILES)[number];

/** The fast profile's schedule: one invocation a minute, EventBridge's finest rate. */
export const FAST_SCHEDULE_SECONDS = 60;
/**
 * Sub-minute rounds of the fast profile: EventBridge schedules tick once a minute at best,
 * so each invocation runs six rounds 10 s apart (the last one ends well before the next
 * tick), watched by 10-second high-resolution alarms.
 */
export const FAST_ROUNDS = 6;
export const FAST_INTERVAL_SECONDS = 10;
const FAST_ALARM_PERIOD_SECONDS = 10;

/**
 * Allowance for EventBridge: a scheduled rule "runs within that minute" and may reach its
 * target "several seconds" later
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html).
 */
export const SCHEDULE_JITTER_SECONDS = 8;

/**
 * Seconds a composite waits for its actions suppressor before acting, and keeps suppressing
 * after the suppressor clears. The wait delays every page, and the maintenance window never
 * relies on it: `./task maintenance` and drills confirm that the suppressor is in ALARM before
 * anything is disrupted, so one second is enough ("You can set the parameters to any integer
 * in seconds", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html).
 * The extension keeps AWS's recommended minute, for alarms evaluated each minute.
 */
export const SUPPRESSOR_WAIT_SECONDS = 1;
export const SUPPRESSOR_EXTENSION_SECONDS = 60;

export interface DetectionInput {
    readonly detectionProfile: DetectionProfile;
    readonly schedulePeriodSeconds: number;
    readonly probeTimeoutSeconds: number;
    /** N of M for the data-plane ("cannot serve") alarms. */
    readonly datapointsToAlarm: number;
    readonly evaluationPeriods: number;
}

export interface Detection {
    readonly profile: DetectionProfile;
    /** Probe rounds per invocation and seconds between their starts. */
    readonly rounds: number;
    readonly intervalSeconds: number;
    /** Storage resolution of the monitor's metrics. */
    readonly metricResolution: 1 | 60;
    /** Period of the data-plane alarms (10, 20 or 30 s are high-resolution alarms). */
    readonly verdictPeriodSeconds: number;
    readonly datapointsToAlarm: number;
    readonly evaluationPeriods: number;
    /** Period of the slower alarms: consistency, peering, maintenance. */
    readonly slowPeriodSeconds: number;
    /**
     * Period of the monitor-silent alarm. It alarms once a whole evaluation range (three
     * periods for 1 of 1) holds no MonitorHealth datapoint, so the range must always hold
     * one while the monitor runs: three periods cover a schedule period and a minute more.
     */
    readonly monitorPeriodSeconds: number;
    /**
     * The other observer's heartbeat through a cluster counts as stale beyond this age: its
     * longest regular gap between two commits, plus one probe bound, plus schedule jitter.
     */
    readonly heartbeatStaleSeconds: number;
    /** Seconds one invocation needs at most: its rounds, one probe bound, start-up and flush. */
    readonly invocationSeconds: number;
    /**
     * Warm-up of the monitor-silent alarm after it is created: it must outlast a first
     * deployment's way to the monitor's first datapoint (setup, the schedule's first tick,
     * a cold start, EMF), or the new alarm would page on missing data before the monitor
     * ever ran. It ends early once the datapoint is there, so a monitor that never starts
     * still pages when it runs out.
     */
    readonly monitorWarmUpMinutes: number;
}

/** Minutes of warm-up beyond one schedule period (setup, delivery, cold start, EMF). */
export const MONITOR_WARM_UP_MARGIN_MINUTES = 10;

/** Seconds the monitor needs beyond its probe rounds (start-up, metric flush). */
export const MONITOR_OVERHEAD_SECONDS = 5;

export function detection(input: DetectionInput): Detection {
    const fast = input.detectionProfile === "fast";
    const rounds = fast ? FAST_ROUNDS : 1;
    const intervalSeconds = fast ? FAST_INTERVAL_SECONDS : 0;
    const period = input.schedulePeriodSeconds;
    const longestGap = fast
        ? Math.max(intervalSeconds, period - (rounds - 1) * intervalSeconds)
        : period;
    return {
        profile: input.detectionProfile,
        rounds,
        intervalSeconds,
        metricResolution: fast ? 1 : 60,
        verdictPeriodSeconds: fast ? FAST_ALARM_PERIOD_SECONDS : period,
        datapointsToAlarm: input.datapointsToAlarm,
        evaluationPeriods: input.evaluationPeriods,
        slowPeriodSeconds: fast ? 60 : period,
        monitorPeriodSeconds: 60 * Math.ceil((period + 60) / 180),
        heartbeatStaleSeconds: longestGap + input.probeTimeoutSeconds + SCHEDULE_JITTER_SECONDS,
        invocationSeconds:
            (rounds - 1) * intervalSeconds + input.probeTimeoutSeconds + MONITOR_OVERHEAD_SECONDS,
        monitorWarmUpMinutes: Math.ceil(period / 60) + MONITOR_WARM_UP_MARGIN_MINUTES,
    };
}
