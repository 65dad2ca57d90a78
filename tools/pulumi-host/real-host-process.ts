/**
 * The program's node process, started as the Go language host starts it: its command line,
 * its PULUMI_* environment, and the run itself, bounded by a timeout and an abort signal.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";

/** What the language host puts on the command line. */
export interface LanguageHostCall {
    /** The engine's and resource monitor's address. */
    readonly address: string;
    readonly project: string;
    readonly root: string;
    readonly stack: string;
    /** Program directory. */
    readonly pwd: string;
    readonly dryRun: boolean;
    readonly parallel: number;
    readonly entry: string;
}

/** `node <run> --monitor A --engine A … <entry point>`, without node itself. */
export function languageHostArgv(call: LanguageHostCall): string[] {
    // `locateModule`: require.resolve("@pulumi/pulumi/cmd/run") from the program directory.
    const runPath = createRequire(path.join(call.pwd, "noop.js")).resolve("@pulumi/pulumi/cmd/run");
    return [
        runPath,
        ...["--monitor", call.address],
        ...["--engine", call.address],
        ...["--organization", "organization"], // what a self-managed backend reports
        ...["--project", call.project],
        ...["--root-directory", call.root],
        ...["--stack", call.stack],
        ...["--pwd", call.pwd],
        ...(call.dryRun ? ["--dry-run"] : []),
        ...["--parallel", String(call.parallel)],
        call.entry,
    ];
}

/** PULUMI_CONFIG (keys `<ns>:config:<name>`), its secret keys, and the runtime options. */
export function languageHostEnv(
    config: Readonly<Record<string, string>>,
    secretKeys: readonly string[],
    runtimeOptions: Record<string, unknown>,
): Record<string, string> {
    const wireConfig = Object.fromEntries(
        Object.entries(config).map(([key, value]) => {
            const at = key.indexOf(":");
            if (at < 1) throw new Error(`config key ${key} is not <namespace>:<name>`);
            return [`${key.slice(0, at)}:config:${key.slice(at + 1)}`, value];
        }),
    );
    const hostEnv: Record<string, string> = {
        PULUMI_CONFIG: JSON.stringify(wireConfig),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
    };
    if (runtimeOptions.typescript !== false) hostEnv.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof runtimeOptions.tsconfig === "string") {
        hostEnv.PULUMI_NODEJS_TSCONFIG_PATH = runtimeOptions.tsconfig;
    }
    return hostEnv;
}

export interface NodeRun {
    readonly exitCode: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly durationMs: number;
}

export interface NodeRunOptions {
    readonly cwd: string;
    /** Added to the caller's environment. */
    readonly env: Readonly<Record<string, string>>;
    readonly timeoutMs: number;
    readonly signal?: AbortSignal;
}

/** Runs node on `argv` until it exits, is killed at the timeout, or the signal aborts it. */
export async function runNode(argv: readonly string[], options: NodeRunOptions): Promise<NodeRun> {
    // The caller's environment, minus what would make this run depend on how the test
    // runner was started (its loaders, a Pulumi session of its own).
    const inherited = Object.fromEntries(
        Object.entries(process.env).filter(
            ([key]) => !/^(PULUMI_|TS_NODE_|NODE_OPTIONS$|NODE_TEST_CONTEXT$)/.test(key),
        ),
    ) as Record<string, string>;

    const started = performance.now();
    const child = spawn(process.execPath, argv, {
        cwd: options.cwd,
        env: { ...inherited, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const kill = () => child.kill("SIGKILL");
    const timer = setTimeout(kill, options.timeoutMs);
    options.signal?.addEventListener("abort", kill, { once: true });
    if (options.signal?.aborted) kill();
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
        (resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code, sig) => resolve([code, sig]));
        },
    ).finally(() => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", kill);
    });
    return { exitCode, signal, stdout, stderr, durationMs: performance.now() - started };
}
