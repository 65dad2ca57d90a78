/**
 * The building blocks of the config declaration, on zod: each key's schema reads the text
 * Pulumi hands the program (every value is a string; lists and objects are JSON) and gives
 * the typed value, or issues whose message is the rule the value breaks.
 *
 * Why zod rather than hand-written parsers: one declaration per key carries type, range and
 * message, zod collects every issue of a value instead of stopping at the first, its
 * inferred types tie the parsed values to the declaration, and it is a small, maintained,
 * dependency-free library. The rules themselves (AWS's patterns and limits) stay ours.
 */
import { z } from "zod";
import type { ConfigProblem } from "./problem";

/** What a key's schema reads: the raw config text, undefined when the key is not set. */
export type RawText = string | undefined;
export type Schema<T> = z.ZodType<T, RawText>;
export type Ctx = z.RefinementCtx;

interface Where {
    /** Path inside the value, appended to the key: "[0]", "[0].channelId", ".name". */
    readonly at?: string;
    /** What to show instead of the raw text (a masked secret, one list item); undefined: not set. */
    readonly shown?: string | undefined;
}

/** Records a problem on the value being parsed; returns zod's "no value". */
export function report(ctx: Ctx, allowed: string, where: Where = {}): typeof z.NEVER {
    ctx.addIssue({
        code: "custom",
        message: allowed,
        path: where.at ? [where.at] : [],
        params: "shown" in where ? { hasShown: true, shown: where.shown } : {},
    });
    return z.NEVER;
}

/** The problems of one key from a failed parse, in order, each once. */
export function problemsOf(key: string, text: RawText, error: z.ZodError): ConfigProblem[] {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        const at = issue.path.map(String).join("");
        const params = (issue as { params?: { hasShown?: boolean; shown?: string } }).params;
        const problem = {
            key: `${key}${at}`,
            value: params?.hasShown ? params.shown : text,
            allowed: issue.message,
        };
        const id = JSON.stringify(problem);
        if (!seen.has(id)) problems.push(problem);
        seen.add(id);
    }
    return problems;
}

/** Trimmed text; "" when unset. */
export const text = (): Schema<string> =>
    z
        .string()
        .optional()
        .transform((t) => (t ?? "").trim());

/** Trimmed text, or undefined when unset or blank. */
export const optionalText = (): Schema<string | undefined> =>
    z
        .string()
        .optional()
        .transform((t) => t?.trim() || undefined);

/**
 * A whole number from min to max. Pulumi passes numbers as the text the stack file holds
 * and type-checks declared integers with Go's strconv.Atoi (ValidateConfigValue,
 * https://github.com/pulumi/pulumi/blob/master/sdk/go/common/workspace/project.go), so only
 * decimal digits are read: 0x100, 1e3 and 256.0 are refused, never read as 256, 1000 or 256.
 */
export function integer(min: number, max: number, unit: string): Schema<number> {
    const rule = `a whole number of ${unit} from ${min} to ${max}`;
    return z
        .string({ error: rule })
        .trim()
        .regex(/^[+-]?\d+$/, { error: `${rule}, written in decimal digits` })
        .transform(Number)
        .pipe(z.number().min(min, { error: rule }).max(max, { error: rule }));
}

/** true or false, as Pulumi writes booleans. */
export function boolean(): Schema<boolean> {
    const rule = "true or false";
    return z
        .string({ error: rule })
        .trim()
        .pipe(z.enum(["true", "false"], { error: rule }))
        .transform((t) => t === "true");
}

/** One of `values`, with `rule` as the message. */
export function oneOf<const T extends readonly [string, ...string[]]>(
    values: T,
    rule: string,
): Schema<T[number]> {
    return z
        .string({ error: rule })
        .trim()
        .pipe(z.enum(values, { error: rule }));
}

/** `text` as JSON, or undefined when it is none. */
function parsedJson(text: string): { value: unknown } | undefined {
    try {
        return { value: JSON.parse(text) as unknown };
    } catch {
        return undefined;
    }
}

/** A JSON object: its own entries, in order (no prototype lookups); undefined after reporting. */
export function jsonEntries(
    ctx: Ctx,
    text: string | undefined,
    rule: string,
): [string, unknown][] | undefined {
    if (!text?.trim()) return [];
    const value = parsedJson(text)?.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        report(ctx, rule);
        return undefined;
    }
    return Object.entries(value);
}

/** A JSON list; unset or blank is empty; undefined after reporting (showing `shown(text)` if given). */
export function jsonList(
    ctx: Ctx,
    text: string | undefined,
    rule: string,
    shown?: (text: string) => string,
): unknown[] | undefined {
    if (!text?.trim()) return [];
    const where = shown ? { shown: shown(text) } : {};
    const parsed = parsedJson(text);
    if (!parsed) {
        report(ctx, `${rule}; a plain string is not a list`, where);
        return undefined;
    }
    if (!Array.isArray(parsed.value)) {
        report(ctx, rule, where);
        return undefined;
    }
    return parsed.value;
}
