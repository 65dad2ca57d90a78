/** `./task profiles`: one offline plan per detection profile, then the comparison. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { PROFILE_KEYS } from "../../infra/config/presets";
import { DETECTION_PROFILES } from "../../infra/detection";
import { booleanFlag, knownStack, oneStack, parseCommandLine, stringFlag } from "../operator/args";
import { REPO_ROOT } from "../testing/repo-root";
import { EXIT, UsageError } from "../operator/errors";
import {
    compareProfiles,
    comparisonText,
    profilePlan,
    type ProfilePlan,
} from "../operator/profile-comparison";
import { consoleIo } from "../operator/tool";

/** What a plan process left: its exit code and output. */
export interface PlanRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `./task plan` with `args` in its own process, as a user would. */
export type PlanRunner = (args: readonly string[]) => Promise<PlanRun>;

const PLAN = path.join(REPO_ROOT, "tools", "cli", "plan.ts");

export const spawnPlan: PlanRunner = (args) =>
    new Promise((resolve) =>
        execFile(
            process.execPath,
            ["--import", "tsx", PLAN, ...args],
            { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) =>
                resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        ),
    );

/** The keys a profile decides: a --set of one would compare something else than the profiles. */
const PROFILE_OWNED = ["detectionProfile", ...PROFILE_KEYS];

function profilesArguments(argv: readonly string[]) {
    const { values, positionals } = parseCommandLine(argv, {
        stack: { type: "string" },
        json: { type: "boolean" },
        set: { type: "string", multiple: true },
    });
    const sets = (values.set as string[] | undefined) ?? [];
    for (const pair of sets) {
        const key = pair.slice(0, Math.max(0, pair.indexOf("="))).replace(/^aurora-dsql-dr:/, "");
        if (PROFILE_OWNED.includes(key)) {
            throw new UsageError(
                `--set ${key}: each profile brings its own ${key}; compare with the profiles' values, or plan one with ./task plan --set`,
            );
        }
    }
    return {
        stack: knownStack(oneStack(stringFlag(values, "stack"), positionals), REPO_ROOT),
        json: booleanFlag(values, "json"),
        sets,
    };
}

/** The plan arguments of one profile: the profile, its own presets, then the user's sets. */
export const profileArguments = (stack: string, profile: string, sets: readonly string[]) => [
    stack,
    "--json",
    "--set",
    `detectionProfile=${profile}`,
    ...PROFILE_KEYS.flatMap((key) => ["--set", `${key}=`]),
    ...sets.flatMap((pair) => ["--set", pair]),
];

export async function profiles(
    argv: readonly string[],
    runPlan: PlanRunner = spawnPlan,
    io = consoleIo,
): Promise<number> {
    const { stack, json, sets } = profilesArguments(argv);
    const runs = await Promise.all(
        DETECTION_PROFILES.map((profile) => runPlan(profileArguments(stack, profile, sets))),
    );
    const failed = DETECTION_PROFILES.filter((_, i) => runs[i].code !== 0);
    if (failed.length > 0) {
        failed.forEach((profile) => {
            const run = runs[DETECTION_PROFILES.indexOf(profile)];
            io.err(`profiles: the plan of stack ${stack} with profile ${profile} failed:`);
            run.stderr
                .trimEnd()
                .split("\n")
                .forEach((line) => io.err(`  ${line}`));
        });
        return EXIT.failed;
    }
    const plans: ProfilePlan[] = DETECTION_PROFILES.map((profile, i) =>
        profilePlan(profile, JSON.parse(runs[i].stdout)),
    );
    const comparison = compareProfiles(plans);
    if (json) io.out(JSON.stringify({ stack, ...comparison }, null, 2));
    else comparisonText(stack, comparison).forEach((line) => io.out(line));
    return EXIT.ok;
}
