import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_ROLES } from "../monitor-function/src/contract";
import { PeeredClusterPair } from "./cluster-pair";
import { loadConfig } from "./config";
import { MonitoringDashboard } from "./dashboard";
import { monitorCodeArchive } from "./monitor-code";
import { MonitoringCell } from "./monitoring-cell";
import { regionalProvider } from "./providers";

// Everything is read and checked before the first resource is declared.
const config = loadConfig();
const monitorCode = monitorCodeArchive();

const regions = { primary: config.primaryRegion, secondary: config.secondaryRegion };
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

const pair = new PeeredClusterPair("dsql", {
    primary: { role: "primary", region: regions.primary, provider: providers.primary },
    secondary: { role: "secondary", region: regions.secondary, provider: providers.secondary },
    witnessRegion: config.witnessRegion,
    clusterPrefix: config.clusterPrefix,
    deletionProtection: config.deletionProtection,
});
const clusters = [pair.primary, pair.secondary];

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
                config,
                startAfter: pair.peerings,
            },
            { providers: [providers[role]] },
        ),
);

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
            },
            { providers: [providers[role]] },
        ),
);

const byRole = <T>(pick: (role: (typeof CLUSTER_ROLES)[number], index: number) => T) =>
    Object.fromEntries(CLUSTER_ROLES.map((role, index) => [role, pick(role, index)]));

export const witnessRegion = config.witnessRegion;
export const clusterIdentifiers = byRole((role) => pair[role].identifier);
export const clusterArns = byRole((role) => pair[role].arn);
export const clusterEndpoints = byRole((role) => pair[role].endpoint);
export const alertTopicArns = byRole((_, i) => cells[i].topicArn);
export const monitorFunctionNames = byRole((_, i) => cells[i].functionName);
export const scheduleRuleNames = byRole((_, i) => cells[i].ruleName);
export const alarmNames = byRole((_, i) => cells[i].alarmNames);
export const dashboardUrls = byRole((_, i) => dashboards[i].url);
