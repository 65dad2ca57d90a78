/**
 * A restore drill's dry run: every AWS call it would make, in order, with the inputs the real
 * run builds; what only the run knows (the recovery point, the job, the new clusters) is shown
 * as <placeholders>. Nothing is called.
 */
import { CLUSTER_ROLES } from "../../monitor-function/src/contract";
import { CallPlan } from "./call-plan";
import { formatDuration } from "./duration";
import { deleteCommands } from "./restore-cleanup";
import { drillTags } from "./restore-clusters";
import { restoreTarget, type RestoreDrillOptions, type RestoreOutputs } from "./restore-options";
import { startRestoreInput } from "./restore-job";
import { listInput, type UsablePoint } from "./restore-points";

export type RestorePlanStep =
    | {
          readonly kind: "call";
          readonly api: string;
          readonly region: string;
          readonly input?: unknown;
          readonly why?: string;
      }
    | { readonly kind: "section" | "loop"; readonly text: string };

const NEWEST: UsablePoint = {
    arn: "<newest recovery point ARN>",
    vault: "",
    region: "",
    resourceArn: "",
    createdAt: new Date(0),
    completedAt: new Date(0),
};

/** Collects steps; `call` takes what the real run sends. */
class Steps {
    readonly list: RestorePlanStep[] = [];
    call(api: string, region: string, input?: unknown, why?: string): void {
        this.list.push({ kind: "call", api, region, input, why });
    }
    section(text: string): void {
        this.list.push({ kind: "section", text });
    }
    loop(text: string): void {
        this.list.push({ kind: "loop", text });
    }
}

export function restorePlan(
    outputs: RestoreOutputs,
    options: RestoreDrillOptions,
): RestorePlanStep[] {
    const steps = new Steps();
    const role = options.region;
    const target = restoreTarget(outputs, options);
    const regions = target.peerRegion ? [target.region, target.peerRegion] : [target.region];
    const every = formatDuration(options.pollSeconds);

    steps.section("Find the recovery point:");
    const [peer] = CLUSTER_ROLES.filter((r) => r !== role);
    steps.call(
        "backup:ListRecoveryPointsByBackupVault",
        target.region,
        listInput(outputs.backupVaults[role], outputs.clusterArns[role]),
        "the newest COMPLETED one (every page); none: the drill fails, nothing is created",
    );
    if (target.topology === "pair") {
        steps.call(
            "backup:ListRecoveryPointsByBackupVault",
            target.peerRegion!,
            listInput(outputs.backupVaults[peer], outputs.clusterArns[role]),
            "its identical copy (same resource, same creation time); none: the drill fails",
        );
    }
    steps.section(
        target.topology === "pair"
            ? "Restore into a new, temporary pair:"
            : "Restore into a new, temporary single-Region cluster:",
    );
    steps.call(
        "backup:StartRestoreJob",
        target.region,
        startRestoreInput(NEWEST, outputs.backupRoleArn, target, "restore-drill-<start in ms>"),
    );
    steps.loop(
        `every ${every} for up to ${formatDuration(options.restoreTimeoutSeconds)}: backup:DescribeRestoreJob [${target.region}] {"RestoreJobId": "<restore job id>"}, until COMPLETED, FAILED or ABORTED`,
    );
    steps.call(
        "dsql:GetCluster",
        target.region,
        { identifier: "<CreatedResourceArn's identifier>" },
        target.topology === "pair" ? "its peer" : "whether it has peers (none expected)",
    );
    for (const region of regions) {
        steps.call("dsql:TagResource", region, {
            resourceArn: `<restored cluster in ${region}>`,
            tags: drillTags("<stack>", "<start>"),
        });
    }
    steps.loop(
        `every ${every} for up to ${formatDuration(options.activeTimeoutSeconds)}: dsql:GetCluster of each restored cluster, until ACTIVE`,
    );
    proofAndCleanup(steps, regions, options);
    return steps.list;
}

/** The data-plane proof (no AWS API call) and the deletes. */
function proofAndCleanup(steps: Steps, regions: string[], options: RestoreDrillOptions): void {
    steps.section(
        "Prove the data (no AWS API call: an IAM token is signed locally, dsql:DbConnectAdmin):",
    );
    for (const region of regions) {
        steps.loop(
            `connect as admin to the restored cluster in ${region}: the monitor's setup, then one heartbeat commit and read (bounded at ${formatDuration(options.proofTimeoutSeconds)})`,
        );
    }
    steps.section("Clean up (also after any failure):");
    for (const region of regions) {
        const identifier = `<restored cluster in ${region}>`;
        steps.call("dsql:GetCluster", region, { identifier });
        steps.call(
            "dsql:UpdateCluster",
            region,
            { identifier, deletionProtectionEnabled: false },
            "only if its deletion protection is on",
        );
        steps.call("dsql:DeleteCluster", region, { identifier });
    }
    const placeholder = { arn: "", region: "<region>", identifier: "<identifier>", endpoint: "" };
    steps.loop(
        `a cluster that cannot be deleted is reported with its commands: ${deleteCommands(placeholder).join("; ")}`,
    );
}

/** The steps as the command prints them, calls numbered. */
export function restorePlanLines(stack: string, steps: readonly RestorePlanStep[]): string[] {
    const plan = new CallPlan();
    plan.title(`Dry run: restore drill of stack ${stack}. No AWS call is made.`);
    for (const step of steps) {
        if (step.kind === "call") plan.call(step.api, step.region, step.input, step.why);
        else if (step.kind === "section") plan.section(step.text);
        else plan.loop(step.text);
    }
    return plan.lines;
}
