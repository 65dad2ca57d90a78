import { asList, type PolicyStatement } from "./stack";

/**
 * What AWS documents outside the Service Authorization Reference data, kept small and cited:
 * each entry is a rule the reference alone would get wrong.
 */

/** Actions the reference scopes to a resource type but that do their whole job only on `"*"`. */
export const STAR_ONLY_ACTIONS: readonly { action: string; why: string; url: string }[] = [
    {
        action: "cloudwatch:DescribeAlarms",
        why: 'returns composite alarms only to a caller allowed DescribeAlarms on "*"',
        url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html",
    },
];

/**
 * Actions whose required resource types are alternatives: one request acts on one resource of
 * one of them, which the request names (the reference marks each required, as it must be
 * allowed when it is the one acted on).
 */
export const ALTERNATIVE_RESOURCE_TYPES: readonly { action: string; why: string; url: string }[] = [
    {
        action: "route53:ChangeTagsForResource",
        why: "tags one health check or one hosted zone, as its ResourceType parameter says",
        url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeTagsForResource.html",
    },
];

/** Condition keys a statement may use although no service's reference lists them. */
export const DOCUMENTED_CONDITION_KEYS: readonly {
    describe: string;
    url: string;
    allows: (key: string, statement: PolicyStatement) => boolean;
}[] = [
    {
        describe:
            "the aud and sub claims of the OpenID Connect provider a web-identity trust names",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif",
        allows: (key, statement) => {
            const federated = asList(
                (statement.Principal as { Federated?: string | string[] } | undefined)?.Federated,
            );
            const providers = federated.map((arn) => /:oidc-provider\/(.+)$/.exec(arn)?.[1]);
            const match = /^(.+):(aud|sub)$/i.exec(key);
            return match !== null && providers.includes(match[1]);
        },
    },
];
