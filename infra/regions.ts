/**
 * Aurora DSQL multi-region facts: a peered pair and its witness must lie in one
 * region set. Regions outside every set (us-west-1, for instance) have no multi-region
 * Aurora DSQL at all.
 */
export const REGION_SETS: Readonly<Record<string, readonly string[]>> = {
    US: ["us-east-1", "us-east-2", "us-west-2"],
    Europe: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
    "Asia Pacific": ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

/** Every region that can hold a peered cluster or a witness. */
export const DSQL_REGIONS: readonly string[] = Object.values(REGION_SETS).flat();

/** Name of the region set `region` belongs to, or undefined. */
export function regionSetOf(region: string): string | undefined {
    return Object.keys(REGION_SETS).find((set) => REGION_SETS[set].includes(region));
}
