import { Region } from "@pulumi/aws/types/enums";

/**
 * Aurora DSQL multi-region facts: a peered pair and its witness must lie in one region
 * set. Regions outside every set (us-west-1, for instance) have no multi-region Aurora
 * DSQL at all.
 *
 * Source: Aurora DSQL User Guide, "Region availability" (the Region sets of multi-Region
 * clusters: US, Asia Pacific, Europe; "Multi-Region clusters must be created within a
 * single Region set"), https://docs.aws.amazon.com/aurora-dsql/latest/userguide/what-is-aurora-dsql.html#region-availability,
 * checked 2026-11-29. The guide's release notes of 2026-07-31 add multi-Region clusters in
 * Europe (Stockholm, eu-north-1), Europe (Spain, eu-south-2), Asia Pacific (Mumbai,
 * ap-south-1) and Asia Pacific (Singapore, ap-southeast-1) without saying which sets they
 * join, so they are not in this table: a stack adds them with `extraRegionSets` once AWS
 * documents their set. No AWS text found (same date) says a Japan pair (Tokyo + Osaka) needs
 * a witness outside Japan; the witness stays in the pair's set here, as in AWS's examples.
 */
export const REGION_SETS: Readonly<Record<string, readonly string[]>> = {
    US: ["us-east-1", "us-east-2", "us-west-2"],
    Europe: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
    "Asia Pacific": ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

/**
 * Regions of the commercial partition (`aws`) that exist: the AWS provider's own list of
 * regions (`@pulumi/aws` Region), without the other partitions' (China `cn-`, GovCloud
 * `us-gov-`, the isolated `us-iso…`/`eu-isoe-`, the European Sovereign Cloud `eusc-`;
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 * A stack's providers and ARNs assume the `aws` partition, so a region-set may only name these.
 */
export const COMMERCIAL_REGIONS: readonly string[] = Object.values(Region)
    .filter((r) => !/^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/.test(r))
    .sort();

/** Every region that can hold a peered cluster or a witness, in `sets`. */
export const regionsOf = (sets: Readonly<Record<string, readonly string[]>>): string[] =>
    Object.values(sets).flat();

/** Name of the region set `region` belongs to in `sets` (own sets only), or undefined. */
export function regionSetOf(
    region: string,
    sets: Readonly<Record<string, readonly string[]>> = REGION_SETS,
): string | undefined {
    return Object.keys(sets).find((set) => sets[set].includes(region));
}

/** Whether `name` is one of the built-in region sets (never a prototype property such as toString). */
export const isBuiltInRegionSet = (name: string): boolean => Object.hasOwn(REGION_SETS, name);
