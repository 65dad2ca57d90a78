/**
 * `./task drill <stack> --restore`: the restore drill from the command line. Reads its
 * flags, refuses a stack without backups before any call, plans offline with --dry-run, and
 * otherwise checks the caller's account, runs the drill (restore-drill.ts) and writes its
 * evidence report.
 */
import { CLUSTER_ROLES } from "../../monitor-function/src/contract";
import { booleanFlag, choiceFlag, durationFlag, stringFlag, type FlagValues } from "./args";
import { connect, type CliContext } from "./cli";
import { UsageError } from "./errors";
import type { StackOutputs } from "./outputs";
import type { RestoreReport } from "./report";
import type { RestoreClients } from "./restore-clients";
import { restoreDrill } from "./restore-drill";
import { checkRestoreOutputs, RESTORE_DEFAULTS, type RestoreDrillOptions } from "./restore-options";
import { restorePlanLines } from "./restore-plan";
import { REAL_RESTORE, type RestoreWiring } from "./restore-wiring";

/** The flags only the restore drill takes. */
export const RESTORE_FLAGS = {
    restore: { type: "boolean" },
    region: { type: "string" },
    "single-region": { type: "boolean" },
    "restore-timeout": { type: "string" },
} as const;

export const RESTORE_HELP = `Restore drill flags (--restore):
  --region primary|secondary      whose newest recovery point (default primary)
  --single-region                 restore one single-Region cluster instead of a peered pair
  --restore-timeout 4h            wait this long for the restore job (AWS publishes no bound)
`;

const MINUTE = 60;
const HOUR = 3600;

/** The drill's options from its flags; fault-drill flags are refused. */
export function restoreOptions(
    values: FlagValues,
    misplaced: readonly string[],
): RestoreDrillOptions {
    const wrong = misplaced.find((flag) => values[flag] !== undefined);
    if (wrong !== undefined) throw new UsageError(`--${wrong} does not apply to --restore`);
    return {
        ...RESTORE_DEFAULTS,
        region: choiceFlag("--region", stringFlag(values, "region"), CLUSTER_ROLES, "primary"),
        topology: booleanFlag(values, "single-region") ? "single" : "pair",
        dryRun: booleanFlag(values, "dry-run"),
        restoreTimeoutSeconds:
            durationFlag("--restore-timeout", stringFlag(values, "restore-timeout"), {
                min: 10 * MINUTE,
                max: 24 * HOUR,
            }) ?? RESTORE_DEFAULTS.restoreTimeoutSeconds,
    };
}

/** A dry run's lines, or the report of a real run. */
export async function runRestoreCommand(
    ctx: CliContext,
    run: {
        readonly stack: string;
        readonly outputs: StackOutputs;
        readonly options: RestoreDrillOptions;
    },
    wiring: RestoreWiring = REAL_RESTORE,
): Promise<{ lines: string[] } | { report: RestoreReport }> {
    const outputs = checkRestoreOutputs(run.outputs);
    if (run.options.dryRun) {
        const result = await restoreDrill({
            stack: run.stack,
            outputs,
            options: run.options,
            ranBy: "<caller>",
            clients: unreachable,
            clock: ctx.clock,
            prove: () => Promise.reject(new Error("a dry run proves nothing")),
        });
        if (result.kind !== "dry-run") throw new Error("a dry run ran the drill");
        return { lines: restorePlanLines(run.stack, result.steps) };
    }
    const { caller } = await connect(ctx, run.stack, outputs);
    const abort = new AbortController();
    const unsubscribe = ctx.interrupts.subscribe(() => {
        ctx.out("interrupted: stopping, deleting what the drill created");
        abort.abort();
    });
    try {
        const evidence = await restoreDrill({
            stack: run.stack,
            outputs,
            options: run.options,
            ranBy: caller,
            clients: await wiring.clients(),
            clock: ctx.clock,
            prove: wiring.prove(run.options.proofTimeoutSeconds * 1000, () => ctx.clock.now()),
            signal: abort.signal,
        });
        if (evidence.kind !== "restore-drill") throw new Error("the drill returned a plan");
        return { report: { ...evidence, toolVersion: ctx.toolVersion() } };
    } finally {
        unsubscribe();
    }
}

/** A dry run makes no call: any attempt is a bug. */
const unreachable: RestoreClients = {
    backup: () => {
        throw new Error("a dry run calls no AWS Backup API");
    },
    dsql: () => {
        throw new Error("a dry run calls no Aurora DSQL API");
    },
};
