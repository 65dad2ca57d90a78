import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBackupSettings, type BackupSettings } from "../../infra/backup-settings";
import { formatMinutes } from "../../infra/backup-schedule";
import { recoveryLines, type DetectionRow } from "../../tools/operator/plan-report";

const settings = checkBackupSettings({
    mode: "on",
    schedule: "cron(0 5 ? * * *)",
    startWindowMinutes: 60,
    completionWindowMinutes: 240,
    retentionDays: 35,
}) as BackupSettings;

const stopped: DetectionRow = {
    scenario: "backups-stop",
    row: "no backup of cluster A runs",
    pages: "backup from primary",
    worstCaseSeconds: 126_000,
    typicalSeconds: 122_400,
    goalSeconds: settings.rpo.pageMinutes * 60,
    runs: 64,
    failures: 0,
};

describe("the plan's recovery lines", () => {
    it("says a stack without backups cannot recover from a DROP TABLE", () => {
        const text = recoveryLines("dev", { mode: "off" }, []).join(" ");
        assert.match(text, /no backups \(backup off\)/);
        assert.match(text, /Replication copies a DROP TABLE/);
    });

    it("gives the schedule, the RPO the page keeps and the simulated worst case", () => {
        const text = recoveryLines("prod", settings, [stopped]).join(" ");
        assert.match(text, /cron\(0 5 \? \* \* \*\) \(UTC\)/);
        assert.match(text, /kept 35 days in both regions/);
        assert.ok(
            text.includes(`RPO the backup page keeps: ${formatMinutes(settings.rpo.pageMinutes)}`),
        );
        assert.match(text, /simulated worst 35h/);
        assert.match(text, /`\.\/task drill prod --restore`/);
    });

    it("gives the opt-in commands for each cluster region, which the stack never runs itself", () => {
        const lines = recoveryLines("prod", settings, [], undefined, ["us-east-1", "us-west-2"]);
        for (const region of ["us-east-1", "us-west-2"]) {
            assert.ok(
                lines.includes(
                    `  aws backup describe-region-settings --region ${region} --query 'ResourceTypeOptInPreference.DSQL'`,
                ),
            );
            assert.ok(
                lines.includes(
                    `  aws backup update-region-settings --region ${region} --resource-type-opt-in-preference DSQL=true`,
                ),
            );
        }
        assert.equal(
            recoveryLines("dev", { mode: "off" }, [], undefined, ["us-east-1"]).some((l) =>
                l.includes("update-region-settings"),
            ),
            false,
        );
    });

    it("says when the backups were never proven to restore, and the last drill's figures when they were", () => {
        assert.match(recoveryLines("prod", settings, []).join(" "), /never been proven to restore/);
        const text = recoveryLines("prod", settings, [], {
            file: "drills/prod-restore-primary-20261206T090000Z.json",
            result: "pass",
            finishedAt: "2026-12-06T09:42:00.000Z",
            rpoSeconds: 14_460,
            rtoSeconds: 1_800,
        }).join(" ");
        assert.match(
            text,
            /Last restore drill: PASS at 2026-12-06T09:42:00\.000Z, RPO 4h1m, RTO 30m/,
        );
        assert.match(text, /\(drills\/prod-restore-primary-20261206T090000Z\.json\)/);
    });
});
