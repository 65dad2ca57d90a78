import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { declareStack } from "../../tools/pulumi-host/mock-program";
import { REPO_ROOT, stackConfig } from "../../tools/pulumi-host/stack-config";

/**
 * Declares one stack variant under Pulumi mocks in its own process (a process declares one
 * stack) and writes what it declared, and the repository files it read, as JSON.
 * Usage: node --import tsx iam-declare-variant.ts '{"stack":"dev","overrides":{}}' <output file>
 */
async function main(): Promise<void> {
    const [spec, output] = process.argv.slice(2);
    const { stack, overrides } = JSON.parse(spec) as {
        stack: string;
        overrides: Record<string, string>;
    };
    const declared = await declareStack(stack, stackConfig(stack, overrides));
    const modules = Object.keys(require.cache).filter(
        (file) =>
            file.startsWith(REPO_ROOT) && !file.includes(`${path.sep}node_modules${path.sep}`),
    );
    const stackFiles = ["Pulumi.yaml", `Pulumi.${stack}.yaml`, "package-lock.json"].map((f) =>
        path.join(REPO_ROOT, f),
    );
    writeFileSync(
        output,
        JSON.stringify({ resources: declared.resources, files: [...modules, ...stackFiles] }),
    );
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
