import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./project";
import { MAX_ECHO_LENGTH, escapeText, hasUnsafeCharacter, quote } from "./text";

export { PROJECT };

/**
 * One rejected value: which key (namespaced as the user wrote it, or a path inside a
 * value such as `alertSlack[0].channelId`), what it was, and what is allowed.
 */
export interface ConfigProblem {
    readonly key: string;
    /** The value as written (undefined: not set); shown escaped and cut. */
    readonly value: string | undefined;
    /** The rule the value breaks, and how to fix it. */
    readonly allowed: string;
}

/**
 * A configuration Pulumi must not run. A Pulumi RunError, so Pulumi's Node.js language
 * host prints only its message (it prints any other error with util.inspect).
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        public readonly stackName: string,
        public readonly problems: readonly ConfigProblem[],
    ) {
        super(
            `Invalid configuration for stack ${quote(stackName)} (nothing was declared):\n` +
                problems.map((p) => `  - ${describeProblem(p)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** One problem as one line: key, the escaped value, and the rule. */
export function describeProblem(p: ConfigProblem): string {
    const shown = p.value === undefined ? "is not set" : `= ${quote(p.value)}`;
    return `${showKey(p.key)} ${shown}: ${p.allowed}`;
}

/** A key as the user wrote it, namespaced; escaped and cut when it holds what it should not. */
function showKey(key: string): string {
    const namespaced = key.includes(":") ? key : `${PROJECT}:${key}`;
    return hasUnsafeCharacter(namespaced) || namespaced.length > MAX_ECHO_LENGTH
        ? quote(namespaced)
        : escapeText(namespaced);
}
