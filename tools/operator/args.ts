/**
 * Command-line parsing shared by the operator commands: unknown flags are refused, and every
 * message names the argument, the value given and what is allowed.
 */
import { parseArgs } from "node:util";
import { formatDuration, parseDuration } from "./duration";
import { UsageError } from "./errors";

type FlagTypes = Record<string, { type: "string" | "boolean" }>;
export type FlagValues = Record<string, string | boolean | undefined>;

export function parseCommandLine(
    argv: string[],
    flags: FlagTypes,
): { values: FlagValues; positionals: string[] } {
    const allowed = Object.keys(flags)
        .map((flag) => `--${flag}`)
        .join(", ");
    try {
        const { values, positionals } = parseArgs({
            args: argv,
            options: flags,
            allowPositionals: true,
            strict: true,
        });
        return { values: values as FlagValues, positionals };
    } catch (error) {
        const message = (error as Error).message;
        const unknown = /Unknown option '([^']+)'/.exec(message);
        if (unknown) throw new UsageError(`unknown flag ${unknown[1]}; allowed flags: ${allowed}`);
        throw new UsageError(`${message.split(". ")[0]}; allowed flags: ${allowed}`);
    }
}

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;

/** The stack positional: required, shaped like a Pulumi stack name. */
export function stackArgument(value: string | undefined): string {
    if (value === undefined)
        throw new UsageError("missing <stack>: name the Pulumi stack, e.g. dev");
    if (!STACK_NAME.test(value)) {
        throw new UsageError(
            `<stack> "${value}": expected a Pulumi stack name (letters, digits, "-", "_", "." and "/")`,
        );
    }
    return value;
}

/** Refuses positionals past the `expected` ones. */
export function noMorePositionals(positionals: string[], expected: number): void {
    if (positionals.length > expected) {
        throw new UsageError(`unexpected argument "${positionals[expected]}"`);
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
        throw new UsageError(`${name} "${value}": expected one of ${allowed.join(", ")}`);
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
            `${name} "${value}": expected a duration such as 30s, 10m, 1h or 1h30m`,
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
            `${name} "${value}": expected a whole number from ${range.min} to ${range.max}`,
        );
    }
    return number;
}
