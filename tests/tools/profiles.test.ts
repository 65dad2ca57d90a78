import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROFILE_KEYS } from "../../infra/config/presets";
import { DETECTION_PROFILES } from "../../infra/detection";
import { profiles, type PlanRun } from "../../tools/cli/profiles-run";
import {
    compareProfiles,
    comparisonText,
    profilePlan,
    type PlannedRow,
    type ProfilePlan,
} from "../../tools/operator/profile-comparison";

const row = (scenario: string, worst?: number, goal?: number, failures = 0): PlannedRow => ({
    scenario,
    row: `row ${scenario}`,
    worstCaseSeconds: worst,
    goalSeconds: goal,
    failures,
});

/** A slow cheap profile and a fast dear one, as two plans of one stack would give them. */
const CHEAP: ProfilePlan = {
    profile: "standard",
    rows: [row("down", 331, 180), row("quiet"), row("same", 42, 120), row("dark", 316, 360)],
    totalUsd: 10.5,
    budgetUsd: 11,
};
const DEAR: ProfilePlan = {
    profile: "fast",
    rows: [row("down", 45, 60), row("quiet"), row("same", 42, 120), row("dark", 48, 90)],
    totalUsd: 19.5,
    budgetUsd: 20,
};

describe("detection profiles compared", () => {
    it("keeps the rows the profiles detect at different speeds, cheapest profile first", () => {
        const c = compareProfiles([DEAR, CHEAP]);
        assert.deepEqual(
            c.plans.map((p) => p.profile),
            ["standard", "fast"],
        );
        assert.deepEqual(
            c.rows.map((r) => [r.scenario, r.worstCaseSeconds]),
            [
                ["down", [331, 45]],
                ["dark", [316, 48]],
            ],
        );
    });

    it("prices what the dearer profile buys: seconds sooner, and per extra dollar a month", () => {
        const [t] = compareProfiles([CHEAP, DEAR]).tradeOffs;
        const extra = DEAR.totalUsd - CHEAP.totalUsd;
        assert.equal(t.extraUsd, extra);
        assert.deepEqual(t.rows, [
            { row: "row down", secondsSooner: 331 - 45, secondsPerUsd: (331 - 45) / extra },
            { row: "row dark", secondsSooner: 316 - 48, secondsPerUsd: (316 - 48) / extra },
        ]);
    });

    it("prints the table within 100 columns, a worst case over its goal marked", () => {
        const text = comparisonText("prod", compareProfiles([CHEAP, DEAR]));
        assert.deepEqual(
            text.filter((line) => [...line].length > 100),
            [],
        );
        assert.match(text.join("\n"), /row down +331 s \(over 180 s\) +45 s +286 s, 32 s\/USD/);
        assert.match(text.join("\n"), /row dark +316 s +48 s/);
        assert.match(
            text.join("\n"),
            /monthly cost, USD \(budget\) +10\.50 \(11\.00\) +19\.50 \(20\.00\) +\+9\.00/,
        );
        assert.doesNotMatch(text.join("\n"), /WRONG/);
    });

    it("names a profile whose plan pages wrongly", () => {
        const failing = { ...DEAR, rows: [...DEAR.rows, row("quiet-2", undefined, undefined, 3)] };
        const text = comparisonText("dev", compareProfiles([CHEAP, failing])).join("\n");
        assert.match(text, /WRONG OR MISSING PAGES in fast: "row quiet-2"/);
    });

    it("reads the plan's JSON document, and refuses one without figures", () => {
        const document = {
            figures: {
                timeToDetect: DEAR.rows,
                monthlyCost: { totalUsd: DEAR.totalUsd, goalUsd: DEAR.budgetUsd },
            },
        };
        assert.deepEqual(profilePlan("fast", document), DEAR);
        assert.throws(
            () => profilePlan("fast", { stack: "dev" }),
            /profile fast has no time-to-detect/,
        );
    });
});

describe("./task profiles", () => {
    const plansOf = (plans: Record<string, ProfilePlan>) => {
        const calls: (readonly string[])[] = [];
        const runner = async (args: readonly string[]): Promise<PlanRun> => {
            calls.push(args);
            const profile = /detectionProfile=(\w+)/.exec(args.join(" "))![1];
            const p = plans[profile];
            return {
                code: 0,
                stdout: JSON.stringify({
                    figures: {
                        timeToDetect: p.rows,
                        monthlyCost: { totalUsd: p.totalUsd, goalUsd: p.budgetUsd },
                    },
                }),
                stderr: "",
            };
        };
        return { calls, runner };
    };
    const io = () => {
        const out: string[] = [];
        const err: string[] = [];
        return {
            out,
            err,
            io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) },
        };
    };

    it("plans the stack once per profile, each with its own presets and the user's other keys", async () => {
        const { calls, runner } = plansOf({ standard: CHEAP, fast: DEAR });
        const o = io();
        const code = await profiles(["prod", "--set", "lambdaMemoryMb=512"], runner, o.io);
        assert.equal(code, 0, o.err.join("\n"));
        assert.equal(calls.length, DETECTION_PROFILES.length);
        for (const [i, profile] of DETECTION_PROFILES.entries()) {
            const args = calls[i];
            assert.deepEqual(args.slice(0, 2), ["prod", "--json"]);
            const sets = args.filter((_, j) => args[j - 1] === "--set");
            assert.deepEqual(sets, [
                `detectionProfile=${profile}`,
                ...PROFILE_KEYS.map((key) => `${key}=`),
                "lambdaMemoryMb=512",
            ]);
        }
        assert.match(o.out.join("\n"), /^Detection profiles on stack "prod"/);
    });

    it("prints the comparison as JSON with --json", async () => {
        const { runner } = plansOf({ standard: CHEAP, fast: DEAR });
        const o = io();
        assert.equal(await profiles(["dev", "--json"], runner, o.io), 0);
        const document = JSON.parse(o.out.join("\n"));
        assert.equal(document.stack, "dev");
        const expected = { stack: "dev", ...compareProfiles([CHEAP, DEAR]) };
        assert.deepEqual(document, JSON.parse(JSON.stringify(expected)));
    });

    it("exits 1 naming the profile whose plan failed, with the plan's own message", async () => {
        const o = io();
        const runner = async (args: readonly string[]): Promise<PlanRun> =>
            args.includes("detectionProfile=fast")
                ? { code: 1, stdout: "", stderr: 'aurora-dsql-dr:x = "y": not allowed\n' }
                : plansOf({ standard: CHEAP }).runner(args);
        assert.equal(await profiles(["dev"], runner, o.io), 1);
        assert.deepEqual(o.err, [
            "profiles: the plan of stack dev with profile fast failed:",
            '  aurora-dsql-dr:x = "y": not allowed',
        ]);
        assert.deepEqual(o.out, []);
    });

    it("refuses a key a profile decides, and a stack that does not exist", async () => {
        const { calls, runner } = plansOf({ standard: CHEAP, fast: DEAR });
        for (const key of ["detectionProfile", ...PROFILE_KEYS]) {
            await assert.rejects(
                profiles(["dev", "--set", `${key}=1`], runner, io().io),
                new RegExp(`--set ${key}: each profile brings its own ${key}`),
            );
        }
        await assert.rejects(profiles(["staging"], runner, io().io), /unknown stack "staging"/);
        assert.equal(calls.length, 0, "nothing planned");
    });
});
