import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const exec = promisify(execFile);
const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const VALIDATOR = path.join(REPO_ROOT, "node_modules", "@action-validator", "cli", "cli.mjs");

/** Exit code of the GitHub workflow validator on `file`. */
async function validate(file: string): Promise<{ code: number; output: string }> {
    try {
        const { stdout, stderr } = await exec(process.execPath, [VALIDATOR, file]);
        return { code: 0, output: stdout + stderr };
    } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, output: e.stdout + e.stderr };
    }
}

const workflow = (name: string) => parse(readFileSync(path.join(WORKFLOWS, name), "utf8"));

/** A step before `before` previews the stack as JSON and feeds it to the preview guard. */
function assertGuardedBefore(steps: any[], before: number) {
    const guard = steps.findIndex((s: any) => /preview-guard -- preview\.json/.test(s.run ?? ""));
    assert.ok(guard >= 0 && guard < before, "the preview guard runs before the change");
    assert.match(steps[guard].run, /pulumi preview .*--json > preview\.json/);
    assert.equal(steps[guard].shell, "bash", "bash's pipefail: a failing guard fails the step");
}

describe("GitHub workflows", () => {
    const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));

    it("has the pull-request, deploy and reusable deployment workflows", () => {
        assert.deepEqual(files.sort(), ["deploy.yml", "pull-request.yml", "pulumi-up.yml"]);
    });

    for (const file of files) {
        it(`${file} passes the workflow validator`, async () => {
            const result = await validate(path.join(WORKFLOWS, file));
            assert.equal(result.code, 0, result.output);
        });
    }

    it("the validator rejects a broken workflow (so a pass means something)", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "workflow-"));
        try {
            const broken = path.join(dir, "broken.yml");
            writeFileSync(
                broken,
                "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n        run: echo both\n",
            );
            assert.notEqual((await validate(broken)).code, 0);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("previews both stacks on pull requests with the policy pack and a PR comment, by OIDC", () => {
        const pr = workflow("pull-request.yml");
        const preview = pr.jobs.preview;
        assert.deepEqual(preview.strategy.matrix.stack, ["dev", "prod"]);
        assert.equal(preview.permissions["id-token"], "write");
        const pulumi = preview.steps.find((s: any) => s.with?.command === "preview");
        assert.equal(pulumi.uses, "pulumi/actions@v6");
        assert.equal(pulumi.with["comment-on-pr"], true);
        assert.equal(pulumi.with.policyPacks, "policy");
        const aws = preview.steps.find((s: any) =>
            String(s.uses).startsWith("aws-actions/configure-aws-credentials"),
        );
        assert.ok(aws.with["role-to-assume"], "assumes a role");
        assert.ok(!JSON.stringify(pr).includes("AWS_SECRET_ACCESS_KEY"), "no long-lived AWS keys");
        const test = pr.jobs.test.steps.map((s: any) => s.run ?? s.uses).join("\n");
        assert.match(test, /npm test/);
        for (const stack of ["dev", "prod"]) {
            assert.match(test, new RegExp(`plan -- ${stack} .*--json-file plan-${stack}\\.json`));
        }
        const artifact = pr.jobs.test.steps.find((s: any) =>
            String(s.uses).startsWith("actions/upload-artifact"),
        );
        assert.equal(artifact?.with.path, "plan-*.json");
        assert.equal(artifact.if, "always()", "kept when the gate fails");
    });

    it("fails a pull request whose plan misses its goals (plan --strict on both stacks)", () => {
        const steps = workflow("pull-request.yml").jobs.test.steps;
        const gate = steps.find((s: any) => /--strict/.test(s.run ?? ""));
        assert.ok(gate, "a step runs the plan with --strict");
        for (const stack of ["dev", "prod"]) {
            assert.match(gate.run, new RegExp(`plan -- ${stack} --strict`));
        }
        assert.equal(gate["continue-on-error"], undefined, "its failure fails the job");
        assert.equal(gate.if, undefined, "it always runs");
        assert.match(gate.run, /exit "\$status"$/m, "a stack that misses fails the step");
    });

    it("deploys dev on push to main, then prod through its protected environment, never two at once", () => {
        const deploy = workflow("deploy.yml");
        assert.deepEqual(deploy.on.push.branches, ["main"]);
        assert.equal(deploy.jobs.dev.with.stack, "dev");
        assert.equal(deploy.jobs.prod.with.stack, "prod");
        assert.equal(deploy.jobs.prod.needs, "dev");
        const up = workflow("pulumi-up.yml").jobs.up;
        assert.equal(up.environment, "${{ inputs.stack }}");
        assert.equal(up.concurrency.group, "deploy-${{ inputs.stack }}");
        assert.equal(up.concurrency["cancel-in-progress"], false);
        const pulumi = up.steps.find((s: any) => s.with?.command === "up");
        assert.equal(pulumi.with.policyPacks, "policy");
        assertGuardedBefore(up.steps, up.steps.indexOf(pulumi));
    });

    it("guards every pull request's plan against partial deletes and replacements of the pair", () => {
        const steps = workflow("pull-request.yml").jobs.preview.steps;
        assertGuardedBefore(steps, steps.length);
    });
});
