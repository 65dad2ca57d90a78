import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
    ConfigError,
    MAX_RUNBOOK_URL_LENGTH,
    rawConfigOf,
    validateConfig,
    type RawConfig,
    type StackConfig,
} from "../../infra/config";
import { listStacks, stackConfig } from "../../tools/stack-config";

/**
 * dev's config as `pulumi up` would read it with `overrides` set (bare keys are this
 * project's, as with `--set`; values as the CLI stores them, lists and objects as JSON)
 * and the keys in `unset` removed.
 */
function devWith(overrides: Record<string, string>, unset: readonly string[] = []): RawConfig {
    const raw: Record<string, string> = { ...stackConfig("dev", overrides) };
    for (const key of unset) delete raw[key];
    return raw;
}

/** The ConfigError message for dev with `overrides`; fails if the config is accepted. */
function rejection(overrides: Record<string, string>, unset: readonly string[] = []): string {
    const result = validateConfig("dev", devWith(overrides, unset));
    assert.ok("problems" in result, `expected ${JSON.stringify(overrides)} to be rejected`);
    return new ConfigError("dev", result.problems).message;
}

/** The config of dev with `overrides`; fails with the message if it is rejected. */
function accepted(overrides: Record<string, string>): StackConfig {
    const result = validateConfig("dev", devWith(overrides));
    if ("problems" in result) assert.fail(new ConfigError("dev", result.problems).message);
    return result.config;
}

/** The line of `message` that reports `key`, namespaced as the user wrote it. */
function problemOf(message: string, key: string): string {
    const line = message.split("\n").find((l) => l.startsWith(`  - ${key} `));
    assert.ok(line, `expected a problem with ${key} in:\n${message}`);
    return line;
}

const tagsOf = (count: number) =>
    JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag-${i}`, "x"])));

describe("config validation", () => {
    describe("stack files", () => {
        it("accepts every stack file as it is", () => {
            assert.ok(
                ["dev", "prod"].every((s) => listStacks().includes(s)),
                `${listStacks()}`,
            );
            for (const stack of listStacks()) {
                const result = validateConfig(stack, stackConfig(stack));
                assert.ok("config" in result, JSON.stringify(result));
                assert.ok(Object.isFrozen(result.config));
                assert.ok(Object.isFrozen(result.config.alertEmails));
                assert.ok(Object.isFrozen(result.config.tags));
            }
        });

        it("reads prod as protected, fast, with a one-minute schedule", () => {
            const result = validateConfig("prod", stackConfig("prod"));
            assert.ok("config" in result);
            assert.equal(result.config.deletionProtection, true);
            assert.equal(result.config.schedulePeriodSeconds, 60);
            assert.equal(result.config.detectionProfile, "fast");
            assert.equal(result.config.witnessRegion, "us-east-2");
            assert.deepEqual(result.config.alertEmails, ["dr-alerts@example.com"]);
        });

        it("reads dev with Pulumi.yaml's defaults for what it does not set", () => {
            const config = accepted({});
            assert.equal(config.deletionProtection, false);
            assert.equal(config.detectionProfile, "standard");
            assert.equal(config.datapointsToAlarm, 2);
            assert.equal(config.evaluationPeriods, 3);
            assert.equal(config.runbookUrl, "docs/runbook.md");
            assert.equal(config.sourceMaps, false);
            assert.equal(config.reservedConcurrency, 0);
            assert.deepEqual(config.tags, { "cost-center": "platform" });
        });
    });

    describe("keys", () => {
        it("rawConfigOf keeps this project's known keys bare and every other key namespaced", () => {
            assert.deepEqual(
                rawConfigOf({
                    "aurora-dsql-dr:primaryRegion": "us-east-1",
                    "aurora-dsql-dr:monitoringSchedle": "rate(5 minutes)",
                    "aurora-dsql_dr:deletionProtection": "true",
                    "aws:region": "us-east-1",
                }),
                {
                    primaryRegion: "us-east-1",
                    "aurora-dsql-dr:monitoringSchedle": "rate(5 minutes)",
                    "aurora-dsql_dr:deletionProtection": "true",
                    "aws:region": "us-east-1",
                },
            );
        });

        it("rejects a mistyped key (monitoringSchedle), naming monitoringSchedule", () => {
            const message = rejection({ monitoringSchedle: "rate(5 minutes)" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedle"),
                /= "rate\(5 minutes\)": not a setting of this program; did you mean monitoringSchedule\?; known settings: primaryRegion, /,
            );
        });

        it("rejects an unknown key with no close match, listing the known settings", () => {
            const message = rejection({ colour: "blue" });
            const line = problemOf(message, "aurora-dsql-dr:colour");
            assert.match(line, /= "blue": not a setting of this program; known settings: /);
            assert.doesNotMatch(line, /did you mean/);
            assert.match(
                line,
                /detectionProfile, datapointsToAlarm, evaluationPeriods, runbookUrl/,
            );
        });

        it("rejects a key in a namespace that is almost this project's (aurora-dsql_dr)", () => {
            const message = rejection({ "aurora-dsql_dr:deletionProtection": "true" });
            assert.match(
                problemOf(message, "aurora-dsql_dr:deletionProtection"),
                /= "true": namespace "aurora-dsql_dr" is not this project's \("aurora-dsql-dr"\), so nothing reads it; did you mean aurora-dsql-dr:deletionProtection\?/,
            );
        });

        it("accepts keys of unrelated namespaces (aws:region)", () => {
            accepted({ "aws:region": "eu-west-1", "aws:profile": "ops" });
        });
    });

    describe("regions", () => {
        it("rejects a region without Aurora DSQL (us-west-1)", () => {
            const message = rejection({ witnessRegion: "us-west-1" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:witnessRegion"),
                /= "us-west-1": not an Aurora DSQL multi-region region; allowed: US: us-east-1, us-east-2, us-west-2; Europe: /,
            );
        });

        it("rejects a missing primary region", () => {
            const message = rejection({}, ["primaryRegion"]);
            assert.match(
                problemOf(message, "aurora-dsql-dr:primaryRegion"),
                /is not set: required; one of us-east-1, /,
            );
        });

        it("rejects peers in different region sets", () => {
            const message = rejection({ secondaryRegion: "eu-west-1" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:secondaryRegion"),
                /= "eu-west-1": must be in the same region set as primaryRegion us-east-1 \(US: us-east-1, us-east-2, us-west-2\)/,
            );
        });

        it("rejects a witness outside the peers' region set", () => {
            const message = rejection({ witnessRegion: "eu-central-1" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:witnessRegion"),
                /= "eu-central-1": must be in the peers' region set \(US: us-west-2\)/,
            );
        });

        it("rejects a witness equal to a peer", () => {
            const message = rejection({ witnessRegion: "us-east-2" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:witnessRegion"),
                /= "us-east-2": must differ from both cluster regions \(us-east-1, us-east-2\); choose from us-west-2/,
            );
        });

        it("rejects primary equal to secondary", () => {
            const message = rejection({ secondaryRegion: "us-east-1" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:secondaryRegion"),
                /= "us-east-1": must differ from primaryRegion \(us-east-1\)/,
            );
        });
    });

    describe("alertEmail", () => {
        it("accepts a list of addresses", () => {
            const config = accepted({
                alertEmail: JSON.stringify(["oncall@example.org", "dr-team@ops.example.co.uk"]),
            });
            assert.deepEqual(config.alertEmails, [
                "oncall@example.org",
                "dr-team@ops.example.co.uk",
            ]);
        });

        it("rejects a stack with no alert destination at all", () => {
            const message = rejection({}, ["alertEmail"]);
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /is not set: at least one alert destination is required: alertEmail, alertSlack, alertTeams or alertHttpsEndpoints/,
            );
        });

        it("accepts no e-mail when another destination pages", () => {
            const config = accepted({
                alertEmail: "[]",
                alertSlack: JSON.stringify([
                    { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" },
                ]),
            });
            assert.deepEqual(config.alertEmails, []);
            assert.equal(config.alertRouting.slack.length, 1);
        });

        it("rejects a plain string, which the CLI refuses for a list, with the --path hint", () => {
            const message = rejection({ alertEmail: "oncall@example.org" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /= "oncall@example.org": a list of e-mail addresses \(pulumi config set --path 'aurora-dsql-dr:alertEmail\[0\]' ops@example.com\); a plain string is not a list/,
            );
        });

        it("rejects an empty list when it is the only destination", () => {
            const message = rejection({ alertEmail: "[]" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /at least one alert destination is required/,
            );
        });

        it("rejects a malformed address in a list, naming its index", () => {
            const message = rejection({
                alertEmail: JSON.stringify(["ops@example.com", "not-an-address"]),
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 1 \("not-an-address"\) is not an e-mail address; a list of e-mail addresses/,
            );
        });

        it("rejects a domain with an empty label (a@example..com)", () => {
            const message = rejection({ alertEmail: JSON.stringify(["a@example..com"]) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 0 \("a@example\.\.com"\) is not an e-mail address/,
            );
        });

        it("rejects two addresses in one item (a list separator)", () => {
            const message = rejection({
                alertEmail: JSON.stringify(["a@example.com,b@example.com"]),
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 0 \("a@example\.com,b@example\.com"\) is not an e-mail address/,
            );
        });

        it("rejects an item that is not a string", () => {
            const message = rejection({ alertEmail: JSON.stringify(["ops@example.com", 7]) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 1 \(7\) is not an e-mail address/,
            );
        });

        it("rejects an address listed twice", () => {
            const message = rejection({
                alertEmail: JSON.stringify(["ops@example.com", "ops@example.com"]),
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: "ops@example.com" is listed twice/,
            );
        });
    });

    describe("clusterPrefix and databaseUser", () => {
        it("rejects a cluster prefix with upper-case letters", () => {
            const message = rejection({ clusterPrefix: "DR-dsql" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:clusterPrefix"),
                /= "DR-dsql": 2 to 32 characters: lower-case letters, digits and hyphens, starting with a letter/,
            );
        });

        it("rejects a database user that is not a PostgreSQL role name", () => {
            const message = rejection({ databaseUser: "dr-monitor" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:databaseUser"),
                /= "dr-monitor": a PostgreSQL role name/,
            );
        });

        for (const reserved of ["pg_monitor", "public", "none"]) {
            it(`rejects the reserved role name ${reserved}, which setup could not create`, () => {
                const message = rejection({ databaseUser: reserved });
                assert.match(
                    problemOf(message, "aurora-dsql-dr:databaseUser"),
                    new RegExp(
                        `= "${reserved}": .*not starting with pg_ and not "public" or "none"`,
                    ),
                );
            });
        }

        it("accepts a custom role name", () => {
            assert.equal(
                accepted({ databaseUser: "dr_monitor_team" }).databaseUser,
                "dr_monitor_team",
            );
        });
    });

    describe("monitoringSchedule", () => {
        it("rejects rate(0 minutes)", () => {
            const message = rejection({ monitoringSchedule: "rate(0 minutes)" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedule"),
                /= "rate\(0 minutes\)": the rate value must be a positive whole number/,
            );
        });

        it("rejects rate(1 minutes), which EventBridge refuses", () => {
            const message = rejection({ monitoringSchedule: "rate(1 minutes)" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedule"),
                /= "rate\(1 minutes\)": EventBridge needs the singular unit for 1/,
            );
        });

        it("rejects a garbage schedule", () => {
            const message = rejection({ monitoringSchedule: "every two minutes" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedule"),
                /= "every two minutes": expected rate\(<n> minute\[s\]\|hour\[s\]\)/,
            );
        });

        it("rejects a cron schedule, which has no fixed period for the alarms", () => {
            const message = rejection({ monitoringSchedule: "cron(0/5 * * * ? *)" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedule"),
                /= "cron\(0\/5 \* \* \* \? \*\)": expected rate/,
            );
        });

        it("rejects a schedule slower than hourly", () => {
            const message = rejection({ monitoringSchedule: "rate(2 hours)" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedule"),
                /= "rate\(2 hours\)": a health check must run at least hourly/,
            );
        });
    });

    describe("Lambda settings", () => {
        it("rejects Lambda memory below 128 MB", () => {
            const message = rejection({ lambdaMemoryMb: "64" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaMemoryMb"),
                /= "64": a whole number of MB from 128 to 10240/,
            );
        });

        it("rejects Lambda memory above 10240 MB", () => {
            const message = rejection({ lambdaMemoryMb: "20000" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaMemoryMb"),
                /= "20000": a whole number of MB from 128 to 10240/,
            );
        });

        it("rejects a Lambda timeout of 0 s", () => {
            const message = rejection({ lambdaTimeoutSeconds: "0" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaTimeoutSeconds"),
                /= "0": a whole number of seconds from 1 to 900/,
            );
        });

        it("rejects a Lambda timeout above 900 s", () => {
            const message = rejection({ lambdaTimeoutSeconds: "901" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaTimeoutSeconds"),
                /= "901": a whole number of seconds from 1 to 900/,
            );
        });

        it("rejects a Lambda timeout as long as the schedule period", () => {
            const message = rejection({
                monitoringSchedule: "rate(1 minute)",
                lambdaTimeoutSeconds: "60",
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaTimeoutSeconds"),
                /= "60": must be shorter than the schedule period \(60 s from rate\(1 minute\)\), or runs would overlap/,
            );
        });

        it("rejects a Lambda timeout too short for one probe bound", () => {
            const message = rejection({ lambdaTimeoutSeconds: "12", probeTimeoutSeconds: "10" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaTimeoutSeconds"),
                /= "12": must be at least 15 s: one probe bound of probeTimeoutSeconds \(10 s\) \+ 5 s/,
            );
        });

        it("rejects a probe timeout above 60 s", () => {
            const message = rejection({ probeTimeoutSeconds: "61" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:probeTimeoutSeconds"),
                /= "61": a whole number of seconds from 1 to 60/,
            );
        });

        it("rejects negative reserved concurrency", () => {
            const message = rejection({ reservedConcurrency: "-1" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:reservedConcurrency"),
                /= "-1": a whole number of executions \(0 = no reservation; .*\) from 0 to 900/,
            );
        });

        it("rejects reserved concurrency of 1000, explaining Lambda's unreserved 100", () => {
            const message = rejection({ reservedConcurrency: "1000" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:reservedConcurrency"),
                /= "1000": a whole number of executions \(0 = no reservation; Lambda keeps 100 of the account's quota unreserved, so a default quota of 1,000 allows 900, and an account at a quota of 10 allows none\) from 0 to 900/,
            );
        });

        it("accepts reserved concurrency of 900", () => {
            assert.equal(accepted({ reservedConcurrency: "900" }).reservedConcurrency, 900);
        });
    });

    describe("detection", () => {
        const fast = {
            detectionProfile: "fast",
            monitoringSchedule: "rate(1 minute)",
            lambdaTimeoutSeconds: "58",
            probeTimeoutSeconds: "3",
        };

        it("accepts the fast profile at rate(1 minute) with room for its rounds", () => {
            assert.equal(accepted(fast).detectionProfile, "fast");
        });

        it("rejects an unknown detection profile", () => {
            const message = rejection({ detectionProfile: "turbo" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:detectionProfile"),
                /= "turbo": one of standard, fast \(fast probes every 12 s with high-resolution alarms\)/,
            );
        });

        it("rejects the fast profile with rate(2 minutes)", () => {
            const message = rejection({ ...fast, monitoringSchedule: "rate(2 minutes)" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:monitoringSchedule"),
                /= "rate\(2 minutes\)": must be rate\(1 minute\) with detectionProfile fast \(its rounds fill one minute\); got rate\(2 minutes\)/,
            );
        });

        it("rejects a Lambda timeout too short for the fast profile's rounds", () => {
            const message = rejection({ ...fast, lambdaTimeoutSeconds: "50" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:lambdaTimeoutSeconds"),
                /= "50": must be at least 56 s: 4 × 12 s between rounds \+ one probe bound of probeTimeoutSeconds \(3 s\) \+ 5 s/,
            );
        });

        it("rejects a probe timeout as long as the fast profile's interval", () => {
            const message = rejection({ ...fast, probeTimeoutSeconds: "12" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:probeTimeoutSeconds"),
                /= "12": at most 6 s with detectionProfile fast/,
            );
        });

        // With fast at rate(1 minute), the rounds, the probe bound and 5 s must end before
        // the next tick: 4 × 12 + probeTimeoutSeconds + 5 < 60, so probeTimeoutSeconds ≤ 6.
        // At the default 10 no Lambda timeout is valid; asking for one of at least 63 s,
        // which the next check refuses as not shorter than 60 s, sends the user in a circle.
        it("names probeTimeoutSeconds when no Lambda timeout fits the fast profile's rounds", () => {
            const message = rejection({ ...fast, probeTimeoutSeconds: "10" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:probeTimeoutSeconds"),
                /= "10": .*at most 6 s/,
            );
            assert.doesNotMatch(message, /must be at least 63 s/);
        });

        it("rejects datapointsToAlarm above evaluationPeriods", () => {
            const message = rejection({ datapointsToAlarm: "4", evaluationPeriods: "3" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:datapointsToAlarm"),
                /= "4": at most evaluationPeriods \(3\): N failed rounds out of the last M/,
            );
        });

        it("accepts datapointsToAlarm equal to evaluationPeriods", () => {
            const config = accepted({ datapointsToAlarm: "3", evaluationPeriods: "3" });
            assert.equal(config.datapointsToAlarm, 3);
        });

        it("rejects more than 10 evaluation periods", () => {
            const message = rejection({ evaluationPeriods: "11" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:evaluationPeriods"),
                /= "11": a whole number of alarm periods from 1 to 10/,
            );
        });
    });

    describe("other settings", () => {
        it("rejects an unknown log retention value", () => {
            const message = rejection({ logRetentionDays: "45" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:logRetentionDays"),
                /= "45": one of 1, 3, 5, 7, 14, 30, 60, 90/,
            );
        });

        it("rejects a boolean that is not true or false", () => {
            const message = rejection({ deletionProtection: "yes" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:deletionProtection"),
                /= "yes": true or false/,
            );
        });

        it("rejects sourceMaps that is not true or false", () => {
            const message = rejection({ sourceMaps: "on" });
            assert.match(problemOf(message, "aurora-dsql-dr:sourceMaps"), /= "on": true or false/);
        });

        it("accepts sourceMaps true", () => {
            assert.equal(accepted({ sourceMaps: "true" }).sourceMaps, true);
        });

        it("accepts an https runbook URL", () => {
            const runbookUrl = "https://github.com/example/dr/blob/main/docs/runbook.md";
            assert.equal(accepted({ runbookUrl }).runbookUrl, runbookUrl);
        });

        it("rejects a runbook URL with an anchor, which each alarm adds itself", () => {
            const message = rejection({ runbookUrl: "https://example.com/runbook.md#monitor" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:runbookUrl"),
                /= "https:\/\/example.com\/runbook.md#monitor": an https:\/\/ URL of the runbook without an anchor, at most 400 characters \(or the repository path docs\/runbook.md\)/,
            );
        });

        it("rejects a runbook URL too long for the alarm descriptions that carry it", () => {
            const base = "https://wiki.example.com/";
            const fits = base + "r".repeat(MAX_RUNBOOK_URL_LENGTH - base.length);
            assert.equal(accepted({ runbookUrl: fits }).runbookUrl, fits);
            const message = rejection({ runbookUrl: `${fits}r` });
            assert.match(problemOf(message, "aurora-dsql-dr:runbookUrl"), /at most 400 characters/);
        });

        it("rejects a plain-http runbook URL", () => {
            const message = rejection({ runbookUrl: "http://wiki.example.com/runbook" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:runbookUrl"),
                /= "http:\/\/wiki.example.com\/runbook": an https:\/\/ URL/,
            );
        });
    });

    describe("tags", () => {
        it("rejects tags that are not an object", () => {
            const message = rejection({ tags: JSON.stringify(["team"]) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: an object of tag keys to string values, at most 47 tags/,
            );
        });

        it("rejects a tag value that is not a string", () => {
            const message = rejection({ tags: JSON.stringify({ team: 7 }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag "team": value 7 must be a string of up to 256/,
            );
        });

        it("rejects a tag value with &, outside Aurora DSQL's pattern", () => {
            const message = rejection({ tags: JSON.stringify({ team: "R&D" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag "team": value "R&D" must be a string of up to 256 of A-Z a-z 0-9 space _ \. : \/ = \+ - @ \(Aurora DSQL's pattern\)/,
            );
        });

        it("rejects a non-ASCII tag key, outside Aurora DSQL's pattern", () => {
            const message = rejection({ tags: JSON.stringify({ Kostenträger: "4711" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "Kostenträger": 1-128 of A-Z a-z 0-9 space _ \. : \/ = \+ - @ \(Aurora DSQL's pattern\), not starting with aws:/,
            );
        });

        it("rejects a tag key longer than 128 characters", () => {
            const key = "k".repeat(129);
            const message = rejection({ tags: JSON.stringify({ [key]: "x" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                new RegExp(`: tag key "${key}": 1-128`),
            );
        });

        it("rejects a tag value longer than 256 characters", () => {
            const message = rejection({ tags: JSON.stringify({ note: "v".repeat(257) }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag "note": value "v{257}" must be a string of up to 256/,
            );
        });

        it("accepts a tag value of exactly 256 characters and the whole allowed alphabet", () => {
            const tags = { note: "v".repeat(256), "team/owner:x=y+z-w@q_.": "A b.c:d/e=f+g-h@i_0" };
            assert.deepEqual(accepted({ tags: JSON.stringify(tags) }).tags, tags);
        });

        it("rejects a tag key starting with aws:, in any case", () => {
            const message = rejection({ tags: JSON.stringify({ "AWS:owner": "ops" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "AWS:owner": .*not starting with aws:/,
            );
        });

        it("rejects a standard tag key (project), which the program sets itself", () => {
            const message = rejection({ tags: JSON.stringify({ project: "other" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "project" is set by the program itself \(project, environment, managed-by\)/,
            );
        });

        // IAM tag keys on roles are case-insensitive ("Duplicate tag keys found. Please note
        // that Tag keys are case insensitive."): Project next to the standard project tag
        // fails the monitor role's creation.
        it("rejects a standard tag key in another case (Project)", () => {
            const message = rejection({ tags: JSON.stringify({ Project: "other" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "Project" is set by the program itself \(project, environment, managed-by\)/,
            );
        });

        it("rejects two tag keys that differ only in case, which IAM takes for one", () => {
            const message = rejection({ tags: JSON.stringify({ team: "a", Team: "b" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /"Team".*"team"|"team".*"Team"/,
            );
        });

        it("rejects 48 tags, which with the 3 standard ones exceed IAM's and Logs' 50", () => {
            const message = rejection({ tags: tagsOf(48) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: 48 tags plus the 3 standard ones exceed the 50 IAM and CloudWatch Logs allow per resource$/,
            );
        });

        it("accepts 47 tags", () => {
            assert.equal(Object.keys(accepted({ tags: tagsOf(47) }).tags).length, 47);
        });
    });

    describe("an existing pair", () => {
        const ids = {
            primaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy1",
            secondaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy2",
        };

        it("creates the pair by default and refuses identifiers it would not use", () => {
            assert.equal(accepted({}).clusterManagement, "create");
            assert.match(
                problemOf(rejection(ids), "aurora-dsql-dr:primaryClusterIdentifier"),
                /only with clusterManagement "adopt" or "monitor-only"/,
            );
        });

        it("accepts monitor-only and adopt with both identifiers", () => {
            for (const mode of ["monitor-only", "adopt"]) {
                const config = accepted({ clusterManagement: mode, ...ids });
                assert.deepEqual(config.existingClusters, {
                    primary: ids.primaryClusterIdentifier,
                    secondary: ids.secondaryClusterIdentifier,
                });
            }
        });

        it("requires both identifiers, each as the service generates them", () => {
            const message = rejection({
                clusterManagement: "monitor-only",
                primaryClusterIdentifier: "my-cluster",
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:primaryClusterIdentifier"),
                /= "my-cluster": the existing cluster's identifier \(26 lower-case letters and digits/,
            );
            assert.match(
                problemOf(message, "aurora-dsql-dr:secondaryClusterIdentifier"),
                /required with clusterManagement "monitor-only"/,
            );
        });

        it("refuses the same identifier twice", () => {
            const message = rejection({
                clusterManagement: "adopt",
                primaryClusterIdentifier: ids.primaryClusterIdentifier,
                secondaryClusterIdentifier: ids.primaryClusterIdentifier,
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:secondaryClusterIdentifier"),
                /must differ from primaryClusterIdentifier/,
            );
        });

        it("refuses an unknown kind of cluster management", () => {
            assert.match(
                problemOf(
                    rejection({ clusterManagement: "import" }),
                    "aurora-dsql-dr:clusterManagement",
                ),
                /one of create, adopt, monitor-only/,
            );
        });
    });

    describe("region sets", () => {
        const stockholm = JSON.stringify({
            "Europe North": ["eu-north-1", "eu-south-2", "eu-west-3"],
        });

        it("lets a stack add a region set AWS opened since the table was checked", () => {
            const config = accepted({
                extraRegionSets: JSON.stringify({
                    Nordics: ["eu-north-1", "eu-south-2", "ap-south-1"],
                }),
                primaryRegion: "eu-north-1",
                secondaryRegion: "eu-south-2",
                witnessRegion: "ap-south-1",
            });
            assert.deepEqual(Object.keys(config.extraRegionSets), ["Nordics"]);
        });

        it("refuses a region that would sit in two sets", () => {
            assert.match(
                problemOf(
                    rejection({ extraRegionSets: stockholm }),
                    "aurora-dsql-dr:extraRegionSets",
                ),
                /eu-west-3 is in two region sets \("Europe" and "Europe North"\)/,
            );
        });

        it("refuses a set too small to hold a pair and its witness", () => {
            assert.match(
                problemOf(
                    rejection({
                        extraRegionSets: JSON.stringify({ Tiny: ["eu-north-1", "eu-south-2"] }),
                    }),
                    "aurora-dsql-dr:extraRegionSets",
                ),
                /set "Tiny": a list of at least three regions/,
            );
        });

        it("refuses to redefine a built-in set", () => {
            assert.match(
                problemOf(
                    rejection({
                        extraRegionSets: JSON.stringify({
                            US: ["us-east-1", "us-east-2", "us-west-1"],
                        }),
                    }),
                    "aurora-dsql-dr:extraRegionSets",
                ),
                /"US" is a built-in region set/,
            );
        });

        it("points at extraRegionSets when a region is not in any set", () => {
            assert.match(
                problemOf(
                    rejection({ primaryRegion: "eu-north-1" }),
                    "aurora-dsql-dr:primaryRegion",
                ),
                /not an Aurora DSQL multi-region region; .*\(extend with extraRegionSets\)/,
            );
        });
    });

    describe("ConfigError", () => {
        it("is a pulumi.RunError, so the language host prints only its message", () => {
            const error = new ConfigError("dev", [
                { key: "lambdaMemoryMb", value: "1", allowed: "a whole number" },
            ]);
            assert.ok(error instanceof pulumi.RunError);
            assert.ok(pulumi.RunError.isInstance(error));
            assert.equal(error.name, "ConfigError");
            assert.equal(error.stackName, "dev");
            // Error#stack stays the stack trace (a `stack` field once shadowed it).
            assert.equal(typeof error.stack, "string");
            assert.match(error.stack!, /Invalid configuration for stack "dev"/);
        });

        it("lists every problem, each naming its key, before anything is declared", () => {
            const message = rejection({
                witnessRegion: "us-west-1",
                lambdaMemoryMb: "1",
                alertEmail: "ops@example.com",
                monitoringSchedle: "rate(5 minutes)",
            });
            assert.match(
                message,
                /^Invalid configuration for stack "dev" \(nothing was declared\):\n/,
            );
            const lines = message.split("\n").slice(1);
            assert.equal(lines.length, 4, message);
            for (const key of [
                "aurora-dsql-dr:monitoringSchedle",
                "aurora-dsql-dr:witnessRegion",
                "aurora-dsql-dr:alertEmail",
                "aurora-dsql-dr:lambdaMemoryMb",
            ]) {
                problemOf(message, key);
            }
        });
    });
});
