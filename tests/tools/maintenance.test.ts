import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
    CloudWatchClient,
    DescribeAlarmsCommand,
    PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import {
    CLUSTER_ROLES,
    maintenanceSecondsLeft,
    type ClusterRole,
} from "../../monitor-function/src/contract";
import { main } from "../../tools/cli/maintenance";
import type { AwsClients } from "../../tools/operator/aws";
import type { CliContext } from "../../tools/operator/cli";
import { virtualClock } from "../../tools/operator/clock";
import { readStackOutputs, type StackOutputs } from "../../tools/operator/outputs";

const FIXTURE = path.resolve(__dirname, "..", "fixtures", "stack-outputs.dev.json");
/** The fixture holds every output, the optional ones too. */
type FullOutputs = StackOutputs & {
    drillTemplates: Record<ClusterRole, string>;
    pagingAlarms: Record<
        ClusterRole,
        { clusterDown: Record<ClusterRole, string>; consistency: string; peering: string }
    >;
};
const ACCOUNT = "123456789012";
/** The fixture, with the stack and account the program now exports. */
const OUTPUTS = {
    ...(JSON.parse(readFileSync(FIXTURE, "utf8")) as FullOutputs),
    stackName: "dev",
    accountId: ACCOUNT,
};
const TEMP = mkdtempSync(path.join(os.tmpdir(), "maintenance-test-"));
after(() => rmSync(TEMP, { recursive: true, force: true }));
/** `outputs` as a file, as `pulumi stack output --json` writes them. */
function outputsFile(outputs: object): string {
    const file = path.join(mkdtempSync(path.join(TEMP, "outputs-")), "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    return file;
}
const OUTPUTS_FILE = outputsFile(OUTPUTS);
const [EAST_1, EAST_2] = [OUTPUTS.regions.primary, OUTPUTS.regions.secondary];
const T0 = new Date("2025-06-02T14:00:00.000Z");
const CALLER = "arn:aws:sts::123456789012:assumed-role/dr-operator/sam.lee@example.com";
const NO_MAINTENANCE = JSON.stringify({ until: null });
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000).toISOString();
/** A suppressor evaluates per minute: it reaches ALARM this long after the signal. */
const SUPPRESSOR_LAG_SECONDS = 60;

/**
 * SSM, CloudWatch and STS of both regions, mocked: parameters are stored, and each
 * suppressor plays the monitor's part: ALARM while its region's stored window is open,
 * from SUPPRESSOR_LAG_SECONDS after the window's signal.
 */
class World {
    readonly clock = virtualClock(T0);
    readonly calls: { api: string; region: string; input: any }[] = [];
    readonly aws: AwsClients;
    private readonly parameters = new Map<string, string>();
    /** Per region: when MaintenanceWindow=1 was last sent (ms). */
    private readonly signalled = new Map<string, number>();

    constructor(
        private readonly alarming: readonly string[] = [],
        /** "Api region" → the error that call fails with. */
        private readonly failing: Readonly<Record<string, Error>> = {},
        private readonly account = ACCOUNT,
    ) {
        const credentials = { accessKeyId: "test", secretAccessKey: "test" };
        const byRegion = new Map<string, any>();
        for (const region of [EAST_1, EAST_2]) {
            const clients = {
                cloudwatch: new CloudWatchClient({ region, credentials }),
                ssm: new SSMClient({ region, credentials }),
            };
            const cloudwatch = mockClient(clients.cloudwatch);
            cloudwatch
                .on(DescribeAlarmsCommand)
                .callsFake(async (input) => this.answer("DescribeAlarms", region, input));
            cloudwatch
                .on(PutMetricDataCommand)
                .callsFake(async (input) => this.answer("PutMetricData", region, input));
            const ssm = mockClient(clients.ssm);
            ssm.on(GetParameterCommand).callsFake(async (input) =>
                this.answer("GetParameter", region, input),
            );
            ssm.on(PutParameterCommand).callsFake(async (input) =>
                this.answer("PutParameter", region, input),
            );
            byRegion.set(region, clients);
        }
        const sts = new STSClient({ region: EAST_1, credentials });
        mockClient(sts)
            .on(GetCallerIdentityCommand)
            .callsFake(async (input) => this.answer("GetCallerIdentity", EAST_1, input));
        this.aws = { sts, in: (region) => byRegion.get(region) };
    }

    apis(): string[] {
        return this.calls.map((c) => `${c.api} ${c.region}`);
    }

    private answer(api: string, region: string, input: any): unknown {
        this.calls.push({ api, region, input });
        const failure = this.failing[`${api} ${region}`];
        if (failure) throw failure;
        switch (api) {
            case "GetCallerIdentity":
                return { Arn: CALLER, Account: this.account };
            case "PutParameter":
                this.parameters.set(region, input.Value);
                return { Version: 3 };
            case "GetParameter":
                return { Parameter: { Value: this.parameters.get(region) ?? NO_MAINTENANCE } };
            case "PutMetricData":
                if (input.MetricData[0].Value === 1) {
                    this.signalled.set(region, this.clock.now().getTime());
                }
                return {};
            case "DescribeAlarms":
                return this.alarms(region, input.AlarmNames);
        }
        throw new Error(`unscripted call ${api}`);
    }

    private alarms(region: string, names: string[]) {
        const role = CLUSTER_ROLES.find((r) => OUTPUTS.regions[r] === region)!;
        const now = this.clock.now();
        const open = maintenanceSecondsLeft(this.parameters.get(region), now) > 0;
        const since = new Date(T0.getTime() - 3_600_000);
        const signalled = this.signalled.get(region);
        const holdsFrom =
            signalled === undefined ? undefined : signalled + SUPPRESSOR_LAG_SECONDS * 1000;
        const holding = open && holdsFrom !== undefined && now.getTime() >= holdsFrom;
        const state = (name: string) => ({
            AlarmName: name,
            StateValue: this.alarming.includes(name) ? "ALARM" : "OK",
            StateTransitionedTimestamp: since,
        });
        return {
            MetricAlarms: names
                .filter((n) => n === OUTPUTS.suppressorAlarms[role])
                .map((n) => ({
                    ...state(n),
                    StateValue: holding ? "ALARM" : "OK",
                    ...(holding && { StateTransitionedTimestamp: new Date(holdsFrom!) }),
                })),
            CompositeAlarms: names
                .filter((n) => n !== OUTPUTS.suppressorAlarms[role])
                .map((n) => ({ ...state(n), ActionsSuppressorExtensionPeriod: 60 })),
        };
    }
}

/** `./task maintenance dev <args>` against `world`, with dev's outputs unless `--outputs` is given. */
async function maintenance(world: World, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
        clock: world.clock,
        interrupts: { subscribe: () => () => undefined },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        readOutputs: (stack, file) => readStackOutputs(stack, file),
        declaredOutputs: () => Promise.reject(new Error("only a dry run without --outputs")),
        awsClients: () => world.aws,
        loadBound: () => Promise.reject(new Error("maintenance needs no bound")),
        toolVersion: () => "test",
    };
    const outputs = args.includes("--outputs") ? [] : ["--outputs", OUTPUTS_FILE];
    const code = await main(["dev", ...args, ...outputs], ctx);
    return { code, out, err };
}

describe("maintenance window", () => {
    it("on writes the window in both regions, raises the signal and says when it ends by itself", async () => {
        const world = new World();
        const run = await maintenance(world, "on", "--for", "30m", "--reason", "schema change");
        assert.equal(run.code, 0, run.err.join("\n"));
        assert.deepEqual(world.apis(), [
            `GetCallerIdentity ${EAST_1}`,
            `PutParameter ${EAST_1}`,
            `PutMetricData ${EAST_1}`,
            `PutParameter ${EAST_2}`,
            `PutMetricData ${EAST_2}`,
        ]);
        assert.deepEqual(
            run.out.slice(0, 2),
            [EAST_1, EAST_2].map(
                (region) =>
                    `${region}: ok: ${OUTPUTS.maintenanceParameters.primary} written, MaintenanceWindow=1 sent`,
            ),
        );
        for (const write of world.calls.filter((c) => c.api === "PutParameter")) {
            assert.equal(write.input.Name, OUTPUTS.maintenanceParameters.primary);
            assert.equal(write.input.Overwrite, true);
            assert.deepEqual(JSON.parse(write.input.Value), {
                until: at(1800),
                since: at(0),
                reason: "schema change",
                by: CALLER,
            });
        }
        const signals = world.calls.filter((c) => c.api === "PutMetricData");
        assert.deepEqual(
            signals.map((c) => c.input.MetricData[0].Dimensions[1]),
            [EAST_1, EAST_2].map((region) => ({ Name: "ObserverRegion", Value: region })),
        );
        assert.match(run.out.join("\n"), new RegExp(`closes by itself at ${at(1800)}`));
    });

    it("a window nobody closes expires by itself", async () => {
        const world = new World();
        await maintenance(world, "on", "--for", "30m");
        await world.clock.sleep(10 * 60_000);
        const open = await maintenance(world, "status");
        assert.equal(open.code, 0);
        const suppressor = OUTPUTS.suppressorAlarms.primary;
        assert.match(open.out.join("\n"), /window: {5}open, 20m left/);
        assert.match(open.out.join("\n"), new RegExp(`suppressor: ${suppressor} ALARM`));

        await world.clock.sleep(21 * 60_000);
        const expired = await maintenance(world, "status");
        const text = expired.out.join("\n");
        assert.match(text, new RegExp(`window: {5}closed: expired at ${at(1800)}`));
        assert.match(text, new RegExp(`suppressor: ${suppressor} OK`));
        assert.equal(world.calls.filter((c) => c.api === "PutParameter").length, 2, "no write");
    });

    it("status shows each region's paging alarms and a suppressor that is not holding yet", async () => {
        const world = new World();
        await maintenance(world, "on", "--for", "1h");
        const run = await maintenance(world, "status");
        assert.equal(run.code, 0, run.err.join("\n"));
        const lines = run.out;
        /** The suppressor lines followed by the warning that pages still go out. */
        const notHolding = (out: string[]) =>
            out.filter(
                (_line, i) =>
                    out[i + 1] === "              not in ALARM yet: pages are NOT held back yet",
            );
        assert.deepEqual(
            notHolding(lines),
            CLUSTER_ROLES.map(
                (role) => `  suppressor: ${OUTPUTS.suppressorAlarms[role]} OK since ${at(-3600)}`,
            ),
        );
        assert.deepEqual(
            lines.filter((l) => !l.startsWith(" ")),
            [`${EAST_1} (primary cell)`, `${EAST_2} (secondary cell)`],
        );
        for (const observer of CLUSTER_ROLES) {
            const cell = OUTPUTS.pagingAlarms[observer];
            for (const name of [
                ...Object.values(cell.clusterDown),
                cell.consistency,
                cell.peering,
                cell.monitor,
            ]) {
                assert.ok(
                    lines.some((l) => l.includes(`page:       ${name}`)),
                    name,
                );
            }
        }

        await world.clock.sleep(SUPPRESSOR_LAG_SECONDS * 1000);
        const holding = await maintenance(world, "status");
        assert.deepEqual(notHolding(holding.out), []);
        assert.ok(!holding.out.some((line) => line.includes("NOT held back")));
        for (const role of CLUSTER_ROLES) {
            const suppressor = `  suppressor: ${OUTPUTS.suppressorAlarms[role]} ALARM since ${at(SUPPRESSOR_LAG_SECONDS)}`;
            assert.ok(holding.out.includes(suppressor), suppressor);
        }
    });

    it("off writes NO_MAINTENANCE in both regions and warns about pages still in ALARM", async () => {
        const stuck = OUTPUTS.pagingAlarms.secondary.consistency;
        const world = new World([stuck]);
        await maintenance(world, "on", "--for", "30m");
        const run = await maintenance(world, "off");
        assert.equal(run.code, 0);
        const writes = world.calls.filter((c) => c.api === "PutParameter").slice(2);
        assert.deepEqual(
            writes.map((c) => [c.region, c.input.Value]),
            [
                [EAST_1, NO_MAINTENANCE],
                [EAST_2, NO_MAINTENANCE],
            ],
        );
        assert.deepEqual(run.err, [
            `warning: ${stuck} (consistency, ${EAST_2}) is ALARM: it will notify once the suppressor is back to OK and its extension period (60 s) has passed`,
        ]);
    });

    it("refuses a window longer than the monitor honours", async () => {
        const world = new World();
        const run = await maintenance(world, "on", "--for", "13h");
        assert.equal(run.code, 2);
        assert.equal(
            run.err[0],
            'maintenance: --for 13h: longer than the 12h the monitor honours (MAX_MAINTENANCE_SECONDS); open a shorter window and renew it with "on" before it ends',
        );
        assert.deepEqual(world.calls, []);
    });

    it("on needs --for", async () => {
        const run = await maintenance(new World(), "on");
        assert.equal(run.code, 2);
        assert.equal(run.err[0], "maintenance: on needs --for <duration>, e.g. --for 30m");
        assert.equal(run.err[1], 'Run "./task maintenance --help" for usage.');
    });

    it("rejects a malformed --for", async () => {
        const run = await maintenance(new World(), "on", "--for", "half an hour");
        assert.equal(run.code, 2);
        assert.equal(
            run.err[0],
            'maintenance: --for "half an hour": expected a duration such as 30s, 10m, 1h or 1h30m',
        );
    });

    it("rejects an unknown action", async () => {
        const run = await maintenance(new World(), "pause");
        assert.equal(run.code, 2);
        assert.equal(run.err[0], 'maintenance: <action> "pause": expected one of on, off, status');
    });

    it("rejects --for with off", async () => {
        const run = await maintenance(new World(), "off", "--for", "30m");
        assert.equal(run.code, 2);
        assert.equal(run.err[0], 'maintenance: --for applies only to "on"');
    });

    it("rejects an unknown flag", async () => {
        const run = await maintenance(new World(), "status", "--verbose");
        assert.equal(run.code, 2);
        assert.equal(
            run.err[0],
            'maintenance: unknown flag "--verbose" (flags: --for, --reason, --outputs, --allow-unverified-outputs, --dry-run)',
        );
    });
});

describe("maintenance in every region", () => {
    const denied = (what: string) =>
        Object.assign(new Error(`User: ${CALLER} is not authorized to perform: ${what}`), {
            name: "AccessDeniedException",
        });

    it("on tries the second region when the first fails, reports each, and names what is in maintenance", async () => {
        const world = new World([], { [`PutParameter ${EAST_1}`]: denied("ssm:PutParameter") });
        const run = await maintenance(world, "on", "--for", "30m");
        assert.equal(run.code, 1);
        assert.deepEqual(world.apis(), [
            `GetCallerIdentity ${EAST_1}`,
            `PutParameter ${EAST_1}`,
            `PutParameter ${EAST_2}`,
            `PutMetricData ${EAST_2}`,
        ]);
        assert.deepEqual(run.out, [
            `${EAST_2}: ok: ${OUTPUTS.maintenanceParameters.secondary} written, MaintenanceWindow=1 sent`,
        ]);
        assert.equal(
            run.err[0],
            `${EAST_1}: FAILED: AccessDeniedException: User: ${CALLER} is not authorized to perform: ssm:PutParameter`,
        );
        assert.match(
            run.err[1],
            new RegExp(
                `^maintenance: in maintenance: ${EAST_2}; NOT in maintenance: ${EAST_1} \\(its pages still go out\\)`,
            ),
        );
        assert.match(run.err[1], /run "\.\/task maintenance dev on --for 30m" again/);
    });

    it("on counts a region whose window is written but whose signal failed, and says when pages are held", async () => {
        const world = new World([], {
            [`PutMetricData ${EAST_2}`]: denied("cloudwatch:PutMetricData"),
        });
        const run = await maintenance(world, "on", "--for", "30m");
        assert.equal(run.code, 0, run.err.join("\n"));
        assert.match(
            run.out[1],
            new RegExp(
                `^${EAST_2}: ok: .* written; MaintenanceWindow=1 NOT sent \\(AccessDeniedException: .*\\): pages are held back from the monitor's next round$`,
            ),
        );
    });

    it("off closes every region it can, and names the one still in maintenance", async () => {
        const world = new World([], { [`PutParameter ${EAST_2}`]: denied("ssm:PutParameter") });
        const run = await maintenance(world, "off");
        assert.equal(run.code, 1);
        assert.deepEqual(
            world.apis().filter((a) => a.startsWith("PutParameter")),
            [`PutParameter ${EAST_1}`, `PutParameter ${EAST_2}`],
        );
        assert.match(run.out[0], new RegExp(`^${EAST_1}: ok: .*window closed$`));
        assert.match(
            run.err.at(-1)!,
            new RegExp(`^maintenance: closed in: ${EAST_1}; still in maintenance: ${EAST_2} `),
        );
    });

    it("status reports a region it cannot read and still shows the other", async () => {
        const world = new World([], { [`GetParameter ${EAST_1}`]: denied("ssm:GetParameter") });
        const run = await maintenance(world, "status");
        assert.equal(run.code, 1);
        assert.match(
            run.err[0],
            new RegExp(`^${EAST_1}: FAILED to read its status: AccessDeniedException`),
        );
        assert.ok(run.out.includes(`${EAST_2} (secondary cell)`));
        assert.ok(run.out.some((l) => l.startsWith("  window:     closed")));
    });

    it("--dry-run prints every call of on, in order, and makes none", async () => {
        const world = new World();
        const run = await maintenance(
            world,
            "on",
            "--for",
            "30m",
            "--reason",
            "CHG-1",
            "--dry-run",
        );
        assert.equal(run.code, 0, run.err.join("\n"));
        assert.deepEqual(world.calls, []);
        const calls = run.out
            .map((line) => /^\s+\d+\. (\S+) \[(\S+)\]/.exec(line))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => `${m[1]} ${m[2]}`);
        assert.deepEqual(calls, [
            `sts:GetCallerIdentity ${EAST_1}`,
            `ssm:PutParameter ${EAST_1}`,
            `cloudwatch:PutMetricData ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
            `cloudwatch:PutMetricData ${EAST_2}`,
        ]);
        const text = run.out.map((line) => line.trim()).join(" ");
        assert.match(text, new RegExp(`must answer account ${ACCOUNT}`));
        assert.match(text, /CHG-1/);
        // The real run makes exactly those calls.
        const real = new World();
        await maintenance(real, "on", "--for", "30m", "--reason", "CHG-1");
        assert.deepEqual(
            real.calls.map((c) => c.api),
            calls.map((c) => c.split(" ")[0].split(":")[1]),
        );
    });

    it("--dry-run without --outputs plans from the program's declaration and says so", async () => {
        const asked: string[] = [];
        const world = new World();
        const out: string[] = [];
        const code = await main(["dev", "off", "--dry-run"], {
            clock: world.clock,
            interrupts: { subscribe: () => () => undefined },
            out: (line) => out.push(line),
            err: () => undefined,
            readOutputs: () => Promise.reject(new Error("the Pulumi CLI is not asked")),
            declaredOutputs: async (stack) => {
                asked.push(stack);
                return OUTPUTS;
            },
            awsClients: () => world.aws,
            loadBound: () => Promise.reject(new Error("maintenance needs no bound")),
            toolVersion: () => "test",
        });
        assert.equal(code, 0);
        assert.deepEqual(asked, ["dev"]);
        assert.match(out[0], /^Offline: no --outputs given/);
        assert.deepEqual(world.calls, []);
    });

    it("refuses another stack's outputs, and credentials of another account, before changing anything", async () => {
        const world = new World();
        const prod = outputsFile({ ...OUTPUTS, stackName: "prod" });
        const other = await maintenance(world, "on", "--for", "30m", "--outputs", prod);
        assert.equal(other.code, 1);
        assert.match(other.err[0], /^maintenance: refused: the outputs are stack "prod"'s/);
        assert.deepEqual(world.calls, []);

        const elsewhere = new World([], {}, "210987654321");
        const run = await maintenance(elsewhere, "off");
        assert.equal(run.code, 1);
        assert.match(
            run.err[0],
            /^maintenance: refused: your credentials are for account 210987654321/,
        );
        assert.deepEqual(elsewhere.apis(), [`GetCallerIdentity ${EAST_1}`]);
    });
});
