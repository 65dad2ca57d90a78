import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../tools/stack-config";

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
    figures: { timeToDetect: { worstCaseSeconds: number }[]; monthlyCost: { totalUsd: number } };
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
    "healthAlarmEvaluationPeriods=3",
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
    "dataPlaneProbe=false",
    "--set",
    "databaseUser=dr_monitor",
];

describe("offline plan", () => {
    let text: Awaited<ReturnType<typeof plan>>;
    let bad: Awaited<ReturnType<typeof plan>>;
    let base: JsonPlan;
    let changed: JsonPlan;

    before(async () => {
        const [t, b, j1, j2] = await Promise.all([
            plan("dev", "--no-diagram"),
            plan("dev", "--set", "witnessRegion=us-west-1"),
            plan("dev", "--json", "--no-diagram"),
            plan("dev", "--json", ...ORDINARY_CHANGES),
        ]);
        text = t;
        bad = b;
        assert.equal(j1.code, 0, j1.stderr);
        assert.equal(j2.code, 0, j2.stderr);
        base = JSON.parse(j1.stdout);
        changed = JSON.parse(j2.stdout);
    });

    it("prints the dev inventory by region with both figures", () => {
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, /^us-east-1 — \d+ resources$/m);
        assert.match(text.stdout, /^us-east-2 — \d+ resources$/m);
        assert.match(text.stdout, /aws:dsql\/cluster:Cluster {2}dsql-primary/);
        assert.match(text.stdout, /witness: us-west-2/);
        assert.match(text.stdout, /schedule: rate\(2 minutes\)/);
        assert.match(text.stdout, /Allow dsql:GetCluster on arn:aws:dsql:us-east-1:/);
        assert.match(
            text.stdout,
            /^ {2}us-east-1: \d+ s = schedule 120 s \+ probe bound 20 s \+ alarm evaluation 120 s$/m,
        );
        assert.match(text.stdout, /^ {2}total +\d+\.\d\d$/m);
    });

    it("fails a bad stack config with the validation message and a non-zero exit", () => {
        assert.equal(bad.code, 1);
        assert.match(
            bad.stderr,
            /aurora-dsql-dr:witnessRegion = "us-west-1": not an Aurora DSQL multi-region region/,
        );
        assert.equal(bad.stdout, "");
    });

    it("writes the full inventory as JSON", () => {
        assert.ok(base.resources.length > 50);
        assert.ok(base.resources.every((r) => r.type && r.name && r.inputs));
        assert.equal(base.figures.timeToDetect.length, 2);
        assert.ok(base.figures.monthlyCost.totalUsd > 0);
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
});
