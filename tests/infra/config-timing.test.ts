import assert from "node:assert/strict";
import { FAST_INTERVAL_SECONDS, FAST_ROUNDS } from "../../infra/detection";
import { describe, it } from "node:test";
import { accepted, problemOf, rejection } from "../support/config-check";

/** Seconds of the fast profile's rounds after the first. */
const SPAN = (FAST_ROUNDS - 1) * FAST_INTERVAL_SECONDS;

describe("config: schedule, Lambda and detection timing", () => {
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
                new RegExp(
                    `= "turbo": one of standard, fast \\(fast probes every ${FAST_INTERVAL_SECONDS} s with high-resolution alarms\\)`,
                ),
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
                new RegExp(
                    `= "50": must be at least ${SPAN + 3 + 5} s: ${FAST_ROUNDS - 1} × ${FAST_INTERVAL_SECONDS} s between rounds \\+ one probe bound of probeTimeoutSeconds \\(3 s\\) \\+ 5 s`,
                ),
            );
        });

        it("rejects a probe timeout as long as the fast profile's interval", () => {
            const message = rejection({ ...fast, probeTimeoutSeconds: "12" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:probeTimeoutSeconds"),
                new RegExp(`= "12": at most ${60 - 1 - SPAN - 5} s with detectionProfile fast`),
            );
        });

        // With fast at rate(1 minute), the rounds, the probe bound and 5 s must end before
        // the next tick: SPAN + probeTimeoutSeconds + 5 < 60. At 10 no Lambda timeout is valid;
        // asking for one of at least SPAN + 15 s, which the next check refuses as not shorter
        // than 60 s, would send the user in a circle.
        it("names probeTimeoutSeconds when no Lambda timeout fits the fast profile's rounds", () => {
            const message = rejection({ ...fast, probeTimeoutSeconds: "10" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:probeTimeoutSeconds"),
                new RegExp(`= "10": .*at most ${60 - 1 - SPAN - 5} s`),
            );
            assert.doesNotMatch(message, new RegExp(`must be at least ${SPAN + 10 + 5} s`));
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
});
