/**
 * The fault drill's own preflight checks: its FIS template injects into the chosen cluster
 * as asked, its window fits what the monitor honours, and no experiment is under way.
 */
import { CLUSTER_ROLES, MAX_MAINTENANCE_SECONDS } from "../../monitor-function/src/contract";
import { type DrillContext, type DrillOptions, windowSeconds } from "./drill-options";
import { formatDuration } from "./duration";
import { readFault, unfinishedExperiments, type Fault } from "./experiment";
import { attempt } from "./preflight";

/**
 * The template must inject into this cluster, as asked, with no experiment under way. Adds
 * what is wrong to `problems`; returns the fault the template injects, when it could be read.
 */
export async function checkDrillFault(
    ctx: DrillContext,
    options: DrillOptions,
    problems: string[],
): Promise<Fault | undefined> {
    const { outputs } = ctx;
    const { cluster, durationSeconds, percentage, notify } = options;
    const region = outputs.regions[cluster];
    const templateId = ctx.target.templates[cluster];
    let read: Fault | undefined;
    await attempt(problems, `reading FIS template ${templateId} in ${region}`, async () => {
        const fault = await readFault(ctx.aws.in(region).fis, templateId);
        read = fault;
        const arn = outputs.clusterArns[cluster];
        if (fault.targetArns.length !== 1 || fault.targetArns[0] !== arn) {
            problems.push(
                `FIS template ${templateId} targets ${fault.targetArns.join(", ") || "no cluster ARN"}, not the ${cluster} cluster ${arn}`,
            );
        }
        const fixed =
            "it is fixed when the stack deploys the template (StartExperiment cannot override action parameters): run without the flag, or change the template in the stack and deploy";
        if (durationSeconds !== undefined && durationSeconds !== fault.durationSeconds) {
            problems.push(
                `--duration ${formatDuration(durationSeconds)}: template ${templateId} injects for ${formatDuration(fault.durationSeconds)}; ${fixed}`,
            );
        }
        if (percentage !== undefined && percentage !== fault.percentage) {
            problems.push(
                `--percentage ${percentage}: template ${templateId} injects into ${fault.percentage} % of calls; ${fixed}`,
            );
        }
        const window = windowSeconds(options, fault.durationSeconds);
        if (notify === "suppress" && window > MAX_MAINTENANCE_SECONDS) {
            problems.push(
                `--notify suppress needs a ${formatDuration(window)} window (suppress timeout + duration + stop + recovery timeout), longer than the ${formatDuration(MAX_MAINTENANCE_SECONDS)} the monitor honours: shorten --recovery-timeout`,
            );
        }
    });
    await checkNoExperiment(ctx, problems);
    return read;
}

/** No experiment of either cluster's template may be under way. */
async function checkNoExperiment(ctx: DrillContext, problems: string[]): Promise<void> {
    for (const role of CLUSTER_ROLES) {
        const region = ctx.outputs.regions[role];
        await attempt(problems, `listing FIS experiments in ${region}`, async () => {
            const fis = ctx.aws.in(region).fis;
            for (const e of await unfinishedExperiments(fis, [ctx.target.templates[role]])) {
                problems.push(
                    `experiment ${e.id} of template ${e.templateId} is ${e.status} in ${region}: let it end or stop it first`,
                );
            }
        });
    }
}
