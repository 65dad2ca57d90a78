import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Refusal } from "../../tools/operator/errors";
import type { RestoreClients } from "../../tools/operator/restore-clients";
import { backupApi, restoreClients, type BackupSdk } from "../../tools/operator/restore-clients";
import { restoreDrill } from "../../tools/operator/restore-drill";
import { startRestoreInput } from "../../tools/operator/restore-job";
import {
    checkRestoreOutputs,
    restoreTarget,
    RESTORE_DEFAULTS,
} from "../../tools/operator/restore-options";
import { restorePlanLines, type RestorePlanStep } from "../../tools/operator/restore-plan";
import { newestRecoveryPoint } from "../../tools/operator/restore-points";
import {
    BACKUP_CREATED,
    drillRun,
    fakeAws,
    OUTPUTS,
    recoveryPoint,
    script,
} from "../support/restore-fakes";

/** Clients whose every method throws: a dry run must call none. */
const untouchable: RestoreClients = new Proxy({} as RestoreClients, {
    get: () => () =>
        new Proxy(
            {},
            {
                get: (_, method) => () => {
                    throw new Error(`dry run called ${String(method)}`);
                },
            },
        ),
});

async function dryRun(options = {}) {
    const { run } = drillRun(script(), { dryRun: true, ...options });
    const result = await restoreDrill({ ...run, clients: untouchable });
    assert.equal(result.kind, "dry-run");
    return [...(result as { steps: readonly RestorePlanStep[] }).steps];
}
const callsOf = (steps: RestorePlanStep[]) =>
    steps.flatMap((s) => (s.kind === "call" ? [`${s.api} [${s.region}]`] : []));

describe("restore drill --dry-run: every AWS call it would make, none made", () => {
    it("lists the pair's calls in order: find, restore, name, clean up", async () => {
        assert.deepEqual(callsOf(await dryRun()), [
            "backup:ListRecoveryPointsByBackupVault [us-east-1]",
            "backup:ListRecoveryPointsByBackupVault [us-east-2]",
            "backup:StartRestoreJob [us-east-1]",
            "dsql:GetCluster [us-east-1]",
            "dsql:TagResource [us-east-1]",
            "dsql:TagResource [us-east-2]",
            "dsql:GetCluster [us-east-1]",
            "dsql:UpdateCluster [us-east-1]",
            "dsql:DeleteCluster [us-east-1]",
            "dsql:GetCluster [us-east-2]",
            "dsql:UpdateCluster [us-east-2]",
            "dsql:DeleteCluster [us-east-2]",
        ]);
    });

    it("shows StartRestoreJob with the input the real run builds", async () => {
        const start = (await dryRun()).find(
            (s) => s.kind === "call" && s.api === "backup:StartRestoreJob",
        ) as Extract<RestorePlanStep, { kind: "call" }>;
        const point = { arn: "<newest recovery point ARN>" } as Parameters<
            typeof startRestoreInput
        >[0];
        const target = restoreTarget(OUTPUTS, { ...RESTORE_DEFAULTS, region: "primary" });
        assert.deepEqual(
            start.input,
            startRestoreInput(point, OUTPUTS.backupRoleArn, target, "restore-drill-<start in ms>"),
        );
    });

    it("one cluster: no copy lookup, one region restored and cleaned up", async () => {
        const calls = callsOf(await dryRun({ topology: "single" }));
        assert.equal(calls.filter((c) => c.startsWith("backup:ListRecoveryPoints")).length, 1);
        assert.ok(
            calls.every((c) => !c.includes("us-east-2")),
            calls.join("\n"),
        );
    });

    it("prints numbered calls, says nothing is called, and names the data-plane proof and its bound", async () => {
        const text = restorePlanLines("dev", await dryRun()).join("\n");
        assert.match(text, /^Dry run: restore drill of stack dev\. No AWS call is made\./);
        assert.match(text, /\n {2}1\. backup:ListRecoveryPointsByBackupVault \[us-east-1\]/);
        const oneLine = text.replace(/\n +/g, " ");
        assert.match(
            oneLine,
            /the monitor's setup, then one heartbeat commit and read \(bounded at 1m\)/,
        );
        assert.match(
            oneLine,
            /aws dsql delete-cluster --region <region> --identifier <identifier>/,
        );
    });
});

describe("what the restore drill needs and finds", () => {
    it("refuses outputs of a stack without backups, naming each missing output", () => {
        const withoutBackups = { ...OUTPUTS, backupVaults: undefined, backupRoleArn: undefined };
        assert.throws(
            () => checkRestoreOutputs(withoutBackups as unknown as typeof OUTPUTS),
            (error: unknown) =>
                error instanceof Refusal &&
                /backupVaults\.primary: .*\n\s+backupVaults\.secondary: .*\n\s+backupRoleArn: /.test(
                    error.message,
                ),
        );
        assert.equal(checkRestoreOutputs(OUTPUTS), OUTPUTS);
    });

    it("finds the newest completed recovery point across pages", async () => {
        const newest = recoveryPoint(BACKUP_CREATED);
        const older = recoveryPoint(new Date(BACKUP_CREATED.getTime() - 86_400_000));
        const { clients, calls } = fakeAws(
            script({
                points: {
                    vault: [[older], [newest], [recoveryPoint(new Date(0), { Status: "EXPIRED" })]],
                },
            }),
        );
        const found = await newestRecoveryPoint(
            clients.backup("us-east-1"),
            "vault",
            "us-east-1",
            OUTPUTS.clusterArns.primary,
        );
        assert.equal(found?.arn, newest.RecoveryPointArn);
        assert.deepEqual(
            calls.map((c) => c.input.NextToken),
            [undefined, "1", "2"],
        );
    });

    it("reaches AWS Backup through the SDK module's client and commands", async () => {
        const sent: unknown[] = [];
        class Command {
            constructor(readonly input: unknown) {}
        }
        const sdk: BackupSdk = {
            BackupClient: class {
                constructor(readonly config: { region: string }) {}
                async send(command: unknown) {
                    sent.push([this.config.region, command]);
                    return { RestoreJobId: "job-1" };
                }
            },
            ListRecoveryPointsByBackupVaultCommand: class extends Command {},
            StartRestoreJobCommand: class extends Command {},
            DescribeRestoreJobCommand: class extends Command {},
        };
        const api = backupApi(sdk, "us-east-2");
        await api.describeRestoreJob({ RestoreJobId: "job-1" });
        const [[region, command]] = sent as [string, Command][];
        assert.equal(region, "us-east-2");
        assert.ok(command instanceof sdk.DescribeRestoreJobCommand);
        assert.deepEqual(command.input, { RestoreJobId: "job-1" });
    });

    it("says which package to install when the AWS Backup SDK is missing", async () => {
        const missing = async () => {
            throw new Error("Cannot find module '@aws-sdk/client-backup'");
        };
        await assert.rejects(
            restoreClients(missing),
            /needs @aws-sdk\/client-backup \(npm install --save-dev @aws-sdk\/client-backup\)/,
        );
    });
});
