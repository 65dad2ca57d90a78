/**
 * The maintenance window of both regions: the SSM parameter the monitor reads each round and
 * the MaintenanceWindow metric that holds the suppressor alarm in ALARM (contract.ts).
 */
import { PutMetricDataCommand, type PutMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import {
    GetParameterCommand,
    PutParameterCommand,
    type PutParameterCommandInput,
} from "@aws-sdk/client-ssm";
import {
    CLUSTER_ROLES,
    maintenanceSecondsLeft,
    METRIC_NAMESPACE,
    METRICS,
    NO_MAINTENANCE,
    OBSERVER_DIMENSION_NAMES,
    observerDimensions,
    pairId,
    type ClusterRole,
    type MaintenanceWindow,
} from "../../monitor-function/src/contract";
import type { AwsClients } from "./aws";
import type { StackOutputs } from "./outputs";

/** A window open from `since` for `seconds`. */
export function openWindow(
    since: Date,
    seconds: number,
    reason: string,
    by: string,
): MaintenanceWindow {
    return {
        until: new Date(since.getTime() + seconds * 1000).toISOString(),
        since: since.toISOString(),
        reason,
        by,
    };
}

export function parameterInput(
    outputs: StackOutputs,
    role: ClusterRole,
    window: MaintenanceWindow,
): PutParameterCommandInput {
    return {
        Name: outputs.maintenanceParameters[role],
        Value: JSON.stringify(window),
        Type: "String",
        Overwrite: true,
    };
}

/**
 * MaintenanceWindow=1 with exactly the dimensions the monitor emits, so the suppressor
 * reaches ALARM without waiting for the monitor's next round.
 */
export function signalInput(
    outputs: StackOutputs,
    role: ClusterRole,
    at: Date,
): PutMetricDataCommandInput {
    const { primary, secondary } = outputs.clusterIdentifiers;
    const dimensions = observerDimensions(pairId(primary, secondary), outputs.regions[role]);
    return {
        Namespace: METRIC_NAMESPACE,
        MetricData: [
            {
                MetricName: METRICS.maintenanceWindow.name,
                Unit: METRICS.maintenanceWindow.unit,
                Value: 1,
                Timestamp: at,
                Dimensions: OBSERVER_DIMENSION_NAMES.map((Name) => ({
                    Name,
                    Value: dimensions[Name],
                })),
            },
        ],
    };
}

/** Writes `window` in the region of `role`: the monitor honours it from its next round. */
export async function writeWindow(
    aws: AwsClients,
    outputs: StackOutputs,
    role: ClusterRole,
    window: MaintenanceWindow,
): Promise<void> {
    const { ssm } = aws.in(outputs.regions[role]);
    await ssm.send(new PutParameterCommand(parameterInput(outputs, role, window)));
}

/** Raises the signal in the region of `role` now, before the monitor's next round does. */
export async function sendSignal(
    aws: AwsClients,
    outputs: StackOutputs,
    role: ClusterRole,
    at: Date,
): Promise<void> {
    const { cloudwatch } = aws.in(outputs.regions[role]);
    await cloudwatch.send(new PutMetricDataCommand(signalInput(outputs, role, at)));
}

/** Writes `window` in both regions and raises the signal in each at once. */
export async function raiseWindow(
    aws: AwsClients,
    outputs: StackOutputs,
    window: MaintenanceWindow,
    at: Date,
): Promise<void> {
    for (const role of CLUSTER_ROLES) {
        await writeWindow(aws, outputs, role, window);
        await sendSignal(aws, outputs, role, at);
    }
}

/**
 * Writes NO_MAINTENANCE in the region of `role`. The signal is sparse: the monitor stops
 * emitting it, and the suppressor returns to OK.
 */
export async function lowerRegion(
    aws: AwsClients,
    outputs: StackOutputs,
    role: ClusterRole,
): Promise<void> {
    await aws
        .in(outputs.regions[role])
        .ssm.send(new PutParameterCommand(parameterInput(outputs, role, NO_MAINTENANCE)));
}

/** Writes NO_MAINTENANCE in both regions, trying the second even when the first fails. */
export async function lowerWindow(aws: AwsClients, outputs: StackOutputs): Promise<void> {
    const failures: string[] = [];
    for (const role of CLUSTER_ROLES) {
        try {
            await lowerRegion(aws, outputs, role);
        } catch (error) {
            failures.push(`${outputs.regions[role]}: ${(error as Error).message}`);
        }
    }
    if (failures.length > 0) {
        throw new Error(`could not close the maintenance window in ${failures.join("; ")}`);
    }
}

export interface RegionWindow {
    readonly role: ClusterRole;
    readonly region: string;
    readonly parameter: string;
    readonly window?: MaintenanceWindow;
    /** What the monitor honours now (0 when closed, malformed, expired or over the cap). */
    readonly secondsLeft: number;
}

export async function readWindow(
    aws: AwsClients,
    outputs: StackOutputs,
    role: ClusterRole,
    now: Date,
): Promise<RegionWindow> {
    const region = outputs.regions[role];
    const parameter = outputs.maintenanceParameters[role];
    const answer = await aws.in(region).ssm.send(new GetParameterCommand({ Name: parameter }));
    const text = answer.Parameter?.Value;
    let window: MaintenanceWindow | undefined;
    try {
        window = JSON.parse(text ?? "") as MaintenanceWindow;
    } catch {
        window = undefined;
    }
    return { role, region, parameter, window, secondsLeft: maintenanceSecondsLeft(text, now) };
}
