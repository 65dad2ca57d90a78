/**
 * Alarm states as DescribeAlarms reports them, and a watcher that records every change.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
import {
    CloudWatchClient,
    DescribeAlarmsCommand,
    type DescribeAlarmsCommandInput,
} from "@aws-sdk/client-cloudwatch";
import type { Timeline } from "./timeline";

export interface AlarmState {
    readonly name: string;
    readonly region: string;
    /** OK | ALARM | INSUFFICIENT_DATA */
    readonly state: string;
    /** When the state value last changed. */
    readonly since: Date;
    /** Composite alarms only: why actions are held back (WaitPeriod | ExtensionPeriod | Alarm). */
    readonly actionsSuppressedBy?: string;
    readonly waitPeriodSeconds?: number;
    readonly extensionPeriodSeconds?: number;
}

/**
 * Paging alarms are composites and suppressors are metric alarms: DescribeAlarms returns
 * only metric alarms unless AlarmTypes names composites too.
 */
export function describeAlarmsInput(names: readonly string[]): DescribeAlarmsCommandInput {
    return { AlarmNames: [...names], AlarmTypes: ["CompositeAlarm", "MetricAlarm"] };
}

/**
 * `since` is StateTransitionedTimestamp, the last change of StateValue. StateUpdatedTimestamp
 * is only the fallback: on a composite it also moves when the state reason changes (another
 * child changing) while the state stays ALARM, which would make detection look later.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_CompositeAlarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html
 */
function since(alarm: { StateTransitionedTimestamp?: Date; StateUpdatedTimestamp?: Date }): Date {
    return alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp ?? new Date(0);
}

/** The current state of every alarm in `names` in one region; an unknown name is an error. */
export async function readAlarms(
    client: CloudWatchClient,
    region: string,
    names: readonly string[],
): Promise<Map<string, AlarmState>> {
    const found = new Map<string, AlarmState>();
    let NextToken: string | undefined;
    do {
        const page = await client.send(
            new DescribeAlarmsCommand({ ...describeAlarmsInput(names), NextToken }),
        );
        for (const alarm of page.CompositeAlarms ?? []) {
            found.set(alarm.AlarmName!, {
                name: alarm.AlarmName!,
                region,
                state: alarm.StateValue ?? "UNKNOWN",
                since: since(alarm),
                actionsSuppressedBy: alarm.ActionsSuppressedBy,
                waitPeriodSeconds: alarm.ActionsSuppressorWaitPeriod,
                extensionPeriodSeconds: alarm.ActionsSuppressorExtensionPeriod,
            });
        }
        for (const alarm of page.MetricAlarms ?? []) {
            found.set(alarm.AlarmName!, {
                name: alarm.AlarmName!,
                region,
                state: alarm.StateValue ?? "UNKNOWN",
                since: since(alarm),
            });
        }
        NextToken = page.NextToken;
    } while (NextToken);
    const missing = names.filter((name) => !found.has(name));
    if (missing.length > 0) {
        throw new Error(
            `CloudWatch in ${region} has no alarm named ${missing.join(", ")}: is the stack deployed and are the outputs current?`,
        );
    }
    return found;
}

interface WatchedRegion {
    readonly region: string;
    readonly client: CloudWatchClient;
    readonly names: readonly string[];
}

export interface Transition {
    readonly state: string;
    readonly at: Date;
}

/**
 * Polls alarms in several regions and records each state change (from one poll to the
 * next) in the timeline and in a per-alarm history. A change and its reversal between two
 * polls are not seen; polls are seconds apart and alarms evaluate per minute.
 */
export class AlarmWatcher {
    private readonly current = new Map<string, AlarmState>();
    private readonly changes = new Map<string, Transition[]>();

    constructor(
        private readonly regions: readonly WatchedRegion[],
        private readonly timeline: Timeline,
    ) {}

    async poll(): Promise<ReadonlyMap<string, AlarmState>> {
        const reads = await Promise.all(
            this.regions.map((r) => readAlarms(r.client, r.region, r.names)),
        );
        for (const alarm of reads.flatMap((read) => [...read.values()])) {
            const previous = this.current.get(alarm.name);
            this.current.set(alarm.name, alarm);
            if (previous === undefined || previous.state === alarm.state) continue;
            this.changes.set(alarm.name, [
                ...this.history(alarm.name),
                { state: alarm.state, at: alarm.since },
            ]);
            const suppressed = alarm.actionsSuppressedBy
                ? ` (actions suppressed by ${alarm.actionsSuppressedBy})`
                : "";
            this.timeline.add(
                alarm.since,
                alarm.name,
                `${previous.state} → ${alarm.state}${suppressed}`,
                alarm.region,
            );
        }
        return this.current;
    }

    /** Last state read of `name` (after at least one poll). */
    state(name: string): AlarmState | undefined {
        return this.current.get(name);
    }

    /** Changes of `name` seen since the first poll, oldest first. */
    history(name: string): readonly Transition[] {
        return this.changes.get(name) ?? [];
    }
}
