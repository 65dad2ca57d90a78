import type { RestoreOutputs } from "../../tools/operator/restore-options";
import type { ProofTarget } from "../../tools/operator/restore-proof";
import { PROJECT } from "../../tools/pulumi-host/stack-config";
import type { SimulatedRequest } from "./iam-simulation";
import type { Call } from "./restore-fakes";

/**
 * The IAM requests of a restore drill, from the calls it made to (scripted) AWS and the
 * clusters it connected to, with the tags each resource holds at that moment: what the
 * operator's policy (docs/iam/operator.json) must allow.
 */

export interface OperatorRequest extends SimulatedRequest {
    /** `api [region] input` of the call, for messages. */
    readonly label: string;
}

/**
 * A recovery point carries the tags of the cluster it backs up, a copy those of its source
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/tags-on-backups.html): the pair's,
 * which carry the project tag every resource of the stack has (infra/providers.ts).
 */
const PAIR_TAGS: Readonly<Record<string, string>> = { project: PROJECT };

const clusterArn = (outputs: RestoreOutputs, region: string, identifier: string) =>
    `arn:aws:dsql:${region}:${outputs.accountId}:cluster/${identifier}`;

const resourceTags = (tags: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

/** Every request behind `calls`, then the admin connection to each proved cluster. */
export function restoreDrillRequests(
    outputs: RestoreOutputs,
    calls: readonly Call[],
    connected: readonly ProofTarget[],
): OperatorRequest[] {
    // Tags each cluster has had put on it so far, by ARN.
    const tagged = new Map<string, Record<string, string>>();
    const on = (call: Call, action: string, arn: string, context = {}): OperatorRequest => ({
        label: `${call.api} [${call.region}] ${JSON.stringify(call.input)}`,
        action,
        arn,
        context: { "aws:SecureTransport": "true", ...context },
    });
    const onCluster = (call: Call, action: string, arn: string, context = {}) =>
        on(call, action, arn, { ...resourceTags(tagged.get(arn) ?? {}), ...context });
    const requests = calls.flatMap((call): OperatorRequest[] => {
        const { api, region, input } = call;
        switch (api) {
            case "backup:ListRecoveryPointsByBackupVault": {
                const vault = `backup-vault:${input.BackupVaultName}`;
                return [on(call, api, `arn:aws:backup:${region}:${outputs.accountId}:${vault}`)];
            }
            case "backup:StartRestoreJob":
                return [
                    on(call, api, input.RecoveryPointArn, resourceTags(PAIR_TAGS)),
                    on(call, "iam:PassRole", input.IamRoleArn, {
                        "iam:PassedToService": "backup.amazonaws.com",
                    }),
                ];
            case "backup:DescribeRestoreJob":
                return [on(call, api, "*")];
            case "dsql:GetCluster":
            case "dsql:UpdateCluster":
            case "dsql:DeleteCluster":
                return [onCluster(call, api, clusterArn(outputs, region, input.identifier))];
            case "dsql:TagResource": {
                const tags = input.tags as Record<string, string>;
                const request = onCluster(call, api, input.resourceArn, {
                    ...Object.fromEntries(
                        Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v]),
                    ),
                    "aws:TagKeys": Object.keys(tags),
                });
                tagged.set(input.resourceArn, { ...tagged.get(input.resourceArn), ...tags });
                return [request];
            }
            default:
                throw new Error(`${api}: the restore drill's requests do not know this call`);
        }
    });
    // The proof signs an admin token locally; the connection is authorized as DbConnectAdmin.
    const connections = connected.map((cluster) =>
        onCluster(
            { api: "dsql:DbConnectAdmin", region: cluster.region, input: cluster.identifier },
            "dsql:DbConnectAdmin",
            cluster.arn,
        ),
    );
    return [...requests, ...connections];
}
