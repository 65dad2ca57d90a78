import assert from "node:assert/strict";
import { PROFILE_GOALS } from "../../tools/docs-gen/figures";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { profilePlan } from "../../tools/operator/profile-comparison";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";
import {
    FEATURE_SCENARIOS,
    isBackupRow,
    SCENARIOS,
} from "../../tools/simulation/verdict-scenarios";

const exec = promisify(execFile);

/** Runs the offline plan as a user would, in its own process. */
async function plan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await exec(
            process.execPath,
            ["--import", "tsx", path.join(REPO_ROOT, "tools", "cli", "plan.ts"), ...args],
            { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
        );
        return { code: 0, stdout, stderr };
    } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
}

interface JsonPlan {
    warnings: string[];
    config: { backup: { mode: string } };
    resources: {
        type: string;
        name: string;
        region: string;
        protect: boolean;
        inputs: Record<string, unknown>;
    }[];
    figures: {
        timeToDetect: {
            scenario: string;
            row: string;
            failures: number;
            worstCaseSeconds?: number;
            goalSeconds?: number;
        }[];
        monthlyCost: { totalUsd: number; goalUsd: number };
    };
}

/** What --strict must name, computed from the plan's JSON figures. */
function missedGoals(p: JsonPlan): string[] {
    const rows = p.figures.timeToDetect;
    return [
        ...rows.filter((r) => r.failures > 0).map((r) => `"${r.row}": wrong or missing page`),
        ...rows
            .filter((r) => r.goalSeconds !== undefined && r.worstCaseSeconds! > r.goalSeconds)
            .map((r) => `"${r.row}": worst case ${r.worstCaseSeconds} s`),
        ...(p.figures.monthlyCost.totalUsd > p.figures.monthlyCost.goalUsd
            ? [`monthly cost USD ${p.figures.monthlyCost.totalUsd.toFixed(2)} is over`]
            : []),
    ];
}

/** Every line at most 100 characters (not bytes: "≤" and "—" are one column). */
const tooWide = (text: string) => text.split("\n").filter((line) => [...line].length > 100);

/** An alert endpoint whose integration key no plan may print. */
const SECRET_KEY = "PlanSecretIntegrationKey0123456789";
const SECRET_ENDPOINT = `alertHttpsEndpoints=${JSON.stringify([
    `https://events.pagerduty.com/integration/${SECRET_KEY}/enqueue`,
])}`;

/** Keys an operator changes routinely; none of them may touch a cluster or a peering. */
const ORDINARY_CHANGES = [
    "--set",
    SECRET_ENDPOINT,
    "--set",
    `tags=${JSON.stringify({ team: "storage", "cost-center": "dr" })}`,
    "--set",
    "monitoringSchedule=rate(5 minutes)",
    "--set",
    `alertEmail=${JSON.stringify(["a@example.com", "b@example.com"])}`,
    "--set",
    "datapointsToAlarm=3",
    "--set",
    "lambdaMemoryMb=512",
    "--set",
    "lambdaTimeoutSeconds=45",
    "--set",
    "probeTimeoutSeconds=8",
    "--set",
    "reservedConcurrency=2",
    "--set",
    "logRetentionDays=60",
    "--set",
    "databaseUser=admin",
    "--set",
    "drillPercentage=50",
    "--set",
    "runbookUrl=https://github.com/example/aurora-dsql-dr/blob/main/docs/runbook.md",
];

/** The files a plan must never rewrite. */
const TRACKED = [
    "README.md",
    "docs/architecture.md",
    "docs/architecture.prod.md",
    "monitor-function/benchmark.json",
];
const fingerprint = () =>
    TRACKED.map((f) =>
        createHash("sha256")
            .update(readFileSync(path.join(REPO_ROOT, f)))
            .digest("hex"),
    );

/** Where the dev plan writes its JSON document (--json-file) while it prints its text. */
const OUTPUT_DIR = mkdtempSync(path.join(tmpdir(), "plan-test-"));
const JSON_FILE = path.join(OUTPUT_DIR, "plan-dev.json");
after(() => rmSync(OUTPUT_DIR, { recursive: true, force: true }));

describe("offline plan", () => {
    let text: Awaited<ReturnType<typeof plan>>;
    let prod: Awaited<ReturnType<typeof plan>>;
    let bad: Awaited<ReturnType<typeof plan>>;
    let slow: Awaited<ReturnType<typeof plan>>;
    let base: JsonPlan;
    let changed: JsonPlan;
    let changedOutput: Awaited<ReturnType<typeof plan>>;
    let before_: string[];

    before(async () => {
        before_ = fingerprint();
        // The text, its --strict verdict and the JSON document from one run, as CI runs it.
        const [t, p, b, s, j2] = await Promise.all([
            plan("--stack", "dev", "--strict", "--json-file", JSON_FILE),
            // With an alert endpoint, whose key the text must not show.
            plan("prod", "--strict", "--set", SECRET_ENDPOINT),
            plan("dev", "--set", "witnessRegion=us-west-1"),
            // A schedule too slow for the standard profile's 360 s "cluster down" goal.
            plan("dev", "--json", "--strict", "--set", "monitoringSchedule=rate(10 minutes)"),
            plan("dev", "--json", ...ORDINARY_CHANGES),
        ]);
        [text, prod, bad, slow, changedOutput] = [t, p, b, s, j2];
        assert.equal(j2.code, 0, j2.stderr);
        base = JSON.parse(readFileSync(JSON_FILE, "utf8"));
        changed = JSON.parse(j2.stdout);
    });

    it("prints the dev inventory by region, the simulated time to detect of every row, and the cost", () => {
        assert.match(text.stdout, /^us-east-1 — \d+ resources$/m);
        assert.match(text.stdout, /^us-east-2 — \d+ resources$/m);
        assert.match(text.stdout, /aws:dsql\/cluster:Cluster {2}dsql-primary/);
        assert.match(text.stdout, /witness: us-west-2/);
        assert.match(text.stdout, /schedule: rate\(2 minutes\)/);
        assert.match(text.stdout, /Allow dsql:GetCluster on\s+arn:aws:dsql:us-east-1:/);
        assert.match(text.stdout, /no reserved concurrency/, "config 0 is shown as what it means");
        assert.match(text.stdout, /^Time to detect, simulated \(\d+ runs per row/m);
        assert.match(
            text.stdout,
            /^ {2}cluster A refuses SQL, persistently +\d+ s +\d+ s +360 s ok\n {6}pages: primary down from primary, secondary$/m,
        );
        assert.match(
            text.stdout,
            /^ {2}only B's path to A broken, A fine and replicating +- +- +- no page$/m,
        );
        assert.match(
            text.stdout,
            new RegExp(
                `^ {2}total +budget ≤ ${PROFILE_GOALS.standard.monthlyUsd.toFixed(2).replace(".", "\\.")} \\(standard profile\\)(: OVER BUDGET)? +\\d+\\.\\d\\d$`,
                "m",
            ),
        );
    });

    it("writes the JSON document to --json-file in the run that prints the text", () => {
        assert.match(text.stdout, /^Offline plan of stack "dev"/);
        assert.deepEqual(Object.keys(base), Object.keys(changed), "the --json document");
        const total = base.figures.monthlyCost.totalUsd.toFixed(2);
        assert.match(text.stdout, new RegExp(`^  total .* ${total.replace(".", "\\.")}$`, "m"));
    });

    it("keeps every line of the dev and prod plans within 100 columns", () => {
        for (const [stack, run] of [
            ["dev", text],
            ["prod", prod],
        ] as const) {
            assert.match(run.stdout, /^Monthly cost/m, `${stack}: the whole plan was printed`);
            assert.deepEqual(tooWide(run.stdout), [], stack);
        }
    });

    it("--strict exits 1 naming every row over its goal and a cost over budget, as the figures say", () => {
        const missed = missedGoals(base);
        assert.equal(text.code, missed.length > 0 ? 1 : 0, text.stderr);
        for (const reason of missed) assert.ok(text.stderr.includes(reason), reason);
        assert.equal(prod.code, 0, prod.stderr);
        assert.equal(prod.stderr.includes("--strict"), false);
    });

    it("--strict fails a stack whose schedule is too slow for its goals, naming the rows", () => {
        assert.equal(slow.code, 1);
        const figures = JSON.parse(slow.stdout) as JsonPlan;
        const over = missedGoals(figures).filter((r) => r.includes("worst case"));
        assert.ok(over.length > 0, "the simulation puts rows over their goal");
        assert.match(slow.stderr, /^plan --strict: stack dev misses its goals:$/m);
        assert.match(
            slow.stderr,
            /"cluster A refuses SQL, persistently": worst case \d+ s to the first page, over its 360 s goal/,
        );
        for (const reason of over) assert.ok(slow.stderr.includes(reason), reason);
    });

    it("warns that a relative runbookUrl gives pages an unclickable link, and not an absolute one", () => {
        assert.match(
            text.stdout,
            /^ {2}WARNING: runbookUrl is the repository path docs\/runbook\.md/m,
        );
        assert.ok(
            base.warnings.some((w) =>
                w.startsWith("runbookUrl is the repository path docs/runbook.md"),
            ),
        );
        assert.deepEqual(
            changed.warnings.filter((w) => w.startsWith("runbookUrl")),
            [],
        );
    });

    it("plays every row of the verdict table, and the feature rows dev has, without a wrong or a missing page", () => {
        // dev backs up nothing: the backup rows do not apply; the AWS Health rows do.
        assert.equal(base.config.backup.mode, "off");
        assert.deepEqual(
            base.figures.timeToDetect.map((row) => row.scenario),
            [...SCENARIOS, ...FEATURE_SCENARIOS.filter((s) => !isBackupRow(s))].map((s) => s.id),
        );
        for (const row of base.figures.timeToDetect) assert.equal(row.failures, 0, row.scenario);
    });

    it("gives ./task profiles what it reads from a plan: every row and the cost", () => {
        const read = profilePlan("standard", base);
        assert.deepEqual(read.rows, base.figures.timeToDetect);
        assert.equal(read.totalUsd, base.figures.monthlyCost.totalUsd);
        assert.equal(read.budgetUsd, base.figures.monthlyCost.goalUsd);
    });

    it("rewrites no tracked file (a plan prints; npm run docs regenerates)", () => {
        assert.deepEqual(fingerprint(), before_);
    });

    it("keeps an alert endpoint's integration key out of the plan, text and JSON", () => {
        assert.match(prod.stdout, /endpoint: https:\[secret\]/, "the subscriptions are listed");
        for (const out of [prod.stdout, prod.stderr, changedOutput.stdout, changedOutput.stderr]) {
            assert.ok(!out.includes(SECRET_KEY));
        }
        const subscriptions = changed.resources.filter(
            (r) => r.type === "aws:sns/topicSubscription:TopicSubscription",
        );
        assert.ok(
            subscriptions.some((r) => r.inputs.protocol === "https"),
            "the JSON plan declares the endpoint's subscriptions",
        );
    });

    it("fails a bad stack config with the validation message and a non-zero exit", () => {
        assert.equal(bad.code, 1);
        assert.match(
            bad.stderr,
            /aurora-dsql-dr:witnessRegion = "us-west-1": not an Aurora DSQL multi-region region/,
        );
        assert.equal(bad.stdout, "");
    });

    it("changes no cluster or peering input on an ordinary config change", () => {
        const stateful = (p: JsonPlan) =>
            p.resources
                .filter(
                    (r) =>
                        r.type === "aws:dsql/cluster:Cluster" ||
                        r.type === "aws:dsql/clusterPeering:ClusterPeering",
                )
                .map((r) => ({
                    type: r.type,
                    name: r.name,
                    region: r.region,
                    protect: r.protect,
                    inputs: r.inputs,
                }));
        assert.equal(stateful(base).length, 4);
        assert.deepEqual(stateful(changed), stateful(base));
        // The change did reach the rest of the stack, so the comparison is not vacuous.
        const schedule = (p: JsonPlan) =>
            p.resources.find(
                (r) =>
                    r.type === "aws:cloudwatch/eventRule:EventRule" &&
                    r.inputs.scheduleExpression !== undefined,
            )!.inputs;
        assert.notDeepEqual(schedule(changed), schedule(base));
    });

    describe("command line", () => {
        it("names the stacks there are when asked for one that is not", async () => {
            const r = await plan("staging");
            assert.equal(r.code, 2);
            assert.match(
                r.stderr,
                /unknown stack "staging": no Pulumi\.staging\.yaml; stacks of this project: dev, prod/,
            );
        });

        it("refuses two stacks at once instead of ignoring one", async () => {
            const r = await plan("dev", "prod");
            assert.equal(r.code, 2);
            assert.match(r.stderr, /one stack at a time: got dev, prod/);
        });

        it("refuses an unknown option in one line, naming the closest, and hints at --help", async () => {
            const r = await plan("dev", "--stak", "prod");
            assert.equal(r.code, 2);
            assert.equal(
                r.stderr,
                'plan: unknown flag "--stak"; did you mean --stack? (flags: --stack, --json, --json-file, --strict, --set)\n' +
                    'Run "./task plan --help" for usage.\n',
            );
        });

        it("refuses a --json-file whose folder does not exist before planning anything", async () => {
            const missing = path.join(OUTPUT_DIR, "no-such-folder", "plan.json");
            const r = await plan("dev", "--json-file", missing);
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            assert.match(
                r.stderr,
                new RegExp(
                    `^plan: --json-file ".*plan\\.json": no folder ".*no-such-folder" to write it in\n`,
                ),
            );
        });

        it("names the closest setting for a mistyped --set key", async () => {
            const r = await plan("dev", "--set", "monitoringSchedle=rate(1 minute)");
            assert.equal(r.code, 1);
            assert.match(
                r.stderr,
                /aurora-dsql-dr:monitoringSchedle = "rate\(1 minute\)": not a setting of this program; did you mean monitoringSchedule\?/,
            );
        });
    });
});
