/**
 * A minimal EventBridge event-pattern matcher, offline, for the pattern features this
 * product's rules use: exact string values and `prefix` matching, in nested objects. No
 * well-kept npm library matches EventBridge patterns (AWS's own matcher, Event Ruler, is a
 * Java library; TestEventPattern of @aws-sdk/client-eventbridge calls AWS). Any other
 * operator (anything-but, numeric, exists, wildcard, $or, …) is refused rather than guessed,
 * so a pattern that grows one fails its tests until the matcher learns it.
 *
 * Semantics, as documented in
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html:
 * - every field named in the pattern must match (AND); a field the event lacks never matches;
 * - the values listed for a field are alternatives (OR), compared exactly and case-sensitively;
 * - when the event's field is an array, it matches if any of its elements matches;
 * - `{ "prefix": "…" }` matches a string that starts with it (case-sensitive).
 */

export type PatternValue = string | { readonly prefix: string };
export interface EventPattern {
    readonly [field: string]: readonly PatternValue[] | EventPattern;
}

/** Whether `event` matches `pattern`. Throws on a pattern feature it does not implement. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
    if (!isRecord(event)) return false;
    return Object.entries(pattern).every(([field, expected]) => {
        if (!Object.hasOwn(event, field)) return false;
        const actual = event[field];
        if (Array.isArray(expected)) return matchesValues(expected, actual, field);
        if (!isRecord(expected)) throw new Error(`pattern field ${field}: not an object or list`);
        return matchesPattern(expected as EventPattern, actual);
    });
}

function matchesValues(expected: readonly PatternValue[], actual: unknown, field: string) {
    if (expected.length === 0) throw new Error(`pattern field ${field}: empty list`);
    const candidates = Array.isArray(actual) ? actual : [actual];
    return candidates.some((value) => expected.some((rule) => matchesValue(rule, value, field)));
}

function matchesValue(rule: PatternValue, value: unknown, field: string): boolean {
    if (typeof rule === "string") return value === rule;
    const keys = isRecord(rule) ? Object.keys(rule) : [];
    if (keys.length !== 1 || keys[0] !== "prefix" || typeof rule.prefix !== "string") {
        throw new Error(`pattern field ${field}: unsupported matcher ${JSON.stringify(rule)}`);
    }
    return typeof value === "string" && value.startsWith(rule.prefix);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
