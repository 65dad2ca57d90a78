import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import * as path from "node:path";

/** Where `npm run build` puts the monitor function's bundle. */
export const MONITOR_BUILD_DIR = path.resolve(__dirname, "..", "monitor-function", "dist");

/** Files the build produces: the bundle and its source map. */
export const MONITOR_BUILD_FILES = ["index.mjs", "index.mjs.map"] as const;

/**
 * The monitor's build output as a Pulumi asset: the bundle, and its source map only when
 * stack traces are mapped (mapping costs cold-start time and memory, and the map is larger
 * than the bundle). The bundle is reproducible, so an unchanged monitor shows no code diff
 * in `pulumi preview`.
 */
export function monitorCodeArchive(
    sourceMaps: boolean,
    dir: string = MONITOR_BUILD_DIR,
): pulumi.asset.AssetArchive {
    const files = shippedFiles(sourceMaps);
    const missing = MONITOR_BUILD_FILES.filter((file) => !existsSync(path.join(dir, file)));
    if (missing.length > 0) {
        throw new Error(
            `The monitor function is not built: ${missing.join(", ")} missing in ${dir}. ` +
                "Run `npm run build` at the repository root, then run this again.",
        );
    }
    return new pulumi.asset.AssetArchive(
        Object.fromEntries(
            files.map((file) => [file, new pulumi.asset.FileAsset(path.join(dir, file))]),
        ),
    );
}

/** What the function package holds. */
export const shippedFiles = (sourceMaps: boolean): readonly string[] =>
    sourceMaps ? MONITOR_BUILD_FILES : ["index.mjs"];
