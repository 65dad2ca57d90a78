import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProviderRegions } from "../support/mock-regions";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ClusterRole } from "../../monitor-function/src/contract";
import { BackupProtection, type BackupProtectionArgs } from "../../infra/backup";
import { backupSignalConditions } from "../../infra/backup-alarms";
import { backupCadence, backupRpo } from "../../infra/backup-schedule";
import type { ClusterRef } from "../../infra/cluster-pair";
import { SUPPRESSOR_EXTENSION_SECONDS, SUPPRESSOR_WAIT_SECONDS } from "../../infra/detection";
import { MOCK_ACCOUNT, MOCK_SUFFIX } from "../../tools/pulumi-host/mock-program";
import { lintPolicy } from "../support/iam-lint";
import { asList, policyOf, type PolicyDocument, type PolicyStatement } from "../support/stack";

// The component under Pulumi mocks: three declarations in one program (dev-like, prod-like
// and external), every resource recorded with its resolved inputs, region and options.

const REGIONS: Record<ClusterRole, string> = { primary: "us-east-1", secondary: "us-east-2" };
const ROLES = ["primary", "secondary"] as const;
const IDS: Record<ClusterRole, string> = { primary: "aaaaprimary", secondary: "bbbbsecondary" };
const clusterArn = (role: ClusterRole) =>
    `arn:aws:dsql:${REGIONS[role]}:${MOCK_ACCOUNT}:cluster/${IDS[role]}`;
const SCHEDULE = "cron(0 5 ? * * *)";
const other = (role: ClusterRole): ClusterRole => (role === "primary" ? "secondary" : "primary");
const EXTERNAL = { primary: "team-vault-east", secondary: "team-vault-ohio" };
const TOPIC = (role: ClusterRole) =>
    `arn:aws:sns:${REGIONS[role]}:${MOCK_ACCOUNT}:dr-alerts-${MOCK_SUFFIX}-${role}`;
const SUPPRESSOR = (role: ClusterRole) => `dr-signal-${MOCK_SUFFIX}-maintenance-${role}`;
const RUNBOOK = "https://example.com/runbook.md";

interface Declared {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly region?: string;
}
const declared: Declared[] = [];
const options = new Map<string, { protect: boolean; dependsOn: string[] }>();

function mockState(type: string, inputs: Record<string, any>, region?: string) {
    const arn = (service: string, rest: string) =>
        `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${rest}`;
    switch (type) {
        case "aws:kms/key:Key":
            return { arn: arn("kms", `key/${inputs.description.length}`), keyId: "key" };
        case "aws:backup/vault:Vault":
            return { arn: arn("backup", `backup-vault:${inputs.name}`) };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${inputs.name}` };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { arn: arn("cloudwatch", `alarm:${inputs.name}`) };
        case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
            return { arn: arn("cloudwatch", `alarm:${inputs.alarmName}`) };
        default:
            return {};
    }
}

function variant(prefix: string, overrides: Partial<BackupProtectionArgs>, providers: any) {
    const clusters: ClusterRef[] = ROLES.map((role) => ({
        role,
        region: REGIONS[role],
        identifier: pulumi.output(IDS[role]),
        arn: pulumi.output(clusterArn(role)),
        endpoint: pulumi.output(`${IDS[role]}.dsql.${REGIONS[role]}.on.aws`),
    }));
    // Options (protect, dependsOn) never reach the mocks; a transformation sees them.
    const record: pulumi.ResourceTransformation = ({ type, name, opts }) => {
        options.set(`${type}::${name}`, {
            protect: opts.protect ?? false,
            dependsOn: ([] as unknown[])
                .concat(opts.dependsOn ?? [])
                .map((r) => (r as { __name: string }).__name),
        });
        return undefined;
    };
    return new BackupProtection(
        prefix,
        {
            mode: "on",
            clusters,
            witnessRegion: "us-west-2",
            providers,
            suffix: MOCK_SUFFIX,
            schedule: SCHEDULE,
            startWindowMinutes: 60,
            completionWindowMinutes: 240,
            retentionDays: 7,
            deletionProtection: false,
            alertTopicArns: { primary: TOPIC("primary"), secondary: TOPIC("secondary") },
            suppressorAlarmNames: {
                primary: SUPPRESSOR("primary"),
                secondary: SUPPRESSOR("secondary"),
            },
            runbookUrl: RUNBOOK,
            ...overrides,
        },
        { transformations: [record] },
    );
}

const of = (prefix: string, type: string, region?: string) =>
    declared
        .filter(
            (d) =>
                d.type === type &&
                d.name.startsWith(`${prefix}-`) &&
                (region === undefined || d.region === region),
        )
        .map((d) => ({ ...d, ...options.get(`${d.type}::${d.name}`) }));
const one = (prefix: string, type: string, region: string) => {
    const found = of(prefix, type, region);
    assert.equal(found.length, 1, `${prefix}: one ${type} in ${region}, found ${found.length}`);
    return found[0];
};
const statement = (doc: PolicyDocument, sid: string): PolicyStatement => {
    const found = asList(doc.Statement).find((s) => s.Sid === sid);
    assert.ok(found, `no statement ${sid}`);
    return found;
};

let prod: BackupProtection;
before(async () => {
    const regions = new ProviderRegions("backup", "test");
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const region = regions.seen(args);
                declared.push({ type: args.type, name: args.name, inputs: args.inputs, region });
                const state = { ...args.inputs, ...mockState(args.type, args.inputs, region) };
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                if (args.token === "aws:index/getCallerIdentity:getCallerIdentity")
                    return { accountId: MOCK_ACCOUNT };
                if (args.token === "aws:index/getPartition:getPartition")
                    return { partition: "aws", dnsSuffix: "amazonaws.com" };
                throw new Error(`unmocked call ${args.token}`);
            },
        },
        "backup",
        "test",
        false,
    );
    const providers = {
        primary: new aws.Provider("primary", { region: REGIONS.primary }),
        secondary: new aws.Provider("secondary", { region: REGIONS.secondary }),
    };
    const dev = variant("dev", {}, providers);
    prod = variant("prod", { deletionProtection: true, retentionDays: 35 }, providers);
    const external = variant("ext", { mode: "external", externalVaults: EXTERNAL }, providers);
    await new Promise((resolve) =>
        pulumi.all([dev.alarmArns, prod.alarmArns, external.alarmArns]).apply(resolve),
    );
});

describe("backups of the pair: vaults, keys, plans and copies", () => {
    for (const role of ROLES) {
        const region = REGIONS[role];
        const peer = other(role);

        it(`${role}: a vault encrypted with its own rotating customer-managed key`, () => {
            const vault = one("dev", "aws:backup/vault:Vault", region);
            const key = one("dev", "aws:kms/key:Key", region);
            assert.equal(vault.inputs.name, `dr-backup-${MOCK_SUFFIX}-${role}`);
            assert.match(vault.inputs.kmsKeyArn, new RegExp(`^arn:aws:kms:${region}:`));
            assert.equal(key.inputs.enableKeyRotation, true);
        });

        it(`${role}: one rule on the schedule, copied to the ${peer} vault with the same retention`, () => {
            const plan = one("dev", "aws:backup/plan:Plan", region);
            assert.equal(plan.inputs.rules.length, 1);
            const [rule] = plan.inputs.rules;
            assert.equal(rule.schedule, SCHEDULE);
            assert.equal(rule.targetVaultName, `dr-backup-${MOCK_SUFFIX}-${role}`);
            assert.deepEqual([rule.startWindow, rule.completionWindow], [60, 240]);
            assert.deepEqual(rule.lifecycle, { deleteAfter: 7 });
            assert.deepEqual(rule.copyActions, [
                {
                    destinationVaultArn: `arn:aws:backup:${REGIONS[peer]}:${MOCK_ACCOUNT}:backup-vault:dr-backup-${MOCK_SUFFIX}-${peer}`,
                    lifecycle: { deleteAfter: 7 },
                },
            ]);
            assert.equal(rule.lifecycle.coldStorageAfter, undefined);
        });

        it(`${role}: the selection names exactly the ${role} cluster, after the role's policy`, () => {
            const selection = one("dev", "aws:backup/selection:Selection", region);
            assert.deepEqual(selection.inputs.resources, [clusterArn(role)]);
            assert.equal(selection.inputs.planId, `dev-${role}-plan-id`);
            assert.equal(
                selection.inputs.iamRoleArn,
                `arn:aws:iam::${MOCK_ACCOUNT}:role/dr-backup-${MOCK_SUFFIX}`,
            );
            assert.deepEqual(selection.dependsOn, ["dev-role-policy"]);
        });
    }

    it("never declares the account's shared AWS Backup region settings", () => {
        assert.deepEqual(
            declared.filter((d) => d.type === "aws:backup/regionSettings:RegionSettings"),
            [],
        );
    });

    it("dev (no deletion protection): vaults are destroyable with their recovery points", () => {
        for (const vault of of("dev", "aws:backup/vault:Vault")) {
            assert.equal(vault.inputs.forceDestroy, true);
            assert.equal(vault.protect, false);
        }
        assert.deepEqual(of("dev", "aws:backup/vaultLockConfiguration:VaultLockConfiguration"), []);
    });

    it("prod (deletion protection): vaults and keys protected, never force-destroyed, locked at the retention", () => {
        for (const role of ROLES) {
            const vault = one("prod", "aws:backup/vault:Vault", REGIONS[role]);
            assert.equal(vault.inputs.forceDestroy, false);
            assert.equal(vault.protect, true);
            assert.equal(one("prod", "aws:kms/key:Key", REGIONS[role]).protect, true);
            const lock = one(
                "prod",
                "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
                REGIONS[role],
            );
            assert.equal(lock.inputs.backupVaultName, vault.inputs.name);
            assert.equal(lock.inputs.minRetentionDays, 35);
            // Governance mode: a compliance lock could never be removed again.
            assert.equal(lock.inputs.changeableForDays, undefined);
        }
    });

    it("external: no vault, key, plan, selection or role; the pages watch the team's vaults", () => {
        for (const type of [
            "aws:backup/vault:Vault",
            "aws:kms/key:Key",
            "aws:backup/plan:Plan",
            "aws:backup/selection:Selection",
            "aws:iam/role:Role",
        ]) {
            assert.deepEqual(of("ext", type), [], type);
        }
        const watched = of("ext", "aws:cloudwatch/metricAlarm:MetricAlarm").flatMap((a) =>
            a.inputs.metricQueries.flatMap((q: any) => q.metric?.dimensions.BackupVaultName ?? []),
        );
        assert.deepEqual([...new Set(watched)].sort(), Object.values(EXTERNAL).sort());
    });

    it("reports the RPO its schedule and windows give", () => {
        const cadence = backupCadence(SCHEDULE);
        assert.ok(typeof cadence !== "string");
        const windows = { startWindowMinutes: 60, completionWindowMinutes: 240 };
        assert.deepEqual(prod.rpo, backupRpo(cadence, windows));
    });
});

describe("the backup role and the vault keys", () => {
    const rolePolicy = () =>
        policyOf(one("dev", "aws:iam/rolePolicy:RolePolicy", "us-east-1").inputs.policy);
    const roleArn = `arn:aws:iam::${MOCK_ACCOUNT}:role/dr-backup-${MOCK_SUFFIX}`;

    it("is assumed by AWS Backup on behalf of this account only", () => {
        const trust = policyOf(
            one("dev", "aws:iam/role:Role", "us-east-1").inputs.assumeRolePolicy,
        );
        assert.deepEqual(asList(trust.Statement), [
            {
                Effect: "Allow",
                Principal: { Service: "backup.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT } },
            },
        ]);
    });

    it("backs up the two clusters of the pair and nothing else", () => {
        assert.deepEqual(
            asList(statement(rolePolicy(), "BackUpThePair").Resource).sort(),
            ROLES.map(clusterArn).sort(),
        );
    });

    it("passes the Service Authorization Reference: role, trust and both key policies", async () => {
        const docs: [string, PolicyDocument, string][] = [
            ["role policy", rolePolicy(), roleArn],
            [
                "trust",
                policyOf(one("dev", "aws:iam/role:Role", "us-east-1").inputs.assumeRolePolicy),
                roleArn,
            ],
            ...ROLES.map((role): [string, PolicyDocument, string] => [
                `${role} key policy`,
                policyOf(one("dev", "aws:kms/key:Key", REGIONS[role]).inputs.policy),
                `arn:aws:kms:${REGIONS[role]}:${MOCK_ACCOUNT}:key/1`,
            ]),
        ];
        for (const [what, doc, subject] of docs) {
            assert.deepEqual(await lintPolicy(doc, subject), [], what);
        }
    });
});

describe("the backup page of each region", () => {
    for (const role of ROLES) {
        const region = REGIONS[role];
        const page = () => one("dev", "aws:cloudwatch/compositeAlarm:CompositeAlarm", region);
        const children = () => of("dev", "aws:cloudwatch/metricAlarm:MetricAlarm", region);

        it(`${role}: pages on the region's topic, ALARM and OK, held back by its maintenance alarm`, () => {
            const { inputs } = page();
            assert.equal(inputs.alarmName, `dr-page-${MOCK_SUFFIX}-backup-${role}`);
            assert.deepEqual(
                [inputs.alarmActions, inputs.okActions],
                [[TOPIC(role)], [TOPIC(role)]],
            );
            assert.deepEqual(inputs.actionsSuppressor, {
                alarm: SUPPRESSOR(role),
                waitPeriod: SUPPRESSOR_WAIT_SECONDS,
                extensionPeriod: SUPPRESSOR_EXTENSION_SECONDS,
            });
            assert.ok(inputs.alarmDescription.length <= 1024);
            assert.ok(inputs.alarmDescription.includes(`${RUNBOOK}#page-backup`));
            assert.match(inputs.alarmDescription, /First check: aws backup list-backup-jobs/);
        });

        it(`${role}: any of its three signals pages; they take no action themselves`, () => {
            const names = backupSignalConditions(prod.rpo).map(
                (c) => `dr-signal-${MOCK_SUFFIX}-${c.detail}-${role}`,
            );
            assert.deepEqual(
                children()
                    .map((c) => c.inputs.name)
                    .sort(),
                [...names].sort(),
            );
            assert.equal(page().inputs.alarmRule, names.map((n) => `ALARM("${n}")`).join(" OR "));
            for (const child of children()) assert.equal(child.inputs.actionsEnabled, false);
        });

        it(`${role}: each signal is its condition over AWS/Backup, summed over both dimension sets`, () => {
            const vaults = [role, other(role)].map((r) => `dr-backup-${MOCK_SUFFIX}-${r}`);
            for (const condition of backupSignalConditions(prod.rpo)) {
                const { inputs } = children().find((c) =>
                    c.inputs.name.includes(condition.detail),
                )!;
                const [total, ...series] = inputs.metricQueries;
                assert.equal(total.expression, series.map((q: any) => q.id).join(" + "));
                assert.deepEqual(
                    [inputs.comparisonOperator, inputs.evaluationPeriods, inputs.datapointsToAlarm],
                    [
                        condition.comparison,
                        condition.evaluationPeriods,
                        condition.datapointsToAlarm,
                    ],
                );
                assert.equal(inputs.treatMissingData, condition.missing);
                assert.deepEqual(
                    inputs.warmUpConfiguration?.warmUpPeriodDurationInMinutes,
                    condition.warmUpMinutes,
                );
                for (const { metric } of series) {
                    assert.deepEqual(
                        [metric.namespace, metric.stat, metric.period],
                        ["AWS/Backup", "Sum", condition.periodSeconds],
                    );
                    assert.ok(condition.metrics.includes(metric.metricName));
                    const { BackupVaultName, ...rest } = metric.dimensions;
                    assert.ok(vaults.includes(BackupVaultName), BackupVaultName);
                    assert.ok([0, 1].includes(Object.keys(rest).length));
                }
                const withDsql = series.filter(
                    (q: any) => q.metric.dimensions.ResourceType === "DSQL",
                );
                assert.equal(withDsql.length * 2, series.length);
            }
        });
    }
});
