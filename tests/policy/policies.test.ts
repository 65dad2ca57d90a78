import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { METRIC_NAMESPACE, METRICS } from "../../monitor-function/src/contract";
import {
    alarmTopicsUseCustomerKeys,
    encryptedQueues,
    encryptedTopics,
    monitorSilenceBreaches,
    noDefaultProvider,
    noWildcardActions,
    PAIR_TYPE,
    protectedClusters,
    stackPolicies,
} from "../../policy/policies";
import { runProgram, type HostRun } from "../../tools/pulumi-host/real-host";
import { PROJECT, stackConfig } from "../../tools/pulumi-host/stack-config";
import {
    engineStackViolations,
    resourceArgs,
    stackViolations,
    violations,
} from "../support/policy";

const TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:dr-alerts";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234";
const statement = (Action: string | string[]) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action, Resource: "arn:aws:dsql:us-east-1:111122223333:cluster/x" },
        ],
    });

describe("policy: no-default-provider", () => {
    it("passes an explicit provider", async () => {
        assert.deepEqual(
            await violations(
                noDefaultProvider,
                resourceArgs({ type: "aws:sns/topic:Topic", props: {}, provider: "primary" }),
            ),
            [],
        );
    });
    it("reports the default provider", async () => {
        const found = await violations(
            noDefaultProvider,
            resourceArgs({ type: "aws:sns/topic:Topic", props: {}, provider: "default_7_48_0" }),
        );
        assert.match(found.join(), /uses the default provider default_7_48_0/);
    });
});

describe("policy: sns-topic-encrypted", () => {
    it("passes a customer-managed key", async () => {
        assert.deepEqual(
            await violations(
                encryptedTopics,
                resourceArgs({ type: "aws:sns/topic:Topic", props: { kmsMasterKeyId: KEY_ARN } }),
            ),
            [],
        );
    });
    it("reports an unencrypted topic", async () => {
        assert.match(
            (
                await violations(
                    encryptedTopics,
                    resourceArgs({ type: "aws:sns/topic:Topic", props: {} }),
                )
            ).join(),
            /is not encrypted/,
        );
    });
    it("reports the AWS-managed alias/aws/sns key", async () => {
        const found = await violations(
            encryptedTopics,
            resourceArgs({
                type: "aws:sns/topic:Topic",
                props: { kmsMasterKeyId: "alias/aws/sns" },
            }),
        );
        assert.match(found.join(), /CloudWatch alarms cannot use/);
    });
});

describe("policy: sqs-queue-encrypted", () => {
    it("passes SSE-SQS and KMS", async () => {
        assert.deepEqual(
            await violations(
                encryptedQueues,
                resourceArgs({
                    type: "aws:sqs/queue:Queue",
                    props: { sqsManagedSseEnabled: true },
                }),
            ),
            [],
        );
        assert.deepEqual(
            await violations(
                encryptedQueues,
                resourceArgs({ type: "aws:sqs/queue:Queue", props: { kmsMasterKeyId: KEY_ARN } }),
            ),
            [],
        );
    });
    it("reports an unencrypted queue", async () => {
        assert.match(
            (
                await violations(
                    encryptedQueues,
                    resourceArgs({
                        type: "aws:sqs/queue:Queue",
                        props: { sqsManagedSseEnabled: false },
                    }),
                )
            ).join(),
            /not encrypted/,
        );
    });
});

describe("policy: no-wildcard-iam-actions", () => {
    it("passes named actions", async () => {
        assert.deepEqual(
            await violations(
                noWildcardActions,
                resourceArgs({
                    type: "aws:iam/rolePolicy:RolePolicy",
                    props: { policy: statement(["dsql:GetCluster"]) },
                }),
            ),
            [],
        );
    });
    it("reports a service wildcard", async () => {
        const found = await violations(
            noWildcardActions,
            resourceArgs({
                type: "aws:iam/rolePolicy:RolePolicy",
                props: { policy: statement("dsql:*") },
            }),
        );
        assert.match(found.join(), /wildcard action "dsql:\*"/);
    });
    it("reports a partial wildcard in a key policy", async () => {
        const found = await violations(
            noWildcardActions,
            resourceArgs({
                type: "aws:kms/key:Key",
                props: { policy: statement(["kms:Describe*"]) },
            }),
        );
        assert.match(found.join(), /wildcard action "kms:Describe\*"/);
    });
    it("reports NotAction", async () => {
        const doc = JSON.stringify({
            Statement: [{ Effect: "Allow", NotAction: "iam:PassRole", Resource: "*" }],
        });
        assert.match(
            (
                await violations(
                    noWildcardActions,
                    resourceArgs({ type: "aws:iam/rolePolicy:RolePolicy", props: { policy: doc } }),
                )
            ).join(),
            /NotAction/,
        );
    });
});

describe("policy: clusters-protected-as-configured", () => {
    const CLUSTER = "aws:dsql/cluster:Cluster";
    const PEERING = "aws:dsql/clusterPeering:ClusterPeering";
    /**
     * A pair as the program declares it: the component with the stack's deletionProtection,
     * two clusters and two peerings under it, each protected and (clusters) with deletion
     * protection as `members` says.
     */
    const pair = (
        deletionProtection: boolean,
        stack = "prod",
        members: {
            protect?: boolean;
            deletionProtectionEnabled?: boolean;
            unprotected?: string;
            deletionProtectionOff?: string;
        } = {},
    ) => {
        const protect = members.protect ?? deletionProtection;
        const enabled = members.deletionProtectionEnabled ?? deletionProtection;
        const member = (type: string, name: string, props: Record<string, unknown>) => ({
            type,
            name,
            stack,
            parent: "dsql",
            protect: name === members.unprotected ? false : protect,
            props,
        });
        const cluster = (name: string) =>
            member(CLUSTER, name, {
                deletionProtectionEnabled: name === members.deletionProtectionOff ? false : enabled,
            });
        return [
            { type: PAIR_TYPE, name: "dsql", stack, props: { deletionProtection } },
            cluster("dsql-primary"),
            cluster("dsql-secondary"),
            member(PEERING, "dsql-primary-peering", { identifier: "primary" }),
            member(PEERING, "dsql-secondary-peering", { identifier: "secondary" }),
        ];
    };

    it("passes a protected pair whose clusters and peerings are protected", async () => {
        assert.deepEqual(await stackViolations(protectedClusters, pair(true)), []);
    });

    it("reports a cluster of a protected pair without Pulumi protect, by name", async () => {
        const found = await stackViolations(
            protectedClusters,
            pair(true, "prod", { unprotected: "dsql-secondary" }),
        );
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(
            found[0],
            /^dsql-secondary is not protected although the stack's deletionProtection is on: set the Pulumi protect option/,
        );
    });

    it("reports a cluster of a protected pair with deletion protection off, by name", async () => {
        const found = await stackViolations(
            protectedClusters,
            pair(true, "prod", { deletionProtectionOff: "dsql-primary" }),
        );
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(
            found[0],
            /^dsql-primary has deletion protection off although the stack's deletionProtection is on/,
        );
    });

    it("reports a peering of a protected pair without Pulumi protect, by name", async () => {
        const found = await stackViolations(
            protectedClusters,
            pair(true, "prod", { unprotected: "dsql-primary-peering" }),
        );
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(found[0], /^dsql-primary-peering is not protected/);
    });

    it("reports every member of a protected pair that dropped both protections", async () => {
        const found = await stackViolations(
            protectedClusters,
            pair(true, "prod", { protect: false, deletionProtectionEnabled: false }),
        );
        // Four members without protect, two clusters without deletion protection.
        assert.equal(found.length, 6, found.join("\n"));
        for (const name of ["dsql-primary", "dsql-secondary"]) {
            assert.ok(
                found.includes(
                    `${name} has deletion protection off although the stack's deletionProtection is on.`,
                ),
            );
        }
    });

    it("passes a retirement: the pair's deletionProtection turned off, members unprotected", async () => {
        assert.deepEqual(
            await stackViolations(
                protectedClusters,
                pair(false, "prod", { protect: false, deletionProtectionEnabled: false }),
            ),
            [],
        );
    });

    it("passes an unprotected dev pair", async () => {
        assert.deepEqual(await stackViolations(protectedClusters, pair(false, "dev")), []);
    });

    it("enforces protection on a stack named prod-eu with deletionProtection on", async () => {
        const found = await stackViolations(
            protectedClusters,
            pair(true, "prod-eu", { unprotected: "dsql-primary" }),
        );
        assert.match(found.join("\n"), /^dsql-primary is not protected/);
    });

    it("enforces protection on a stack named dev with deletionProtection on: the name does not matter", async () => {
        const found = await stackViolations(
            protectedClusters,
            pair(true, "dev", { deletionProtectionOff: "dsql-secondary" }),
        );
        assert.match(found.join("\n"), /^dsql-secondary has deletion protection off/);
    });

    it("leaves clusters that are not members of a pair alone", async () => {
        const declaredElsewhere = pair(true, "prod", {
            protect: false,
            deletionProtectionEnabled: false,
        }).map((r) => ({ ...r, parent: undefined }));
        assert.deepEqual(await stackViolations(protectedClusters, declaredElsewhere), []);
    });
});

/**
 * The pack against the real program, with props as the engine hands a stack policy:
 * resources' outputs, a component's being what it registered with registerOutputs.
 */
describe("policy: clusters-protected-as-configured on the prod program, as the engine applies it", () => {
    const stop = new AbortController();
    let run: HostRun;
    before(async () => {
        const raw = stackConfig("prod");
        run = await runProgram({
            stack: "prod",
            config: Object.fromEntries(
                Object.entries(raw).map(([k, v]) => [k.includes(":") ? k : `${PROJECT}:${k}`, v]),
            ),
            timeoutMs: 90_000,
            signal: stop.signal,
            // What the engine hands the pack does not depend on ts-node's type check, which
            // tests/infra/real-host.test.ts runs on the same sources (Pulumi's own switch).
            env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        });
        assert.equal(run.exitCode, 0, run.stderr);
    });
    after(() => stop.abort());

    it("passes every stack policy", async () => {
        for (const policy of stackPolicies) {
            assert.deepEqual(await engineStackViolations(policy, run), [], policy.name);
        }
    });

    it("reports a cluster that lost Pulumi protect", async () => {
        const found = await engineStackViolations(protectedClusters, run, (r) =>
            r.type === "aws:dsql/cluster:Cluster" && r.name.endsWith("-primary")
                ? { ...r, protect: false }
                : r,
        );
        assert.match(
            found.join("\n"),
            /-primary is not protected although the stack's deletionProtection is on/,
        );
    });
});

describe("policy: monitor-silence-breaching", () => {
    const alarm = (metricName: string, treatMissingData?: string) =>
        resourceArgs({
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            name: "dr-monitor",
            props: { namespace: METRIC_NAMESPACE, metricName, treatMissingData },
        });
    it("passes a MonitorHealth alarm that treats missing data as breaching", async () => {
        assert.deepEqual(
            await violations(
                monitorSilenceBreaches,
                alarm(METRICS.monitorHealth.name, "breaching"),
            ),
            [],
        );
    });
    it("reports a MonitorHealth alarm that treats missing data as notBreaching", async () => {
        assert.match(
            (
                await violations(
                    monitorSilenceBreaches,
                    alarm(METRICS.monitorHealth.name, "notBreaching"),
                )
            ).join(),
            /^dr-monitor treats missing data as "notBreaching"; use "breaching"/,
        );
    });
    it("reports a MonitorHealth alarm left at the default (missing)", async () => {
        assert.match(
            (await violations(monitorSilenceBreaches, alarm(METRICS.monitorHealth.name))).join(),
            /^dr-monitor treats missing data as "missing"; use "breaching"/,
        );
    });
    it("leaves alarms on sparse metrics alone, whose silence is the healthy state", async () => {
        assert.deepEqual(
            await violations(
                monitorSilenceBreaches,
                alarm(METRICS.clusterVerdict.name, "notBreaching"),
            ),
            [],
        );
    });
});

describe("policy: alarm-topics-customer-managed-key", () => {
    const alarm = {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name: "health",
        props: { alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] },
    };
    const composite = (topicArn: string) => ({
        type: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        name: "page-monitor",
        props: { alarmActions: [topicArn], okActions: [topicArn] },
    });
    const key = { type: "aws:kms/key:Key", name: "key", props: { arn: KEY_ARN } };
    const topic = {
        type: "aws:sns/topic:Topic",
        name: "alerts",
        props: { arn: TOPIC_ARN, kmsMasterKeyId: KEY_ARN },
    };
    it("passes a topic encrypted with the stack's key", async () => {
        assert.deepEqual(
            await stackViolations(alarmTopicsUseCustomerKeys, [alarm, key, topic]),
            [],
        );
    });
    it("reports a topic on the AWS-managed key", async () => {
        const awsManaged = { ...topic, props: { arn: TOPIC_ARN, kmsMasterKeyId: "alias/aws/sns" } };
        const found = await stackViolations(alarmTopicsUseCustomerKeys, [alarm, key, awsManaged]);
        assert.match(
            found.join(),
            /^health notifies alerts, which is not encrypted with a customer-managed key of this stack/,
        );
    });
    it("reports an alarm notifying a topic outside the stack", async () => {
        const found = await stackViolations(alarmTopicsUseCustomerKeys, [alarm, key]);
        assert.match(
            found.join(),
            /^health notifies arn:aws:sns:us-east-1:111122223333:dr-alerts, which is not a topic of this stack/,
        );
    });
    it("passes a composite alarm notifying the stack's encrypted topic", async () => {
        assert.deepEqual(
            await stackViolations(alarmTopicsUseCustomerKeys, [composite(TOPIC_ARN), key, topic]),
            [],
        );
    });
    it("reports a composite alarm notifying a topic outside the stack", async () => {
        const foreign = "arn:aws:sns:us-east-1:444455556666:someone-elses-alerts";
        const found = await stackViolations(alarmTopicsUseCustomerKeys, [
            composite(foreign),
            key,
            topic,
        ]);
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(
            found[0],
            /^page-monitor notifies arn:aws:sns:us-east-1:444455556666:someone-elses-alerts, which is not a topic of this stack/,
        );
    });
});
