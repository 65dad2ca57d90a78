import * as random from "@pulumi/random";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_ROLES } from "../monitor-function/src/contract";
import { alertProviders, AlertRoutes } from "./alert-routing";
import { existingPair, PeeredClusterPair } from "./cluster-pair";
import { loadConfig } from "./config";
import { MonitoringDashboard } from "./dashboard";
import { DatabaseSetup } from "./database-setup";
import { detection } from "./detection";
import { DrillTemplate } from "./drill-template";
import { functionCodeArchive, monitorCodeArchive } from "./monitor-code";
import { BackupProtection } from "./backup";
import { backupPageName } from "./backup-alarms";
import { FailoverHealthChecks } from "./failover-health-checks";
import { healthWatchRegions } from "./health-event-pattern";
import { HealthEvents } from "./health-events";
import { MonitoringCell } from "./monitoring-cell";
import { pagingAlarmList } from "./paging-alarms";
import { MonitorSchedule } from "./monitor-schedule";
import { regionalProvider } from "./providers";

// Everything is read and checked before the first resource is declared.
const config = loadConfig();
const detectionSettings = detection(config);
const monitorCode = monitorCodeArchive(config.sourceMaps);
const closeoutCode = functionCodeArchive("closeout", config.sourceMaps);

export const regions = { primary: config.primaryRegion, secondary: config.secondaryRegion };
const providers = {
    primary: regionalProvider("primary", regions.primary, config),
    secondary: regionalProvider("secondary", regions.secondary, config),
};

// Per-stack suffix so dev and prod can share an account.
const randomProvider = new random.Provider("random");
const suffix = new random.RandomString(
    "name-suffix",
    { length: 6, special: false, upper: false },
    { provider: randomProvider },
).result;

// The pair: created and peered here, adopted by import, or only watched.
const sides = {
    primary: { role: "primary", region: regions.primary, provider: providers.primary },
    secondary: { role: "secondary", region: regions.secondary, provider: providers.secondary },
} as const;
const managed =
    config.clusterManagement === "monitor-only"
        ? undefined
        : new PeeredClusterPair("dsql", {
              ...sides,
              witnessRegion: config.witnessRegion,
              clusterPrefix: config.clusterPrefix,
              deletionProtection: config.deletionProtection,
              adopt: config.clusterManagement === "adopt" ? config.existingClusters : undefined,
          });
const pair = managed ?? existingPair({ ...sides, identifiers: config.existingClusters! });
// The monitors start once the pair is ACTIVE (after its peerings), when this stack peers it.
const pairReady = managed?.peerings ?? [];
const clusters = [pair.primary, pair.secondary];

const byRole = <T>(pick: (role: (typeof CLUSTER_ROLES)[number], index: number) => T) =>
    Object.fromEntries(CLUSTER_ROLES.map((role, index) => [role, pick(role, index)]));
type ByRole<T> = Record<(typeof CLUSTER_ROLES)[number], T>;

const cells = CLUSTER_ROLES.map(
    (role) =>
        new MonitoringCell(
            `${role}-cell`,
            {
                role,
                region: regions[role],
                clusters,
                witnessRegion: config.witnessRegion,
                suffix,
                code: monitorCode,
                closeoutCode,
                config,
                detection: detectionSettings,
                runbookUrl: config.runbookUrl,
                startAfter: pairReady,
                otherPageNames: config.backup.mode === "off" ? [] : [backupPageName(suffix, role)],
            },
            { providers: [providers[role]] },
        ),
);

// Backups: a vault and a plan per region with copies to the other (or only watching a
// team's own vaults), and a page per region when they fail or grow old.
const backup =
    config.backup.mode === "off"
        ? undefined
        : new BackupProtection("backup", {
              ...config.backup,
              mode: config.backup.mode,
              clusters,
              witnessRegion: config.witnessRegion,
              providers,
              suffix,
              deletionProtection: config.deletionProtection,
              alertTopicArns: byRole((_, i) => cells[i].topicArn) as ByRole<pulumi.Output<string>>,
              suppressorAlarmNames: byRole((_, i) => cells[i].suppressorAlarmName) as ByRole<
                  pulumi.Output<string>
              >,
              runbookUrl: config.runbookUrl,
          });

// AWS Health events for the pair's regions (the witness's too): "redundancy at risk".
const pairRegions = { ...regions, witness: config.witnessRegion };
const healthEvents = new HealthEvents("health-events", {
    topics: cells,
    witnessRegion: config.witnessRegion,
    suffix,
    runbookUrl: config.runbookUrl,
    providers: Object.fromEntries(
        healthWatchRegions(pairRegions).map((region) => [
            region,
            region === regions.primary
                ? providers.primary
                : region === regions.secondary
                  ? providers.secondary
                  : regionalProvider(
                        region === config.witnessRegion ? "witness" : `health-${region}`,
                        region,
                        config,
                    ),
        ]),
    ),
});

// Route 53 health checks that follow the verdict, for applications' failover records.
const failover = config.failover.healthChecks
    ? new FailoverHealthChecks("failover", {
          clusters,
          suffix,
          signalPeriods: config.failover.signalPeriods,
          schedulePeriodSeconds: config.schedulePeriodSeconds,
          drillsMoveTraffic: config.failover.drillsMoveTraffic,
          providers: {
              [regions.primary]: providers.primary,
              [regions.secondary]: providers.secondary,
          },
      })
    : undefined;

// Chat (Slack, Teams through AWS Chatbot) and paging (HTTPS) besides e-mail, from both regions.
const alertRoutes = new AlertRoutes("alerts", {
    topics: cells,
    routing: config.alertRouting,
    suffix,
    providers: alertProviders(
        { [regions.primary]: providers.primary, [regions.secondary]: providers.secondary },
        config.alertRouting,
        config,
    ),
});

// The heartbeat table and the monitors' database role, once the pair is peered.
const setup = config.dataPlaneProbe
    ? new DatabaseSetup(
          "database-setup",
          {
              region: regions.primary,
              clusters,
              suffix,
              code: monitorCode,
              databaseUser: config.databaseUser,
              monitorRoleArns: cells.map((cell) => cell.monitorRoleArn),
              logRetentionDays: config.logRetentionDays,
              runAfter: pairReady,
          },
          { providers: [providers.primary] },
      )
    : undefined;

// Each monitor starts once its database role exists (or, without the data plane, the pair).
const schedules = CLUSTER_ROLES.map(
    (role, i) =>
        new MonitorSchedule(
            `${role}-schedule`,
            {
                role,
                functionName: cells[i].functionName,
                functionArn: cells[i].functionArn,
                suffix,
                scheduleExpression: config.monitoringSchedule,
                schedulePeriodSeconds: config.schedulePeriodSeconds,
                startAfter: setup ? [setup] : pairReady,
                formerParent: cells[i],
            },
            { providers: [providers[role]] },
        ),
);

// One DR drill per cluster, in its region: it stops itself if anything else pages there.
// Without the data plane nothing can say "cluster down", so a drill could prove nothing.
const drills = config.dataPlaneProbe
    ? CLUSTER_ROLES.map((role, i) => {
          const pages = cells[i].pagingAlarms;
          return new DrillTemplate(
              `${role}-drill`,
              {
                  cluster: pair[role],
                  suffix,
                  durationMinutes: config.drillDurationMinutes,
                  percentage: config.drillPercentage,
                  otherPages: [
                      ...pagingAlarmList(pages).filter((n) => n !== pages.clusterDown[role]),
                      ...(backup ? [backup.pageNames[role]] : []),
                  ],
                  logRetentionDays: config.logRetentionDays,
              },
              { providers: [providers[role]] },
          );
      })
    : [];

const dashboards = CLUSTER_ROLES.map(
    (role) =>
        new MonitoringDashboard(
            `${role}-dashboard`,
            {
                region: regions[role],
                dashboardName:
                    role === "primary"
                        ? pulumi.interpolate`Aurora-DSQL-DR-Dashboard-${suffix}`
                        : pulumi.interpolate`Aurora-DSQL-DR-Dashboard-${suffix}-${role}`,
                clusters,
                witnessRegion: config.witnessRegion,
                cells,
                schedules,
                runbookUrl: config.runbookUrl,
                otherAlarmArns: pulumi
                    .all([
                        pulumi.all(
                            drills.length ? [drills[CLUSTER_ROLES.indexOf(role)].guardArn] : [],
                        ),
                        backup ? backup.alarmArns[role] : pulumi.output([] as string[]),
                        pulumi.all(
                            Object.values(failover?.signalAlarms ?? {})
                                .flat()
                                .filter((a) => a!.observerRegion === regions[role])
                                .map((a) => a!.arn),
                        ),
                    ])
                    .apply(([guard, backups, signals]) => [...guard, ...backups, ...signals]),
            },
            { providers: [providers[role]] },
        ),
);

// Which stack and account these outputs describe: operator commands check them before acting.
export const stackName = pulumi.getStack();
export const accountId = aws.getCallerIdentityOutput({}, { provider: providers.primary }).accountId;
export const witnessRegion = config.witnessRegion;
export const clusterIdentifiers = byRole((role) => pair[role].identifier);
export const clusterArns = byRole((role) => pair[role].arn);
export const clusterEndpoints = byRole((role) => pair[role].endpoint);
export const alertTopicArns = byRole((_, i) => cells[i].topicArn);
export const chatConfigurationArns = alertRoutes.chatConfigurationArns;
export const pagingAlarms = byRole((_, i) => cells[i].pagingAlarms);
export const suppressorAlarms = byRole((_, i) => cells[i].suppressorAlarmName);
export const maintenanceParameters = byRole((_, i) => cells[i].maintenanceParameterName);
export const monitorFunctionNames = byRole((_, i) => cells[i].functionName);
export const drillTemplates = drills.length ? byRole((_, i) => drills[i].templateId) : undefined;
export const scheduleRuleNames = byRole((_, i) => schedules[i].ruleName);
export const dashboardUrls = byRole((_, i) => dashboards[i].url);
export const backupVaults = backup?.vaultNames;
export const backupRoleArn = backup?.roleArn;
export const backupPages = backup?.pageNames;
export const backupRpoMinutes = backup?.rpo.pageMinutes;
export const healthEventRuleArns = healthEvents.ruleArns;
export const failoverHealthCheckIds = failover?.healthCheckIds;
export const failoverSignalAlarms = failover?.signalAlarms;
