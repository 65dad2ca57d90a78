/**
 * AWS's own constraints on what an accepted config becomes, stated here independently of
 * the validation code, for the generated configs: whatever validation accepts must pass them.
 */
import type { StackConfig } from "../../infra/config";
import { detection } from "../../infra/detection";
import { COMMERCIAL_REGIONS, REGION_SETS } from "../../infra/regions";

/** Tag keys and values as Aurora DSQL's service model allows them (TagKey, TagValue). */
const TAG_TEXT = /^[a-zA-Z0-9_.:/=+\-@ ]*$/;
/** "Maximum number of tags per resource: 50"; the program adds up to 5 of its own to one. */
const TAGS_PER_RESOURCE = 50;
const PROGRAM_TAGS_ON_ONE_RESOURCE = [
    "project",
    "environment",
    "managed-by",
    "name",
    "role",
    "cluster",
];
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const LOG_RETENTION = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

function tagViolations(tags: Readonly<Record<string, string>>): string[] {
    const keys = Object.keys(tags);
    const own = new Set(keys.map((k) => k.toLowerCase()));
    return [
        ...(keys.length + 5 > TAGS_PER_RESOURCE
            ? [`${keys.length} tags + 5 of the program's exceed 50`]
            : []),
        ...(own.size !== keys.length ? ["tag keys equal ignoring case"] : []),
        ...keys.flatMap((k) => {
            const v = tags[k];
            const bad =
                k.length < 1 ||
                k.length > 128 ||
                !TAG_TEXT.test(k) ||
                /^aws:/i.test(k) ||
                v.length > 256 ||
                !TAG_TEXT.test(v);
            return [
                ...(bad ? [`tag ${k}`] : []),
                ...(PROGRAM_TAGS_ON_ONE_RESOURCE.includes(k.toLowerCase())
                    ? [`tag ${k} is the program's`]
                    : []),
            ];
        }),
    ];
}

function lambdaViolations(c: StackConfig): string[] {
    const schedule = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(c.monitoringSchedule);
    const amount = Number(schedule?.[1]);
    const singular = schedule && !schedule[2].endsWith("s");
    const period = amount * (schedule?.[2].startsWith("hour") ? 3600 : 60);
    const { invocationSeconds } = detection(c);
    return [
        ...(!schedule || amount < 1 || singular !== (amount === 1)
            ? [`schedule ${c.monitoringSchedule}`]
            : []),
        ...(period !== c.schedulePeriodSeconds || period > 3600 ? ["schedule period"] : []),
        ...(c.detectionProfile === "fast" && period !== 60 ? ["fast needs one minute"] : []),
        ...(c.lambdaMemoryMb < 128 || c.lambdaMemoryMb > 10240 ? ["Lambda memory"] : []),
        ...(c.lambdaTimeoutSeconds < 1 || c.lambdaTimeoutSeconds > 900 ? ["Lambda timeout"] : []),
        ...(c.lambdaTimeoutSeconds >= period || c.lambdaTimeoutSeconds < invocationSeconds
            ? ["Lambda timeout vs schedule"]
            : []),
        ...(c.reservedConcurrency < 0 || c.reservedConcurrency > 900
            ? ["reserved concurrency"]
            : []),
        ...(c.probeTimeoutSeconds < 1 || c.probeTimeoutSeconds > 60 ? ["probe bound"] : []),
    ];
}

function nameViolations(c: StackConfig): string[] {
    const sets: Record<string, readonly string[]> = { ...REGION_SETS, ...c.extraRegionSets };
    const regions = [c.primaryRegion, c.secondaryRegion, c.witnessRegion];
    const oneSet = Object.values(sets).some((set) => regions.every((r) => set.includes(r)));
    const urls = c.alertRouting.httpsEndpoints.map((e) => e.reveal());
    return [
        ...(new Set(regions).size !== 3 || !oneSet ? ["regions"] : []),
        ...regions.filter((r) => !COMMERCIAL_REGIONS.includes(r)),
        ...(!/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(c.clusterPrefix) ? ["cluster prefix"] : []),
        ...(!/^[a-z_][a-z0-9_]{0,62}$/.test(c.databaseUser) ||
        /^(pg_|public$|none$)/.test(c.databaseUser)
            ? ["database user"]
            : []),
        ...c.alertEmails.filter(
            (e) => e.length > 254 || e.split("@")[0].length > 64 || /[^\x21-\x7e]/.test(e),
        ),
        ...urls.filter(
            (u) =>
                !u.startsWith("https://") ||
                CONTROL.test(u) ||
                /\s|\\/.test(u) ||
                new URL(u).href !== u,
        ),
        ...(CONTROL.test(c.runbookUrl) || c.runbookUrl.length > 400 || c.runbookUrl.includes("#")
            ? ["runbook URL"]
            : []),
        ...(c.deletionProtection && !c.runbookUrl.startsWith("https://")
            ? ["production runbook"]
            : []),
        ...[...c.alertRouting.slack, ...c.alertRouting.teams]
            .filter((ch) => !/^[A-Za-z0-9_-]{1,111}$/.test(ch.name))
            .map((ch) => ch.name),
    ];
}

/** The AWS constraints an accepted config breaks (none, if validation is right). */
export function awsViolations(c: StackConfig): string[] {
    const destinations =
        c.alertEmails.length +
        c.alertRouting.slack.length +
        c.alertRouting.teams.length +
        c.alertRouting.httpsEndpoints.length;
    return [
        ...tagViolations(c.tags),
        ...lambdaViolations(c),
        ...nameViolations(c),
        ...(!LOG_RETENTION.includes(c.logRetentionDays) ? ["log retention"] : []),
        ...(c.drillDurationMinutes < 1 ||
        c.drillDurationMinutes > 720 ||
        c.drillPercentage < 1 ||
        c.drillPercentage > 100
            ? ["drill"]
            : []),
        ...(c.datapointsToAlarm > c.evaluationPeriods || c.evaluationPeriods > 10
            ? ["N of M"]
            : []),
        ...(c.alertRouting.guardrailPolicyArns.length === 0 ? ["no guardrail"] : []),
        ...(destinations === 0 ? ["no alert destination"] : []),
    ];
}
