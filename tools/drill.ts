/**
 * DR drill. Injects an Aurora DSQL connection failure into one cluster with AWS FIS and
 * proves that both regions page "that cluster is down", and nothing else, within the
 * simulated bound, then that every page clears; or, with --paging-path, that a page
 * reaches each alert topic's subscribers, without a fault. Writes an evidence report.
 *
 *   ./task drill <stack> --cluster primary|secondary [--duration 10m] [--percentage 100]
 *       [--notify page|suppress] [--out drills/] [--outputs <file>] [--dry-run]
 *       [--poll 5s] [--suppress-timeout 10m] [--recovery-timeout 15m]
 *   ./task drill <stack> --paging-path [--out drills/] [--outputs <file>] [--dry-run]
 *       [--poll 5s] [--recovery-timeout 15m] [--delivery-timeout 10m]
 *
 * Exit codes: 0 passed; 1 failed (the report says why); 2 refused before changing anything.
 */
import { CLUSTER_ROLES } from "../monitor-function/src/contract";
import {
    booleanFlag,
    choiceFlag,
    durationFlag,
    integerFlag,
    noMorePositionals,
    parseCommandLine,
    stackArgument,
    stringFlag,
    type FlagValues,
} from "./operator/args";
import { runCommand, runMain, type CliContext } from "./operator/cli";
import { runDrill, type DrillOptions } from "./operator/drill-run";
import { drillPlan, pagingPathPlan } from "./operator/dry-run";
import { UsageError } from "./operator/errors";
import { drillTarget, type StackOutputs } from "./operator/outputs";
import { runPagingPath, type PagingPathOptions } from "./operator/paging-path";
import { writeReport, type Report } from "./operator/report";
import type { Refused, SessionContext } from "./operator/session";

const USAGE = `usage: ./task drill <stack> --cluster primary|secondary [--duration 10m] [--percentage 100]
           [--notify page|suppress] [--out drills/] [--outputs <file>] [--dry-run]
           [--poll 5s] [--suppress-timeout 10m] [--recovery-timeout 15m]
       ./task drill <stack> --paging-path [--out drills/] [--outputs <file>] [--dry-run]
           [--poll 5s] [--recovery-timeout 15m] [--delivery-timeout 10m]`;

const FLAGS = {
    cluster: { type: "string" },
    duration: { type: "string" },
    percentage: { type: "string" },
    notify: { type: "string" },
    out: { type: "string" },
    outputs: { type: "string" },
    "dry-run": { type: "boolean" },
    "paging-path": { type: "boolean" },
    poll: { type: "string" },
    "suppress-timeout": { type: "string" },
    "recovery-timeout": { type: "string" },
    "delivery-timeout": { type: "string" },
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

function pagingPathOptions(values: FlagValues): PagingPathOptions {
    const misplaced = DRILL_ONLY.find((flag) => values[flag] !== undefined);
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
    return runCommand(ctx, USAGE, async () => {
        const { values, positionals } = parseCommandLine(argv, FLAGS);
        const stack = stackArgument(positionals[0]);
        noMorePositionals(positionals, 1);
        return booleanFlag(values, "paging-path")
            ? checkPagingPath(ctx, stack, values)
            : faultDrill(ctx, stack, values);
    });
}

interface Command {
    readonly outputs: StackOutputs;
    readonly out: string;
    readonly dryRun: boolean;
    readonly session: Omit<SessionContext, "aws">;
}

async function command(ctx: CliContext, stack: string, values: FlagValues): Promise<Command> {
    const outputs = await ctx.readOutputs(stack, stringFlag(values, "outputs"));
    return {
        outputs,
        out: (stringFlag(values, "out") ?? "drills").replace(/\/+$/, "") || "/",
        dryRun: booleanFlag(values, "dry-run"),
        session: {
            stack,
            outputs,
            clock: ctx.clock,
            interrupts: ctx.interrupts,
            toolVersion: ctx.toolVersion(),
            log: ctx.out,
        },
    };
}

async function faultDrill(ctx: CliContext, stack: string, values: FlagValues): Promise<number> {
    const options = drillOptions(values);
    const { outputs, out, dryRun, session } = await command(ctx, stack, values);
    const target = drillTarget(outputs, options.cluster);
    if (dryRun) return plan(ctx, drillPlan(stack, outputs, options, target, out));
    const bound = await ctx.loadBound(stack);
    const aws = ctx.awsClients(outputs);
    return finish(ctx, out, await runDrill({ ...session, aws, target, bound }, options));
}

async function checkPagingPath(
    ctx: CliContext,
    stack: string,
    values: FlagValues,
): Promise<number> {
    const options = pagingPathOptions(values);
    const { outputs, out, dryRun, session } = await command(ctx, stack, values);
    if (dryRun) return plan(ctx, pagingPathPlan(stack, outputs, options, out));
    const aws = ctx.awsClients(outputs);
    return finish(ctx, out, await runPagingPath({ ...session, aws }, options));
}

function plan(ctx: CliContext, lines: string[]): number {
    lines.forEach((line) => ctx.out(line));
    return 0;
}

async function finish(ctx: CliContext, out: string, result: Refused | { report: Report }) {
    if ("refused" in result) return refuse(ctx, result);
    const { report } = result;
    const files = await writeReport(out, report);
    ctx.out(`${report.result.toUpperCase()}: report written to ${files.join(" and ")}`);
    report.reasons.forEach((reason) => ctx.out(`  - ${reason}`));
    return report.result === "pass" ? 0 : 1;
}

function refuse(ctx: CliContext, { refused, warnings }: Refused): number {
    warnings.forEach((w) => ctx.err(`warning: ${w}`));
    ctx.err("refused: the preflight found problems; nothing was changed:");
    refused.forEach((problem) => ctx.err(`  - ${problem}`));
    return 2;
}

if (require.main === module) runMain(main);
