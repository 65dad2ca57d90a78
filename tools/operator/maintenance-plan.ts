/** What `./task maintenance … --dry-run` prints: each AWS call the action would make. */
import { CLUSTER_ROLES, NO_MAINTENANCE } from "../../monitor-function/src/contract";
import { describeAlarmsInput } from "./alarms";
import { CallPlan } from "./call-plan";
import { formatDuration } from "./duration";
import { pagingAlarms, type StackOutputs } from "./outputs";
import { parameterInput, signalInput } from "./window";

export type MaintenanceAction = "on" | "off" | "status";

export interface MaintenanceRequest {
    readonly action: MaintenanceAction;
    readonly seconds: number;
    readonly reason: string;
}

const pageNames = (outputs: StackOutputs, role: (typeof CLUSTER_ROLES)[number]) =>
    pagingAlarms(outputs)
        .filter((a) => a.observer === role)
        .map((a) => a.name);

export function maintenancePlan(
    stack: string,
    outputs: StackOutputs,
    { action, seconds, reason }: MaintenanceRequest,
): string[] {
    const plan = new CallPlan();
    plan.title(`Dry run: maintenance ${action} of stack ${stack}. No AWS call is made.`);
    plan.section("Calls, in order (every region is tried even when another fails):");
    plan.identity(outputs);
    for (const role of CLUSTER_ROLES) {
        const region = outputs.regions[role];
        if (action === "on") {
            const window = {
                until: `<now + ${formatDuration(seconds)}>`,
                since: "<now>",
                reason,
                by: "<caller ARN>",
            };
            plan.call("ssm:PutParameter", region, parameterInput(outputs, role, window));
            plan.call("cloudwatch:PutMetricData", region, signalInput(outputs, role, new Date(0)));
        } else if (action === "off") {
            plan.call("ssm:PutParameter", region, parameterInput(outputs, role, NO_MAINTENANCE));
        } else {
            plan.call("ssm:GetParameter", region, { Name: outputs.maintenanceParameters[role] });
            plan.call(
                "cloudwatch:DescribeAlarms",
                region,
                describeAlarmsInput([outputs.suppressorAlarms[role], ...pageNames(outputs, role)]),
            );
        }
    }
    if (action === "off") {
        for (const role of CLUSTER_ROLES) {
            plan.call(
                "cloudwatch:DescribeAlarms",
                outputs.regions[role],
                describeAlarmsInput(pageNames(outputs, role)),
                "in each region closed: warns about pages still in ALARM",
            );
        }
    }
    return plan.lines;
}
