import type { AlertRouting } from "../alert-config";
import type { DetectionProfile } from "../detection";
import type { ClusterManagement } from "./cluster-management";
import type { BackupConfig, FailoverConfig } from "./dr-features";

/** The validated, typed configuration of one stack. */
export interface StackConfig {
    readonly stack: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    readonly witnessRegion: string;
    readonly alertEmails: readonly string[];
    /** Chat channels and HTTPS endpoints besides e-mail; endpoint URLs are secrets. */
    readonly alertRouting: AlertRouting;
    readonly clusterPrefix: string;
    /** The stack's schedule, or its detection profile's when it sets none. */
    readonly monitoringSchedule: string;
    readonly schedulePeriodSeconds: number;
    readonly lambdaMemoryMb: number;
    /** The stack's, or its profile's fitted to the schedule and probe bound. */
    readonly lambdaTimeoutSeconds: number;
    /** 0 means no reservation; at most MAX_RESERVED_CONCURRENCY (an account at a quota of 10 cannot reserve any). */
    readonly reservedConcurrency: number;
    readonly deletionProtection: boolean;
    readonly logRetentionDays: number;
    readonly dataPlaneProbe: boolean;
    readonly databaseUser: string;
    /** The stack's, or its profile's. */
    readonly probeTimeoutSeconds: number;
    readonly detectionProfile: DetectionProfile;
    /** N of M for the "cannot serve" alarms. */
    readonly datapointsToAlarm: number;
    readonly evaluationPeriods: number;
    /** Where the paging alarms' runbook links point (sections by anchor). */
    readonly runbookUrl: string;
    /** Ship the monitor's source map and map stack traces with it. */
    readonly sourceMaps: boolean;
    /** The DR drill's fault: how long, on what share of connections. */
    readonly drillDurationMinutes: number;
    readonly drillPercentage: number;
    /**
     * Who owns the pair: "create" (this stack creates and peers it), "adopt" (it imports an
     * existing pair on the next up), "monitor-only" (it watches a pair it does not manage).
     */
    readonly clusterManagement: ClusterManagement;
    /** The existing pair's identifiers (adopt and monitor-only). */
    readonly existingClusters?: Readonly<{ primary: string; secondary: string }>;
    /** Region sets the stack adds to the built-in table; the plan warns they are unverified. */
    readonly extraRegionSets: Readonly<Record<string, readonly string[]>>;
    readonly tags: Readonly<Record<string, string>>;
    /** AWS Backup of the pair: off, or the checked settings and their RPO. */
    readonly backup: BackupConfig;
    /** Stored size of a recovery point the offline plan prices backups at, in GB. */
    readonly backupAssumedStoredGb: number;
    /** Route 53 health checks following the verdict. */
    readonly failover: FailoverConfig;
}
