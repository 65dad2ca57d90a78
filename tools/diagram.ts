import { CLUSTER_ROLES } from "../monitor-function/src/contract";
import type { DeclaredResource, DeclaredStack } from "./mock-program";

/**
 * The architecture as Mermaid flowcharts, generated from the resources the program declared
 * (never drawn by hand, so they cannot drift from the code): an overview of the pair, then
 * one diagram per monitoring cell. Every node and edge is found by resource type and by the
 * inputs that wire resources together (ARNs, names), never by position or count, and every
 * list is sorted, so the same program always gives the same text.
 *
 * Layout rules, checked by rendering at GitHub's width (~800 px): top to bottom, few nodes
 * per rank, short labels (Mermaid wraps labels at 200 px), physical names in a table below
 * the diagram rather than in the nodes.
 */

const TYPE = {
    cluster: "aws:dsql/cluster:Cluster",
    peering: "aws:dsql/clusterPeering:ClusterPeering",
    function: "aws:lambda/function:Function",
    invocation: "aws:lambda/invocation:Invocation",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    queue: "aws:sqs/queue:Queue",
    parameter: "aws:ssm/parameter:Parameter",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    experiment: "aws:fis/experimentTemplate:ExperimentTemplate",
} as const;

type Resource = DeclaredResource;

// ---------------------------------------------------------------------------------------
// What the diagrams show, read from the declared resources.

interface Cluster {
    readonly resource: Resource;
    readonly role: string;
    readonly region: string;
    readonly arn: string;
}

interface Pair {
    readonly clusters: readonly Cluster[];
    readonly witnessRegions: readonly string[];
    /** Peered clusters, each link once; `mutual` when both sides name the other. */
    readonly links: readonly { from: Cluster; to: Cluster; mutual: boolean }[];
}

interface Page {
    readonly resource: Resource;
    /** What it pages about, from its logical name ("primary down", "replication"). */
    readonly title: string;
}

interface Experiment {
    readonly resource: Resource;
    readonly targets: readonly Cluster[];
    /** The pages that stop it. */
    readonly stoppedBy: readonly Page[];
}

interface Setup {
    /** The function a Pulumi invocation runs. */
    readonly fn: Resource;
    readonly clusters: readonly Cluster[];
    /** True when Pulumi invokes it only after every peering exists. */
    readonly afterPeering: boolean;
}

interface Cell {
    readonly region: string;
    readonly role: string;
    readonly monitor: Resource;
    readonly rule?: Resource;
    readonly deadLetterQueue?: Resource;
    readonly parameter?: Resource;
    readonly probed: readonly Cluster[];
    readonly pages: readonly Page[];
    readonly suppressor?: Resource;
    /** Metric alarms the pages are composed of. */
    readonly children: readonly Resource[];
    /** Metric alarms that are neither inputs of a page nor the suppressor. */
    readonly others: readonly Resource[];
    readonly topics: readonly Resource[];
    readonly subscriptions: readonly Resource[];
    readonly dashboard?: Resource;
    /** Metric names in the monitor's namespace the dashboard graphs. */
    readonly graphed: readonly string[];
    readonly dashboardRegions: readonly string[];
    readonly experiments: readonly Experiment[];
    readonly setups: readonly Setup[];
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Cluster roles in the program's order (primary first), unknown roles after them. */
const roleRank = (role: string) => {
    const rank = (CLUSTER_ROLES as readonly string[]).indexOf(role);
    return rank < 0 ? CLUSTER_ROLES.length : rank;
};

class Declared {
    constructor(private readonly stack: DeclaredStack) {}

    /** Resources of `type` (in `region`), sorted: registration order is asynchronous. */
    of(type: string, region?: string): Resource[] {
        return this.stack.resources
            .filter((r) => r.type === type && (region === undefined || r.region === region))
            .sort((a, b) => a.name.localeCompare(b.name));
    }
}

function clustersOf(declared: Declared): Cluster[] {
    return declared
        .of(TYPE.cluster)
        .map((resource) => ({
            resource,
            role: String(resource.inputs.tags?.role ?? resource.name.split("-").pop()),
            region: resource.region!,
            arn: resource.state.arn as string,
        }))
        .sort((a, b) => roleRank(a.role) - roleRank(b.role) || a.role.localeCompare(b.role));
}

function pairOf(declared: Declared): Pair {
    const clusters = clustersOf(declared);
    const peerings = declared.of(TYPE.peering);
    const peers = (from: Cluster, to: Cluster) =>
        peerings.some(
            (p) =>
                p.inputs.identifier === from.resource.state.identifier &&
                ((p.inputs.clusters ?? []) as string[]).includes(to.arn),
        );
    const links = clusters.flatMap((a, i) =>
        clusters.slice(i + 1).flatMap((b) => {
            const [ab, ba] = [peers(a, b), peers(b, a)];
            if (ab && ba) return [{ from: a, to: b, mutual: true }];
            if (ab || ba) return [{ from: ab ? a : b, to: ab ? b : a, mutual: false }];
            return [];
        }),
    );
    return {
        clusters,
        witnessRegions: sortedUnique([
            ...clusters.map((c) => c.resource.inputs.multiRegionProperties?.witnessRegion),
            ...peerings.map((p) => p.inputs.witnessRegion),
        ]).filter((region) => typeof region === "string"),
        links,
    };
}

/** The string values of a function's environment. */
const environment = (fn: Resource): string[] =>
    Object.values(fn.inputs.environment?.variables ?? {}).filter(
        (v): v is string => typeof v === "string",
    );

/** The clusters a function is given (by ARN) in its environment. */
const clustersIn = (fn: Resource, clusters: readonly Cluster[]) =>
    clusters.filter((c) => environment(fn).includes(c.arn));

/** Alarm names an alarm rule is composed of: ALARM("name") or ALARM(name). */
const ruleInputs = (rule: unknown): string[] =>
    [...String(rule ?? "").matchAll(/ALARM\(\s*"?([^")]+?)"?\s*\)/g)].map((m) => m[1]);

/** What each alarm is about: the part of the logical names that differs ("primary-down"). */
function titles(alarms: readonly Resource[]): string[] {
    const split = alarms.map((a) => a.name.split("-"));
    let common = 0;
    while (
        alarms.length > 1 &&
        split.every((parts) => common < parts.length - 1 && parts[common] === split[0][common])
    ) {
        common++;
    }
    return split.map((parts) => parts.slice(common).join(" "));
}

/** Metric rows of a dashboard body: namespace, metric name and region of each graphed line. */
function graphedMetrics(dashboard: Resource | undefined) {
    if (!dashboard) return [];
    const body = JSON.parse(String(dashboard.inputs.dashboardBody ?? "{}"));
    return ((body.widgets ?? []) as any[]).flatMap((w) =>
        ((w.properties?.metrics ?? []) as unknown[][])
            .filter((row) => typeof row[0] === "string" && typeof row[1] === "string")
            .map((row) => {
                const options = row[row.length - 1] as { region?: string } | undefined;
                return {
                    namespace: row[0] as string,
                    name: row[1] as string,
                    region: options?.region ?? w.properties.region,
                };
            }),
    );
}

/** The alarm ARNs a dashboard lists in its alarm widgets. */
function listedAlarms(dashboard: Resource | undefined): string[] {
    if (!dashboard) return [];
    const body = JSON.parse(String(dashboard.inputs.dashboardBody ?? "{}"));
    return ((body.widgets ?? []) as any[]).flatMap((w) =>
        w.type === "alarm" ? ((w.properties?.alarms ?? []) as string[]) : [],
    );
}

/** The monitoring cell of `cluster`'s region, if a scheduled function runs there. */
function cellOf(declared: Declared, pair: Pair, cluster: Cluster): Cell | undefined {
    const { region } = cluster;
    const functions = declared.of(TYPE.function, region);
    const scheduled = declared
        .of(TYPE.target, region)
        .map((target) => ({ target, fn: functions.find((f) => f.state.arn === target.inputs.arn) }))
        .filter((s): s is { target: Resource; fn: Resource } => s.fn !== undefined);
    // The monitor: the scheduled function given the clusters (another scheduled job is not).
    const chosen =
        scheduled.find((s) => clustersIn(s.fn, pair.clusters).length > 0) ?? scheduled[0];
    if (chosen === undefined) return undefined;
    const { target, fn: monitor } = chosen;

    const composites = declared.of(TYPE.compositeAlarm, region);
    const metricAlarms = declared.of(TYPE.metricAlarm, region);
    const paging = composites.filter((a) => (a.inputs.alarmActions ?? []).length > 0);
    // Pages about one cluster first, in the pair's order, then the others by title.
    const about = (page: Page) => {
        const i = pair.clusters.findIndex((c) => page.title.startsWith(`${c.role} `));
        return i < 0 ? pair.clusters.length : i;
    };
    const pages = titles(paging)
        .map((title, i): Page => ({ resource: paging[i], title }))
        .sort((a, b) => about(a) - about(b) || a.title.localeCompare(b.title));
    const childNames = new Set(paging.flatMap((p) => ruleInputs(p.inputs.alarmRule)));
    const suppressorNames = new Set(paging.map((p) => p.inputs.actionsSuppressor?.alarm));
    const suppressor = metricAlarms.find((a) => suppressorNames.has(a.inputs.name));
    const children = metricAlarms.filter((a) => childNames.has(a.inputs.name));
    const others = metricAlarms.filter((a) => a !== suppressor && !children.includes(a));
    const topicArns = new Set(
        [...paging, ...others].flatMap((a) => [
            ...(a.inputs.alarmActions ?? []),
            ...(a.inputs.okActions ?? []),
        ]),
    );
    const topics = declared.of(TYPE.topic, region).filter((t) => topicArns.has(t.state.arn));
    const dashboard = declared.of(TYPE.dashboard, region)[0];
    const namespace = monitorNamespace({ children, suppressor, others });
    const graphed = graphedMetrics(dashboard);
    const functionsInvoked = (invocation: Resource) =>
        functions.find((f) => f.inputs.name === invocation.inputs.functionName);
    const peeringNames = declared.of(TYPE.peering).map((p) => p.name);

    return {
        region,
        role: cluster.role,
        monitor,
        rule: declared.of(TYPE.rule, region).find((r) => r.inputs.name === target.inputs.rule),
        deadLetterQueue: declared
            .of(TYPE.queue, region)
            .find((q) => q.state.arn === target.inputs.deadLetterConfig?.arn),
        parameter: declared
            .of(TYPE.parameter, region)
            .find((p) => environment(monitor).includes(p.inputs.name)),
        probed: clustersIn(monitor, pair.clusters),
        pages,
        suppressor,
        children,
        others,
        topics,
        subscriptions: declared
            .of(TYPE.subscription, region)
            .filter((s) => topics.some((t) => t.state.arn === s.inputs.topic)),
        dashboard,
        graphed: sortedUnique(graphed.filter((m) => m.namespace === namespace).map((m) => m.name)),
        dashboardRegions: sortedUnique(graphed.map((m) => m.region)),
        experiments: declared
            .of(TYPE.experiment, region)
            .map((resource) => {
                const arns = ((resource.inputs.targets ?? []) as any[]).flatMap(
                    (t) => (t.resourceArns ?? []) as string[],
                );
                // A stop condition is a page, or a guard composite over pages.
                const stops = ((resource.inputs.stopConditions ?? []) as any[]).flatMap((s) => {
                    const guard = composites.find((c) => c.state.arn === s.value);
                    if (!guard || paging.includes(guard)) return [s.value as string];
                    const names = ruleInputs(guard.inputs.alarmRule);
                    return paging
                        .filter((p) => names.includes(p.inputs.alarmName))
                        .map((p) => p.state.arn as string);
                });
                return {
                    resource,
                    targets: pair.clusters.filter((c) => arns.includes(c.arn)),
                    stoppedBy: pages.filter((p) => stops.includes(p.resource.state.arn)),
                };
            })
            .filter((e) => e.targets.length > 0),
        setups: declared
            .of(TYPE.invocation, region)
            .map((invocation) => ({ invocation, fn: functionsInvoked(invocation) }))
            .filter((s): s is { invocation: Resource; fn: Resource } => s.fn !== undefined)
            .map(({ invocation, fn }) => ({
                fn,
                clusters: clustersIn(fn, pair.clusters),
                afterPeering:
                    peeringNames.length > 0 &&
                    peeringNames.every((name) => invocation.dependsOn.includes(name)),
            })),
    };
}

/** The namespace of the monitor's own metrics: the one its alarms watch outside AWS/. */
function monitorNamespace(alarms: {
    children: readonly Resource[];
    suppressor?: Resource;
    others: readonly Resource[];
}): string | undefined {
    const { children, suppressor, others } = alarms;
    return sortedUnique(
        [...children, ...(suppressor ? [suppressor] : []), ...others]
            .map((a) => a.inputs.namespace as string)
            .filter((ns) => ns && !ns.startsWith("AWS/")),
    )[0];
}

// ---------------------------------------------------------------------------------------
// Mermaid text.

const SHAPES = {
    box: ["[", "]"],
    rounded: ["(", ")"],
    stadium: ["([", "])"],
    cylinder: ["[(", ")]"],
    parallelogram: ["[/", "/]"],
    subroutine: ["[[", "]]"],
    flag: [">", "]"],
    circle: ["((", "))"],
} as const;

const EDGES = {
    flow: "-->",
    dotted: "-.->",
    link: "-.-",
    both: "<-->",
    suppresses: "--x",
    invisible: "~~~",
} as const;

/** A Mermaid-safe node id. */
const id = (...parts: string[]) => parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
const quoted = (lines: readonly string[]) => `"${lines.join("<br/>").replace(/"/g, "'")}"`;

class Flowchart {
    private readonly lines: string[] = ["flowchart TB"];
    private indent = "    ";

    node(name: string, shape: keyof typeof SHAPES, ...label: string[]): this {
        const [open, close] = SHAPES[shape];
        this.lines.push(`${this.indent}${name}${open}${quoted(label)}${close}`);
        return this;
    }

    edge(from: string, kind: keyof typeof EDGES, to: string, ...label: string[]): this {
        const text = label.length > 0 ? `|${label.join("<br/>").replace(/[|"]/g, "'")}|` : "";
        this.lines.push(`${this.indent}${from} ${EDGES[kind]}${text} ${to}`);
        return this;
    }

    /** A box around nodes laid out left to right (only the box itself may be linked). */
    row(name: string, title: string, body: () => void): this {
        this.lines.push(`${this.indent}subgraph ${name}[${quoted([title])}]`);
        this.indent += "    ";
        this.lines.push(`${this.indent}direction LR`);
        body();
        this.indent = this.indent.slice(4);
        this.lines.push(`${this.indent}end`);
        return this;
    }

    toString(): string {
        return ["```mermaid", ...this.lines, "```"].join("\n");
    }
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Which clusters of the pair: "both", "all", or their roles. */
const which = (clusters: readonly Cluster[], all: readonly Cluster[]) =>
    clusters.length === all.length
        ? all.length === 2
            ? "both"
            : "all"
        : clusters.map((c) => c.role).join(", ");

function protection(cluster: Cluster): string {
    const service = cluster.resource.inputs.deletionProtectionEnabled === true;
    const pulumi = cluster.resource.protect;
    if (service && pulumi) return "deletion-protected";
    if (service) return "deletion-protected, not Pulumi-protected";
    return pulumi ? "Pulumi-protected only" : "unprotected";
}

/** "1 e-mail" per protocol, from subscriptions. */
function recipients(subscriptions: readonly Resource[]): string[] {
    const protocols = sortedUnique(subscriptions.map((s) => s.inputs.protocol as string));
    return protocols.map((protocol) => {
        const endpoints = sortedUnique(
            subscriptions
                .filter((s) => s.inputs.protocol === protocol)
                .map((s) => s.inputs.endpoint as string),
        );
        return count(endpoints.length, protocol === "email" ? "e-mail" : protocol);
    });
}

/** The pair, its witness, and each cell as one node that probes the pair and pages on-call. */
function overview(pair: Pair, cells: readonly Cell[]): string {
    const chart = new Flowchart();
    const clusterNode = (c: Cluster) => id("cluster", c.role);
    const cellNode = (cell: Cell) => id("cell", cell.role);
    const topicNode = (cell: Cell) => id("topic", cell.role);
    // One on-call node when every topic reaches the same recipients.
    const audiences = cells.map((cell) => recipients(cell.subscriptions).join(", "));
    const shared = new Set(audiences).size === 1;
    const onCallNode = (i: number) => (shared ? "oncall" : id("oncall", cells[i].role));

    for (const cell of cells) {
        chart.node(cellNode(cell), "box", "monitoring cell", `${cell.region} (${cell.role})`);
    }
    chart.row("pair", "Aurora DSQL peered pair", () => {
        for (const c of pair.clusters) {
            chart.node(clusterNode(c), "cylinder", `${c.role} cluster`, c.region, protection(c));
        }
        for (const link of pair.links) {
            chart.edge(
                clusterNode(link.from),
                link.mutual ? "both" : "flow",
                clusterNode(link.to),
                "peering",
            );
        }
    });
    // Below the pair, the topics flank the witness: the primary's on the left.
    const middle = Math.ceil(cells.length / 2);
    const topicSlot = (cell: Cell) => ({
        node: topicNode(cell),
        witness: false,
        draw: () => chart.node(topicNode(cell), "flag", ...topicLabel(cell.topics)),
    });
    const withTopic = cells.filter((cell) => cell.topics.length > 0);
    const below = [
        ...withTopic.filter((cell) => cells.indexOf(cell) < middle).map(topicSlot),
        ...pair.witnessRegions.map((region) => ({
            node: id("witness", region),
            witness: true,
            draw: () => chart.node(id("witness", region), "circle", "witness region", region),
        })),
        ...withTopic.filter((cell) => cells.indexOf(cell) >= middle).map(topicSlot),
    ];
    for (const slot of below) slot.draw();
    cells.forEach((cell, i) => {
        if (shared && i > 0) return;
        chart.node(onCallNode(i), "circle", "on-call", ...recipients(cell.subscriptions));
    });

    for (const cell of cells) {
        if (cell.probed.length === pair.clusters.length) {
            chart.edge(
                cellNode(cell),
                "flow",
                "pair",
                `probes ${which(cell.probed, pair.clusters)}`,
            );
        } else {
            for (const c of cell.probed)
                chart.edge(cellNode(cell), "flow", clusterNode(c), "probes");
        }
    }
    // Keeps each topic below the pair, in its cell's column; the witness hangs off the pair.
    for (const slot of below) chart.edge("pair", slot.witness ? "link" : "invisible", slot.node);
    cells.forEach((cell, i) => {
        if (cell.topics.length === 0) return;
        chart.edge(cellNode(cell), "flow", topicNode(cell), "pages");
        chart.edge(topicNode(cell), "flow", onCallNode(i));
    });
    return chart.toString();
}

function topicLabel(topics: readonly Resource[]): string[] {
    const encrypted = topics.every((t) => t.inputs.kmsMasterKeyId);
    return [
        topics.length === 1 ? "SNS topic" : count(topics.length, "SNS topic"),
        ...(encrypted ? ["KMS-encrypted"] : []),
    ];
}

const COMPARISON: Record<string, string> = {
    GreaterThanOrEqualToThreshold: "≥",
    GreaterThanThreshold: ">",
    LessThanThreshold: "<",
    LessThanOrEqualToThreshold: "≤",
};

/** "ClusterVerdict ×4" per metric the alarms watch (AWS metrics with their namespace). */
function perMetric(alarms: readonly Resource[], namespace: string | undefined): string[] {
    const names = alarms.map((a) =>
        a.inputs.namespace === namespace
            ? (a.inputs.metricName as string)
            : `${a.inputs.namespace} ${a.inputs.metricName}`,
    );
    return sortedUnique(names).map((name) => {
        const n = names.filter((m) => m === name).length;
        return n > 1 ? `${name} ×${n}` : name;
    });
}

/** "PT10M" → "10 min". */
function duration(iso: string): string {
    const [, h, m, s] = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso) ?? [];
    const parts = [h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
    return parts.length > 0 ? parts.join(" ") : iso;
}

function experimentLabel(experiment: Experiment): string[] {
    const action = ((experiment.resource.inputs.actions ?? []) as any[])[0] ?? {};
    const parameters = Object.fromEntries(
        ((action.parameters ?? []) as { key: string; value: string }[]).map((p) => [
            p.key,
            p.value,
        ]),
    );
    const what = String(action.actionId ?? "")
        .split(":")
        .pop()!
        .replace(/-/g, " ");
    return [
        "FIS experiment template",
        what,
        `into the ${experiment.targets.map((c) => c.role).join(" and ")} cluster`,
        ...(parameters.duration ? [`for ${duration(parameters.duration)}`] : []),
        ...(parameters.percentage ? [`on ${parameters.percentage} % of connections`] : []),
    ];
}

/** One cell: schedule → monitor → metrics → alarms → pages → topic, and what hangs off it. */
function cellDiagram(pair: Pair, cell: Cell): string {
    const chart = new Flowchart();
    const namespace = monitorNamespace(cell);
    const maintenanceMetric = cell.suppressor?.inputs.metricName as string | undefined;
    const alarmed = sortedUnique(
        [...cell.children, ...cell.others]
            .filter((a) => a.inputs.namespace === namespace)
            .map((a) => a.inputs.metricName as string),
    );
    const graphedOnly = cell.graphed.filter((m) => !alarmed.includes(m) && m !== maintenanceMetric);
    const fn = cell.monitor.inputs;
    const rule = cell.rule?.inputs;
    const hasPair = cell.probed.length > 0 || cell.setups.length > 0;

    // Nodes, in the order that keeps Mermaid's layout readable (inputs first).
    if (cell.parameter)
        chart.node("parameter", "parallelogram", "SSM parameter", "maintenance window");
    if (rule) {
        chart.node(
            "rule",
            "stadium",
            "EventBridge rule",
            rule.scheduleExpression ?? rule.eventPattern,
        );
    }
    if (cell.deadLetterQueue) chart.node("dlq", "box", "SQS queue", "dead letters");
    chart.node(
        "monitor",
        "subroutine",
        "Lambda function: monitor",
        [fn.architectures?.join(","), fn.memorySize && `${fn.memorySize} MB`]
            .filter(Boolean)
            .join(", "),
    );
    if (maintenanceMetric) chart.node("maintenance", "rounded", "EMF metric", maintenanceMetric);
    chart.node(
        "metrics",
        "rounded",
        "EMF metrics",
        ...(namespace ? [namespace] : []),
        ...alarmed,
        ...(graphedOnly.length > 0 ? [`dashboard only: ${graphedOnly.join(", ")}`] : []),
    );
    if (cell.suppressor) {
        const s = cell.suppressor.inputs;
        chart.node(
            "suppressor",
            "box",
            "metric alarm: suppressor",
            `${s.metricName} ${COMPARISON[s.comparisonOperator] ?? s.comparisonOperator} ${s.threshold}`,
        );
    }
    if (cell.children.length > 0) {
        const silent = cell.children.every(
            (a) => a.inputs.actionsEnabled === false || (a.inputs.alarmActions ?? []).length === 0,
        );
        chart.node(
            "children",
            "box",
            count(cell.children.length, "child metric alarm"),
            ...(silent ? ["no actions of their own"] : []),
            ...perMetric(cell.children, namespace),
        );
    }
    if (cell.others.length > 0) {
        chart.node(
            "others",
            "box",
            count(cell.others.length, "other metric alarm"),
            ...perMetric(cell.others, namespace),
        );
    }
    if (cell.pages.length > 0) {
        chart.node(
            "pages",
            "box",
            `${count(cell.pages.length, "composite alarm")}: pages`,
            ...cell.pages.map((p) => p.title),
        );
    }
    cell.topics.forEach((topic, i) => {
        chart.node(id("topic", String(i)), "flag", ...topicLabel([topic]));
    });
    if (cell.subscriptions.length > 0) {
        chart.node(
            "subscriptions",
            "stadium",
            ...recipients(cell.subscriptions).map((r) => `${r} subscription`),
        );
    }
    if (cell.dashboard) {
        const everywhere = pair.clusters.every((c) => cell.dashboardRegions.includes(c.region));
        chart.node(
            "dashboard",
            "box",
            "CloudWatch dashboard",
            ...(everywhere && pair.clusters.length > 1 ? ["graphs both regions"] : []),
        );
    }
    cell.experiments.forEach((e, i) => {
        chart.node(id("drill", String(i)), "box", ...experimentLabel(e));
    });
    cell.setups.forEach((s, i) => {
        chart.node(
            id("run", String(i)),
            "stadium",
            "Pulumi Lambda invocation",
            ...(s.afterPeering ? ["once the pair is peered"] : []),
        );
        chart.node(id("setup", String(i)), "subroutine", "Lambda function:", "database setup");
    });
    if (hasPair) {
        chart.node(
            "pair",
            "cylinder",
            "Aurora DSQL pair",
            ...pair.clusters.map((c) => `${c.role} ${c.region}`),
        );
    }

    // Edges: only where something flows.
    if (cell.parameter) chart.edge("parameter", "flow", "monitor", "read");
    if (rule) chart.edge("rule", "flow", "monitor", "invokes");
    if (cell.deadLetterQueue) chart.edge("rule", "dotted", "dlq", "undelivered");
    if (maintenanceMetric) chart.edge("monitor", "flow", "maintenance");
    chart.edge("monitor", "flow", "metrics");
    if (cell.probed.length > 0) {
        chart.edge("monitor", "flow", "pair", `probes ${which(cell.probed, pair.clusters)}`);
    }
    if (maintenanceMetric) chart.edge("maintenance", "flow", "suppressor");
    if (cell.children.length > 0) chart.edge("metrics", "flow", "children");
    if (cell.others.some((a) => a.inputs.namespace === namespace)) {
        chart.edge("metrics", "flow", "others");
    }
    if (cell.suppressor && cell.pages.length > 0) {
        chart.edge("suppressor", "suppresses", "pages", "suppresses actions");
    }
    if (cell.children.length > 0 && cell.pages.length > 0) chart.edge("children", "flow", "pages");
    cell.topics.forEach((topic, i) => {
        const arn = topic.state.arn as string;
        const notifies = (alarms: readonly Resource[]) => {
            const on = (actions: string) =>
                alarms.some((a) => (a.inputs[actions] ?? []).includes(arn));
            return [on("alarmActions") && "ALARM", on("okActions") && "OK"]
                .filter(Boolean)
                .join(" / ");
        };
        const pages = notifies(cell.pages.map((p) => p.resource));
        if (pages) chart.edge("pages", "flow", id("topic", String(i)), pages);
        const others = notifies(cell.others);
        if (others) chart.edge("others", "flow", id("topic", String(i)), others);
        if (cell.subscriptions.some((s) => s.inputs.topic === arn)) {
            chart.edge(id("topic", String(i)), "flow", "subscriptions");
        }
    });
    // Before the dashboard's edges: Mermaid then keeps the drill clear of them.
    cell.experiments.forEach((e, i) => {
        if (e.stoppedBy.length > 0) {
            chart.edge(
                "pages",
                "dotted",
                id("drill", String(i)),
                "stop conditions:",
                e.stoppedBy.map((p) => p.title).join(", "),
            );
        }
    });
    if (cell.dashboard) {
        if (cell.graphed.length > 0) chart.edge("metrics", "dotted", "dashboard");
        const listed = listedAlarms(cell.dashboard);
        if (cell.pages.some((p) => listed.includes(p.resource.state.arn))) {
            chart.edge("pages", "dotted", "dashboard");
        }
    }
    cell.setups.forEach((s, i) => {
        chart.edge(id("run", String(i)), "flow", id("setup", String(i)), "invokes");
        if (s.clusters.length > 0)
            chart.edge(id("setup", String(i)), "flow", "pair", "table + role");
    });
    return chart.toString();
}

/** Physical names of the cell's nodes, for the table below its diagram. */
function names(cell: Cell): [string, string[]][] {
    const rows: [string, (string | undefined)[]][] = [
        ["EventBridge rule", [cell.rule?.inputs.name]],
        ["SQS queue (dead letters)", [cell.deadLetterQueue?.inputs.name]],
        ["SSM parameter", [cell.parameter?.inputs.name]],
        ["Lambda function: monitor", [cell.monitor.inputs.name]],
        ["metric alarm: suppressor", [cell.suppressor?.inputs.name]],
        ["composite alarms: pages", cell.pages.map((p) => p.resource.inputs.alarmName)],
        ["child metric alarms", cell.children.map((a) => a.inputs.name)],
        ["other metric alarms", cell.others.map((a) => a.inputs.name)],
        ["SNS topic", cell.topics.map((t) => t.inputs.name)],
        ["CloudWatch dashboard", [cell.dashboard?.inputs.dashboardName]],
        ["FIS experiment template", cell.experiments.map((e) => e.resource.inputs.tags?.Name)],
        ["Lambda function: database setup", cell.setups.map((s) => s.fn.inputs.name)],
    ];
    return rows
        .map(([node, values]): [string, string[]] => [
            node,
            values.filter((v): v is string => typeof v === "string").sort(),
        ])
        .filter(([, values]) => values.length > 0);
}

const LEGEND = [
    "In the cell diagrams below, solid arrows carry invocations, probes, metrics, alarm states",
    "and notifications; dotted arrows carry undelivered events, what the dashboard shows and",
    "the drill's stop conditions; the ✕-ended arrow is the suppressor alarm silencing the",
    "pages' actions while a maintenance window is open. Physical names are in the table under",
    "each diagram.",
].join("\n");

/** The committed architecture document of a stack: the overview, then one diagram per cell. */
export function architectureDiagram(stack: DeclaredStack, stackName: string): string {
    const declared = new Declared(stack);
    const pair = pairOf(declared);
    const cells = pair.clusters
        .map((cluster) => cellOf(declared, pair, cluster))
        .filter((cell): cell is Cell => cell !== undefined);
    const sections = cells.flatMap((cell) => [
        `## Monitoring cell in ${cell.region} (${cell.role})`,
        "",
        cellDiagram(pair, cell),
        "",
        "| Node | Name |",
        "| --- | --- |",
        ...names(cell).map(
            ([node, values]) => `| ${node} | ${values.map((v) => `\`${v}\``).join(", ")} |`,
        ),
        "",
    ]);
    return [
        `# Architecture of the \`${stackName}\` stack`,
        "",
        "Generated by `npm run docs` from the resources the program declares (under mocks, so",
        "names carry the placeholder suffix). A test regenerates it and fails on any difference.",
        "",
        overview(pair, cells),
        "",
        LEGEND,
        "",
        ...sections,
    ].join("\n");
}

/** Where the diagrams of `stack` are committed. */
export const diagramPath = (stack: string) =>
    stack === "dev" ? "docs/architecture.md" : `docs/architecture.${stack}.md`;

const README_START = "<!-- architecture:start (generated by npm run docs) -->";
const README_END = "<!-- architecture:end -->";

/** The README with its architecture block replaced by the overview (first diagram) of `doc`. */
export function readmeWithDiagram(readme: string, doc: string): string {
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    if (start < 0 || end < start)
        throw new Error(`README.md lacks the ${README_START} … ${README_END} markers`);
    const open = doc.indexOf("```mermaid");
    const close = doc.indexOf("\n```", open + 1);
    if (open < 0 || close < 0) throw new Error("the architecture document has no diagram");
    const block = doc.slice(open, close + 4);
    return `${readme.slice(0, start + README_START.length)}\n\n${block}\n\n${readme.slice(end)}`;
}
