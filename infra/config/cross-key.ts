/**
 * Rules that tie keys together: the regions and their sets, who owns the pair, what
 * monitor-only ignores, the production runbook, N of M. Each rule reads only keys that
 * parsed (a key whose own value is wrong is reported once, by its own rule), and every
 * conflict is reported at once.
 */
import { REGION_SETS, regionSetOf, regionsOf } from "../regions";
import { CLUSTER_IDENTIFIER_RULE, REPOSITORY_RUNBOOK } from "./names";
import type { ConfigKey, Parsed } from "./declaration";
import { SETTINGS } from "./declaration";
import type { ConfigProblem } from "./problem";
import type { RegionSets } from "./region-sets";
import { quote } from "./text";

/** The keys that parsed, with their values (a key whose value was refused is absent). */
export type Values = Partial<Parsed>;
const has = (values: Values, key: ConfigKey) => Object.hasOwn(values, key);

export interface Regions {
    readonly primary: string;
    readonly secondary: string;
    readonly witness: string;
    readonly sets: RegionSets;
}

/** The regions, each in the built-in or the stack's own region sets, the three in one set. */
export function regionRules(values: Values, problems: ConfigProblem[]): Regions | undefined {
    const sets: RegionSets = { ...REGION_SETS, ...(values.extraRegionSets ?? {}) };
    const setOf = (region: string) => regionSetOf(region, sets);
    const fail = (key: ConfigKey, value: string | undefined, allowed: string) =>
        void problems.push({ key, value, allowed });
    const before = problems.length;
    const region = (key: "primaryRegion" | "secondaryRegion" | "witnessRegion") => {
        if (!has(values, key)) return undefined;
        const value = values[key];
        if (!value) return fail(key, undefined, `required; one of ${regionsOf(sets).join(", ")}`);
        if (setOf(value)) return value;
        const listed = Object.entries(sets).map(
            ([set, regions]) => `${set}: ${regions.join(", ")}`,
        );
        fail(
            key,
            value,
            `not an Aurora DSQL multi-region region; allowed: ${listed.join("; ")} (extend with extraRegionSets)`,
        );
        return undefined;
    };
    const primary = region("primaryRegion");
    const secondary = region("secondaryRegion");
    const witness = region("witnessRegion");
    if (!primary) return undefined;
    const set = setOf(primary)!;
    const others = (...taken: (string | undefined)[]) =>
        sets[set].filter((r) => !taken.includes(r)).join(", ");
    if (secondary === primary) {
        fail("secondaryRegion", secondary, `must differ from primaryRegion (${primary})`);
    } else if (secondary && setOf(secondary) !== set) {
        fail(
            "secondaryRegion",
            secondary,
            `must be in the same region set as primaryRegion ${primary} (${set}: ${sets[set].join(", ")})`,
        );
    }
    if (witness && (witness === primary || witness === secondary)) {
        const peers = [primary, secondary].filter((r) => r !== undefined).join(", ");
        fail(
            "witnessRegion",
            witness,
            `must differ from both cluster regions (${peers}); choose from ${others(primary, secondary)}`,
        );
    } else if (witness && setOf(witness) !== set) {
        fail(
            "witnessRegion",
            witness,
            `must be in the peers' region set (${set}: ${others(primary, secondary)})`,
        );
    }
    const ok = secondary && witness && problems.length === before;
    return ok ? { primary, secondary, witness, sets } : undefined;
}

/**
 * The existing pair's identifiers, required with adopt and monitor-only and refused with
 * create; nothing is said of them while clusterManagement itself is wrong (its own problem
 * is the one fix).
 */
export function managementRules(
    values: Values,
    problems: ConfigProblem[],
): Readonly<{ primary: string; secondary: string }> | undefined {
    const mode = values.clusterManagement;
    const keys = ["primaryClusterIdentifier", "secondaryClusterIdentifier"] as const;
    if (mode === undefined) return undefined;
    const [primary, secondary] = keys.map((k) => values[k]);
    // A key whose own value was refused is reported already; the rules here are for the others.
    for (const key of keys.filter((k) => has(values, k))) {
        const id = values[key];
        if (mode === "create" && id !== undefined) {
            problems.push({
                key,
                value: id,
                allowed: 'only with clusterManagement "adopt" or "monitor-only"',
            });
        } else if (mode !== "create" && id === undefined) {
            problems.push({
                key,
                value: undefined,
                allowed: `${CLUSTER_IDENTIFIER_RULE}, required with clusterManagement "${mode}"`,
            });
        }
    }
    if (mode !== "create" && primary && primary === secondary) {
        problems.push({
            key: "secondaryClusterIdentifier",
            value: secondary,
            allowed: "must differ from primaryClusterIdentifier",
        });
    }
    return mode !== "create" && primary && secondary && primary !== secondary
        ? Object.freeze({ primary, secondary })
        : undefined;
}

/**
 * monitor-only never changes the pair: deletion protection and the clusters' Name tags
 * belong to the stack that manages it. Set there, they would be silently ignored here, so
 * they are refused (as the Chatbot keys are without a chat channel).
 */
export function monitorOnlyRules(
    values: Values,
    raw: Readonly<Record<string, string>>,
    problems: ConfigProblem[],
): void {
    if (values.clusterManagement !== "monitor-only") return;
    const fix =
        "this stack never changes the pair (set it on the stack that manages the pair), so unset it";
    if (values.deletionProtection === true) {
        problems.push({
            key: "deletionProtection",
            value: raw.deletionProtection,
            allowed: `has no effect with clusterManagement "monitor-only": ${fix}`,
        });
    }
    if (has(values, "clusterPrefix") && values.clusterPrefix !== SETTINGS.clusterPrefix.default) {
        problems.push({
            key: "clusterPrefix",
            value: raw.clusterPrefix,
            allowed: `names only clusters this stack creates or adopts, and has no effect with clusterManagement "monitor-only": ${fix}`,
        });
    }
}

/**
 * A production stack (deletion protection on) pages people who may not have this
 * repository at hand: its runbook link must open in a browser, so only an absolute https
 * URL is accepted there. Elsewhere the repository path is accepted, with a warning.
 */
export function runbookRule(values: Values, problems: ConfigProblem[]): void {
    if (values.deletionProtection === true && values.runbookUrl === REPOSITORY_RUNBOOK) {
        problems.push({
            key: "runbookUrl",
            value: values.runbookUrl,
            allowed:
                "an absolute https:// URL with deletionProtection on (a production stack: its pages must carry a link anyone paged can open), e.g. https://github.com/<org>/<repo>/blob/main/docs/runbook.md",
        });
    }
}

/** What the plan and `pulumi up` warn about in an accepted config. */
export function configWarnings(config: {
    readonly runbookUrl: string;
    readonly extraRegionSets: RegionSets;
}): string[] {
    const warnings = Object.entries(config.extraRegionSets).map(
        ([set, regions]) =>
            `region set ${quote(set)} (${regions.join(", ")}) comes from extraRegionSets and is unverified by this project: AWS has not confirmed it for multi-Region Aurora DSQL clusters here`,
    );
    if (config.runbookUrl === REPOSITORY_RUNBOOK) {
        warnings.push(
            `runbookUrl is the repository path ${REPOSITORY_RUNBOOK}: pages carry a link no one can click; set an https URL (e.g. https://github.com/<org>/<repo>/blob/main/docs/runbook.md)`,
        );
    }
    return warnings;
}
