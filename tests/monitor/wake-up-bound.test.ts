import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { readSettings } from "../../monitor-function/src/environment";
import { MONITOR_OVERHEAD_SECONDS } from "../../infra/detection";
import { declareStack, type DeclaredResource } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";

/**
 * The bound the program gives a waking cluster's heartbeat, on the stack where it is
 * tightest: prod runs several rounds seconds apart in one invocation, so the bound must leave the
 * last round time to finish within the function's timeout, and each round time to finish
 * before the next one starts. (A process declares one stack.)
 */
describe("the wake-up bound the program gives the monitor (prod, fast profile)", () => {
    let monitors: DeclaredResource[];
    before(async () => {
        const declared = await declareStack("prod", stackConfig("prod"));
        monitors = declared.resources.filter(
            (r) =>
                r.type === "aws:lambda/function:Function" && r.inputs.handler === "index.handler",
        );
    });

    it("is longer than the probe bound, and still fits the invocation's rounds and timeout", () => {
        assert.equal(monitors.length, 2, "one monitor per cluster region");
        for (const fn of monitors) {
            const settings = readSettings(fn.inputs.environment.variables);
            const wakeUpMs = settings.dataPlaneWakeTimeoutMs;
            const lastRoundStartMs =
                (settings.probeRounds - 1) * settings.probeIntervalSeconds * 1000;
            assert.ok(settings.probeRounds > 1, "the fast profile");
            assert.ok(
                wakeUpMs > settings.dataPlaneTimeoutMs,
                `${wakeUpMs} ms, probe bound ${settings.dataPlaneTimeoutMs} ms`,
            );
            assert.ok(
                lastRoundStartMs + wakeUpMs + MONITOR_OVERHEAD_SECONDS * 1000 <=
                    fn.inputs.timeout * 1000,
                `last round at ${lastRoundStartMs} ms + ${wakeUpMs} ms + overhead, timeout ${fn.inputs.timeout} s`,
            );
            assert.ok(
                wakeUpMs < settings.probeIntervalSeconds * 1000,
                `${wakeUpMs} ms ends before the next round, ${settings.probeIntervalSeconds} s later`,
            );
        }
    });
});
