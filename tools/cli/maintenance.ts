/**
 * Maintenance window for planned work: holds back every paging alarm of the stack in both
 * regions (their composites' actions suppressor), and lets it end by itself.
 * Usage: HELP below (`./task maintenance --help`).
 */
import { MAX_MAINTENANCE_SECONDS } from "../../monitor-function/src/contract";
import {
    choiceFlag,
    durationFlag,
    knownStack,
    noMorePositionals,
    parseCommandLine,
    stackArgument,
    stringFlag,
    type FlagValues,
} from "../operator/args";
import {
    flaggedOutputs,
    connect,
    REPO_ROOT,
    runCommand,
    runMain,
    type CliContext,
} from "../operator/cli";
import { formatDuration } from "../operator/duration";
import { EXIT, UsageError } from "../operator/errors";
import {
    maintenanceOff,
    maintenanceOn,
    maintenanceStatus,
    type MaintenanceContext,
} from "../operator/maintenance-commands";
import { maintenancePlan, type MaintenanceAction } from "../operator/maintenance-plan";
import { offlineNotice } from "../operator/call-plan";
import { EXIT_CODES_HELP } from "../operator/tool";

const HELP = `usage: ./task maintenance <stack> on --for 30m [--reason text] [flags]
       ./task maintenance <stack> off [flags]
       ./task maintenance <stack> status [flags]

Maintenance window for planned work: holds back every paging alarm of the stack in both
regions, and ends by itself (never later than ${formatDuration(MAX_MAINTENANCE_SECONDS)} after it opened). on and off try every
region even when one fails, report each, and name the regions that are and are not in
maintenance.

Flags:
  --for 30m                       on: how long (1m to ${formatDuration(MAX_MAINTENANCE_SECONDS)}); renew with "on" before it ends
  --reason text                   on: why, shown by status and in the window
  --dry-run                       print every AWS call it would make; make none
  --outputs <file>                the stack's outputs (pulumi stack output --json); without it
                                  the Pulumi CLI is asked, and a --dry-run plans offline from
                                  the program's own declaration, with <placeholders>
  --allow-unverified-outputs      accept outputs without stackName and accountId (a deployment
                                  older than this program); otherwise refused
  -h, --help                      this help

Before any other AWS call, sts:GetCallerIdentity must answer the stack's accountId.
${EXIT_CODES_HELP}
A region that failed exits 1.
`;

const SPEC = { name: "maintenance", help: HELP };

const FLAGS = {
    for: { type: "string" },
    reason: { type: "string" },
    outputs: { type: "string" },
    "allow-unverified-outputs": { type: "boolean" },
    "dry-run": { type: "boolean" },
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

function request(positionals: string[], values: FlagValues) {
    const action: MaintenanceAction = choiceFlag("<action>", positionals[1], [
        "on",
        "off",
        "status",
    ]);
    noMorePositionals(positionals, 2);
    if (action !== "on") {
        const misplaced = ["for", "reason"].find((flag) => values[flag] !== undefined);
        if (misplaced) throw new UsageError(`--${misplaced} applies only to "on"`);
    }
    return {
        action,
        seconds: action === "on" ? windowLength(stringFlag(values, "for")) : 0,
        reason: stringFlag(values, "reason") ?? "planned maintenance",
    };
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
    return runCommand(ctx, SPEC, argv, async () => {
        const { values, positionals } = parseCommandLine(argv, FLAGS);
        const stack = knownStack(stackArgument(positionals[0]), REPO_ROOT);
        const asked = request(positionals, values);
        const { outputs, offline, dryRun } = await flaggedOutputs(ctx, stack, values);
        if (dryRun) {
            if (offline) offlineNotice(stack).forEach((line) => ctx.out(line));
            maintenancePlan(stack, outputs, asked).forEach((line) => ctx.out(line));
            return EXIT.ok;
        }
        const { aws, caller } = await connect(ctx, stack, outputs);
        const command: MaintenanceContext = {
            stack,
            outputs,
            aws,
            caller,
            clock: ctx.clock,
            log: ctx.out,
            warn: ctx.err,
        };
        if (asked.action === "on") return maintenanceOn(command, asked.seconds, asked.reason);
        if (asked.action === "off") return maintenanceOff(command);
        return maintenanceStatus(command);
    });
}

if (require.main === module) runMain(main);
