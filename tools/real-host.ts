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
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import * as path from "node:path";
import { parse } from "yaml";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as resourceTypes from "@pulumi/pulumi/proto/resource_pb";
import { REPO_ROOT } from "./stack-config";

// The stubs and gRPC library the SDK itself loads, from where @pulumi/pulumi is installed.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb") as {
    Empty: new () => unknown;
};
const enginePb = sdkRequire("./proto/engine_pb") as typeof engineTypes;
const resourcePb = sdkRequire("./proto/resource_pb") as typeof resourceTypes;
const { EngineService } = sdkRequire("./proto/engine_grpc_pb") as {
    EngineService: grpcTypes.ServiceDefinition;
};
const { ResourceMonitorService } = sdkRequire("./proto/resource_grpc_pb") as {
    ResourceMonitorService: grpcTypes.ServiceDefinition;
};

/** The wire value of an unknown (sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Account and partition the fake AWS data sources report. */
export const FAKE_ACCOUNT = "123456789012";
export const FAKE_PARTITION = "aws";

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

export interface EngineLog {
    readonly severity: "debug" | "info" | "warning" | "error";
    readonly message: string;
    readonly urn: string;
    readonly ephemeral: boolean;
}

export interface RegisteredResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Parent URN ("" for the stack itself). */
    readonly parent: string;
    readonly custom: boolean;
    /** `urn::id` of the explicit provider of a custom resource, if any. */
    readonly provider: string;
    /** Package → provider reference, for components (`providers` option). */
    readonly providers: Readonly<Record<string, string>>;
    readonly protect: boolean;
    readonly dependencies: readonly string[];
    /** Inputs as sent, secrets unwrapped; unknowns are {@link UNKNOWN}. */
    readonly inputs: Record<string, any>;
}

export interface InvokeCall {
    readonly token: string;
    readonly args: Record<string, any>;
    readonly provider: string;
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

/** Secrets unwrapped, unset output values unknown; assets and resource references kept. */
function decode(value: unknown): any {
    if (Array.isArray(value)) return value.map(decode);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object[SIG] === SECRET_SIG) return decode(object.value);
    if (object[SIG] === OUTPUT_VALUE_SIG) return "value" in object ? decode(object.value) : UNKNOWN;
    if (typeof object[SIG] === "string") return object;
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, decode(v)]));
}

/**
 * What a provider sees and returns for a reference to another resource: its ID (a custom
 * resource) or URN (a component); providers here do not take references.
 */
function withoutReferences(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutReferences);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object[SIG] === RESOURCE_SIG) {
        if ("id" in object) return object.id === "" ? UNKNOWN : object.id;
        return object.urn;
    }
    if (typeof object[SIG] === "string" && object[SIG] !== SECRET_SIG) return object;
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, withoutReferences(v)]));
}

/** Fixed results for the data sources the program reads. */
function fakeInvoke(token: string): Record<string, unknown> | undefined {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: FAKE_ACCOUNT,
                arn: `arn:${FAKE_PARTITION}:iam::${FAKE_ACCOUNT}:user/preview`,
                id: FAKE_ACCOUNT,
                userId: "AIDAPREVIEW",
            };
        case "aws:index/getPartition:getPartition":
            return {
                dnsSuffix: "amazonaws.com",
                id: FAKE_PARTITION,
                partition: FAKE_PARTITION,
                reverseDnsPrefix: "com.amazonaws",
            };
        default:
            return undefined;
    }
}

/**
 * The features the engine reports (pkg/resource/deploy/source_eval.go
 * `supportsFeatureID` / `supportedMonitorFeatures`), by legacy ID and by enum.
 */
const LEGACY_FEATURES = [
    "secrets",
    "resourceReferences",
    "outputValues",
    "aliasSpecs",
    "replacementTrigger",
    "deletedWith",
    "replaceWith",
    "transforms",
    "invokeTransforms",
    "parameterization",
    "resourceHooks",
    "errorHooks",
    "sendsOptionsToHooks",
];
function monitorFeatures(): resourceTypes.ResourceMonitorFeature[] {
    const F = resourcePb.ResourceMonitorFeature;
    return [
        F.RESOURCE_MONITOR_FEATURE_SECRETS,
        F.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
        F.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
        F.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
        F.RESOURCE_MONITOR_FEATURE_REPLACEMENT_TRIGGER,
        F.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
        F.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
        F.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
        F.RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS,
        F.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
        F.RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS,
        F.RESOURCE_MONITOR_FEATURE_ERROR_HOOKS,
        F.RESOURCE_MONITOR_FEATURE_SENDS_OPTIONS_TO_HOOKS,
        F.RESOURCE_MONITOR_FEATURE_BYTE_STRING,
        F.RESOURCE_MONITOR_FEATURE_INVOKE_DEPENDS_ON,
        F.RESOURCE_MONITOR_FEATURE_INVOKE_PARENT,
    ];
}

const SEVERITIES = ["debug", "info", "warning", "error"] as const;

interface ProjectFile {
    name: string;
    main?: string;
    runtime: string | { name: string; options?: Record<string, unknown> };
}

/** Program directory and entry point for Pulumi.yaml's `main` (pkg/engine/project.go). */
function programLocation(root: string, main: string | undefined): { pwd: string; entry: string } {
    if (!main) return { pwd: root, entry: "." };
    const target = path.resolve(root, main);
    return statSync(target).isDirectory()
        ? { pwd: target, entry: "." }
        : { pwd: path.dirname(target), entry: path.basename(target) };
}

type Handler = (call: { request: any }, callback: grpcTypes.sendUnaryData<any>) => void;

/** A gRPC error the SDK reports as the reason its call failed. */
function failure(code: grpcTypes.status, details: string): grpcTypes.ServiceError {
    return Object.assign(new Error(details), {
        code,
        details,
        metadata: new grpc.Metadata(),
    });
}

/** Runs the project's program once, as `pulumi preview` would, and reports what happened. */
export async function runProgram(options: RealHostOptions): Promise<HostRun> {
    const root = options.root ?? REPO_ROOT;
    const dryRun = options.dryRun ?? true;
    const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const runtime =
        typeof project.runtime === "string" ? { name: project.runtime } : project.runtime;
    if (runtime.name !== "nodejs") throw new Error(`runtime ${runtime.name} is not nodejs`);
    const runtimeOptions = runtime.options ?? {};
    const { pwd, entry } = programLocation(root, project.main);

    // pkg/cmd/pulumi/operations/up.go `defaultParallel`: GOMAXPROCS × 4.
    const parallel = availableParallelism() * 4;
    const logs: EngineLog[] = [];
    const resources: RegisteredResource[] = [];
    const invokes: InvokeCall[] = [];
    const outputs: Record<string, Record<string, any>> = {};
    const qualifiedTypes = new Map<string, string>();
    let rootUrn = "";
    let serial = 0;

    const urnOf = (type: string, name: string, parent: string): string => {
        // Children of the stack get no type prefix; children of components carry the chain.
        const parentType = parent && parent !== rootUrn ? qualifiedTypes.get(parent) : undefined;
        const qualified = parentType ? `${parentType}$${type}` : type;
        const urn = `urn:pulumi:${options.stack}::${project.name}::${qualified}::${name}`;
        qualifiedTypes.set(urn, qualified);
        return urn;
    };

    const monitor: Record<string, Handler> = {
        getDeploymentInfo(_call, callback) {
            const info = new resourcePb.DeploymentInfo();
            info.setProject(project.name);
            info.setStack(options.stack);
            info.setOrganization("organization");
            for (const [key, value] of Object.entries(options.config)) {
                info.getConfigMap().set(key, value);
            }
            info.setConfigsecretkeysList([...(options.secretKeys ?? [])]);
            info.setDryrun(dryRun);
            info.setParallel(parallel);
            info.setSupportedfeaturesList(monitorFeatures());
            callback(null, info);
        },
        supportsFeature({ request }, callback) {
            const response = new resourcePb.SupportsFeatureResponse();
            response.setHassupport(LEGACY_FEATURES.includes(request.getId()));
            callback(null, response);
        },
        registerResource({ request }, callback) {
            const type: string = request.getType();
            const name: string = request.getName();
            const parent: string = request.getParent();
            const custom: boolean = request.getCustom();
            const urn = urnOf(type, name, parent);
            const wire = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
            resources.push({
                urn,
                type,
                name,
                parent,
                custom,
                provider: request.getProvider(),
                providers: Object.fromEntries(request.getProvidersMap().toArray()),
                protect: request.getProtect() ?? false,
                dependencies: request.getDependenciesList(),
                inputs: decode(wire),
            });
            const response = new resourcePb.RegisterResourceResponse();
            response.setUrn(urn);
            if (custom) {
                const isProvider = type.startsWith("pulumi:providers:");
                // A preview creates nothing: new resources have no ID yet, providers the
                // unknown ID (pkg/resource/deploy/providers/registry.go); `up` gets fake ones.
                response.setId(
                    dryRun ? (isProvider ? UNKNOWN : "") : `${name}-id-${String(++serial)}`,
                );
                response.setObject(
                    Struct.fromJavaScript(withoutReferences(wire) as Record<string, any>),
                );
            } else {
                response.setObject(new Struct());
            }
            callback(null, response);
        },
        registerResourceOutputs({ request }, callback) {
            outputs[request.getUrn()] = decode(request.getOutputs()?.toJavaScript() ?? {});
            callback(null, new Empty());
        },
        readResource({ request }, callback) {
            const urn = urnOf(request.getType(), request.getName(), request.getParent());
            const response = new resourcePb.ReadResourceResponse();
            response.setUrn(urn);
            response.setProperties(request.getProperties() ?? new Struct());
            callback(null, response);
        },
        invoke({ request }, callback) {
            const token: string = request.getTok();
            invokes.push({
                token,
                args: decode(request.getArgs()?.toJavaScript() ?? {}),
                provider: request.getProvider(),
            });
            const result = fakeInvoke(token);
            if (!result) {
                callback(failure(grpc.status.UNIMPLEMENTED, `real-host: no fake for ${token}`));
                return;
            }
            const response = new resourcePb.ResourceInvokeResponse();
            response.setReturn(Struct.fromJavaScript(result as Record<string, any>));
            callback(null, response);
        },
        call({ request }, callback) {
            callback(
                failure(grpc.status.UNIMPLEMENTED, `real-host: no fake for ${request.getTok()}`),
            );
        },
        registerPackage({ request }, callback) {
            const response = new resourcePb.RegisterPackageResponse();
            response.setRef(`${request.getName()}@${request.getVersion()}`);
            callback(null, response);
        },
        signalAndWaitForShutdown(_call, callback) {
            callback(null, new Empty());
        },
    };

    const engine: Record<string, Handler> = {
        log({ request }, callback) {
            logs.push({
                severity: SEVERITIES[request.getSeverity() as number] ?? "error",
                message: request.getMessage(),
                urn: request.getUrn(),
                ephemeral: request.getEphemeral(),
            });
            callback(null, new Empty());
        },
        getRootResource(_call, callback) {
            const response = new enginePb.GetRootResourceResponse();
            response.setUrn(rootUrn);
            callback(null, response);
        },
        setRootResource({ request }, callback) {
            rootUrn = request.getUrn();
            callback(null, new enginePb.SetRootResourceResponse());
        },
    };

    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(ResourceMonitorService, monitor as grpcTypes.UntypedServiceImplementation);
    server.addService(EngineService, engine as grpcTypes.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve(bound),
        ),
    );
    const address = `127.0.0.1:${port}`;

    try {
        // `locateModule`: require.resolve("@pulumi/pulumi/cmd/run") from the program directory.
        const runPath = createRequire(path.join(pwd, "noop.js")).resolve("@pulumi/pulumi/cmd/run");
        const argv = [
            runPath,
            ...["--monitor", address],
            ...["--engine", address],
            ...["--organization", "organization"], // what a self-managed backend reports
            ...["--project", project.name],
            ...["--root-directory", root],
            ...["--stack", options.stack],
            ...["--pwd", pwd],
            ...(dryRun ? ["--dry-run"] : []),
            ...["--parallel", String(parallel)],
            entry,
        ];
        const config = Object.fromEntries(
            Object.entries(options.config).map(([key, value]) => {
                const at = key.indexOf(":");
                if (at < 1) throw new Error(`config key ${key} is not <namespace>:<name>`);
                return [`${key.slice(0, at)}:config:${key.slice(at + 1)}`, value];
            }),
        );
        const hostEnv: Record<string, string> = {
            PULUMI_CONFIG: JSON.stringify(config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
        };
        if (runtimeOptions.typescript !== false) hostEnv.PULUMI_NODEJS_TYPESCRIPT = "true";
        if (typeof runtimeOptions.tsconfig === "string") {
            hostEnv.PULUMI_NODEJS_TSCONFIG_PATH = runtimeOptions.tsconfig;
        }
        // The caller's environment, minus what would make this run depend on how the test
        // runner was started (its loaders, a Pulumi session of its own).
        const inherited = Object.fromEntries(
            Object.entries(process.env).filter(
                ([key]) => !/^(PULUMI_|TS_NODE_|NODE_OPTIONS$|NODE_TEST_CONTEXT$)/.test(key),
            ),
        ) as Record<string, string>;
        const env = { ...hostEnv, ...options.env };

        const started = performance.now();
        const child = spawn(process.execPath, argv, {
            cwd: pwd,
            env: { ...inherited, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        const kill = () => child.kill("SIGKILL");
        const timer = setTimeout(kill, options.timeoutMs ?? 120_000);
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
        return {
            exitCode,
            signal,
            stdout,
            stderr,
            logs,
            resources,
            invokes,
            outputs,
            durationMs: performance.now() - started,
            argv: [process.execPath, ...argv],
            env,
        };
    } finally {
        server.forceShutdown();
    }
}
