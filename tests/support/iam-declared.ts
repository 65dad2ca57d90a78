import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { DeclaredResource } from "../../tools/pulumi-host/mock-program";
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
 * declared again by the next test file or run.
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
    readonly files: Record<string, string>;
    readonly resources: DeclaredResource[];
}

const CACHE_DIR = path.join(tmpdir(), "aurora-dsql-dr-declared");
const CHILD = path.join(__dirname, "iam-declare-variant.ts");
const sha = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
const fileSha = (file: string) => (existsSync(file) ? sha(readFileSync(file)) : "missing");

async function declareVariant(variant: Variant): Promise<DeclaredResource[]> {
    const spec = JSON.stringify({ stack: variant.stack, overrides: variant.overrides });
    const cacheFile = path.join(CACHE_DIR, `${sha(spec + process.version)}.json`);
    const cached = readCache(cacheFile);
    if (cached) return cached;
    mkdirSync(CACHE_DIR, { recursive: true });
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
            files: Object.fromEntries(files.map((f) => [f, fileSha(f)])),
            resources,
        };
        writeFileSync(output, JSON.stringify(entry));
        renameSync(output, cacheFile);
        return resources;
    } finally {
        rmSync(output, { force: true });
    }
}

/** The cached declaration, if every file it was declared from is unchanged. */
function readCache(cacheFile: string): DeclaredResource[] | undefined {
    if (!existsSync(cacheFile)) return undefined;
    try {
        const entry = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheEntry;
        const fresh = Object.entries(entry.files).every(([file, hash]) => fileSha(file) === hash);
        return fresh ? entry.resources : undefined;
    } catch {
        return undefined;
    }
}
