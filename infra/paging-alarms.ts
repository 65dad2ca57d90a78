import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_ROLES, type ClusterRole } from "../monitor-function/src/contract";
import { monitorPage, peerMonitorPage } from "./monitor-pages";
import { clusterDownPage, consistencyPage, peeringPage } from "./pair-pages";
import { pagingAlarmFactory } from "./paging-alarm-factory";
import type { PagingAlarmsArgs } from "./paging-alarms-args";

export { RUNBOOK_ANCHORS } from "./paging-alarm-factory";
export type { PagingAlarmsArgs } from "./paging-alarms-args";

/** The paging alarms of one region, by what they mean. */
export interface PagingAlarmNames {
    readonly clusterDown: Partial<Record<ClusterRole, pulumi.Output<string>>>;
    /** The two endpoints disagree about committed rows: should never fire. */
    readonly consistency?: pulumi.Output<string>;
    readonly peering: pulumi.Output<string>;
    readonly monitor: pulumi.Output<string>;
    /** The other region's monitor silent, seen from here (with the data plane only). */
    readonly peerMonitor?: pulumi.Output<string>;
}

/** Every paging alarm of a region, in a stable order. */
export function pagingAlarmList(names: PagingAlarmNames): pulumi.Output<string>[] {
    return [
        ...CLUSTER_ROLES.flatMap((role) => names.clusterDown[role] ?? []),
        ...(names.consistency ? [names.consistency] : []),
        names.peering,
        names.monitor,
        ...(names.peerMonitor ? [names.peerMonitor] : []),
    ];
}

/**
 * The verdict of one region, as CloudWatch alarms. Child metric alarms carry no actions;
 * what pages are composite alarms over them, each notifying ALARM and OK on the region's
 * topic and each silenced by the region's maintenance alarm (its actions suppressor).
 * The pages about the pair ("<cluster> down", "consistency check failed", "peering not as
 * declared") are in pair-pages.ts; those about the monitors in monitor-pages.ts.
 */
export class PagingAlarms extends pulumi.ComponentResource {
    public readonly names: PagingAlarmNames;
    /** The same alarms' ARNs (drills stop on them). */
    public readonly arns: PagingAlarmNames;
    public readonly suppressorName: pulumi.Output<string>;
    public readonly suppressorArn: pulumi.Output<string>;
    /** Every alarm of the region, children and composites, for the dashboard. */
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: PagingAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:monitoring:PagingAlarms", name, {}, opts);
        const alarms = pagingAlarmFactory(name, args, this);
        this.suppressorName = alarms.suppressor.name;
        this.suppressorArn = alarms.suppressor.arn;

        // Without the data plane nothing can see a cluster down, a disagreement or a peer's silence.
        const probed = args.dataPlaneProbe;
        const clusterDown = probed ? args.clusters.map((c) => clusterDownPage(alarms, c)) : [];
        const consistency = probed ? consistencyPage(alarms) : undefined;
        const peering = peeringPage(alarms);
        const monitor = monitorPage(alarms);
        const peerMonitor = probed ? peerMonitorPage(alarms) : undefined;

        const pick = (of: (alarm: aws.cloudwatch.CompositeAlarm) => pulumi.Output<string>) => ({
            clusterDown: Object.fromEntries(clusterDown.map((p) => [p.role, of(p.alarm)])),
            consistency: consistency && of(consistency.alarm),
            peering: of(peering.alarm),
            monitor: of(monitor.alarm),
            peerMonitor: peerMonitor && of(peerMonitor.alarm),
        });
        this.names = pick((a) => a.alarmName);
        this.arns = pick((a) => a.arn);
        const pages = [
            ...clusterDown,
            ...(consistency ? [consistency] : []),
            peering,
            monitor,
            ...(peerMonitor ? [peerMonitor] : []),
        ];
        this.alarmArns = pulumi.all([
            ...pages.map((p) => p.alarm.arn),
            alarms.suppressor.arn,
            ...pages.flatMap((p) => p.signals.map((a) => a.arn)),
        ]);
        this.registerOutputs({ names: this.names, suppressorName: this.suppressorName });
    }
}
