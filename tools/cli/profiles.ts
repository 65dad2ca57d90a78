/**
 * Detection profiles compared on one stack: plans the stack offline once per profile (each
 * with its own schedule, probe bound and N of M) and prints, side by side, the worst case of
 * every row the profiles detect at different speeds, the monthly cost, and what the dearer
 * profile buys: seconds sooner per extra dollar a month. Usage: HELP below
 * (`./task profiles --help`).
 */
import { consoleIo, EXIT_CODES_HELP, exitWhenDrained, runTool } from "../operator/tool";

const HELP = `usage: ./task profiles [stack | --stack stack] [--json] [--set key=value]...

Compares the detection profiles on a stack (default dev): runs \`./task plan <stack> --json
--set detectionProfile=<profile>\` for each profile, leaving the keys a profile fills
(monitoringSchedule, lambdaTimeoutSeconds, probeTimeoutSeconds, datapointsToAlarm,
evaluationPeriods) to the profile, and prints the worst case of every row the profiles detect
at different speeds, each profile's monthly cost, and what the dearer profile buys in seconds
sooner per dollar a month. Offline, like the plan; it changes no file.

Flags:
  --stack <stack>      the stack (or as the first argument)
  --set key=value      override another config key in every profile's plan (repeatable)
  --json               the comparison as one JSON document
  -h, --help           this help

${EXIT_CODES_HELP}
A profile whose plan fails (an invalid config with that profile) exits 1, naming it.
`;

const SPEC = { name: "profiles", help: HELP };

/** The comparison itself, loaded only when it runs: --help and usage errors stay instant. */
async function profiles(argv: readonly string[]): Promise<number> {
    return (await import("./profiles-run.js")).profiles(argv);
}

if (require.main === module) {
    void runTool(SPEC, process.argv.slice(2), consoleIo, () =>
        profiles(process.argv.slice(2)),
    ).then(exitWhenDrained);
}
