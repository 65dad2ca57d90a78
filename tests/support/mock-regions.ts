/**
 * Regions under Pulumi mocks: the mock monitor sees a resource's provider only as a reference
 * (`<provider URN>::<id>`), so a test that checks where a component puts each resource records
 * every explicit AWS provider's region as it is registered and looks it up per resource.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Records each AWS provider's region; answers the region of the resources declared with one. */
export class ProviderRegions {
    private readonly byUrn = new Map<string, string>();

    constructor(
        private readonly project: string,
        private readonly stack: string,
    ) {}

    /** Call from the mocks' newResource: records a provider, and returns `args`' region. */
    seen(args: pulumi.runtime.MockResourceArgs): string | undefined {
        if (args.type === "pulumi:providers:aws") {
            // Providers are declared at the top level, so their URN has no parent part.
            this.byUrn.set(
                `urn:pulumi:${this.stack}::${this.project}::${args.type}::${args.name}`,
                args.inputs.region,
            );
        }
        const urn = args.provider?.split("::").slice(0, -1).join("::");
        return urn ? this.byUrn.get(urn) : undefined;
    }
}

/** An explicit AWS provider per region, named by its region. */
export function regionalProviders(regions: readonly string[]): Record<string, aws.Provider> {
    return Object.fromEntries(
        regions.map((region) => [
            region,
            new aws.Provider(region, { region: region as aws.Region }),
        ]),
    );
}
