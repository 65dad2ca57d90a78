/** AWS clients on the default credential chain, and the check of who is calling. */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { FisClient } from "@aws-sdk/client-fis";
import { SNSClient } from "@aws-sdk/client-sns";
import { SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describeError, isMissingCredentials } from "./aws-errors";
import { Refusal } from "./errors";

export interface RegionalClients {
    readonly cloudwatch: CloudWatchClient;
    readonly ssm: SSMClient;
    readonly sns: SNSClient;
    readonly fis: FisClient;
}

/** Injected into every command, so tests pass mocked clients and dry runs pass none. */
export interface AwsClients {
    readonly sts: STSClient;
    in(region: string): RegionalClients;
}

/** Real clients, created once per region; STS is asked in `homeRegion`. */
export function awsClients(homeRegion: string): AwsClients {
    const byRegion = new Map<string, RegionalClients>();
    return {
        sts: new STSClient({ region: homeRegion }),
        in(region) {
            let clients = byRegion.get(region);
            if (clients === undefined) {
                clients = {
                    cloudwatch: new CloudWatchClient({ region }),
                    ssm: new SSMClient({ region }),
                    sns: new SNSClient({ region }),
                    fis: new FisClient({ region }),
                };
                byRegion.set(region, clients);
            }
            return clients;
        },
    };
}

/**
 * Who is running the command, checked against the account the stack's outputs are in: the
 * first AWS call of every command, so nothing is read or changed in the wrong account.
 * GetCallerIdentity needs no permission:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export async function verifiedCaller(
    sts: STSClient,
    expected: { readonly stack: string; readonly accountId?: string },
): Promise<string> {
    let identity;
    try {
        identity = await sts.send(new GetCallerIdentityCommand({}));
    } catch (error) {
        if (isMissingCredentials(error)) throw error;
        throw new Refusal(
            `cannot identify the caller (sts:GetCallerIdentity): ${describeError(error)}`,
            { cause: error },
        );
    }
    const arn = identity.Arn ?? "unknown caller";
    if (expected.accountId !== undefined && identity.Account !== expected.accountId) {
        throw new Refusal(
            `your credentials are for account ${identity.Account ?? "unknown"} (${arn}), but stack ` +
                `${expected.stack}'s resources are in account ${expected.accountId} (its accountId output): ` +
                `use credentials for ${expected.accountId} (e.g. AWS_PROFILE), or name the stack you mean`,
        );
    }
    return arn;
}
