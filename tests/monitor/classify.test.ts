import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterStatus } from "@aws-sdk/client-dsql";
import {
    checkPeering,
    classifyStatus,
    failureReason,
    failureSide,
    isConnectionRateLimited,
    isSerializationFailure,
    isTransientConnectError,
    MalformedResponseError,
    ProbeTimeoutError,
} from "../../monitor-function/src/classify";

const EXPECTED_USABLE = new Set(["ACTIVE", "IDLE", "INACTIVE", "UPDATING"]);

describe("status classification", () => {
    it("knows every status the DSQL API defines", () => {
        const all = Object.values(ClusterStatus);
        assert.ok(all.length >= 10, `statuses: ${all.join(", ")}`);
        for (const status of all) {
            const verdict = classifyStatus(status);
            assert.equal(verdict.usable, EXPECTED_USABLE.has(status), status);
        }
    });

    it("treats quiet standbys (IDLE, INACTIVE) as healthy without a note", () => {
        for (const status of ["ACTIVE", "IDLE", "INACTIVE"]) {
            assert.deepEqual(classifyStatus(status), { usable: true });
        }
    });

    it("treats UPDATING as usable but reports it", () => {
        assert.deepEqual(classifyStatus("UPDATING"), { usable: true, note: "status UPDATING" });
    });

    it("treats setup, deletion and failure states as unusable, naming the status", () => {
        for (const status of [
            "CREATING",
            "PENDING_SETUP",
            "DELETING",
            "PENDING_DELETE",
            "DELETED",
            "FAILED",
        ]) {
            assert.deepEqual(classifyStatus(status), { usable: false, note: `status ${status}` });
        }
    });

    it("treats a missing status as a malformed response", () => {
        assert.deepEqual(classifyStatus(undefined), {
            usable: false,
            note: "malformed-response: no status",
        });
    });
});

describe("peering check", () => {
    const peer = "arn:aws:dsql:us-east-2:111122223333:cluster/peer";
    const own = "arn:aws:dsql:us-east-1:111122223333:cluster/own";

    it("accepts the expected witness and peer", () => {
        assert.deepEqual(
            checkPeering(
                "ACTIVE",
                { witnessRegion: "us-west-2", clusters: [own, peer] },
                "us-west-2",
                peer,
            ),
            { ok: true },
        );
    });

    it("rejects a cluster still waiting for its peering", () => {
        assert.deepEqual(
            checkPeering(
                "PENDING_SETUP",
                { witnessRegion: "us-west-2", clusters: [] },
                "us-west-2",
                peer,
            ),
            {
                ok: false,
                reason: "not peered (PENDING_SETUP)",
            },
        );
    });

    it("rejects a wrong witness", () => {
        assert.deepEqual(
            checkPeering(
                "ACTIVE",
                { witnessRegion: "us-east-2", clusters: [peer] },
                "us-west-2",
                peer,
            ),
            {
                ok: false,
                reason: "witness us-east-2, expected us-west-2",
            },
        );
    });

    it("rejects a missing peer ARN", () => {
        assert.deepEqual(
            checkPeering(
                "ACTIVE",
                { witnessRegion: "us-west-2", clusters: [own] },
                "us-west-2",
                peer,
            ),
            {
                ok: false,
                reason: `peer ${peer} missing`,
            },
        );
    });

    it("rejects a single-region cluster", () => {
        assert.deepEqual(checkPeering("ACTIVE", undefined, "us-west-2", peer), {
            ok: false,
            reason: "no multi-region properties",
        });
        assert.deepEqual(checkPeering("ACTIVE", {}, "us-west-2", peer), {
            ok: false,
            reason: "no multi-region properties",
        });
    });
});

describe("failure reasons", () => {
    const cases: [string, unknown, string][] = [
        ["our timeout", new ProbeTimeoutError("GetCluster", 10), "timeout"],
        ["malformed response", new MalformedResponseError("x"), "malformed-response"],
        [
            "throttling",
            Object.assign(new Error("slow down"), { name: "ThrottlingException" }),
            "throttled",
        ],
        ["HTTP 429", { name: "X", $metadata: { httpStatusCode: 429 } }, "throttled"],
        [
            "access denied",
            Object.assign(new Error("no"), { name: "AccessDeniedException" }),
            "access-denied",
        ],
        [
            "not found",
            Object.assign(new Error("gone"), { name: "ResourceNotFoundException" }),
            "not-found",
        ],
        [
            "5xx",
            { name: "InternalServerException", $metadata: { httpStatusCode: 500 } },
            "service-error",
        ],
        ["DNS", Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }), "dns"],
        ["refused", Object.assign(new Error("refused"), { code: "ECONNREFUSED" }), "connection"],
        [
            "TLS",
            Object.assign(new Error("self-signed certificate"), {
                code: "DEPTH_ZERO_SELF_SIGNED_CERT",
            }),
            "tls",
        ],
        ["no SSL on server", new Error("The server does not support SSL connections"), "tls"],
        [
            "bad password",
            Object.assign(new Error("password authentication failed"), { code: "28P01" }),
            "auth-failed",
        ],
        [
            "other SQL error",
            Object.assign(new Error("canceling statement"), { code: "57014" }),
            "sql-error 57014",
        ],
        [
            "a read-only cluster",
            Object.assign(new Error("read-only"), { code: "25006" }),
            "read-only",
        ],
        [
            "a missing table",
            Object.assign(new Error("no table"), { code: "42P01" }),
            "setup-missing",
        ],
        [
            "a missing schema",
            Object.assign(new Error("no schema"), { code: "3F000" }),
            "setup-missing",
        ],
        [
            "a missing grant",
            Object.assign(new Error("denied"), { code: "42501" }),
            "permission-denied",
        ],
        ["an OCC conflict", Object.assign(new Error("conflict"), { code: "40001" }), "conflict"],
        [
            "a connect past the cluster's connection rate",
            Object.assign(new Error("Unable to accept connection, rate exceeded."), {
                code: "53400",
            }),
            "connection-rate",
        ],
        [
            "no credentials",
            Object.assign(new Error("none"), { name: "CredentialsProviderError" }),
            "credentials",
        ],
        ["a dropped connection", new Error("Connection terminated unexpectedly"), "connection"],
    ];
    for (const [label, error, reason] of cases) {
        it(`names ${label} as ${reason}`, () => assert.equal(failureReason(error), reason));
    }
});

describe("whose defect a failure is", () => {
    const monitorSide = ["28P01", "28000", "42P01", "3F000", "42501"];
    for (const code of monitorSide) {
        it(`puts SQLSTATE ${code} on the monitor's side: it cannot mean the cluster is down`, () =>
            assert.equal(failureSide(Object.assign(new Error(code), { code })), "monitor"));
    }
    it("puts denied GetCluster calls and missing credentials on the monitor's side", () => {
        assert.equal(failureSide({ name: "AccessDeniedException" }), "monitor");
        assert.equal(failureSide({ name: "CredentialsProviderError" }), "monitor");
    });
    it("puts timeouts, refusals, TLS, read-only commits, conflicts and the connection rate on the cluster's side", () => {
        for (const e of [
            new ProbeTimeoutError("heartbeat", 1),
            Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
            Object.assign(new Error("x"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
            Object.assign(new Error("x"), { code: "25006" }),
            Object.assign(new Error("x"), { code: "40001" }),
            Object.assign(new Error("x"), { code: "53400" }),
        ])
            assert.equal(failureSide(e), "cluster");
    });
});

describe("which failures are worth a retry", () => {
    it("retries a connect that was refused, reset, timed out, or met a waking, full or rate-limited server", () => {
        for (const code of [
            "ECONNREFUSED",
            "ECONNRESET",
            "ETIMEDOUT",
            "57P03",
            "57P01",
            "53300",
            "53400",
            "08006",
        ])
            assert.equal(
                isTransientConnectError(Object.assign(new Error(code), { code })),
                true,
                code,
            );
        assert.equal(isTransientConnectError(new ProbeTimeoutError("connect", 1)), true);
    });
    it("does not retry a refused sign-in, a TLS failure or a SQL error", () => {
        for (const code of ["28P01", "DEPTH_ZERO_SELF_SIGNED_CERT", "42P01", "25006"])
            assert.equal(
                isTransientConnectError(Object.assign(new Error(code), { code })),
                false,
                code,
            );
    });
    it("retries a statement only on SQLSTATE 40001", () => {
        assert.equal(isSerializationFailure({ code: "40001" }), true);
        assert.equal(isSerializationFailure({ code: "40P01" }), false);
    });
    it("backs off on the connection rate only for SQLSTATE 53400", () => {
        assert.equal(isConnectionRateLimited({ code: "53400" }), true);
        assert.equal(isConnectionRateLimited({ code: "53300" }), false);
        assert.equal(isConnectionRateLimited(new Error("53400")), false);
    });
});
