/**
 * The drill's fault: an AWS FIS experiment template that injects
 * aws:dsql:cluster-connection-failure into one cluster, deployed by the stack.
 */
import {
    FisClient,
    GetExperimentCommand,
    GetExperimentTemplateCommand,
    ListExperimentsCommand,
    StartExperimentCommand,
    StopExperimentCommand,
    type StartExperimentCommandInput,
} from "@aws-sdk/client-fis";
import { Refusal } from "./errors";
import { parseIsoDuration } from "./duration";

/** https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#cluster-connection-failure */
export const CONNECTION_FAILURE = "aws:dsql:cluster-connection-failure";

/**
 * Experiment states (https://docs.aws.amazon.com/fis/latest/APIReference/API_ExperimentState.html):
 * pending | initiating | running | completed | stopping | stopped | failed | cancelled.
 * The last four are final; "cancelled" is missing from the SDK's enum but documented.
 */
const FINAL = ["completed", "stopped", "failed", "cancelled"];
export const isFinal = (status: string): boolean => FINAL.includes(status);

/** What the template injects, as deployed. */
export interface Fault {
    readonly templateId: string;
    readonly action: string;
    readonly durationSeconds: number;
    readonly percentage: number;
    readonly targetArns: readonly string[];
}

/**
 * The template's one action and its parameters. Duration and percentage are fixed in the
 * template when the stack is deployed: StartExperiment takes only the template id, a client
 * token, tags and (in newer API versions) experimentOptions.actionsMode, which can skip
 * actions but not change their parameters. So a run cannot override them; the drill
 * refuses a --duration or --percentage that differs instead of silently ignoring it.
 * https://docs.aws.amazon.com/fis/latest/APIReference/API_StartExperiment.html
 */
export async function readFault(fis: FisClient, templateId: string): Promise<Fault> {
    const { experimentTemplate: template } = await fis.send(
        new GetExperimentTemplateCommand({ id: templateId }),
    );
    const actions = Object.values(template?.actions ?? {});
    if (actions.length !== 1 || actions[0].actionId !== CONNECTION_FAILURE) {
        const found = actions.map((a) => a.actionId).join(", ") || "none";
        throw new Refusal(
            `experiment template ${templateId} should hold exactly one ${CONNECTION_FAILURE} action; it holds ${found}`,
        );
    }
    const { duration = "", percentage = "" } = actions[0].parameters ?? {};
    const durationSeconds = parseIsoDuration(duration);
    if (durationSeconds === undefined || !/^\d+$/.test(percentage)) {
        throw new Refusal(
            `experiment template ${templateId}: cannot read its duration "${duration}" and percentage "${percentage}"`,
        );
    }
    return {
        templateId,
        action: CONNECTION_FAILURE,
        durationSeconds,
        percentage: Number(percentage),
        targetArns: Object.values(template?.targets ?? {}).flatMap((t) => t.resourceArns ?? []),
    };
}

interface ExperimentSummary {
    readonly id: string;
    readonly templateId: string;
    readonly status: string;
}

/** Experiments of `templateIds` in this region that have not reached a final state. */
export async function unfinishedExperiments(
    fis: FisClient,
    templateIds: readonly string[],
): Promise<ExperimentSummary[]> {
    const found: ExperimentSummary[] = [];
    let nextToken: string | undefined;
    do {
        const page = await fis.send(new ListExperimentsCommand({ nextToken }));
        for (const e of page.experiments ?? []) {
            const status = e.state?.status ?? "unknown";
            if (templateIds.includes(e.experimentTemplateId ?? "") && !isFinal(status)) {
                found.push({ id: e.id!, templateId: e.experimentTemplateId!, status });
            }
        }
        nextToken = page.nextToken;
    } while (nextToken);
    return found;
}

/** The client token makes a retried StartExperiment start one experiment, not two. */
export function startInput(templateId: string, clientToken: string): StartExperimentCommandInput {
    return { experimentTemplateId: templateId, clientToken };
}

export async function startExperiment(
    fis: FisClient,
    input: StartExperimentCommandInput,
): Promise<string> {
    const { experiment } = await fis.send(new StartExperimentCommand(input));
    if (!experiment?.id) throw new Error("StartExperiment answered without an experiment id");
    return experiment.id;
}

export interface ExperimentState {
    readonly status: string;
    readonly reason?: string;
    /** When the action began injecting: FIS resolves targets first ("initiating"). */
    readonly actionStartedAt?: Date;
    /** When the action stopped injecting: the fault's end, before FIS completes the experiment. */
    readonly actionEndedAt?: Date;
    readonly endTime?: Date;
}

export async function experimentState(fis: FisClient, id: string): Promise<ExperimentState> {
    const { experiment } = await fis.send(new GetExperimentCommand({ id }));
    const actions = Object.values(experiment?.actions ?? {});
    const times = (pick: (a: (typeof actions)[number]) => Date | undefined) =>
        actions.map((a) => pick(a)?.getTime()).filter((t): t is number => t !== undefined);
    const started = times((a) => a.startTime);
    const ended = times((a) => a.endTime);
    return {
        status: experiment?.state?.status ?? "unknown",
        reason: experiment?.state?.reason,
        actionStartedAt: started.length > 0 ? new Date(Math.min(...started)) : undefined,
        actionEndedAt:
            actions.length > 0 && ended.length === actions.length
                ? new Date(Math.max(...ended))
                : undefined,
        endTime: experiment?.endTime,
    };
}

/**
 * Asks FIS to stop `id`; the experiment passes through "stopping" to "stopped".
 * https://docs.aws.amazon.com/fis/latest/APIReference/API_StopExperiment.html
 */
export async function stopExperiment(fis: FisClient, id: string): Promise<void> {
    await fis.send(new StopExperimentCommand({ id }));
}
