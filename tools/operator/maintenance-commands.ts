/**
 * Planned-work silence: the same maintenance window a suppressed drill opens, by hand.
 * on: both regions' parameters + the signal; off: NO_MAINTENANCE; status: what holds now.
 */
import { CLUSTER_ROLES, MAX_MAINTENANCE_SECONDS } from "../../monitor-function/src/contract";
import { readAlarms } from "./alarms";
import { callerArn, type AwsClients } from "./aws";
import type { Clock } from "./clock";
import { formatDuration } from "./duration";
import { pagingAlarms, type StackOutputs } from "./outputs";
import { lowerWindow, openWindow, raiseWindow, readWindow, type RegionWindow } from "./window";

export interface MaintenanceContext {
    readonly stack: string;
    readonly outputs: StackOutputs;
    readonly aws: AwsClients;
    readonly clock: Clock;
    readonly log: (line: string) => void;
    readonly warn: (line: string) => void;
}

export async function maintenanceOn(
    ctx: MaintenanceContext,
    seconds: number,
    reason: string,
): Promise<void> {
    const { outputs, aws, stack } = ctx;
    const by = await callerArn(aws.sts);
    const now = ctx.clock.now();
    const window = openWindow(now, seconds, reason, by);
    await raiseWindow(aws, outputs, window, now);
    for (const role of CLUSTER_ROLES) {
        ctx.log(
            `${outputs.regions[role]}: ${outputs.maintenanceParameters[role]} written, MaintenanceWindow=1 sent`,
        );
    }
    ctx.log(
        `Maintenance window open in both regions for ${formatDuration(seconds)}: it closes by itself at ${window.until} ` +
            `(the monitor honours no window past ${formatDuration(MAX_MAINTENANCE_SECONDS)}).`,
    );
    ctx.log(
        `Paging alarms take no actions while the suppressors are in ALARM (after their next evaluation); ` +
            `check with ./task maintenance ${stack} status, close early with ./task maintenance ${stack} off.`,
    );
}

/** Closes the window and warns about pages that will notify once suppression ends. */
export async function maintenanceOff(ctx: MaintenanceContext): Promise<void> {
    const { outputs, aws } = ctx;
    await lowerWindow(aws, outputs);
    ctx.log("Maintenance window closed in both regions (NO_MAINTENANCE written).");
    for (const role of CLUSTER_ROLES) {
        const region = outputs.regions[role];
        const alarms = pagingAlarms(outputs).filter((a) => a.observer === role);
        const states = await readAlarms(
            aws.in(region).cloudwatch,
            region,
            alarms.map((a) => a.name),
        );
        for (const alarm of alarms) {
            const state = states.get(alarm.name)!;
            if (state.state === "OK") continue;
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html
            ctx.warn(
                `warning: ${alarm.name} (${alarm.about}, ${region}) is ${state.state}: it will notify once the suppressor ` +
                    `is back to OK and its extension period (${state.extensionPeriodSeconds ?? "?"} s) has passed`,
            );
        }
    }
}

function describeWindow(w: RegionWindow, now: Date): string {
    const detail = `"${w.window?.reason ?? ""}" by ${w.window?.by ?? "unknown"}`;
    if (w.secondsLeft > 0) {
        return `open, ${formatDuration(w.secondsLeft)} left (until ${w.window?.until}; ${detail})`;
    }
    if (w.window?.until && Date.parse(w.window.until) <= now.getTime()) {
        return `closed: expired at ${w.window.until} (${detail})`;
    }
    return w.window?.until ? `closed: not honoured (${detail})` : "closed";
}

/** Each region's window, suppressor and paging alarms, and what they mean together. */
export async function maintenanceStatus(ctx: MaintenanceContext): Promise<void> {
    const { outputs, aws } = ctx;
    const now = ctx.clock.now();
    for (const role of CLUSTER_ROLES) {
        const region = outputs.regions[role];
        const window = await readWindow(aws, outputs, role, now);
        const suppressor = outputs.suppressorAlarms[role];
        const alarms = pagingAlarms(outputs).filter((a) => a.observer === role);
        const states = await readAlarms(aws.in(region).cloudwatch, region, [
            suppressor,
            ...alarms.map((a) => a.name),
        ]);
        const held = states.get(suppressor)!;
        ctx.log(`${region} (${role} cell)`);
        ctx.log(`  window:     ${describeWindow(window, now)}`);
        ctx.log(`  suppressor: ${suppressor} ${held.state} since ${held.since.toISOString()}`);
        if (window.secondsLeft > 0 && held.state !== "ALARM") {
            ctx.log("              not in ALARM yet: pages are NOT held back yet");
        }
        if (window.secondsLeft === 0 && held.state === "ALARM") {
            ctx.log(
                "              still ALARM: it returns to OK once the monitor stops the signal",
            );
        }
        for (const alarm of alarms) {
            const state = states.get(alarm.name)!;
            ctx.log(
                `  page:       ${alarm.name} (${alarm.about}) ${state.state} since ${state.since.toISOString()}`,
            );
        }
    }
}
