import assert from "node:assert/strict";
import { FAST_INTERVAL_SECONDS, FAST_ROUNDS } from "../../infra/detection";
import { describe, it } from "node:test";
import {
    DETECTION_PRESETS,
    PROFILE_KEYS,
    validateConfig,
    type StackConfig,
} from "../../infra/config";
import { DETECTION_PROFILES } from "../../infra/detection";
import { listStacks, stackConfig } from "../../tools/pulumi-host/stack-config";
import { accepted, problems } from "../support/config-check";

/** Seconds of the fast profile's rounds after the first, and the longest probe bound it allows. */
const FAST_ROUNDS_SPAN = (FAST_ROUNDS - 1) * FAST_INTERVAL_SECONDS;
const MAX_FAST_PROBE = 60 - 1 - FAST_ROUNDS_SPAN - 5;

const timing = (c: StackConfig) => [
    c.monitoringSchedule,
    c.probeTimeoutSeconds,
    c.lambdaTimeoutSeconds,
];

describe("config: detection-profile presets", () => {
    for (const profile of DETECTION_PROFILES) {
        it(`--set detectionProfile=${profile} alone is a valid config, with the profile's timing`, () => {
            const config = accepted({ detectionProfile: profile });
            const preset = DETECTION_PRESETS[profile];
            assert.equal(config.detectionProfile, profile);
            assert.deepEqual(timing(config), [
                preset.monitoringSchedule,
                preset.probeTimeoutSeconds,
                preset.lambdaTimeoutSeconds,
            ]);
        });
    }

    it("--set detectionProfile=fast alone is valid on every stack file that leaves the profile's keys to it", () => {
        for (const stack of listStacks()) {
            const own = PROFILE_KEYS.filter((k) => stackConfig(stack)[k]?.trim());
            const result = validateConfig(stack, stackConfig(stack, { detectionProfile: "fast" }));
            if ("config" in result) continue;
            // A stack file that sets one of them may be refused on those keys only, each with the same fix.
            for (const p of result.problems) {
                assert.ok((own as string[]).includes(p.key), `${stack}: ${p.key}: ${p.allowed}`);
                assert.match(p.allowed, /unset it/);
            }
        }
    });

    it("fits the Lambda timeout the stack leaves unset to the schedule and probe bound it sets", () => {
        assert.equal(accepted({ monitoringSchedule: "rate(1 minute)" }).lambdaTimeoutSeconds, 59);
        assert.equal(accepted({ monitoringSchedule: "rate(5 minutes)" }).lambdaTimeoutSeconds, 60);
        assert.equal(
            accepted({ detectionProfile: "fast", probeTimeoutSeconds: String(MAX_FAST_PROBE) })
                .lambdaTimeoutSeconds,
            59,
        );
    });

    it("lets every key the stack sets override its profile's", () => {
        const config = accepted({
            detectionProfile: "fast",
            probeTimeoutSeconds: "2",
            lambdaTimeoutSeconds: "57",
        });
        assert.deepEqual(timing(config), ["rate(1 minute)", 2, 57]);
    });

    it("reports every conflict with the profile at once, and their one fix (unset them) is valid", () => {
        const standardValues = {
            monitoringSchedule: "rate(2 minutes)",
            probeTimeoutSeconds: "10",
            lambdaTimeoutSeconds: "60",
        };
        const found = problems({ ...standardValues, detectionProfile: "fast" });
        assert.deepEqual(found.map((p) => p.key).sort(), Object.keys(standardValues).sort());
        for (const p of found) assert.match(p.allowed, /unset it/, p.allowed);
        assert.equal(accepted({ detectionProfile: "fast" }).detectionProfile, "fast");
    });

    it("never advises a Lambda timeout the schedule refuses (fast with its own timeout)", () => {
        const found = problems({ detectionProfile: "fast", probeTimeoutSeconds: "10" });
        assert.deepEqual(
            found.map((p) => p.key),
            ["probeTimeoutSeconds"],
        );
        assert.match(
            found[0].allowed,
            new RegExp(
                `at most ${MAX_FAST_PROBE} s .*; or unset it \\(pulumi config rm aurora-dsql-dr:probeTimeoutSeconds\\) to take the fast profile's 3 s`,
            ),
        );
        const withTimeout = problems({
            detectionProfile: "fast",
            probeTimeoutSeconds: "10",
            lambdaTimeoutSeconds: "58",
        });
        assert.deepEqual(
            withTimeout.map((p) => p.key),
            ["probeTimeoutSeconds"],
        );
        assert.match(
            withTimeout[0].allowed,
            new RegExp(`; with lambdaTimeoutSeconds 58 s, at most ${58 - FAST_ROUNDS_SPAN - 5} s`),
        );
        const tooShort = problems({
            detectionProfile: "fast",
            probeTimeoutSeconds: "10",
            lambdaTimeoutSeconds: "50",
        });
        assert.deepEqual(
            tooShort.map((p) => p.key),
            ["probeTimeoutSeconds", "lambdaTimeoutSeconds"],
        );
        assert.match(
            tooShort[1].allowed,
            new RegExp(
                `must be at least ${FAST_ROUNDS_SPAN + 3 + 5} s: .*probeTimeoutSeconds once fixed \\(the fast profile's 3 s\\)`,
            ),
        );
        for (const p of [...found, ...withTimeout, ...tooShort]) {
            for (const [, seconds] of p.allowed.matchAll(/at most (\d+) s/g))
                assert.ok(Number(seconds) >= 1, p.allowed);
            for (const [, seconds] of p.allowed.matchAll(/at least (\d+) s/g))
                assert.ok(Number(seconds) < 60, p.allowed);
        }
    });

    it("leaves the timing unreported while the profile itself is wrong", () => {
        const found = problems({ detectionProfile: "turbo", lambdaTimeoutSeconds: "900" });
        assert.deepEqual(
            found.map((p) => p.key),
            ["detectionProfile"],
        );
    });
});
