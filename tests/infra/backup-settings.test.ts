import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backupMonthlyCost } from "../../infra/backup-cost";
import { dsqlOptInCommands } from "../../infra/backup-opt-in";
import { backupCadence, backupRpo, formatMinutes } from "../../infra/backup-schedule";
import {
    checkBackupSettings,
    type BackupSettings,
    type BackupSettingsInput,
} from "../../infra/backup-settings";
import { describeProblem, type ConfigProblem } from "../../infra/config/problem";
import { PRICES } from "../../tools/docs-gen/prices";

const DAILY: BackupSettingsInput = {
    mode: "on",
    schedule: "cron(0 5 ? * * *)",
    startWindowMinutes: 60,
    completionWindowMinutes: 240,
    retentionDays: 14,
};

const settings = (overrides: Partial<BackupSettingsInput> = {}) =>
    checkBackupSettings({ ...DAILY, ...overrides });
const valid = (overrides: Partial<BackupSettingsInput> = {}): BackupSettings => {
    const result = settings(overrides);
    assert.ok(
        !Array.isArray(result),
        Array.isArray(result) ? result.map(describeProblem).join("\n") : "",
    );
    return result;
};
const problems = (overrides: Partial<BackupSettingsInput>): ConfigProblem[] => {
    const result = settings(overrides);
    assert.ok(Array.isArray(result), "expected problems");
    return result;
};

describe("the backup schedule as time", () => {
    const cadence = (expression: string) => {
        const result = backupCadence(expression);
        assert.ok(typeof result !== "string", String(result));
        return result;
    };

    it("daily at 05:00: one day between backups, seven a week", () => {
        assert.deepEqual(cadence("cron(0 5 ? * * *)"), {
            expression: "cron(0 5 ? * * *)",
            longestGapMinutes: 1440,
            shortestGapMinutes: 1440,
            backupsPerWeek: 7,
            firingsInWeek: [0, 1, 2, 3, 4, 5, 6].map((day) => day * 1440 + 5 * 60),
        });
    });

    it("every 6 hours from 02:30: 360 minutes apart", () => {
        const every6 = cadence("cron(30 2/6 * * ? *)");
        assert.deepEqual([every6.longestGapMinutes, every6.backupsPerWeek], [360, 28]);
    });

    it("weekdays only: the longest gap spans the weekend (Friday to Monday)", () => {
        const weekdays = cadence("cron(0 5 ? * MON-FRI *)");
        assert.deepEqual([weekdays.longestGapMinutes, weekdays.shortestGapMinutes], [4320, 1440]);
    });

    it("two uneven times a day: longest 16 h, shortest 8 h", () => {
        const twice = cadence("cron(0 8,16 ? * * *)");
        assert.deepEqual([twice.longestGapMinutes, twice.shortestGapMinutes], [960, 480]);
    });

    for (const [expression, why] of [
        ["rate(1 day)", /six fields/],
        ["cron(0 5 * * * *)", /Day-of-month or Day-of-week as \?/],
        ["cron(0 5 1 * ? *)", /once a month or rarer/],
        ["cron(0 25 ? * * *)", /Hours field: "25" is not within 0-23/],
        ["cron(0 5 ? * FUNDAY *)", /Day-of-week field/],
    ] as const) {
        it(`refuses ${expression}, saying why`, () => {
            const result = backupCadence(expression);
            assert.equal(typeof result, "string");
            assert.match(result as string, why);
        });
    }

    it("the worst-case RPO is the longest gap, both windows and the margin", () => {
        const rpo = backupRpo(cadence("cron(0 5 ? * * *)"), DAILY);
        assert.equal(rpo.worstCaseMinutes, 1440 + 60 + 240 + rpo.marginMinutes);
        assert.equal(formatMinutes(rpo.worstCaseMinutes), "1d 5h 15m");
    });
});

describe("backup settings are checked before anything is declared", () => {
    it("a daily schedule with the default windows and two weeks' retention is valid", () => {
        assert.equal(valid().rpo.worstCaseMinutes, 1755);
    });

    it("refuses backups less than an hour apart (AWS Backup's least interval)", () => {
        const [problem] = problems({ schedule: "cron(0/30 * ? * * *)" });
        assert.equal(problem.key, "backupSchedule");
        assert.match(
            problem.allowed,
            /30 minutes apart: AWS Backup refuses .* less than 60 minutes/,
        );
    });

    it("refuses an RPO the recovery-point alarm's warm-up cannot cover", () => {
        const [problem] = problems({ schedule: "cron(0 5 ? * MON *)" });
        assert.equal(problem.key, "backupSchedule");
        assert.match(problem.allowed, /worst-case RPO of 7d 5h 15m .* at most 2d/);
    });

    it("refuses windows longer than the gap between two backups", () => {
        const [problem] = problems({
            schedule: "cron(0 */2 ? * * *)",
            completionWindowMinutes: 120,
        });
        assert.equal(problem.key, "backupCompletionWindowMinutes");
        assert.match(
            problem.allowed,
            /\(180 minutes\) must fit in the shortest gap between backups \(120 minutes\)/,
        );
    });

    it("refuses a start window under AWS Backup's 60 minutes", () => {
        const [problem] = problems({ startWindowMinutes: 30 });
        assert.equal(
            describeProblem(problem),
            'aurora-dsql-dr:backupStartWindowMinutes = "30": must be a whole number of minutes, at least 60 (AWS Backup\'s least window)',
        );
    });

    it("refuses a retention shorter than the RPO: the newest recovery point could expire first", () => {
        const [problem] = problems({ retentionDays: 1 });
        assert.equal(problem.key, "backupRetentionDays");
        assert.match(problem.allowed, /longer than the worst-case RPO \(1d 5h 15m\)/);
    });

    it("refuses a retention that is not a whole number of days", () => {
        assert.equal(problems({ retentionDays: 2.5 })[0].key, "backupRetentionDays");
    });

    it("external: refuses a missing or malformed vault name, naming the region role", () => {
        const found = problems({
            mode: "external",
            externalVaults: { primary: "ok-vault", secondary: "no spaces!" },
        });
        assert.deepEqual(
            found.map((p) => [p.key, p.value]),
            [["backupExternalVaults.secondary", "no spaces!"]],
        );
        assert.equal(problems({ mode: "external" }).length, 2);
    });

    it("reports every problem at once", () => {
        const found = problems({
            schedule: "cron(0 5 * * * *)",
            startWindowMinutes: 0,
            retentionDays: 0,
        });
        assert.deepEqual(found.map((p) => p.key).sort(), [
            "backupRetentionDays",
            "backupSchedule",
            "backupStartWindowMinutes",
        ]);
    });
});

describe("the backup cost per month", () => {
    it("daily backups kept 14 days of a 10 GB pair: 56 recovery points and 60.8 copies a month", () => {
        const lines = backupMonthlyCost(valid(), 10, PRICES);
        const storedPoints = 2 * 2 * 14;
        const copies = (2 * 730) / 24;
        assert.deepEqual(
            lines.map((l) => l.usd),
            [
                storedPoints * 10 * PRICES.backupDsqlWarmPerGbMonth,
                copies * 10 * PRICES.interRegionTransferPerGb,
            ],
        );
        assert.match(lines[0].quantity, /^56 recovery points × 10 GB = 560 GB-month$/);
    });

    it("grows with the size stored and the backups kept", () => {
        const total = (gb: number, days: number) =>
            backupMonthlyCost(valid({ retentionDays: days }), gb, PRICES).reduce(
                (a, l) => a + l.usd,
                0,
            );
        assert.ok(total(20, 14) > total(10, 14));
        assert.ok(total(10, 28) > total(10, 14));
    });

    it("external backups are the team's bill: nothing here", () => {
        const external = valid({
            mode: "external",
            externalVaults: { primary: "a-vault", secondary: "b-vault" },
        });
        assert.deepEqual(backupMonthlyCost(external, 10, PRICES), []);
    });
});

describe("the Aurora DSQL opt-in is checked and set by command, per region, DSQL only", () => {
    it("gives the check, the set and the supported-types command for each region once", () => {
        const commands = dsqlOptInCommands(["us-east-1", "us-east-2", "us-east-1"]);
        assert.deepEqual(
            commands.map((c) => c.region),
            ["us-east-1", "us-east-2"],
        );
        assert.equal(
            commands[1].set,
            "aws backup update-region-settings --region us-east-2 --resource-type-opt-in-preference DSQL=true",
        );
        assert.equal(
            commands[0].check,
            "aws backup describe-region-settings --region us-east-1 --query 'ResourceTypeOptInPreference.DSQL'",
        );
        for (const c of commands) assert.doesNotMatch(c.set, /management-preference|=false/);
    });
});
