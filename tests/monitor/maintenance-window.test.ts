import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    MAX_MAINTENANCE_SECONDS,
    maintenanceSecondsLeft,
} from "../../monitor-function/src/contract";
import {
    captureOutput,
    emfDatapoints,
    emfDocuments,
    fixedMaintenance,
    monitorEnv,
    scriptedDataPlane,
    testHandler,
} from "../support/monitor";

/**
 * A maintenance window is whatever the region's SSM parameter says, and anyone with
 * ssm:PutParameter can write it, not only `./task maintenance`. The monitor must honour a
 * window for at most MAX_MAINTENANCE_SECONDS after it opened, whatever `until` says, and
 * treat anything it cannot read as no window at all: a silence must never outlive its cap.
 */
const SINCE = Date.parse("2026-12-01T08:00:00.000Z");
const at = (hoursAfterSince: number) => new Date(SINCE + hoursAfterSince * 3600_000);
const window = (fields: Record<string, unknown>) => JSON.stringify(fields);
const iso = (hours: number) => at(hours).toISOString();

describe("maintenance windows written outside the tool", () => {
    it("caps a window whose until is days after since at 12 hours after since", () => {
        const far = window({ since: iso(0), until: iso(24 * 30), reason: "written by hand" });
        assert.equal(MAX_MAINTENANCE_SECONDS, 12 * 3600);
        assert.equal(maintenanceSecondsLeft(far, at(1)), 11 * 3600);
        assert.equal(maintenanceSecondsLeft(far, at(11.5)), 1800);
        assert.equal(maintenanceSecondsLeft(far, at(12)), 0, "closed at the cap");
        assert.equal(maintenanceSecondsLeft(far, at(13)), 0);
        assert.equal(maintenanceSecondsLeft(far, at(24 * 29)), 0, "still closed before until");
    });

    it("honours a window shorter than the cap until its end", () => {
        const short = window({ since: iso(0), until: iso(2) });
        assert.equal(maintenanceSecondsLeft(short, at(1)), 3600);
        assert.equal(maintenanceSecondsLeft(short, at(2)), 0);
    });

    it("treats a window that already ended, or ends before it starts, as closed", () => {
        assert.equal(maintenanceSecondsLeft(window({ since: iso(-5), until: iso(-1) }), at(0)), 0);
        assert.equal(maintenanceSecondsLeft(window({ since: iso(3), until: iso(1) }), at(0)), 0);
    });

    it("does not open a window whose since lies ahead of the monitor's clock", () => {
        // A far-future since would otherwise silence every page from now until since + 12 h.
        const ahead = window({ since: iso(24 * 30), until: iso(24 * 30 + 6) });
        assert.equal(maintenanceSecondsLeft(ahead, at(0)), 0);
        assert.equal(maintenanceSecondsLeft(window({ since: iso(5), until: iso(6) }), at(0)), 0);
    });

    it("tolerates a since a little ahead (the writer's clock), and still caps from since", () => {
        const skewed = window({ since: iso(0.05), until: iso(24) });
        assert.equal(maintenanceSecondsLeft(skewed, at(0)), 12.05 * 3600);
    });

    for (const [name, text] of [
        ["no since", window({ until: iso(24 * 365) })],
        ["since not a date", window({ since: "yesterday", until: iso(3) })],
        ["until not a date", window({ since: iso(0), until: "tomorrow" })],
        ["until null (the closed value)", window({ since: iso(0), until: null })],
        ["numbers instead of dates", window({ since: SINCE, until: SINCE + 7_200_000 })],
        ["not JSON", "on until friday"],
        ["JSON that is not an object", "[1, 2]"],
        ["an empty parameter", ""],
        ["a missing parameter", undefined],
    ] as const) {
        it(`treats a parameter with ${name} as no window`, () => {
            assert.equal(maintenanceSecondsLeft(text, at(1)), 0);
        });
    }

    it("stops raising the maintenance signal once the cap has passed, whatever until says", async () => {
        const far = fixedMaintenance(window({ since: iso(0), until: iso(24 * 30) }));
        const signalAt = async (hours: number) => {
            const { lines } = await captureOutput(() =>
                testHandler(scriptedDataPlane(), monitorEnv(), {
                    now: () => at(hours).getTime(),
                    maintenance: far,
                })({ time: iso(hours) }),
            );
            return emfDatapoints(emfDocuments(lines)).filter(
                (p) => p.metric === "MaintenanceWindow",
            );
        };
        assert.equal((await signalAt(11)).length, 1, "raised within the cap");
        assert.deepEqual(await signalAt(12.5), [], "not after it");
    });
});
