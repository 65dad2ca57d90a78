/**
 * What a command would do, call by call, with the resource names of the stack's outputs.
 * The inputs come from the same builders the real run uses; values known only at run time
 * (times, the caller, the experiment id) are shown as <placeholders>.
 */
import { CLUSTER_ROLES, NO_MAINTENANCE } from "../../monitor-function/src/contract";
import { describeAlarmsInput } from "./alarms";
import { formatDuration } from "./duration";
import { CONNECTION_FAILURE, startInput } from "./experiment";
import { CallPlan } from "./call-plan";
import { pagingAlarms, type DrillTarget, type StackOutputs } from "./outputs";
import {
    DELIVERY_POLL_SECONDS,
    forceInput,
    HOLD_MARGIN_SECONDS,
    type PagingPathOptions,
} from "./paging-path";
import { windowSeconds, type DrillOptions } from "./drill-options";
import { COMPLETION_GRACE_SECONDS, STOP_TIMEOUT_SECONDS } from "./experiment-run";
import { deliveriesInput } from "./topic";
import { parameterInput, signalInput } from "./window";

function alarmNames(outputs: StackOutputs, role: (typeof CLUSTER_ROLES)[number]): string[] {
    return [
        ...pagingAlarms(outputs)
            .filter((a) => a.observer === role)
            .map((a) => a.name),
        outputs.suppressorAlarms[role],
    ];
}

function preflightCalls(plan: CallPlan, outputs: StackOutputs, fis?: () => void): void {
    const { regions } = outputs;
    plan.section("Preflight (any problem refuses the run; nothing is changed before it passes):");
    plan.identity(outputs);
    fis?.();
    for (const role of CLUSTER_ROLES) {
        plan.call(
            "cloudwatch:DescribeAlarms",
            regions[role],
            describeAlarmsInput(alarmNames(outputs, role)),
            "every paging alarm and the suppressor must be OK",
        );
    }
    for (const role of CLUSTER_ROLES) {
        plan.call(
            "ssm:GetParameter",
            regions[role],
            { Name: outputs.maintenanceParameters[role] },
            "no maintenance window may be open",
        );
    }
    for (const role of CLUSTER_ROLES) {
        plan.call(
            "sns:ListSubscriptionsByTopic",
            regions[role],
            { TopicArn: outputs.alertTopicArns[role] },
            "warns about PendingConfirmation",
        );
    }
}

function watchCalls(outputs: StackOutputs): string {
    return CLUSTER_ROLES.map((r) => `cloudwatch:DescribeAlarms [${outputs.regions[r]}]`).join(
        " and ",
    );
}

/** The drill's own preflight: the template must hold the fault asked for, nothing running. */
function faultTemplateCalls(
    plan: CallPlan,
    outputs: StackOutputs,
    options: DrillOptions,
    { templates }: DrillTarget,
): void {
    const { cluster } = options;
    const must = [
        `one ${CONNECTION_FAILURE} action into ${outputs.clusterArns[cluster]}`,
        ...(options.durationSeconds === undefined
            ? []
            : [`for ${formatDuration(options.durationSeconds)}`]),
        ...(options.percentage === undefined ? [] : [`into ${options.percentage} % of calls`]),
    ];
    plan.call(
        "fis:GetExperimentTemplate",
        outputs.regions[cluster],
        { id: templates[cluster] },
        `must hold ${must.join(", ")}`,
    );
    for (const role of CLUSTER_ROLES) {
        plan.call(
            "fis:ListExperiments",
            outputs.regions[role],
            {},
            `no unfinished experiment of ${templates[role]}`,
        );
    }
}

/** Announcing the drill: real pages, or a maintenance window both suppressors must honour. */
function announceCalls(plan: CallPlan, outputs: StackOutputs, options: DrillOptions): void {
    plan.section("Announce:");
    if (options.notify === "page") {
        const topics = CLUSTER_ROLES.map((r) => outputs.alertTopicArns[r]).join(" and ");
        plan.loop(`--notify page: no call; the drill's pages go out as real pages to ${topics}`);
        return;
    }
    const length =
        options.durationSeconds === undefined
            ? `${formatDuration(windowSeconds(options, 0))} + the template's duration`
            : formatDuration(windowSeconds(options, options.durationSeconds));
    const window = {
        until: `<start + ${length}>`,
        since: "<start>",
        reason: `DR drill: ${CONNECTION_FAILURE} into the ${options.cluster} cluster`,
        by: "<caller ARN>",
    };
    for (const role of CLUSTER_ROLES) {
        const at = outputs.regions[role];
        plan.call("ssm:PutParameter", at, parameterInput(outputs, role, window));
        plan.call("cloudwatch:PutMetricData", at, signalInput(outputs, role, new Date(0)));
    }
    plan.loop(
        `every ${formatDuration(options.pollSeconds)} for up to ${formatDuration(options.suppressTimeoutSeconds)}: ${watchCalls(outputs)}, until both suppressors are ALARM`,
    );
}

/** Stopping the experiment if it has not ended, waiting for recovery, closing the window. */
function stopAndRecoverCalls(plan: CallPlan, outputs: StackOutputs, options: DrillOptions): void {
    const region = outputs.regions[options.cluster];
    const every = formatDuration(options.pollSeconds);
    const grace = formatDuration(COMPLETION_GRACE_SECONDS);
    plan.section("Stop and recover (also after an error or Ctrl-C):");
    plan.call("fis:GetExperiment", region, { id: "<experiment id>" });
    plan.call(
        "fis:StopExperiment",
        region,
        { id: "<experiment id>" },
        `only if unfinished: on Ctrl-C, a failed check (an error, an unexpected page), or ${grace} past its expected end`,
    );
    plan.loop(
        `then fis:GetExperiment every ${every} for up to ${formatDuration(STOP_TIMEOUT_SECONDS)}, until it is stopped`,
    );
    plan.loop(
        `every ${every} for up to ${formatDuration(options.recoveryTimeoutSeconds)}: ${watchCalls(outputs)}, until every paging alarm is OK`,
    );
    if (options.notify === "suppress") {
        for (const role of CLUSTER_ROLES) {
            plan.call(
                "ssm:PutParameter",
                outputs.regions[role],
                parameterInput(outputs, role, NO_MAINTENANCE),
            );
        }
    }
}

export function drillPlan(
    stack: string,
    outputs: StackOutputs,
    options: DrillOptions,
    target: DrillTarget,
    out: string,
): string[] {
    const { cluster, pollSeconds } = options;
    const region = outputs.regions[cluster];
    const duration =
        options.durationSeconds === undefined
            ? "the template's duration"
            : formatDuration(options.durationSeconds);
    const every = formatDuration(pollSeconds);
    const plan = new CallPlan();
    plan.title(
        `Dry run: fault drill of stack ${stack}, ${CONNECTION_FAILURE} into the ${cluster} cluster ${outputs.clusterIdentifiers[cluster]} (${region}). No AWS call is made.`,
    );
    preflightCalls(plan, outputs, () => faultTemplateCalls(plan, outputs, options, target));
    announceCalls(plan, outputs, options);
    plan.section("Inject:");
    plan.call(
        "fis:StartExperiment",
        region,
        startInput(target.templates[cluster], `drill-${cluster}-<start in ms>`),
    );
    plan.section(
        `Watch, every ${every}, until FIS completes the experiment (${duration} after the action starts, up to ${formatDuration(COMPLETION_GRACE_SECONDS)} later):`,
    );
    plan.loop(`${watchCalls(outputs)}, fis:GetExperiment [${region}] {"id":"<experiment id>"}`);
    stopAndRecoverCalls(plan, outputs, options);
    plan.section("Report:");
    plan.loop(`${out}/${stack.replaceAll("/", "_")}-${cluster}-<UTC start>.json and .md`);
    return plan.lines;
}

export function pagingPathPlan(
    stack: string,
    outputs: StackOutputs,
    options: PagingPathOptions,
    out: string,
): string[] {
    const plan = new CallPlan();
    const every = formatDuration(options.pollSeconds);
    plan.title(
        `Dry run: paging path check of stack ${stack}, region by region. No AWS call is made.`,
    );
    preflightCalls(plan, outputs);
    for (const role of CLUSTER_ROLES) {
        const region = outputs.regions[role];
        const alarm = outputs.pagingAlarms[role].monitor;
        const topic = outputs.alertTopicArns[role];
        const why = `Paging path check by <caller ARN>: forced to prove delivery; the tool sets it back to OK`;
        plan.section(`${region} (${role} cell):`);
        plan.call(
            "cloudwatch:SetAlarmState",
            region,
            forceInput(alarm, "ALARM", why),
            `a real page to the subscribers of ${topic}`,
        );
        plan.loop(
            `every ${every} for the alarm's suppressor wait period + ${HOLD_MARGIN_SECONDS}s: cloudwatch:DescribeAlarms [${region}] (both regions' alarms are read), the alarm must stay ALARM`,
        );
        plan.call("cloudwatch:SetAlarmState", region, forceInput(alarm, "OK", `${why}: done`));
        plan.loop(
            `every ${every} for up to ${formatDuration(options.recoveryTimeoutSeconds)}: cloudwatch:DescribeAlarms, until the alarm reads OK`,
        );
        plan.call(
            "cloudwatch:GetMetricData",
            region,
            deliveriesInput(topic, new Date(0), new Date(0)),
            `every ${DELIVERY_POLL_SECONDS}s for up to ${formatDuration(options.deliveryTimeoutSeconds)}, until a delivery or a failure shows`,
        );
    }
    plan.section("Report:");
    plan.loop(`${out}/${stack.replaceAll("/", "_")}-paging-path-<UTC start>.json and .md`);
    return plan.lines;
}
