/**
 * Runs the program the way `pulumi preview` does, without the Pulumi CLI: through
 * `@pulumi/pulumi`'s own Node.js language host entry (`@pulumi/pulumi/cmd/run`), started
 * with the arguments and environment the Go language host (`pulumi-language-nodejs`) gives
 * it, against a small resource monitor and engine served here, on 127.0.0.1 only, with the
 * SDK's own generated gRPC stubs. Nothing reaches a cloud provider: registrations are
 * answered the way the engine answers a preview of new resources (inputs echoed, computed
 * outputs unknown) and the two AWS data sources the program reads return fixed values.
 *
 * Mirrors pulumi/pulumi (commit 1b5949891b3cefcb9974752b24a5ecef0acc86c8):
 * - sdk/nodejs/cmd/pulumi-language-nodejs/main.go `execRuntime`, `constructArguments`,
 *   `constructConfig`, `constructConfigSecretKeys`: `node <run> --monitor A --engine A
 *   [--sync D] --organization O --project P --root-directory R --stack S --pwd <program dir>
 *   [--dry-run] --parallel N <entry point>`; env PULUMI_CONFIG (keys `<ns>:config:<name>`),
 *   PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT=true (runtime option `typescript`,
 *   on by default), PULUMI_NODEJS_TSCONFIG_PATH (option `tsconfig`, unset here).
 * - pkg/engine/project.go `getPwdMain`: `main: infra/` (a directory) gives program
 *   directory `<root>/infra` and entry point `.`; pkg/host/host.go starts the language host
 *   in that directory, and node inherits it.
 * - sdk/nodejs/cmd/run/index.ts copies the flags into PULUMI_NODEJS_* variables; run.ts
 *   chdirs to --pwd, registers ts-node with ./tsconfig.json when PULUMI_NODEJS_TYPESCRIPT is
 *   "true", resolves entry point `.` through the nearest package.json's `main`.
 */
import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type { EngineLog, InvokeCall, RegisteredResource } from "./real-host-engine";
import { languageHostArgv, languageHostEnv, runNode } from "./real-host-process";
import { serveEngine } from "./real-host-server";
import { REPO_ROOT } from "./stack-config";

export { FAKE_ACCOUNT, FAKE_PARTITION } from "./real-host-data-sources";
export type { EngineLog, InvokeCall, RegisteredResource } from "./real-host-engine";
export { UNKNOWN } from "./real-host-wire";

export interface RealHostOptions {
    /** Stack name, as `pulumi preview --stack <stack>` would pass it. */
    readonly stack: string;
    /**
     * The config the CLI hands the language host: fully qualified keys
     * (`aurora-dsql-dr:primaryRegion`), values as the CLI encodes them (strings; arrays and
     * objects as JSON text).
     */
    readonly config: Readonly<Record<string, string>>;
    /** Config keys holding secrets (PULUMI_CONFIG_SECRET_KEYS). */
    readonly secretKeys?: readonly string[];
    /** `pulumi preview` (true, the default) or `pulumi up` (false). */
    readonly dryRun?: boolean;
    /** Directory holding Pulumi.yaml. */
    readonly root?: string;
    /** Kills the program after this long (default 120 s). */
    readonly timeoutMs?: number;
    /** Extra environment for the program (for example PULUMI_NODEJS_TRANSPILE_ONLY). */
    readonly env?: Readonly<Record<string, string>>;
    /** Aborting kills the program; the run then resolves with what was seen so far. */
    readonly signal?: AbortSignal;
}

export interface HostRun {
    /** Exit code of the node process (32: it already reported the error to the engine). */
    readonly exitCode: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Every Engine.Log call, in order: what the CLI shows under Diagnostics. */
    readonly logs: readonly EngineLog[];
    /** Every RegisterResource call, in order, the stack first. */
    readonly resources: readonly RegisteredResource[];
    readonly invokes: readonly InvokeCall[];
    /** RegisterResourceOutputs by URN (the stack's are the program's exports). */
    readonly outputs: Readonly<Record<string, Record<string, any>>>;
    readonly durationMs: number;
    /** The command line, and the PULUMI_* environment it was given. */
    readonly argv: readonly string[];
    readonly env: Readonly<Record<string, string>>;
}

/** Strips ANSI colour codes (the language host prints exceptions with colours on). */
export function plainText(text: string): string {
    // eslint-disable-next-line no-control-regex
    return text.replace(/\u001b\[[0-9;]*m/g, "");
}

interface ProjectFile {
    name: string;
    main?: string;
    runtime: string | { name: string; options?: Record<string, unknown> };
}

/** Pulumi.yaml of the project at `root`: its name, `main` and nodejs runtime options. */
function readProject(root: string) {
    const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const runtime =
        typeof project.runtime === "string" ? { name: project.runtime } : project.runtime;
    if (runtime.name !== "nodejs") throw new Error(`runtime ${runtime.name} is not nodejs`);
    return { name: project.name, main: project.main, runtimeOptions: runtime.options ?? {} };
}

/** Program directory and entry point for Pulumi.yaml's `main` (pkg/engine/project.go). */
function programLocation(root: string, main: string | undefined): { pwd: string; entry: string } {
    if (!main) return { pwd: root, entry: "." };
    const target = path.resolve(root, main);
    return statSync(target).isDirectory()
        ? { pwd: target, entry: "." }
        : { pwd: path.dirname(target), entry: path.basename(target) };
}

/** Runs the project's program once, as `pulumi preview` would, and reports what happened. */
export async function runProgram(options: RealHostOptions): Promise<HostRun> {
    const root = options.root ?? REPO_ROOT;
    const dryRun = options.dryRun ?? true;
    const project = readProject(root);
    const { pwd, entry } = programLocation(root, project.main);
    const secretKeys = options.secretKeys ?? [];
    // pkg/cmd/pulumi/operations/up.go `defaultParallel`: GOMAXPROCS × 4.
    const parallel = availableParallelism() * 4;
    const served = await serveEngine({
        project: project.name,
        stack: options.stack,
        config: options.config,
        secretKeys,
        dryRun,
        parallel,
    });
    try {
        const argv = languageHostArgv({
            address: served.address,
            project: project.name,
            root,
            stack: options.stack,
            pwd,
            dryRun,
            parallel,
            entry,
        });
        const env = {
            ...languageHostEnv(options.config, secretKeys, project.runtimeOptions),
            ...options.env,
        };
        const run = await runNode(argv, {
            cwd: pwd,
            env,
            timeoutMs: options.timeoutMs ?? 120_000,
            signal: options.signal,
        });
        const { logs, resources, invokes, outputs } = served.engine;
        return {
            exitCode: run.exitCode,
            signal: run.signal,
            stdout: run.stdout,
            stderr: run.stderr,
            logs,
            resources,
            invokes,
            outputs,
            durationMs: run.durationMs,
            argv: [process.execPath, ...argv],
            env,
        };
    } finally {
        served.shutdown();
    }
}
