/**
 * Wiring of the operator commands: what main() receives (real clients, clock, Ctrl-C and
 * console, or test doubles), where the stack's outputs come from and how they are checked,
 * and how failures become exit codes (tool.ts).
 */
import { execFileSync } from "node:child_process";
import { booleanFlag, stringFlag, type FlagValues } from "./args";
import { awsClients, verifiedCaller, type AwsClients } from "./aws";
import { processInterrupts, systemClock, type Clock, type Interrupts } from "./clock";
import { Refusal } from "./errors";
import { readStackOutputs, verifyOutputs, type StackOutputs } from "./outputs";
import type { RestoreWiring } from "./restore-wiring";
import { REPO_ROOT } from "../testing/repo-root";
import { consoleIo, exitWhenDrained, runTool, type ToolIo, type ToolSpec } from "./tool";
import type { DetectionBound } from "./verdict";

export interface CliContext extends ToolIo {
    readonly clock: Clock;
    readonly interrupts: Interrupts;
    readonly readOutputs: (stack: string, file: string | undefined) => Promise<StackOutputs>;
    /** The stack's outputs as the program declares them, offline, with placeholders. */
    readonly declaredOutputs: (stack: string) => Promise<StackOutputs>;
    readonly awsClients: (outputs: StackOutputs) => AwsClients;
    readonly loadBound: (stack: string) => Promise<DetectionBound>;
    readonly toolVersion: () => string;
    /** The restore drill's AWS clients and proof; the real ones when absent. */
    readonly restore?: RestoreWiring;
}

export { REPO_ROOT };

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
 * The simulated "cluster down" detection bound of the stack (tools/simulation/verdict-simulation.ts),
 * computed only when a real drill runs: tests inject one, and a dry run needs none.
 */
async function loadDetectionBound(stack: string): Promise<DetectionBound> {
    // Loaded when needed: the simulation and Pulumi's SDK make every start (even --help) slow.
    const { detectionBounds } = await import("../simulation/verdict-simulation.js");
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
        ...consoleIo,
        clock: systemClock,
        interrupts: processInterrupts,
        readOutputs: (stack, file) => readStackOutputs(stack, file),
        declaredOutputs: async (stack) =>
            (await import("./offline-outputs.js")).declaredOutputs(stack),
        awsClients: (outputs) => awsClients(outputs.regions.primary),
        loadBound: loadDetectionBound,
        toolVersion: gitVersion,
    };
}

/** Where a command's outputs come from, as its flags say. */
export interface OutputsSource {
    readonly stack: string;
    readonly file?: string;
    readonly dryRun: boolean;
    /** --allow-unverified-outputs: outputs without stackName and accountId are accepted. */
    readonly allowUnverified: boolean;
}

export interface CommandOutputs {
    readonly outputs: StackOutputs;
    /** Declared offline, with placeholders: a dry run without --outputs. */
    readonly offline: boolean;
    readonly warnings: string[];
}

/**
 * The stack's outputs, checked to be the named stack's (outputs.ts, verifyOutputs). A dry run
 * without --outputs needs no Pulumi CLI: it takes the program's own declaration.
 */
export async function commandOutputs(
    ctx: CliContext,
    source: OutputsSource,
): Promise<CommandOutputs> {
    if (source.dryRun && source.file === undefined) {
        return { outputs: await ctx.declaredOutputs(source.stack), offline: true, warnings: [] };
    }
    const outputs = await ctx.readOutputs(source.stack, source.file);
    const warnings = verifyOutputs(source.stack, outputs, source.allowUnverified);
    return { outputs, offline: false, warnings };
}

/**
 * The outputs a command's flags ask for (`--outputs`, `--dry-run`,
 * `--allow-unverified-outputs`), with every warning about them printed.
 */
export async function flaggedOutputs(
    ctx: CliContext,
    stack: string,
    values: FlagValues,
): Promise<CommandOutputs & { readonly dryRun: boolean }> {
    const dryRun = booleanFlag(values, "dry-run");
    const found = await commandOutputs(ctx, {
        stack,
        file: stringFlag(values, "outputs"),
        dryRun,
        allowUnverified: booleanFlag(values, "allow-unverified-outputs"),
    });
    found.warnings.forEach((w) => ctx.err(`warning: ${w}`));
    return { ...found, dryRun };
}

/**
 * AWS clients, after the first call of all has shown that the caller's account is the
 * stack's (aws.ts, verifiedCaller). Returns the clients and the caller's ARN.
 */
export async function connect(
    ctx: CliContext,
    stack: string,
    outputs: StackOutputs,
): Promise<{ aws: AwsClients; caller: string }> {
    const aws = ctx.awsClients(outputs);
    const caller = await verifiedCaller(aws.sts, { stack, accountId: outputs.accountId });
    return { aws, caller };
}

/** Runs a command's body: --help, usage errors (2), refusals and failed checks (1). */
export function runCommand(
    ctx: CliContext,
    spec: ToolSpec,
    argv: readonly string[],
    body: () => Promise<number>,
): Promise<number> {
    return runTool(spec, argv, ctx, body);
}

/** Runs `main` as the process's command; exits once stdout has drained. */
export function runMain(main: (argv: string[], ctx: CliContext) => Promise<number>): void {
    void main(process.argv.slice(2), processContext()).then(exitWhenDrained);
}
