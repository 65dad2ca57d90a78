import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ProviderRegions, regionalProviders } from "../support/mock-regions";
import {
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    type ClusterRole,
} from "../../monitor-function/src/contract";
import type { ClusterRef } from "../../infra/cluster-pair";
import { FailoverHealthChecks } from "../../infra/failover-health-checks";
import {
    failoverSignalMode,
    failoverSignalPeriodSeconds,
    failoverSignalPeriodsProblem,
} from "../../infra/failover-signal";

const PROJECT = "aurora-dsql-dr";
const STACK = "dev";
const ACCOUNT = "123456789012";
const SUFFIX = "x7k2q9";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const CHECK = "aws:route53/healthCheck:HealthCheck";

const cluster = (role: ClusterRole, region: string, identifier: string): ClusterRef => ({
    role,
    region,
    identifier: pulumi.output(identifier),
    arn: pulumi.output(`arn:aws:dsql:${region}:${ACCOUNT}:cluster/${identifier}`),
    endpoint: pulumi.output(`${identifier}.dsql.${region}.on.aws`),
});
/** dev: a two-minute schedule, N = 3, drills hold traffic. */
const DEV = {
    clusters: [
        cluster("primary", "us-east-1", "abcdefghijklmnopqrstuvwxy2"),
        cluster("secondary", "us-east-2", "zyxwvutsrqponmlkjihgfedcb3"),
    ],
    signalPeriods: 3,
    schedulePeriodSeconds: 120,
    drillsMoveTraffic: false,
};
/** prod: a one-minute schedule, N = 2, drills move traffic. */
const PROD = {
    clusters: [
        cluster("primary", "us-east-1", "prodprimaryclusteridentif4"),
        cluster("secondary", "us-west-2", "prodsecondaryclusteridenti"),
    ],
    signalPeriods: 2,
    schedulePeriodSeconds: 60,
    drillsMoveTraffic: true,
};
const IDENTIFIERS: Record<string, Record<ClusterRole, string>> = {
    dev: { primary: "abcdefghijklmnopqrstuvwxy2", secondary: "zyxwvutsrqponmlkjihgfedcb3" },
    prod: { primary: "prodprimaryclusteridentif4", secondary: "prodsecondaryclusteridenti" },
};

interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly region?: string;
    readonly id: string;
}

interface Declared {
    resources: Registered[];
    outputs: Record<string, unknown>;
    rejected: unknown;
}

/** Declares the component for dev and prod under Pulumi mocks, and one with N = 0. */
async function declare(): Promise<Declared> {
    const resources: Registered[] = [];
    const regions = new ProviderRegions(PROJECT, STACK);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const region = regions.seen(args);
                const id = `${args.name}-id`;
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    region,
                    id,
                });
                const arn =
                    args.type === ALARM
                        ? {
                              arn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${args.inputs.name}`,
                          }
                        : {};
                return { id, state: { ...args.inputs, ...arn } };
            },
            call(args) {
                throw new Error(`unmocked call ${args.token}`);
            },
        },
        PROJECT,
        STACK,
        false,
    );
    const providers = regionalProviders(["us-east-1", "us-east-2", "us-west-2"]);
    const dev = new FailoverHealthChecks("dev", { ...DEV, suffix: SUFFIX, providers });
    const prod = new FailoverHealthChecks("prod", { ...PROD, suffix: SUFFIX, providers });
    let rejected: unknown;
    try {
        new FailoverHealthChecks("rejected", {
            ...DEV,
            signalPeriods: 0,
            suffix: SUFFIX,
            providers,
        });
    } catch (error) {
        rejected = error;
    }
    const outputs = (await new Promise((resolve) =>
        pulumi
            .all({
                devChecks: dev.healthCheckIds,
                devAlarms: dev.signalAlarms,
                prodChecks: prod.healthCheckIds,
            })
            .apply(resolve),
    )) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
    return { resources, outputs, rejected };
}

describe("FailoverHealthChecks under Pulumi mocks", () => {
    let declared: Declared;
    before(async () => {
        declared = await declare();
    });
    const of = (component: string, type: string) =>
        declared.resources.filter((r) => r.type === type && r.name.startsWith(`${component}-`));
    const alarmOf = (component: string, role: ClusterRole, observer: string) => {
        const found = of(component, ALARM).filter(
            (a) => a.region === observer && a.name === `${component}-${role}-from-${observer}`,
        );
        assert.equal(found.length, 1, `${component}: ${role} seen from ${observer}`);
        return found[0];
    };
    const calculatedOf = (component: string, role: ClusterRole) => {
        const found = of(component, CHECK).filter((c) => c.name === `${component}-${role}`);
        assert.equal(found.length, 1);
        return found[0];
    };
    const stacks = [
        { component: "dev", args: DEV },
        { component: "prod", args: PROD },
    ];
    const eachAlarm = (
        visit: (alarm: Registered, c: ClusterRef, observer: string, n: number) => void,
    ) => {
        for (const { component, args } of stacks) {
            for (const c of args.clusters) {
                for (const observer of args.clusters.map((o) => o.region)) {
                    visit(alarmOf(component, c.role, observer), c, observer, args.signalPeriods);
                }
            }
        }
    };

    it("watches exactly the FailoverSignal series each observer emits for each cluster", () => {
        assert.equal(METRICS.failoverSignal.name, "FailoverSignal");
        assert.equal(METRICS.failoverSignal.scope, "cluster");
        eachAlarm((alarm, c, observer) => {
            const component = alarm.name.split("-")[0];
            assert.equal(alarm.inputs.namespace, METRIC_NAMESPACE);
            assert.equal(alarm.inputs.metricName, METRICS.failoverSignal.name);
            assert.deepEqual(
                alarm.inputs.dimensions,
                metricDimensions(
                    { identifier: IDENTIFIERS[component][c.role], region: c.region },
                    observer,
                ),
            );
        });
        assert.equal(of("dev", ALARM).length + of("prod", ALARM).length, 8);
    });

    it("is what Route 53 accepts: N of N, standard resolution, a plain statistic, one metric", () => {
        // The series must be written every round for N of N to mean N rounds in a row, and
        // at standard resolution.
        assert.equal(METRICS.failoverSignal.emitted, "dense");
        assert.equal(METRICS.failoverSignal.resolution, 60);
        eachAlarm((alarm, _c, _observer, n) => {
            assert.equal(alarm.inputs.evaluationPeriods, n);
            assert.equal(alarm.inputs.datapointsToAlarm, n);
            assert.ok(alarm.inputs.period >= 60 && alarm.inputs.period % 60 === 0, alarm.name);
            assert.equal(alarm.inputs.statistic, "Maximum");
            assert.equal(alarm.inputs.extendedStatistic, undefined);
            assert.equal(alarm.inputs.metricQueries, undefined);
            assert.equal(alarm.inputs.threshold, 1);
            assert.equal(alarm.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
        });
    });

    it("reads a period that holds the monitor's datapoint: its schedule, in whole minutes", () => {
        assert.equal(alarmOf("dev", "primary", "us-east-2").inputs.period, 120);
        assert.equal(alarmOf("prod", "secondary", "us-east-1").inputs.period, 60);
        assert.equal(failoverSignalPeriodSeconds(60), 60);
        assert.equal(failoverSignalPeriodSeconds(90), 120);
        assert.equal(failoverSignalPeriodSeconds(300), 300);
    });

    it("takes no action and treats a silent observer as no evidence", () => {
        eachAlarm((alarm) => {
            assert.equal(alarm.inputs.actionsEnabled, false);
            assert.equal(alarm.inputs.alarmActions, undefined);
            assert.equal(alarm.inputs.okActions, undefined);
            assert.equal(alarm.inputs.treatMissingData, "notBreaching");
        });
    });

    it("says in every alarm whether drills move traffic, as the stack is configured", () => {
        for (const a of of("dev", ALARM))
            assert.match(
                a.inputs.alarmDescription,
                /drills do not move traffic \(drillsMoveTraffic is off\)/,
            );
        for (const a of of("prod", ALARM))
            assert.match(a.inputs.alarmDescription, /move traffic too \(drillsMoveTraffic is on\)/);
    });

    it("follows each alarm with a CLOUDWATCH_METRIC check in the alarm's Region, healthy when silent", () => {
        eachAlarm((alarm, _c, observer) => {
            const component = alarm.name.split("-")[0];
            const check = of(component, CHECK).find((h) => h.name === alarm.name);
            assert.ok(check, alarm.name);
            assert.equal(check.inputs.type, "CLOUDWATCH_METRIC");
            assert.equal(check.inputs.cloudwatchAlarmName, alarm.inputs.name);
            assert.equal(check.inputs.cloudwatchAlarmRegion, observer);
            assert.equal(check.inputs.insufficientDataHealthStatus, "Healthy");
            assert.equal(
                check.region,
                "us-east-1",
                "Route 53 through the primary region's provider",
            );
            // Route 53 copies the alarm's settings once: any change must reach the check.
            const copied = JSON.parse(check.inputs.triggers.alarm);
            for (const key of [
                "namespace",
                "metricName",
                "dimensions",
                "period",
                "evaluationPeriods",
                "threshold",
            ]) {
                assert.deepEqual(copied[key], alarm.inputs[key], `${alarm.name} ${key}`);
            }
        });
    });

    it("combines both observers' checks per cluster into one calculated check, exported", () => {
        for (const { component, args } of stacks) {
            const checks = declared.outputs[`${component}Checks`] as Record<ClusterRole, string>;
            for (const c of args.clusters) {
                const calculated = calculatedOf(component, c.role);
                assert.equal(calculated.inputs.type, "CALCULATED");
                const children = args.clusters.map(
                    (o) =>
                        of(component, CHECK).find(
                            (h) => h.name === `${component}-${c.role}-from-${o.region}`,
                        )!.id,
                );
                assert.deepEqual([...calculated.inputs.childHealthchecks].sort(), children.sort());
                assert.equal(checks[c.role], calculated.id);
            }
        }
    });

    it("moves traffic on the surviving observer's word when a Region is dark, and never on silence alone", () => {
        const calculated = calculatedOf("dev", "primary");
        const childrenOf = (signal: Record<string, "silent" | 0 | 1>) =>
            Object.entries(signal).map(([observer, value]) => {
                const check = of("dev", CHECK).find(
                    (h) => h.name === `dev-primary-from-${observer}`,
                )!;
                // CLOUDWATCH_METRIC: ALARM is unhealthy, OK healthy, no data per the setting.
                if (value === "silent")
                    return check.inputs.insufficientDataHealthStatus === "Healthy";
                return value === 0;
            });
        const healthy = (signal: Record<string, "silent" | 0 | 1>) =>
            childrenOf(signal).filter(Boolean).length >= calculated.inputs.childHealthThreshold;
        // Region us-east-1 dark: its monitor is silent, the other holds the cluster down.
        assert.equal(healthy({ "us-east-1": "silent", "us-east-2": 1 }), false);
        assert.equal(healthy({ "us-east-1": 1, "us-east-2": 1 }), false);
        assert.equal(healthy({ "us-east-1": "silent", "us-east-2": "silent" }), true);
        assert.equal(healthy({ "us-east-1": "silent", "us-east-2": 0 }), true);
        assert.equal(healthy({ "us-east-1": 0, "us-east-2": 0 }), true);
    });

    it("exports each cluster's signal alarms by observer Region, for ARC Region switch triggers", () => {
        const alarms = declared.outputs.devAlarms as Record<
            ClusterRole,
            { observerRegion: string; name: string; arn: string }[]
        >;
        for (const role of ["primary", "secondary"] as const) {
            assert.deepEqual(
                alarms[role].map((a) => a.observerRegion),
                ["us-east-1", "us-east-2"],
            );
            for (const a of alarms[role]) {
                assert.equal(a.name, `dr-failover-${SUFFIX}-${role}-from-${a.observerRegion}`);
                assert.equal(
                    a.arn,
                    `arn:aws:cloudwatch:${a.observerRegion}:${ACCOUNT}:alarm:${a.name}`,
                );
            }
        }
    });

    it("refuses an N Route 53 and a failover cannot use, naming the key, the value and what is allowed", () => {
        assert.ok(declared.rejected instanceof Error);
        assert.match(
            declared.rejected.message,
            /failoverSignalPeriods: "0" is not allowed; use a whole number from 1 to 10/,
        );
    });
});

describe("failoverSignalPeriods", () => {
    it("accepts whole numbers from 1 to 10", () => {
        for (const n of [1, 2, 10])
            assert.equal(failoverSignalPeriodsProblem(n), undefined, String(n));
    });
    it("refuses a fraction", () => {
        assert.match(failoverSignalPeriodsProblem(2.5)!, /"2\.5" is not allowed/);
    });
    it("refuses more than 10", () => {
        assert.match(
            failoverSignalPeriodsProblem(11)!,
            /"11" is not allowed; use a whole number from 1 to 10/,
        );
    });
});

describe("what the monitor is told to emit", () => {
    it("nothing when no health check follows the signal", () => {
        assert.equal(failoverSignalMode(false, false), "off");
        assert.equal(failoverSignalMode(false, true), "off");
    });
    it("0 during a maintenance or drill window, unless drills are to move traffic", () => {
        assert.equal(failoverSignalMode(true, false), "hold-in-maintenance");
        assert.equal(failoverSignalMode(true, true), "follow-in-maintenance");
    });
});
