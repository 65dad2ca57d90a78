// Bundles the monitor (and database setup) into dist/index.mjs and the maintenance close-out
// into dist/closeout.mjs, each with its source map, for the nodejs24.x arm64 runtime.
// Deterministic: no timestamps, no absolute paths, so an unchanged monitor yields the same
// bytes and `pulumi preview` shows no code diff.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
// `node build.mjs [outdir]`: dist/ by default; tests build elsewhere to compare bytes.
const outdir = process.argv[2] ?? join(root, "dist");
rmSync(outdir, { recursive: true, force: true });

await build({
    absWorkingDir: root,
    entryPoints: { index: "src/handler.ts", closeout: "src/closeout.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    minify: true,
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "none",
    logLevel: "warning",
    // pg's optional native binding is never used; CommonJS deps need require() in ESM.
    external: ["pg-native"],
    banner: {
        js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
    },
});
