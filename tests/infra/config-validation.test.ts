import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, validateConfig, type ConfigKey, type RawConfig } from "../../infra/config";
import { stackConfig } from "../../tools/stack-config";

const dev = stackConfig("dev");

/** Validates dev's config with `changes` applied; returns the error text or fails. */
function rejection(changes: Partial<Record<ConfigKey, string | undefined>>): string {
    const raw: RawConfig = { ...dev, ...changes };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete raw[key as ConfigKey];
    }
    const result = validateConfig("dev", raw);
    assert.ok("problems" in result, `expected ${JSON.stringify(changes)} to be rejected`);
    return new ConfigError("dev", result.problems).message;
}

describe("config validation", () => {
    it("accepts both stack files as they are", () => {
        for (const stack of ["dev", "prod"]) {
            const result = validateConfig(stack, stackConfig(stack));
            assert.ok("config" in result, JSON.stringify(result));
            assert.ok(Object.isFrozen(result.config));
        }
    });

    it("reads prod as protected with a one-minute schedule", () => {
        const result = validateConfig("prod", stackConfig("prod"));
        assert.ok("config" in result);
        assert.equal(result.config.deletionProtection, true);
        assert.equal(result.config.schedulePeriodSeconds, 60);
        assert.equal(result.config.witnessRegion, "us-east-2");
    });

    it("rejects a region without Aurora DSQL (us-west-1)", () => {
        const message = rejection({ witnessRegion: "us-west-1" });
        assert.match(
            message,
            /aurora-dsql-dr:witnessRegion = "us-west-1": not an Aurora DSQL multi-region region/,
        );
        assert.match(message, /US: us-east-1, us-east-2, us-west-2/);
    });

    it("rejects peers in different region sets", () => {
        const message = rejection({ secondaryRegion: "eu-west-1" });
        assert.match(
            message,
            /secondaryRegion = "eu-west-1": must be in the same region set as primaryRegion us-east-1 \(US: us-east-1, us-east-2, us-west-2\)/,
        );
    });

    it("rejects a witness outside the peers' region set", () => {
        const message = rejection({ witnessRegion: "eu-central-1" });
        assert.match(
            message,
            /witnessRegion = "eu-central-1": must be in the peers' region set \(US: us-west-2\)/,
        );
    });

    it("rejects a witness equal to a peer", () => {
        const message = rejection({ witnessRegion: "us-east-2" });
        assert.match(
            message,
            /witnessRegion = "us-east-2": must differ from both cluster regions \(us-east-1, us-east-2\); choose from us-west-2/,
        );
    });

    it("rejects primary equal to secondary", () => {
        const message = rejection({ secondaryRegion: "us-east-1" });
        assert.match(
            message,
            /secondaryRegion = "us-east-1": must differ from primaryRegion \(us-east-1\)/,
        );
    });

    it("rejects a missing alert e-mail", () => {
        const message = rejection({ alertEmail: undefined });
        assert.match(message, /alertEmail is not set: one e-mail address or a list of them/);
    });

    it("rejects a malformed alert e-mail", () => {
        const message = rejection({
            alertEmail: JSON.stringify(["ops@example.com", "not-an-address"]),
        });
        assert.match(
            message,
            /alertEmail = "\[\\"ops@example.com\\",\\"not-an-address\\"\]": one e-mail address/,
        );
    });

    it("accepts a single address given as plain text", () => {
        const result = validateConfig("dev", { ...dev, alertEmail: "oncall@example.org" });
        assert.ok("config" in result);
        assert.deepEqual(result.config.alertEmails, ["oncall@example.org"]);
    });

    it("rejects rate(0 minutes)", () => {
        const message = rejection({ monitoringSchedule: "rate(0 minutes)" });
        assert.match(
            message,
            /monitoringSchedule = "rate\(0 minutes\)": the rate value must be a positive whole number/,
        );
    });

    it("rejects rate(1 minutes), which EventBridge refuses", () => {
        const message = rejection({ monitoringSchedule: "rate(1 minutes)" });
        assert.match(
            message,
            /monitoringSchedule = "rate\(1 minutes\)": EventBridge needs the singular unit for 1/,
        );
    });

    it("rejects a garbage schedule", () => {
        const message = rejection({ monitoringSchedule: "every two minutes" });
        assert.match(
            message,
            /monitoringSchedule = "every two minutes": expected rate\(<n> minute\[s\]\|hour\[s\]\)/,
        );
    });

    it("rejects a cron schedule, which has no fixed period for the alarms", () => {
        const message = rejection({ monitoringSchedule: "cron(0/5 * * * ? *)" });
        assert.match(message, /monitoringSchedule = "cron\(0\/5 \* \* \* \? \*\)": expected rate/);
    });

    it("rejects Lambda memory below 128 MB", () => {
        const message = rejection({ lambdaMemoryMb: "64" });
        assert.match(message, /lambdaMemoryMb = "64": a whole number of MB from 128 to 10240/);
    });

    it("rejects Lambda memory above 10240 MB", () => {
        const message = rejection({ lambdaMemoryMb: "20000" });
        assert.match(message, /lambdaMemoryMb = "20000": a whole number of MB from 128 to 10240/);
    });

    it("rejects a Lambda timeout of 0 s", () => {
        const message = rejection({ lambdaTimeoutSeconds: "0" });
        assert.match(
            message,
            /lambdaTimeoutSeconds = "0": a whole number of seconds from 1 to 900/,
        );
    });

    it("rejects a Lambda timeout above 900 s", () => {
        const message = rejection({ lambdaTimeoutSeconds: "901" });
        assert.match(
            message,
            /lambdaTimeoutSeconds = "901": a whole number of seconds from 1 to 900/,
        );
    });

    it("rejects a Lambda timeout longer than the schedule period", () => {
        const message = rejection({
            monitoringSchedule: "rate(1 minute)",
            lambdaTimeoutSeconds: "90",
        });
        assert.match(
            message,
            /lambdaTimeoutSeconds = "90": must be shorter than the schedule period \(60 s from rate\(1 minute\)\)/,
        );
    });

    it("rejects a Lambda timeout too short for both probe steps", () => {
        const message = rejection({ lambdaTimeoutSeconds: "12", probeTimeoutSeconds: "10" });
        assert.match(
            message,
            /lambdaTimeoutSeconds = "12": must be at least 25 s: two probe steps/,
        );
    });

    it("rejects negative reserved concurrency", () => {
        const message = rejection({ reservedConcurrency: "-1" });
        assert.match(
            message,
            /reservedConcurrency = "-1": a whole number of executions \(0 = no reservation\) from 0 to 1000/,
        );
    });

    it("rejects an unknown log retention value", () => {
        const message = rejection({ logRetentionDays: "45" });
        assert.match(message, /logRetentionDays = "45": one of 1, 3, 5, 7, 14, 30, 60, 90/);
    });

    it("rejects a boolean that is not true or false", () => {
        const message = rejection({ deletionProtection: "yes" });
        assert.match(message, /deletionProtection = "yes": true or false/);
    });

    it("rejects tags that are not an object of strings", () => {
        const message = rejection({ tags: JSON.stringify({ team: 7 }) });
        assert.match(message, /tags = "\{\\"team\\":7\}": an object of tag keys to string values/);
    });

    it("reports every problem at once, each naming its key", () => {
        const message = rejection({ witnessRegion: "us-west-1", lambdaMemoryMb: "1" });
        assert.match(message, /^Invalid configuration for stack "dev" \(nothing was declared\):/);
        assert.equal(message.split("\n  - ").length - 1, 2);
    });
});
