import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import * as path from "node:path";

/** Where `npm run build` puts the monitor function's bundle. */
export const MONITOR_BUILD_DIR = path.resolve(__dirname, "..", "monitor-function", "dist");

/**
 * The bundles the build produces: `index` (the monitor and the database setup) and
 * `closeout` (the maintenance close-out, apart so the monitor's cold start does not carry
 * its clients).
 */
export const BUNDLES = ["index", "closeout"] as const;
export type Bundle = (typeof BUNDLES)[number];

/** Files the build produces: each bundle and its source map. */
export const MONITOR_BUILD_FILES: readonly string[] = BUNDLES.flatMap((b) => [
    `${b}.mjs`,
    `${b}.mjs.map`,
]);

/**
 * A function package from the build output as a Pulumi asset: the bundle, and its source
 * map only when stack traces are mapped (mapping costs cold-start time and memory, and the
 * map is larger than the bundle). The bundle is reproducible, so an unchanged monitor
 * shows no code diff in `pulumi preview`.
 */
export function functionCodeArchive(
    bundle: Bundle,
    sourceMaps: boolean,
    dir: string = MONITOR_BUILD_DIR,
): pulumi.asset.AssetArchive {
    const files = shippedFiles(sourceMaps, bundle);
    const missing = shippedFiles(true, bundle).filter((file) => !existsSync(path.join(dir, file)));
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

/** The monitor's package (its `setupHandler` export runs the database setup). */
export const monitorCodeArchive = (sourceMaps: boolean, dir?: string) =>
    functionCodeArchive("index", sourceMaps, dir);

/** What a function package holds. */
export const shippedFiles = (sourceMaps: boolean, bundle: Bundle = "index"): readonly string[] =>
    sourceMaps ? [`${bundle}.mjs`, `${bundle}.mjs.map`] : [`${bundle}.mjs`];
