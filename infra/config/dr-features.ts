/**
 * The config of the DR features beyond the monitors: backups (AWS Backup) and the failover
 * signal (Route 53 health checks). Their keys are declared in declaration.ts; the rules
 * that tie them to each other and to the rest of the config live here.
 */
import { z } from "zod";
import type { ClusterRole } from "../../monitor-function/src/contract";
import {
    BACKUP_MODES,
    checkBackupSettings,
    type BackupMode,
    type BackupSettings,
} from "../backup-settings";
import { jsonEntries, report, type Schema } from "./parse";
import type { ConfigProblem } from "./problem";

/** backupExternalVaults: {"primary": "<vault>", "secondary": "<vault>"}. */
export const externalVaultsSchema: Schema<Partial<Record<ClusterRole, string>>> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const rule = 'a JSON object {"primary": "<vault name>", "secondary": "<vault name>"}';
        const entries = jsonEntries(ctx, text, rule);
        if (!entries) return {};
        const vaults: Partial<Record<ClusterRole, string>> = {};
        for (const [role, name] of entries) {
            if ((role !== "primary" && role !== "secondary") || typeof name !== "string") {
                report(ctx, rule, { at: `.${role}`, shown: JSON.stringify(name) });
                continue;
            }
            vaults[role] = name;
        }
        return vaults;
    });

/** A positive number of gigabytes, digits with an optional decimal part. */
export const gigabytesSchema: Schema<number> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const value = (text ?? "10").trim();
        if (!/^\d{1,7}(\.\d{1,3})?$/.test(value) || Number(value) <= 0)
            return report(ctx, "a number of gigabytes above 0, e.g. 10 or 2.5");
        return Number(value);
    });

/** The values these rules read, as parsed (undefined when the key's own parse failed). */
export interface FeatureValues {
    readonly backup?: BackupMode;
    readonly backupSchedule?: string;
    readonly backupStartWindowMinutes?: number;
    readonly backupCompletionWindowMinutes?: number;
    readonly backupRetentionDays?: number;
    readonly backupExternalVaults?: Partial<Record<ClusterRole, string>>;
    readonly failoverHealthChecks?: boolean;
    readonly failoverSignalPeriods?: number;
    readonly drillsMoveTraffic?: boolean;
    readonly dataPlaneProbe?: boolean;
}

/** What the program reads of backups: off, or the checked settings and their RPO. */
export type BackupConfig = { readonly mode: "off" } | BackupSettings;

/** The failover signal: off, or the health checks' N and whether drills move traffic. */
export interface FailoverConfig {
    readonly healthChecks: boolean;
    readonly signalPeriods: number;
    readonly drillsMoveTraffic: boolean;
}

/** The backup settings, or every problem with them; off when backups are off. */
export function backupRules(
    values: FeatureValues,
    problems: ConfigProblem[],
): BackupConfig | undefined {
    const mode = values.backup;
    if (mode === undefined) return undefined;
    const vaults = values.backupExternalVaults ?? {};
    if (mode !== "external" && Object.keys(vaults).length > 0) {
        problems.push({
            key: "backupExternalVaults",
            value: JSON.stringify(vaults),
            allowed: `only with backup external (backup is ${mode}); or unset it`,
        });
    }
    if (mode === "off") return { mode };
    const { backupSchedule, backupStartWindowMinutes, backupCompletionWindowMinutes } = values;
    const retention = values.backupRetentionDays;
    if (
        backupSchedule === undefined ||
        backupStartWindowMinutes === undefined ||
        backupCompletionWindowMinutes === undefined ||
        retention === undefined
    )
        return undefined;
    const checked = checkBackupSettings({
        mode,
        schedule: backupSchedule,
        startWindowMinutes: backupStartWindowMinutes,
        completionWindowMinutes: backupCompletionWindowMinutes,
        retentionDays: retention,
        externalVaults: mode === "external" ? vaults : undefined,
    });
    if (Array.isArray(checked)) {
        problems.push(...checked);
        return undefined;
    }
    return checked;
}

/** The failover signal's settings, or the problems of keys that would have no effect. */
export function failoverRules(
    values: FeatureValues,
    problems: ConfigProblem[],
): FailoverConfig | undefined {
    const { failoverHealthChecks: on, failoverSignalPeriods: periods, drillsMoveTraffic } = values;
    if (on === undefined || periods === undefined || drillsMoveTraffic === undefined)
        return undefined;
    const before = problems.length;
    if (on && values.dataPlaneProbe === false) {
        problems.push({
            key: "failoverHealthChecks",
            value: "true",
            allowed:
                "only with dataPlaneProbe true: without the heartbeat no monitor can say a cluster cannot serve",
        });
    }
    if (drillsMoveTraffic && !on) {
        problems.push({
            key: "drillsMoveTraffic",
            value: "true",
            allowed: "only with failoverHealthChecks true (without them nothing moves traffic)",
        });
    }
    if (problems.length > before) return undefined;
    return { healthChecks: on, signalPeriods: periods, drillsMoveTraffic };
}

export { BACKUP_MODES };
