import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
    evaluatePlan,
    parsePreview,
    parseUrn,
    PreviewInputError,
    runGuard,
    type Finding,
    type Plan,
    type Verdict,
} from "../../tools/cli/preview-guard";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "preview");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

const PAIR = "urn:pulumi:{stack}::aurora-dsql-dr::aurora-dsql-dr:database:PeeredClusterPair$";
const clusterUrn = (stack: string, role: string) =>
    `${PAIR.replace("{stack}", stack)}aws:dsql/cluster:Cluster::dsql-${role}`;
const peeringUrn = (stack: string, role: string) =>
    `${PAIR.replace("{stack}", stack)}aws:dsql/clusterPeering:ClusterPeering::dsql-${role}-peering`;

/** Runs the guard's command line in-process on `input` (as stdin) or a fixture file. */
function guard(args: string[], stdin = ""): { code: number; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    const code = runGuard(args, {
        readInput: (source) =>
            source === "-" ? stdin : readFileSync(path.join(FIXTURES, source), "utf8"),
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
    });
    return { code, stdout, stderr };
}

const judge = (name: string, allowProtectionOff = false): Verdict =>
    evaluatePlan(parsePreview(fixture(name)), { allowProtectionOff });

/** The one violation for `urn`, checked to name the resource in the printed report too. */
function violationFor(verdict: Verdict, urn: string): Finding {
    const found = verdict.violations.filter((v) => v.urn === urn);
    assert.equal(found.length, 1, `one violation for ${urn}: ${JSON.stringify(verdict)}`);
    return found[0];
}

/** The printed report names the URN, the logical name, the operation and the rule. */
function assertReported(output: string, f: Finding) {
    assert.ok(output.includes(f.urn!), `report shows ${f.urn}`);
    assert.ok(output.includes(`${f.op} ${f.type} ${f.name} [${f.rule}]`), output);
    assert.ok(output.includes(`why: ${f.reason}`), output);
    assert.ok(output.includes(`do:  ${f.fix}`), output);
}

describe("preview guard: unsafe plans fail", () => {
    it("fails a plan that deletes one cluster of the pair", () => {
        const run = guard(["one-cluster-deleted.json"]);
        assert.equal(run.code, 1);
        const verdict = judge("one-cluster-deleted.json");
        assert.equal(verdict.ok, false);
        const v = violationFor(verdict, clusterUrn("dev", "secondary"));
        assert.equal(v.rule, "cluster-partial-delete");
        assert.equal(v.op, "delete");
        assert.match(v.reason, /dsql-secondary .*PENDING_DELETE until its peer is deleted/);
        assert.match(v.fix, /\.\/task retire dev/);
        assert.match(v.fix, /Never `pulumi destroy --target` one cluster/);
        assertReported(run.stdout, v);
        assert.match(run.stdout, /^preview-guard: FAIL \(stack dev\): 1 unsafe change/);
    });

    it("fails a plan that replaces one cluster, and the peering updates that come with it", () => {
        const run = guard(["one-cluster-replaced.json"]);
        assert.equal(run.code, 1);
        const verdict = judge("one-cluster-replaced.json");
        const v = violationFor(verdict, clusterUrn("dev", "primary"));
        assert.equal(v.rule, "cluster-replace");
        assert.match(v.reason, /because of multiRegionProperties/);
        assert.match(v.reason, /new, empty cluster/);
        assert.match(v.fix, /import it/);
        assertReported(run.stdout, v);
        assert.equal(violationFor(verdict, peeringUrn("dev", "primary")).rule, "peering-update");
        assert.equal(violationFor(verdict, peeringUrn("dev", "secondary")).rule, "peering-update");
    });

    // Replacing both clusters is a new, empty database under the old stack, with peerings
    // that would need an update they cannot take: only retire-then-deploy does that safely.
    it("fails a plan that replaces both clusters (a new database is not a change)", () => {
        const run = guard(["both-clusters-replaced.json"]);
        assert.equal(run.code, 1);
        const verdict = judge("both-clusters-replaced.json");
        for (const role of ["primary", "secondary"]) {
            const v = violationFor(verdict, clusterUrn("dev", role));
            assert.equal(v.rule, "cluster-replace");
            assert.match(v.fix, /retire it with \.\/task retire dev and deploy a new one/);
            assertReported(run.stdout, v);
        }
        assert.equal(verdict.retiresPair, false);
    });

    it("fails a plan that deletes a peering while the clusters stay", () => {
        const run = guard(["peering-deleted.json"]);
        assert.equal(run.code, 1);
        const v = violationFor(judge("peering-deleted.json"), peeringUrn("dev", "secondary"));
        assert.equal(v.rule, "peering-delete");
        assert.equal(v.op, "delete");
        assert.match(v.reason, /does nothing in AWS \(the clusters stay peered\)/);
        assertReported(run.stdout, v);
    });

    it("fails a plan that replaces a peering", () => {
        const run = guard(["peering-replaced.json"]);
        assert.equal(run.code, 1);
        const v = violationFor(judge("peering-replaced.json"), peeringUrn("dev", "primary"));
        assert.equal(v.rule, "peering-replace");
        assert.equal(v.op, "replace");
        assert.match(v.reason, /only while its cluster is PENDING_SETUP/);
        assert.match(v.fix, /pulumi import aws:dsql\/clusterPeering:ClusterPeering/);
        assertReported(run.stdout, v);
    });

    it("fails a plan that updates a peering", () => {
        const run = guard(["peering-updated.json"]);
        assert.equal(run.code, 1);
        const v = violationFor(judge("peering-updated.json"), peeringUrn("prod", "secondary"));
        assert.equal(v.rule, "peering-update");
        assert.equal(v.op, "update");
        assert.match(v.reason, /\(witnessRegion\): a ClusterPeering cannot be updated/);
        assertReported(run.stdout, v);
    });

    it("fails a pair deleted and created again under new names (rename without an alias)", () => {
        const verdict = judge("pair-renamed-without-alias.json");
        assert.equal(verdict.ok, false);
        assert.equal(verdict.retiresPair, false);
        for (const role of ["primary", "secondary"]) {
            const v = violationFor(verdict, clusterUrn("dev", role));
            assert.equal(v.rule, "cluster-recreate");
            assert.match(v.reason, /creates clusters database-primary, database-secondary/);
            assert.match(v.fix, /aliases/);
        }
    });

    it("fails a plan that lifts cluster protection outside retirement", () => {
        const run = guard(["protection-off.json"]);
        assert.equal(run.code, 1);
        const v = violationFor(judge("protection-off.json"), clusterUrn("prod", "primary"));
        assert.equal(v.rule, "cluster-protection-off");
        assert.match(v.reason, /deletionProtectionEnabled true → false\) and Pulumi protect/);
        assert.match(v.fix, /\.\/task retire prod/);
        assertReported(run.stdout, v);
    });

    it("fails closed on an operation it does not know, and on a preview that reported an error", () => {
        const plan = parsePreview(fixture("one-cluster-deleted.json"));
        const unknown = evaluatePlan({
            ...plan,
            steps: plan.steps.map((s) => ({ ...s, op: s.op === "delete" ? "teleport" : s.op })),
        });
        assert.equal(
            violationFor(unknown, clusterUrn("dev", "secondary")).rule,
            "unknown-operation",
        );

        const failed = parsePreview(
            JSON.stringify({
                steps: [],
                diagnostics: [
                    { message: "aws:dsql/cluster:Cluster error: boom\n", severity: "error" },
                ],
            }),
        );
        const verdict = evaluatePlan(failed);
        assert.equal(verdict.ok, false);
        assert.equal(verdict.violations[0].rule, "preview-error");
        assert.match(
            verdict.violations[0].reason,
            /incomplete: aws:dsql\/cluster:Cluster error: boom$/,
        );
    });
});

describe("preview guard: safe plans pass", () => {
    it("passes a destroy that deletes both clusters and their peerings together", () => {
        const run = guard(["destroy.json"]);
        assert.equal(run.code, 0, run.stdout);
        const verdict = judge("destroy.json");
        assert.equal(verdict.ok, true);
        assert.equal(verdict.retiresPair, true);
        assert.deepEqual(verdict.pairMembers.map((m) => `${m.name} ${m.change}`).sort(), [
            "dsql-primary delete",
            "dsql-primary-peering delete",
            "dsql-secondary delete",
            "dsql-secondary-peering delete",
        ]);
        assert.match(run.stdout, /OK \(stack dev\): the plan retires the pair/);
    });

    it("passes a plan that touches nothing", () => {
        const run = guard(["no-changes.json"]);
        assert.equal(run.code, 0);
        assert.match(run.stdout, /^preview-guard: OK \(stack prod\): no unsafe change/);
        assert.match(run.stdout, /Clusters and peerings changed: none\./);
    });

    it("passes monitoring-only changes (with a warning diagnostic)", () => {
        const run = guard(["monitoring-only.json"]);
        assert.equal(run.code, 0, run.stdout);
        assert.deepEqual(judge("monitoring-only.json").pairMembers, []);
    });

    it("passes in-place tag updates of both clusters", () => {
        const verdict = judge("cluster-tags-updated.json");
        assert.equal(verdict.ok, true);
        assert.deepEqual(
            verdict.pairMembers.map((m) => `${m.name} ${m.change}`),
            ["dsql-primary update", "dsql-secondary update"],
        );
    });

    it("passes lifting protection when retiring (--allow-protection-off)", () => {
        assert.equal(guard(["protection-off.json", "--allow-protection-off"]).code, 0);
    });
});

/** A cluster's state as both formats carry it (apitype.ResourceV3 / StepEventStateMetadata). */
function clusterState(stack: string, role: string, protect: boolean) {
    return {
        urn: clusterUrn(stack, role),
        type: "aws:dsql/cluster:Cluster",
        custom: true,
        id: `${role}abuhkzq4cjw5xyxmlq2v6ezi`.slice(0, 26),
        parent: PAIR.replace("{stack}", stack).replace(/\$$/, "::dsql"),
        ...(protect && { protect: true }),
        inputs: { deletionProtectionEnabled: protect, region: "us-east-1" },
    };
}

/** One `same` step of a cluster, in each format, with protect from `before` to `after`. */
function sameStep(format: "digest" | "events", before: boolean, after: boolean): Plan {
    const [old, now] = [
        clusterState("prod", "primary", before),
        clusterState("prod", "primary", after),
    ];
    if (format === "digest") {
        // pkg/display/json.go PreviewDigest: shouldShow keeps a `same` step when protect changed.
        return parsePreview(
            JSON.stringify({ steps: [{ op: "same", urn: old.urn, oldState: old, newState: now }] }),
        );
    }
    // sdk/go/common/apitype/events.go EngineEvent, ResourcePreEvent, StepEventMetadata.
    const metadata = {
        op: "same",
        urn: old.urn,
        type: old.type,
        old,
        new: now,
        detailedDiff: null,
        logical: true,
        provider: "",
    };
    return parsePreview(
        [
            { sequence: 1, timestamp: 1780478067, resourcePreEvent: { metadata, planning: true } },
            {
                sequence: 2,
                timestamp: 1780478068,
                summaryEvent: {
                    maybeCorrupt: false,
                    durationSeconds: 1,
                    resourceChanges: { same: 1 },
                    PolicyPacks: {},
                    isPreview: true,
                    result: "succeeded",
                },
            },
        ]
            .map((event) => JSON.stringify(event))
            .join("\n"),
    );
}

describe("preview guard: `same` steps", () => {
    const STREAM = "one-cluster-replaced.events.jsonl";

    it("fails a one-cluster replace in the engine's event stream, where the untouched peer is a `same` step", () => {
        const plan = parsePreview(fixture(STREAM));
        assert.equal(plan.format, "events");
        assert.deepEqual(
            plan.steps.filter((s) => s.urn === clusterUrn("dev", "secondary")).map((s) => s.op),
            ["same"],
            "the peer is in the stream, as `same`",
        );
        const verdict = evaluatePlan(plan);
        const v = violationFor(verdict, clusterUrn("dev", "primary"));
        assert.equal(v.rule, "cluster-replace");
        assert.equal(v.op, "create-replacement, replace, delete-replaced");
        assert.match(v.reason, /because of multiRegionProperties/);
        assert.equal(
            verdict.violations.filter((f) => f.urn === clusterUrn("dev", "secondary")).length,
            0,
            "the untouched peer is no violation",
        );
        const run = guard([STREAM]);
        assert.equal(run.code, 1);
        assertReported(run.stdout, v);
        assert.match(run.stdout, /dsql-primary replace/);
        assert.doesNotMatch(run.stdout, /dsql-secondary (none|same)/);
    });

    it("judges the stream as it judges the digest of the same preview, which has no step for the peer", () => {
        const digest = parsePreview(fixture("one-cluster-replaced.json"));
        assert.ok(!digest.steps.some((s) => s.urn === clusterUrn("dev", "secondary")));
        const rules = (plan: Plan) =>
            evaluatePlan(plan)
                .violations.map((v) => `${v.name} ${v.rule}`)
                .sort();
        assert.deepEqual(rules(parsePreview(fixture(STREAM))), rules(digest));
        assert.deepEqual(rules(digest), [
            "dsql-primary cluster-replace",
            "dsql-primary-peering peering-update",
            "dsql-secondary-peering peering-update",
        ]);
    });

    for (const format of ["digest", "events"] as const) {
        it(`a \`same\` cluster step changes nothing (${format})`, () => {
            const verdict = evaluatePlan(sameStep(format, true, true));
            assert.equal(verdict.ok, true);
            assert.deepEqual(verdict.pairMembers, []);
        });

        it(`a \`same\` cluster step that lifts Pulumi protect fails outside retirement (${format})`, () => {
            const plan = sameStep(format, true, false);
            const v = violationFor(evaluatePlan(plan), clusterUrn("prod", "primary"));
            assert.equal(v.rule, "cluster-protection-off");
            assert.equal(v.op, "same");
            assert.match(v.reason, /Pulumi protect/);
            assert.equal(evaluatePlan(plan, { allowProtectionOff: true }).ok, true);
        });
    }
});

describe("preview guard: reading pulumi's output", () => {
    it("skips policy-pack install text printed before the JSON", () => {
        const text = fixture("policy-install-preamble.stdout.txt");
        assert.match(text, /^Installing policy pack/);
        const plan = parsePreview(text);
        assert.equal(plan.format, "digest");
        assert.equal(plan.steps.length, 3);
        const run = guard(["-"], text);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /dsql-primary update, dsql-secondary update/);
    });

    it("reads an engine event stream (PULUMI_ENABLE_STREAMING_JSON_PREVIEW) and sees the untouched peer", () => {
        const plan = parsePreview(fixture("one-cluster-deleted.events.jsonl"));
        assert.equal(plan.format, "events");
        const v = violationFor(evaluatePlan(plan), clusterUrn("dev", "secondary"));
        assert.equal(v.rule, "cluster-partial-delete");
        assert.match(v.reason, /while its peer dsql-primary stays/);
    });

    it("folds the separate replacement steps (--show-replacement-steps) into one replace", () => {
        const plan = parsePreview(fixture("peering-replaced.json"));
        const steps = plan.steps.flatMap((s) =>
            s.op === "replace"
                ? [
                      { ...s, op: "create-replacement" },
                      { ...s, op: "replace" },
                      { ...s, op: "delete-replaced" },
                  ]
                : [s],
        );
        const verdict = evaluatePlan({ ...plan, steps });
        assert.equal(verdict.violations.length, 1);
        assert.equal(verdict.violations[0].op, "create-replacement, replace, delete-replaced");
    });

    it("takes the resource type from the last entry of the URN's type chain", () => {
        assert.deepEqual(parseUrn(clusterUrn("prod", "primary")), {
            stack: "prod",
            project: "aurora-dsql-dr",
            type: "aws:dsql/cluster:Cluster",
            parentTypes: ["aurora-dsql-dr:database:PeeredClusterPair"],
            name: "dsql-primary",
        });
        assert.throws(() => parseUrn("dsql-primary"), PreviewInputError);
    });

    it("refuses output cut short with a clear error and exit code 1", () => {
        const run = guard(["truncated.stdout.txt"]);
        assert.equal(run.code, 1);
        assert.equal(run.stdout, "");
        assert.match(
            run.stderr,
            /cannot judge truncated\.stdout\.txt: the JSON starting on line 1 never closes \(was the output cut short\?\); expected the output of `pulumi preview --json`/,
        );
    });

    it("rejects input that is not a preview, also in --json mode", () => {
        assert.match(guard(["-"], "").stderr, /no JSON document found/);
        assert.match(guard(["-"], '{"name": "x"}\n').stderr, /neither "steps" nor "changeSummary"/);
        assert.match(guard(["-"], '{"steps": [{"op": "delete"}]}').stderr, /steps\[0\] has no/);
        const events = fixture("one-cluster-deleted.events.jsonl").split("\n").slice(0, -2);
        assert.match(guard(["-"], events.join("\n")).stderr, /no summaryEvent/);
        const json = guard(["-", "--json"], "not json");
        assert.equal(json.code, 1);
        assert.equal(JSON.parse(json.stdout).verdict, "error");
    });

    it("writes the verdict as JSON with --json", () => {
        const run = guard(["one-cluster-deleted.json", "--json"]);
        assert.equal(run.code, 1);
        const out = JSON.parse(run.stdout);
        assert.equal(out.verdict, "fail");
        assert.deepEqual(out.stacks, ["dev"]);
        assert.equal(out.violations[0].urn, clusterUrn("dev", "secondary"));
        assert.equal(out.violations[0].name, "dsql-secondary");
        assert.equal(out.violations[0].rule, "cluster-partial-delete");
    });
});

describe("preview guard command", () => {
    /** Runs the guard as CI does, in its own process. */
    function cli(args: string[], stdin?: string): Promise<{ code: number; output: string }> {
        return new Promise((resolve) => {
            const child = execFile(
                process.execPath,
                [
                    "--import",
                    "tsx",
                    path.join(REPO_ROOT, "tools", "cli", "preview-guard.ts"),
                    ...args,
                ],
                { cwd: REPO_ROOT },
                (error, stdout, stderr) =>
                    resolve({
                        code: error ? (error.code as number) : 0,
                        output: stdout + stderr,
                    }),
            );
            child.stdin!.end(stdin ?? "");
        });
    }

    it("exits 1 on an unsafe plan or input it cannot judge, 0 on a safe one, 2 on a wrong command line", async () => {
        const [unsafe, safe, piped, bad, usage, help] = await Promise.all([
            cli([path.join(FIXTURES, "one-cluster-deleted.json")]),
            cli([path.join(FIXTURES, "destroy.json")]),
            cli(["-"], fixture("policy-install-preamble.stdout.txt")),
            cli(["-"], "Installing policy pack...\n{ not json"),
            cli([]),
            cli(["--help"]),
        ]);
        assert.equal(unsafe.code, 1, unsafe.output);
        assert.match(unsafe.output, /cluster-partial-delete/);
        assert.equal(safe.code, 0, safe.output);
        assert.equal(piped.code, 0, piped.output);
        assert.equal(bad.code, 1, bad.output);
        assert.match(bad.output, /^preview-guard: refused: cannot judge stdin/);
        assert.equal(usage.code, 2);
        assert.match(
            usage.output,
            /^preview-guard: missing the input: .*\nRun "\.\/task preview-guard --help" for usage\.\n$/,
        );
        assert.equal(help.code, 0);
        assert.match(help.output, /^usage: \.\/task preview-guard <preview\.json \| ->/);
    });
});
