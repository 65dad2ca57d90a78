import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { main } from "../../tools/cli/drill";
import type { AwsClients } from "../../tools/operator/aws";
import type { CliContext } from "../../tools/operator/cli";
import { EXIT } from "../../tools/operator/errors";
import { readStackOutputs } from "../../tools/operator/outputs";
import { fakeAws, OUTPUTS, script, START } from "../support/restore-fakes";
import { virtualClock } from "../../tools/operator/clock";

const CALLER = "arn:aws:sts::123456789012:assumed-role/operator/alice";

/** Every directory the tests report into, removed at the end. */
const DIRS: string[] = [];
after(() => DIRS.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** `./task drill dev --restore <args>` with the restore's AWS faked; reports into a fresh directory. */
async function restore(args: string[], outputs: object = OUTPUTS) {
    const dir = mkdtempSync(path.join(tmpdir(), "restore-command-"));
    DIRS.push(dir);
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const reports = path.join(dir, "drills");
    const out: string[] = [];
    const err: string[] = [];
    const world = script();
    const aws = fakeAws(world);
    const clock = virtualClock(START);
    const stsCalls: string[] = [];
    const ctx: CliContext = {
        clock,
        interrupts: { subscribe: () => () => undefined },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        readOutputs: (stack, f) => readStackOutputs(stack, f),
        declaredOutputs: () => Promise.reject(new Error("tests pass --outputs")),
        awsClients: () =>
            ({
                sts: {
                    send: async (command: { constructor: { name: string } }) => {
                        stsCalls.push(command.constructor.name);
                        return { Account: "123456789012", Arn: CALLER };
                    },
                },
                in: () => {
                    throw new Error("the restore drill uses its own clients");
                },
            }) as unknown as AwsClients,
        loadBound: () => Promise.reject(new Error("a restore drill has no detection bound")),
        toolVersion: () => "abc1234",
        restore: {
            clients: async () => aws.clients,
            prove: () => async (cluster) => world.prove(cluster, clock),
        },
    };
    const code = await main(
        ["dev", "--restore", ...args, "--outputs", file, "--out", reports],
        ctx,
    );
    const files = (() => {
        try {
            return readdirSync(reports).map((f) => path.join(reports, f));
        } catch {
            return [];
        }
    })();
    return { code, out, err, files, calls: aws.calls, stsCalls };
}

describe("./task drill <stack> --restore", () => {
    it("runs the drill after checking the caller's account, and writes the evidence as JSON and Markdown", async () => {
        const run = await restore([]);
        assert.equal(run.code, EXIT.ok, [...run.out, ...run.err].join("\n"));
        assert.deepEqual(run.stsCalls, ["GetCallerIdentityCommand"]);
        assert.ok(run.calls.some((c) => c.api === "backup:StartRestoreJob"));
        const json = run.files.find((f) => f.endsWith(".json"))!;
        const md = run.files.find((f) => f.endsWith(".md"))!;
        assert.match(path.basename(json), /^dev-restore-primary-20261206T090000Z\.json$/);
        const report = JSON.parse(readFileSync(json, "utf8"));
        assert.equal(report.kind, "restore-drill");
        assert.equal(report.result, "pass");
        assert.equal(report.ranBy, CALLER);
        assert.equal(report.toolVersion, "abc1234");
        const markdown = readFileSync(md, "utf8");
        assert.match(markdown, /^# Restore drill of stack dev — PASS$/m);
        assert.match(markdown, new RegExp(`\\| RPO measured +\\| .*\\(${report.rpoSeconds} s\\)`));
        assert.match(markdown, new RegExp(`\\| RTO measured +\\| .*\\(${report.rtoSeconds} s\\)`));
        assert.match(run.out.at(-1)!, /^PASS: report written to .*\.json and .*\.md$/);
    });

    it("--dry-run prints every call and makes none, not even the caller check", async () => {
        const run = await restore(["--dry-run", "--single-region", "--region", "secondary"]);
        assert.equal(run.code, EXIT.ok);
        assert.deepEqual(run.calls, []);
        assert.deepEqual(run.stsCalls, []);
        assert.deepEqual(run.files, []);
        const text = run.out.join("\n");
        assert.match(text, /Dry run: restore drill of stack dev\. No AWS call is made\./);
        const secondary = OUTPUTS.regions.secondary;
        assert.match(text, new RegExp(`backup:StartRestoreJob \\[${secondary}\\]`));
        assert.match(text, /temporary single-Region cluster/);
        assert.doesNotMatch(text, /peerRegion/, "one cluster: no peer");
    });

    it("refuses a stack without backups before any call, naming the missing outputs", async () => {
        const withoutBackups: Record<string, unknown> = { ...OUTPUTS };
        delete withoutBackups.backupVaults;
        delete withoutBackups.backupRoleArn;
        const run = await restore([], withoutBackups);
        assert.equal(run.code, EXIT.failed);
        assert.deepEqual(run.stsCalls, []);
        assert.deepEqual(run.calls, []);
        assert.match(
            run.err.join("\n"),
            /backupVaults\.primary: the stack exports no backup vault/,
        );
    });

    it("refuses fault-drill flags with --restore, and --restore flags without it", async () => {
        const mixed = await restore(["--cluster", "primary"]);
        assert.equal(mixed.code, EXIT.usage);
        assert.match(mixed.err.join("\n"), /--cluster does not apply to --restore/);
        const both = await restore(["--paging-path"]);
        assert.equal(both.code, EXIT.usage);
        assert.match(both.err.join("\n"), /choose one/);
        const badRegion = await restore(["--region", "tertiary"]);
        assert.equal(badRegion.code, EXIT.usage);
        assert.match(badRegion.err.join("\n"), /--region/);
    });
});
