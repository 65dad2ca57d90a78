// One monitoring cell's diagram, from its schedule to its pages, and its table of names.
import { monitorNamespace, type Cell } from "./diagram-cell";
import { listedAlarms } from "./diagram-dashboard";
import { sortedUnique, type Resource } from "./diagram-declared";
import { Flowchart, id } from "./diagram-flowchart";
import {
    COMPARISON,
    count,
    experimentLabel,
    perMetric,
    recipients,
    topicLabel,
    which,
} from "./diagram-labels";
import type { Pair } from "./diagram-pair";

/** What the cell's metrics node shows, shared by its nodes and edges. */
interface Metrics {
    /** The monitor's own namespace. */
    readonly namespace: string | undefined;
    /** The metric the suppressor watches (the maintenance window). */
    readonly maintenance: string | undefined;
    /** Metrics in the namespace some alarm watches. */
    readonly alarmed: readonly string[];
    /** Metrics only the dashboard shows. */
    readonly graphedOnly: readonly string[];
}

function metricsOf(cell: Cell): Metrics {
    const namespace = monitorNamespace(cell);
    const maintenance = cell.suppressor?.inputs.metricName as string | undefined;
    const alarmed = sortedUnique(
        [...cell.children, ...cell.others]
            .filter((a) => a.inputs.namespace === namespace)
            .map((a) => a.inputs.metricName as string),
    );
    const graphedOnly = cell.graphed.filter((m) => !alarmed.includes(m) && m !== maintenance);
    return { namespace, maintenance, alarmed, graphedOnly };
}

/** What runs the monitor and what it emits: parameter, rule, dead letters, monitor, metrics. */
function monitorNodes(chart: Flowchart, cell: Cell, metrics: Metrics): void {
    const fn = cell.monitor.inputs;
    const rule = cell.rule?.inputs;
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
    if (metrics.maintenance)
        chart.node("maintenance", "rounded", "EMF metric", metrics.maintenance);
    chart.node(
        "metrics",
        "rounded",
        "EMF metrics",
        ...(metrics.namespace ? [metrics.namespace] : []),
        ...metrics.alarmed,
        ...(metrics.graphedOnly.length > 0
            ? [`dashboard only: ${metrics.graphedOnly.join(", ")}`]
            : []),
    );
}

/** The alarms and where they notify: suppressor, children, others, pages, topics, recipients. */
function alarmNodes(chart: Flowchart, cell: Cell, namespace: string | undefined): void {
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
}

/** What hangs off the cell: dashboard, drills, database setup, and the pair itself. */
function surroundingNodes(chart: Flowchart, pair: Pair, cell: Cell): void {
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
    if (cell.probed.length > 0 || cell.setups.length > 0) {
        chart.node(
            "pair",
            "cylinder",
            "Aurora DSQL pair",
            ...pair.clusters.map((c) => `${c.role} ${c.region}`),
        );
    }
}

/** From the schedule through the monitor and its metrics to the pages. */
function detectionEdges(chart: Flowchart, pair: Pair, cell: Cell, metrics: Metrics): void {
    if (cell.parameter) chart.edge("parameter", "flow", "monitor", "read");
    if (cell.rule?.inputs) chart.edge("rule", "flow", "monitor", "invokes");
    if (cell.deadLetterQueue) chart.edge("rule", "dotted", "dlq", "undelivered");
    if (metrics.maintenance) chart.edge("monitor", "flow", "maintenance");
    chart.edge("monitor", "flow", "metrics");
    if (cell.probed.length > 0) {
        chart.edge("monitor", "flow", "pair", `probes ${which(cell.probed, pair.clusters)}`);
    }
    if (metrics.maintenance) chart.edge("maintenance", "flow", "suppressor");
    if (cell.children.length > 0) chart.edge("metrics", "flow", "children");
    if (cell.others.some((a) => a.inputs.namespace === metrics.namespace)) {
        chart.edge("metrics", "flow", "others");
    }
    if (cell.suppressor && cell.pages.length > 0) {
        chart.edge("suppressor", "suppresses", "pages", "suppresses actions");
    }
    if (cell.children.length > 0 && cell.pages.length > 0) chart.edge("children", "flow", "pages");
}

/** Which alarm states each topic is notified of, and its subscriptions. */
function notificationEdges(chart: Flowchart, cell: Cell): void {
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
}

/** Drill stop conditions, what the dashboard shows, and the database setup's invocations. */
function surroundingEdges(chart: Flowchart, cell: Cell): void {
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
}

/** One cell: schedule → monitor → metrics → alarms → pages → topic, and what hangs off it. */
export function cellDiagram(pair: Pair, cell: Cell): string {
    const chart = new Flowchart();
    const metrics = metricsOf(cell);
    // Nodes, in the order that keeps Mermaid's layout readable (inputs first).
    monitorNodes(chart, cell, metrics);
    alarmNodes(chart, cell, metrics.namespace);
    surroundingNodes(chart, pair, cell);
    // Edges: only where something flows.
    detectionEdges(chart, pair, cell, metrics);
    notificationEdges(chart, cell);
    surroundingEdges(chart, cell);
    return chart.toString();
}

/** Physical names of the cell's nodes, for the table below its diagram. */
export function physicalNames(cell: Cell): [string, string[]][] {
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
