import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ENV } from "../../monitor-function/src/contract";
import { EnvironmentError, readSettings } from "../../monitor-function/src/environment";
import { monitorEnv, PRIMARY, SECONDARY, WITNESS } from "../support/monitor";

describe("monitor environment", () => {
    it("reads both clusters, the witness and the probe bounds", () => {
        const settings = readSettings(monitorEnv());
        assert.deepEqual(settings.clusters, [PRIMARY, SECONDARY]);
        assert.equal(settings.witnessRegion, WITNESS);
        assert.equal(settings.dataPlaneProbe, true);
        assert.equal(settings.controlPlaneTimeoutMs, 400);
        assert.equal(settings.heartbeatStaleSeconds, 90);
        assert.deepEqual([settings.probeRounds, settings.probeIntervalSeconds], [1, 0]);
        assert.equal(settings.metricResolution, 60);
        assert.equal(settings.pair, `${PRIMARY.identifier}+${SECONDARY.identifier}`);
    });

    it("reads the data-plane bound for a waking cluster, the usual bound when none is set", () => {
        const settings = readSettings(monitorEnv({ [ENV.dataPlaneWakeTimeoutMs]: "1200" }));
        assert.equal(settings.dataPlaneWakeTimeoutMs, 1200);
        assert.equal(readSettings(monitorEnv()).dataPlaneWakeTimeoutMs, 400);
    });

    const bad: [string, Record<string, string | undefined>, RegExp][] = [
        [
            "a wake-up bound shorter than the data-plane bound",
            { [ENV.dataPlaneWakeTimeoutMs]: "300" },
            /DATA_PLANE_WAKE_TIMEOUT_MS=300 is invalid: expected 400 \(DATA_PLANE_TIMEOUT_MS\) to 900000 ms/,
        ],
        [
            "a wake-up bound that is not a number",
            { [ENV.dataPlaneWakeTimeoutMs]: "5s" },
            /DATA_PLANE_WAKE_TIMEOUT_MS="5s" is invalid: expected a whole number of ms/,
        ],
        [
            "a missing cluster identifier",
            { [ENV.clusterId("secondary")]: undefined },
            /SECONDARY_CLUSTER_ID is missing/,
        ],
        [
            "a malformed ARN",
            { [ENV.clusterArn("primary")]: "arn:aws:s3:::bucket" },
            /PRIMARY_CLUSTER_ARN="arn:aws:s3:::bucket" is invalid: expected an Aurora DSQL cluster ARN/,
        ],
        [
            "an ARN of another cluster",
            { [ENV.clusterArn("primary")]: SECONDARY.arn },
            /PRIMARY_CLUSTER_ARN=.* does not name cluster/,
        ],
        [
            "a bad region",
            { [ENV.witnessRegion]: "mars" },
            /WITNESS_REGION="mars" is invalid: expected an AWS region/,
        ],
        [
            "a non-boolean switch",
            { [ENV.dataPlaneProbe]: "yes" },
            /DATA_PLANE_PROBE="yes" is invalid: expected true or false/,
        ],
        [
            "a timeout out of range",
            { [ENV.dataPlaneTimeoutMs]: "5" },
            /DATA_PLANE_TIMEOUT_MS=5 is invalid: expected 100 to 60000 ms/,
        ],
        [
            "an observer outside both cluster regions",
            { [ENV.observerRegion]: "eu-west-1" },
            /OBSERVER_REGION="eu-west-1" is invalid: expected the region of one of the two clusters/,
        ],
        [
            "rounds too close together",
            { [ENV.probeRounds]: "3", [ENV.probeIntervalSeconds]: "2" },
            /PROBE_INTERVAL_SECONDS=2 is invalid: expected at least 5 seconds between 3 rounds/,
        ],
        [
            "a metric resolution CloudWatch does not store",
            { [ENV.metricResolution]: "10" },
            /METRIC_RESOLUTION="10" is invalid: expected 1 or 60/,
        ],
    ];
    for (const [label, overrides, message] of bad) {
        it(`fails on ${label}, naming the variable`, () => {
            assert.throws(
                () => readSettings(monitorEnv(overrides)),
                (e: Error) => e instanceof EnvironmentError && message.test(e.message),
            );
        });
    }
});
