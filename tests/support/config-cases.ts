/**
 * A seeded generator of stack configs, most of them bad: every key, wrong types, values at
 * and past their limits, unicode, control characters, injection-like strings, very long
 * values and conflicting combinations. The same seed gives the same configs.
 */
import { CONFIG_KEYS } from "../../infra/config";
import { COMMERCIAL_REGIONS } from "../../infra/regions";
import { mulberry32 } from "../../tools/simulation/verdict-scoring";
import { baseConfig } from "./config-check";

/** A seeded PRNG: the simulation's, so every generated config is reproducible by its seed. */
export const random = mulberry32;

const json = JSON.stringify;
const WRONG_TYPES = [
    "7",
    "-1",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    '["a"]',
    '{"a":1}',
    "",
    " ",
    "[",
    "{",
];
const UNICODE = ["ünïcödé", "日本語", "🚨", "\u202eevil", "zero\u200bwidth", "Ω≈ç√", "\ud800"];
const CONTROL = [
    "\u0000",
    "\u001b[31m",
    "\u0007",
    "\n",
    "\r\n",
    "\t",
    "\u007f",
    "\u0085",
    "\u2028",
];
const INJECTION = [
    "; rm -rf /",
    "$(whoami)",
    "`id`",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "${jndi:ldap://x/a}",
    "../../etc/passwd",
    "{{7*7}}",
    "%00",
    "\\\\server\\share",
    'a"b',
    "__proto__",
    "constructor",
    "toString",
];
const LONG = ["x".repeat(201), "y".repeat(300), "a".repeat(10_240)];
const GENERIC = [...WRONG_TYPES, ...UNICODE, ...CONTROL, ...INJECTION, ...LONG];

const integers = (min: number, max: number) => [
    String(min - 1),
    String(min),
    String(max),
    String(max + 1),
    "0x100",
    "1e3",
    "256.0",
    "+5",
    "007",
    "-0",
    " 42 ",
];
const emailList = [
    "ops@example.com",
    "a@b.co",
    `${"l".repeat(64)}@example.com`,
    `${"l".repeat(65)}@example.com`,
    "mailto:ops@example.com",
    "🚨@example.com",
    "ops@example..com",
    "ops\u0007@example.com",
    "a@example.com,b@example.com",
    "ops@localhost",
];
const tags = (n: number, key = (i: number) => `t-${i}`) =>
    json(Object.fromEntries(Array.from({ length: n }, (_, i) => [key(i), "v"])));
const PAGER = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
const SLACK = { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" };
const TEAMS = {
    teamId: "5f4f15d2-b958-4f8b-8e3c-1a2b3c4d5e6f",
    channelId: "19%3aabc%40thread.tacv2",
    tenantId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
};
const REGIONS = [
    ...COMMERCIAL_REGIONS,
    "us-gov-west-1",
    "cn-north-1",
    "zz-moon-1",
    "US-EAST-1",
    "us-east-1 ",
];

/** Values worth trying per key, besides the generic ones. */
const PLAUSIBLE: Readonly<Record<string, readonly string[]>> = {
    primaryRegion: REGIONS,
    secondaryRegion: REGIONS,
    witnessRegion: REGIONS,
    alertEmail: [
        ...emailList.map((e) => json([e])),
        json(emailList.slice(0, 2)),
        json(["ops@example.com", "ops@example.com"]),
        "ops@example.com",
        "[]",
        json([7]),
    ],
    alertSlack: [
        json([SLACK]),
        json([{ ...SLACK, channelId: 12345 }]),
        json([{ ...SLACK, name: "x".repeat(112) }]),
        json([SLACK, SLACK]),
        json([{ ...SLACK, extra: 1 }]),
        json(["C07EZ1ABC23"]),
        json([{ ...SLACK, channelId: "C".repeat(260) }]),
    ],
    alertTeams: [
        json([TEAMS]),
        json([{ ...TEAMS, channelId: "19:abc@thread.tacv2" }]),
        json([TEAMS, { ...TEAMS, channelId: "19%3axyz%40thread.tacv2" }]),
        json([{ ...TEAMS, tenantId: "contoso" }]),
    ],
    alertHttpsEndpoints: [
        PAGER,
        "https:events.pagerduty.com/integration/k/enqueue",
        "https:/events.pagerduty.com/x",
        "https:\\\\events.pagerduty.com\\x",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://localhost./",
        "http://example.com/x",
        "https://events.pagerduty.com/v2/enqueue",
        "https://8.8.8.8/x",
        "HTTPS://Hooks.Example.com/a/../b",
    ].map((u) => json([u])),
    chatbotRegion: ["us-east-2", "us-west-2", "eu-west-1", "us-east-1", ""],
    chatbotGuardrailPolicies: [
        "[]",
        json(["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        json(["arn:aws:iam::123456789012:role/x"]),
        json(["arn:aws:iam::aws:policy/aws-service-role/X"]),
    ],
    clusterPrefix: [
        "dr-dsql",
        "dr",
        "d",
        "dr-",
        "1dr",
        "DR",
        "p".repeat(32),
        "p".repeat(33),
        "dr_dsql",
    ],
    monitoringSchedule: [
        "",
        "rate(1 minute)",
        "rate(2 minutes)",
        "rate(1 minutes)",
        "rate(0 minutes)",
        "rate(60 minutes)",
        "rate(61 minutes)",
        "rate(1 hour)",
        "rate(2 hours)",
        "cron(0/5 * * * ? *)",
        "rate(5 Minutes)",
    ],
    lambdaMemoryMb: integers(128, 10240),
    lambdaTimeoutSeconds: ["", ...integers(1, 900), "58", "59", "60", "119"],
    reservedConcurrency: integers(0, 900),
    deletionProtection: ["true", "false", "TRUE", "yes", "1"],
    logRetentionDays: ["1", "14", "45", "3653", "3654", "0x1e"],
    dataPlaneProbe: ["true", "false", "on"],
    databaseUser: [
        "dr_monitor",
        "admin",
        "pg_x",
        "public",
        "none",
        "1user",
        "u".repeat(63),
        "u".repeat(64),
        "dr-monitor",
    ],
    probeTimeoutSeconds: ["", ...integers(1, 60), "3", "6", "7"],
    detectionProfile: ["standard", "fast", "Fast", "turbo", ""],
    datapointsToAlarm: integers(1, 10),
    evaluationPeriods: integers(1, 10),
    runbookUrl: [
        "docs/runbook.md",
        "https://wiki.example.com/r",
        "https://wiki.example.com/r#a",
        "http://wiki.example.com/r",
        `https://w.example.com/${"r".repeat(400)}`,
        "https://wiki.example.com/r\u0000",
        "runbook",
    ],
    sourceMaps: ["true", "false", "on"],
    drillDurationMinutes: integers(1, 720),
    drillPercentage: integers(1, 100),
    clusterManagement: ["create", "adopt", "monitor-only", "Create", "import", "monitor_only", ""],
    primaryClusterIdentifier: [
        "",
        "abcdefghijklmnopqrstuvwxy1",
        "my-cluster",
        "ABCDEFGHIJKLMNOPQRSTUVWXY1",
    ],
    secondaryClusterIdentifier: [
        "",
        "abcdefghijklmnopqrstuvwxy2",
        "abcdefghijklmnopqrstuvwxy1",
        "x",
    ],
    extraRegionSets: [
        json({ North: ["eu-north-1", "eu-south-2", "ap-south-1"] }),
        json({ Far: ["zz-moon-1", "eu-north-1", "eu-south-2"] }),
        json({ Gov: ["us-gov-west-1", "us-gov-east-1", "eu-north-1"] }),
        json({ "": ["eu-north-1", "eu-south-2", "ap-south-1"] }),
        json({ toString: ["eu-north-1", "eu-south-2", "ap-south-1"] }),
        '{"__proto__": ["eu-north-1", "eu-south-2", "ap-south-1"]}',
        json({ X: ["eu-north-1", "eu-north-1", "eu-south-2"] }),
        json({ US: ["us-east-1", "us-east-2", "us-west-1"] }),
    ],
    tags: [
        tags(45),
        tags(46),
        tags(47),
        tags(1, () => "Name"),
        tags(1, () => "cluster"),
        '{"__proto__": "x"}',
        json({ team: "R&D" }),
        json({ "aws:x": "y" }),
        json({ a: "x", A: "y" }),
        json({ k: "v".repeat(257) }),
        json({ ["k".repeat(129)]: "v" }),
        json({ team: 7 }),
    ],
    backup: ["on", "off", "external", "On", "true", ""],
    backupSchedule: [
        "cron(0 5 ? * * *)",
        "cron(0 */12 ? * * *)",
        "cron(0 5 ? * SUN *)",
        "cron(0/30 * ? * * *)",
        "cron(0 5 * * ? *)",
        "rate(1 day)",
        "cron(61 5 ? * * *)",
        "cron(0 5 ? * MON-FRI *)",
    ],
    backupStartWindowMinutes: ["", "59", "60", "480", "1.5"],
    backupCompletionWindowMinutes: ["", "59", "119", "120", "10080", "20160"],
    backupRetentionDays: ["1", "2", "7", "35", "36500", "36501", "0"],
    backupExternalVaults: [
        json({ primary: "org-vault-east", secondary: "org-vault-west" }),
        json({ primary: "a" }),
        json({ primary: "x".repeat(51), secondary: "ok-vault" }),
        json({ tertiary: "vault" }),
        "{}",
    ],
    backupAssumedStoredGb: ["1", "0", "-1", "1e6", "10.5"],
    failoverHealthChecks: ["true", "false", "on"],
    failoverSignalPeriods: integers(1, 10),
    drillsMoveTraffic: ["true", "false", "yes"],
};

/** Combinations that conflict across keys. */
const CONFLICTS: readonly Readonly<Record<string, string>>[] = [
    { detectionProfile: "fast", monitoringSchedule: "rate(5 minutes)" },
    { detectionProfile: "fast", probeTimeoutSeconds: "10", lambdaTimeoutSeconds: "60" },
    { detectionProfile: "fast" },
    { backup: "off", backupRetentionDays: "35" },
    { backup: "on", backupExternalVaults: json({ primary: "v1", secondary: "v2" }) },
    { backup: "on", backupSchedule: "cron(0 5 ? * SUN *)", backupRetentionDays: "7" },
    { failoverHealthChecks: "false", drillsMoveTraffic: "true" },
    { monitoringSchedule: "rate(1 minute)", lambdaTimeoutSeconds: "60" },
    {
        clusterManagement: "monitor-only",
        primaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy1",
        secondaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy2",
        deletionProtection: "true",
    },
    { clusterManagement: "adopt" },
    { primaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy1" },
    { chatbotRegion: "us-west-2" },
    { chatbotGuardrailPolicies: json(["arn:aws:iam::aws:policy/ReadOnlyAccess"]) },
    { datapointsToAlarm: "5", evaluationPeriods: "3" },
    { deletionProtection: "true", runbookUrl: "docs/runbook.md" },
    { alertEmail: "[]" },
    { witnessRegion: "us-east-1" },
    { secondaryRegion: "eu-west-1" },
    { "aurora-dsql-dr:monitoringSchedle": "rate(5 minutes)" },
    { "aurora-dsql_dr:tags": "{}" },
    { [`aurora-dsql-dr:${"k".repeat(300)}\u001b`]: "v" },
];

const pick = <T>(next: () => number, list: readonly T[]): T =>
    list[Math.floor(next() * list.length)];

/** One mutation: a key and a value for it. */
function mutation(next: () => number): Record<string, string> {
    const roll = next();
    if (roll < 0.15) return { ...pick(next, CONFLICTS) };
    const key = pick(next, CONFIG_KEYS);
    if (roll < 0.6) return { [key]: pick(next, PLAUSIBLE[key]) };
    if (roll < 0.85) return { [key]: pick(next, GENERIC) };
    // A plausible value with something generic around it.
    const value = pick(next, PLAUSIBLE[key]);
    return {
        [key]: next() < 0.5 ? `${value}${pick(next, GENERIC)}` : `${pick(next, GENERIC)}${value}`,
    };
}

/** `count` configs from `seed`: the base config of a stack that sets only what it must, mutated one to four times. */
export function generatedConfigs(seed: number, count: number): Record<string, string>[] {
    const next = random(seed);
    const base = baseConfig();
    return Array.from({ length: count }, () => {
        const config = { ...base };
        const mutations = 1 + Math.floor(next() * 4);
        for (let i = 0; i < mutations; i++) Object.assign(config, mutation(next));
        return config;
    });
}
