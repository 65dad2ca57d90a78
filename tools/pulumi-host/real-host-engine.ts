/**
 * The engine side of a preview: records every call the program makes and answers it the way
 * the engine answers a preview of new resources (inputs echoed, computed outputs unknown).
 */
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as resourceTypes from "@pulumi/pulumi/proto/resource_pb";
import { fakeInvoke } from "./real-host-data-sources";
import { enginePb, resourcePb, Struct } from "./real-host-sdk";
import { decode, UNKNOWN, withoutReferences } from "./real-host-wire";

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

/** The deployment the engine describes to the program. */
export interface Deployment {
    readonly project: string;
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
    readonly dryRun: boolean;
    readonly parallel: number;
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

/** What the program told the engine, in order, and the engine's answers. */
export class PreviewEngine {
    readonly logs: EngineLog[] = [];
    readonly resources: RegisteredResource[] = [];
    readonly invokes: InvokeCall[] = [];
    /** RegisterResourceOutputs by URN. */
    readonly outputs: Record<string, Record<string, any>> = {};
    private readonly qualifiedTypes = new Map<string, string>();
    private rootUrn = "";
    private serial = 0;

    constructor(private readonly deployment: Deployment) {}

    private urnOf(type: string, name: string, parent: string): string {
        // Children of the stack get no type prefix; children of components carry the chain.
        const parentType =
            parent && parent !== this.rootUrn ? this.qualifiedTypes.get(parent) : undefined;
        const qualified = parentType ? `${parentType}$${type}` : type;
        const { stack, project } = this.deployment;
        const urn = `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
        this.qualifiedTypes.set(urn, qualified);
        return urn;
    }

    /**
     * A preview creates nothing: new resources have no ID yet, providers the unknown ID
     * (pkg/resource/deploy/providers/registry.go); `up` gets fake ones.
     */
    private idOf(type: string, name: string): string {
        if (!this.deployment.dryRun) return `${name}-id-${String(++this.serial)}`;
        return type.startsWith("pulumi:providers:") ? UNKNOWN : "";
    }

    deploymentInfo(): resourceTypes.DeploymentInfo {
        const { project, stack, config, secretKeys, dryRun, parallel } = this.deployment;
        const info = new resourcePb.DeploymentInfo();
        info.setProject(project);
        info.setStack(stack);
        info.setOrganization("organization");
        for (const [key, value] of Object.entries(config)) {
            info.getConfigMap().set(key, value);
        }
        info.setConfigsecretkeysList([...secretKeys]);
        info.setDryrun(dryRun);
        info.setParallel(parallel);
        info.setSupportedfeaturesList(monitorFeatures());
        return info;
    }

    supportsFeature(
        request: resourceTypes.SupportsFeatureRequest,
    ): resourceTypes.SupportsFeatureResponse {
        const response = new resourcePb.SupportsFeatureResponse();
        response.setHassupport(LEGACY_FEATURES.includes(request.getId()));
        return response;
    }

    registerResource(
        request: resourceTypes.RegisterResourceRequest,
    ): resourceTypes.RegisterResourceResponse {
        const type = request.getType();
        const name = request.getName();
        const parent = request.getParent();
        const custom = request.getCustom();
        const urn = this.urnOf(type, name, parent);
        const wire = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        this.resources.push({
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
            response.setId(this.idOf(type, name));
            response.setObject(
                Struct.fromJavaScript(withoutReferences(wire) as Record<string, any>),
            );
        } else {
            response.setObject(new Struct());
        }
        return response;
    }

    registerResourceOutputs(request: resourceTypes.RegisterResourceOutputsRequest): void {
        this.outputs[request.getUrn()] = decode(request.getOutputs()?.toJavaScript() ?? {});
    }

    readResource(request: resourceTypes.ReadResourceRequest): resourceTypes.ReadResourceResponse {
        const urn = this.urnOf(request.getType(), request.getName(), request.getParent());
        const response = new resourcePb.ReadResourceResponse();
        response.setUrn(urn);
        response.setProperties(request.getProperties() ?? new Struct());
        return response;
    }

    /** Records the call; undefined when no data source answers `token`. */
    invoke(
        request: resourceTypes.ResourceInvokeRequest,
    ): resourceTypes.ResourceInvokeResponse | undefined {
        const token = request.getTok();
        this.invokes.push({
            token,
            args: decode(request.getArgs()?.toJavaScript() ?? {}),
            provider: request.getProvider(),
        });
        const result = fakeInvoke(token);
        if (!result) return undefined;
        const response = new resourcePb.ResourceInvokeResponse();
        response.setReturn(Struct.fromJavaScript(result as Record<string, any>));
        return response;
    }

    registerPackage(
        request: resourceTypes.RegisterPackageRequest,
    ): resourceTypes.RegisterPackageResponse {
        const response = new resourcePb.RegisterPackageResponse();
        response.setRef(`${request.getName()}@${request.getVersion()}`);
        return response;
    }

    log(request: engineTypes.LogRequest): void {
        this.logs.push({
            severity: SEVERITIES[request.getSeverity() as number] ?? "error",
            message: request.getMessage(),
            urn: request.getUrn(),
            ephemeral: request.getEphemeral(),
        });
    }

    getRootResource(): engineTypes.GetRootResourceResponse {
        const response = new enginePb.GetRootResourceResponse();
        response.setUrn(this.rootUrn);
        return response;
    }

    setRootResource(
        request: engineTypes.SetRootResourceRequest,
    ): engineTypes.SetRootResourceResponse {
        this.rootUrn = request.getUrn();
        return new enginePb.SetRootResourceResponse();
    }
}
