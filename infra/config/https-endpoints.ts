import { z } from "zod";
import { jsonList, report, type Ctx, type Schema } from "./parse";
import { isPrivateHost } from "./private-host";

/** What stands in for an endpoint the stack file holds encrypted (only the offline plan sees one). */
export const ENCRYPTED_ENDPOINT_PLACEHOLDER = "https://encrypted-in-stack-file.invalid/";

/**
 * An HTTPS endpoint whose URL is a secret (a PagerDuty integration URL carries its key).
 * Its text shows only the masked form, in JSON, string conversion and util.inspect alike;
 * the URL itself comes out only through `reveal()`, straight into `pulumi.secret`.
 */
export class HttpsEndpoint {
    readonly #url: string;
    /** Scheme and host only, e.g. https://events.pagerduty.com/…/enqueue. */
    public readonly masked: string;

    constructor(url: string, masked: string = maskUrl(url)) {
        this.#url = url;
        this.masked = masked;
    }

    reveal(): string {
        return this.#url;
    }

    toJSON(): string {
        return this.masked;
    }

    toString(): string {
        return this.masked;
    }
}

/** PagerDuty's own Events API; the CloudWatch integration's URLs are /integration/<key>/enqueue. */
const PAGERDUTY_EVENTS_HOSTS = ["events.pagerduty.com", "events.eu.pagerduty.com"];
export const HTTPS_HOW_TO =
    "a list of https URLs, each set as a secret (pulumi config set --path --secret 'aurora-dsql-dr:alertHttpsEndpoints[0]' https://events.pagerduty.com/integration/<integration key>/enqueue)";
/** Written out in full, so the text is the URL: `https:host`, `https:/host` and `\` are not. */
const WRITTEN_OUT = /^https:\/\/[^/\\]/i;

/**
 * alertHttpsEndpoints: public https URLs. Each is parsed strictly (written out as
 * https://host/…, no spaces, control characters or backslashes), its host checked once
 * normalised (WHATWG URL: IPv4 in any notation, IPv4-mapped IPv6, a trailing dot), and the
 * normalised URL is what SNS is sent. Problems show URLs masked only.
 */
export const httpsEndpointsSchema: Schema<readonly HttpsEndpoint[]> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const list = jsonList(ctx, text, HTTPS_HOW_TO, maskUrl);
        if (!list) return z.NEVER;
        const endpoints: HttpsEndpoint[] = [];
        const seen = new Map<string, number>();
        list.forEach((item, i) => {
            const endpoint = checkEndpoint(ctx, item, `[${i}]`);
            if (!endpoint) return;
            const earlier = seen.get(endpoint.reveal());
            if (earlier !== undefined) {
                report(ctx, `already listed as alertHttpsEndpoints[${earlier}]`, {
                    at: `[${i}]`,
                    shown: endpoint.masked,
                });
                return;
            }
            seen.set(endpoint.reveal(), i);
            endpoints.push(endpoint);
        });
        return endpoints.length === list.length ? Object.freeze(endpoints) : z.NEVER;
    });

/** One endpoint, or undefined after reporting what is wrong with it. */
function checkEndpoint(ctx: Ctx, item: unknown, at: string): HttpsEndpoint | undefined {
    // The offline plan reads stack files, where `--secret` items are {secure: <ciphertext>}.
    if (isEncrypted(item)) return new HttpsEndpoint(ENCRYPTED_ENDPOINT_PLACEHOLDER, "(encrypted)");
    if (typeof item !== "string") {
        report(ctx, `an https URL; ${HTTPS_HOW_TO}`, { at, shown: maskUrl(JSON.stringify(item)) });
        return undefined;
    }
    const fail = (allowed: string) => void report(ctx, allowed, { at, shown: maskUrl(item) });
    const url = parseUrl(item);
    if (!url || /[\s\p{Cc}\p{Cf}\\]/u.test(item)) {
        fail("an absolute https URL without spaces, control characters or backslashes");
        return undefined;
    }
    if (url.protocol !== "https:") {
        fail(
            "https only: over http, SNS would carry the alerts and the endpoint's key unencrypted",
        );
        return undefined;
    }
    if (!WRITTEN_OUT.test(item)) {
        fail(
            `an absolute https URL without spaces, written out as https://<host>/…: this one reads as ${maskUrl(url.href)} only once normalised; write it so`,
        );
        return undefined;
    }
    if (isPrivateHost(url.hostname)) {
        fail(
            "a public endpoint: SNS does not deliver to private HTTP(S) endpoints (localhost, private, loopback, link-local or reserved addresses, or a host name without a public domain)",
        );
        return undefined;
    }
    if (PAGERDUTY_EVENTS_HOSTS.includes(url.hostname) && url.pathname.startsWith("/v2/")) {
        fail(
            "the PagerDuty Events API v2 endpoint expects PagerDuty's event JSON, not SNS notifications: use the URL of the service's Amazon CloudWatch integration, https://events.pagerduty.com/integration/<integration key>/enqueue",
        );
        return undefined;
    }
    return new HttpsEndpoint(url.href);
}

const isEncrypted = (item: unknown): boolean =>
    typeof item === "object" &&
    item !== null &&
    Object.keys(item).length === 1 &&
    typeof (item as { secure?: unknown }).secure === "string";

function parseUrl(text: string): URL | undefined {
    try {
        return new URL(text);
    } catch {
        return undefined;
    }
}

/**
 * What a problem may show of a secret URL: scheme and host, never user, path or query
 * (PagerDuty's key is a path segment); a trailing /enqueue is kept, as it is no secret.
 * Text that is no URL shows only its length.
 */
export function maskUrl(text: string): string {
    const url = parseUrl(text.trim());
    if (!url) return `(${text.length} characters, hidden)`;
    if (!url.host) return `${url.protocol}…`;
    const tail = url.pathname.endsWith("/enqueue") ? "/enqueue" : "";
    return `${url.protocol}//${url.host}/…${tail}`;
}
