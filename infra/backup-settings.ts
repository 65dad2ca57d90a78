/**
 * The backup settings of a stack, checked before anything is declared: the mode, the
 * schedule, the windows, the retention, and the vaults of a team that backs up its pair
 * itself. One pure function returns every problem at once, in the config module's form (key,
 * value, what is allowed), so infra/config.ts reports them with the rest.
 */
import type { ClusterRole } from "../monitor-function/src/contract";
import {
    backupCadence,
    backupRpo,
    formatMinutes,
    MAX_RPO_MINUTES,
    MIN_BACKUP_MINUTES,
    type BackupCadence,
    type BackupRpo,
} from "./backup-schedule";
import type { ConfigProblem } from "./config/problem";

/**
 * `on`: this stack backs the pair up (vaults, plans, copies, selections, role) and pages when
 * backups fail or age. `external`: the team backs the pair up elsewhere; this stack only
 * watches their vaults. `off`: neither.
 */
export const BACKUP_MODES = ["off", "on", "external"] as const;
export type BackupMode = (typeof BACKUP_MODES)[number];

/** AWS Backup's default schedule, 05:00 UTC daily (BackupRuleInput.ScheduleExpression). */
export const DEFAULT_BACKUP_SCHEDULE = "cron(0 5 ? * * *)";
export const DEFAULT_START_WINDOW_MINUTES = 60;
/** Aurora DSQL publishes no typical backup duration: a generous default. */
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 240;

export interface BackupSettingsInput {
    readonly mode: BackupMode;
    readonly schedule: string;
    readonly startWindowMinutes: number;
    readonly completionWindowMinutes: number;
    readonly retentionDays: number;
    /** `external` only: the team's vault in each cluster region. */
    readonly externalVaults?: Partial<Record<ClusterRole, string>>;
}

export interface BackupSettings extends BackupSettingsInput {
    readonly cadence: BackupCadence;
    readonly rpo: BackupRpo;
}

/** Backup vault names: "between 2 and 50 alphanumeric characters, hyphens and underscores". */
const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;
/** Longest retention AWS Backup's lifecycle accepts: 100 years. */
const MAX_RETENTION_DAYS = 36500;

const wholeAtLeast = (value: number, least: number) => Number.isInteger(value) && value >= least;

/** The settings with their RPO, or every problem with them. */
export function checkBackupSettings(input: BackupSettingsInput): BackupSettings | ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const cadence = backupCadence(input.schedule);
    if (typeof cadence === "string") {
        problems.push({ key: "backupSchedule", value: input.schedule, allowed: cadence });
    } else if (cadence.shortestGapMinutes < MIN_BACKUP_MINUTES) {
        problems.push({
            key: "backupSchedule",
            value: input.schedule,
            allowed: `backups ${cadence.shortestGapMinutes} minutes apart: AWS Backup refuses jobs of one rule less than ${MIN_BACKUP_MINUTES} minutes apart`,
        });
    }
    for (const [key, value] of [
        ["backupStartWindowMinutes", input.startWindowMinutes],
        ["backupCompletionWindowMinutes", input.completionWindowMinutes],
    ] as const) {
        if (!wholeAtLeast(value, MIN_BACKUP_MINUTES)) {
            problems.push({
                key,
                value: String(value),
                allowed: `must be a whole number of minutes, at least ${MIN_BACKUP_MINUTES} (AWS Backup's least window)`,
            });
        }
    }
    if (!wholeAtLeast(input.retentionDays, 1) || input.retentionDays > MAX_RETENTION_DAYS) {
        problems.push({
            key: "backupRetentionDays",
            value: String(input.retentionDays),
            allowed: `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`,
        });
    }
    if (input.mode === "external") problems.push(...externalVaultProblems(input.externalVaults));
    if (problems.length > 0 || typeof cadence === "string") return problems;

    const rpo = backupRpo(cadence, input);
    problems.push(...timingProblems(input, rpo, cadence.shortestGapMinutes));
    return problems.length > 0 ? problems : { ...input, cadence, rpo };
}

/** The windows must fit between two backups, the RPO in the alarm's warm-up, the retention over it. */
function timingProblems(
    input: BackupSettingsInput,
    rpo: BackupRpo,
    shortestGapMinutes: number,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const windows = input.startWindowMinutes + input.completionWindowMinutes;
    if (windows > shortestGapMinutes) {
        problems.push({
            key: "backupCompletionWindowMinutes",
            value: String(input.completionWindowMinutes),
            allowed: `start window + completion window (${windows} minutes) must fit in the shortest gap between backups (${shortestGapMinutes} minutes): a job still running when the next is due makes that one fail`,
        });
    }
    if (rpo.worstCaseMinutes > MAX_RPO_MINUTES) {
        problems.push({
            key: "backupSchedule",
            value: input.schedule,
            allowed: `gives a worst-case RPO of ${formatMinutes(rpo.worstCaseMinutes)} (longest gap ${formatMinutes(rpo.longestGapMinutes)} + start and completion windows + ${rpo.marginMinutes}m); at most ${formatMinutes(MAX_RPO_MINUTES)} is allowed, the longest warm-up that keeps the new recovery-point alarm from paging on deploy: back up more often or shorten the windows`,
        });
    }
    if (input.retentionDays * 1440 <= rpo.worstCaseMinutes) {
        problems.push({
            key: "backupRetentionDays",
            value: String(input.retentionDays),
            allowed: `must keep recovery points longer than the worst-case RPO (${formatMinutes(rpo.worstCaseMinutes)}), or the newest one may expire before the next exists`,
        });
    }
    return problems;
}

function externalVaultProblems(
    vaults: Partial<Record<ClusterRole, string>> | undefined,
): ConfigProblem[] {
    return (["primary", "secondary"] as const)
        .filter((role) => !VAULT_NAME.test(vaults?.[role] ?? ""))
        .map((role) => ({
            key: `backupExternalVaults.${role}`,
            value: vaults?.[role],
            allowed:
                "with backup external, the name of the team's backup vault in the " +
                `${role} cluster's region: 2 to 50 letters, digits, hyphens or underscores`,
        }));
}
