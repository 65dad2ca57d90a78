/**
 * Command-line parsing shared by the commands: unknown flags are refused (naming the closest
 * one), and every message names the argument, the value given (escaped, truncated) and what
 * is allowed. Node's own parseArgs text never reaches the operator.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatDuration, parseDuration } from "./duration";
import { shown, UsageError } from "./errors";

type FlagTypes = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** Levenshtein distance between two short words. */
function distance(a: string, b: string): number {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + cost));
        }
        row = next;
    }
    return row[b.length];
}

/** The candidates nearest to `word` (a typo or a prefix of them), closest first. */
export function closest(word: string, candidates: readonly string[]): string[] {
    const scored = candidates
        .map((c) => ({ c, d: c.startsWith(word) && word.length > 1 ? 0 : distance(word, c) }))
        .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)));
    const best = Math.min(...scored.map((s) => s.d));
    return scored.filter((s) => s.d === best).map((s) => s.c);
}

function flagError(error: unknown, flags: FlagTypes): UsageError {
    const names = Object.keys(flags).map((flag) => `--${flag}`);
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code;
    const flag = /^(?:Unknown option|Option) '(-{1,2}[^' =]*)/.exec(message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
        const near = closest(flag, names);
        const hint = near.length > 0 ? `; did you mean ${near.join(" or ")}?` : "";
        return new UsageError(
            `unknown flag ${shown(flag)}${hint} (flags: ${names.join(", ") || "none"})`,
        );
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && /does not take/.test(message)) {
        return new UsageError(`${flag} takes no value`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
        return new UsageError(
            `${flag} needs a value (write ${flag}=<value> when the value starts with "-")`,
        );
    }
    return new UsageError("cannot read the command line");
}

export function parseCommandLine(
    argv: readonly string[],
    flags: FlagTypes,
): { values: FlagValues; positionals: string[] } {
    try {
        const { values, positionals } = parseArgs({
            args: [...argv],
            options: flags,
            allowPositionals: true,
            strict: true,
        });
        return { values: values as FlagValues, positionals };
    } catch (error) {
        throw flagError(error, flags);
    }
}

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;

/** The stack positional: required, shaped like a Pulumi stack name. */
export function stackArgument(value: string | undefined): string {
    if (value === undefined)
        throw new UsageError("missing <stack>: name the Pulumi stack, e.g. dev");
    if (!STACK_NAME.test(value)) {
        throw new UsageError(
            `<stack> ${shown(value)}: expected a Pulumi stack name (letters, digits, "-", "_", "." and "/")`,
        );
    }
    return value;
}

/** The stack's own name: `org/project/dev` and `dev` are both the stack `dev`. */
export const bareStackName = (stack: string): string => stack.split("/").at(-1)!;

/**
 * A stack of this project: it has a `Pulumi.<stack>.yaml` (every stack needs one, for its
 * regions). Names the stacks there are otherwise.
 */
export function knownStack(stack: string, root: string): string {
    const file = `Pulumi.${bareStackName(stack)}.yaml`;
    if (!existsSync(path.join(root, file))) {
        const stacks = listStackFiles(root).join(", ") || "none";
        throw new UsageError(
            `unknown stack ${shown(stack)}: no ${file}; stacks of this project: ${stacks}`,
        );
    }
    return stack;
}

/**
 * The stacks of `root`, as tools/pulumi-host/stack-config.ts lists them; read here because importing that
 * module loads the program's config and Pulumi's SDK, a second at every command's start.
 */
function listStackFiles(root: string): string[] {
    return readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Refuses positionals past the `expected` ones. */
export function noMorePositionals(positionals: string[], expected: number): void {
    if (positionals.length > expected) {
        throw new UsageError(`unexpected argument ${shown(positionals[expected])}`);
    }
}

export function stringFlag(values: FlagValues, flag: string): string | undefined {
    const value = values[flag];
    return typeof value === "string" ? value : undefined;
}

export function booleanFlag(values: FlagValues, flag: string): boolean {
    return values[flag] === true;
}

/** One of `allowed`; `fallback` when the flag is absent (an error when there is none). */
export function choiceFlag<T extends string>(
    name: string,
    value: string | undefined,
    allowed: readonly T[],
    fallback?: T,
): T {
    if (value === undefined) {
        if (fallback !== undefined) return fallback;
        throw new UsageError(`${name} is required: one of ${allowed.join(", ")}`);
    }
    if (!(allowed as readonly string[]).includes(value)) {
        const near = closest(value, allowed);
        const hint = near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "";
        throw new UsageError(
            `${name} ${shown(value)}: expected one of ${allowed.join(", ")}${hint}`,
        );
    }
    return value as T;
}

/** Seconds of a duration flag within [min, max] seconds; undefined when absent. */
export function durationFlag(
    name: string,
    value: string | undefined,
    range: { min: number; max: number },
): number | undefined {
    if (value === undefined) return undefined;
    const seconds = parseDuration(value);
    if (seconds === undefined) {
        throw new UsageError(
            `${name} ${shown(value)}: expected a duration such as 30s, 10m, 1h or 1h30m`,
        );
    }
    if (seconds < range.min || seconds > range.max) {
        throw new UsageError(
            `${name} ${value}: must be from ${formatDuration(range.min)} to ${formatDuration(range.max)}`,
        );
    }
    return seconds;
}

/** A whole number within [min, max]; undefined when absent. */
export function integerFlag(
    name: string,
    value: string | undefined,
    range: { min: number; max: number },
): number | undefined {
    if (value === undefined) return undefined;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= range.min && number <= range.max)) {
        throw new UsageError(
            `${name} ${shown(value)}: expected a whole number from ${range.min} to ${range.max}`,
        );
    }
    return number;
}

/** A file a flag names for writing, resolved; refused at once when its folder does not exist. */
export function outputFileFlag(name: string, value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const file = path.resolve(value);
    const folder = path.dirname(file);
    if (value === "" || !existsSync(folder) || !statSync(folder).isDirectory()) {
        throw new UsageError(`${name} ${shown(value)}: no folder ${shown(folder)} to write it in`);
    }
    return file;
}

/** The stack of a command that takes it as its one argument or as --stack; `fallback` when neither. */
export function oneStack(
    stack: string | undefined,
    positionals: readonly string[],
    fallback = "dev",
): string {
    if (positionals.length > 1 || (positionals.length === 1 && stack !== undefined)) {
        throw new UsageError(
            `one stack at a time: got ${[stack, ...positionals].filter(Boolean).join(", ")}`,
        );
    }
    return stack ?? positionals[0] ?? fallback;
}
