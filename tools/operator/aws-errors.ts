/**
 * The messages AWS SDK failures deserve. Apart from the clients (aws.ts), so a command that
 * only prints its usage or refuses its command line loads no SDK.
 */

export const NO_CREDENTIALS =
    "No AWS credentials: the default credential chain (environment, shared config and SSO " +
    "profiles, web identity, container or instance role) found none. Set AWS_PROFILE and run " +
    "`aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again.";

/** The SDK's "Could not load credentials from any providers" (CredentialsProviderError). */
export function isMissingCredentials(error: unknown): boolean {
    const failure = error as { name?: unknown; message?: unknown } | undefined;
    return (
        failure?.name === "CredentialsProviderError" ||
        /Could not load credentials/i.test(String(failure?.message ?? ""))
    );
}

/** "Name: message" of an SDK error, for reports and refusals. */
export function describeError(error: unknown): string {
    if (isMissingCredentials(error)) return NO_CREDENTIALS;
    const failure = error as { name?: string; message?: string };
    const name = failure?.name && failure.name !== "Error" ? `${failure.name}: ` : "";
    return `${name}${failure?.message ?? String(error)}`;
}
