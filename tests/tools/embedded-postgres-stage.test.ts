import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
    chmodSync,
    copyFileSync,
    existsSync,
    linkSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readlinkSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import {
    packageClosure,
    stagedEmbeddedPostgres,
    START_ATTEMPTS,
    startPostgres,
} from "../../tools/testing/embedded-postgres";
import { templateDir } from "../../tools/testing/postgres-template";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

const exec = promisify(execFile);
const MODULES = path.join(REPO_ROOT, "node_modules");

/** What a checkout's test run does with PostgreSQL: start it, query it, stop it. */
const CHECK = `
import { startPostgres } from "./embedded-postgres";
(async () => {
    const postgres = await startPostgres("stage-check");
    const client = postgres.server.getPgClient("postgres", "127.0.0.1");
    await client.connect();
    const { rows } = await client.query("SELECT 1 AS ok");
    await client.end();
    await postgres.close();
    console.log("POSTGRES " + rows[0].ok);
})().catch((error) => {
    console.error(error);
    process.exit(1);
});
`;

/**
 * A checkout as CI makes one: a root-only `mktemp -d` folder holding the modules that
 * start PostgreSQL and a real copy (no links) of the packages they load.
 */
function checkout(parent: string, name: string): string {
    const dir = path.join(parent, name);
    mkdirSync(path.join(dir, "tools", "testing"), { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    for (const module of ["embedded-postgres.ts", "postgres-template.ts"]) {
        copyFileSync(
            path.join(REPO_ROOT, "tools", "testing", module),
            path.join(dir, "tools", "testing", module),
        );
    }
    writeFileSync(path.join(dir, "tools", "testing", "check.ts"), CHECK);
    for (const p of packageClosure(MODULES)) {
        if (p.path.includes("/node_modules/")) continue; // travels inside its parent
        linkTree(path.join(MODULES, p.path), path.join(dir, "node_modules", p.path));
    }
    return dir;
}

/**
 * Copies a package as hard links: its files live at the checkout's own paths (so deleting
 * the checkout removes them from there) without copying 60 MB of binaries each time.
 */
function linkTree(from: string, to: string): void {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
        const source = path.join(from, entry.name);
        const target = path.join(to, entry.name);
        if (entry.isDirectory()) linkTree(source, target);
        else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
        else linkOrCopy(source, target);
    }
}

function linkOrCopy(source: string, target: string): void {
    try {
        linkSync(source, target);
    } catch {
        copyFileSync(source, target); // another file system
    }
}

/** Runs the checkout's PostgreSQL check in a fresh process with `stageParent` as TMPDIR. */
async function runCheck(dir: string, stageParent: string): Promise<string> {
    try {
        const { stdout } = await exec(
            process.execPath,
            ["--import", "tsx", path.join(dir, "tools", "testing", "check.ts")],
            {
                cwd: REPO_ROOT, // where tsx itself is installed
                env: {
                    ...process.env,
                    TMPDIR: stageParent,
                    AURORA_DSQL_DR_STAGE_POSTGRES: "always",
                },
                timeout: 60_000,
            },
        );
        return stdout.trim().split("\n").pop()!;
    } catch (error) {
        const e = error as { stderr?: string; message: string };
        return `failed: ${(e.stderr ?? e.message).split("\n").find((l) => /Error/.test(l)) ?? e.message}`;
    }
}

const stages = (parent: string) =>
    readdirSync(parent).filter((f) => f.startsWith("aurora-dsql-dr-postgres-"));

describe("staged PostgreSQL for root-only checkouts", () => {
    let work: string;
    /** A new stand-in for the system temp directory: world-writable and sticky, like /tmp. */
    const tempDir = (name: string) => {
        const dir = path.join(work, name);
        mkdirSync(dir, { mode: 0o1777 });
        chmodSync(dir, 0o1777);
        return dir;
    };

    before(() => {
        work = mkdtempSync(path.join(tmpdir(), "aurora-dsql-dr-stage-test-"));
        // The system temp directory is world-traversable; so is this stand-in for it.
        chmodSync(work, 0o755);
    });

    after(() => rmSync(work, { recursive: true, force: true }));

    it("outlives the checkout it was staged from: a later checkout still starts PostgreSQL", async () => {
        const stageParent = tempDir("tmp-outlives");
        const first = checkout(work, "first");
        assert.equal(await runCheck(first, stageParent), "POSTGRES 1");
        assert.equal(stages(stageParent).length, 1, "the first run staged the package");
        rmSync(first, { recursive: true, force: true });

        const second = checkout(work, "second");
        assert.equal(await runCheck(second, stageParent), "POSTGRES 1");
        rmSync(second, { recursive: true, force: true });
    });

    it("rebuilds a damaged stage instead of trusting it", async () => {
        const stageParent = tempDir("tmp-damaged");
        // The stage a checkout's run would make (same package set, so the same name).
        stagedEmbeddedPostgres(MODULES, stageParent);
        const [stage, ...others] = stages(stageParent);
        assert.ok(stage, "staged");
        assert.deepEqual(others, []);
        rmSync(path.join(stageParent, stage, "node_modules", "pg"), { recursive: true });
        const third = checkout(work, "third");
        assert.equal(await runCheck(third, stageParent), "POSTGRES 1");
        assert.ok(existsSync(path.join(stageParent, stage, "node_modules", "pg", "package.json")));
        assert.deepEqual(stages(stageParent), [stage], "rebuilt in place");
        rmSync(third, { recursive: true, force: true });
    });

    it("lets concurrent first runs share one stage without corrupting it", async () => {
        const fresh = tempDir("tmp-concurrent");
        const dirs = ["c1", "c2", "c3"].map((name) => checkout(work, name));
        const results = await Promise.all(dirs.map((dir) => runCheck(dir, fresh)));
        assert.deepEqual(results, ["POSTGRES 1", "POSTGRES 1", "POSTGRES 1"]);
        const left = readdirSync(fresh).filter((f) => f.startsWith("aurora-dsql-dr-postgres-"));
        assert.equal(left.length, 1, `one finished stage and no half-built ones: ${left}`);
        const templates = readdirSync(fresh).filter((f) => f.includes("-pg-template-"));
        assert.equal(templates.length, 1, `one data directory template: ${templates}`);
        assert.ok(existsSync(path.join(fresh, templates[0], "ready")));
    });
});

describe("starting PostgreSQL on a port taken before it binds it", () => {
    /** A loopback port held by another server (a parallel test's, say) until `release`. */
    async function takenPort(): Promise<{ port: number; holder: Server }> {
        const holder = createServer();
        await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
        return { port: (holder.address() as { port: number }).port, holder };
    }
    const freePort = async () => {
        const { port, holder } = await takenPort();
        await new Promise<void>((resolve) => holder.close(() => resolve()));
        return port;
    };

    it("starts on a fresh port instead, and answers there", { timeout: 60_000 }, async (t) => {
        const taken = await takenPort();
        t.after(() => taken.holder.close());
        const offered: number[] = [];
        const postgres = await startPostgres("retry-check", {
            port: async () => {
                offered.push(offered.length === 0 ? taken.port : await freePort());
                return offered.at(-1)!;
            },
        });
        t.after(() => postgres.close());
        assert.equal(offered.length, 2, "a second attempt after the taken port");
        assert.equal(postgres.port, offered[1]);
        const client = postgres.server.getPgClient("postgres", "127.0.0.1");
        await client.connect();
        const { rows } = await client.query("SELECT 1 AS ok");
        await client.end();
        assert.deepEqual(rows, [{ ok: 1 }]);
    });

    it("gives up after a few attempts, saying why", { timeout: 60_000 }, async (t) => {
        const taken = await takenPort();
        t.after(() => taken.holder.close());
        let offers = 0;
        await assert.rejects(
            startPostgres("retry-check", { port: async () => (offers++, taken.port) }),
            new RegExp(
                `did not start on port ${taken.port}: .*could not create any TCP/IP sockets`,
            ),
        );
        assert.equal(offers, START_ATTEMPTS);
    });
});

describe("fresh servers from one initdb", () => {
    /** Runs `statements` as the superuser on a server started with `password`; the last's rows. */
    async function onFreshServer(password: string, ...statements: string[]): Promise<unknown[]> {
        const postgres = await startPostgres(password);
        try {
            const client = postgres.server.getPgClient("postgres", "127.0.0.1");
            await client.connect();
            try {
                let rows: unknown[] = [];
                for (const sql of statements) rows = (await client.query(sql)).rows;
                return rows;
            } finally {
                await client.end();
            }
        } finally {
            await postgres.close();
        }
    }

    it(
        "starts each server from what initdb wrote, nothing of the last one's kept",
        { timeout: 60_000 },
        async () => {
            const created = await onFreshServer(
                "template-check",
                "CREATE TABLE left_behind (x int)",
                "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'left_behind'",
            );
            assert.deepEqual(created, [{ n: 1 }]);
            const next = await onFreshServer(
                "template-check",
                "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'left_behind'",
            );
            assert.deepEqual(next, [{ n: 0 }], "the next server is fresh");
        },
    );

    it(
        "signs the superuser in with the password each server was started with",
        { timeout: 60_000 },
        async () => {
            const version = packageClosure(MODULES).find((p) =>
                p.path.startsWith("@embedded-postgres/"),
            )!.version;
            const first = await onFreshServer("template-one", "SELECT current_user AS who");
            const second = await onFreshServer("template-two", "SELECT current_user AS who");
            assert.deepEqual([first, second], [[{ who: "postgres" }], [{ who: "postgres" }]]);
            assert.notEqual(
                templateDir("template-one", version),
                templateDir("template-two", version),
            );
            for (const password of ["template-one", "template-two"]) {
                assert.ok(existsSync(path.join(templateDir(password, version), "ready")), password);
            }
        },
    );
});
