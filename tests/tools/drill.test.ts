import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { EventEmitter } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
    CloudWatchClient,
    DescribeAlarmsCommand,
    GetMetricDataCommand,
    PutMetricDataCommand,
    SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import {
    FisClient,
    GetExperimentCommand,
    GetExperimentTemplateCommand,
    ListExperimentsCommand,
    StartExperimentCommand,
    StopExperimentCommand,
} from "@aws-sdk/client-fis";
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { CLUSTER_ROLES, type ClusterRole } from "../../monitor-function/src/contract";
import { validateConfig } from "../../infra/config";
import { main } from "../../tools/cli/drill";
import type { AwsClients, RegionalClients } from "../../tools/operator/aws";
import type { CliContext } from "../../tools/operator/cli";
import { virtualClock, type Interrupts } from "../../tools/operator/clock";
import { readStackOutputs, type StackOutputs } from "../../tools/operator/outputs";
import type { DrillReport, PagingPathReport } from "../../tools/operator/report";
import type { DetectionBound } from "../../tools/operator/verdict";
import { COMPLETION_GRACE_SECONDS } from "../../tools/operator/experiment-run";
import { MOCK_ACCOUNT, MOCK_SUFFIX } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { detectionBounds } from "../../tools/simulation/verdict-simulation";

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join(REPO, "tests", "fixtures", "stack-outputs.dev.json");
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
const PAGES = OUTPUTS.pagingAlarms;
const [EAST_1, EAST_2] = [OUTPUTS.regions.primary, OUTPUTS.regions.secondary];
const T0 = new Date("2025-06-02T09:00:00.000Z");
const CALLER = "arn:aws:sts::123456789012:assumed-role/dr-operator/jane.doe@example.com";
/** dev's "cluster down" bound, from the same simulation `./task drill` reads. */
let BOUND: DetectionBound;
/** Every report and outputs file of this file's tests, removed at the end. */
let TEMP: string;
/** dev's outputs as a file, as `pulumi stack output --json` writes them. */
let OUTPUTS_FILE: string;
before(async () => {
    BOUND = (await detectionBounds("dev")).clusterDown!;
    TEMP = mkdtempSync(path.join(os.tmpdir(), "drill-test-"));
    OUTPUTS_FILE = outputsFile(OUTPUTS);
});
/** `outputs` written to a file of their own. */
function outputsFile(outputs: object): string {
    const file = path.join(mkdtempSync(path.join(TEMP, "outputs-")), "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    return file;
}
after(() => rmSync(TEMP, { recursive: true, force: true }));
/** How long dev's drill template injects. */
const DURATION = (() => {
    const parsed = validateConfig("dev", stackConfig("dev"));
    if (!("config" in parsed)) throw new Error("the dev stack's config is invalid");
    return parsed.config.drillDurationMinutes * 60;
})();
const EXPERIMENT = "EXP7dSpR2aXk9Lw3mQ";
const TOOL_VERSION = "361c8d0f2a4b";
const NO_MAINTENANCE = JSON.stringify({ until: null });

/** A page of the script: seconds after injection, and after the fault's end (null: never). */
interface Page {
    readonly alarmAfter: number;
    readonly okAfter: number | null;
}

interface Scenario {
    /** The template's duration (PT…); the fault lasts this long unless stopped. */
    readonly durationSeconds?: number;
    readonly pages?: Record<string, Page>;
    readonly startError?: Error;
    readonly noCredentials?: boolean;
    /** The account the credentials are for (default: the stack's). */
    readonly account?: string;
    /** Seconds FIS takes, after the action has ended, to report the experiment completed. */
    readonly completionLag?: number;
    /** Ctrl-C, seconds after injection. */
    readonly interruptAfter?: number;
    /** Per topic name: AWS/SNS sums once the forced page has gone out. */
    readonly deliveries?: Record<string, { delivered: number; failed: number }>;
    /** Topic names whose e-mail subscription awaits confirmation. */
    readonly unconfirmed?: readonly string[];
    /** Per topic name: HTTPS subscriptions (PagerDuty…) it has besides the e-mail one. */
    readonly https?: Record<string, readonly { url: string; confirmed: boolean }[]>;
    /** Pages already in ALARM before the run. */
    readonly alarming?: readonly string[];
}

interface Call {
    readonly api: string;
    readonly region: string;
    readonly input: any;
    /** Seconds after T0. */
    readonly at: number;
}

const QUIET = { state: "OK", since: -86_400 };
const topicName = (arn: string) => arn.split(":").at(-1)!;
const roleOf = (region: string) => CLUSTER_ROLES.find((r) => OUTPUTS.regions[r] === region)!;

/**
 * A scripted AWS: the SDK clients are real, their `send` is mocked, and every answer is a
 * function of the virtual clock and of what the tool did before (window opened, experiment
 * started or stopped, alarm forced). Every call is recorded with its region and time.
 */
class World {
    readonly clock = virtualClock(T0);
    readonly calls: Call[] = [];
    readonly aws: AwsClients;
    readonly interrupts: Interrupts;
    private readonly signals = new EventEmitter();
    private readonly parameters = new Map<string, string>();
    private readonly windowOpened = new Map<string, number>();
    private readonly windowClosed = new Map<string, number>();
    private readonly forced = new Map<string, { state: string; since: number }>();
    private startedAt?: number;
    private stoppedAt?: number;
    private interrupted = false;

    constructor(private readonly scenario: Scenario = {}) {
        this.interrupts = {
            subscribe: (listener) => {
                this.signals.on("SIGINT", listener);
                return () => this.signals.off("SIGINT", listener);
            },
        };
        this.aws = this.clients();
    }

    /** "api region" of the calls that change something, in order. */
    changes(): string[] {
        return this.calls
            .filter((c) => !/:(Describe|Get|List)/.test(c.api))
            .map((c) => `${c.api} ${c.region}`);
    }

    callsOf(api: string): Call[] {
        return this.calls.filter((c) => c.api === api);
    }

    private now(): number {
        return (this.clock.now().getTime() - T0.getTime()) / 1000;
    }

    private date(seconds: number): Date {
        return new Date(T0.getTime() + seconds * 1000);
    }

    private clients(): AwsClients {
        const credentials = { accessKeyId: "test", secretAccessKey: "test" };
        const byRegion = new Map<string, RegionalClients>();
        for (const region of [EAST_1, EAST_2]) {
            const clients = {
                cloudwatch: new CloudWatchClient({ region, credentials }),
                ssm: new SSMClient({ region, credentials }),
                sns: new SNSClient({ region, credentials }),
                fis: new FisClient({ region, credentials }),
            };
            this.fake(clients.cloudwatch, "cloudwatch", region, {
                DescribeAlarms: DescribeAlarmsCommand,
                PutMetricData: PutMetricDataCommand,
                SetAlarmState: SetAlarmStateCommand,
                GetMetricData: GetMetricDataCommand,
            });
            this.fake(clients.ssm, "ssm", region, {
                GetParameter: GetParameterCommand,
                PutParameter: PutParameterCommand,
            });
            this.fake(clients.sns, "sns", region, {
                ListSubscriptionsByTopic: ListSubscriptionsByTopicCommand,
            });
            this.fake(clients.fis, "fis", region, {
                GetExperimentTemplate: GetExperimentTemplateCommand,
                ListExperiments: ListExperimentsCommand,
                StartExperiment: StartExperimentCommand,
                GetExperiment: GetExperimentCommand,
                StopExperiment: StopExperimentCommand,
            });
            byRegion.set(region, clients);
        }
        const sts = new STSClient({ region: EAST_1, credentials });
        this.fake(sts, "sts", EAST_1, { GetCallerIdentity: GetCallerIdentityCommand });
        return { sts, in: (region) => byRegion.get(region)! };
    }

    private fake(client: any, service: string, region: string, commands: Record<string, any>) {
        const mock = mockClient(client);
        for (const [name, command] of Object.entries(commands)) {
            mock.on(command).callsFake(async (input: any) =>
                this.answer(`${service}:${name}`, region, input),
            );
        }
    }

    private answer(api: string, region: string, input: any): unknown {
        this.calls.push({ api, region, input, at: this.now() });
        switch (api) {
            case "sts:GetCallerIdentity":
                if (this.scenario.noCredentials) {
                    throw Object.assign(
                        new Error("Could not load credentials from any providers"),
                        {
                            name: "CredentialsProviderError",
                        },
                    );
                }
                return { Arn: CALLER, Account: this.scenario.account ?? ACCOUNT };
            case "fis:GetExperimentTemplate":
                return { experimentTemplate: this.template(input.id) };
            case "fis:ListExperiments":
                return {
                    experiments: [
                        {
                            id: "EXPpreviousDrill01",
                            experimentTemplateId: OUTPUTS.drillTemplates[roleOf(region)],
                            state: { status: "completed" },
                        },
                    ],
                };
            case "fis:StartExperiment":
                if (this.scenario.startError) throw this.scenario.startError;
                this.startedAt = this.now();
                return { experiment: { id: EXPERIMENT, state: { status: "initiating" } } };
            case "fis:GetExperiment":
                return { experiment: { id: EXPERIMENT, ...this.experiment() } };
            case "fis:StopExperiment":
                this.stoppedAt = this.now();
                return { experiment: { id: EXPERIMENT, state: { status: "stopping" } } };
            case "cloudwatch:DescribeAlarms":
                this.pressCtrlC();
                return this.alarms(region, input.AlarmNames);
            case "cloudwatch:PutMetricData":
                this.windowOpened.set(region, this.now());
                return {};
            case "cloudwatch:SetAlarmState":
                this.forced.set(input.AlarmName, { state: input.StateValue, since: this.now() });
                return {};
            case "cloudwatch:GetMetricData":
                return this.deliveries(region, input);
            case "ssm:PutParameter":
                this.parameters.set(region, input.Value);
                if (input.Value === NO_MAINTENANCE) this.windowClosed.set(region, this.now());
                return { Version: 2 };
            case "ssm:GetParameter":
                return {
                    Parameter: {
                        Name: input.Name,
                        Value: this.parameters.get(region) ?? NO_MAINTENANCE,
                    },
                };
            case "sns:ListSubscriptionsByTopic":
                return { Subscriptions: this.subscriptions(input.TopicArn) };
        }
        throw new Error(`unscripted call ${api}`);
    }

    private template(id: string) {
        const role = CLUSTER_ROLES.find((r) => OUTPUTS.drillTemplates[r] === id)!;
        return {
            id,
            actions: {
                "connection-failure": {
                    actionId: "aws:dsql:cluster-connection-failure",
                    parameters: { duration: `PT${this.duration() / 60}M`, percentage: "100" },
                    targets: { Clusters: "cluster" },
                },
            },
            targets: {
                cluster: {
                    resourceType: "aws:dsql:cluster",
                    resourceArns: [OUTPUTS.clusterArns[role]],
                    selectionMode: "ALL",
                },
            },
        };
    }

    private duration(): number {
        return this.scenario.durationSeconds ?? DURATION;
    }

    /** FIS resolves targets for 5 s ("initiating"), then the action runs for its duration. */
    private actionStart(): number {
        return this.startedAt! + 5;
    }

    /** When the fault ends: at the template's duration, or 5 s after an earlier StopExperiment. */
    private faultEnd(): number {
        const end = this.actionStart() + this.duration();
        return this.stoppedAt !== undefined ? Math.min(end, this.stoppedAt + 5) : end;
    }

    /** When FIS ends the experiment: completionLag after the action, or 5 s after a stop. */
    private experimentEnd(): number {
        if (this.stoppedAt !== undefined && this.stoppedAt < this.faultEnd() + this.lag()) {
            return this.stoppedAt + 5;
        }
        return this.faultEnd() + this.lag();
    }

    private lag(): number {
        return this.scenario.completionLag ?? 0;
    }

    private experiment() {
        if (this.now() < this.actionStart()) return { state: { status: "initiating" } };
        const action = {
            actionId: "aws:dsql:cluster-connection-failure",
            startTime: this.date(this.actionStart()),
            ...(this.now() >= this.faultEnd() && { endTime: this.date(this.faultEnd()) }),
        };
        const actions = { "connection-failure": action };
        if (this.now() < this.experimentEnd()) {
            const status = this.stoppedAt === undefined ? "running" : "stopping";
            return { state: { status }, actions };
        }
        const state =
            this.stoppedAt === undefined
                ? { status: "completed" }
                : { status: "stopped", reason: "Experiment stopped." };
        return { state, actions, endTime: this.date(this.experimentEnd()) };
    }

    private pressCtrlC(): void {
        const after = this.scenario.interruptAfter;
        if (after === undefined || this.interrupted || this.startedAt === undefined) return;
        if (this.now() >= this.startedAt + after) {
            this.interrupted = true;
            this.signals.emit("SIGINT");
        }
    }

    private pageState(name: string): { state: string; since: number } {
        const forced = this.forced.get(name);
        if (forced) return forced;
        if (this.scenario.alarming?.includes(name)) return { state: "ALARM", since: -600 };
        const page = this.scenario.pages?.[name];
        if (page === undefined || this.startedAt === undefined) return QUIET;
        const alarmAt = this.startedAt + page.alarmAfter;
        if (alarmAt >= this.faultEnd() || this.now() < alarmAt) return QUIET;
        const okAt = page.okAfter === null ? Infinity : this.faultEnd() + page.okAfter;
        return this.now() >= okAt
            ? { state: "OK", since: okAt }
            : { state: "ALARM", since: alarmAt };
    }

    /** ALARM a minute after the signal, OK a minute after the window closes. */
    private suppressorState(region: string): { state: string; since: number } {
        const opened = this.windowOpened.get(region);
        const closed = this.windowClosed.get(region);
        if (opened === undefined || this.now() < opened + 60) return QUIET;
        if (closed !== undefined && closed > opened && this.now() >= closed + 60) {
            return { state: "OK", since: closed + 60 };
        }
        return { state: "ALARM", since: opened + 60 };
    }

    private alarms(region: string, names: string[]) {
        const suppressor = OUTPUTS.suppressorAlarms[roleOf(region)];
        const held = this.suppressorState(region);
        const answer = { CompositeAlarms: [] as any[], MetricAlarms: [] as any[] };
        for (const name of names) {
            if (name === suppressor) {
                answer.MetricAlarms.push({
                    AlarmName: name,
                    StateValue: held.state,
                    StateTransitionedTimestamp: this.date(held.since),
                    StateUpdatedTimestamp: this.date(held.since),
                });
                continue;
            }
            const { state, since } = this.pageState(name);
            answer.CompositeAlarms.push({
                AlarmName: name,
                StateValue: state,
                StateTransitionedTimestamp: this.date(since),
                // Moves when another child changes the reason: must not count as detection.
                StateUpdatedTimestamp: this.date(state === "ALARM" ? since + 30 : since),
                ActionsSuppressor: suppressor,
                ActionsSuppressorWaitPeriod: 60,
                ActionsSuppressorExtensionPeriod: 60,
                ...(state === "ALARM" &&
                    held.state === "ALARM" && { ActionsSuppressedBy: "Alarm" }),
            });
        }
        return answer;
    }

    private subscriptions(topicArn: string) {
        const pending = this.scenario.unconfirmed?.includes(topicName(topicArn));
        const https = (this.scenario.https?.[topicName(topicArn)] ?? []).map((s, i) => ({
            SubscriptionArn: s.confirmed
                ? `${topicArn}:7c2e4f1a-0d3b-4a5c-8e6f-9b1d2c3e4f5${i}`
                : "PendingConfirmation",
            Protocol: "https",
            Endpoint: s.url,
        }));
        return [
            pending
                ? {
                      SubscriptionArn: "PendingConfirmation",
                      Protocol: "email",
                      Endpoint: "oncall@example.com",
                  }
                : {
                      SubscriptionArn: `${topicArn}:0b6a1e2c-5d4f-4e1a-9c3b-7a8d9e0f1a2b`,
                      Protocol: "email",
                      Endpoint: "dr-alerts-dev@example.com",
                  },
            ...https,
        ].map((s) => ({ ...s, TopicArn: topicArn, Owner: "123456789012" }));
    }

    /** The forced page shows in AWS/SNS two minutes after it went out. */
    private deliveries(region: string, input: any) {
        const forced = this.forced.get(PAGES[roleOf(region)].monitor);
        const topic = input.MetricDataQueries[0].MetricStat.Metric.Dimensions[0].Value;
        const sums = this.scenario.deliveries?.[topic] ?? { delivered: 1, failed: 0 };
        const shown = forced !== undefined && this.now() >= forced.since + 120;
        const values = { published: 1, ...sums };
        return {
            MetricDataResults: input.MetricDataQueries.map((q: any) => ({
                Id: q.Id,
                Values: shown ? [values[q.Id as keyof typeof values]] : [],
            })),
        };
    }
}

interface Run {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
    readonly files: string[];
    readonly report?: any;
    readonly json?: string;
    readonly markdown?: string;
}

/** `./task drill dev <args>` against `world`, reports into a fresh directory. */
async function drill(
    world: World,
    args: string[],
    overrides: Partial<CliContext> = {},
    outputs: string[] = ["--outputs", OUTPUTS_FILE],
): Promise<Run> {
    const dir = mkdtempSync(path.join(TEMP, "run-"));
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
        clock: world.clock,
        interrupts: world.interrupts,
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        readOutputs: (stack, file) => readStackOutputs(stack, file),
        declaredOutputs: () => Promise.reject(new Error("only a dry run without --outputs")),
        awsClients: () => world.aws,
        loadBound: async () => BOUND,
        toolVersion: () => TOOL_VERSION,
        ...overrides,
    };
    const code = await main(["dev", ...args, ...outputs, "--out", dir], ctx);
    const files = readdirSync(dir).map((f) => path.join(dir, f));
    const json = files.find((f) => f.endsWith(".json"));
    const md = files.find((f) => f.endsWith(".md"));
    const text = json && readFileSync(json, "utf8");
    return {
        code,
        out,
        err,
        files,
        report: text && JSON.parse(text),
        json: text,
        markdown: md && readFileSync(md, "utf8"),
    };
}

/**
 * Both cells page "primary down" 150 s and 170 s into the fault (which starts 5 s after
 * StartExperiment), and clear 90 s and 110 s after it ends.
 */
const PRIMARY_DOWN: Record<string, Page> = {
    [PAGES.primary.clusterDown.primary]: { alarmAfter: 155, okAfter: 90 },
    [PAGES.secondary.clusterDown.primary]: { alarmAfter: 175, okAfter: 110 },
};

const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000).toISOString();

/**
 * The committed example report is exactly what this drill writes (reports are written in
 * the repository's format, so `npm run lint` checks the example too).
 */
function checkExample(run: Run): void {
    const example = path.join(REPO, "docs", "drill-report.example");
    for (const [ext, generated] of [
        ["json", run.json!],
        ["md", run.markdown!],
    ]) {
        const file = `${example}.${ext}`;
        if (process.env.UPDATE_DRILL_EXAMPLE === "1") writeFileSync(file, generated);
        assert.equal(
            readFileSync(file, "utf8"),
            generated,
            `${file} is stale; regenerate: UPDATE_DRILL_EXAMPLE=1 node --import tsx --test tests/tools/drill.test.ts`,
        );
    }
}

describe("fault drill", () => {
    it("passes when both cells page about the target cluster within the bound and then clear", async () => {
        const world = new World({ pages: PRIMARY_DOWN });
        const run = await drill(world, ["--cluster", "primary", "--notify", "suppress"]);
        assert.equal(run.code, 0, run.out.concat(run.err).join("\n"));
        const report = run.report as DrillReport;
        assert.equal(report.result, "pass");
        assert.deepEqual(report.reasons, []);

        // Preflight reads everything before the first change, in the dry run's order.
        assert.deepEqual(
            world.calls.slice(0, 10).map((c) => `${c.api} ${c.region}`),
            [
                `sts:GetCallerIdentity ${EAST_1}`,
                `fis:GetExperimentTemplate ${EAST_1}`,
                `fis:ListExperiments ${EAST_1}`,
                `fis:ListExperiments ${EAST_2}`,
                `cloudwatch:DescribeAlarms ${EAST_1}`,
                `cloudwatch:DescribeAlarms ${EAST_2}`,
                `ssm:GetParameter ${EAST_1}`,
                `ssm:GetParameter ${EAST_2}`,
                `sns:ListSubscriptionsByTopic ${EAST_1}`,
                `sns:ListSubscriptionsByTopic ${EAST_2}`,
            ],
        );
        assert.deepEqual(world.changes(), [
            `ssm:PutParameter ${EAST_1}`,
            `cloudwatch:PutMetricData ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
            `cloudwatch:PutMetricData ${EAST_2}`,
            `fis:StartExperiment ${EAST_1}`,
            `ssm:PutParameter ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
        ]);

        // The window covers suppress wait + fault + stop + recovery wait, and says who and why.
        const [open] = world.callsOf("ssm:PutParameter");
        assert.equal(open.input.Name, OUTPUTS.maintenanceParameters.primary);
        assert.deepEqual(JSON.parse(open.input.Value), {
            until: at(10 * 60 + DURATION + COMPLETION_GRACE_SECONDS + 120 + 15 * 60),
            since: at(0),
            reason: "DR drill: aws:dsql:cluster-connection-failure into the primary cluster",
            by: CALLER,
        });
        const [signal] = world.callsOf("cloudwatch:PutMetricData");
        assert.deepEqual(signal.input.MetricData[0].Dimensions, [
            {
                Name: "Pair",
                Value: `${OUTPUTS.clusterIdentifiers.primary}+${OUTPUTS.clusterIdentifiers.secondary}`,
            },
            { Name: "ObserverRegion", Value: EAST_1 },
        ]);
        assert.equal(signal.input.Namespace, "Aurora/DSQL/DisasterRecovery");
        assert.equal(signal.input.MetricData[0].MetricName, "MaintenanceWindow");
        assert.equal(signal.input.MetricData[0].Value, 1);

        // Injected only once both suppressors held, from the primary's template, in its region.
        const [start] = world.callsOf("fis:StartExperiment");
        assert.equal(start.at, 60, "after the suppressors reached ALARM");
        assert.equal(start.input.experimentTemplateId, OUTPUTS.drillTemplates.primary);
        assert.ok(start.input.clientToken);
        assert.equal(world.callsOf("fis:StopExperiment").length, 0, "it completed by itself");
        // The window closes only once every page is OK again (else they would notify).
        assert.deepEqual(
            world
                .callsOf("ssm:PutParameter")
                .slice(2)
                .map((c) => [c.at, c.input.Value]),
            [
                [60 + 5 + DURATION + 110, NO_MAINTENANCE],
                [60 + 5 + DURATION + 110, NO_MAINTENANCE],
            ],
        );

        assert.deepEqual(
            report.regions.map((r) =>
                r.expected.map((p) => [p.alarm, p.secondsToDetect, p.withinBound]),
            ),
            [
                [[PAGES.primary.clusterDown.primary, 150, true]],
                [[PAGES.secondary.clusterDown.primary, 170, true]],
            ],
        );
        assert.deepEqual(report.detection, {
            simulatedWorstCaseSeconds: BOUND.worstCaseSeconds,
            simulatedTypicalSeconds: BOUND.typicalSeconds,
            firstPageSeconds: 150,
        });
        assert.equal(report.timeToRecoverSeconds, 110);
        assert.deepEqual(report.fault, {
            action: "aws:dsql:cluster-connection-failure",
            templateId: OUTPUTS.drillTemplates.primary,
            percentage: 100,
            durationSeconds: DURATION,
            experimentId: EXPERIMENT,
            injectedAt: at(60),
            actionStartedAt: at(65),
            endedAt: at(65 + DURATION),
            finalStatus: "completed",
            ending: { how: "completed on its own" },
        });
        assert.equal(report.ranBy, CALLER);
        assert.equal(report.toolVersion, TOOL_VERSION);
        assert.equal(report.notify, "suppress");
        assert.ok(
            report.timeline.some(
                (e) =>
                    e.subject === PAGES.secondary.clusterDown.primary &&
                    e.at === at(235) &&
                    e.event === "OK → ALARM (actions suppressed by Alarm)",
            ),
        );
        assert.match(run.markdown!, /— PASS/);
        checkExample(run);
    });

    it("fails when an expected page comes later than the simulated worst case", async () => {
        const late = BOUND.worstCaseSeconds + 80;
        const world = new World({
            durationSeconds: 60 * Math.ceil((late + 180) / 60),
            pages: {
                ...PRIMARY_DOWN,
                // The fault starts 5 s after StartExperiment.
                [PAGES.secondary.clusterDown.primary]: { alarmAfter: late + 5, okAfter: 60 },
            },
        });
        const run = await drill(world, ["--cluster", "primary"]);
        assert.equal(run.code, 1);
        assert.equal(run.report.result, "fail");
        assert.deepEqual(run.report.reasons, [
            `expected page ${PAGES.secondary.clusterDown.primary} (primary cluster down, ${EAST_2}) took ${late} s to detect, past the simulated worst case of ${BOUND.worstCaseSeconds} s`,
        ]);
        assert.ok(run.out.some((line) => line.includes(`took ${late} s`)));
    });

    it("fails when an expected page never enters ALARM", async () => {
        const silent = PAGES.secondary.clusterDown.primary;
        const world = new World({
            pages: Object.fromEntries(
                Object.entries(PRIMARY_DOWN).filter(([name]) => name !== silent),
            ),
        });
        const run = await drill(world, ["--cluster", "primary", "--notify", "suppress"]);
        assert.equal(run.code, 1);
        const report = run.report as DrillReport;
        const reason = `expected page ${silent} (primary cluster down, ${EAST_2}) never entered ALARM`;
        assert.deepEqual(report.reasons, [reason]);
        assert.deepEqual(
            report.regions.map((r) => r.expected.map((p) => [p.alarm, p.enteredAlarmAt])),
            [[[PAGES.primary.clusterDown.primary, at(60 + 155)]], [[silent, undefined]]],
        );
        assert.ok(run.out.some((line) => line.includes(reason)));
        assert.ok(run.markdown!.includes(reason));
    });

    it("fails when an expected page enters ALARM before the fault begins", async () => {
        // FIS starts the action 5 s after StartExperiment; this page fires in between.
        const early = 3;
        const world = new World({
            pages: {
                ...PRIMARY_DOWN,
                [PAGES.primary.clusterDown.primary]: { alarmAfter: 5 - early, okAfter: 90 },
            },
        });
        const run = await drill(world, ["--cluster", "primary", "--notify", "suppress"]);
        assert.equal(run.code, 1);
        const report = run.report as DrillReport;
        assert.equal(report.fault.actionStartedAt, at(60 + 5));
        assert.deepEqual(report.reasons, [
            `expected page ${PAGES.primary.clusterDown.primary} (primary cluster down, ${EAST_1}) entered ALARM ${early} s before the fault`,
        ]);
        assert.deepEqual(
            report.regions[0].expected.map((p) => [
                p.enteredAlarmAt,
                p.secondsToDetect,
                p.withinBound,
            ]),
            [[at(60 + 5 - early), -early, false]],
        );
    });

    it("fails when the other cluster's page fires, and pages for real with --notify page", async () => {
        const world = new World({
            pages: {
                ...PRIMARY_DOWN,
                [PAGES.primary.clusterDown.secondary]: { alarmAfter: 200, okAfter: 30 },
            },
        });
        const run = await drill(world, ["--cluster", "primary"]);
        assert.equal(run.code, 1);
        assert.deepEqual(run.report.reasons, [
            `unexpected page ${PAGES.primary.clusterDown.secondary} (secondary cluster down, ${EAST_1}) entered ALARM at ${at(200)}`,
        ]);
        assert.deepEqual(
            run.report.regions[0].unexpected.map((p: any) => p.alarm),
            [PAGES.primary.clusterDown.secondary],
        );
        // The fault reaches further than it should: the drill ends it at once.
        assert.deepEqual(
            world.changes(),
            [`fis:StartExperiment ${EAST_1}`, `fis:StopExperiment ${EAST_1}`],
            "no window in page mode",
        );
        const [stop] = world.callsOf("fis:StopExperiment");
        assert.ok(stop.at >= 200 && stop.at < 200 + 10, `stopped when seen (${stop.at} s)`);
        assert.equal(run.report.fault.ending.stopReason, "failed-check");
        assert.match(
            run.report.fault.ending.why,
            new RegExp(`^a check failed: unexpected page ${PAGES.primary.clusterDown.secondary} `),
        );
        assert.ok(run.out.some((line) => line.includes("go out as real pages")));
    });

    it("fails with a clear timeline when a page never clears, and still closes the window", async () => {
        const world = new World({
            pages: {
                ...PRIMARY_DOWN,
                [PAGES.secondary.clusterDown.primary]: { alarmAfter: 175, okAfter: null },
            },
        });
        const run = await drill(world, [
            "--cluster",
            "primary",
            "--notify",
            "suppress",
            "--recovery-timeout",
            "5m",
        ]);
        assert.equal(run.code, 1);
        const report = run.report as DrillReport;
        assert.deepEqual(report.reasons, [
            `${PAGES.secondary.clusterDown.primary} (primary cluster down, ${EAST_2}) was still ALARM when the recovery wait ended`,
        ]);
        assert.equal(report.timeToRecoverSeconds, undefined);
        assert.equal(
            report.finishedAt,
            at(60 + 5 + DURATION + 300),
            "waited the whole --recovery-timeout",
        );
        const stuck = report.timeline.filter(
            (e) => e.subject === PAGES.secondary.clusterDown.primary,
        );
        assert.deepEqual(
            stuck.map((e) => [e.at, e.event]),
            [[at(235), "OK → ALARM (actions suppressed by Alarm)"]],
        );
        assert.deepEqual(world.changes().slice(-2), [
            `ssm:PutParameter ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
        ]);
        assert.match(run.markdown!, /was still ALARM when the recovery wait ended/);
    });

    it("fails clearly and closes the window when the experiment does not start", async () => {
        const denied = Object.assign(
            new Error(`User: ${CALLER} is not authorized to perform: fis:StartExperiment`),
            { name: "AccessDeniedException" },
        );
        const world = new World({ pages: PRIMARY_DOWN, startError: denied });
        const run = await drill(world, ["--cluster", "primary", "--notify", "suppress"]);
        assert.equal(run.code, 1);
        assert.deepEqual(run.report.reasons, [
            `the experiment did not start: AccessDeniedException: User: ${CALLER} is not authorized to perform: fis:StartExperiment`,
        ]);
        assert.deepEqual(world.changes().slice(-3), [
            `fis:StartExperiment ${EAST_1}`,
            `ssm:PutParameter ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
        ]);
        assert.equal(world.callsOf("ssm:PutParameter").at(-1)!.input.Value, NO_MAINTENANCE);
        assert.equal(world.callsOf("fis:StopExperiment").length, 0);
        assert.equal(run.report.fault.experimentId, undefined);
    });

    it("stops the experiment and lowers the signal on Ctrl-C, once the pages have cleared", async () => {
        const world = new World({ pages: PRIMARY_DOWN, interruptAfter: 180 });
        const run = await drill(world, ["--cluster", "primary", "--notify", "suppress"]);
        assert.equal(run.code, 1);
        assert.deepEqual(world.changes(), [
            `ssm:PutParameter ${EAST_1}`,
            `cloudwatch:PutMetricData ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
            `cloudwatch:PutMetricData ${EAST_2}`,
            `fis:StartExperiment ${EAST_1}`,
            `fis:StopExperiment ${EAST_1}`,
            `ssm:PutParameter ${EAST_1}`,
            `ssm:PutParameter ${EAST_2}`,
        ]);
        const [stop] = world.callsOf("fis:StopExperiment");
        assert.deepEqual(stop.input, { id: EXPERIMENT });
        assert.equal(stop.at, 60 + 180);
        const closes = world.callsOf("ssm:PutParameter").slice(2);
        assert.ok(closes.every((c) => c.input.Value === NO_MAINTENANCE));
        assert.equal(closes[0].at, 60 + 180 + 5 + 110, "after the last page cleared");
        assert.deepEqual(run.report.reasons, [
            "interrupted by the operator (Ctrl-C) 3m into the fault",
        ]);
        assert.equal(run.report.fault.finalStatus, "stopped");
        assert.deepEqual(run.report.fault.ending, {
            how: "stopped by the drill",
            why: "Ctrl-C",
            stopReason: "ctrl-c",
            stopSentAt: at(60 + 180),
        });
        assert.ok(run.out.some((line) => line.startsWith("Ctrl-C: ending the drill")));
    });

    // FIS reports an experiment completed some time after its action's duration has passed.
    it("lets an experiment that FIS completes late end on its own, and measures from the action's end", async () => {
        const lag = 40;
        const world = new World({ pages: PRIMARY_DOWN, completionLag: lag });
        const run = await drill(world, ["--cluster", "primary", "--notify", "suppress"]);
        assert.equal(run.code, 0, run.out.concat(run.err).join("\n"));
        assert.equal(world.callsOf("fis:StopExperiment").length, 0, "never stopped");
        const report = run.report as DrillReport;
        assert.equal(report.fault.finalStatus, "completed");
        assert.deepEqual(report.fault.ending, { how: "completed on its own" });
        assert.equal(report.fault.endedAt, at(65 + DURATION), "the fault ended with the action");
        assert.equal(report.timeToRecoverSeconds, 110);
        assert.match(run.markdown!, /\| Experiment ended +\| completed on its own +\|/);
    });

    it("stops an experiment FIS has not completed within the grace after its expected end, and says so", async () => {
        const world = new World({ pages: PRIMARY_DOWN, completionLag: 3600 });
        const run = await drill(world, ["--cluster", "primary"]);
        const [stop] = world.callsOf("fis:StopExperiment");
        assert.ok(stop, "StopExperiment sent");
        const expectedEnd = 5 + DURATION;
        assert.ok(
            stop.at >= expectedEnd + COMPLETION_GRACE_SECONDS,
            `not before the grace ran out (sent ${stop.at - expectedEnd} s after the expected end)`,
        );
        const report = run.report as DrillReport;
        assert.equal(report.fault.ending?.stopReason, "overran");
        assert.equal(report.fault.ending?.why, "still running 2m after its expected end");
        assert.equal(report.fault.finalStatus, "stopped");
        assert.deepEqual(report.reasons, [], "the fault ran its whole duration");
        assert.equal(run.code, 0);
        assert.deepEqual(report.warnings, [
            `FIS had not completed experiment ${EXPERIMENT} 2m after its expected end; the drill stopped it`,
        ]);
    });

    it("refuses with a clear message when there are no AWS credentials", async () => {
        const world = new World({ noCredentials: true });
        const run = await drill(world, ["--cluster", "primary"]);
        assert.equal(run.code, 1);
        assert.match(run.err.join("\n"), /^drill: refused: No AWS credentials: /);
        assert.deepEqual(
            world.calls.map((c) => c.api),
            ["sts:GetCallerIdentity"],
        );
        assert.deepEqual(run.files, [], "no report: nothing was done");
    });

    it("refuses a --duration the template does not inject, naming both", async () => {
        const world = new World({ pages: PRIMARY_DOWN });
        const other = `${DURATION / 60 + 5}m`;
        const run = await drill(world, ["--cluster", "primary", "--duration", other]);
        assert.equal(run.code, 1);
        assert.match(
            run.err.join("\n"),
            new RegExp(
                `--duration ${other}: template ${OUTPUTS.drillTemplates.primary} injects for ${DURATION / 60}m; it is fixed when the stack deploys the template`,
            ),
        );
        assert.deepEqual(world.changes(), []);
    });

    it("refuses while a page is already in ALARM", async () => {
        const world = new World({ alarming: [PAGES.secondary.peering] });
        const run = await drill(world, ["--cluster", "secondary"]);
        assert.equal(run.code, 1);
        assert.match(
            run.err.join("\n"),
            new RegExp(
                `${PAGES.secondary.peering} \\(peering, ${EAST_2}\\) is ALARM since ${at(-600)}`,
            ),
        );
        assert.equal(world.callsOf("fis:StartExperiment").length, 0);
    });

    it("--dry-run prints the calls in order and calls no AWS client", async () => {
        const world = new World();
        const untouchable = () => {
            throw new Error("a dry run must not create AWS clients or load the bound");
        };
        const run = await drill(
            world,
            ["--cluster", "primary", "--notify", "suppress", "--dry-run"],
            {
                awsClients: untouchable,
                loadBound: untouchable,
            },
        );
        assert.equal(run.code, 0, run.err.join("\n"));
        assert.deepEqual(world.calls, []);
        assert.deepEqual(run.files, []);
        const text = run.out.join("\n");
        for (const name of [
            OUTPUTS.drillTemplates.primary,
            OUTPUTS.maintenanceParameters.primary,
            OUTPUTS.suppressorAlarms.secondary,
            PAGES.secondary.monitor,
            OUTPUTS.alertTopicArns.secondary,
        ]) {
            assert.ok(text.includes(name), `the plan names ${name}`);
        }
        // The numbered changes are those of a real drill that had to stop its experiment.
        const changes = run.out
            .map((line) => /^\s+\d+\. (\S+) \[(\S+)\]/.exec(line))
            .filter((m): m is RegExpExecArray => m !== null && !/:(Describe|Get|List)/.test(m[1]))
            .map((m) => `${m[1]} ${m[2]}`);
        const interrupted = new World({ pages: PRIMARY_DOWN, interruptAfter: 60 });
        await drill(interrupted, ["--cluster", "primary", "--notify", "suppress"]);
        assert.deepEqual(changes, interrupted.changes());
    });

    it("refuses a fault drill on a stack that has no cluster-down pages", async () => {
        const cells = Object.fromEntries(
            CLUSTER_ROLES.map((role) => [role, { ...PAGES[role], clusterDown: {} }]),
        );
        const file = outputsFile({ ...OUTPUTS, pagingAlarms: cells });
        const world = new World();
        const run = await drill(world, ["--cluster", "secondary"], {}, ["--outputs", file]);
        assert.equal(run.code, 1);
        assert.equal(
            run.err.join("\n"),
            [
                "drill: refused: the stack cannot run a fault drill into the secondary cluster:",
                `  pagingAlarms.primary.clusterDown.secondary: no "secondary cluster down" page in ${EAST_1}; it exists only when the stack probes the data plane`,
                `  pagingAlarms.secondary.clusterDown.secondary: no "secondary cluster down" page in ${EAST_2}; it exists only when the stack probes the data plane`,
            ].join("\n"),
        );
        assert.deepEqual(world.calls, []);
    });

    it("reports the missing pulumi CLI and suggests --outputs", async () => {
        const missing = Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
        const err: string[] = [];
        const code = await main(["dev", "--cluster", "primary"], {
            ...({} as CliContext),
            err: (line) => err.push(line),
            readOutputs: (stack, file) =>
                readStackOutputs(stack, file, () => Promise.reject(missing)),
        });
        assert.equal(code, 1);
        assert.match(
            err.join("\n"),
            /^drill: refused: the Pulumi CLI \("pulumi"\) is not on PATH: .*; or pass --outputs <file>/,
        );
    });
});

describe("the stack's outputs and account, checked before any AWS call", () => {
    it("refuses another stack's outputs and calls nothing", async () => {
        const world = new World({ pages: PRIMARY_DOWN });
        const prod = outputsFile({ ...OUTPUTS, stackName: "prod" });
        const run = await drill(world, ["--cluster", "primary"], {}, ["--outputs", prod]);
        assert.equal(run.code, 1);
        assert.match(
            run.err[0],
            /^drill: refused: the outputs are stack "prod"'s \(their stackName\), not "dev"'s/,
        );
        assert.deepEqual(world.calls, []);
        assert.deepEqual(run.files, []);
    });

    it("refuses when the credentials are for another account, after asking only STS", async () => {
        const world = new World({ pages: PRIMARY_DOWN, account: "210987654321" });
        const run = await drill(world, ["--paging-path"]);
        assert.equal(run.code, 1);
        assert.match(
            run.err[0],
            new RegExp(
                `^drill: refused: your credentials are for account 210987654321 \\(${CALLER}\\), but stack dev's resources are in account ${ACCOUNT}`,
            ),
        );
        assert.deepEqual(
            world.calls.map((c) => c.api),
            ["sts:GetCallerIdentity"],
        );
    });

    it("refuses outputs of an older deployment, naming `pulumi up`, unless told to act on them", async () => {
        const older: Partial<typeof OUTPUTS> = { ...OUTPUTS };
        delete older.stackName;
        delete older.accountId;
        const file = outputsFile(older);
        const refusedWorld = new World({ pages: PRIMARY_DOWN });
        const refused = await drill(refusedWorld, ["--cluster", "primary"], {}, [
            "--outputs",
            file,
        ]);
        assert.equal(refused.code, 1);
        assert.match(
            refused.err[0],
            /no stackName and no accountId: .*Run `pulumi up --stack dev` first/,
        );
        assert.match(refused.err[0], /--allow-unverified-outputs/);
        assert.deepEqual(refusedWorld.calls, []);

        const allowedWorld = new World({ pages: PRIMARY_DOWN });
        const allowed = await drill(
            allowedWorld,
            ["--cluster", "primary", "--allow-unverified-outputs"],
            {},
            ["--outputs", file],
        );
        assert.equal(allowed.code, 0, allowed.err.join("\n"));
        assert.match(
            allowed.err[0],
            /^warning: .*--allow-unverified-outputs: acting on them without checking/,
        );
    });
});

describe("offline dry run", () => {
    it("plans from the program's own declaration, with placeholders, with no pulumi CLI, credentials or --outputs", async () => {
        const node = path.dirname(process.execPath);
        const { code, stdout, stderr } = await new Promise<{
            code: number;
            stdout: string;
            stderr: string;
        }>((resolve) =>
            execFile(
                process.execPath,
                [
                    "--import",
                    "tsx",
                    path.join(REPO, "tools", "cli", "drill.ts"),
                    "dev",
                    "--cluster",
                    "secondary",
                    "--dry-run",
                ],
                // Only node on PATH (no pulumi, no aws), no credentials, no home.
                { cwd: REPO, env: { PATH: node, HOME: TEMP }, timeout: 60_000 },
                (error, stdout, stderr) =>
                    resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
            ),
        );
        assert.equal(code, 0, stderr);
        assert.match(
            stdout,
            /^Offline: no --outputs given, so the names below come from the program's own declaration/,
        );
        assert.match(
            stdout,
            /fis:StartExperiment \[us-east-2\] \{ "experimentTemplateId": "<secondary-drill-template-id>"/,
        );
        assert.match(stdout, /arn:aws:dsql:us-east-2:<account>:cluster\/<secondary-cluster-id>/);
        assert.match(stdout, /dr-page-<suffix>-secondary-down-from-primary/);
        assert.ok(!stdout.includes(MOCK_ACCOUNT), "no mock account presented as real");
        assert.ok(!stdout.includes(MOCK_SUFFIX), "no mock name suffix presented as real");
        for (const line of stdout.split("\n")) assert.ok([...line].length <= 100, line);
    });
});

describe("drill arguments", () => {
    /** A usage error: one line, then the hint to --help; nothing called. */
    const refused = async (args: string[]) => {
        const world = new World();
        const run = await drill(world, args);
        assert.equal(run.code, 2);
        assert.deepEqual(run.err.slice(1), ['Run "./task drill --help" for usage.']);
        assert.deepEqual(world.calls, []);
        return run.err[0];
    };

    it("rejects an unknown flag, naming the closest and listing the allowed ones", async () => {
        assert.match(
            await refused(["--cluster", "primary", "--force"]),
            /^drill: unknown flag "--force" \(flags: --cluster, /,
        );
        assert.match(
            await refused(["--cluster", "primary", "--dryrun"]),
            /^drill: unknown flag "--dryrun"; did you mean --dry-run\? \(flags: /,
        );
    });

    it("rejects a flag without its value, in its own words", async () => {
        assert.equal(
            await refused(["--cluster"]),
            'drill: --cluster needs a value (write --cluster=<value> when the value starts with "-")',
        );
    });

    it("escapes and truncates a value it echoes", async () => {
        const line = await refused(["--cluster", `prim\u001b[31mary${"x".repeat(300)}`]);
        assert.ok(!line.includes("\u001b"), "no raw escape character reaches the terminal");
        assert.match(
            line,
            /^drill: --cluster "prim\\u001b\[31maryx+…": expected one of primary, secondary$/,
        );
        assert.ok(line.length < 200, `${line.length} characters`);
    });

    it("rejects an unknown cluster", async () => {
        assert.equal(
            await refused(["--cluster", "tertiary"]),
            'drill: --cluster "tertiary": expected one of primary, secondary',
        );
    });

    it("requires --cluster for a fault drill", async () => {
        assert.equal(await refused([]), "drill: --cluster is required: one of primary, secondary");
    });

    it("rejects a malformed duration", async () => {
        assert.equal(
            await refused(["--cluster", "primary", "--duration", "10 minutes"]),
            'drill: --duration "10 minutes": expected a duration such as 30s, 10m, 1h or 1h30m',
        );
    });

    it("rejects a duration FIS does not allow", async () => {
        assert.equal(
            await refused(["--cluster", "primary", "--duration", "13h"]),
            "drill: --duration 13h: must be from 1m to 12h",
        );
    });

    it("rejects a percentage outside 1-100", async () => {
        assert.equal(
            await refused(["--cluster", "primary", "--percentage", "0"]),
            'drill: --percentage "0": expected a whole number from 1 to 100',
        );
    });

    it("rejects an unknown notify mode", async () => {
        assert.equal(
            await refused(["--cluster", "primary", "--notify", "email"]),
            'drill: --notify "email": expected one of page, suppress',
        );
    });

    it("rejects fault flags with --paging-path", async () => {
        assert.equal(
            await refused(["--paging-path", "--cluster", "primary"]),
            "drill: --cluster does not apply to --paging-path, which injects no fault",
        );
    });
});

describe("paging path check", () => {
    it("forces each region's monitor page past the wait period, restores OK and finds it delivered", async () => {
        const world = new World();
        const run = await drill(world, ["--paging-path"]);
        assert.equal(run.code, 0, run.out.concat(run.err).join("\n"));
        const report = run.report as PagingPathReport;
        assert.equal(report.result, "pass");
        const forced = world.callsOf("cloudwatch:SetAlarmState");
        assert.deepEqual(
            forced.map((c) => [c.region, c.input.AlarmName, c.input.StateValue]),
            [
                [EAST_1, PAGES.primary.monitor, "ALARM"],
                [EAST_1, PAGES.primary.monitor, "OK"],
                [EAST_2, PAGES.secondary.monitor, "ALARM"],
                [EAST_2, PAGES.secondary.monitor, "OK"],
            ],
        );
        assert.equal(forced[1].at - forced[0].at, 60 + 15, "held past the 60 s wait period");
        const [query] = world.callsOf("cloudwatch:GetMetricData");
        assert.deepEqual(
            query.input.MetricDataQueries.map((q: any) => [
                q.MetricStat.Metric.Namespace,
                q.MetricStat.Metric.MetricName,
                q.MetricStat.Metric.Dimensions,
                q.MetricStat.Stat,
            ]),
            [
                "NumberOfMessagesPublished",
                "NumberOfNotificationsDelivered",
                "NumberOfNotificationsFailed",
            ].map((name) => [
                "AWS/SNS",
                name,
                [{ Name: "TopicName", Value: topicName(OUTPUTS.alertTopicArns.primary) }],
                "Sum",
            ]),
        );
        assert.deepEqual(
            report.regions.map((r) => [r.region, r.result, r.deliveries]),
            [
                [EAST_1, "pass", { published: 1, delivered: 1, failed: 0 }],
                [EAST_2, "pass", { published: 1, delivered: 1, failed: 0 }],
            ],
        );
        assert.equal(report.regions[0].subscriptions[0].confirmed, true);
        assert.match(run.markdown!, /Paging path check of stack dev — PASS/);
    });

    it("fails a region whose topic delivers nothing, and still sets its page back to OK", async () => {
        const secondaryTopic = topicName(OUTPUTS.alertTopicArns.secondary);
        const world = new World({
            unconfirmed: [secondaryTopic],
            deliveries: { [secondaryTopic]: { delivered: 0, failed: 1 } },
        });
        const run = await drill(world, ["--paging-path"]);
        assert.equal(run.code, 1);
        const report = run.report as PagingPathReport;
        assert.deepEqual(
            report.regions.map((r) => r.result),
            ["pass", "fail"],
        );
        assert.deepEqual(report.reasons, [
            `${EAST_2}: ${OUTPUTS.alertTopicArns.secondary} has no confirmed subscription: the page reached nobody`,
            `${EAST_2}: AWS/SNS shows no notification delivered by ${OUTPUTS.alertTopicArns.secondary} within 10m`,
            `${EAST_2}: 1 notification(s) from ${OUTPUTS.alertTopicArns.secondary} failed to deliver`,
        ]);
        assert.ok(report.warnings.some((w) => w.includes("PendingConfirmation")));
        assert.deepEqual(world.callsOf("cloudwatch:SetAlarmState").at(-1)!.input.StateValue, "OK");
    });

    it("never shows a PagerDuty integration key, of a confirmed or a pending subscription", async () => {
        const keys = {
            primary: "3f9a0c4e8b1d4a7f9e2c6b5d8a0f1e3c",
            secondary: "b7e2d91c0a4f4c3e8d6a2f1b9c0e7d54",
        };
        const masked = "https://events.pagerduty.com/…/enqueue";
        const scenario: Scenario = {
            https: Object.fromEntries(
                CLUSTER_ROLES.map((role) => [
                    topicName(OUTPUTS.alertTopicArns[role]),
                    [
                        {
                            url: `https://events.pagerduty.com/integration/${keys[role]}/enqueue`,
                            confirmed: role === "primary",
                        },
                    ],
                ]),
            ),
        };
        const pending = `${OUTPUTS.alertTopicArns.secondary}: https subscription ${masked} is PendingConfirmation`;
        const pagingPath = await drill(new World(scenario), ["--paging-path"]);
        const fault = await drill(new World({ ...scenario, pages: PRIMARY_DOWN }), [
            "--cluster",
            "primary",
        ]);
        for (const [what, run] of [
            ["paging path check", pagingPath],
            ["fault drill", fault],
        ] as const) {
            assert.equal(run.code, 0, `${what}: ${run.out.concat(run.err).join("\n")}`);
            const shown = {
                json: run.json!,
                markdown: run.markdown!,
                out: run.out.join("\n"),
                err: run.err.join("\n"),
            };
            for (const [where, text] of Object.entries(shown)) {
                for (const key of Object.values(keys)) {
                    assert.ok(!text.includes(key), `${what}: the key ${key} is in ${where}`);
                }
            }
            assert.deepEqual(run.report.warnings, [pending], what);
            assert.ok(run.out.includes(`warning: ${pending}`), what);
            assert.ok(run.markdown!.includes(pending), what);
        }
        const report = pagingPath.report as PagingPathReport;
        assert.deepEqual(
            report.regions.map((r) => r.subscriptions.filter((s) => s.protocol === "https")),
            [
                [{ protocol: "https", endpoint: masked, confirmed: true }],
                [{ protocol: "https", endpoint: masked, confirmed: false }],
            ],
        );
        assert.ok(pagingPath.markdown!.includes(`https ${masked} (confirmed)`));
    });
});
