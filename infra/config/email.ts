import { z } from "zod";
import { jsonList, report, type Schema } from "./parse";
import { hasUnsafeCharacter, quote, showJson } from "./text";

const HOW_TO =
    "a list of e-mail addresses (pulumi config set --path 'aurora-dsql-dr:alertEmail[0]' ops@example.com)";

/**
 * An address SNS delivers to, as this program reads it: ASCII only (an internationalised
 * address needs SMTPUTF8 all the way, which this program does not assume), a dot-atom
 * local part (RFC 5322 3.4.1; no quoted local parts), a domain of dot-separated labels and
 * a top-level domain of letters. RFC 5321 4.5.3.1 caps the local part at 64 octets and the
 * path at 256 (254 for the address without its angle brackets),
 * https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.
 */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_EMAIL_LOCAL_LENGTH = 64;

/** Why `value` is not an address SNS can deliver to ("" when only its form is wrong), or undefined. */
export function emailProblem(value: unknown): string | undefined {
    if (typeof value !== "string") return "";
    if (hasUnsafeCharacter(value)) return "it holds control or invisible characters";
    if (/^mailto:/i.test(value)) return "write the address without mailto:";
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(value)) return "ASCII characters only";
    const at = value.lastIndexOf("@");
    const local = value.slice(0, Math.max(at, 0));
    if (local.length > MAX_EMAIL_LOCAL_LENGTH) {
        return `a local part (before the @) of at most ${MAX_EMAIL_LOCAL_LENGTH} characters (RFC 5321); this one has ${local.length}`;
    }
    if (value.length > MAX_EMAIL_LENGTH) {
        return `at most ${MAX_EMAIL_LENGTH} characters (RFC 5321); this one has ${value.length}`;
    }
    return at > 0 && LOCAL.test(local) && DOMAIN.test(value.slice(at + 1)) ? undefined : "";
}

/**
 * alertEmail: a list of addresses. Pulumi.yaml declares it an array, so the CLI itself
 * refuses a plain string; the plan is held to the same rule. None is allowed when another
 * destination exists (checked with the alert routing). Every bad item is reported.
 */
export const alertEmailSchema: Schema<readonly string[]> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const list = jsonList(ctx, text, HOW_TO);
        if (!list) return z.NEVER;
        let ok = true;
        list.forEach((item, i) => {
            const why = emailProblem(item);
            if (why !== undefined) {
                ok = false;
                const reason = why ? `: ${why}` : "";
                report(
                    ctx,
                    `item ${i} (${showJson(item)}) is not an e-mail address${reason}; ${HOW_TO}`,
                );
            } else if (list.indexOf(item) !== i) {
                ok = false;
                report(ctx, `${quote(item as string)} is listed twice`);
            }
        });
        return ok ? Object.freeze(list as string[]) : z.NEVER;
    });
