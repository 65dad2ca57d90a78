/**
 * Aurora DSQL's opt-in to AWS Backup, as commands an operator runs, never as a resource.
 *
 * AWS Backup protects Aurora DSQL only where the resource type is opted in
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-aurora.html, "Service
 * Opt-in": https://docs.aws.amazon.com/aws-backup/latest/devguide/getting-started.html#service-opt-in).
 * The setting is one per account and region, shared by every team's resource types. The
 * provider's aws.backup.RegionSettings is that singleton: it sends only the keys it is given,
 * yet reads back the whole map, so a DSQL-only declaration shows a diff on every preview, and
 * two stacks declaring it fight over it; deleting it changes nothing
 * (internal/service/backup/region_settings.go of hashicorp/terraform-provider-aws;
 * https://github.com/hashicorp/terraform-provider-aws/issues/22744).
 * UpdateRegionSettings with one key changes only that key, as AWS's own per-type examples use
 * it (https://docs.aws.amazon.com/aws-backup/latest/devguide/advanced-ddb-backup.html). So the
 * stack declares nothing; the preflight and the docs give these commands.
 */

/** The opt-in key of Aurora DSQL in ResourceTypeOptInPreference. */
export const DSQL_OPT_IN_KEY = "DSQL";

export interface OptInCommands {
    readonly region: string;
    /** Prints true when Aurora DSQL is opted in here (None or false: it is not). */
    readonly check: string;
    /** Opts Aurora DSQL in, and nothing else. */
    readonly set: string;
    /** Lists the resource types AWS Backup supports here: DSQL must be among them. */
    readonly supported: string;
}

/** The commands that check and set only the DSQL entry, per region. */
export function dsqlOptInCommands(regions: readonly string[]): OptInCommands[] {
    return [...new Set(regions)].map((region) => ({
        region,
        check: `aws backup describe-region-settings --region ${region} --query 'ResourceTypeOptInPreference.${DSQL_OPT_IN_KEY}'`,
        set: `aws backup update-region-settings --region ${region} --resource-type-opt-in-preference ${DSQL_OPT_IN_KEY}=true`,
        supported: `aws backup get-supported-resource-types --region ${region}`,
    }));
}
