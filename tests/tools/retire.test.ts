import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { retire, type CommandResult, type RetireIo } from "../../tools/cli/retire";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const preview = (name: string) =>
    readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "preview", name), "utf8");

const RETIREMENT = [
    "pulumi config set aurora-dsql-dr:deletionProtection false --stack prod",
    "pulumi preview --stack prod --json --policy-pack policy",
    "pulumi up --stack prod --yes --policy-pack policy",
    "pulumi destroy --stack prod --yes",
];

interface Script {
    /** Typed at the confirmation prompt; undefined = standard input is not a terminal. */
    typed?: string;
    /** Result per command line; any other command succeeds with no output. */
    results?: Record<string, Partial<CommandResult>>;
}

/** A scripted terminal and pulumi CLI that record what was asked and run. */
function scripted({ typed, results = {} }: Script) {
    const ran: string[] = [];
    const asked: string[] = [];
    let out = "";
    let err = "";
    const io: RetireIo = {
        interactive: typed !== undefined,
        ask: async (question) => {
            asked.push(question);
            return typed ?? "";
        },
        run: async (command, args, { capture }) => {
            const line = [command, ...args].join(" ");
            ran.push(line);
            const scriptedResult = results[line] ?? {};
            // The preview's JSON is read only if it was captured.
            assert.equal(capture, args[0] === "preview" || args[0] === "version", line);
            return { code: 0, stdout: "", ...scriptedResult };
        },
        out: (text) => (out += text),
        err: (text) => (err += text),
    };
    return { io, ran, asked, output: () => ({ out, err }) };
}

/** A safe preview of the protection-lifting update. */
const SAFE_PREVIEW = { [RETIREMENT[1]]: { stdout: preview("protection-off.json") } };

describe("retire", () => {
    it("runs config set, preview, up, then destroy, in that order, after a typed confirmation", async () => {
        const t = scripted({ typed: "prod", results: SAFE_PREVIEW });
        assert.equal(await retire(["prod"], t.io), 0, t.output().err);
        assert.deepEqual(t.ran, ["pulumi version", ...RETIREMENT]);
        assert.equal(t.asked.length, 1);
        assert.match(t.asked[0], /Type the stack name \(prod\)/);
        const { out } = t.output();
        assert.match(out, /BOTH Aurora DSQL clusters of the pair and ALL the data/);
        assert.match(out, /preview-guard: OK \(stack prod\)/);
        assert.match(out, /Stack "prod" is retired/);
        // The whole stack, as pulumi schedules it: no subset, no changed parallelism.
        assert.deepEqual(
            t.ran.filter((line) => /--target|--parallel/.test(line)),
            [],
        );
    });

    it("refuses when the typed name is not the stack, and runs nothing that changes anything", async () => {
        const t = scripted({ typed: "dev" });
        assert.equal(await retire(["prod", "--yes"], t.io), 1);
        assert.deepEqual(t.ran, ["pulumi version"]);
        assert.match(t.output().out, /At a terminal --yes does not skip the confirmation/);
        assert.match(t.output().err, /you typed "dev", not "prod"\. Nothing was changed\./);
    });

    it("without a terminal, needs --yes, and never asks", async () => {
        const refused = scripted({});
        assert.equal(await retire(["prod"], refused.io), 1);
        assert.deepEqual(refused.ran, ["pulumi version"]);
        assert.match(refused.output().err, /not a terminal.*Pass --yes/);

        const automated = scripted({ results: SAFE_PREVIEW });
        assert.equal(await retire(["prod", "--yes"], automated.io), 0);
        assert.deepEqual(automated.ran, ["pulumi version", ...RETIREMENT]);
        assert.deepEqual(automated.asked, []);
    });

    it("--dry-run prints the commands and runs nothing", async () => {
        const t = scripted({ typed: "prod" });
        assert.equal(await retire(["prod", "--dry-run"], t.io), 0);
        assert.deepEqual(t.ran, []);
        assert.deepEqual(t.asked, []);
        const { out } = t.output();
        let at = -1;
        for (const line of RETIREMENT) {
            const next = out.indexOf(line);
            assert.ok(next > at, `prints "${line}" after the previous command`);
            at = next;
        }
        assert.match(out, /Dry run: nothing was run\./);
    });

    it("stops before destroy when up fails", async () => {
        const t = scripted({
            typed: "prod",
            results: { ...SAFE_PREVIEW, [RETIREMENT[2]]: { code: 255 } },
        });
        assert.equal(await retire(["prod"], t.io), 1);
        assert.deepEqual(t.ran, ["pulumi version", ...RETIREMENT.slice(0, 3)]);
        assert.match(
            t.output().err,
            /`pulumi up --stack prod --yes --policy-pack policy` failed \(exit 255\)\. .*nothing was deleted/,
        );
    });

    it("stops before up when the preview would replace a cluster", async () => {
        const t = scripted({
            typed: "prod",
            results: { [RETIREMENT[1]]: { stdout: preview("one-cluster-replaced.json") } },
        });
        assert.equal(await retire(["prod"], t.io), 1);
        assert.deepEqual(t.ran, ["pulumi version", ...RETIREMENT.slice(0, 2)]);
        assert.match(t.output().out, /cluster-replace/);
        assert.match(t.output().err, /stopped before `pulumi up`/);
    });

    it("reads a preview that follows policy-pack install text", async () => {
        const t = scripted({
            results: { [RETIREMENT[1]]: { stdout: preview("policy-install-preamble.stdout.txt") } },
        });
        assert.equal(await retire(["prod", "--yes"], t.io), 0, t.output().err);
    });

    it("refuses clearly when the pulumi CLI is missing", async () => {
        const t = scripted({
            typed: "prod",
            results: { "pulumi version": { code: 127, notFound: true } },
        });
        assert.equal(await retire(["prod"], t.io), 1);
        assert.deepEqual(t.ran, ["pulumi version"]);
        assert.deepEqual(t.asked, []);
        assert.equal(
            t.output().err,
            'retire: refused: the Pulumi CLI ("pulumi") is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) and log in to the stack\'s backend; nothing was changed\n',
        );
    });

    it("--dry-run refuses a stack that has no stack file, naming the stacks there are", async () => {
        const t = scripted({ typed: "staging" });
        assert.equal(await retire(["staging", "--dry-run"], t.io), 2);
        assert.deepEqual(t.ran, []);
        assert.equal(t.output().out, "");
        assert.equal(
            t.output().err,
            'retire: unknown stack "staging": no Pulumi.staging.yaml; stacks of this project: dev, prod\n' +
                'Run "./task retire --help" for usage.\n',
        );
    });

    it("--help prints the usage and runs nothing", async () => {
        const t = scripted({ typed: "prod" });
        assert.equal(await retire(["prod", "--help"], t.io), 0);
        assert.deepEqual(t.ran, []);
        assert.match(t.output().out, /^usage: \.\/task retire <stack> \[--yes\] \[--dry-run\]\n/);
        assert.equal(t.output().err, "");
    });

    it("needs exactly one stack name, and says what is wrong in one line", async () => {
        for (const [args, message] of [
            [[], "missing <stack>: name the Pulumi stack, e.g. dev"],
            [["dev", "prod"], 'unexpected argument "prod"'],
            [["--yes"], "missing <stack>: name the Pulumi stack, e.g. dev"],
            [["prod", "--target", "x"], 'unknown flag "--target" (flags: --yes, --dry-run)'],
        ] as const) {
            const t = scripted({ typed: "prod" });
            assert.equal(await retire(args, t.io), 2, args.join(" "));
            assert.deepEqual(t.ran, []);
            assert.equal(
                t.output().err,
                `retire: ${message}\nRun "./task retire --help" for usage.\n`,
            );
        }
    });
});
