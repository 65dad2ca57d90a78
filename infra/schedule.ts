/**
 * EventBridge schedule expressions. Only `rate(...)` is accepted: the health alarms
 * need a fixed period between probes, which a cron expression does not have.
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3600 };

/** Longest probe interval a health check may have. */
export const MAX_SCHEDULE_SECONDS = 3600;

/**
 * Period of a rate expression in seconds, or an explanation of why EventBridge would
 * reject it (or why a health check must not use it).
 */
export function schedulePeriodSeconds(expression: string): number | string {
    const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression.trim());
    if (!match) {
        return "expected rate(<n> minute[s]|hour[s]), e.g. rate(1 minute) or rate(5 minutes)";
    }
    const value = Number(match[1]);
    const unit = match[2];
    if (value < 1) {
        return "the rate value must be a positive whole number";
    }
    const singular = !unit.endsWith("s");
    if (singular !== (value === 1)) {
        return `EventBridge needs the singular unit for 1 and the plural otherwise (rate(1 ${unit.replace(/s$/, "")}), rate(${Math.max(value, 2)} ${unit.replace(/s?$/, "s")}))`;
    }
    const seconds = value * UNIT_SECONDS[unit.replace(/s$/, "")];
    if (seconds > MAX_SCHEDULE_SECONDS) {
        return `a health check must run at least hourly (at most ${MAX_SCHEDULE_SECONDS} s between probes)`;
    }
    return seconds;
}
