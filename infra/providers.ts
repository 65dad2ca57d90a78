import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";

/** Tags every resource carries, through each provider's defaultTags. */
export function standardTags(config: StackConfig): Record<string, string> {
    return {
        ...config.tags,
        project: pulumi.getProject(),
        environment: config.stack,
        "managed-by": "pulumi",
    };
}

/**
 * One explicit provider for `region`. Nothing in this program uses the default
 * provider, so the ambient AWS_REGION of whoever runs `pulumi up` can never matter.
 */
export function regionalProvider(name: string, region: string, config: StackConfig): aws.Provider {
    return new aws.Provider(name, {
        region: region as aws.Region,
        defaultTags: { tags: standardTags(config) },
    });
}
