/**
 * Checks both operator commands run before changing anything (the caller is already known
 * and checked against the stack's account, aws.ts): every page quiet, no maintenance window
 * open, who would be paged. Each failed check is a problem to report (all of them, not just
 * the first); missing credentials stop at once.
 */
import { CLUSTER_ROLES, type ClusterRole } from "../../monitor-function/src/contract";
import { AlarmWatcher } from "./alarms";
import { describeError, isMissingCredentials } from "./aws-errors";
import type { AwsClients } from "./aws";
import { formatDuration } from "./duration";
import { pagingAlarms, type StackOutputs } from "./outputs";
import type { Timeline } from "./timeline";
import { listSubscriptions, subscriptionWarnings, type Subscription } from "./topic";
import { readWindow } from "./window";

interface PreflightContext {
    readonly stack: string;
    readonly outputs: StackOutputs;
    readonly aws: AwsClients;
    readonly caller: string;
    readonly now: () => Date;
}

export interface Preflight {
    readonly caller: string;
    readonly problems: string[];
    readonly warnings: string[];
    readonly subscriptions: Partial<Record<ClusterRole, Subscription[]>>;
}

/** A watcher of every paging alarm and both suppressors, region by region. */
export function watchStack(
    aws: AwsClients,
    outputs: StackOutputs,
    timeline: Timeline,
): AlarmWatcher {
    const alarms = pagingAlarms(outputs);
    return new AlarmWatcher(
        CLUSTER_ROLES.map((role) => {
            const region = outputs.regions[role];
            return {
                region,
                client: aws.in(region).cloudwatch,
                names: [
                    ...alarms.filter((a) => a.observer === role).map((a) => a.name),
                    outputs.suppressorAlarms[role],
                ],
            };
        }),
        timeline,
    );
}

/** Runs `check`; its failure becomes a problem, except missing credentials, which stop all. */
export async function attempt(
    problems: string[],
    what: string,
    check: () => Promise<void>,
): Promise<void> {
    try {
        await check();
    } catch (error) {
        if (isMissingCredentials(error)) throw error;
        problems.push(`${what}: ${describeError(error)}`);
    }
}

/**
 * The common checks, with `specific` (the drill's FIS checks) run before the alarms are
 * read, in the order the dry run prints.
 */
export async function preflight(
    ctx: PreflightContext,
    watcher: AlarmWatcher,
    specific: (problems: string[]) => Promise<void> = async () => undefined,
): Promise<Preflight> {
    const { outputs, aws, stack, caller } = ctx;
    const problems: string[] = [];
    const warnings: string[] = [];
    await specific(problems);
    await attempt(problems, "reading the alarms", async () => {
        const states = await watcher.poll();
        for (const alarm of pagingAlarms(outputs)) {
            const { state, since } = states.get(alarm.name)!;
            if (state !== "OK") {
                problems.push(
                    `${alarm.name} (${alarm.about}, ${alarm.region}) is ${state} since ${since.toISOString()}: every page must be quiet first`,
                );
            }
        }
        for (const role of CLUSTER_ROLES) {
            const name = outputs.suppressorAlarms[role];
            if (states.get(name)!.state !== "OK") {
                problems.push(
                    `suppressor ${name} (${outputs.regions[role]}) is ${states.get(name)!.state}: a maintenance window is open or just closed; see ./task maintenance ${stack} status`,
                );
            }
        }
    });
    for (const role of CLUSTER_ROLES) {
        const parameter = outputs.maintenanceParameters[role];
        await attempt(problems, `reading ${parameter} in ${outputs.regions[role]}`, async () => {
            const open = await readWindow(aws, outputs, role, ctx.now());
            if (open.secondsLeft > 0) {
                problems.push(
                    `a maintenance window is open in ${open.region} for ${formatDuration(open.secondsLeft)} more ` +
                        `("${open.window?.reason ?? ""}" by ${open.window?.by ?? "unknown"}): ` +
                        `close it with ./task maintenance ${stack} off, or wait`,
                );
            }
        });
    }
    const subscriptions: Preflight["subscriptions"] = {};
    for (const role of CLUSTER_ROLES) {
        const topic = outputs.alertTopicArns[role];
        await attempt(problems, `listing the subscriptions of ${topic}`, async () => {
            const found = await listSubscriptions(aws.in(outputs.regions[role]).sns, topic);
            subscriptions[role] = found;
            warnings.push(...subscriptionWarnings(topic, found));
        });
    }
    return { caller, problems, warnings, subscriptions };
}
