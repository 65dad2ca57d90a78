/**
 * Maintenance window for planned work: holds back every paging alarm of the stack in both
 * regions (their composites' actions suppressor), and lets it end by itself.
 *
 *   ./task maintenance <stack> on --for 30m [--reason text] [--outputs <file>]
 *   ./task maintenance <stack> off [--outputs <file>]
 *   ./task maintenance <stack> status [--outputs <file>]
 *
 * Exit codes: 0 done; 1 an AWS call failed; 2 refused (arguments, outputs, credentials).
 */
import { MAX_MAINTENANCE_SECONDS } from "../monitor-function/src/contract";
import {
    choiceFlag,
    durationFlag,
    noMorePositionals,
    parseCommandLine,
    stackArgument,
    stringFlag,
} from "./operator/args";
import { runCommand, runMain, type CliContext } from "./operator/cli";
import { formatDuration } from "./operator/duration";
import { UsageError } from "./operator/errors";
import {
    maintenanceOff,
    maintenanceOn,
    maintenanceStatus,
    type MaintenanceContext,
} from "./operator/maintenance-commands";

const USAGE = `usage: ./task maintenance <stack> on --for 30m [--reason text] [--outputs <file>]
       ./task maintenance <stack> off [--outputs <file>]
       ./task maintenance <stack> status [--outputs <file>]`;

const FLAGS = {
    for: { type: "string" },
    reason: { type: "string" },
    outputs: { type: "string" },
} as const;

/** The window's length: required, and never past what the monitor honours. */
function windowLength(value: string | undefined): number {
    if (value === undefined) throw new UsageError("on needs --for <duration>, e.g. --for 30m");
    const seconds = durationFlag("--for", value, { min: 60, max: Number.MAX_SAFE_INTEGER })!;
    if (seconds > MAX_MAINTENANCE_SECONDS) {
        throw new UsageError(
            `--for ${value}: longer than the ${formatDuration(MAX_MAINTENANCE_SECONDS)} the monitor honours (MAX_MAINTENANCE_SECONDS); open a shorter window and renew it with "on" before it ends`,
        );
    }
    return seconds;
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
    return runCommand(ctx, USAGE, async () => {
        const { values, positionals } = parseCommandLine(argv, FLAGS);
        const stack = stackArgument(positionals[0]);
        const action = choiceFlag("<action>", positionals[1], ["on", "off", "status"]);
        noMorePositionals(positionals, 2);
        if (action !== "on") {
            const misplaced = ["for", "reason"].find((flag) => values[flag] !== undefined);
            if (misplaced) throw new UsageError(`--${misplaced} applies only to "on"`);
        }
        const seconds = action === "on" ? windowLength(stringFlag(values, "for")) : 0;
        const outputs = await ctx.readOutputs(stack, stringFlag(values, "outputs"));
        const command: MaintenanceContext = {
            stack,
            outputs,
            aws: ctx.awsClients(outputs),
            clock: ctx.clock,
            log: ctx.out,
            warn: ctx.err,
        };
        if (action === "on") {
            const reason = stringFlag(values, "reason") ?? "planned maintenance";
            await maintenanceOn(command, seconds, reason);
        } else if (action === "off") {
            await maintenanceOff(command);
        } else {
            await maintenanceStatus(command);
        }
        return 0;
    });
}

if (require.main === module) runMain(main);
