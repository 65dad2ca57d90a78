import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
    AccessDeniedException,
    DSQLClient,
    GetClusterCommand,
    InternalServerException,
    ThrottlingException,
} from "@aws-sdk/client-dsql";
import { mockClient } from "aws-sdk-client-mock";
import type { ClusterTarget } from "../../monitor-function/src/environment";
import { EnvironmentError } from "../../monitor-function/src/environment";
import { pgProber, type SqlProber } from "../../monitor-function/src/sql-probe";
import {
    activeCluster,
    captureOutput,
    emfDocuments,
    emitted,
    monitorEnv,
    PRIMARY,
    scriptedSql,
    SECONDARY,
    silentServer,
    testHandler,
    WITNESS,
} from "../support/monitor";

const dsql = mockClient(DSQLClient);
const CONTROL_MS = 400;
const DATA_MS = 400;
/** The invocation's budget: one bounded step of each kind, plus scheduling slack. */
const BUDGET_MS = CONTROL_MS + DATA_MS + 1000;

const hang = () => new Promise<never>(() => undefined);
const serviceError = <T extends Error>(Type: new (o: any) => T, status: number) =>
    new Type({ message: `${Type.name} from the mock`, $metadata: { httpStatusCode: status } });

/** Dispatches the SQL probe per cluster, so one cluster can meet a real hung server. */
function perCluster(probers: Record<string, SqlProber>, fallback: SqlProber): SqlProber {
    return {
        probe: (c, user, signal) => (probers[c.identifier] ?? fallback).probe(c, user, signal),
    };
}

interface Outcome {
    health: Record<string, number>;
    peering: Record<string, number>;
    reasons: Record<string, readonly string[]>;
    elapsedMs: number;
    clustersWithMetrics: string[];
}

async function invoke(sql: SqlProber = scriptedSql({})): Promise<Outcome> {
    const started = performance.now();
    const { result, lines } = await captureOutput(() => testHandler(sql)({}));
    const elapsedMs = performance.now() - started;
    const values = emitted(emfDocuments(lines));
    const pick = (metric: string) =>
        Object.fromEntries(
            [PRIMARY, SECONDARY].map((c) => [
                c.role,
                values.get(`${metric} ${c.identifier}`)!.value,
            ]),
        );
    return {
        health: pick("ClusterHealth"),
        peering: pick("PeeringHealth"),
        reasons: Object.fromEntries(result.clusters.map((c) => [c.role, c.reasons])),
        elapsedMs,
        clustersWithMetrics: [
            ...new Set([...values.values()].map((v) => v.dimensions.ClusterId)),
        ].sort(),
    };
}

/** The common promise of every fault case: the other cluster is untouched and nothing hangs. */
function assertIsolated(outcome: Outcome, broken: ClusterTarget["role"], reason: RegExp) {
    const healthy = broken === "primary" ? "secondary" : "primary";
    assert.equal(outcome.health[healthy], 1, "the healthy cluster still reports 1");
    assert.equal(outcome.peering[healthy], 1);
    assert.deepEqual(outcome.reasons[healthy], []);
    assert.equal(outcome.health[broken], 0, "the broken cluster reports 0");
    assert.ok(
        outcome.reasons[broken].some((r) => reason.test(r)),
        `reasons ${JSON.stringify(outcome.reasons[broken])} should match ${reason}`,
    );
    assert.ok(outcome.elapsedMs < BUDGET_MS, `finished in ${outcome.elapsedMs} ms`);
    assert.deepEqual(
        outcome.clustersWithMetrics,
        [PRIMARY.identifier, SECONDARY.identifier].sort(),
    );
}

describe("fault matrix: one cluster fails, the other is unaffected", () => {
    let silent: Awaited<ReturnType<typeof silentServer>>;
    before(async () => {
        silent = await silentServer();
    });
    after(async () => {
        await silent.close();
    });
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

    it("throttling", async () => {
        secondaryGetCluster().rejects(serviceError(ThrottlingException, 429));
        assertIsolated(await invoke(), "secondary", /control plane: throttled/);
    });

    it("AccessDenied", async () => {
        secondaryGetCluster().rejects(serviceError(AccessDeniedException, 403));
        assertIsolated(await invoke(), "secondary", /control plane: access-denied/);
    });

    it("a 5xx from the service", async () => {
        secondaryGetCluster().rejects(serviceError(InternalServerException, 500));
        assertIsolated(await invoke(), "secondary", /control plane: service-error/);
    });

    it("DNS failure of the regional endpoint", async () => {
        secondaryGetCluster().rejects(
            Object.assign(new Error("getaddrinfo ENOTFOUND dsql.us-east-2.api.aws"), {
                code: "ENOTFOUND",
            }),
        );
        assertIsolated(await invoke(), "secondary", /control plane: dns/);
    });

    it("a malformed GetCluster response", async () => {
        secondaryGetCluster().resolves({ identifier: SECONDARY.identifier } as never);
        const outcome = await invoke();
        assertIsolated(outcome, "secondary", /control plane: malformed-response/);
        assert.equal(outcome.peering.secondary, 0);
    });

    it("GetCluster that never answers", async () => {
        secondaryGetCluster().callsFake(hang);
        const outcome = await invoke();
        assertIsolated(outcome, "secondary", /control plane: timeout/);
        assert.ok(outcome.elapsedMs >= CONTROL_MS - 5, "waited for the bound, not less");
    });

    it("TLS failure of the SQL connection", async () => {
        const tls = Object.assign(new Error("self-signed certificate"), {
            code: "DEPTH_ZERO_SELF_SIGNED_CERT",
        });
        assertIsolated(
            await invoke(scriptedSql({ [SECONDARY.identifier]: tls })),
            "secondary",
            /data plane: tls/,
        );
    });

    it("authentication failure of the SQL connection", async () => {
        const auth = Object.assign(new Error("password authentication failed"), { code: "28P01" });
        assertIsolated(
            await invoke(scriptedSql({ [SECONDARY.identifier]: auth })),
            "secondary",
            /data plane: auth-failed/,
        );
    });

    it("a SQL endpoint that accepts and never answers (real socket)", async () => {
        const hungServer = pgProber({
            password: async () => "unused",
            tls: false,
            address: () => ({ host: "127.0.0.1", port: silent.port }),
        });
        const outcome = await invoke(
            perCluster({ [SECONDARY.identifier]: hungServer }, scriptedSql({})),
        );
        assertIsolated(outcome, "secondary", /data plane: timeout/);
    });

    it("a whole region unreachable (control and data plane hang)", async () => {
        secondaryGetCluster().callsFake(hang);
        const outcome = await invoke(scriptedSql({ [SECONDARY.identifier]: "hang" }));
        assertIsolated(outcome, "secondary", /control plane: timeout/);
        assert.ok(
            outcome.elapsedMs < CONTROL_MS + 500,
            "a dark region costs one timeout, not one per step",
        );
    });

    it("a cluster still PENDING_SETUP (not peered)", async () => {
        secondaryGetCluster().resolves({
            ...activeCluster(SECONDARY, PRIMARY, "PENDING_SETUP"),
            multiRegionProperties: { witnessRegion: WITNESS, clusters: [] },
        });
        const outcome = await invoke();
        assertIsolated(outcome, "secondary", /status PENDING_SETUP/);
        assert.equal(outcome.peering.secondary, 0);
        assert.ok(outcome.reasons.secondary.includes("peering: not peered (PENDING_SETUP)"));
    });

    it("a peer ARN missing: usable, but peering unhealthy", async () => {
        secondaryGetCluster().resolves({
            ...activeCluster(SECONDARY, PRIMARY),
            multiRegionProperties: { witnessRegion: WITNESS, clusters: [SECONDARY.arn] },
        });
        const outcome = await invoke();
        assert.equal(outcome.health.secondary, 1);
        assert.equal(outcome.peering.secondary, 0);
        assert.equal(outcome.peering.primary, 1);
        assert.deepEqual(outcome.reasons.secondary, [`peering: peer ${PRIMARY.arn} missing`]);
    });

    it("a wrong witness: peering unhealthy", async () => {
        secondaryGetCluster().resolves({
            ...activeCluster(SECONDARY, PRIMARY),
            multiRegionProperties: {
                witnessRegion: "eu-west-1",
                clusters: [SECONDARY.arn, PRIMARY.arn],
            },
        });
        const outcome = await invoke();
        assert.equal(outcome.peering.secondary, 0);
        assert.equal(outcome.peering.primary, 1);
        assert.deepEqual(outcome.reasons.secondary, [
            `peering: witness eu-west-1, expected ${WITNESS}`,
        ]);
    });

    it("a broken primary leaves the secondary untouched too", async () => {
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).callsFake(hang);
        assertIsolated(await invoke(), "primary", /control plane: timeout/);
    });
});

describe("fault matrix: both clusters or the monitor itself", () => {
    beforeEach(() => dsql.reset());

    it("both regions unreachable: both 0, still one timeout of wall time", async () => {
        dsql.on(GetClusterCommand).callsFake(hang);
        const outcome = await invoke();
        assert.deepEqual(outcome.health, { primary: 0, secondary: 0 });
        assert.deepEqual(outcome.peering, { primary: 0, secondary: 0 });
        assert.ok(outcome.elapsedMs < CONTROL_MS + 500, `finished in ${outcome.elapsedMs} ms`);
        assert.equal(outcome.clustersWithMetrics.length, 2);
    });

    it("bad environment: the invocation fails, naming the variable, and emits nothing", async () => {
        const { handlerError, lines } = await captureOutput(async () => {
            try {
                await testHandler(scriptedSql({}), monitorEnv({ WITNESS_REGION: undefined }))({});
                return { handlerError: undefined };
            } catch (error) {
                return { handlerError: error as Error };
            }
        }).then(({ result, lines }) => ({ ...result, lines }));
        assert.ok(handlerError instanceof EnvironmentError);
        assert.match(handlerError.message, /WITNESS_REGION is missing/);
        assert.equal(emfDocuments(lines).length, 0);
        assert.equal(dsql.calls().length, 0);
    });
});
