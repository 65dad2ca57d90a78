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

/** A short, stable reason for a failed probe step, for the log line. */
export function failureReason(error: unknown): string {
    const e = error as {
        name?: string;
        code?: string;
        message?: string;
        $metadata?: { httpStatusCode?: number };
        $retryable?: { throttling?: boolean };
    };
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
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
    if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EHOSTUNREACH")
        return "connection";
    if (TLS_CODES.test(code) || /certificate|TLS|SSL/i.test(e?.message ?? "")) return "tls";
    // PostgreSQL: 28000 invalid authorization, 28P01 invalid password.
    if (code === "28000" || code === "28P01") return "auth-failed";
    if (status !== undefined && status >= 500) return "service-error";
    if (/^[0-9A-Z]{5}$/.test(code)) return `sql-error ${code}`;
    if (name === "SyntaxError" || name === "TypeError") return "malformed-response";
    return name || code || "unknown";
}
