/** This program's config namespace (the project name, as in Pulumi.yaml). */
export const PROJECT = "aurora-dsql-dr";
