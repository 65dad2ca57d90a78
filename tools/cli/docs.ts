/**
 * Regenerates the committed architecture diagrams from the resources the program declares
 * under mocks: docs/architecture.md (dev), docs/architecture.<stack>.md for every other
 * stack file, and the dev overview in README.md (between its architecture markers); and
 * Pulumi.yaml's config block and the README's settings table from the config schema. A
 * process can declare only one stack (Node caches the program), so each stack is declared
 * in a child process running this same script. Usage: HELP below (`./task docs --help`).
 */
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { noMorePositionals, parseCommandLine } from "../operator/args";
import { EXIT } from "../operator/errors";
import { consoleIo, EXIT_CODES_HELP, exitWhenDrained, runTool } from "../operator/tool";
import { REPO_ROOT } from "../testing/repo-root";

const HELP = `usage: ./task docs

Regenerates the committed architecture diagrams from the resources the program declares
under Pulumi mocks: docs/architecture.md (dev), docs/architecture.<stack>.md for every other
stack file, and the dev overview in README.md; and, from the config schema, Pulumi.yaml's
config block and the README's settings table. It takes no arguments.

  -h, --help   this help (regenerates nothing)

${EXIT_CODES_HELP}
`;

/** What a child process sends back. */
interface Declared {
    readonly stack: string;
    readonly document: string;
}

/** In a child process: declares `stack` and sends its architecture document to the parent. */
async function declareOne(stack: string): Promise<void> {
    // The program and its generators load only when they run: --help stays instant.
    const { ConfigError, validateConfig } = await import("../../infra/config.js");
    const { architectureDiagram } = await import("../docs-gen/diagram.js");
    const { declareStack } = await import("../pulumi-host/mock-program.js");
    const { stackConfig } = await import("../pulumi-host/stack-config.js");
    const raw = stackConfig(stack);
    const checked = validateConfig(stack, raw);
    if ("problems" in checked) throw new ConfigError(stack, checked.problems);
    const document = architectureDiagram(await declareStack(stack, raw), stack);
    await new Promise<void>((resolve, reject) =>
        process.send!({ stack, document } satisfies Declared, (error: Error | null) =>
            error ? reject(error) : resolve(),
        ),
    );
    process.disconnect();
}

/** The architecture document of `stack`, from a child process of its own. */
function documentOf(stack: string): Promise<string> {
    return new Promise((resolve, reject) => {
        // fork re-runs this script with the same Node options (the tsx loader).
        const child = fork(__filename, ["--child", stack], { stdio: "inherit" });
        let document: string | undefined;
        child.on("message", (message: Declared) => {
            if (message.stack === stack) document = message.document;
        });
        child.on("error", reject);
        child.on("exit", (code) =>
            code === 0 && document !== undefined
                ? resolve(document)
                : reject(new Error(`declaring stack ${stack} failed (exit code ${code})`)),
        );
    });
}

async function main(): Promise<void> {
    const { writeConfigDocs } = await import("../docs-gen/config-docs.js");
    const { diagramPath, readmeWithDiagram } = await import("../docs-gen/diagram.js");
    const { listStacks } = await import("../pulumi-host/stack-config.js");
    const stacks = listStacks();
    const documents = await Promise.all(stacks.map(documentOf));
    stacks.forEach((stack, i) => {
        writeFileSync(path.join(REPO_ROOT, diagramPath(stack)), documents[i]);
        console.log(`wrote ${diagramPath(stack)}`);
    });
    const dev = documents[stacks.indexOf("dev")];
    if (dev === undefined) throw new Error("no Pulumi.dev.yaml: the README shows the dev stack");
    const readmePath = path.join(REPO_ROOT, "README.md");
    const readme = readFileSync(readmePath, "utf8");
    const updated = readmeWithDiagram(readme, dev);
    if (updated !== readme) writeFileSync(readmePath, updated);
    console.log(`${updated === readme ? "kept" : "wrote"} README.md (dev overview)`);
    // Pulumi.yaml's config block and the README's settings table, from the config schema.
    const changed = writeConfigDocs();
    for (const file of ["Pulumi.yaml", "README.md"])
        console.log(`${changed.includes(file) ? "wrote" : "kept"} ${file} (settings)`);
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    if (argv[0] === "--child") {
        declareOne(argv[1]).catch((error: unknown) => {
            console.error(error instanceof Error ? error.message : error);
            process.exitCode = 1;
        });
    } else {
        void runTool({ name: "docs", help: HELP }, argv, consoleIo, async () => {
            noMorePositionals(parseCommandLine(argv, {}).positionals, 0);
            await main();
            return EXIT.ok;
        }).then(exitWhenDrained);
    }
}
