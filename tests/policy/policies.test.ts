import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    alarmTopicsUseCustomerKeys,
    encryptedQueues,
    encryptedTopics,
    healthAlarmsBreachOnMissingData,
    noDefaultProvider,
    noWildcardActions,
    protectedClusters,
} from "../../policy/policies";
import { resourceArgs, stackViolations, violations } from "../support/policy";

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

describe("policy: clusters-protected-in-prod", () => {
    const cluster = (stack: string, protect: boolean, deletionProtectionEnabled: boolean) =>
        resourceArgs({
            type: "aws:dsql/cluster:Cluster",
            stack,
            protect,
            props: { deletionProtectionEnabled },
        });
    it("passes a protected prod cluster", async () => {
        assert.deepEqual(await violations(protectedClusters, cluster("prod", true, true)), []);
    });
    it("reports an unprotected prod cluster, both ways", async () => {
        const found = await violations(protectedClusters, cluster("prod", false, false));
        assert.equal(found.length, 2);
        assert.match(found.join("\n"), /Pulumi protect/);
        assert.match(found.join("\n"), /deletion protection off/);
    });
    it("reports an unprotected prod peering", async () => {
        const found = await violations(
            protectedClusters,
            resourceArgs({
                type: "aws:dsql/clusterPeering:ClusterPeering",
                stack: "prod",
                props: {},
            }),
        );
        assert.match(found.join(), /Pulumi protect/);
    });
    it("leaves dev alone", async () => {
        assert.deepEqual(await violations(protectedClusters, cluster("dev", false, false)), []);
    });
});

describe("policy: health-alarm-missing-data-breaching", () => {
    const alarm = (treatMissingData?: string) =>
        resourceArgs({
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            props: {
                namespace: "Aurora/DSQL/DisasterRecovery",
                metricName: "ClusterHealth",
                treatMissingData,
            },
        });
    it("passes breaching", async () => {
        assert.deepEqual(await violations(healthAlarmsBreachOnMissingData, alarm("breaching")), []);
    });
    it("reports notBreaching and the default", async () => {
        assert.match(
            (await violations(healthAlarmsBreachOnMissingData, alarm("notBreaching"))).join(),
            /"notBreaching"; use "breaching"/,
        );
        assert.match(
            (await violations(healthAlarmsBreachOnMissingData, alarm(undefined))).join(),
            /"missing"; use "breaching"/,
        );
    });
});

describe("policy: alarm-topics-customer-managed-key", () => {
    const alarm = {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name: "health",
        props: { alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] },
    };
    const key = { type: "aws:kms/key:Key", name: "key", props: { arn: KEY_ARN } };
    it("passes a topic encrypted with the stack's key", async () => {
        const topic = {
            type: "aws:sns/topic:Topic",
            name: "alerts",
            props: { arn: TOPIC_ARN, kmsMasterKeyId: KEY_ARN },
        };
        assert.deepEqual(
            await stackViolations(alarmTopicsUseCustomerKeys, [alarm, key, topic]),
            [],
        );
    });
    it("reports a topic on the AWS-managed key", async () => {
        const topic = {
            type: "aws:sns/topic:Topic",
            name: "alerts",
            props: { arn: TOPIC_ARN, kmsMasterKeyId: "alias/aws/sns" },
        };
        const found = await stackViolations(alarmTopicsUseCustomerKeys, [alarm, key, topic]);
        assert.match(found.join(), /not encrypted with a customer-managed key/);
    });
    it("reports an alarm notifying a topic outside the stack", async () => {
        const found = await stackViolations(alarmTopicsUseCustomerKeys, [alarm, key]);
        assert.match(found.join(), /not a topic of this stack/);
    });
});
