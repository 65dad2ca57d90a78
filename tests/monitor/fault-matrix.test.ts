import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, it, mock } from "node:test";
import {
    AccessDeniedException,
    DSQLClient,
    GetClusterCommand,
    InternalServerException,
    ThrottlingException,
} from "@aws-sdk/client-dsql";
import { mockClient } from "aws-sdk-client-mock";
import { dsqlControlPlane } from "../../monitor-function/src/control-plane";
import { withDeadline } from "../../monitor-function/src/deadline";
import { failureReason } from "../../monitor-function/src/classify";
import { ENV } from "../../monitor-function/src/contract";
import type { InvocationSummary } from "../../monitor-function/src/handler";
import {
    activeCluster,
    captureOutput,
    emfDatapoints,
    emfDocuments,
    monitorEnv,
    PRIMARY,
    scriptedDataPlane,
    SECONDARY,
    testHandler,
    timeoutError,
} from "../support/monitor";

const dsql = mockClient(DSQLClient);
/** Each step's bound in these tests (monitorEnv: controlPlaneTimeoutMs, dataPlaneTimeoutMs). */
const BOUND_MS = 400;

const hang = () => new Promise<never>(() => undefined);
const serviceError = <T extends Error>(Type: new (o: any) => T, status: number) =>
    new Type({ message: `${Type.name} from the mock`, $metadata: { httpStatusCode: status } });

/**
 * Runs `fn` with setTimeout mocked, moving virtual time on 1 ms at a time and only once
 * nothing else can run, so every bound fires at its exact virtual time. Returns the result
 * and the virtual milliseconds it took; fails if it is still pending after `limitMs`.
 */
async function onVirtualTime<T>(
    fn: () => Promise<T>,
    limitMs = 10 * BOUND_MS,
): Promise<{ result: T; virtualMs: number }> {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
        let settled = false;
        const running = fn().finally(() => (settled = true));
        running.catch(() => undefined);
        let virtualMs = 0;
        for (;;) {
            // Promise chains and immediates run to a standstill before time moves.
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (settled) return { result: await running, virtualMs };
            if (virtualMs >= limitMs) throw new Error(`still pending after ${limitMs} virtual ms`);
            mock.timers.tick(1);
            virtualMs++;
        }
    } finally {
        mock.timers.reset();
    }
}

async function invoke(dataPlane = scriptedDataPlane(), env = monitorEnv()) {
    const { result: output, virtualMs } = await onVirtualTime(() =>
        captureOutput(() => testHandler(dataPlane, env)({})),
    );
    const { result, lines } = output;
    const points = emfDatapoints(emfDocuments(lines));
    const about = (cluster: typeof PRIMARY, metric: string) =>
        points.find((p) => p.metric === metric && p.dimensions.ClusterId === cluster.identifier)
            ?.value;
    const [round] = (result as InvocationSummary).rounds;
    const view = (cluster: typeof PRIMARY) => round.clusters.find((c) => c.role === cluster.role)!;
    return { round, view, about, points, virtualMs, dataPlane };
}

describe("fault matrix: the control plane and the data plane are separate signals", () => {
    beforeEach(() => {
        dsql.reset();
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).resolves(
            activeCluster(PRIMARY, SECONDARY),
        );
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier }).resolves(
            activeCluster(SECONDARY, PRIMARY),
        );
    });
    const secondaryGetCluster = () =>
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier });

    const controlPlaneFaults: [string, () => void, string][] = [
        [
            "throttling",
            () => secondaryGetCluster().rejects(serviceError(ThrottlingException, 429)),
            "throttled",
        ],
        [
            "a 5xx",
            () => secondaryGetCluster().rejects(serviceError(InternalServerException, 500)),
            "service-error",
        ],
        ["a hang", () => secondaryGetCluster().callsFake(hang), "timeout"],
        [
            "a DNS failure",
            () =>
                secondaryGetCluster().rejects(
                    Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }),
                ),
            "dns",
        ],
    ];
    for (const [label, fault, reason] of controlPlaneFaults) {
        it(`GetCluster ${label}: a control-plane warning, the data plane still probed and sound`, async () => {
            fault();
            const o = await invoke();
            assert.equal(o.view(SECONDARY).controlPlane, reason);
            assert.equal(o.about(SECONDARY, "ControlPlaneFailure"), 1);
            // No answer is missing data for the control-plane view, never a 0.
            assert.equal(o.about(SECONDARY, "PeeringMismatch"), undefined);
            assert.equal(o.about(SECONDARY, "StatusNotUsable"), undefined);
            assert.deepEqual(
                o.dataPlane.calls.sort(),
                [PRIMARY.identifier, SECONDARY.identifier].sort(),
            );
            assert.equal(o.view(SECONDARY).dataPlane, "ok");
            assert.equal(o.about(SECONDARY, "ClusterVerdict"), undefined, "no cluster verdict");
            assert.equal(o.view(PRIMARY).controlPlane, "ok", "the other cluster is untouched");
            if (reason === "timeout") {
                // Cut at its bound, not before, and only one bound: the steps run side by side.
                assert.ok(
                    o.virtualMs >= BOUND_MS && o.virtualMs < 2 * BOUND_MS,
                    `${o.virtualMs} virtual ms`,
                );
            } else {
                assert.ok(o.virtualMs < BOUND_MS, `an answer waits out no bound: ${o.virtualMs}`);
            }
        });
    }

    it("GetCluster access denied: a defect of the monitor's own (its IAM policy), not of the cluster", async () => {
        secondaryGetCluster().rejects(serviceError(AccessDeniedException, 403));
        const o = await invoke();
        assert.equal(o.view(SECONDARY).controlPlane, "access-denied");
        assert.equal(o.round.monitorSound, false);
        assert.equal(o.points.find((p) => p.metric === "MonitorHealth")!.value, 0);
        assert.equal(o.about(SECONDARY, "ClusterVerdict"), undefined);
    });

    it("peering not as declared: emitted only because GetCluster answered", async () => {
        secondaryGetCluster().resolves({
            ...activeCluster(SECONDARY, PRIMARY),
            multiRegionProperties: {
                witnessRegion: "eu-west-1",
                clusters: [SECONDARY.arn, PRIMARY.arn],
            },
        });
        const o = await invoke();
        assert.equal(o.about(SECONDARY, "PeeringMismatch"), 1);
        assert.match(o.view(SECONDARY).peering!, /witness eu-west-1, expected us-west-2/);
        assert.equal(o.about(PRIMARY, "PeeringMismatch"), undefined);
    });

    it("a status that cannot serve is a warning; quiet standbys (IDLE, INACTIVE) are not", async () => {
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).resolves(
            activeCluster(PRIMARY, SECONDARY, "INACTIVE"),
        );
        secondaryGetCluster().resolves(activeCluster(SECONDARY, PRIMARY, "FAILED"));
        const o = await invoke();
        assert.equal(o.about(PRIMARY, "StatusNotUsable"), undefined);
        assert.equal(o.about(SECONDARY, "StatusNotUsable"), 1);
        assert.equal(
            o.about(SECONDARY, "ClusterVerdict"),
            undefined,
            "the data plane decides serving",
        );
    });

    it("a hung data plane of one cluster costs one bound and touches nothing of the other", async () => {
        const o = await invoke(scriptedDataPlane({ [SECONDARY.identifier]: "hang" }));
        assert.equal(o.view(SECONDARY).dataPlane, "timeout (cluster)");
        assert.equal(o.view(PRIMARY).dataPlane, "ok");
        // Cut at its bound, not before, and only one bound: the other cluster did not wait.
        assert.ok(
            o.virtualMs >= BOUND_MS && o.virtualMs < 2 * BOUND_MS,
            `${o.virtualMs} virtual ms`,
        );
        // No commit of the other observer through it is on record: it looks down.
        assert.equal(o.about(SECONDARY, "ClusterVerdict"), 2);
        assert.equal(o.about(PRIMARY, "ClusterVerdict"), undefined);
    });

    it("a cluster that GetCluster reports INACTIVE gets the wake-up bound for its heartbeat, and no more", async () => {
        const WAKE_UP_BOUND_MS = 3 * BOUND_MS;
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier }).resolves(
            activeCluster(SECONDARY, PRIMARY, "INACTIVE"),
        );
        const o = await invoke(
            scriptedDataPlane({ [SECONDARY.identifier]: "hang", [PRIMARY.identifier]: "hang" }),
            monitorEnv({ [ENV.dataPlaneWakeTimeoutMs]: String(WAKE_UP_BOUND_MS) }),
        );
        assert.equal(o.view(SECONDARY).dataPlane, "timeout (cluster)");
        assert.equal(o.view(PRIMARY).dataPlane, "timeout (cluster)", "ACTIVE: the probe bound");
        // Cut at the wake-up bound, not before, and not later than that bound allows.
        assert.ok(
            o.virtualMs >= WAKE_UP_BOUND_MS && o.virtualMs < WAKE_UP_BOUND_MS + BOUND_MS,
            `${o.virtualMs} virtual ms`,
        );
    });

    it("a data-plane failure is a path warning (1) while the other observer's commits through it are fresh", async () => {
        const fresh = scriptedDataPlane({ [SECONDARY.identifier]: timeoutError() }, [
            {
                observer: SECONDARY.region,
                via: SECONDARY.region,
                tick: new Date(),
                committedAt: new Date(Date.now() - 10_000),
                beats: 5,
            },
        ]);
        const o = await invoke(fresh);
        assert.equal(o.about(SECONDARY, "ClusterVerdict"), 1);
        assert.equal(o.view(SECONDARY).peerCommitAgeSeconds, 10);
    });
});

describe("a control-plane call throttled past its bound", () => {
    let server: ReturnType<typeof createServer>;
    let port: number;
    let requests = 0;
    before(async () => {
        dsql.restore();
        // Every GetCluster is throttled and told to come back later: the SDK backs off.
        server = createServer((request, response) => {
            requests++;
            request.resume();
            response.writeHead(429, {
                "content-type": "application/json",
                "x-amzn-errortype": "ThrottlingException",
                "retry-after": "30",
            });
            response.end(JSON.stringify({ message: "Rate exceeded" }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as { port: number }).port;
    });
    after(() => {
        server.close();
    });

    // The server says to come back in 30 s: only the deadline can end this call in time. If
    // it did not, the test's own timeout fails it.
    it(
        "is reported as throttled, not as a timeout (the runbook reads timeouts as unreachable)",
        { timeout: 10_000 },
        async () => {
            const controlPlane = dsqlControlPlane(
                (region) =>
                    new DSQLClient({
                        region,
                        endpoint: `http://127.0.0.1:${port}`,
                        credentials: { accessKeyId: "test", secretAccessKey: "test" },
                    }),
            );
            const reason = await withDeadline("GetCluster", 600, ({ signal }) =>
                controlPlane.getCluster(PRIMARY.region, PRIMARY.identifier, signal),
            ).then(
                () => "answered",
                (error: unknown) => failureReason(error),
            );
            assert.equal(reason, "throttled");
            assert.ok(requests >= 1, "the call reached the server and was throttled");
        },
    );
});
