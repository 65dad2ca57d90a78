import { z } from "zod";
import { COMMERCIAL_REGIONS, REGION_SETS, isBuiltInRegionSet, regionSetOf } from "../regions";
import { jsonEntries, report, type Ctx, type Schema } from "./parse";
import { hasUnsafeCharacter, quote, showJson } from "./text";

export type RegionSets = Readonly<Record<string, readonly string[]>>;

const SHAPE =
    'an object of region-set names to lists of regions, such as {"Europe North": ["eu-north-1", "eu-west-1", "eu-central-1"]}';
const MAX_NAME_LENGTH = 64;

/**
 * extraRegionSets: region sets the stack adds to the built-in table ({ "name": ["region",
 * ...] }), for regions AWS has opened to multi-Region clusters since the table was checked.
 * Names are the object's own keys (toString or constructor are names like any other);
 * every region is one of the commercial partition's; each region in one set only. Every
 * problem is reported, not only the first.
 */
export const extraRegionSetsSchema: Schema<RegionSets> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        const entries = jsonEntries(ctx, text, SHAPE);
        if (!entries) return z.NEVER;
        const seen = new Map<string, string>();
        const sets: [string, readonly string[]][] = [];
        for (const [name, regions] of entries) {
            const checked = checkSet(ctx, name, regions, seen);
            if (checked) sets.push([name, Object.freeze(checked)]);
        }
        // "__proto__" was refused, so every name becomes an own data property.
        return sets.length === entries.length ? Object.freeze(Object.fromEntries(sets)) : z.NEVER;
    });

/** One set's regions, or undefined after reporting what is wrong with it. */
function checkSet(
    ctx: Ctx,
    name: string,
    regions: unknown,
    seen: Map<string, string>,
): string[] | undefined {
    const set = `set ${quote(name)}`;
    if (!name.trim() || name.length > MAX_NAME_LENGTH || hasUnsafeCharacter(name)) {
        report(
            ctx,
            `${set}: a region-set name is 1-${MAX_NAME_LENGTH} characters, not blank, without control characters`,
        );
        return undefined;
    }
    if (name === "__proto__") {
        report(ctx, `${set}: a name JavaScript objects cannot hold as data; give it another name`);
        return undefined;
    }
    if (isBuiltInRegionSet(name)) {
        report(ctx, `${quote(name)} is a built-in region set; give yours another name`);
        return undefined;
    }
    if (!Array.isArray(regions) || regions.length < 3) {
        report(ctx, `${set}: a list of at least three regions (two clusters and a witness)`);
        return undefined;
    }
    let ok = true;
    regions.forEach((region: unknown, i) => {
        if (typeof region !== "string" || !COMMERCIAL_REGIONS.includes(region)) {
            ok = false;
            report(
                ctx,
                `${set}: ${showJson(region)} is not a region of AWS's commercial partition (${commercialHint(region)})`,
            );
            return;
        }
        if (regions.indexOf(region) !== i) {
            ok = false;
            report(ctx, `${set}: ${region} is listed twice`);
            return;
        }
        const other = seen.get(region) ?? regionSetOf(region, REGION_SETS);
        if (other !== undefined) {
            ok = false;
            report(ctx, `${region} is in two region sets (${quote(other)} and ${quote(name)})`);
            return;
        }
        seen.set(region, name);
    });
    return ok ? (regions as string[]) : undefined;
}

function commercialHint(region: unknown): string {
    if (typeof region === "string" && /^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/.test(region)) {
        return "the China, GovCloud, isolated and sovereign partitions are not supported";
    }
    return `one of ${COMMERCIAL_REGIONS.join(", ")}`;
}
