import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SetupRequest } from "../monitor-function/src/setup";
import type { ClusterRef } from "./cluster-pair";
import { clusterEnvironment } from "./monitoring-cell";
import { lambdaIdentity } from "./lambda-identity";
import { setupPolicy } from "./policy-documents";

export interface DatabaseSetupArgs {
    /** The region the setup function runs in (it tries this region's cluster first). */
    readonly region: string;
    readonly clusters: readonly ClusterRef[];
    readonly suffix: pulumi.Input<string>;
    /** The monitor package: its `setupHandler` export is this function's handler. */
    readonly code: pulumi.asset.Archive;
    readonly databaseUser: string;
    /** Both regions' monitor roles, to be mapped to the database role. */
    readonly monitorRoleArns: pulumi.Input<string>[];
    readonly logRetentionDays: number;
    /** Run only once these exist (the peerings: the pair must be ACTIVE). */
    readonly runAfter: pulumi.Resource[];
}

/**
 * Puts the heartbeat table and the monitors' least-privilege database role in place, as
 * part of `pulumi up`: a function that alone may connect as admin, invoked by Pulumi
 * (aws.lambda.Invocation) once the pair is peered and again whenever its request or the
 * clusters change. It runs inside AWS, so whoever runs `pulumi up` needs no route to the
 * database; if it fails, `pulumi up` fails with its error.
 */
export class DatabaseSetup extends pulumi.ComponentResource {
    public readonly functionName: pulumi.Output<string>;
    public readonly result: pulumi.Output<string>;

    constructor(name: string, args: DatabaseSetupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aurora-dsql-dr:database:Setup", name, {}, opts);
        const parent = { parent: this };
        const functionName = pulumi.interpolate`dr-setup-${args.suffix}`;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;

        const { logGroup, role } = lambdaIdentity(
            name,
            {
                functionName,
                description:
                    "Database setup of the Aurora DSQL DR monitors: the only admin connection",
                logRetentionDays: args.logRetentionDays,
                account,
            },
            this,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            { role: role.id, policy: setupPolicy(args.clusters, logGroup.arn) },
            parent,
        );
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                name: functionName,
                description: "Creates the DR heartbeat table and the monitors' database role",
                role: role.arn,
                runtime: aws.lambda.Runtime.NodeJS24dX,
                architectures: ["arm64"],
                handler: "index.setupHandler",
                code: args.code,
                memorySize: 256,
                timeout: 60,
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                environment: { variables: clusterEnvironment(args.clusters, args.region) },
            },
            { parent: this, dependsOn: [logGroup, policy] },
        );
        const request = pulumi.all(args.monitorRoleArns).apply((monitorRoleArns): SetupRequest => ({
            databaseUser: args.databaseUser,
            monitorRoleArns,
        }));
        const invocation = new aws.lambda.Invocation(
            `${name}-run`,
            {
                functionName: fn.name,
                input: pulumi.jsonStringify(request),
                // A new cluster, or new deployed code (Lambda's CodeSha256 of the package), runs the
                // (idempotent) setup again.
                triggers: {
                    clusters: pulumi.interpolate`${args.clusters[0].arn} ${args.clusters[1].arn}`,
                    code: fn.codeSha256,
                },
            },
            { parent: this, dependsOn: args.runAfter },
        );
        this.functionName = fn.name;
        this.result = invocation.result;
        this.registerOutputs({ functionName: this.functionName });
    }
}
