/**
 * What every `./task` command shares: `--help`/`-h` prints its usage on stdout and exits 0;
 * a wrong command line prints one line and a hint to `--help` on stderr and exits 2; a
 * refusal or a failed check exits 1 (errors.ts, EXIT). No stack trace for any of them.
 */
import { describeError, isMissingCredentials, NO_CREDENTIALS } from "./aws-errors";
import { EXIT, isUsageError, Refusal } from "./errors";

export interface ToolIo {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
}

export interface ToolSpec {
    /** The command's name after `./task`. */
    readonly name: string;
    /** What `--help` prints: usage lines, what it does, flags, exit codes. */
    readonly help: string;
}

/** `--help` or `-h` before any `--` (after it, everything is an argument). */
export function helpRequested(argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export const EXIT_CODES_HELP = `Exit codes: 0 done, 1 refused or a check failed, 2 wrong command line.`;

/** The exit code and the lines to print for an error that ended a command. */
export function failure(spec: ToolSpec, error: unknown): { code: number; lines: string[] } {
    if (isUsageError(error)) {
        return {
            code: EXIT.usage,
            lines: [
                `${spec.name}: ${error.message}`,
                `Run "./task ${spec.name} --help" for usage.`,
            ],
        };
    }
    if (error instanceof Refusal) {
        return { code: EXIT.failed, lines: [`${spec.name}: refused: ${error.message}`] };
    }
    if (isMissingCredentials(error)) {
        return { code: EXIT.failed, lines: [`${spec.name}: refused: ${NO_CREDENTIALS}`] };
    }
    return { code: EXIT.failed, lines: [`${spec.name}: error: ${describeError(error)}`] };
}

/** Runs `body` as the command `spec`, answering --help and turning errors into exit codes. */
export async function runTool(
    spec: ToolSpec,
    argv: readonly string[],
    io: ToolIo,
    body: () => Promise<number>,
): Promise<number> {
    if (helpRequested(argv)) {
        io.out(spec.help.trimEnd());
        return EXIT.ok;
    }
    try {
        return await body();
    } catch (error) {
        const { code, lines } = failure(spec, error);
        lines.forEach((line) => io.err(line));
        return code;
    }
}

/** runTool for a command whose body is synchronous. */
export function runToolSync(
    spec: ToolSpec,
    argv: readonly string[],
    io: ToolIo,
    body: () => number,
): number {
    if (helpRequested(argv)) {
        io.out(spec.help.trimEnd());
        return EXIT.ok;
    }
    try {
        return body();
    } catch (error) {
        const { code, lines } = failure(spec, error);
        lines.forEach((line) => io.err(line));
        return code;
    }
}

/** Exits with `code` once stdout has drained (a pipe is written asynchronously). */
export function exitWhenDrained(code: number): void {
    process.stdout.write("", () => process.exit(code));
}

/** The process's console as a ToolIo. */
export const consoleIo: ToolIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
};
