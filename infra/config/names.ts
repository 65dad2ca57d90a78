import { z } from "zod";
import { optionalText, report, text, type Schema } from "./parse";
import { hasUnsafeCharacter } from "./text";

/** The first rule `checks` finds broken, as "; this one …", or "". */
function firstBroken(checks: readonly (readonly [boolean, string])[]): string {
    const broken = checks.find(([ok]) => !ok);
    return broken ? `; this one ${broken[1]}` : "";
}

const PREFIX_RULE =
    "2 to 32 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (the clusters' Name tags are <prefix>-primary and <prefix>-secondary)";

/** clusterPrefix: the clusters' Name tags. */
export const clusterPrefixSchema: Schema<string> = text().transform((value, ctx) => {
    if (/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(value)) return value;
    return report(
        ctx,
        PREFIX_RULE +
            firstBroken([
                [value.length >= 2 && value.length <= 32, `has ${value.length} characters`],
                [/^[a-z0-9-]*$/.test(value), "has characters other than a-z, 0-9 and -"],
                [/^[a-z]/.test(value), "does not start with a letter"],
                [!value.endsWith("-"), "ends with a hyphen"],
            ]),
    );
});

/**
 * Role names PostgreSQL refuses to create: the pg_ prefix and "public" and "none"
 * (https://www.postgresql.org/docs/current/sql-createrole.html, "reserved"); identifiers
 * take at most 63 bytes (NAMEDATALEN - 1,
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS).
 */
const USER_RULE =
    'a PostgreSQL role name ("admin", or a custom role granted to the monitor\'s IAM role): 1-63 lower-case letters, digits and underscores, not starting with a digit, not starting with pg_ and not "public" or "none" (PostgreSQL reserves those)';

/** databaseUser: the monitors' database role. */
export const databaseUserSchema: Schema<string> = text().transform((value, ctx) => {
    const reserved = /^(pg_.*|public|none)$/.test(value);
    if (/^[a-z_][a-z0-9_]{0,62}$/.test(value) && !reserved) return value;
    return report(
        ctx,
        USER_RULE +
            firstBroken([
                [value.length >= 1 && value.length <= 63, `has ${value.length} characters`],
                [/^[a-z0-9_]*$/.test(value), "has characters other than a-z, 0-9 and _"],
                [!/^[0-9]/.test(value), "starts with a digit"],
                [!reserved, "is reserved"],
            ]),
    );
});

/** Identifiers Aurora DSQL generates: 26 lower-case letters and digits. */
export const CLUSTER_IDENTIFIER_RULE =
    'the existing cluster\'s identifier (26 lower-case letters and digits, as "aws dsql list-clusters" shows it)';

/** primaryClusterIdentifier, secondaryClusterIdentifier: unset or an identifier. */
export const clusterIdentifierSchema: Schema<string | undefined> = optionalText().transform(
    (value, ctx) =>
        value === undefined || /^[a-z0-9]{26}$/.test(value)
            ? value
            : report(
                  ctx,
                  `${CLUSTER_IDENTIFIER_RULE}, for clusterManagement "adopt" or "monitor-only"`,
              ),
);

/**
 * Every paging alarm's description carries the runbook link, and CloudWatch takes at most
 * 1,024 characters of AlarmDescription (PutMetricAlarm, PutCompositeAlarm); the longest
 * description leaves room for a link of this length (a test checks every description).
 */
export const MAX_RUNBOOK_URL_LENGTH = 400;
/** The runbook in this repository, by path: readable only by whoever has the repository. */
export const REPOSITORY_RUNBOOK = "docs/runbook.md";
export const RUNBOOK_RULE = `an https:// URL of the runbook without an anchor, at most ${MAX_RUNBOOK_URL_LENGTH} characters (or the repository path ${REPOSITORY_RUNBOOK}), without spaces or control characters`;

/** runbookUrl: where every page links; each alarm adds its section's anchor. */
export const runbookUrlSchema: Schema<string> = z
    .string()
    .optional()
    .transform((raw, ctx) => {
        const value = (raw ?? "").trim();
        if (value === REPOSITORY_RUNBOOK) return value;
        const clean = !/[\s#]/.test(value) && !hasUnsafeCharacter(value);
        const ok = /^https:\/\/[^/\\]/.test(value) && clean && URL.canParse(value);
        return ok && value.length <= MAX_RUNBOOK_URL_LENGTH ? value : report(ctx, RUNBOOK_RULE);
    });
