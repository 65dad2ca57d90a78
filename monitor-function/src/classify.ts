/**
 * Pure decisions: is a status usable, is the peering as expected, why did a probe fail.
 * No I/O here, so every case is tested directly.
 */

/** Usable for DR: IDLE and INACTIVE are quiet standbys (the first connect wakes them). */
const USABLE = new Set(["ACTIVE", "IDLE", "INACTIVE", "UPDATING"]);

/** Usable, but worth a line in the log. */
const REPORTED = new Set(["UPDATING"]);

export interface StatusVerdict {
    readonly usable: boolean;
    /** Why the status is not plainly ACTIVE/IDLE/INACTIVE, or undefined. */
    readonly note?: string;
}

export function classifyStatus(status: string | undefined): StatusVerdict {
    if (!status) return { usable: false, note: "malformed-response: no status" };
    if (!USABLE.has(status)) return { usable: false, note: `status ${status}` };
    return REPORTED.has(status) ? { usable: true, note: `status ${status}` } : { usable: true };
}

export interface PeeringView {
    readonly witnessRegion?: string;
    readonly clusters?: readonly string[];
}

/** Peering is healthy when the cluster names the expected witness and its peer's ARN. */
export function checkPeering(
    status: string | undefined,
    view: PeeringView | undefined,
    expectedWitness: string,
    peerArn: string,
): { ok: boolean; reason?: string } {
    if (status === "PENDING_SETUP") return { ok: false, reason: "not peered (PENDING_SETUP)" };
    if (!view?.witnessRegion) return { ok: false, reason: "no multi-region properties" };
    if (view.witnessRegion !== expectedWitness) {
        return {
            ok: false,
            reason: `witness ${view.witnessRegion}, expected ${expectedWitness}`,
        };
    }
    if (!view.clusters?.includes(peerArn)) return { ok: false, reason: `peer ${peerArn} missing` };
    return { ok: true };
}

/** A probe step that ran out of its time. */
export class ProbeTimeoutError extends Error {
    constructor(step: string, ms: number) {
        super(`${step} did not finish within ${ms} ms`);
        this.name = "ProbeTimeoutError";
    }
}

/** The response did not have the shape the API promises. */
export class MalformedResponseError extends Error {
    constructor(detail: string) {
        super(detail);
        this.name = "MalformedResponseError";
    }
}

const TLS_CODES =
    /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO)/;

/** PostgreSQL SQLSTATEs that mean the monitor's own setup or grants, not the cluster. */
const SETUP_STATES: Readonly<Record<string, string>> = {
    "28000": "auth-failed", // invalid_authorization_specification
    "28P01": "auth-failed", // invalid_password
    "42P01": "setup-missing", // undefined_table
    "3F000": "setup-missing", // invalid_schema_name
    "42501": "permission-denied", // insufficient_privilege
};

interface ErrorShape {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
}

/** A short, stable reason for a failed probe step, for the log line. */
export function failureReason(error: unknown): string {
    const e = error as ErrorShape;
    const name = e?.name ?? "";
    const code = e?.code ?? "";
    const status = e?.$metadata?.httpStatusCode;
    if (name === "ProbeTimeoutError" || name === "TimeoutError" || code === "ETIMEDOUT")
        return "timeout";
    if (name === "MalformedResponseError") return "malformed-response";
    if (name === "ThrottlingException" || e?.$retryable?.throttling || status === 429)
        return "throttled";
    if (name === "AccessDeniedException" || status === 403) return "access-denied";
    if (name === "ResourceNotFoundException" || status === 404) return "not-found";
    if (name === "CredentialsProviderError") return "credentials";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
    if (CONNECTION_CODES.has(code)) return "connection";
    if (TLS_CODES.test(code) || /certificate|TLS|SSL/i.test(e?.message ?? "")) return "tls";
    if (SETUP_STATES[code]) return SETUP_STATES[code];
    if (code === "25006") return "read-only"; // read_only_sql_transaction: cannot commit
    // Optimistic-concurrency conflicts (OC000) and catalog changes (OC001), retried until
    // the step's bound: https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html
    if (code === "40001") return "conflict";
    // Past 100 connections per second per cluster, retried until the step's bound:
    // https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html
    if (code === "53400") return "connection-rate";
    if (status !== undefined && status >= 500) return "service-error";
    if (/^[0-9A-Z]{5}$/.test(code)) return `sql-error ${code}`;
    if (/Connection terminated|connection.*(closed|ended)/i.test(e?.message ?? ""))
        return "connection";
    if (name === "SyntaxError" || name === "TypeError") return "malformed-response";
    return name || code || "unknown";
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "EPIPE"]);

/**
 * Whose defect a failed step is: the monitor's own (its setup, credentials, grants or IAM
 * policy: "monitor") or the cluster's or the path's ("cluster"). Only the second may count
 * towards "cluster down".
 */
export function failureSide(error: unknown): "cluster" | "monitor" {
    const reason = failureReason(error);
    return [
        "auth-failed",
        "setup-missing",
        "permission-denied",
        "access-denied",
        "credentials",
    ].includes(reason)
        ? "monitor"
        : "cluster";
}

/**
 * A connect failure worth another try inside the step's budget: the connection was
 * refused, reset or timed out, or the server is starting (57P03, as a cluster scaled to
 * zero may answer while it wakes), at its connection limit (53300) or its connection rate
 * (53400, retried with back-off: see isConnectionRateLimited).
 */
export function isTransientConnectError(error: unknown): boolean {
    const code = (error as ErrorShape)?.code ?? "";
    const reason = failureReason(error);
    return (
        reason === "timeout" ||
        reason === "connection" ||
        code === "57P03" ||
        // The server ended the session (admin_shutdown): a kept connection the cluster closed.
        code === "57P01" ||
        code === "53300" ||
        isConnectionRateLimited(error) ||
        code.startsWith("08")
    );
}

/**
 * SQLSTATE 40001: an optimistic-concurrency conflict on commit (OC000) or a statement of a
 * session whose catalog changed under it (OC001, reads included); the only error a
 * heartbeat statement retries.
 */
export const isSerializationFailure = (error: unknown): boolean =>
    (error as ErrorShape)?.code === "40001";

/**
 * SQLSTATE 53400 (CONFIGURED_LIMIT_EXCEEDED): a connect past Aurora DSQL's 100 connections
 * per second per cluster, a quota that cannot be raised
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html).
 */
export const isConnectionRateLimited = (error: unknown): boolean =>
    (error as ErrorShape)?.code === "53400";
