/**
 * The stack outputs the operator commands act on (infra/index.ts exports them), read from
 * `pulumi stack output --json` or from a file, and checked before anything is called: their
 * shape, and that they are the named stack's (stackName).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { CLUSTER_ROLES, type ClusterRole } from "../../monitor-function/src/contract";
import { bareStackName } from "./args";
import { Refusal, shown } from "./errors";
import { isNotFound, PulumiMissing } from "./pulumi-cli";

export type ByRole<T> = Readonly<Record<ClusterRole, T>>;

/** Paging composite alarms of one monitoring cell (keyed by the observer's role). */
export interface PagingAlarmNames {
    /** Absent when the stack does not probe the data plane (dataPlaneProbe false). */
    readonly clusterDown: Partial<ByRole<string>>;
    readonly consistency?: string;
    readonly peering: string;
    readonly monitor: string;
}

/** The outputs these commands use; the program exports more (dashboards, functions…). */
export interface StackOutputs {
    /** The stack and account the outputs describe; deployments before they existed lack them. */
    readonly stackName?: string;
    readonly accountId?: string;
    readonly regions: ByRole<string>;
    readonly witnessRegion: string;
    readonly clusterIdentifiers: ByRole<string>;
    readonly clusterArns: ByRole<string>;
    readonly alertTopicArns: ByRole<string>;
    readonly pagingAlarms: ByRole<PagingAlarmNames>;
    readonly suppressorAlarms: ByRole<string>;
    readonly maintenanceParameters: ByRole<string>;
    /** FIS experiment template id per target cluster; only the fault drill needs them. */
    readonly drillTemplates?: ByRole<string>;
}

const BY_ROLE_KEYS = [
    "regions",
    "clusterIdentifiers",
    "clusterArns",
    "alertTopicArns",
    "suppressorAlarms",
    "maintenanceParameters",
] as const;

/** `value` as StackOutputs, or a refusal listing every missing or malformed key. */
export function parseStackOutputs(value: unknown, source: string): StackOutputs {
    const problems: string[] = [];
    const outputs = (typeof value === "object" && value !== null ? value : {}) as Record<
        string,
        any
    >;
    const text = (found: unknown, key: string, optional = false) => {
        if (optional && found === undefined) return;
        if (typeof found !== "string" || found === "") {
            problems.push(`${key}: expected a non-empty string, found ${JSON.stringify(found)}`);
        }
    };
    text(outputs.witnessRegion, "witnessRegion");
    text(outputs.stackName, "stackName", true);
    if (outputs.accountId !== undefined && !/^\d{12}$/.test(String(outputs.accountId))) {
        problems.push(
            `accountId: expected a 12-digit AWS account id, found ${JSON.stringify(outputs.accountId).slice(0, 40)}`,
        );
    }
    for (const key of BY_ROLE_KEYS) {
        for (const role of CLUSTER_ROLES) text(outputs[key]?.[role], `${key}.${role}`);
    }
    if (outputs.drillTemplates !== undefined) {
        for (const role of CLUSTER_ROLES) {
            text(outputs.drillTemplates[role], `drillTemplates.${role}`);
        }
    }
    for (const observer of CLUSTER_ROLES) {
        const cell = outputs.pagingAlarms?.[observer];
        const key = `pagingAlarms.${observer}`;
        for (const role of CLUSTER_ROLES) {
            text(cell?.clusterDown?.[role], `${key}.clusterDown.${role}`, true);
        }
        text(cell?.consistency, `${key}.consistency`, true);
        text(cell?.peering, `${key}.peering`);
        text(cell?.monitor, `${key}.monitor`);
    }
    if (problems.length > 0) {
        throw new Refusal(
            `${source} does not hold this program's stack outputs:\n  ${problems.join("\n  ")}`,
        );
    }
    return outputs as StackOutputs;
}

/** Runs the pulumi CLI with `args` and resolves with its standard output. */
export type PulumiRunner = (args: string[]) => Promise<string>;

const runPulumi: PulumiRunner = async (args) =>
    (await promisify(execFile)("pulumi", args, { maxBuffer: 16 * 1024 * 1024 })).stdout;

function parseJson(text: string, source: string): unknown {
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new Refusal(`${source} is not JSON: ${(error as Error).message}`, { cause: error });
    }
}

/** The outputs of `stack`: from `file` when given, else from the pulumi CLI. */
export async function readStackOutputs(
    stack: string,
    file: string | undefined,
    pulumi: PulumiRunner = runPulumi,
): Promise<StackOutputs> {
    if (file !== undefined) {
        const source = `--outputs ${file}`;
        let text: string;
        try {
            text = await readFile(file, "utf8");
        } catch (error) {
            throw new Refusal(`${source}: cannot read the file (${(error as Error).message})`, {
                cause: error,
            });
        }
        return parseStackOutputs(parseJson(text, source), source);
    }
    const args = ["stack", "output", "--json", "--stack", stack];
    let stdout: string;
    try {
        stdout = await pulumi(args);
    } catch (error) {
        const failure = error as NodeJS.ErrnoException & { stderr?: string };
        if (isNotFound(error)) {
            throw new PulumiMissing(
                `or pass --outputs <file> holding what \`pulumi ${args.join(" ")}\` prints`,
                { cause: error },
            );
        }
        const detail = (failure.stderr || failure.message).trim();
        throw new Refusal(`pulumi ${args.join(" ")} failed: ${detail}; or pass --outputs <file>`, {
            cause: error,
        });
    }
    return parseStackOutputs(parseJson(stdout, `pulumi stack output`), `stack ${stack}'s outputs`);
}

/**
 * The outputs must be the named stack's: a drill given dev's outputs for prod would inject
 * into dev's clusters. Outputs without stackName and accountId come from a deployment older
 * than this program: refused unless `allowUnverified` (then a warning), because nothing would
 * show they are the stack's, in the account the credentials reach. Returns the warnings.
 */
export function verifyOutputs(
    stack: string,
    outputs: StackOutputs,
    allowUnverified: boolean,
): string[] {
    const name = bareStackName(stack);
    if (outputs.stackName !== undefined && outputs.stackName !== name) {
        throw new Refusal(
            `the outputs are stack ${shown(outputs.stackName)}'s (their stackName), not "${name}"'s: ` +
                `pass the outputs of stack ${stack} (pulumi stack output --json --stack ${stack})`,
        );
    }
    const missing = (["stackName", "accountId"] as const).filter((k) => outputs[k] === undefined);
    if (missing.length === 0) return [];
    const older = `the outputs have no ${missing.join(" and no ")}: they come from a deployment older than this program`;
    if (!allowUnverified) {
        throw new Refusal(
            `${older}, so nothing shows they are stack ${stack}'s in the account your credentials reach. ` +
                `Run \`pulumi up --stack ${stack}\` first (it only adds these outputs), or pass ` +
                `--allow-unverified-outputs to act on them unchecked`,
        );
    }
    return [
        `${older}; --allow-unverified-outputs: acting on them without checking stack and account`,
    ];
}

/** One paging alarm, where it lives and what it pages about. */
export interface PagingAlarm {
    readonly name: string;
    readonly observer: ClusterRole;
    readonly region: string;
    readonly about: string;
}

/** Every paging alarm of both cells, observer by observer. */
export function pagingAlarms(outputs: StackOutputs): PagingAlarm[] {
    return CLUSTER_ROLES.flatMap((observer) => {
        const cell = outputs.pagingAlarms[observer];
        const region = outputs.regions[observer];
        const named: [string | undefined, string][] = [
            ...CLUSTER_ROLES.map((role): [string | undefined, string] => [
                cell.clusterDown[role],
                `${role} cluster down`,
            ]),
            [cell.consistency, "consistency"],
            [cell.peering, "peering"],
            [cell.monitor, "monitor"],
        ];
        return named
            .filter((entry): entry is [string, string] => entry[0] !== undefined)
            .map(([name, about]) => ({ name, observer, region, about }));
    });
}

/** What a fault drill into one cluster needs from the outputs. */
export interface DrillTarget {
    readonly templates: ByRole<string>;
    /** The pages it must raise: "<cluster> down" from both cells. */
    readonly expected: ReadonlySet<string>;
}

/** The drill's templates and expected pages, or a refusal naming what the outputs lack. */
export function drillTarget(outputs: StackOutputs, cluster: ClusterRole): DrillTarget {
    const problems: string[] = [];
    if (outputs.drillTemplates === undefined) {
        problems.push("drillTemplates: the stack exports no FIS experiment templates");
    }
    for (const observer of CLUSTER_ROLES) {
        if (outputs.pagingAlarms[observer].clusterDown[cluster] === undefined) {
            problems.push(
                `pagingAlarms.${observer}.clusterDown.${cluster}: no "${cluster} cluster down" page in ${outputs.regions[observer]}; it exists only when the stack probes the data plane`,
            );
        }
    }
    if (problems.length > 0) {
        throw new Refusal(
            `the stack cannot run a fault drill into the ${cluster} cluster:\n  ${problems.join("\n  ")}`,
        );
    }
    return {
        templates: outputs.drillTemplates!,
        expected: new Set(
            CLUSTER_ROLES.map((observer) => outputs.pagingAlarms[observer].clusterDown[cluster]!),
        ),
    };
}
