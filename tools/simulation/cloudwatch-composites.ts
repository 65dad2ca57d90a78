/**
 * The composites of a run, parsed and ordered so that each comes after the composites its
 * rule names. Rules "can refer to metric alarms and composite alarms"; a cycle stops
 * evaluation, so a run with one is refused
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 */
import type { CompositeAlarmSpec, MetricAlarmSpec } from "./cloudwatch-alarm-types";
import { parseRule, ruleChildren, type Rule } from "./cloudwatch-alarm-rule";

export interface ParsedComposite {
    readonly spec: CompositeAlarmSpec;
    readonly rule: Rule;
    readonly children: ReadonlySet<string>;
}

/**
 * The composites with their parsed rules, each after the composites its rule names. Throws
 * on a duplicate name, a name that is not an alarm of the run, or a cycle.
 */
export function orderComposites(
    metricAlarms: readonly MetricAlarmSpec[],
    composites: readonly CompositeAlarmSpec[],
): ParsedComposite[] {
    const names = new Set<string>();
    for (const { name } of [...metricAlarms, ...composites]) {
        if (names.has(name)) throw new Error(`two alarms are named ${name}`);
        names.add(name);
    }
    const parsed = new Map(
        composites.map((spec) => {
            const rule = parseRule(spec.rule);
            const children = new Set(ruleChildren(rule));
            for (const child of [...children, ...(spec.suppressor ? [spec.suppressor.alarm] : [])])
                if (!names.has(child))
                    throw new Error(
                        `${spec.name} names ${child}, which is not an alarm of this run`,
                    );
            return [spec.name, { spec, rule, children }];
        }),
    );
    const ordered: ParsedComposite[] = [];
    const done = new Set<string>();
    const visit = (composite: ParsedComposite, path: string[]) => {
        const name = composite.spec.name;
        if (done.has(name)) return;
        if (path.includes(name)) {
            const cycle = [...path.slice(path.indexOf(name)), name].join(" → ");
            throw new Error(
                `composite alarms in a cycle: ${cycle}; CloudWatch stops evaluating them`,
            );
        }
        for (const child of composite.children) {
            const inner = parsed.get(child);
            if (inner) visit(inner, [...path, name]);
        }
        done.add(name);
        ordered.push(composite);
    };
    for (const composite of parsed.values()) visit(composite, []);
    return ordered;
}
