/** Fixed answers to the two AWS data sources the program reads, so nothing reaches AWS. */

/** Account and partition the fake AWS data sources report. */
export const FAKE_ACCOUNT = "123456789012";
export const FAKE_PARTITION = "aws";

/** Fixed results for the data sources the program reads. */
export function fakeInvoke(token: string): Record<string, unknown> | undefined {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: FAKE_ACCOUNT,
                arn: `arn:${FAKE_PARTITION}:iam::${FAKE_ACCOUNT}:user/preview`,
                id: FAKE_ACCOUNT,
                userId: "AIDAPREVIEW",
            };
        case "aws:index/getPartition:getPartition":
            return {
                dnsSuffix: "amazonaws.com",
                id: FAKE_PARTITION,
                partition: FAKE_PARTITION,
                reverseDnsPrefix: "com.amazonaws",
            };
        default:
            return undefined;
    }
}
