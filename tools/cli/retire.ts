/**
 * Retires a stack the one safe way (DESIGN.md §2, "Destroy and replace"): both Aurora DSQL
 * clusters of the pair, with all their data, and every other resource of the stack.
 *
 *   ./task retire <stack> [--yes] [--dry-run]
 *
 * 1. `pulumi config set aurora-dsql-dr:deletionProtection false --stack <stack>`
 * 2. `pulumi preview --json` of the update that follows, judged by the preview guard: it may
 *    lift protection, nothing else unsafe (no replacement, no half-deleted pair)
 * 3. `pulumi up --yes --policy-pack policy`: deletionProtectionEnabled and Pulumi `protect`
 *    come off through the program, as the stack's config now says
 * 4. `pulumi destroy --yes`: both clusters in the same destroy (never --target one cluster,
 *    never --parallel 1: a deleted peered cluster waits in PENDING_DELETE for its peer)
 *
 * Confirmation: at a terminal you always type the stack name (--yes does not skip it there:
 * a human is present, and a habitual --yes is how the wrong stack goes). Without a terminal
 * (CI) nobody can type, so --yes is required. Nothing ever defaults to yes.
 * Usage: HELP below (`./task retire --help`).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline/promises";
import {
    booleanFlag,
    knownStack,
    noMorePositionals,
    parseCommandLine,
    stackArgument,
} from "../operator/args";
import { EXIT } from "../operator/errors";
import { PulumiMissing } from "../operator/pulumi-cli";
import { EXIT_CODES_HELP, exitWhenDrained, runTool } from "../operator/tool";
import { evaluatePlan, formatVerdict, parsePreview, PreviewInputError } from "./preview-guard";
import { PROJECT } from "../../infra/config/project";
import { REPO_ROOT } from "../testing/repo-root";

export interface CommandResult {
    readonly code: number;
    /** Standard output, when the command ran with `capture`. */
    readonly stdout: string;
    /** The executable was not found. */
    readonly notFound?: boolean;
}

export type CommandRunner = (
    command: string,
    args: readonly string[],
    options: { readonly capture: boolean },
) => Promise<CommandResult>;

export interface RetireIo {
    readonly run: CommandRunner;
    /** Asks `question` at the terminal and returns the line typed. */
    readonly ask: (question: string) => Promise<string>;
    /** Standard input is a terminal. */
    readonly interactive: boolean;
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
}

export interface RetirementStep {
    readonly args: readonly string[];
    readonly purpose: string;
    /** Its output is a preview for the guard. */
    readonly guard?: boolean;
    /** Where the stack stands if this step fails. */
    readonly ifFails: string;
}

/** The `pulumi` commands that retire `stack`, in order. */
export function retirementSteps(stack: string): RetirementStep[] {
    const stackFile = `Pulumi.${stack.split("/").at(-1)}.yaml`;
    const again = `Fix the cause and run ./task retire ${stack} again.`;
    return [
        {
            args: ["config", "set", `${PROJECT}:deletionProtection`, "false", "--stack", stack],
            purpose: `turn the stack's deletionProtection off (this edits ${stackFile})`,
            ifFails: "Nothing was changed.",
        },
        {
            args: ["preview", "--stack", stack, "--json", "--policy-pack", "policy"],
            purpose:
                "preview the update that lifts protection; the preview guard stops here if it would do anything else unsafe",
            guard: true,
            ifFails: `Nothing was changed in AWS (${stackFile} now says deletionProtection: false). ${again}`,
        },
        {
            args: ["up", "--stack", stack, "--yes", "--policy-pack", "policy"],
            purpose:
                "apply it: deletion protection and Pulumi protect off on both clusters and peerings",
            ifFails: `Protection may already be off on some resources; nothing was deleted. ${again}`,
        },
        {
            args: ["destroy", "--stack", stack, "--yes"],
            purpose: "delete everything, both clusters in this one destroy",
            ifFails: `Some resources may remain (a cluster whose peer still exists waits in PENDING_DELETE). ${again} Never destroy one cluster with --target.`,
        },
    ];
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg}'`);
export const commandLine = (args: readonly string[]) => ["pulumi", ...args].map(quote).join(" ");

const HELP = `usage: ./task retire <stack> [--yes] [--dry-run]

Retires a stack the one safe way: both Aurora DSQL clusters of the pair, with ALL their data,
and every other resource of the stack, in one destroy. It runs, stopping at the first failure:
pulumi config set …:deletionProtection false, pulumi preview --json (judged by the preview
guard: it may lift protection and nothing else), pulumi up, pulumi destroy.

Flags:
  --dry-run    print the commands it would run; run none
  --yes        confirm without a terminal (automation); at a terminal you always type the
               stack's name
  -h, --help   this help

The stack must have a Pulumi.<stack>.yaml in this repository.
${EXIT_CODES_HELP}
`;

const SPEC = { name: "retire", help: HELP };

function explain(stack: string, steps: readonly RetirementStep[]): string {
    return [
        `Retiring stack "${stack}" deletes, for good:`,
        "  - BOTH Aurora DSQL clusters of the pair and ALL the data in them;",
        "  - every other resource of the stack (monitors, alarms, alert topics, keys, dashboards).",
        "There is no undo.",
        "",
        "It runs, in this order, and stops at the first failure:",
        ...steps.flatMap((step, i) => [
            `  ${i + 1}. ${commandLine(step.args)}`,
            `       ${step.purpose}`,
        ]),
        "",
    ].join("\n");
}

async function confirmed(stack: string, yes: boolean, io: RetireIo): Promise<boolean> {
    if (!io.interactive) {
        if (yes) return true;
        io.err(
            "retire: standard input is not a terminal, so nobody can type the confirmation. " +
                "Pass --yes to retire without one (automation only). Nothing was changed.\n",
        );
        return false;
    }
    if (yes) io.out("At a terminal --yes does not skip the confirmation.\n");
    const answer = (
        await io.ask(`Type the stack name (${stack}) to delete both clusters and all their data: `)
    ).trim();
    if (answer === stack) return true;
    io.err(
        `retire: you typed ${JSON.stringify(answer)}, not ${JSON.stringify(stack)}. Nothing was changed.\n`,
    );
    return false;
}

/** Judges the preview of the protection-lifting update; true if it is safe to apply. */
function previewIsSafe(stdout: string, io: RetireIo): boolean {
    try {
        const verdict = evaluatePlan(parsePreview(stdout), { allowProtectionOff: true });
        io.out(formatVerdict(verdict));
        return verdict.ok;
    } catch (error) {
        if (!(error instanceof PreviewInputError)) throw error;
        io.err(`retire: cannot read the preview: ${error.message}\n`);
        return false;
    }
}

/** Runs the retirement for `argv` (without node and the script); returns the exit code. */
export function retire(argv: readonly string[], io: RetireIo): Promise<number> {
    const lines = {
        out: (line: string) => io.out(`${line}\n`),
        err: (l: string) => io.err(`${l}\n`),
    };
    return runTool(SPEC, argv, lines, async () => {
        const { values, positionals } = parseCommandLine(argv, {
            yes: { type: "boolean" },
            "dry-run": { type: "boolean" },
        });
        const stack = knownStack(stackArgument(positionals[0]), REPO_ROOT);
        noMorePositionals(positionals, 1);
        const steps = retirementSteps(stack);
        if (booleanFlag(values, "dry-run")) {
            io.out(explain(stack, steps) + "Dry run: nothing was run.\n");
            return EXIT.ok;
        }
        return run(stack, steps, booleanFlag(values, "yes"), io);
    });
}

async function run(
    stack: string,
    steps: readonly RetirementStep[],
    yes: boolean,
    io: RetireIo,
): Promise<number> {
    const version = await io.run("pulumi", ["version"], { capture: true });
    if (version.notFound) throw new PulumiMissing("nothing was changed");
    if (version.code !== 0) {
        io.err(
            `retire: \`pulumi version\` exited ${version.code}: the Pulumi CLI does not work here. Nothing was changed.\n`,
        );
        return EXIT.failed;
    }
    io.out(explain(stack, steps));
    if (!(await confirmed(stack, yes, io))) return EXIT.failed;

    for (const step of steps) {
        const line = commandLine(step.args);
        io.out(`\n$ ${line}\n`);
        const result = await io.run("pulumi", step.args, { capture: step.guard === true });
        if (result.code !== 0) {
            io.err(`retire: \`${line}\` failed (exit ${result.code}). ${step.ifFails}\n`);
            return EXIT.failed;
        }
        if (step.guard && !previewIsSafe(result.stdout, io)) {
            io.err(
                `retire: stopped before \`pulumi up\`: the update would change more than protection (see above). ${step.ifFails}\n`,
            );
            return EXIT.failed;
        }
    }
    io.out(
        `\nStack "${stack}" is retired: both clusters and everything else are deleted. ` +
            `Its history remains; \`pulumi stack rm ${stack}\` removes the stack itself.\n`,
    );
    return EXIT.ok;
}

/** Runs `command` from the repository root; stdout is captured or shown. */
const runCommand: CommandRunner = (command, args, { capture }) =>
    new Promise((resolve) => {
        const child = spawn(command, args, {
            cwd: REPO_ROOT,
            stdio: ["inherit", capture ? "pipe" : "inherit", "inherit"],
        });
        let stdout = "";
        child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.on("error", (error: NodeJS.ErrnoException) =>
            resolve({ code: 127, stdout, notFound: error.code === "ENOENT" }),
        );
        child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
    });

async function ask(question: string): Promise<string> {
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    try {
        return await terminal.question(question);
    } finally {
        terminal.close();
    }
}

if (require.main === module) {
    void retire(process.argv.slice(2), {
        run: runCommand,
        ask,
        interactive: process.stdin.isTTY === true,
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
    }).then(exitWhenDrained);
}
