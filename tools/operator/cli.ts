/**
 * Wiring of the operator commands: what main() receives (real clients, clock, Ctrl-C and
 * console, or test doubles), and how failures become exit codes.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import {
    awsClients,
    describeError,
    isMissingCredentials,
    NO_CREDENTIALS,
    type AwsClients,
} from "./aws";
import { processInterrupts, systemClock, type Clock, type Interrupts } from "./clock";
import { Refusal, UsageError } from "./errors";
import { readStackOutputs, type StackOutputs } from "./outputs";
import type { DetectionBound } from "./verdict";
import { detectionBounds } from "../verdict-simulation";

export interface CliContext {
    readonly clock: Clock;
    readonly interrupts: Interrupts;
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
    readonly readOutputs: (stack: string, file: string | undefined) => Promise<StackOutputs>;
    readonly awsClients: (outputs: StackOutputs) => AwsClients;
    readonly loadBound: (stack: string) => Promise<DetectionBound>;
    readonly toolVersion: () => string;
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The git commit of the tools, "-dirty" when the checkout has local changes. */
function gitVersion(): string {
    const git = (...args: string[]) =>
        execFileSync("git", args, {
            cwd: REPO_ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        }).trim();
    try {
        const commit = git("rev-parse", "--short=12", "HEAD");
        return git("status", "--porcelain") === "" ? commit : `${commit}-dirty`;
    } catch {
        return "unknown (not a git checkout)";
    }
}

/**
 * The simulated "cluster down" detection bound of the stack (tools/verdict-simulation.ts),
 * computed only when a real drill runs: tests inject one, and a dry run needs none.
 */
async function loadDetectionBound(stack: string): Promise<DetectionBound> {
    const bound = (await detectionBounds(stack)).clusterDown;
    if (!bound) {
        throw new Refusal(
            `stack ${stack} declares no "cluster down" page (dataPlaneProbe is off): a fault drill has nothing to prove`,
        );
    }
    return bound;
}

function processContext(): CliContext {
    return {
        clock: systemClock,
        interrupts: processInterrupts,
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        readOutputs: (stack, file) => readStackOutputs(stack, file),
        awsClients: (outputs) => awsClients(outputs.regions.primary),
        loadBound: loadDetectionBound,
        toolVersion: gitVersion,
    };
}

/** Runs a command; usage errors, refusals and missing credentials exit 2, other errors 1. */
export async function runCommand(
    ctx: CliContext,
    usage: string,
    body: () => Promise<number>,
): Promise<number> {
    try {
        return await body();
    } catch (error) {
        if (error instanceof UsageError) {
            ctx.err(`error: ${error.message}`);
            ctx.err(usage);
        } else if (error instanceof Refusal) {
            ctx.err(`refused: ${error.message}`);
        } else if (isMissingCredentials(error)) {
            ctx.err(NO_CREDENTIALS);
        } else {
            ctx.err(`error: ${describeError(error)}`);
            return 1;
        }
        return 2;
    }
}

/** Runs `main` as the process's command; exits once stdout has drained. */
export function runMain(main: (argv: string[], ctx: CliContext) => Promise<number>): void {
    void main(process.argv.slice(2), processContext()).then((code) =>
        process.stdout.write("", () => process.exit(code)),
    );
}
