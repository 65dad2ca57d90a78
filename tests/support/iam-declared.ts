import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { DeclaredResource } from "../../tools/pulumi-host/mock-program";
import { REPO_ROOT } from "../../tools/testing/repo-root";
import { EXISTING } from "../infra/existing-pair";

const exec = promisify(execFile);

/** A stack file plus config overrides: one way a user can deploy the program. */
export interface Variant {
    readonly name: string;
    readonly stack: string;
    readonly overrides: Readonly<Record<string, string>>;
}

const existingPair = (management: string) => ({
    clusterManagement: management,
    primaryClusterIdentifier: EXISTING.primary,
    secondaryClusterIdentifier: EXISTING.secondary,
});

/** Both stack files and every variant the stack tests declare that adds resources or policies. */
export const VARIANTS: readonly Variant[] = [
    { name: "dev", stack: "dev", overrides: {} },
    { name: "prod", stack: "prod", overrides: {} },
    { name: "dev, adopting an existing pair", stack: "dev", overrides: existingPair("adopt") },
    { name: "dev, monitor-only", stack: "dev", overrides: existingPair("monitor-only") },
    { name: "dev, no data-plane probe", stack: "dev", overrides: { dataPlaneProbe: "false" } },
    // Backups without deletion protection: the vaults are force-destroyed, with no lock.
    {
        name: "dev, backups and failover health checks",
        stack: "dev",
        overrides: { backup: "on", failoverHealthChecks: "true" },
    },
    {
        name: "dev, Slack, Teams and HTTPS alert routing, admin database user",
        stack: "dev",
        overrides: {
            alertSlack: JSON.stringify([
                { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23", name: "dr-oncall" },
            ]),
            alertTeams: JSON.stringify([
                {
                    teamId: "2b4e8a47-1c3d-4f5e-9a8b-7c6d5e4f3a2b",
                    channelId: "19%3aoncall%40thread.tacv2",
                    tenantId: "3c4e8a47-1c3d-4f5e-9a8b-7c6d5e4f3a2b",
                    name: "dr-teams",
                },
            ]),
            alertHttpsEndpoints: JSON.stringify([
                "https://events.pagerduty.com/integration/R0ut1ngIntegrationKey1234567890ab/enqueue",
            ]),
            databaseUser: "admin",
        },
    },
];

export interface DeclaredVariant {
    readonly variant: Variant;
    readonly resources: readonly DeclaredResource[];
}

let declared: Promise<DeclaredVariant[]> | undefined;

/**
 * Every variant, declared once per process, each in a child process of its own; two at a time
 * (the suite runs on two cores). A declaration is cached on disk under a key of the variant and
 * the content of every repository file its process read, so an unchanged program is not
 * declared again by the next test file or run; test files running at the same time declare
 * each variant once between them.
 */
export function declaredVariants(): Promise<DeclaredVariant[]> {
    declared ??= declareAll();
    return declared;
}

async function declareAll(): Promise<DeclaredVariant[]> {
    const results: DeclaredVariant[] = new Array(VARIANTS.length);
    let next = 0;
    const worker = async () => {
        while (next < VARIANTS.length) {
            const index = next++;
            results[index] = {
                variant: VARIANTS[index],
                resources: await declareVariant(VARIANTS[index]),
            };
        }
    };
    await Promise.all([worker(), worker()]);
    return results;
}

interface CacheEntry {
    /** Content hash of every repository file the declaring process read, by path from the root. */
    readonly files: Record<string, string>;
    readonly resources: DeclaredResource[];
}

const CACHE_DIR = path.join(tmpdir(), "aurora-dsql-dr-declared");
const CHILD = path.join(__dirname, "iam-declare-variant.ts");
/** Part of each cache file's name: entries of an older layout are never read. */
const CACHE_FORMAT = 2;
/** How long a test process waits for another one declaring the same variant. */
const WAIT_MS = 180_000;
const sha = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
const fileSha = (file: string) => (existsSync(file) ? sha(readFileSync(file)) : "missing");

/**
 * The variant's declaration: from the cache when every file it was declared from is unchanged
 * in this checkout; otherwise declared by this process, or by another test process that is
 * already at it (the IAM test files run at the same time and need the same variants), whose
 * result this one waits for instead of declaring it twice.
 */
async function declareVariant(variant: Variant): Promise<DeclaredResource[]> {
    const spec = JSON.stringify({ stack: variant.stack, overrides: variant.overrides });
    const cacheFile = path.join(
        CACHE_DIR,
        `${sha(JSON.stringify([CACHE_FORMAT, spec, process.version]))}.json`,
    );
    const lock = `${cacheFile}.lock`;
    const until = Date.now() + WAIT_MS;
    mkdirSync(CACHE_DIR, { recursive: true });
    for (;;) {
        const cached = readCache(cacheFile);
        if (cached) return cached;
        if (takeLock(lock)) {
            try {
                return await declareInChild(spec, cacheFile);
            } finally {
                rmSync(lock, { recursive: true, force: true });
            }
        }
        if (Date.now() > until) {
            throw new Error(`waited ${WAIT_MS / 1000} s for another process to declare ${spec}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

/** Takes `lock` (a directory naming its holder), or frees it when its holder is gone. */
function takeLock(lock: string): boolean {
    try {
        mkdirSync(lock);
        writeFileSync(path.join(lock, "pid"), String(process.pid));
        return true;
    } catch {
        let holder = 0;
        try {
            holder = Number(readFileSync(path.join(lock, "pid"), "utf8"));
        } catch {
            // Being taken or freed just now.
        }
        if (holder > 0 && !alive(holder)) rmSync(lock, { recursive: true, force: true });
        return false;
    }
}

const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
};

async function declareInChild(spec: string, cacheFile: string): Promise<DeclaredResource[]> {
    const output = `${cacheFile}.${process.pid}.declared`;
    try {
        await exec(process.execPath, ["--import", "tsx", CHILD, spec, output], {
            maxBuffer: 64 * 1024 * 1024,
        });
        const { resources, files } = JSON.parse(readFileSync(output, "utf8")) as {
            resources: DeclaredResource[];
            files: string[];
        };
        const entry: CacheEntry = {
            files: Object.fromEntries(files.map((f) => [path.relative(REPO_ROOT, f), fileSha(f)])),
            resources,
        };
        writeFileSync(output, JSON.stringify(entry));
        renameSync(output, cacheFile);
        return resources;
    } finally {
        rmSync(output, { force: true });
    }
}

/** The cached declaration, if every file it was declared from is unchanged in this checkout. */
function readCache(cacheFile: string): DeclaredResource[] | undefined {
    if (!existsSync(cacheFile)) return undefined;
    try {
        const entry = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheEntry;
        const fresh = Object.entries(entry.files).every(
            ([file, hash]) => fileSha(path.resolve(REPO_ROOT, file)) === hash,
        );
        return fresh ? entry.resources : undefined;
    } catch {
        return undefined;
    }
}
