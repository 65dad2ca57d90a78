/**
 * When a composite alarm takes its actions under an actions suppressor: its WaitPeriod, the
 * suppressor's ALARM, and the ExtensionPeriod after it.
 *
 * What it follows, from the CloudWatch User Guide and API Reference: an actions suppressor,
 * which can be any alarm: a composite's change of state acts only after the WaitPeriod, even
 * when nothing suppresses it; a suppressor entering ALARM discards the wait; a change while it
 * is in ALARM takes no action; once it "goes out of the ALARM state", the ExtensionPeriod
 * runs, and a change of the composite during it starts a new WaitPeriod instead. "Composite
 * alarms take actions that are based on their currents states when ExtensionPeriod and
 * WaitPeriod become inactive" (sic), so a wait or an extension that ends acts on the state at
 * that moment, ALARM or OK, even one it acted on before
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 *
 * What it assumes, where AWS publishes nothing:
 * - A composite without a suppressor acts the moment it changes. One with a suppressor acts
 *   after an ExtensionPeriod only if a change of state of its own had its actions held back
 *   (a suppressor episode while it was settled takes no action). A wait or extension that
 *   ends at the instant of an evaluation acts before that evaluation.
 * - A composite that went back to OK while its suppressor was in ALARM takes no OK action
 *   when the ExtensionPeriod ends: AWS's examples show only a held-back ALARM acted on
 *   then, so the model does not count on the OK (the stricter reading; the maintenance
 *   close-out exists for it).
 */
import type { AlarmState, CompositeAlarmSpec, Transition } from "./cloudwatch-alarm-types";

/** Composite actions under their suppressors: waits, suppression and extensions. */
export class CompositeActions {
    /** When each composite's running WaitPeriod or ExtensionPeriod ends. */
    private readonly due = new Map<string, number>();
    /** Composites with a change of state whose actions have not been taken yet. */
    private readonly heldBack = new Set<string>();
    /** Composites whose latest change of state came while their suppressor was in ALARM. */
    private readonly changedWhileSuppressed = new Set<string>();

    constructor(
        private readonly composites: readonly CompositeAlarmSpec[],
        private readonly states: ReadonlyMap<string, AlarmState>,
        private readonly notifications: Transition[],
    ) {}

    /** A composite changed state: act after its wait, or not while its suppressor is in ALARM. */
    compositeChanged(composite: CompositeAlarmSpec, at: number): void {
        if (!composite.notifies) return;
        if (!composite.suppressor) return this.act(composite.name, at);
        this.heldBack.add(composite.name);
        if (this.states.get(composite.suppressor.alarm) === "ALARM") {
            this.due.delete(composite.name);
            this.changedWhileSuppressed.add(composite.name);
        } else {
            this.due.set(composite.name, at + composite.suppressor.waitPeriod * 1000);
            this.changedWhileSuppressed.delete(composite.name);
        }
    }

    /**
     * Any alarm changed state. A suppressor entering ALARM discards the waits and extensions
     * of its composites; one leaving ALARM starts the extension of those with actions held back.
     */
    alarmChanged(alarm: string, before: AlarmState, after: AlarmState, at: number): void {
        const entered = after === "ALARM";
        if (!entered && before !== "ALARM") return;
        for (const c of this.composites) {
            if (c.suppressor?.alarm !== alarm || !c.notifies) continue;
            if (entered) this.due.delete(c.name);
            else if (this.heldBack.has(c.name))
                this.due.set(c.name, at + c.suppressor.extensionPeriod * 1000);
        }
    }

    /** Takes every action whose wait or extension has ended by `now`, on the state then. */
    advance(now: number): void {
        const ended = [...this.due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
        for (const [name, at] of ended) {
            this.due.delete(name);
            this.heldBack.delete(name);
            const lostOk = this.states.get(name) === "OK" && this.changedWhileSuppressed.has(name);
            this.changedWhileSuppressed.delete(name);
            if (!lostOk) this.act(name, at);
        }
    }

    private act(name: string, at: number): void {
        this.notifications.push({ alarm: name, at, state: this.states.get(name)! });
    }
}
