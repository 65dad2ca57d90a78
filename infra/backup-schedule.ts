/**
 * The backup schedule as time: when an AWS Backup cron expression fires, the longest and
 * shortest gap between two backups, and the worst-case recovery point objective (RPO) a
 * configuration gives. Pure functions, so the plan, the alarms and the tests agree.
 *
 * AWS Backup schedules are cron expressions in UTC of six fields, Minutes Hours Day-of-month
 * Month Day-of-week Year, with EventBridge's syntax
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions).
 * This module reads the daily and weekly forms a DR backup uses (minutes, hours and
 * days of the week); a schedule that names days of the month, months or years backs up less
 * often than the recovery-point alarm can watch (see MAX_RPO_MINUTES) and is refused.
 */

/** What a cron expression means for the backups: gaps between them, in minutes. */
export interface BackupCadence {
    readonly expression: string;
    /** Longest time between two scheduled backups. */
    readonly longestGapMinutes: number;
    /** Shortest time between two scheduled backups. */
    readonly shortestGapMinutes: number;
    /** Backups the schedule starts in a week. */
    readonly backupsPerWeek: number;
    /** When they start: minutes since Sunday 00:00 UTC (Day-of-week 1), in order. */
    readonly firingsInWeek: readonly number[];
}

export const WEEK_MINUTES = 7 * 24 * 60;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** A field of the expression as the set of values it allows, or why it cannot be read. */
function readField(text: string, low: number, high: number, names?: string[]): number[] | string {
    const values = new Set<number>();
    const value = (token: string): number => {
        const named = names?.indexOf(token.toUpperCase()) ?? -1;
        return named >= 0 ? named + low : /^\d+$/.test(token) ? Number(token) : NaN;
    };
    for (const part of text.split(",")) {
        const [range, stepText] = part.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        if (!Number.isInteger(step) || step < 1) return `"${part}" has no whole step`;
        const [from, to] =
            range === "*"
                ? [low, high]
                : range.includes("-")
                  ? range.split("-").map(value)
                  : [value(range), stepText === undefined ? value(range) : high];
        if (![from, to].every((v) => Number.isInteger(v) && v >= low && v <= high) || from > to) {
            return `"${part}" is not within ${low}-${high}`;
        }
        for (let v = from; v <= to; v += step) values.add(v);
    }
    return [...values].sort((a, b) => a - b);
}

/**
 * The cadence of `expression`, or why it is not a schedule this program can watch. The
 * expression fires in the same minutes every week, so one week of firings gives every gap.
 */
export function backupCadence(expression: string): BackupCadence | string {
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    const fields = match?.[1].trim().split(/\s+/) ?? [];
    if (fields.length !== 6) {
        return "must be an AWS Backup cron expression of six fields, cron(Minutes Hours Day-of-month Month Day-of-week Year), such as cron(0 5 ? * * *)";
    }
    const [minuteText, hourText, dayOfMonth, month, dayOfWeek, year] = fields;
    if (dayOfMonth !== "?" && dayOfWeek !== "?") {
        return "must leave Day-of-month or Day-of-week as ?, as AWS cron expressions require";
    }
    if (![dayOfMonth, month, year].every((f) => f === "*" || f === "?")) {
        return "must run every day or on named days of the week (Day-of-month, Month and Year * or ?): a backup once a month or rarer is older than the recovery-point alarm can watch";
    }
    const minutes = readField(minuteText, 0, 59);
    const hours = readField(hourText, 0, 23);
    const days = dayOfWeek === "?" || dayOfWeek === "*" ? "*" : dayOfWeek;
    const weekdays = readField(days, 1, 7, DAY_NAMES);
    for (const [label, field] of [
        ["Minutes", minutes],
        ["Hours", hours],
        ["Day-of-week", weekdays],
    ] as const) {
        if (typeof field === "string") return `has an unreadable ${label} field: ${field}`;
    }
    const firings = (weekdays as number[]).flatMap((day) =>
        (hours as number[]).flatMap((hour) =>
            (minutes as number[]).map((minute) => (day - 1) * 1440 + hour * 60 + minute),
        ),
    );
    const gaps = firings.map((at, i) =>
        i + 1 < firings.length ? firings[i + 1] - at : firings[0] + WEEK_MINUTES - at,
    );
    return {
        expression: expression.trim(),
        longestGapMinutes: Math.max(...gaps),
        shortestGapMinutes: Math.min(...gaps),
        backupsPerWeek: firings.length,
        firingsInWeek: firings,
    };
}

/**
 * Minutes AWS Backup needs at least between two jobs of one rule: it refuses a schedule with
 * a shorter interval ("The interval between backup jobs shouldn't be less than 60 minutes").
 * Also the least start window it accepts: "If this value is included, it must be at least
 * 60 minutes to avoid errors" (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html).
 */
export const MIN_BACKUP_MINUTES = 60;

/**
 * Allowance beyond the schedule and windows before a recovery point counts as late: AWS
 * Backup publishes its CloudWatch metrics every 5 minutes
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html), and an alarm is
 * evaluated once a minute; three emission intervals cover a late emission and the evaluation.
 */
export const RECOVERY_POINT_MARGIN_MINUTES = 15;

/**
 * Longest RPO the recovery-point alarm can watch without paging on deploy: its warm-up, which
 * must cover the time to the first recovery point, is at most 2,880 minutes
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html).
 */
export const MAX_RPO_MINUTES = 2880;

export interface BackupWindows {
    /** Minutes after the scheduled time within which a job must start, or it expires. */
    readonly startWindowMinutes: number;
    /** Minutes a started job has to complete before AWS Backup cancels it. */
    readonly completionWindowMinutes: number;
}

/** The RPO a configuration gives, and what it is made of. */
export interface BackupRpo {
    readonly longestGapMinutes: number;
    readonly startWindowMinutes: number;
    readonly completionWindowMinutes: number;
    readonly marginMinutes: number;
    /**
     * The longest a healthy schedule goes without a completed backup: the newest recovery
     * point may be the one from the longest gap ago, and its successor may start a start
     * window late and take a whole completion window ("after a backup job is successfully
     * started", https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html)
     * before it exists; then the margin. The recovery-point signal's window (and warm-up).
     */
    readonly worstCaseMinutes: number;
    /**
     * The RPO the page keeps: at worst, the newest recovery point's scheduled start is this
     * old when the page comes. That job may itself have started a start window late and
     * taken a whole completion window; after its completion the signal waits its window in
     * whole hours, counts the hour it completed in as seen, and a window over a day is
     * evaluated once an hour (tools/simulation/cloudwatch-evaluation.ts, evaluationInterval).
     */
    readonly pageMinutes: number;
}

export function backupRpo(cadence: BackupCadence, windows: BackupWindows): BackupRpo {
    const worstCaseMinutes =
        cadence.longestGapMinutes +
        windows.startWindowMinutes +
        windows.completionWindowMinutes +
        RECOVERY_POINT_MARGIN_MINUTES;
    return {
        longestGapMinutes: cadence.longestGapMinutes,
        startWindowMinutes: windows.startWindowMinutes,
        completionWindowMinutes: windows.completionWindowMinutes,
        marginMinutes: RECOVERY_POINT_MARGIN_MINUTES,
        worstCaseMinutes,
        pageMinutes:
            windows.startWindowMinutes +
            windows.completionWindowMinutes +
            Math.ceil(worstCaseMinutes / 60) * 60 +
            2 * 60,
    };
}

/** "1d 2h 15m" for a number of minutes. */
export function formatMinutes(total: number): string {
    const parts: [number, string][] = [
        [Math.floor(total / 1440), "d"],
        [Math.floor((total % 1440) / 60), "h"],
        [total % 60, "m"],
    ];
    return (
        parts
            .filter(([value]) => value > 0)
            .map(([value, unit]) => `${value}${unit}`)
            .join(" ") || "0m"
    );
}
