import { z } from "zod";
import { jsonEntries, report, type Ctx, type Schema } from "./parse";
import { quote, showJson } from "./text";

/**
 * AWS takes at most 50 user tags per resource ("Maximum number of tags per resource: 50",
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html; the same for IAM,
 * CloudWatch Logs, FIS experiment templates and Aurora DSQL clusters).
 */
export const MAX_TAGS_PER_RESOURCE = 50;
/** Tags every resource carries besides the stack's own (see providers.ts). */
export const STANDARD_TAG_KEYS = ["project", "environment", "managed-by"] as const;
/**
 * Tags the program sets on some resources of its own: Name and role on each cluster
 * (cluster-pair.ts), Name and cluster on each drill's FIS template (drill-template.ts).
 * A test declares the stack and checks that no resource carries any other of its own.
 */
export const RESOURCE_TAG_KEYS = ["Name", "role", "cluster"] as const;
/** Every tag key the program sets itself, somewhere: a user tag may use none of them, in any case. */
export const RESERVED_TAG_KEYS: readonly string[] = [...STANDARD_TAG_KEYS, ...RESOURCE_TAG_KEYS];
/** The most tags of its own the program sets on one resource besides the standard ones. */
export const MAX_OWN_RESOURCE_TAGS = 2;
/** User tags that fit on every resource, after the program's own. */
export const MAX_USER_TAGS =
    MAX_TAGS_PER_RESOURCE - STANDARD_TAG_KEYS.length - MAX_OWN_RESOURCE_TAGS;

/**
 * Tags go on every resource, Aurora DSQL clusters included, whose service model allows
 * only `[a-zA-Z0-9_.:/=+\-@ ]*` in keys and values (IAM, CloudWatch Logs and SSM allow
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, a superset); keys 1-128, values up to 256 characters
 * (service models of aws-sdk botocore 1.43: dsql TagKey/TagValue, iam tagKeyType, logs Tags).
 */
const TAG_TEXT = /^[a-zA-Z0-9_.:/=+\-@ ]*$/;
const ALPHABET = "A-Z a-z 0-9 space _ . : / = + - @ (Aurora DSQL's pattern)";
const SHAPE = `an object of tag keys to string values, at most ${MAX_USER_TAGS} tags`;
const folded = (keys: readonly string[]) => keys.map((k) => k.toLowerCase());

/**
 * tags: extra tags on every resource. Keys are compared ignoring case, as IAM does ("Tag
 * keys are case insensitive"): a key the program sets itself, in any case, would collide
 * or be overwritten, so it is refused. Every bad tag is reported.
 */
export const tagsSchema: Schema<Readonly<Record<string, string>>> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const entries = jsonEntries(ctx, text, SHAPE);
        if (!entries) return z.NEVER;
        let ok = true;
        if (entries.length > MAX_USER_TAGS) {
            ok = false;
            report(
                ctx,
                `${entries.length} tags: at most ${MAX_USER_TAGS}, as AWS takes ${MAX_TAGS_PER_RESOURCE} per resource and the program sets up to ${STANDARD_TAG_KEYS.length + MAX_OWN_RESOURCE_TAGS} of its own on one (${STANDARD_TAG_KEYS.join(", ")} everywhere; Name with role or cluster on the clusters and drill templates)`,
            );
        }
        const seen = new Map<string, string>();
        for (const [key, value] of entries) ok = checkTag(ctx, key, value, seen) && ok;
        if (!ok) return z.NEVER;
        // "__proto__" was refused, so every key becomes an own data property.
        return Object.freeze(Object.fromEntries(entries) as Record<string, string>);
    });

/** Whether one tag is acceptable; reports why not. */
function checkTag(ctx: Ctx, key: string, value: unknown, seen: Map<string, string>): boolean {
    const fold = key.toLowerCase();
    const problem = (allowed: string) => (report(ctx, allowed), false);
    const earlier = seen.get(fold);
    seen.set(fold, key);
    if (earlier !== undefined) {
        return problem(
            `tag keys ${quote(earlier)} and ${quote(key)} differ only in case; IAM takes tag keys case-insensitively`,
        );
    }
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key) || fold.startsWith("aws:")) {
        return problem(`tag key ${quote(key)}: 1-128 of ${ALPHABET}, not starting with aws:`);
    }
    if (key === "__proto__") {
        return problem(
            `tag key "__proto__": a key JavaScript objects cannot hold as data (it would be dropped); choose another key`,
        );
    }
    if (folded(STANDARD_TAG_KEYS).includes(fold)) {
        return problem(
            `tag key ${quote(key)} is set by the program itself (${STANDARD_TAG_KEYS.join(", ")})`,
        );
    }
    if (folded(RESOURCE_TAG_KEYS).includes(fold)) {
        return problem(
            `tag key ${quote(key)} is set by the program itself on some resources (${RESOURCE_TAG_KEYS.join(", ")}: the clusters and drill templates), where it would replace yours; choose another key`,
        );
    }
    if (typeof value !== "string" || value.length > 256 || !TAG_TEXT.test(value)) {
        return problem(
            `tag ${quote(key)}: value ${showJson(value)} must be a string of up to 256 of ${ALPHABET}`,
        );
    }
    return true;
}
