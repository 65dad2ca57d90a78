// The monitoring cell of a region as the diagrams show it, read from the declared resources.
import { graphedMetrics } from "./diagram-dashboard";
import { sortedUnique, TYPE, type Declared, type Resource } from "./diagram-declared";
import type { Cluster, Pair } from "./diagram-pair";

export interface Page {
    readonly resource: Resource;
    /** What it pages about, from its logical name ("primary down", "replication"). */
    readonly title: string;
}

export interface Experiment {
    readonly resource: Resource;
    readonly targets: readonly Cluster[];
    /** The pages that stop it. */
    readonly stoppedBy: readonly Page[];
}

export interface Setup {
    /** The function a Pulumi invocation runs. */
    readonly fn: Resource;
    readonly clusters: readonly Cluster[];
    /** True when Pulumi invokes it only after every peering exists. */
    readonly afterPeering: boolean;
}

export interface Cell {
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

/** The namespace of the monitor's own metrics: the one its alarms watch outside AWS/. */
export function monitorNamespace(alarms: {
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

/** The scheduled monitor of `region` and the event target that runs it. */
function scheduledMonitor(
    declared: Declared,
    pair: Pair,
    region: string,
    functions: readonly Resource[],
) {
    const scheduled = declared
        .of(TYPE.target, region)
        .map((target) => ({ target, fn: functions.find((f) => f.state.arn === target.inputs.arn) }))
        .filter((s): s is { target: Resource; fn: Resource } => s.fn !== undefined);
    // The monitor: the scheduled function given the clusters (another scheduled job is not).
    return scheduled.find((s) => clustersIn(s.fn, pair.clusters).length > 0) ?? scheduled[0];
}

/** The region's alarms by the part they play: pages, their children, the suppressor, others. */
function alarmsOf(declared: Declared, pair: Pair, region: string) {
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
    return { composites, paging, pages, suppressor, children, others };
}

/** The region's fault-injection experiments on the pair, with the pages that stop them. */
function experimentsOf(
    declared: Declared,
    pair: Pair,
    region: string,
    alarms: Pick<ReturnType<typeof alarmsOf>, "composites" | "paging" | "pages">,
): Experiment[] {
    const { composites, paging, pages } = alarms;
    return declared
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
        .filter((e) => e.targets.length > 0);
}

/** The region's Pulumi invocations of a setup function, and whether they wait for peering. */
function setupsOf(
    declared: Declared,
    pair: Pair,
    region: string,
    functions: readonly Resource[],
): Setup[] {
    const functionsInvoked = (invocation: Resource) =>
        functions.find((f) => f.inputs.name === invocation.inputs.functionName);
    const peeringNames = declared.of(TYPE.peering).map((p) => p.name);
    return declared
        .of(TYPE.invocation, region)
        .map((invocation) => ({ invocation, fn: functionsInvoked(invocation) }))
        .filter((s): s is { invocation: Resource; fn: Resource } => s.fn !== undefined)
        .map(({ invocation, fn }) => ({
            fn,
            clusters: clustersIn(fn, pair.clusters),
            afterPeering:
                peeringNames.length > 0 &&
                peeringNames.every((name) => invocation.dependsOn.includes(name)),
        }));
}

/** The monitoring cell of `cluster`'s region, if a scheduled function runs there. */
export function cellOf(declared: Declared, pair: Pair, cluster: Cluster): Cell | undefined {
    const { region } = cluster;
    const functions = declared.of(TYPE.function, region);
    const chosen = scheduledMonitor(declared, pair, region, functions);
    if (chosen === undefined) return undefined;
    const { target, fn: monitor } = chosen;

    const alarms = alarmsOf(declared, pair, region);
    const { pages, suppressor, children, others } = alarms;
    const topicArns = new Set(
        [...alarms.paging, ...others].flatMap((a) => [
            ...(a.inputs.alarmActions ?? []),
            ...(a.inputs.okActions ?? []),
        ]),
    );
    const topics = declared.of(TYPE.topic, region).filter((t) => topicArns.has(t.state.arn));
    const dashboard = declared.of(TYPE.dashboard, region)[0];
    const namespace = monitorNamespace({ children, suppressor, others });
    const graphed = graphedMetrics(dashboard);

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
        experiments: experimentsOf(declared, pair, region, alarms),
        setups: setupsOf(declared, pair, region, functions),
    };
}
