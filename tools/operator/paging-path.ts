/**
 * Paging path check: proves, region by region, that a page reaches the alert topic's
 * subscribers, without a fault. It forces the cell's monitor paging alarm into ALARM, holds
 * it past the composite's suppressor WaitPeriod (actions wait for it even when nothing
 * suppresses them), sets it back to OK and reads the topic's AWS/SNS delivery metrics.
 */
import {
    CloudWatchClient,
    SetAlarmStateCommand,
    type SetAlarmStateCommandInput,
    type StateValue,
} from "@aws-sdk/client-cloudwatch";
import { CLUSTER_ROLES, type ClusterRole } from "../../monitor-function/src/contract";
import { describeError } from "./aws-errors";
import { formatDuration } from "./duration";
import type { PagingPathReport, PathOutcome } from "./report";
import { Session, type Refused, type SessionContext } from "./session";
import { deliveriesInput, readDeliveries, type Deliveries, type Subscription } from "./topic";

export interface PagingPathOptions {
    readonly pollSeconds: number;
    /** How long to wait for the forced alarm to read OK again. */
    readonly recoveryTimeoutSeconds: number;
    /** How long to wait for the topic's delivery metrics to show the page. */
    readonly deliveryTimeoutSeconds: number;
}

/** Held this long past the WaitPeriod, so the deferred ALARM action has been taken. */
export const HOLD_MARGIN_SECONDS = 15;
/** AWS/SNS metrics are per minute and arrive minutes late: no need to ask every few seconds. */
export const DELIVERY_POLL_SECONDS = 30;

/**
 * SetAlarmState changes the state "for testing purposes" and invokes the actions of the new
 * state; a composite does not return to its actual state by itself (only when a child
 * changes), hence the explicit OK afterwards.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
 */
export function forceInput(
    alarm: string,
    state: StateValue,
    reason: string,
): SetAlarmStateCommandInput {
    return { AlarmName: alarm, StateValue: state, StateReason: reason.slice(0, 1023) };
}

export function runPagingPath(
    ctx: SessionContext,
    options: PagingPathOptions,
): Promise<Refused | { report: PagingPathReport }> {
    return new PagingPathRun(ctx, options).execute();
}

/** The start of the minute before `at`: metric periods are aligned to minutes. */
const minuteBefore = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000 - 60_000);

class PagingPathRun extends Session {
    private caller = "";
    private subscriptions: Partial<Record<ClusterRole, Subscription[]>> = {};

    constructor(
        ctx: SessionContext,
        private readonly options: PagingPathOptions,
    ) {
        super(ctx, options.pollSeconds);
    }

    async execute(): Promise<Refused | { report: PagingPathReport }> {
        const checked = await this.check();
        if (checked.problems.length > 0) {
            return { refused: checked.problems, warnings: checked.warnings };
        }
        this.caller = checked.caller;
        this.subscriptions = checked.subscriptions;
        checked.warnings.forEach((w) => this.ctx.log(`warning: ${w}`));
        this.note("preflight", "passed: every page OK, no window open");
        const regions = await this.interruptible(
            () => "Ctrl-C: setting the forced alarm back to OK, then stopping",
            async () => {
                const done: PathOutcome[] = [];
                for (const role of CLUSTER_ROLES) {
                    if (this.interrupts > 0) break;
                    done.push(await this.checkRegion(role));
                }
                return done;
            },
        );
        const reasons = [
            ...(this.interrupts > 0 ? ["interrupted by the operator (Ctrl-C)"] : []),
            ...regions.flatMap((r) => r.reasons.map((reason) => `${r.region}: ${reason}`)),
        ];
        return {
            report: {
                kind: "paging-path",
                stack: this.ctx.stack,
                result: reasons.length === 0 ? "pass" : "fail",
                reasons,
                warnings: checked.warnings,
                ranBy: this.caller,
                toolVersion: this.ctx.toolVersion,
                startedAt: this.startedAt.toISOString(),
                finishedAt: this.now().toISOString(),
                regions,
                timeline: this.timeline.sorted(),
            },
        };
    }

    private async checkRegion(role: ClusterRole): Promise<PathOutcome> {
        const { outputs, aws } = this.ctx;
        const region = outputs.regions[role];
        const alarm = outputs.pagingAlarms[role].monitor;
        const topicArn = outputs.alertTopicArns[role];
        const { cloudwatch } = aws.in(region);
        const subscriptions = this.subscriptions[role] ?? [];
        const checked = { role, region, alarm, topicArn, subscriptions };
        const reasons: string[] = [];
        if (!subscriptions.some((s) => s.confirmed)) {
            reasons.push(`${topicArn} has no confirmed subscription: the page reached nobody`);
        }
        try {
            const forcedAt = this.now();
            await this.page(cloudwatch, region, alarm, topicArn, reasons);
            const ok = await this.pollUntil(
                this.after(this.options.recoveryTimeoutSeconds),
                Infinity,
                async () => (await this.watcher.poll()).get(alarm)!.state === "OK" || undefined,
            );
            if (!ok) {
                const timeout = formatDuration(this.options.recoveryTimeoutSeconds);
                reasons.push(`${alarm} did not read OK within ${timeout}`);
            }
            const deliveries = await this.deliveries(cloudwatch, topicArn, forcedAt, region);
            if (deliveries.delivered === 0) {
                const timeout = formatDuration(this.options.deliveryTimeoutSeconds);
                reasons.push(
                    `AWS/SNS shows no notification delivered by ${topicArn} within ${timeout}`,
                );
            }
            if (deliveries.failed > 0) {
                reasons.push(
                    `${deliveries.failed} notification(s) from ${topicArn} failed to deliver`,
                );
            }
            return {
                ...checked,
                forcedAt: forcedAt.toISOString(),
                returnedOkAt: ok ? this.watcher.state(alarm)!.since.toISOString() : undefined,
                deliveries,
                result: reasons.length === 0 ? "pass" : "fail",
                reasons,
            };
        } catch (error) {
            reasons.push(describeError(error));
            return { ...checked, result: "fail", reasons };
        }
    }

    /**
     * Forces `alarm` into ALARM, holds it past its WaitPeriod (or until Ctrl-C) and sets it
     * back to OK, whatever happened while holding.
     */
    private async page(
        cloudwatch: CloudWatchClient,
        region: string,
        alarm: string,
        topicArn: string,
        reasons: string[],
    ): Promise<void> {
        const wait = this.watcher.state(alarm)?.waitPeriodSeconds ?? 0;
        const why = `Paging path check by ${this.caller}: forced to prove delivery; the tool sets it back to OK`;
        this.ctx.log(`${region}: forcing ${alarm} into ALARM: a real page to ${topicArn}`);
        await cloudwatch.send(new SetAlarmStateCommand(forceInput(alarm, "ALARM", why)));
        this.note(alarm, "forced to ALARM (SetAlarmState)", region);
        try {
            const left = await this.pollUntil(
                this.after(wait + HOLD_MARGIN_SECONDS),
                1,
                async () => {
                    const state = (await this.watcher.poll()).get(alarm)!;
                    return state.state === "ALARM" ? undefined : state;
                },
            );
            if (left !== undefined) {
                reasons.push(
                    `${alarm} went ${left.state} before its ${wait} s wait period ended: the page may have been discarded`,
                );
            }
        } finally {
            try {
                await cloudwatch.send(
                    new SetAlarmStateCommand(forceInput(alarm, "OK", `${why}: done`)),
                );
                this.note(alarm, "set back to OK (SetAlarmState)", region);
            } catch (error) {
                reasons.push(
                    `could not set ${alarm} back to OK (${describeError(error)}); do it by hand: ` +
                        `aws cloudwatch set-alarm-state --region ${region} --alarm-name ${alarm} --state-value OK --state-reason "paging path check"`,
                );
            }
        }
    }

    /** Polls the topic's metrics until a delivery (or a failed one) shows, or time is up. */
    private async deliveries(
        cloudwatch: CloudWatchClient,
        topicArn: string,
        since: Date,
        region: string,
    ): Promise<Deliveries> {
        let last: Deliveries = { published: 0, delivered: 0, failed: 0 };
        await this.pollUntil(
            this.after(this.options.deliveryTimeoutSeconds),
            1,
            async () => {
                const input = deliveriesInput(topicArn, minuteBefore(since), this.after(60));
                last = await readDeliveries(cloudwatch, input);
                return last.delivered + last.failed > 0 || undefined;
            },
            DELIVERY_POLL_SECONDS,
        );
        this.note(
            topicArn,
            `AWS/SNS since ${minuteBefore(since).toISOString()}: published ${last.published}, delivered ${last.delivered}, failed ${last.failed}`,
            region,
        );
        return last;
    }
}
