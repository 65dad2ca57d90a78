/**
 * Planned-work silence: the same maintenance window a suppressed drill opens, by hand.
 * on: each region's parameter + signal; off: NO_MAINTENANCE; status: what holds now. Every
 * region is tried even when another fails, each is reported, and the command says which
 * regions are in maintenance and which are not (exit 1 when they differ from what was asked).
 */
import { CLUSTER_ROLES, MAX_MAINTENANCE_SECONDS } from "../../monitor-function/src/contract";
import { readAlarms } from "./alarms";
import { describeError, isMissingCredentials } from "./aws-errors";
import type { AwsClients } from "./aws";
import type { Clock } from "./clock";
import { formatDuration } from "./duration";
import { EXIT } from "./errors";
import { pagingAlarms, type StackOutputs } from "./outputs";
import {
    lowerRegion,
    openWindow,
    readWindow,
    sendSignal,
    writeWindow,
    type RegionWindow,
} from "./window";

export interface MaintenanceContext {
    readonly stack: string;
    readonly outputs: StackOutputs;
    readonly aws: AwsClients;
    /** The caller's ARN, checked against the stack's account. */
    readonly caller: string;
    readonly clock: Clock;
    readonly log: (line: string) => void;
    readonly warn: (line: string) => void;
}

/** Runs `step` in each region; a failure is that region's result, not the command's end. */
async function eachRegion(
    ctx: MaintenanceContext,
    step: (role: (typeof CLUSTER_ROLES)[number], region: string) => Promise<string>,
): Promise<{ done: string[]; failed: string[] }> {
    const done: string[] = [];
    const failed: string[] = [];
    for (const role of CLUSTER_ROLES) {
        const region = ctx.outputs.regions[role];
        try {
            ctx.log(`${region}: ok: ${await step(role, region)}`);
            done.push(region);
        } catch (error) {
            if (isMissingCredentials(error)) throw error;
            ctx.warn(`${region}: FAILED: ${describeError(error)}`);
            failed.push(region);
        }
    }
    return { done, failed };
}

const regionList = (regions: readonly string[]) => regions.join(" and ");

export async function maintenanceOn(
    ctx: MaintenanceContext,
    seconds: number,
    reason: string,
): Promise<number> {
    const { outputs, aws, stack } = ctx;
    const now = ctx.clock.now();
    const window = openWindow(now, seconds, reason, ctx.caller);
    const { done, failed } = await eachRegion(ctx, async (role) => {
        const written = `${outputs.maintenanceParameters[role]} written`;
        await writeWindow(aws, outputs, role, window);
        try {
            await sendSignal(aws, outputs, role, now);
        } catch (error) {
            if (isMissingCredentials(error)) throw error;
            return `${written}; MaintenanceWindow=1 NOT sent (${describeError(error)}): pages are held back from the monitor's next round`;
        }
        return `${written}, MaintenanceWindow=1 sent`;
    });
    const again = `./task maintenance ${stack} on --for ${formatDuration(seconds)}`;
    if (failed.length > 0) {
        ctx.warn(
            `maintenance: in maintenance: ${regionList(done) || "no region"}; NOT in maintenance: ` +
                `${regionList(failed)} (its pages still go out). Fix the cause and run "${again}" ` +
                `again (it rewrites every region), or close the open ones with "./task maintenance ${stack} off".`,
        );
        return EXIT.failed;
    }
    ctx.log(
        `Maintenance window open in ${regionList(done)} for ${formatDuration(seconds)}: it closes by itself at ${window.until} ` +
            `(the monitor honours no window past ${formatDuration(MAX_MAINTENANCE_SECONDS)}).`,
    );
    ctx.log(
        `Paging alarms take no actions while the suppressors are in ALARM (after their next evaluation); ` +
            `check with ./task maintenance ${stack} status, close early with ./task maintenance ${stack} off.`,
    );
    return EXIT.ok;
}

/** Warns about the pages of `role`'s region that will notify once suppression ends. */
async function warnHeldPages(ctx: MaintenanceContext, role: (typeof CLUSTER_ROLES)[number]) {
    const { outputs, aws } = ctx;
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

/** Closes the window in every region and warns about pages that will notify once it ends. */
export async function maintenanceOff(ctx: MaintenanceContext): Promise<number> {
    const { outputs, aws, stack } = ctx;
    const { done, failed } = await eachRegion(ctx, async (role) => {
        await lowerRegion(aws, outputs, role);
        return `${outputs.maintenanceParameters[role]} written (NO_MAINTENANCE): window closed`;
    });
    for (const role of CLUSTER_ROLES.filter((r) => done.includes(outputs.regions[r]))) {
        try {
            await warnHeldPages(ctx, role);
        } catch (error) {
            if (isMissingCredentials(error)) throw error;
            ctx.warn(
                `warning: could not read the paging alarms in ${outputs.regions[role]}: ${describeError(error)}`,
            );
        }
    }
    if (failed.length > 0) {
        ctx.warn(
            `maintenance: closed in: ${regionList(done) || "no region"}; still in maintenance: ` +
                `${regionList(failed)} (its pages stay held back until its window ends; ` +
                `./task maintenance ${stack} status shows when). Fix the cause and run "./task maintenance ${stack} off" again.`,
        );
        return EXIT.failed;
    }
    ctx.log(`Maintenance window closed in ${regionList(done)} (NO_MAINTENANCE written).`);
    return EXIT.ok;
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

/** One region's window, suppressor and paging alarms, and what they mean together. */
async function regionStatus(
    ctx: MaintenanceContext,
    role: (typeof CLUSTER_ROLES)[number],
    now: Date,
): Promise<string[]> {
    const { outputs, aws } = ctx;
    const region = outputs.regions[role];
    const window = await readWindow(aws, outputs, role, now);
    const suppressor = outputs.suppressorAlarms[role];
    const alarms = pagingAlarms(outputs).filter((a) => a.observer === role);
    const states = await readAlarms(aws.in(region).cloudwatch, region, [
        suppressor,
        ...alarms.map((a) => a.name),
    ]);
    const held = states.get(suppressor)!;
    const lines = [
        `  window:     ${describeWindow(window, now)}`,
        `  suppressor: ${suppressor} ${held.state} since ${held.since.toISOString()}`,
    ];
    if (window.secondsLeft > 0 && held.state !== "ALARM") {
        lines.push("              not in ALARM yet: pages are NOT held back yet");
    }
    if (window.secondsLeft === 0 && held.state === "ALARM") {
        lines.push("              still ALARM: it returns to OK once the monitor stops the signal");
    }
    for (const alarm of alarms) {
        const state = states.get(alarm.name)!;
        lines.push(
            `  page:       ${alarm.name} (${alarm.about}) ${state.state} since ${state.since.toISOString()}`,
        );
    }
    return lines;
}

/** Each region's status; a region that cannot be read is reported, and the command fails. */
export async function maintenanceStatus(ctx: MaintenanceContext): Promise<number> {
    const now = ctx.clock.now();
    let failed = false;
    for (const role of CLUSTER_ROLES) {
        const region = ctx.outputs.regions[role];
        ctx.log(`${region} (${role} cell)`);
        try {
            (await regionStatus(ctx, role, now)).forEach((line) => ctx.log(line));
        } catch (error) {
            if (isMissingCredentials(error)) throw error;
            ctx.warn(`${region}: FAILED to read its status: ${describeError(error)}`);
            failed = true;
        }
    }
    return failed ? EXIT.failed : EXIT.ok;
}
