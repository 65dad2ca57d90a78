/** A command stopped before it changed anything (bad outputs, credentials, preflight): exit 2. */
export class Refusal extends Error {}

/** A command line the operator must correct: a refusal printed with the command's usage. */
export class UsageError extends Refusal {}
