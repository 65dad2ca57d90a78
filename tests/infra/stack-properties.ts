import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { validateConfig, type StackConfig } from "../../infra/config";
import {
    CLUSTER_ROLES,
    ENV,
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
} from "../../monitor-function/src/contract";
import {
    declareStack,
    MOCK_ACCOUNT,
    MOCK_SUFFIX,
    type DeclaredStack,
} from "../../tools/mock-program";
import { architectureDiagram, diagramPath, readmeWithDiagram } from "../../tools/diagram";
import { GOALS, monthlyCost, timeToDetect, totalUsd } from "../../tools/figures";
import { REPO_ROOT, stackConfig } from "../../tools/stack-config";
import { resourcePolicies, stackPolicies } from "../../policy/policies";
import { declaredArgs, stackViolations, violations } from "../support/policy";
import { allPolicies, asList, oneOf, policyOf, resourcesOf } from "../support/stack";

const CLUSTER = "aws:dsql/cluster:Cluster";
const PEERING = "aws:dsql/clusterPeering:ClusterPeering";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";

/**
 * Properties every stack file must have, checked on the real program under mocks. Each
 * stack's test file calls this once (a process declares one stack).
 */
export function stackProperties(stack: string): void {
    describe(`stack ${stack}`, () => {
        let declared: DeclaredStack;
        let config: StackConfig;
        let regionOf: Record<(typeof CLUSTER_ROLES)[number], string>;
        const cluster = (role: string) =>
            resourcesOf(declared, CLUSTER).find((c) => c.name.endsWith(`-${role}`))!;
        const clusterArn = (role: string) => cluster(role).state.arn as string;
        const identifierOf = (role: string) =>
            (declared.outputs.clusterIdentifiers as Record<string, string>)[role];

        before(async () => {
            const raw = stackConfig(stack);
            const result = validateConfig(stack, raw);
            assert.ok("config" in result, `stack file ${stack} must be valid`);
            config = result.config;
            regionOf = { primary: config.primaryRegion, secondary: config.secondaryRegion };
            declared = await declareStack(stack, raw);
        });

        it("declares no resource with a default provider", () => {
            const custom = declared.resources.filter(
                (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
            );
            assert.ok(custom.length > 40);
            for (const r of custom) {
                assert.ok(r.provider, `${r.type} ${r.name} has no provider`);
                const providerName = r.provider.split("::")[3];
                assert.ok(
                    !providerName.startsWith("default"),
                    `${r.type} ${r.name} uses the default provider ${providerName}`,
                );
            }
        });

        it("puts every AWS resource in one of the two cluster regions, tagged by its provider", () => {
            const providers = resourcesOf(declared, "pulumi:providers:aws");
            assert.deepEqual(
                providers.map((p) => p.inputs.region).sort(),
                [config.primaryRegion, config.secondaryRegion].sort(),
            );
            for (const p of providers) {
                const tags = JSON.parse(p.inputs.defaultTags).tags;
                assert.equal(tags.environment, stack);
                assert.equal(tags.project, "aurora-dsql-dr");
                assert.equal(tags["managed-by"], "pulumi");
                for (const [key, value] of Object.entries(config.tags))
                    assert.equal(tags[key], value);
            }
            const aws = declared.resources.filter(
                (r) => r.type.startsWith("aws:") && !r.type.startsWith("pulumi:"),
            );
            for (const r of aws) {
                assert.ok(
                    [config.primaryRegion, config.secondaryRegion].includes(r.region!),
                    `${r.name} is in ${r.region}`,
                );
            }
        });

        it("creates each cluster with only the witness, in its own region, independent of its peer", () => {
            for (const role of CLUSTER_ROLES) {
                const c = cluster(role);
                assert.equal(c.region, regionOf[role]);
                assert.deepEqual(c.inputs.multiRegionProperties, {
                    witnessRegion: config.witnessRegion,
                });
                assert.deepEqual(c.dependsOn, []);
                const other = role === "primary" ? "secondary" : "primary";
                assert.ok(!JSON.stringify(c.inputs).includes(identifierOf(other)));
            }
        });

        it("peers each side with the other's ARN through the configured witness", () => {
            for (const role of CLUSTER_ROLES) {
                const other = role === "primary" ? "secondary" : "primary";
                const peering = resourcesOf(declared, PEERING).find((p) =>
                    p.name.endsWith(`-${role}-peering`),
                )!;
                assert.equal(peering.region, regionOf[role]);
                assert.equal(peering.inputs.identifier, identifierOf(role));
                assert.deepEqual(peering.inputs.clusters, [clusterArn(other)]);
                assert.equal(peering.inputs.witnessRegion, config.witnessRegion);
            }
        });

        it("exports endpoints built from the identifiers", () => {
            const endpoints = declared.outputs.clusterEndpoints as Record<string, string>;
            for (const role of CLUSTER_ROLES) {
                assert.equal(
                    endpoints[role],
                    `${identifierOf(role)}.dsql.${regionOf[role]}.on.aws`,
                );
            }
            assert.equal(declared.outputs.witnessRegion, config.witnessRegion);
        });

        it(`protects clusters and peerings exactly when deletion protection is on (${stack})`, () => {
            for (const r of [
                ...resourcesOf(declared, CLUSTER),
                ...resourcesOf(declared, PEERING),
            ]) {
                assert.equal(r.protect, config.deletionProtection, `${r.name} protect`);
            }
            for (const c of resourcesOf(declared, CLUSTER)) {
                assert.equal(c.inputs.deletionProtectionEnabled, config.deletionProtection);
            }
        });

        it("has no wildcard action in any policy document", () => {
            const docs = allPolicies(declared);
            assert.ok(docs.length >= 10);
            for (const { where, doc } of docs) {
                for (const statement of doc.Statement) {
                    for (const action of asList(statement.Action)) {
                        assert.ok(!action.includes("*"), `${where}: action ${action}`);
                    }
                }
            }
        });

        it("scopes the monitors' DSQL actions to exactly the two cluster ARNs", () => {
            const expected = CLUSTER_ROLES.map(clusterArn).sort();
            for (const region of Object.values(regionOf)) {
                const doc = policyOf(
                    oneOf(declared, "aws:iam/rolePolicy:RolePolicy", region).inputs.policy,
                );
                const dsql = doc.Statement.filter((s) =>
                    asList(s.Action).some((a) => a.startsWith("dsql:")),
                );
                const actions = dsql.flatMap((s) => asList(s.Action)).sort();
                const connect =
                    config.databaseUser === "admin" ? "dsql:DbConnectAdmin" : "dsql:DbConnect";
                assert.deepEqual(
                    actions,
                    config.dataPlaneProbe
                        ? [connect, "dsql:GetCluster"].sort()
                        : ["dsql:GetCluster"],
                );
                for (const s of dsql) assert.deepEqual(asList(s.Resource).sort(), expected);
                const logs = doc.Statement.find((s) =>
                    asList(s.Action).includes("logs:PutLogEvents"),
                )!;
                assert.match(
                    asList(logs.Resource)[0],
                    new RegExp(
                        `^arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:/aws/lambda/dr-monitor-${MOCK_SUFFIX}-\\w+:log-stream:\\*$`,
                    ),
                );
            }
        });

        it("lets only Lambda of this account assume the monitor role", () => {
            for (const role of resourcesOf(declared, "aws:iam/role:Role")) {
                const [statement] = policyOf(role.inputs.assumeRolePolicy).Statement;
                assert.deepEqual(statement.Principal, { Service: "lambda.amazonaws.com" });
                assert.deepEqual(statement.Condition, {
                    StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT },
                });
            }
        });

        it("encrypts each topic with its region's customer-managed key, which admits CloudWatch", () => {
            for (const region of Object.values(regionOf)) {
                const topic = oneOf(declared, TOPIC, region);
                const key = oneOf(declared, "aws:kms/key:Key", region);
                assert.equal(topic.inputs.kmsMasterKeyId, key.state.arn);
                assert.equal(key.inputs.enableKeyRotation, true);
                const cloudwatch = policyOf(key.inputs.policy).Statement.find(
                    (s) =>
                        JSON.stringify(s.Principal) ===
                        JSON.stringify({ Service: "cloudwatch.amazonaws.com" }),
                )!;
                assert.deepEqual(asList(cloudwatch.Action).sort(), [
                    "kms:Decrypt",
                    "kms:GenerateDataKey",
                ]);
                assert.deepEqual(cloudwatch.Condition!.StringEquals, {
                    "aws:SourceAccount": MOCK_ACCOUNT,
                });
                const topicPolicy = policyOf(
                    oneOf(declared, "aws:sns/topicPolicy:TopicPolicy", region).inputs.policy,
                );
                const publish = topicPolicy.Statement.find((s) => s.Effect === "Allow")!;
                assert.deepEqual(publish.Principal, { Service: "cloudwatch.amazonaws.com" });
                assert.equal(publish.Resource, topic.state.arn);
                assert.equal(topic.inputs.name, `dr-alerts-${MOCK_SUFFIX}-${roleOf(region)}`);
                assert.ok(
                    topicPolicy.Statement.some(
                        (s) =>
                            s.Effect === "Deny" &&
                            JSON.stringify(s.Condition).includes("SecureTransport"),
                    ),
                );
                // Every alarm of this region matches the SourceArn both policies admit.
                for (const statement of [cloudwatch, publish]) {
                    const pattern = statement.Condition!.ArnLike["aws:SourceArn"] as string;
                    const matcher = new RegExp(
                        `^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`,
                    );
                    for (const alarm of resourcesOf(declared, ALARM, region)) {
                        assert.match(alarm.state.arn, matcher, `${alarm.inputs.name} may publish`);
                    }
                }
            }
        });

        it("subscribes every configured address to both topics", () => {
            for (const region of Object.values(regionOf)) {
                const subscriptions = resourcesOf(
                    declared,
                    "aws:sns/topicSubscription:TopicSubscription",
                    region,
                );
                assert.deepEqual(
                    subscriptions.map((s) => s.inputs.endpoint).sort(),
                    [...config.alertEmails].sort(),
                );
                for (const s of subscriptions) {
                    assert.equal(s.inputs.protocol, "email");
                    assert.equal(s.inputs.topic, topicArn(region));
                }
            }
        });

        it("sends every alarm's ALARM and OK notifications to the topic of its own region", () => {
            const alarms = resourcesOf(declared, ALARM);
            assert.equal(alarms.length, 14);
            for (const alarm of alarms) {
                assert.deepEqual(alarm.inputs.alarmActions, [topicArn(alarm.region!)], alarm.name);
                assert.deepEqual(alarm.inputs.okActions, [topicArn(alarm.region!)], alarm.name);
            }
        });

        it("watches the health of both clusters from both regions with the monitor's exact dimensions", () => {
            for (const observer of Object.values(regionOf)) {
                const health = resourcesOf(declared, ALARM, observer).filter(
                    (a) => a.inputs.metricName === METRICS.clusterHealth.name,
                );
                assert.equal(health.length, 2);
                for (const role of CLUSTER_ROLES) {
                    const expected = metricDimensions(
                        { identifier: identifierOf(role), region: regionOf[role] },
                        observer,
                    );
                    const alarm = health.find(
                        (a) => a.inputs.dimensions.ClusterId === identifierOf(role),
                    )!;
                    assert.deepEqual(alarm.inputs.dimensions, expected);
                    assert.equal(alarm.inputs.namespace, METRIC_NAMESPACE);
                    assert.equal(alarm.inputs.treatMissingData, "breaching");
                    assert.equal(alarm.inputs.comparisonOperator, "LessThanThreshold");
                    assert.equal(alarm.inputs.threshold, 1);
                    assert.equal(alarm.inputs.period, config.schedulePeriodSeconds);
                    assert.equal(
                        alarm.inputs.evaluationPeriods,
                        config.healthAlarmEvaluationPeriods,
                    );
                }
            }
        });

        it("alarms on peering health, monitor errors, failed invocations and a non-empty DLQ in each region", () => {
            for (const observer of Object.values(regionOf)) {
                const alarms = resourcesOf(declared, ALARM, observer);
                const watched = alarms
                    .map((a) => `${a.inputs.namespace} ${a.inputs.metricName}`)
                    .sort();
                assert.deepEqual(
                    watched,
                    [
                        `${METRIC_NAMESPACE} ${METRICS.clusterHealth.name}`,
                        `${METRIC_NAMESPACE} ${METRICS.clusterHealth.name}`,
                        `${METRIC_NAMESPACE} ${METRICS.peeringHealth.name}`,
                        `${METRIC_NAMESPACE} ${METRICS.peeringHealth.name}`,
                        "AWS/Events FailedInvocations",
                        "AWS/Lambda Errors",
                        "AWS/SQS ApproximateNumberOfMessagesVisible",
                    ].sort(),
                );
                const role = roleOf(observer);
                const byMetric = (m: string) => alarms.find((a) => a.inputs.metricName === m)!;
                assert.deepEqual(byMetric("Errors").inputs.dimensions, {
                    FunctionName: `dr-monitor-${MOCK_SUFFIX}-${role}`,
                });
                assert.deepEqual(byMetric("FailedInvocations").inputs.dimensions, {
                    RuleName: `dr-health-monitor-${MOCK_SUFFIX}-${role}`,
                });
                assert.deepEqual(byMetric("ApproximateNumberOfMessagesVisible").inputs.dimensions, {
                    QueueName: `dr-health-monitor-dlq-${MOCK_SUFFIX}-${role}`,
                });
                for (const a of alarms)
                    assert.ok(
                        a.inputs.alarmDescription.length > 40,
                        `${a.name} says what to check`,
                    );
            }
        });

        it("runs the monitor on arm64 nodejs24.x with the configured limits and both clusters in its environment", () => {
            for (const region of Object.values(regionOf)) {
                const fn = oneOf(declared, "aws:lambda/function:Function", region);
                assert.equal(fn.inputs.name, `dr-monitor-${MOCK_SUFFIX}-${roleOf(region)}`);
                assert.equal(fn.inputs.runtime, "nodejs24.x");
                assert.deepEqual(fn.inputs.architectures, ["arm64"]);
                assert.equal(fn.inputs.memorySize, config.lambdaMemoryMb);
                assert.equal(fn.inputs.timeout, config.lambdaTimeoutSeconds);
                assert.equal(
                    fn.inputs.reservedConcurrentExecutions,
                    config.reservedConcurrency || -1,
                );
                assert.equal(fn.inputs.loggingConfig.logFormat, "JSON");
                assert.equal(
                    fn.inputs.loggingConfig.logGroup,
                    `/aws/lambda/dr-monitor-${MOCK_SUFFIX}-${roleOf(region)}`,
                );
                const env = fn.inputs.environment.variables;
                for (const role of CLUSTER_ROLES) {
                    assert.equal(env[ENV.clusterId(role)], identifierOf(role));
                    assert.equal(env[ENV.clusterRegion(role)], regionOf[role]);
                    assert.equal(env[ENV.clusterArn(role)], clusterArn(role));
                    assert.equal(
                        env[ENV.clusterEndpoint(role)],
                        `${identifierOf(role)}.dsql.${regionOf[role]}.on.aws`,
                    );
                }
                assert.equal(env[ENV.witnessRegion], config.witnessRegion);
                assert.equal(env[ENV.observerRegion], region);
                assert.ok(
                    fn.dependsOn.some((d) => d.endsWith("-peering")),
                    "starts after the peerings",
                );
                const logGroup = oneOf(declared, "aws:cloudwatch/logGroup:LogGroup", region);
                assert.equal(logGroup.inputs.retentionInDays, config.logRetentionDays);
            }
        });

        it("schedules the monitor with a short retry window, a DLQ, and a permission scoped to the rule", () => {
            for (const region of Object.values(regionOf)) {
                const role = roleOf(region);
                const rule = oneOf(declared, "aws:cloudwatch/eventRule:EventRule", region);
                assert.equal(rule.inputs.name, `dr-health-monitor-${MOCK_SUFFIX}-${role}`);
                assert.equal(rule.inputs.scheduleExpression, config.monitoringSchedule);
                const ruleArn = rule.state.arn;
                const fnArn = oneOf(declared, "aws:lambda/function:Function", region).state.arn;
                const target = oneOf(declared, "aws:cloudwatch/eventTarget:EventTarget", region);
                assert.equal(target.inputs.arn, fnArn);
                assert.equal(target.inputs.rule, rule.inputs.name);
                assert.ok(
                    target.inputs.retryPolicy.maximumEventAgeInSeconds <=
                        Math.max(60, config.schedulePeriodSeconds),
                );
                const dlq = oneOf(declared, "aws:sqs/queue:Queue", region);
                assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
                assert.equal(target.inputs.deadLetterConfig.arn, dlq.state.arn);
                const queuePolicy = policyOf(
                    oneOf(declared, "aws:sqs/queuePolicy:QueuePolicy", region).inputs.policy,
                );
                const send = queuePolicy.Statement.find((s) => s.Effect === "Allow")!;
                assert.deepEqual(send.Condition, { ArnEquals: { "aws:SourceArn": ruleArn } });
                const permission = oneOf(declared, "aws:lambda/permission:Permission", region);
                assert.equal(permission.inputs.principal, "events.amazonaws.com");
                assert.equal(permission.inputs.sourceArn, ruleArn);
                assert.equal(permission.inputs.sourceAccount, MOCK_ACCOUNT);
            }
        });

        it("builds a dashboard per region that shows both clusters from both observers", () => {
            for (const region of Object.values(regionOf)) {
                const dashboard = oneOf(declared, "aws:cloudwatch/dashboard:Dashboard", region);
                const expectedName =
                    region === config.primaryRegion
                        ? `Aurora-DSQL-DR-Dashboard-${MOCK_SUFFIX}`
                        : `Aurora-DSQL-DR-Dashboard-${MOCK_SUFFIX}-secondary`;
                assert.equal(dashboard.inputs.dashboardName, expectedName);
                const body = JSON.parse(dashboard.inputs.dashboardBody);
                const rows = body.widgets.flatMap((w: any) => w.properties.metrics ?? []);
                const healthLines = rows.filter((m: any[]) => m[1] === METRICS.clusterHealth.name);
                assert.equal(healthLines.length, 4);
                for (const observer of Object.values(regionOf)) {
                    for (const role of CLUSTER_ROLES) {
                        const dims = Object.entries(
                            metricDimensions(
                                { identifier: identifierOf(role), region: regionOf[role] },
                                observer,
                            ),
                        ).flat();
                        assert.ok(
                            healthLines.some(
                                (m: any[]) =>
                                    JSON.stringify(m.slice(2, 8)) === JSON.stringify(dims) &&
                                    m[8].region === observer,
                            ),
                            `${role} from ${observer}`,
                        );
                    }
                }
                const native = rows.filter((m: any[]) => m[0] === "AWS/AuroraDSQL");
                assert.deepEqual(
                    [...new Set(native.map((m: any[]) => m[3]))].sort(),
                    CLUSTER_ROLES.map(identifierOf).sort(),
                );
                const alarmWidget = body.widgets.find((w: any) => w.type === "alarm");
                assert.equal(alarmWidget.properties.alarms.length, 7);
                for (const arn of alarmWidget.properties.alarms)
                    assert.ok(arn.startsWith(`arn:aws:cloudwatch:${region}:`));
                const regionsShown = new Set(rows.map((m: any[]) => m[m.length - 1].region));
                assert.deepEqual([...regionsShown].sort(), Object.values(regionOf).sort());
            }
        });

        it("matches its committed architecture diagram (regenerate with npm run plan)", () => {
            const committed = readFileSync(path.join(REPO_ROOT, diagramPath(stack)), "utf8");
            assert.equal(committed, architectureDiagram(declared, stack));
            if (stack === "dev") {
                const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
                assert.equal(
                    readme,
                    readmeWithDiagram(readme, committed),
                    "README shows the dev diagram",
                );
            }
        });

        it("meets its time-to-detect and cost goals, computed from the declared resources", () => {
            const detection = timeToDetect(declared);
            assert.equal(detection.length, 2);
            for (const d of detection) {
                assert.equal(
                    d.worstCaseSeconds,
                    config.schedulePeriodSeconds +
                        (config.dataPlaneProbe ? 2 : 1) * config.probeTimeoutSeconds +
                        config.healthAlarmEvaluationPeriods * config.schedulePeriodSeconds,
                );
                assert.ok(
                    d.worstCaseSeconds <= GOALS[stack].timeToDetectSeconds,
                    `${d.region}: ${d.worstCaseSeconds} s`,
                );
            }
            const cost = monthlyCost(declared);
            const alarms = cost.find((l) => l.item === "CloudWatch alarms")!;
            assert.equal(alarms.usd, resourcesOf(declared, ALARM).length * 0.1);
            assert.ok(totalUsd(cost) <= GOALS[stack].monthlyUsd, `USD ${totalUsd(cost)}`);
        });

        it("passes every policy of the policy pack", async () => {
            for (const policy of resourcePolicies) {
                for (const r of declared.resources.filter((x) => x.custom)) {
                    assert.deepEqual(
                        await violations(policy, declaredArgs(r, stack)),
                        [],
                        `${policy.name} on ${r.name}`,
                    );
                }
            }
            for (const policy of stackPolicies) {
                const found = await stackViolations(
                    policy,
                    declared.resources.map((r) => ({
                        type: r.type,
                        name: r.name,
                        props: r.state,
                        stack,
                    })),
                );
                assert.deepEqual(found, [], policy.name);
            }
        });

        function roleOf(region: string) {
            return region === config.primaryRegion ? "primary" : "secondary";
        }
        function topicArn(region: string) {
            return oneOf(declared, TOPIC, region).state.arn as string;
        }
    });
}
