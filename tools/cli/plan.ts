/**
 * Offline plan: evaluates the real program under Pulumi mocks with a stack file, with no
 * Pulumi CLI, credentials or network, and prints what it would deploy, grouped by region,
 * with the settings a reviewer cares about, the simulated time to detect of every row of
 * the verdict table, and the monthly cost. It only prints; `./task docs` regenerates the
 * committed diagrams. Usage: HELP below (`./task plan --help`).
 */
import {
    booleanFlag,
    oneStack,
    outputFileFlag,
    parseCommandLine,
    stringFlag,
} from "../operator/args";
import { consoleIo, EXIT_CODES_HELP, exitWhenDrained, runTool } from "../operator/tool";
import type { PlanArguments } from "./plan-run";

const HELP = `usage: ./task plan [stack | --stack stack] [--json] [--json-file path] [--strict]
                   [--set key=value]...

Offline plan of a stack (default dev): the real program under Pulumi mocks with the stack's
Pulumi.<stack>.yaml, no Pulumi CLI, credentials or network. Prints every resource by region
with its key settings, the simulated time to detect of every row of the verdict table against
its goal, the monthly cost against the profile's budget, and warnings. It changes no file but
the one --json-file names.

Flags:
  --stack <stack>      the stack (or as the first argument)
  --set key=value      override a config key for this plan (repeatable). Lists and objects are
                       JSON, as in the stack file: --set 'alertEmail=["a@b.example"]',
                       --set 'tags={"team":"storage"}'
  --json               everything as one JSON document
  --json-file <path>   also write that JSON document to <path>, the text still printed (CI:
                       one run gives the summary, the artifact and the gate)
  --strict             exit 1 when a row pages wrongly, a worst case is over its goal, or the
                       monthly cost is over budget (CI gates on it), naming why
  -h, --help           this help

${EXIT_CODES_HELP}
An invalid stack config exits 1, an unknown stack 2.
`;

const SPEC = { name: "plan", help: HELP };

/** The command line, checked before the program loads: a wrong one fails at once. */
function planArguments(argv: readonly string[]): PlanArguments {
    const { values, positionals } = parseCommandLine(argv, {
        stack: { type: "string" },
        json: { type: "boolean" },
        "json-file": { type: "string" },
        strict: { type: "boolean" },
        set: { type: "string", multiple: true },
    });
    return {
        stack: oneStack(stringFlag(values, "stack"), positionals),
        json: booleanFlag(values, "json"),
        jsonFile: outputFileFlag("--json-file", stringFlag(values, "json-file")),
        strict: booleanFlag(values, "strict"),
        sets: (values.set as string[] | undefined) ?? [],
    };
}

/** The plan itself, loaded only when it runs: --help and usage errors stay instant. */
async function plan(argv: readonly string[]): Promise<number> {
    const parsed = planArguments(argv);
    return (await import("./plan-run.js")).plan(parsed);
}

if (require.main === module) {
    void runTool(SPEC, process.argv.slice(2), consoleIo, () => plan(process.argv.slice(2))).then(
        exitWhenDrained,
    );
}
