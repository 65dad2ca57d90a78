/**
 * DR drill. Injects an Aurora DSQL connection failure into one cluster with AWS FIS and
 * proves that both regions page "that cluster is down", and nothing else, within the
 * simulated bound, then that every page clears; or, with --paging-path, that a page
 * reaches each alert topic's subscribers, without a fault. Writes an evidence report.
 * Usage: HELP below (`./task drill --help`).
 */
import { CLUSTER_ROLES } from "../../monitor-function/src/contract";
import {
    booleanFlag,
    choiceFlag,
    durationFlag,
    integerFlag,
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
import { runDrill, type DrillOptions } from "../operator/drill-run";
import { drillPlan, pagingPathPlan } from "../operator/dry-run";
import { EXIT, UsageError } from "../operator/errors";
import { offlineNotice } from "../operator/call-plan";
import { drillTarget, type StackOutputs } from "../operator/outputs";
import { runPagingPath, type PagingPathOptions } from "../operator/paging-path";
import type { Report } from "../operator/report";
import { writeReport } from "../operator/report-files";
import {
    RESTORE_FLAGS,
    RESTORE_HELP,
    restoreOptions,
    runRestoreCommand,
} from "../operator/restore-command";
import type { Refused, SessionContext } from "../operator/session";
import { EXIT_CODES_HELP } from "../operator/tool";

const HELP = `usage: ./task drill <stack> --cluster primary|secondary [flags]
       ./task drill <stack> --paging-path [flags]
       ./task drill <stack> --restore [flags]

Fault drill: injects aws:dsql:cluster-connection-failure into one cluster with AWS FIS (the
stack's template), proves that both regions page "<cluster> down", and nothing else, within the
simulated bound, lets the experiment complete, waits for every page to clear, and writes an
evidence report (Markdown and JSON). --paging-path instead forces each region's monitor page
and proves delivery to the alert topics' subscribers, without a fault. --restore restores the
newest recovery point of a stack that backs up into a temporary cluster pair, proves it holds
the monitors' heartbeats and takes commits, measures RPO and RTO, and deletes what it made.

Fault drill flags:
  --cluster primary|secondary     the cluster to fail (required)
  --notify page|suppress          page (default): real pages go out; suppress: a maintenance
                                  window holds them back
  --duration 10m, --percentage N  must equal the template's (FIS fixes them when deployed)
  --suppress-timeout 10m          wait this long for the suppressors before injecting
Paging path flags:
  --delivery-timeout 10m          wait this long for AWS/SNS to show the delivery
${RESTORE_HELP}All:
  --dry-run                       print every AWS call it would make; make none
  --outputs <file>                the stack's outputs (pulumi stack output --json); without it
                                  the Pulumi CLI is asked, and a --dry-run plans offline from
                                  the program's own declaration, with <placeholders>
  --allow-unverified-outputs      accept outputs without stackName and accountId (a deployment
                                  older than this program); otherwise refused
  --out drills/                   where reports are written
  --poll 5s                       how often alarms and the experiment are read
  --recovery-timeout 15m          wait this long for every page to return to OK
  -h, --help                      this help

Before any other AWS call, sts:GetCallerIdentity must answer the stack's accountId.
${EXIT_CODES_HELP}
`;

const SPEC = { name: "drill", help: HELP };

const FLAGS = {
    cluster: { type: "string" },
    duration: { type: "string" },
    percentage: { type: "string" },
    notify: { type: "string" },
    out: { type: "string" },
    outputs: { type: "string" },
    "allow-unverified-outputs": { type: "boolean" },
    "dry-run": { type: "boolean" },
    "paging-path": { type: "boolean" },
    poll: { type: "string" },
    "suppress-timeout": { type: "string" },
    "recovery-timeout": { type: "string" },
    "delivery-timeout": { type: "string" },
    ...RESTORE_FLAGS,
} as const;

const DRILL_ONLY = ["cluster", "duration", "percentage", "notify", "suppress-timeout"];
const MINUTE = 60;
const HOUR = 3600;

function common(values: FlagValues) {
    return {
        pollSeconds:
            durationFlag("--poll", stringFlag(values, "poll"), { min: 1, max: MINUTE }) ?? 5,
        recoveryTimeoutSeconds:
            durationFlag("--recovery-timeout", stringFlag(values, "recovery-timeout"), {
                min: MINUTE,
                max: 6 * HOUR,
            }) ?? 15 * MINUTE,
    };
}

function drillOptions(values: FlagValues): DrillOptions {
    if (values["delivery-timeout"] !== undefined) {
        throw new UsageError("--delivery-timeout applies only to --paging-path");
    }
    const restoreOnly = RESTORE_ONLY.find((flag) => values[flag] !== undefined);
    if (restoreOnly !== undefined)
        throw new UsageError(`--${restoreOnly} applies only to --restore`);
    return {
        cluster: choiceFlag("--cluster", stringFlag(values, "cluster"), CLUSTER_ROLES),
        notify: choiceFlag("--notify", stringFlag(values, "notify"), ["page", "suppress"], "page"),
        // FIS bounds for aws:dsql:cluster-connection-failure: one minute to 12 hours, 1-100 %.
        durationSeconds: durationFlag("--duration", stringFlag(values, "duration"), {
            min: MINUTE,
            max: 12 * HOUR,
        }),
        percentage: integerFlag("--percentage", stringFlag(values, "percentage"), {
            min: 1,
            max: 100,
        }),
        suppressTimeoutSeconds:
            durationFlag("--suppress-timeout", stringFlag(values, "suppress-timeout"), {
                min: MINUTE,
                max: HOUR,
            }) ?? 10 * MINUTE,
        ...common(values),
    };
}

const RESTORE_ONLY = ["region", "single-region", "restore-timeout"];

function pagingPathOptions(values: FlagValues): PagingPathOptions {
    const misplaced = [...DRILL_ONLY, ...RESTORE_ONLY].find((flag) => values[flag] !== undefined);
    if (misplaced !== undefined) {
        throw new UsageError(
            `--${misplaced} does not apply to --paging-path, which injects no fault`,
        );
    }
    return {
        deliveryTimeoutSeconds:
            durationFlag("--delivery-timeout", stringFlag(values, "delivery-timeout"), {
                min: MINUTE,
                max: HOUR,
            }) ?? 10 * MINUTE,
        ...common(values),
    };
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
    return runCommand(ctx, SPEC, argv, async () => {
        const { values, positionals } = parseCommandLine(argv, FLAGS);
        const stack = knownStack(stackArgument(positionals[0]), REPO_ROOT);
        noMorePositionals(positionals, 1);
        if (booleanFlag(values, "paging-path") && booleanFlag(values, "restore"))
            throw new UsageError("--paging-path and --restore are two drills: choose one");
        if (booleanFlag(values, "restore")) return restore(ctx, stack, values);
        return booleanFlag(values, "paging-path")
            ? checkPagingPath(ctx, stack, values)
            : faultDrill(ctx, stack, values);
    });
}

interface Command {
    readonly stack: string;
    readonly outputs: StackOutputs;
    readonly offline: boolean;
    readonly out: string;
    readonly dryRun: boolean;
}

async function command(ctx: CliContext, stack: string, values: FlagValues): Promise<Command> {
    const { outputs, offline, dryRun } = await flaggedOutputs(ctx, stack, values);
    const out = (stringFlag(values, "out") ?? "drills").replace(/\/+$/, "") || "/";
    return { stack, outputs, offline, out, dryRun };
}

/** What a real run shares with its checks, once the caller is known to be in the stack's account. */
async function session(ctx: CliContext, c: Command): Promise<SessionContext> {
    const { aws, caller } = await connect(ctx, c.stack, c.outputs);
    return {
        stack: c.stack,
        outputs: c.outputs,
        aws,
        caller,
        clock: ctx.clock,
        interrupts: ctx.interrupts,
        toolVersion: ctx.toolVersion(),
        log: ctx.out,
    };
}

async function faultDrill(ctx: CliContext, stack: string, values: FlagValues): Promise<number> {
    const options = drillOptions(values);
    const c = await command(ctx, stack, values);
    const target = drillTarget(c.outputs, options.cluster);
    if (c.dryRun) return plan(ctx, c, drillPlan(stack, c.outputs, options, target, c.out));
    const run = await session(ctx, c);
    const bound = await ctx.loadBound(stack);
    return finish(ctx, c.out, await runDrill({ ...run, target, bound }, options));
}

async function checkPagingPath(
    ctx: CliContext,
    stack: string,
    values: FlagValues,
): Promise<number> {
    const options = pagingPathOptions(values);
    const c = await command(ctx, stack, values);
    if (c.dryRun) return plan(ctx, c, pagingPathPlan(stack, c.outputs, options, c.out));
    return finish(ctx, c.out, await runPagingPath(await session(ctx, c), options));
}

async function restore(ctx: CliContext, stack: string, values: FlagValues): Promise<number> {
    const options = restoreOptions(values, [
        ...DRILL_ONLY,
        "delivery-timeout",
        "poll",
        "recovery-timeout",
    ]);
    const c = await command(ctx, stack, values);
    const result = await runRestoreCommand(
        ctx,
        { stack, outputs: c.outputs, options },
        ctx.restore,
    );
    if ("lines" in result) return plan(ctx, c, result.lines);
    return finish(ctx, c.out, result);
}

function plan(ctx: CliContext, c: Command, lines: string[]): number {
    if (c.offline) offlineNotice(c.stack).forEach((line) => ctx.out(line));
    lines.forEach((line) => ctx.out(line));
    return EXIT.ok;
}

async function finish(ctx: CliContext, out: string, result: Refused | { report: Report }) {
    if ("refused" in result) return refuse(ctx, result);
    const { report } = result;
    const files = await writeReport(out, report);
    ctx.out(`${report.result.toUpperCase()}: report written to ${files.join(" and ")}`);
    report.reasons.forEach((reason) => ctx.out(`  - ${reason}`));
    return report.result === "pass" ? EXIT.ok : EXIT.failed;
}

function refuse(ctx: CliContext, { refused, warnings }: Refused): number {
    warnings.forEach((w) => ctx.err(`warning: ${w}`));
    ctx.err("drill: refused: the preflight found problems; nothing was changed:");
    refused.forEach((problem) => ctx.err(`  - ${problem}`));
    return EXIT.failed;
}

if (require.main === module) runMain(main);
