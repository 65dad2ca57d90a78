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
import { listStacks, stackConfig } from "../../tools/pulumi-host/stack-config";

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
            const raw = stackConfig("prod");
            const result = validateConfig("prod", raw);
            assert.ok("config" in result);
            assert.equal(result.config.deletionProtection, true);
            assert.equal(result.config.schedulePeriodSeconds, 60);
            assert.equal(result.config.detectionProfile, "fast");
            // Whatever regions the stack file names (a copy in Europe stays green).
            assert.equal(result.config.witnessRegion, raw.witnessRegion);
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
