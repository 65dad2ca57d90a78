/**
 * The parts of a declared stack the verdict simulation plays against, read from the program's
 * own declaration under mocks: the monitors' settings and environment, the paging alarms,
 * the maintenance close-outs, and (for the feature rows) the backup pages and AWS Health rules.
 */
import { CLUSTER_ROLES, type ClusterRole } from "../../monitor-function/src/contract";
import { readSettings, type MonitorSettings } from "../../monitor-function/src/environment";
import { schedulePeriodSeconds } from "../../infra/schedule";
import type { CompositeAlarmSpec, MetricAlarmSpec } from "./cloudwatch-model";
import { declaredCloseouts, type CloseoutSpec } from "./closeout-model";
import {
    declaredBackups,
    declaredHealthRules,
    type BackupModel,
    type HealthModel,
} from "./feature-simulation";
import type { DeclaredStack } from "../pulumi-host/mock-program";
import type { Page } from "./verdict-scenarios";

/** The parts of a declared stack the simulation plays against. */
export interface StackModel {
    readonly stack: string;
    readonly schedulePeriodSeconds: number;
    readonly observers: readonly {
        readonly role: ClusterRole;
        readonly region: string;
        readonly settings: MonitorSettings;
        /** The environment the program gives this monitor. */
        readonly environment: Readonly<Record<string, string>>;
    }[];
    readonly metricAlarms: readonly MetricAlarmSpec[];
    readonly composites: readonly CompositeAlarmSpec[];
    /** Which page each paging composite is. */
    readonly pages: ReadonlyMap<string, Page>;
    /** The maintenance close-outs it declares. */
    readonly closeouts: readonly CloseoutSpec[];
    readonly witnessRegion: string;
    /** The backup pages and schedule; undefined when the stack does not back up. */
    readonly backup?: BackupModel;
    readonly health: HealthModel;
}

type Resource = DeclaredStack["resources"][number];

type PagingOutputs = Record<
    ClusterRole,
    {
        clusterDown: Partial<Record<ClusterRole, string>>;
        consistency?: string;
        peering: string;
        monitor: string;
        peerMonitor?: string;
    }
>;

/**
 * The metric an alarm watches: its own, or for a metric math alarm adding series
 * (`m1 + m2 + …`, as the backup pages declare) those series.
 */
function metricOf(
    r: DeclaredStack["resources"][number],
): Pick<MetricAlarmSpec, "metricName" | "dimensions" | "statistic" | "period" | "sumOf"> {
    const queries = r.inputs.metricQueries as
        { id: string; expression?: string; returnData?: boolean; metric?: any }[] | undefined;
    if (!queries?.length) {
        const { metricName, dimensions, statistic, period } = r.inputs;
        return { metricName, dimensions, statistic, period };
    }
    const result = queries.find((q) => q.returnData && q.expression);
    const ids = result?.expression?.split("+").map((id) => id.trim()) ?? [];
    const series = ids.map((id) => queries.find((q) => q.id === id && q.metric)?.metric);
    if (!result || series.some((m) => !m) || new Set(series.map((m) => m.stat)).size !== 1)
        throw new Error(`${r.inputs.name}: only a sum of metrics of one statistic is modelled`);
    return {
        metricName: result.id,
        dimensions: {},
        statistic: series[0].stat,
        period: series[0].period,
        sumOf: series.map((m) => ({ metricName: m.metricName, dimensions: m.dimensions })),
    };
}

/** Reads the alarms, the monitors' settings and the paging outputs of a declared stack. */
export function stackModel(stack: string, declared: DeclaredStack): StackModel {
    const of = (type: string) => declared.resources.filter((r) => r.type === type);
    // The monitors' alarms: the backup pages, the failover signal and the drill guard are
    // other components, played by the feature rows or not paging at all.
    const paging = (r: Resource) => r.parent?.type === "aurora-dsql-dr:monitoring:PagingAlarms";
    const metricAlarms = of("aws:cloudwatch/metricAlarm:MetricAlarm").filter(paging).map(alarmSpec);
    const composites = of("aws:cloudwatch/compositeAlarm:CompositeAlarm")
        .filter(paging)
        .map(compositeSpec);
    const monitors = of("aws:lambda/function:Function").filter(
        (f) => f.inputs.handler === "index.handler",
    );
    const regions = declared.outputs.regions as Record<ClusterRole, string>;
    const observers = CLUSTER_ROLES.map((role) => {
        const region = regions[role];
        const fn = monitors.find((f) => f.region === region)!;
        const environment = fn.inputs.environment.variables as Record<string, string>;
        return { role, region, settings: readSettings(environment), environment };
    });
    const rule = of("aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.scheduleExpression)!;
    const period = schedulePeriodSeconds(rule.inputs.scheduleExpression);
    if (typeof period === "string") throw new Error(period);
    const topics = declared.outputs.alertTopicArns as Record<ClusterRole, string>;
    return {
        stack,
        schedulePeriodSeconds: period,
        observers,
        metricAlarms,
        composites,
        pages: pagesOf(declared.outputs.pagingAlarms as PagingOutputs),
        closeouts: declaredCloseouts(declared),
        witnessRegion: declared.outputs.witnessRegion as string,
        backup: declaredBackups(declared, alarmSpec, compositeSpec),
        health: declaredHealthRules(declared, (arn) =>
            CLUSTER_ROLES.find((role) => topics[role] === arn),
        ),
    };
}

/** A declared metric alarm as the CloudWatch model evaluates it. */
function alarmSpec(r: Resource): MetricAlarmSpec {
    return {
        ...metricOf(r),
        name: r.inputs.name,
        region: r.region!,
        evaluationPeriods: r.inputs.evaluationPeriods,
        datapointsToAlarm: r.inputs.datapointsToAlarm ?? r.inputs.evaluationPeriods,
        threshold: r.inputs.threshold,
        comparisonOperator: r.inputs.comparisonOperator,
        treatMissingData: r.inputs.treatMissingData ?? "missing",
        warmUp: r.inputs.warmUpConfiguration && {
            minutes: r.inputs.warmUpConfiguration.warmUpPeriodDurationInMinutes,
            onlyAfterEnd:
                r.inputs.warmUpConfiguration.onlyStartEvaluatingAfterWarmUpPeriodEnds ?? false,
        },
    };
}

/** A declared composite alarm as the CloudWatch model evaluates it. */
function compositeSpec(r: Resource): CompositeAlarmSpec {
    return {
        name: r.inputs.alarmName,
        region: r.region!,
        rule: r.inputs.alarmRule,
        notifies: (r.inputs.alarmActions ?? []).length > 0,
        suppressor: r.inputs.actionsSuppressor,
    };
}

/** Which page each paging composite is, from the stack's pagingAlarms output. */
function pagesOf(outputs: PagingOutputs): Map<string, Page> {
    const pages = new Map<string, Page>();
    for (const from of CLUSTER_ROLES) {
        const o = outputs[from];
        for (const cluster of CLUSTER_ROLES) {
            const name = o.clusterDown[cluster];
            if (name) pages.set(name, { kind: "clusterDown", cluster, from });
        }
        if (o.consistency) pages.set(o.consistency, { kind: "consistency", from });
        pages.set(o.peering, { kind: "peering", from });
        pages.set(o.monitor, { kind: "monitor", from });
        const other = CLUSTER_ROLES.find((r) => r !== from)!;
        if (o.peerMonitor) pages.set(o.peerMonitor, { kind: "peerMonitor", cluster: other, from });
    }
    return pages;
}
