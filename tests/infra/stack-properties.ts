import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { MAX_RUNBOOK_URL_LENGTH, validateConfig, type StackConfig } from "../../infra/config";
import {
    CLUSTER_ROLES,
    ENV,
    METRIC_NAMESPACE,
    METRICS,
    metricDimensions,
    observerDimensions,
    pairId,
} from "../../monitor-function/src/contract";
import {
    declareStack,
    MOCK_ACCOUNT,
    MOCK_SUFFIX,
    type DeclaredStack,
} from "../../tools/pulumi-host/mock-program";
import { architectureDiagram, diagramPath, readmeWithDiagram } from "../../tools/docs-gen/diagram";
import { monthlyCost, totalUsd } from "../../tools/docs-gen/cost";
import { PROFILE_GOALS } from "../../tools/docs-gen/figures";
import {
    FAST_ROUNDS,
    SUPPRESSOR_EXTENSION_SECONDS,
    SUPPRESSOR_WAIT_SECONDS,
} from "../../infra/detection";
import { REPO_ROOT, stackConfig } from "../../tools/pulumi-host/stack-config";
import { resourcePolicies, stackPolicies } from "../../policy/policies";
import { declaredArgs, stackViolations, violations } from "../support/policy";
import { upgradeProperties } from "./upgrade";
import { healthWatchRegions } from "../../infra/health-event-pattern";
import { DEPLOY_TO_FIRST_TICK_SECONDS } from "../../tools/simulation/verdict-scenarios";
import { allPolicies, asList, oneOf, policyOf, resourcesOf } from "../support/stack";

const CLUSTER = "aws:dsql/cluster:Cluster";
const PEERING = "aws:dsql/clusterPeering:ClusterPeering";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";

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

        it("puts every AWS resource in one of the two cluster regions, tagged by its provider, but the AWS Health rules", () => {
            const providers = resourcesOf(declared, "pulumi:providers:aws");
            const clusterRegions = [config.primaryRegion, config.secondaryRegion];
            // AWS Health delivers an event only in its Region (and a backup Region): the
            // witness's Region gets a rule too, and nothing else.
            const watched = healthWatchRegions({ ...regionOf, witness: config.witnessRegion });
            assert.deepEqual(
                providers.map((p) => p.inputs.region).sort(),
                [...new Set([...clusterRegions, ...watched])].sort(),
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
            for (const r of aws.filter((x) => !clusterRegions.includes(x.region!))) {
                assert.equal(r.parent?.name, "health-events", `${r.name} is in ${r.region}`);
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

        /** The IAM policy attached to the role named `name`. */
        const rolePolicy = (name: string) => {
            const role = resourcesOf(declared, "aws:iam/role:Role").find(
                (r) => r.inputs.name === name,
            )!;
            const attached = resourcesOf(declared, "aws:iam/rolePolicy:RolePolicy").find(
                (p) => p.inputs.role === role.state.id || p.inputs.role === `${role.name}-id`,
            )!;
            return policyOf(attached.inputs.policy);
        };

        it("scopes the monitors' DSQL actions to exactly the two cluster ARNs, and their reads to their own window", () => {
            const expected = CLUSTER_ROLES.map(clusterArn).sort();
            for (const region of Object.values(regionOf)) {
                const doc = rolePolicy(`dr-monitor-${MOCK_SUFFIX}-${roleOf(region)}`);
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
                const ssm = doc.Statement.find((s) =>
                    asList(s.Action).includes("ssm:GetParameter"),
                )!;
                assert.deepEqual(asList(ssm.Resource), [
                    `arn:aws:ssm:${region}:${MOCK_ACCOUNT}:parameter/aurora-dsql-dr/${MOCK_SUFFIX}/maintenance`,
                ]);
                const logs = doc.Statement.find((s) =>
                    asList(s.Action).includes("logs:PutLogEvents"),
                )!;
                assert.match(
                    asList(logs.Resource)[0],
                    new RegExp(
                        `^arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:/aws/lambda/dr-monitor-${MOCK_SUFFIX}-\\w+:log-stream:\\*$`,
                    ),
                );
                assert.equal(doc.Statement.length, config.dataPlaneProbe ? 4 : 3, "nothing else");
            }
        });

        it("lets only the setup function connect as admin, and only to the pair", () => {
            const doc = rolePolicy(`dr-setup-${MOCK_SUFFIX}`);
            const admin = doc.Statement.find((s) =>
                asList(s.Action).includes("dsql:DbConnectAdmin"),
            )!;
            assert.deepEqual(asList(admin.Resource).sort(), CLUSTER_ROLES.map(clusterArn).sort());
            const others = resourcesOf(declared, "aws:iam/rolePolicy:RolePolicy").filter(
                (p) =>
                    p !== undefined &&
                    JSON.stringify(policyOf(p.inputs.policy)).includes("DbConnectAdmin"),
            );
            assert.equal(others.length, config.databaseUser === "admin" ? 3 : 1);
        });

        it("lets each role be assumed only by its own service, for this account", () => {
            const serviceOf = (name: string) =>
                name.startsWith("dr-backup-")
                    ? "backup.amazonaws.com"
                    : name.startsWith("dr-health-")
                      ? "events.amazonaws.com"
                      : name.startsWith("dr-chatbot-")
                        ? "chatbot.amazonaws.com"
                        : "lambda.amazonaws.com";
            for (const role of resourcesOf(declared, "aws:iam/role:Role")) {
                const [statement] = policyOf(role.inputs.assumeRolePolicy).Statement;
                if (role.inputs.name.startsWith("dr-drill-")) {
                    assert.deepEqual(statement.Principal, { Service: "fis.amazonaws.com" });
                    assert.deepEqual(statement.Condition!.StringEquals, {
                        "aws:SourceAccount": MOCK_ACCOUNT,
                    });
                    assert.match(
                        statement.Condition!.ArnLike["aws:SourceArn"] as string,
                        new RegExp(
                            `^arn:aws:fis:(${Object.values(regionOf).join("|")}):${MOCK_ACCOUNT}:experiment/\\*$`,
                        ),
                    );
                } else {
                    assert.deepEqual(statement.Principal, { Service: serviceOf(role.inputs.name) });
                    assert.deepEqual(statement.Condition, {
                        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT },
                    });
                }
            }
        });

        it("lets each drill inject its one fault into its one cluster, and nothing else", () => {
            for (const role of CLUSTER_ROLES) {
                const doc = rolePolicy(`dr-drill-${MOCK_SUFFIX}-${role}`);
                const inject = doc.Statement.find((s) =>
                    asList(s.Action).includes("dsql:InjectError"),
                )!;
                assert.deepEqual(inject.Condition, {
                    StringEquals: { "dsql:FisActionId": "aws:dsql:cluster-connection-failure" },
                    "ForAllValues:ArnEquals": { "dsql:FisTargetArns": [clusterArn(role)] },
                    Null: { "dsql:FisTargetArns": "false" },
                });
                const read = doc.Statement.find((s) =>
                    asList(s.Action).includes("dsql:GetCluster"),
                )!;
                assert.deepEqual(asList(read.Resource), [clusterArn(role)]);
                const template = resourcesOf(
                    declared,
                    "aws:fis/experimentTemplate:ExperimentTemplate",
                    regionOf[role],
                );
                assert.equal(template.length, 1, "one template per cluster, in its region");
                const [t] = template;
                assert.deepEqual(t.inputs.targets[0].resourceArns, [clusterArn(role)]);
                assert.equal(t.inputs.targets[0].resourceType, "aws:dsql:cluster");
                assert.equal(t.inputs.actions[0].actionId, "aws:dsql:cluster-connection-failure");
                assert.deepEqual(t.inputs.actions[0].parameters, [
                    { key: "duration", value: `PT${config.drillDurationMinutes}M` },
                    { key: "percentage", value: String(config.drillPercentage) },
                ]);
                assert.match(
                    t.inputs.logConfiguration.cloudwatchLogsConfiguration.logGroupArn,
                    /:\*$/,
                );
                // It stops itself when any other page of its region fires: one guard
                // composite (no actions) over all of them is its single stop condition.
                const [stop] = t.inputs.stopConditions as { source: string; value: string }[];
                assert.equal(t.inputs.stopConditions.length, 1);
                assert.equal(stop.source, "aws:cloudwatch:alarm");
                const guard = resourcesOf(declared, COMPOSITE, regionOf[role]).find(
                    (c) => c.state.arn === stop.value,
                )!;
                assert.equal(guard.inputs.alarmName, `dr-drill-guard-${MOCK_SUFFIX}-${role}`);
                assert.equal(guard.inputs.actionsEnabled, false);
                assert.equal(guard.inputs.alarmActions, undefined);
                const pages = resourcesOf(declared, COMPOSITE, regionOf[role])
                    .map((c) => c.inputs.alarmName as string)
                    .filter((n) => n.startsWith(`dr-page-${MOCK_SUFFIX}-`));
                const watched = [
                    ...(guard.inputs.alarmRule as string).matchAll(/ALARM\("([^"]+)"\)/g),
                ].map((m) => m[1]);
                assert.deepEqual(
                    watched.sort(),
                    pages
                        .filter((n) => n !== `dr-page-${MOCK_SUFFIX}-${role}-down-from-${role}`)
                        .sort(),
                );
                assert.ok(pages.length > 3);
                assert.equal(
                    (declared.outputs.drillTemplates as Record<string, string>)[role],
                    `${t.name}-id`,
                );
            }
        });

        it("encrypts each topic with its region's customer-managed key, which admits CloudWatch", () => {
            for (const region of Object.values(regionOf)) {
                const topic = oneOf(declared, TOPIC, region);
                const key = alertKey(region);
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

        const composites = (region?: string) => resourcesOf(declared, COMPOSITE, region);
        /** The key of a region's alert topic (backup vaults have keys of their own). */
        const alertKey = (region: string) => {
            const keys = resourcesOf(declared, "aws:kms/key:Key", region).filter((k) =>
                /alert topic/.test(k.inputs.description),
            );
            assert.equal(keys.length, 1, `one alert key in ${region}`);
            return keys[0];
        };
        /** The monitor's schedule in a region (the other rules react to events). */
        const scheduleRule = (region: string) => {
            const rules = resourcesOf(declared, "aws:cloudwatch/eventRule:EventRule", region);
            const scheduled = rules.filter((r) => r.inputs.scheduleExpression);
            assert.equal(scheduled.length, 1, `one schedule in ${region}`);
            return scheduled[0];
        };
        const ruleTarget = (rule: DeclaredStack["resources"][number]) =>
            resourcesOf(declared, "aws:cloudwatch/eventTarget:EventTarget").find(
                (t) => t.inputs.rule === rule.inputs.name,
            )!;
        const rulePermission = (rule: DeclaredStack["resources"][number]) =>
            resourcesOf(declared, "aws:lambda/permission:Permission").find(
                (p) => p.inputs.sourceArn === rule.state.arn,
            )!;
        /** The paging composites (the drills' guards are composites that take no action). */
        const pagesIn = (region?: string) =>
            composites(region).filter((c) => c.inputs.alarmName.startsWith("dr-page-"));
        const alarmNamed = (name: string) =>
            resourcesOf(declared, ALARM).find((a) => a.inputs.name === name)!;
        const childrenOf = (rule: string) =>
            [...rule.matchAll(/ALARM\("([^"]+)"\)/g)].map((m) => alarmNamed(m[1]));
        const paging = (role: string) =>
            (declared.outputs.pagingAlarms as Record<string, Record<string, any>>)[role];

        it("pages only through composite alarms, each notifying ALARM and OK on its region's topic and silenced by its region's maintenance alarm", () => {
            const pages = pagesIn();
            assert.equal(
                composites().length,
                pages.length + (config.dataPlaneProbe ? 2 : 0),
                "every other composite is a drill's guard",
            );
            // Per region: peering, its own monitor, and with the data plane each cluster
            // down, consistency and the other region's monitor; with backups, backup.
            assert.equal(
                pages.length,
                (config.dataPlaneProbe ? 12 : 4) + (config.backup.mode === "off" ? 0 : 2),
            );
            for (const page of pages) {
                assert.deepEqual(page.inputs.alarmActions, [topicArn(page.region!)], page.name);
                assert.deepEqual(page.inputs.okActions, [topicArn(page.region!)], page.name);
                assert.deepEqual(page.inputs.actionsSuppressor, {
                    alarm: `dr-maintenance-${MOCK_SUFFIX}-${roleOf(page.region!)}`,
                    waitPeriod: SUPPRESSOR_WAIT_SECONDS,
                    extensionPeriod: SUPPRESSOR_EXTENSION_SECONDS,
                });
                for (const child of childrenOf(page.inputs.alarmRule)) {
                    assert.equal(
                        child.region,
                        page.region,
                        "a composite watches its own region's alarms",
                    );
                }
            }
            for (const alarm of resourcesOf(declared, ALARM)) {
                assert.equal(
                    alarm.inputs.actionsEnabled,
                    false,
                    `${alarm.inputs.name} takes no action`,
                );
                assert.equal(alarm.inputs.alarmActions, undefined);
                assert.equal(alarm.inputs.okActions, undefined);
            }
            const suppressors = resourcesOf(declared, ALARM).filter((a) =>
                a.inputs.name.startsWith("dr-maintenance-"),
            );
            assert.equal(
                suppressors.length,
                2,
                "one maintenance alarm per region, wired into no child",
            );
            for (const s of suppressors)
                assert.equal(s.inputs.metricName, METRICS.maintenanceWindow.name);
        });

        it("says in every page what it means, what to check first, and which runbook section to read", () => {
            const runbook = readFileSync(path.join(REPO_ROOT, "docs", "runbook.md"), "utf8");
            for (const page of pagesIn()) {
                const description: string = page.inputs.alarmDescription;
                assert.match(description, /^PAGE: /);
                assert.match(description, /First check: /);
                const anchor = /#([a-z0-9-]+)$/.exec(description)?.[1];
                assert.ok(anchor, `${page.inputs.alarmName} links a runbook section`);
                const headings = [...runbook.matchAll(/^#+ (.+)$/gm)].map((m) =>
                    m[1]
                        .toLowerCase()
                        .replace(/[^a-z0-9 -]/g, "")
                        .trim()
                        .replace(/ /g, "-"),
                );
                assert.ok(headings.includes(anchor!), `docs/runbook.md has a section #${anchor}`);
            }
        });

        it("keeps every alarm description within CloudWatch's 1,024 characters, even with the longest runbook URL allowed", () => {
            // AlarmDescription: at most 1,024 characters (PutMetricAlarm, PutCompositeAlarm).
            for (const alarm of [...resourcesOf(declared, ALARM), ...composites()]) {
                const description: string = alarm.inputs.alarmDescription ?? "";
                const links = description.split(config.runbookUrl).length - 1;
                const longest =
                    description.length +
                    links * (MAX_RUNBOOK_URL_LENGTH - config.runbookUrl.length);
                assert.ok(
                    longest <= 1024,
                    `${alarm.inputs.alarmName}: ${longest} characters with a ${MAX_RUNBOOK_URL_LENGTH}-character runbook URL`,
                );
            }
        });

        it("pages 'cluster down' only when this observer fails N of M rounds and the other observer's commits are stale too", () => {
            if (!config.dataPlaneProbe) return;
            for (const observer of CLUSTER_ROLES) {
                for (const role of CLUSTER_ROLES) {
                    const page = composites(regionOf[observer]).find(
                        (c) => c.inputs.alarmName === paging(observer).clusterDown[role],
                    )!;
                    // One failed round of one adds nothing to the agreed round: no child then.
                    const everyRound =
                        config.datapointsToAlarm === 1 && config.evaluationPeriods === 1;
                    assert.match(
                        page.inputs.alarmRule,
                        everyRound
                            ? /^ALARM\("[^"]+"\)$/
                            : /^ALARM\("[^"]+"\) AND ALARM\("[^"]+"\)$/,
                    );
                    const children = childrenOf(page.inputs.alarmRule);
                    const agreed = children.at(-1)!;
                    const unreachable = everyRound ? undefined : children[0];
                    const dims = metricDimensions(
                        { identifier: identifierOf(role), region: regionOf[role] },
                        regionOf[observer],
                    );
                    for (const child of children) {
                        assert.equal(child.inputs.namespace, METRIC_NAMESPACE);
                        assert.equal(child.inputs.metricName, METRICS.clusterVerdict.name);
                        assert.deepEqual(child.inputs.dimensions, dims);
                        assert.equal(
                            child.inputs.treatMissingData,
                            "notBreaching",
                            "silence is not an outage",
                        );
                        assert.equal(child.inputs.statistic, "Maximum");
                        const highResolution = config.detectionProfile === "fast";
                        assert.equal(
                            child.inputs.period,
                            highResolution ? 10 : config.schedulePeriodSeconds,
                        );
                    }
                    if (unreachable) {
                        assert.equal(unreachable.inputs.threshold, 1);
                        assert.equal(
                            unreachable.inputs.evaluationPeriods,
                            config.evaluationPeriods,
                        );
                        assert.equal(
                            unreachable.inputs.datapointsToAlarm,
                            config.datapointsToAlarm,
                        );
                    }
                    assert.equal(agreed.inputs.threshold, 2);
                    assert.equal(agreed.inputs.evaluationPeriods, 1);
                }
            }
        });

        it("never pages on its first deployment: the monitor-silent alarm warms up past the monitor's first datapoint", () => {
            // A new alarm is evaluated at once (PutMetricAlarm); only the missing-data-
            // breaching one could go to ALARM before the monitor has run.
            const breaching = resourcesOf(declared, ALARM).filter(
                (a) =>
                    a.inputs.treatMissingData === "breaching" &&
                    a.inputs.metricName === METRICS.monitorHealth.name,
            );
            assert.equal(breaching.length, 2);
            // Every other alarm that counts missing data as breaching warms up too.
            for (const alarm of resourcesOf(declared, ALARM).filter(
                (a) => a.inputs.treatMissingData === "breaching",
            ))
                assert.ok(alarm.inputs.warmUpConfiguration, `${alarm.inputs.name} warms up`);
            const period = config.schedulePeriodSeconds;
            for (const alarm of breaching) {
                assert.equal(alarm.inputs.metricName, METRICS.monitorHealth.name);
                const warm = alarm.inputs.warmUpConfiguration;
                const minutes = warm.warmUpPeriodDurationInMinutes as number;
                // Deployment to first tick, a schedule period, the invocation and EMF.
                const firstDatapoint = DEPLOY_TO_FIRST_TICK_SECONDS + period + 60 + 60;
                assert.ok(minutes * 60 >= firstDatapoint, `${minutes} min for ${firstDatapoint} s`);
                assert.ok(minutes >= 1 && minutes <= 2880, "WarmUpPeriodDurationInMinutes");
                assert.notEqual(warm.onlyStartEvaluatingAfterWarmUpPeriodEnds, true, "ends early");
            }
        });

        it("pages a failed consistency check, peering and a silent monitor from each region, on the observer's own series", () => {
            for (const observer of CLUSTER_ROLES) {
                const region = regionOf[observer];
                const pair = pairId(identifierOf("primary"), identifierOf("secondary"));
                const expectObserver = (name: string, metric: string) => {
                    const page = composites(region).find((c) => c.inputs.alarmName === name)!;
                    const [child] = childrenOf(page.inputs.alarmRule);
                    assert.equal(child.inputs.metricName, metric);
                    assert.deepEqual(child.inputs.dimensions, observerDimensions(pair, region));
                    return child;
                };
                const monitor = expectObserver(
                    paging(observer).monitor,
                    METRICS.monitorHealth.name,
                );
                assert.equal(
                    monitor.inputs.treatMissingData,
                    "breaching",
                    "a silent monitor pages",
                );
                if (config.dataPlaneProbe) {
                    const consistency = expectObserver(
                        paging(observer).consistency,
                        METRICS.unreplicatedHeartbeats.name,
                    );
                    assert.equal(consistency.inputs.treatMissingData, "notBreaching");
                }
                const peering = composites(region).find(
                    (c) => c.inputs.alarmName === paging(observer).peering,
                )!;
                assert.deepEqual(
                    childrenOf(peering.inputs.alarmRule)
                        .map((c) => c.inputs.dimensions.ClusterId)
                        .sort(),
                    CLUSTER_ROLES.map(identifierOf).sort(),
                );
            }
        });

        it("runs the monitor on arm64 nodejs24.x with the configured limits, both clusters and its detection settings in its environment", () => {
            for (const region of Object.values(regionOf)) {
                const fn = resourcesOf(declared, "aws:lambda/function:Function", region).find(
                    (f) => f.inputs.handler === "index.handler",
                )!;
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
                assert.equal(env[ENV.databaseUser], config.databaseUser);
                assert.equal(
                    env[ENV.probeRounds],
                    config.detectionProfile === "fast" ? String(FAST_ROUNDS) : "1",
                );
                assert.equal(
                    env[ENV.metricResolution],
                    config.detectionProfile === "fast" ? "1" : "60",
                );
                assert.equal(
                    env.NODE_OPTIONS,
                    config.sourceMaps ? "--enable-source-maps" : undefined,
                );
                assert.ok(
                    fn.dependsOn.some((d) => d.endsWith("-peering")),
                    "starts after the peerings",
                );
                const retries = oneOf(
                    declared,
                    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
                    region,
                );
                assert.equal(
                    retries.inputs.maximumRetryAttempts,
                    0,
                    "a stale probe is never retried",
                );
                assert.equal(
                    retries.inputs.maximumEventAgeInSeconds,
                    Math.max(60, config.schedulePeriodSeconds),
                );
            }
        });

        it("puts the heartbeat table and the monitors' role in place during pulumi up, once the pair is peered", () => {
            const invocation = oneOf(
                declared,
                "aws:lambda/invocation:Invocation",
                config.primaryRegion,
            );
            const request = JSON.parse(invocation.inputs.input);
            assert.equal(request.databaseUser, config.databaseUser);
            assert.deepEqual(
                [...request.monitorRoleArns].sort(),
                CLUSTER_ROLES.map(
                    (role) => `arn:aws:iam::${MOCK_ACCOUNT}:role/dr-monitor-${MOCK_SUFFIX}-${role}`,
                ),
            );
            assert.ok(invocation.dependsOn.some((d) => d.endsWith("-peering")));
            const setup = resourcesOf(
                declared,
                "aws:lambda/function:Function",
                config.primaryRegion,
            ).find((f) => f.inputs.handler === "index.setupHandler")!;
            assert.equal(invocation.inputs.functionName, setup.inputs.name);
            for (const region of Object.values(regionOf)) {
                const rule = scheduleRule(region);
                assert.ok(
                    rule.dependsOn.includes("database-setup"),
                    "the schedules start after the setup",
                );
            }
        });

        it("schedules the monitor with a short retry window, a DLQ, and a permission scoped to the rule", () => {
            for (const region of Object.values(regionOf)) {
                const role = roleOf(region);
                const rule = scheduleRule(region);
                assert.equal(rule.inputs.name, `dr-health-monitor-${MOCK_SUFFIX}-${role}`);
                assert.equal(rule.inputs.scheduleExpression, config.monitoringSchedule);
                const ruleArn = rule.state.arn;
                const monitor = resourcesOf(declared, "aws:lambda/function:Function", region).find(
                    (f) => f.inputs.handler === "index.handler",
                )!;
                const fnArn = monitor.state.arn;
                const target = ruleTarget(rule);
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
                const permission = rulePermission(rule);
                assert.equal(permission.inputs.principal, "events.amazonaws.com");
                assert.equal(permission.inputs.function, monitor.inputs.name);
                assert.equal(permission.inputs.sourceAccount, MOCK_ACCOUNT);
            }
        });

        it("sends the OK of pages that recovered during a maintenance window when it closes", () => {
            for (const region of Object.values(regionOf)) {
                const role = roleOf(region);
                const rule = resourcesOf(
                    declared,
                    "aws:cloudwatch/eventRule:EventRule",
                    region,
                ).find((r) => r.inputs.name === `dr-closeout-${MOCK_SUFFIX}-${role}`)!;
                const suppressor = resourcesOf(declared, ALARM, region).find(
                    (a) => a.inputs.name === `dr-maintenance-${MOCK_SUFFIX}-${role}`,
                )!;
                // Only the suppressor's own state changes out of ALARM reach the function.
                assert.deepEqual(JSON.parse(rule.inputs.eventPattern), {
                    source: ["aws.cloudwatch"],
                    "detail-type": ["CloudWatch Alarm State Change"],
                    resources: [suppressor.state.arn],
                    detail: { previousState: { value: ["ALARM"] } },
                });
                const fn = resourcesOf(declared, "aws:lambda/function:Function", region).find(
                    (f) => f.inputs.handler === "closeout.closeoutHandler",
                )!;
                assert.equal(ruleTarget(rule).inputs.arn, fn.state.arn);
                assert.equal(rulePermission(rule).inputs.function, fn.inputs.name);
                const env = fn.inputs.environment.variables;
                const pages = pagesIn(region)
                    .map((p) => p.inputs.alarmName)
                    .sort();
                assert.deepEqual([...JSON.parse(env.CLOSEOUT_PAGES)].sort(), pages);
                assert.equal(env.CLOSEOUT_SUPPRESSOR, suppressor.inputs.name);
                assert.equal(env.CLOSEOUT_TOPIC_ARN, topicArn(region));
                // It may read alarms (composites need "*"), publish to its topic, use its key.
                const doc = rolePolicy(fn.inputs.name);
                const key = alertKey(region).state.arn;
                assert.deepEqual(
                    doc.Statement.map((st) => [asList(st.Action), asList(st.Resource)]),
                    [
                        [["cloudwatch:DescribeAlarms"], ["*"]],
                        [["sns:Publish"], [topicArn(region)]],
                        [["kms:GenerateDataKey", "kms:Decrypt"], [key]],
                        [
                            ["logs:CreateLogStream", "logs:PutLogEvents"],
                            [
                                `arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:/aws/lambda/${fn.inputs.name}:log-stream:*`,
                            ],
                        ],
                    ],
                );
            }
        });

        it("builds a dashboard per region that shows every signal of both observers", () => {
            for (const region of Object.values(regionOf)) {
                const dashboard = oneOf(declared, "aws:cloudwatch/dashboard:Dashboard", region);
                const expectedName =
                    region === config.primaryRegion
                        ? `Aurora-DSQL-DR-Dashboard-${MOCK_SUFFIX}`
                        : `Aurora-DSQL-DR-Dashboard-${MOCK_SUFFIX}-secondary`;
                assert.equal(dashboard.inputs.dashboardName, expectedName);
                const body = JSON.parse(dashboard.inputs.dashboardBody);
                const rows = body.widgets.flatMap((w: any) => w.properties.metrics ?? []);
                // Every contract metric, warnings included, from both observers.
                for (const metric of Object.values(METRICS)) {
                    const lines = rows.filter((m: any[]) => m[1] === metric.name);
                    const perObserver = metric.scope === "cluster" ? 2 : 1;
                    assert.equal(lines.length, 2 * perObserver, `${metric.name} lines`);
                    assert.deepEqual(
                        [...new Set(lines.map((m: any[]) => m[m.length - 1].region))].sort(),
                        Object.values(regionOf).sort(),
                        `${metric.name} from both observers, each from its own region`,
                    );
                }
                for (const observer of Object.values(regionOf)) {
                    for (const role of CLUSTER_ROLES) {
                        const dims = Object.entries(
                            metricDimensions(
                                { identifier: identifierOf(role), region: regionOf[role] },
                                observer,
                            ),
                        ).flat();
                        assert.ok(
                            rows.some(
                                (m: any[]) =>
                                    m[1] === METRICS.clusterVerdict.name &&
                                    JSON.stringify(m.slice(2, 8)) === JSON.stringify(dims) &&
                                    m[8].region === observer,
                            ),
                            `verdict of ${role} from ${observer}`,
                        );
                    }
                }
                const alarmWidget = body.widgets.find((w: any) => w.type === "alarm");
                const inRegion = [...resourcesOf(declared, ALARM, region), ...composites(region)];
                assert.deepEqual(
                    [...alarmWidget.properties.alarms].sort(),
                    inRegion.map((a) => a.state.arn).sort(),
                );
                const logs = body.widgets.filter((w: any) => w.type === "log");
                assert.deepEqual(
                    logs.map((w: any) => w.properties.region).sort(),
                    Object.values(regionOf).sort(),
                    "each observer's summary lines",
                );
            }
        });

        it("matches its committed architecture diagram (regenerate with npm run docs)", () => {
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

        it("prices its alarms and metrics from the declared resources, within its profile's goal", () => {
            const cost = monthlyCost(declared);
            const line = (item: string) => cost.find((l) => l.item === item)!;
            // The monitoring path: its children and suppressors (not failover or backup alarms).
            const monitoring = (r: DeclaredStack["resources"][number]) =>
                ["aurora-dsql-dr:monitoring:PagingAlarms"].includes(r.parent?.type ?? "");
            const metricAlarms = resourcesOf(declared, ALARM).filter(monitoring);
            const highResolution = metricAlarms.filter((a) => a.inputs.period < 60).length;
            assert.equal(line("CloudWatch alarms, high-resolution").usd, highResolution * 0.3);
            assert.equal(
                line("CloudWatch alarms, standard").usd,
                (metricAlarms.length - highResolution) * 0.1,
            );
            // The drills' guards and backup pages are priced with their features.
            const monitoringPages = pagesIn().filter(monitoring);
            assert.equal(line("CloudWatch composite alarms").usd, monitoringPages.length * 0.5);
            assert.ok(
                totalUsd(cost) <= PROFILE_GOALS[config.detectionProfile].monthlyUsd,
                `USD ${totalUsd(cost)}`,
            );
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

        upgradeProperties(stack, () => declared);
    });
}
