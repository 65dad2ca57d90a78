import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../tools/stack-config";
import { SCENARIOS } from "../../tools/verdict-scenarios";

const exec = promisify(execFile);

/** Runs the offline plan as a user would, in its own process. */
async function plan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await exec(
            process.execPath,
            ["--import", "tsx", path.join(REPO_ROOT, "tools", "plan.ts"), ...args],
            { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
        );
        return { code: 0, stdout, stderr };
    } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
}

interface JsonPlan {
    resources: {
        type: string;
        name: string;
        region: string;
        protect: boolean;
        inputs: Record<string, unknown>;
    }[];
    figures: {
        timeToDetect: { scenario: string; failures: number; worstCaseSeconds?: number }[];
        monthlyCost: { totalUsd: number; goalUsd: number };
    };
}

/** Keys an operator changes routinely; none of them may touch a cluster or a peering. */
const ORDINARY_CHANGES = [
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

describe("offline plan", () => {
    let text: Awaited<ReturnType<typeof plan>>;
    let bad: Awaited<ReturnType<typeof plan>>;
    let base: JsonPlan;
    let changed: JsonPlan;
    let before_: string[];

    before(async () => {
        before_ = fingerprint();
        const [t, b, j1, j2] = await Promise.all([
            plan("--stack", "dev"),
            plan("dev", "--set", "witnessRegion=us-west-1"),
            plan("dev", "--json"),
            plan("dev", "--json", ...ORDINARY_CHANGES),
        ]);
        text = t;
        bad = b;
        assert.equal(j1.code, 0, j1.stderr);
        assert.equal(j2.code, 0, j2.stderr);
        base = JSON.parse(j1.stdout);
        changed = JSON.parse(j2.stdout);
    });

    it("prints the dev inventory by region, the simulated time to detect of every row, and the cost", () => {
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, /^us-east-1 — \d+ resources$/m);
        assert.match(text.stdout, /^us-east-2 — \d+ resources$/m);
        assert.match(text.stdout, /aws:dsql\/cluster:Cluster {2}dsql-primary/);
        assert.match(text.stdout, /witness: us-west-2/);
        assert.match(text.stdout, /schedule: rate\(2 minutes\)/);
        assert.match(text.stdout, /Allow dsql:GetCluster on arn:aws:dsql:us-east-1:/);
        assert.match(text.stdout, /no reserved concurrency/, "config 0 is shown as what it means");
        assert.match(text.stdout, /^Time to detect, simulated \(\d+ runs per row/m);
        assert.match(
            text.stdout,
            /cluster A refuses SQL, persistently +primary down from primary, secondary +\d+ s +\d+ s +360 s {2}ok$/m,
        );
        assert.match(
            text.stdout,
            /only B's path to A broken.* none +- +- +- {2}ok \(no page in any run\)$/m,
        );
        assert.match(text.stdout, /^ {2}total +goal ≤ 10\.00 \(standard profile\) +\d+\.\d\d$/m);
    });

    it("plays every row of the verdict table without a wrong or a missing page", () => {
        assert.deepEqual(
            base.figures.timeToDetect.map((row) => row.scenario),
            SCENARIOS.map((s) => s.id),
        );
        for (const row of base.figures.timeToDetect) assert.equal(row.failures, 0, row.scenario);
    });

    it("rewrites no tracked file (a plan prints; npm run docs regenerates)", () => {
        assert.deepEqual(fingerprint(), before_);
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
            p.resources.find((r) => r.type === "aws:cloudwatch/eventRule:EventRule")!.inputs;
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

        it("refuses an unknown option with the usage", async () => {
            const r = await plan("dev", "--stak", "prod");
            assert.equal(r.code, 2);
            assert.match(r.stderr, /Unknown option '--stak'[\s\S]*usage: npm run plan/);
        });

        it("keeps an alert endpoint's integration key out of the plan, text and JSON", async () => {
            const key = "PlanSecretIntegrationKey0123456789";
            const endpoints = JSON.stringify([
                `https://events.pagerduty.com/integration/${key}/enqueue`,
            ]);
            const [text, json] = await Promise.all([
                plan("dev", "--set", `alertHttpsEndpoints=${endpoints}`),
                plan("dev", "--json", "--set", `alertHttpsEndpoints=${endpoints}`),
            ]);
            assert.equal(text.code, 0, text.stderr);
            assert.equal(json.code, 0, json.stderr);
            assert.match(text.stdout, /https:\[secret\]/, "the subscriptions are listed");
            for (const out of [text.stdout, json.stdout]) assert.ok(!out.includes(key));
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
