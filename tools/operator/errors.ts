/**
 * The failures every command shares, and the one exit-code convention of `./task`:
 * 0 done (or the check passed), 1 refused or a check failed, 2 the command line is wrong.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A command line the operator must correct: exit 2, with a hint to the command's --help. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/**
 * A usage error of any module: tools/pulumi-host/stack-config.ts has its own class of the same name
 * (it cannot depend on the operator commands).
 */
export const isUsageError = (error: unknown): error is Error =>
    error instanceof Error && error.name === "UsageError";

/** A command stopped before it changed anything (bad outputs, credentials, preflight): exit 1. */
export class Refusal extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = "Refusal";
    }
}

const SHOWN_LIMIT = 60;

/**
 * A value the operator typed, safe to echo: quoted, control characters escaped (JSON
 * escapes), at most SHOWN_LIMIT characters of it.
 */
export function shown(value: string): string {
    const chars = [...value];
    const cut = chars.length > SHOWN_LIMIT ? `${chars.slice(0, SHOWN_LIMIT).join("")}…` : value;
    return JSON.stringify(cut);
}
