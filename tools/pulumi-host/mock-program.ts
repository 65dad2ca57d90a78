import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { RawConfig } from "../../infra/config";
import { PROJECT } from "./stack-config";

/** Account every mocked ARN belongs to. */
export const MOCK_ACCOUNT = "123456789012";
/** The random name suffix under mocks. */
export const MOCK_SUFFIX = "x7k2q9";

/** One resource the program declared, as the engine would have received it. */
export interface DeclaredResource {
    readonly type: string;
    readonly name: string;
    /** Pulumi `protect` resource option. */
    readonly protect: boolean;
    /** Resources it explicitly depends on (their logical names). */
    readonly dependsOn: readonly string[];
    /** Pulumi `import` resource option: the ID of an existing resource to adopt. */
    readonly importId?: string;
    /** Pulumi `ignoreChanges` resource option. */
    readonly ignoreChanges: readonly string[];
    /** The inputs the program passed. */
    readonly inputs: Record<string, any>;
    /** The state the mocked provider returned (inputs plus computed outputs such as ARNs). */
    readonly state: Record<string, any>;
    /** The region of its provider (undefined for the providers themselves and components). */
    readonly region?: string;
    /** `urn::id` of the explicit provider, if any. */
    readonly provider?: string;
    readonly custom: boolean;
    /** Its parent component, if any. */
    readonly parent?: ResourceRef;
    /** Pulumi `aliases` resource option: identities it had before (URN parts). */
    readonly aliases: readonly ResourceAlias[];
}

export interface ResourceRef {
    readonly type: string;
    readonly name: string;
}

/** A former identity: name and parent (undefined parent: the current one; null: none). */
export interface ResourceAlias {
    readonly name: string;
    readonly type: string;
    readonly parent?: ResourceRef | null;
}

export interface DeclaredStack {
    readonly resources: DeclaredResource[];
    readonly outputs: Record<string, unknown>;
}

/** A 26-character identifier, as the service would generate, stable per logical name. */
function identifierFor(name: string): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    const bytes = createHash("sha256").update(name).digest();
    return Array.from(bytes.subarray(0, 26), (b) => alphabet[b % 32]).join("");
}

/** The state the provider would return: inputs plus the computed outputs the program reads. */
function mockState(
    type: string,
    name: string,
    inputs: Record<string, any>,
    region: string | undefined,
    importId?: string,
) {
    const arn = (service: string, resource: string) =>
        `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;
    const physical = inputs.name ?? name;
    switch (type) {
        case "random:index/randomString:RandomString":
            return { result: MOCK_SUFFIX };
        case "aws:dsql/cluster:Cluster": {
            // An imported cluster keeps the identifier it was imported by.
            const identifier = importId ?? identifierFor(name);
            return { identifier, arn: arn("dsql", `cluster/${identifier}`) };
        }
        case "aws:kms/key:Key":
            return { keyId: identifierFor(name), arn: arn("kms", `key/${identifierFor(name)}`) };
        case "aws:sns/topic:Topic":
            return { arn: arn("sns", physical) };
        case "aws:sqs/queue:Queue":
            return {
                arn: arn("sqs", physical),
                url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT}/${physical}`,
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { arn: arn("logs", `log-group:${physical}`) };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${physical}` };
        case "aws:lambda/function:Function":
            // Lambda reports the deployed package's SHA-256 (base64) as CodeSha256.
            return {
                arn: arn("lambda", `function:${physical}`),
                codeSha256: createHash("sha256")
                    .update(JSON.stringify(inputs.code ?? null))
                    .digest("base64"),
            };
        case "aws:cloudwatch/eventRule:EventRule":
            return { arn: arn("events", `rule/${physical}`) };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { arn: arn("cloudwatch", `alarm:${physical}`) };
        case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
            return { arn: arn("cloudwatch", `alarm:${inputs.alarmName}`) };
        case "aws:fis/experimentTemplate:ExperimentTemplate":
            return {};
        case "aws:backup/vault:Vault":
            return { arn: arn("backup", `backup-vault:${physical}`) };
        case "aws:backup/plan:Plan":
            return { arn: arn("backup", `backup-plan:${identifierFor(name)}`) };
        case "aws:ssm/parameter:Parameter":
            return { arn: arn("ssm", `parameter${physical}`) };
        case "aws:lambda/invocation:Invocation":
            return { result: JSON.stringify({ cluster: "mock", steps: [] }) };
        case "aws:cloudwatch/dashboard:Dashboard":
            return {
                dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT}:dashboard/${inputs.dashboardName}`,
            };
        default:
            return {};
    }
}

/**
 * Declares the real program under Pulumi mocks with the given raw config and returns
 * every resource it declared. Node caches modules, so this runs once per process.
 */
export async function declareStack(
    stack: string,
    config: RawConfig,
    /** Sees the live list of declared resources, even if the program throws. */
    observe?: (resources: readonly DeclaredResource[]) => void,
): Promise<DeclaredStack> {
    const resources: DeclaredResource[] = [];
    observe?.(resources);
    const providerRegions = new Map<string, string>();
    // Options the mock monitor does not see (protect, dependsOn), taken from a transform.
    const options = new Map<string, RecordedOptions>();
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const providerUrn = args.provider?.split("::").slice(0, -1).join("::");
                const region = providerUrn ? providerRegions.get(providerUrn) : undefined;
                if (args.type === "pulumi:providers:aws") {
                    // Providers are declared at the top level, so their URN has no parent part.
                    providerRegions.set(
                        `urn:pulumi:${stack}::${PROJECT}::${args.type}::${args.name}`,
                        args.inputs.region,
                    );
                }
                const opts = options.get(`${args.type}::${args.name}`);
                const state = {
                    ...args.inputs,
                    ...mockState(args.type, args.name, args.inputs, region, opts?.importId),
                };
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    state,
                    protect: opts?.protect ?? false,
                    dependsOn: opts?.dependsOn ?? [],
                    importId: opts?.importId,
                    ignoreChanges: opts?.ignoreChanges ?? [],
                    region,
                    provider: args.provider,
                    custom: args.custom ?? true,
                    parent: opts?.parent,
                    aliases: opts?.aliases ?? [],
                });
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                switch (args.token) {
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return {
                            accountId: MOCK_ACCOUNT,
                            arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/ci`,
                            userId: "ci",
                        };
                    case "aws:index/getPartition:getPartition":
                        return { partition: "aws", dnsSuffix: "amazonaws.com" };
                    default:
                        throw new Error(`unmocked call ${args.token}`);
                }
            },
        },
        PROJECT,
        stack,
        false,
    );
    recordOptions(options);
    pulumi.runtime.setAllConfig(
        Object.fromEntries(
            Object.entries(config).map(([key, value]) => [
                key.includes(":") ? key : `${PROJECT}:${key}`,
                value,
            ]),
        ),
    );
    const outputs = await withoutSourceMaps(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require("../../infra/index") as Record<string, unknown>;
        const settled = await settle(program);
        await pulumi.runtime.disconnect();
        return settled;
    });
    return { resources, outputs: outputs as Record<string, unknown> };
}

/**
 * Runs `work` with stack traces unmapped. The SDK keeps a stack trace of every promise it
 * makes (runtime/debuggable.js), printed only for a promise the program leaks; through tsx's
 * source maps each costs a map lookup per frame, about a fifth of a declaration. An error's
 * trace is formatted when first read, after this.
 */
async function withoutSourceMaps<T>(work: () => Promise<T>): Promise<T> {
    const mapped = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    try {
        return await work();
    } finally {
        process.setSourceMapsEnabled(mapped);
    }
}

/**
 * The mock monitor never sees `protect` or `dependsOn`; the SDK's registration function
 * does, so the harness wraps it to record them (names of the resources depended on).
 */
interface RecordedOptions {
    protect: boolean;
    dependsOn: string[];
    importId?: string;
    ignoreChanges: string[];
    parent?: ResourceRef;
    aliases: ResourceAlias[];
}

/** The type and logical name of a resource object, as Pulumi's URN takes them. */
function refOf(resource: unknown): ResourceRef | undefined {
    const r = resource as { __pulumiType?: string; __name?: string } | undefined;
    return r?.__pulumiType && r.__name ? { type: r.__pulumiType, name: r.__name } : undefined;
}

function recordOptions(options: Map<string, RecordedOptions>): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = require("@pulumi/pulumi/runtime/resource") as {
        registerResource: (...args: any[]) => void;
    };
    const register = runtime.registerResource;
    runtime.registerResource = (...args: any[]) => {
        const [, , type, name, , , , , opts] = args as [
            unknown,
            unknown,
            string,
            string,
            unknown,
            unknown,
            unknown,
            unknown,
            pulumi.CustomResourceOptions,
        ];
        const dependsOn = ([] as unknown[])
            .concat(opts.dependsOn ?? [])
            .map((r) => (r as { __name?: string }).__name ?? "?");
        options.set(`${type}::${name}`, {
            protect: opts.protect ?? false,
            dependsOn,
            importId: opts.import,
            ignoreChanges: opts.ignoreChanges ?? [],
            parent: refOf(opts.parent),
            aliases: ((opts.aliases ?? []) as unknown[]).map((alias) => {
                if (typeof alias === "string" || pulumi.Output.isInstance(alias)) {
                    throw new Error(
                        `${type}::${name}: URN aliases are not recorded; use an alias object`,
                    );
                }
                const a = alias as pulumi.Alias;
                return {
                    name: (a.name as string | undefined) ?? name,
                    type: (a.type as string | undefined) ?? type,
                    parent: a.parent === undefined ? undefined : (refOf(a.parent) ?? null),
                };
            }),
        });
        return register(...args);
    };
}

/** Resolves every Output nested in `value`. */
function settle(value: unknown): Promise<unknown> {
    return new Promise((resolve) => pulumi.output(value as any).apply(resolve));
}
