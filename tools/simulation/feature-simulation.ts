/**
 * The verdict rows that no monitor decides, played against what the stack declares: backups
 * (AWS Backup's jobs → its CloudWatch metrics → the backup pages) and AWS Health (an event →
 * the declared EventBridge rules, forwarded across Regions where they say so → the alert
 * topics). Same scoring as the monitors' rows (scorePages), so one table holds them all.
 *
 * Assumptions (AWS publishes no figure): AWS Backup's metrics for a job become usable
 * BACKUP_METRIC_DELAY_MINUTES after it ends ("AWS Backup emits updated metrics to CloudWatch
 * every 5 minutes", https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html);
 * a job starts anywhere in the rule's start window and runs BACKUP_JOB_MINUTES, within its
 * completion window (AWS Backup starts a job "within the start window" and cancels it past the
 * completion window: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html);
 * EventBridge hands an AWS Health event to a rule's target within HEALTH_DELIVERY_SECONDS.
 */
import { backupCadence, backupRpo } from "../../infra/backup-schedule";
import { healthBackupRegion } from "../../infra/health-event-pattern";
import type { ClusterRole } from "../../monitor-function/src/contract";
import {
    runAlarms,
    type CompositeAlarmSpec,
    type Datapoint,
    type MetricAlarmSpec,
    type Transition,
} from "./cloudwatch-model";
import { matchesPattern, type EventPattern } from "./event-pattern";
import type { DeclaredStack } from "../pulumi-host/mock-program";
import type { Page, Scenario } from "./verdict-scenarios";
import {
    mulberry32,
    scorePages,
    type RunParameters,
    type RunResult,
    type ScoredStack,
} from "./verdict-scoring";

export const BACKUP_METRIC_DELAY_MINUTES = { min: 5, max: 10 } as const;
export const BACKUP_JOB_MINUTES = { min: 5, max: 90 } as const;
export const HEALTH_DELIVERY_SECONDS = { min: 1, max: 30 } as const;

/** The backups a stack declares: each region's vault, schedule and pages. */
export interface BackupModel {
    readonly vaults: Readonly<Record<ClusterRole, string>>;
    readonly regions: Readonly<Record<ClusterRole, string>>;
    /** Minutes since Sunday 00:00 UTC each scheduled backup starts at. */
    readonly firingsInWeek: readonly number[];
    readonly startWindowMinutes: number;
    readonly completionWindowMinutes: number;
    /** The recovery-point signal's window, in minutes (BackupRpo.worstCaseMinutes). */
    readonly worstCaseMinutes: number;
    readonly longestGapMinutes: number;
    /** Which page each backup page is. */
    readonly pages: ReadonlyMap<string, Page>;
    readonly metricAlarms: readonly MetricAlarmSpec[];
    readonly composites: readonly CompositeAlarmSpec[];
}

/** The AWS Health rules a stack declares, by Region, and where each hands an event. */
export interface HealthModel {
    readonly rules: readonly {
        readonly region: string;
        readonly pattern: EventPattern;
        /** A cluster Region's alert topic it publishes to, or the Regions it forwards to. */
        readonly topicOf?: ClusterRole;
        readonly forwardsTo: readonly string[];
    }[];
}

/** The time of one run: a fault, a horizon, and a random source for the delays. */
export interface FeatureRun {
    readonly faultAt: number;
    readonly random: () => number;
}

const between = (random: () => number, r: { min: number; max: number }) =>
    r.min + random() * (r.max - r.min);

const WEEK_MS = 7 * 24 * 3600_000;
/** Sunday 00:00 UTC of the week of `at` (the epoch began on a Thursday). */
const weekOf = (at: number) =>
    Math.floor((at - 3 * 86_400_000) / WEEK_MS) * WEEK_MS + 3 * 86_400_000;

/** Every scheduled start (epoch ms) from `from` to `to`. */
export function firings(model: BackupModel, from: number, to: number): number[] {
    const starts: number[] = [];
    for (let week = weekOf(from); week < to; week += WEEK_MS)
        for (const minute of model.firingsInWeek) {
            const at = week + minute * 60_000;
            if (at >= from && at < to) starts.push(at);
        }
    return starts;
}

/**
 * Backup job metrics from `from` to the horizon, as the row's fault shapes them: every job
 * scheduled at or after the fault fails, or never runs.
 */
function backupDatapoints(
    model: BackupModel,
    scenario: Scenario,
    run: FeatureRun,
    from: number,
    horizon: number,
): Datapoint[] {
    const fault = scenario.fault.backupJobs;
    const points: Datapoint[] = [];
    for (const firing of firings(model, from, horizon)) {
        for (const role of Object.keys(model.vaults) as ClusterRole[]) {
            const started = firing + run.random() * model.startWindowMinutes * 60_000;
            const minutes = Math.min(
                between(run.random, BACKUP_JOB_MINUTES),
                model.completionWindowMinutes,
            );
            const ends = started + minutes * 60_000;
            if (ends > horizon) continue;
            if (scenario.fault.deploy === "fresh" && firing < run.faultAt) continue;
            const faulted = fault?.cluster === role && firing >= run.faultAt;
            if (faulted && fault.mode === "none") continue;
            points.push({
                metric: faulted ? "NumberOfBackupJobsFailed" : "NumberOfBackupJobsCompleted",
                dimensions: { BackupVaultName: model.vaults[role] },
                value: 1,
                timestamp: ends,
                availableAt: ends + between(run.random, BACKUP_METRIC_DELAY_MINUTES) * 60_000,
            });
        }
    }
    return points;
}

/** The notifications the backup pages send over a run of `scenario`. */
export function backupNotifications(
    model: BackupModel,
    suppressors: readonly MetricAlarmSpec[],
    scenario: Scenario,
    run: FeatureRun,
    horizon: number,
): Transition[] {
    // A settled stack: its alarms have watched backups for longer than their longest window
    // before the fault; or alarms created by the deployment at the fault, before any backup.
    const fresh = scenario.fault.deploy === "fresh";
    const settled = run.faultAt - (model.worstCaseMinutes + 60) * 60_000;
    const points = backupDatapoints(model, scenario, run, settled - WEEK_MS, horizon);
    return runAlarms(
        [...model.metricAlarms, ...suppressors],
        model.composites,
        points,
        fresh ? run.faultAt : settled,
        horizon,
        {},
        { createdAt: fresh ? run.faultAt : undefined },
    ).notifications;
}

/**
 * An AWS Health event for Aurora DSQL in `region`, shaped as AWS's documented samples
 * (https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html);
 * the event-type code is the one the rules' prefix expects (AWS does not publish DSQL's).
 */
export function dsqlHealthEvent(region: string, deliveredIn: string) {
    return {
        version: "0",
        "detail-type": "AWS Health Event",
        source: "aws.health",
        region: deliveredIn,
        resources: [],
        detail: {
            service: "DSQL",
            eventTypeCode: "AWS_DSQL_OPERATIONAL_ISSUE",
            eventTypeCategory: "issue",
            eventScopeCode: "PUBLIC",
            statusCode: "open",
            eventRegion: region,
        },
    };
}

/** The redundancy pages an AWS Health event in `region` causes: rule by rule, as declared. */
export function healthNotifications(
    model: HealthModel,
    eventRegion: string,
    run: FeatureRun,
): { page: Page; at: number }[] {
    const pages: { page: Page; at: number }[] = [];
    const deliver = (region: string, at: number, hops: number) => {
        for (const rule of model.rules.filter((r) => r.region === region)) {
            if (!matchesPattern(rule.pattern, dsqlHealthEvent(eventRegion, region))) continue;
            const next = at + between(run.random, HEALTH_DELIVERY_SECONDS) * 1000;
            if (rule.topicOf)
                pages.push({ page: { kind: "redundancy", from: rule.topicOf }, at: next });
            if (hops === 0) for (const target of rule.forwardsTo) deliver(target, next, 1);
        }
    };
    // "Public events for AWS Health are sent simultaneously to both the impacted Region and to
    // a backup Region" (https://docs.aws.amazon.com/health/latest/ug/choosing-a-region.html).
    deliver(eventRegion, run.faultAt, 0);
    deliver(healthBackupRegion(eventRegion), run.faultAt, 0);
    return pages;
}

/** Reads the declared backup pages, vaults and plans; undefined when the stack has none. */
export function declaredBackups(
    declared: DeclaredStack,
    alarmSpec: (r: DeclaredStack["resources"][number]) => MetricAlarmSpec,
    compositeSpec: (r: DeclaredStack["resources"][number]) => CompositeAlarmSpec,
): BackupModel | undefined {
    const regions = declared.outputs.regions as Record<ClusterRole, string>;
    const inPages = declared.resources.filter(
        (r) => r.parent?.type === "aurora-dsql-dr:backup:Pages",
    );
    const plan = declared.resources.find((r) => r.type === "aws:backup/plan:Plan");
    if (inPages.length === 0 || !plan) return undefined;
    const cadence = backupCadence(plan.inputs.rules[0].schedule);
    if (typeof cadence === "string") throw new Error(cadence);
    const names = declared.outputs.backupPages as Record<ClusterRole, string>;
    const pages = new Map<string, Page>(
        (Object.keys(names) as ClusterRole[]).map((role) => [
            names[role],
            { kind: "backup", cluster: role, from: role },
        ]),
    );
    const vaults = Object.fromEntries(
        (Object.keys(regions) as ClusterRole[]).map((role) => [
            role,
            declared.resources.find(
                (r) => r.type === "aws:backup/vault:Vault" && r.region === regions[role],
            )!.inputs.name as string,
        ]),
    ) as Record<ClusterRole, string>;
    return {
        vaults,
        regions,
        firingsInWeek: cadence.firingsInWeek,
        startWindowMinutes: plan.inputs.rules[0].startWindow,
        completionWindowMinutes: plan.inputs.rules[0].completionWindow,
        worstCaseMinutes: backupRpo(cadence, {
            startWindowMinutes: plan.inputs.rules[0].startWindow,
            completionWindowMinutes: plan.inputs.rules[0].completionWindow,
        }).worstCaseMinutes,
        longestGapMinutes: cadence.longestGapMinutes,
        pages,
        metricAlarms: inPages
            .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
            .map(alarmSpec),
        composites: inPages
            .filter((r) => r.type === "aws:cloudwatch/compositeAlarm:CompositeAlarm")
            .map(compositeSpec),
    };
}

/** Reads the declared AWS Health rules and their targets. */
export function declaredHealthRules(
    declared: DeclaredStack,
    topicRole: (topicArn: string) => ClusterRole | undefined,
): HealthModel {
    const inHealth = declared.resources.filter(
        (r) => r.parent?.type === "aurora-dsql-dr:monitoring:HealthEvents",
    );
    const targets = inHealth.filter((r) => r.type === "aws:cloudwatch/eventTarget:EventTarget");
    const rules = inHealth
        .filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule")
        .map((rule) => {
            const mine = targets.filter((t) => t.region === rule.region);
            const topic = mine.map((t) => topicRole(t.inputs.arn)).find((role) => role);
            return {
                region: rule.region!,
                pattern: JSON.parse(rule.inputs.eventPattern) as EventPattern,
                topicOf: topic,
                forwardsTo: mine
                    .map((t) => /^arn:[^:]+:events:([^:]+):\d+:event-bus\//.exec(t.inputs.arn)?.[1])
                    .filter((r): r is string => r !== undefined),
            };
        });
    return { rules };
}

/** What the feature rows need of a stack (a StackModel has it). */
export interface FeatureStack extends ScoredStack {
    readonly stack: string;
    readonly witnessRegion: string;
    readonly metricAlarms: readonly MetricAlarmSpec[];
    readonly backup?: BackupModel;
    readonly health: HealthModel;
}

/** An AWS Region outside every pair this product deploys to, for the "elsewhere" row. */
const UNRELATED_REGION = "sa-east-1";

/**
 * Plays one feature row once: the fault at a time across the schedule's longest gap (backup
 * rows) or a minute (Health rows), scored as the monitors' rows are.
 */
export function playFeatureScenario(
    model: FeatureStack,
    scenario: Scenario,
    parameters: RunParameters,
): RunResult {
    const random = mulberry32(parameters.seed);
    const origin = Date.UTC(2026, 0, 5); // a Monday
    const { healthEvent } = scenario.fault;
    if (healthEvent !== undefined) {
        const faultAt = origin + parameters.faultOffsetSeconds * 1000;
        const region =
            healthEvent === "witness"
                ? model.witnessRegion
                : healthEvent === "unrelated"
                  ? UNRELATED_REGION
                  : model.observers.find((o) => o.role === healthEvent)!.region;
        const notifications = healthNotifications(model.health, region, { faultAt, random });
        const pages = new Map(
            notifications.map(({ page }) => [`redundancy page to ${page.from}`, page]),
        );
        return scorePages(
            { ...model, pages: new Map([...model.pages, ...pages]) },
            scenario,
            notifications.map(({ page, at }) => ({
                alarm: `redundancy page to ${page.from}`,
                state: "ALARM" as const,
                at,
            })),
            faultAt,
        );
    }
    const backup = model.backup;
    if (!backup) throw new Error(`${scenario.id}: ${model.stack} declares no backups`);
    // The fault comes with a scheduled job: the one that fails, or just after the last one
    // that runs (so the figure is the data at risk, from that job's scheduled start). The
    // healthy rows and the deployment come at any minute.
    const jobs = firings(backup, origin, origin + WEEK_MS);
    const job = jobs[Math.floor(random() * jobs.length)];
    const mode = scenario.fault.backupJobs?.mode;
    const faultAt =
        mode === "fail"
            ? job
            : mode === "none"
              ? job + 1
              : origin + Math.floor(random() * backup.longestGapMinutes) * 60_000;
    const horizon =
        faultAt + (backup.worstCaseMinutes + backup.completionWindowMinutes + 6 * 60) * 60_000;
    const suppressors = model.metricAlarms.filter((a) =>
        backup.composites.some((c) => c.suppressor?.alarm === a.name),
    );
    const notifications = backupNotifications(
        backup,
        suppressors,
        scenario,
        { faultAt, random },
        horizon,
    );
    return scorePages(
        { ...model, pages: new Map([...model.pages, ...backup.pages]) },
        scenario,
        notifications,
        faultAt,
    );
}
