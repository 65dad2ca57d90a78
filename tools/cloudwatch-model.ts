/**
 * A model of how CloudWatch evaluates the alarms this program declares: metric alarms
 * (period, evaluation range, datapoints to alarm, missing-data treatment) and composite
 * alarms (rule, actions suppressor with its wait and extension periods). The time-to-detect
 * simulation and the verdict scenario tests both evaluate the declared alarms with it.
 * tests/tools/cloudwatch-model.test.ts checks it against the docs' worked examples.
 *
 * What it follows, from the CloudWatch User Guide and API Reference:
 * - "For any period of one minute or longer, an alarm is evaluated every minute ... If the
 *   alarm period is 10 seconds, 20 seconds, or 30 seconds, the alarm is evaluated every 10
 *   seconds." "If the number of evaluation periods multiplied by the length of each
 *   evaluation period exceeds one day, the alarm is evaluated once per hour", taking "into
 *   account only the metrics up to the current hour at the :00 minute"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html).
 * - Sliding windows end at the last complete minute, not at a multiple of the period; the
 *   open minute is not evaluated (AWS's example events,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 *   A datapoint counts from the moment it is available (`availableAt`), and only in the
 *   evaluations after it.
 * - The evaluation range: "CloudWatch retrieves the 5 most recent data points when evaluating
 *   the alarm" for 3 evaluation periods; the three cases of missing data, the fill with the
 *   treatMissingData value "as few times as possible", and the rule that an alarm goes to
 *   ALARM when "the oldest available breaching datapoint ... is at least as old as the value
 *   of Datapoints to Alarm, and all other more recent data points are breaching or missing"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 * - PutMetricAlarm's limits: periods of 10, 20, 30 s or a multiple of 60; period times
 *   evaluation periods at most 604,800 s, and at most a day below an hour's period.
 * - Composite rules with ALARM(), OK(), INSUFFICIENT_DATA(), TRUE, FALSE, AND, OR, NOT,
 *   parentheses, and names "surrounded with double-quotes ("), but do not have to be"; rules
 *   "can refer to metric alarms and composite alarms"; a cycle stops evaluation, so a run
 *   with one is refused. A composite is OK or ALARM after creation, never INSUFFICIENT_DATA.
 * - An actions suppressor, which can be any alarm: a composite's change of state acts only
 *   after the WaitPeriod, even when nothing suppresses it; a suppressor entering ALARM
 *   discards the wait; a change while it is in ALARM takes no action; once it "goes out of
 *   the ALARM state", the ExtensionPeriod runs, and a change of the composite during it
 *   starts a new WaitPeriod instead. "Composite alarms take actions that are based on their
 *   currents states when ExtensionPeriod and WaitPeriod become inactive" (sic), so a wait or
 *   an extension that ends acts on the state at that moment, ALARM or OK, even one it acted
 *   on before (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 *
 * What it assumes, where AWS publishes nothing:
 * - The evaluation range is Evaluation Periods + 2 for every alarm (only 3 → 5 is documented).
 * - 10/20/30 s buckets end on a 10 s boundary. The second of the minute (or of the 10 s step,
 *   or of the hour) an evaluation runs at is a parameter of the caller, one per region.
 * - With fewer real points in the range than Evaluation Periods, the points evaluated are all
 *   the real ones plus (Evaluation Periods − real) filled with the treatMissingData value;
 *   under "ignore" the real points decide when one of them does not breach or M of them
 *   breach, and otherwise the state is kept. This reading fits every row of the docs' tables.
 * - The premature-ALARM rule scans the whole evaluation range (the docs say both "during the
 *   Evaluation Periods number of data points" and "during the evaluation range"), applies
 *   only when every real point in it breaches (the tables' `0 - X - -` with 2 of 3 is OK), and
 *   not under "ignore" (`- - X - -` there retains the state).
 * - Rule keywords are upper case and NOT binds tighter than AND, AND tighter than OR (AWS
 *   documents no precedence). An unquoted name runs to the next blank, parenthesis or quote; a
 *   quoted one to the next double quote (no escape is documented). Names, not ARNs.
 * - A composite is re-evaluated the moment a child changes state (AWS's example events show
 *   both at the same millisecond). Within one instant, the metric alarm changes first, then
 *   the composites, children before the composites that name them.
 * - A composite without a suppressor acts the moment it changes. One with a suppressor acts
 *   after an ExtensionPeriod only if a change of state of its own had its actions held back
 *   (a suppressor episode while it was settled takes no action). A wait or extension that
 *   ends at the instant of an evaluation acts before that evaluation.
 * - A composite that went back to OK while its suppressor was in ALARM takes no OK action
 *   when the ExtensionPeriod ends: AWS's examples show only a held-back ALARM acted on
 *   then, so the model does not count on the OK (the stricter reading; the maintenance
 *   close-out exists for it).
 * - Metric alarms start the run OK, as a settled stack's are; composites start in the state
 *   their rules give over them, without acting.
 * - How long EMF takes to become a metric is a parameter of the caller (AWS gives no figure).
 *
 * Alarm birth, from the PutMetricAlarm and PutCompositeAlarm API references: "When this
 * operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA. The
 * alarm is then evaluated and its state is set appropriately. Any actions associated with
 * the new state are then executed" — OK actions included, as they run on a transition to OK
 * "from any other state"; for a composite "this initial time after creation is the only
 * time that the alarm can be in INSUFFICIENT_DATA state". An update leaves the state
 * unchanged. A warm-up period (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-warm-up.html):
 * "During warm-up, the alarm stays in INSUFFICIENT_DATA and does not perform alarm actions";
 * unless told to wait it out, "the alarm ends the warm-up period early. Evaluation begins as
 * soon as the alarm has enough metric data to fill its evaluation window". Assumed: the
 * window is filled when each of its Evaluation Periods buckets holds an available point; the
 * first evaluation runs at the instant of creation, children before composites.
 */

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** A datapoint as the monitor emitted it, and from when CloudWatch can use it. */
export interface Datapoint {
    readonly metric: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly value: number;
    /** The datapoint's own timestamp (epoch ms). */
    readonly timestamp: number;
    /** When it became a metric CloudWatch can evaluate (epoch ms). */
    readonly availableAt: number;
}

export interface MetricAlarmSpec {
    readonly name: string;
    readonly region: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly statistic: "Maximum" | "Minimum" | "Sum" | "Average" | "SampleCount";
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly threshold: number;
    readonly comparisonOperator:
        | "GreaterThanOrEqualToThreshold"
        | "GreaterThanThreshold"
        | "LessThanThreshold"
        | "LessThanOrEqualToThreshold";
    readonly treatMissingData: "breaching" | "notBreaching" | "ignore" | "missing";
    /** Warm-up after creation (WarmUpConfiguration), if any. */
    readonly warmUp?: { readonly minutes: number; readonly onlyAfterEnd: boolean };
    /**
     * A metric math alarm adding these series (`m1 + m2 + …`, each the alarm's statistic over
     * its period; statistic Sum only). A period with no datapoint in any series is missing;
     * one series missing counts 0 ("missing values in a time series are treated as 0",
     * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html).
     * `metricName` and `dimensions` are then unused.
     */
    readonly sumOf?: readonly {
        readonly metricName: string;
        readonly dimensions: Readonly<Record<string, string>>;
    }[];
}

export interface CompositeAlarmSpec {
    readonly name: string;
    readonly region: string;
    readonly rule: string;
    /** Whether it notifies (it has alarm actions). */
    readonly notifies: boolean;
    readonly suppressor?: { alarm: string; waitPeriod: number; extensionPeriod: number };
}

/** One alarm state change, and one notification (an action taken). */
export interface Transition {
    readonly alarm: string;
    readonly at: number;
    readonly state: AlarmState;
}

const EVALUATION_RANGE_EXTRA = 2;
const DAY_SECONDS = 86_400;

/**
 * Seconds between two evaluations of an alarm of this period: 10 below a minute, 60 from a
 * minute, 3600 when its evaluation periods span more than a day.
 */
export const evaluationInterval = (period: number, evaluationPeriods = 1) =>
    period * evaluationPeriods > DAY_SECONDS ? 3600 : period < 60 ? 10 : 60;

/** Throws if PutMetricAlarm would refuse the alarm's period or N of M. */
function checkMetricAlarm(alarm: MetricAlarmSpec): void {
    const problem = metricAlarmProblem(alarm);
    if (problem) throw new Error(`metric alarm ${alarm.name}: ${problem}`);
}

function metricAlarmProblem(alarm: MetricAlarmSpec): string | undefined {
    const { period, evaluationPeriods: n, datapointsToAlarm: m } = alarm;
    if (alarm.sumOf && alarm.statistic !== "Sum")
        return "a sum of series is modelled for the Sum statistic only";
    if (!(period === 10 || period === 20 || period === 30 || (period > 0 && period % 60 === 0)))
        return `period ${period} is not 10, 20, 30 or a multiple of 60`;
    if (!Number.isInteger(n) || n < 1) return `evaluation periods ${n} is not a positive integer`;
    if (!Number.isInteger(m) || m < 1 || m > n)
        return `datapoints to alarm ${m} is not between 1 and the evaluation periods (${n})`;
    if (period * n > 604_800) return "period × evaluation periods exceeds 604,800 s";
    if (period < 3600 && period * n > DAY_SECONDS)
        return "a period under an hour cannot span more than one day";
    return undefined;
}

/**
 * The state a metric alarm evaluates to at `now`, from the datapoints available then;
 * `current` is its state before (kept when missing data is ignored).
 */
export function evaluateMetricAlarm(
    alarm: MetricAlarmSpec,
    points: readonly Datapoint[],
    now: number,
    current: AlarmState,
): AlarmState {
    checkMetricAlarm(alarm);
    const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
    const end = Math.floor(now / step) * step;
    const period = alarm.period * 1000;
    const range = alarm.evaluationPeriods + EVALUATION_RANGE_EXTRA;
    // Values per bucket, most recent first: bucket j holds [end − (j+1)·period, end − j·period).
    const values: number[][] = Array.from({ length: range }, () => []);
    for (const p of points) {
        if (p.availableAt > now) continue;
        const j = Math.ceil((end - p.timestamp) / period) - 1;
        if (j >= 0 && j < range) values[j].push(p.value);
    }
    const breaches = (v: number) => compare(alarm.comparisonOperator, v, alarm.threshold);
    const evaluationPeriods = alarm.evaluationPeriods;
    const datapointsToAlarm = alarm.datapointsToAlarm;
    // Real points, most recent first, with the slot (0 = most recent period) they are in.
    const real = values.flatMap((v, slot) =>
        v.length ? [{ slot, breaching: breaches(aggregate(alarm.statistic, v)) }] : [],
    );
    const breaching = (subset: typeof real) => subset.filter((p) => p.breaching).length;
    const decide = (count: number): AlarmState => (count >= datapointsToAlarm ? "ALARM" : "OK");

    if (real.length >= evaluationPeriods) {
        return decide(breaching(real.slice(0, evaluationPeriods)));
    }
    const fills = evaluationPeriods - real.length;
    switch (alarm.treatMissingData) {
        case "breaching":
            return decide(breaching(real) + fills);
        case "notBreaching":
            return decide(breaching(real));
        case "ignore": {
            if (real.some((p) => !p.breaching)) return decide(breaching(real));
            return breaching(real) >= datapointsToAlarm ? "ALARM" : current;
        }
        case "missing": {
            if (real.length === 0) return "INSUFFICIENT_DATA";
            if (breaching(real) >= datapointsToAlarm) return "ALARM";
            // The oldest breaching point is at least M periods old and nothing newer is good.
            const oldest = real[real.length - 1];
            const allBreaching = breaching(real) === real.length;
            return allBreaching && oldest.slot + 1 >= datapointsToAlarm ? "ALARM" : "OK";
        }
    }
}

/**
 * Whether each of the alarm's Evaluation Periods most recent buckets holds a datapoint
 * available at `now`: what ends a warm-up early.
 */
export function windowFilled(alarm: MetricAlarmSpec, points: readonly Datapoint[], now: number) {
    const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
    const end = Math.floor(now / step) * step;
    const period = alarm.period * 1000;
    const filled = new Set<number>();
    for (const p of points) {
        if (p.availableAt > now) continue;
        const j = Math.ceil((end - p.timestamp) / period) - 1;
        if (j >= 0 && j < alarm.evaluationPeriods) filled.add(j);
    }
    return filled.size === alarm.evaluationPeriods;
}

function aggregate(statistic: MetricAlarmSpec["statistic"], values: number[]): number {
    switch (statistic) {
        case "Maximum":
            return Math.max(...values);
        case "Minimum":
            return Math.min(...values);
        case "Sum":
            return values.reduce((a, b) => a + b, 0);
        case "Average":
            return values.reduce((a, b) => a + b, 0) / values.length;
        case "SampleCount":
            return values.length;
    }
}

function compare(op: MetricAlarmSpec["comparisonOperator"], v: number, t: number): boolean {
    switch (op) {
        case "GreaterThanOrEqualToThreshold":
            return v >= t;
        case "GreaterThanThreshold":
            return v > t;
        case "LessThanThreshold":
            return v < t;
        case "LessThanOrEqualToThreshold":
            return v <= t;
    }
}

type Rule =
    | { kind: "state"; state: AlarmState; alarm: string }
    | { kind: "const"; value: boolean }
    | { kind: "not"; rule: Rule }
    | { kind: "and" | "or"; left: Rule; right: Rule };

interface Token {
    readonly kind: "paren" | "word" | "quoted";
    /** The token as written; a quoted name without its quotes. */
    readonly text: string;
    /** Character offset in the rule. */
    readonly at: number;
}

/** Splits a rule into parentheses, bare words and quoted names; throws on an open quote. */
function tokenize(text: string, fail: (problem: string) => never): Token[] {
    const tokens: Token[] = [];
    const pattern = /\s*(?:([()])|"([^"]*)("?)|([^\s()"]+))/y;
    while (pattern.lastIndex < text.length) {
        const start = pattern.lastIndex;
        const match = pattern.exec(text);
        if (!match) break; // only blanks are left
        const at = start + match[0].length - match[0].trimStart().length;
        const [, paren, quoted, closed, word] = match;
        if (paren) tokens.push({ kind: "paren", text: paren, at });
        else if (word) tokens.push({ kind: "word", text: word, at });
        else if (closed) tokens.push({ kind: "quoted", text: quoted, at });
        else fail(`unterminated quoted name at character ${at}`);
    }
    return tokens;
}

/** Parses a composite alarm rule (NOT binds tighter than AND, AND tighter than OR). */
export function parseRule(text: string): Rule {
    const fail = (problem: string): never => {
        throw new Error(`alarm rule ${JSON.stringify(text)}: ${problem}`);
    };
    const tokens = tokenize(text, fail);
    let i = 0;
    const peek = (): Token | undefined => tokens[i];
    const where = (token: Token | undefined) => `at character ${token?.at ?? text.length}`;
    const unexpected = (token: Token | undefined): never =>
        fail(token ? `unexpected ${token.text} ${where(token)}` : "unexpected end of rule");
    const expect = (paren: "(" | ")", after = "") => {
        const token = tokens[i++];
        if (token?.kind !== "paren" || token.text !== paren)
            fail(`expected ${paren}${after} ${where(token)}`);
    };
    const isWord = (token: Token | undefined, word: string) =>
        token?.kind === "word" && token.text === word;

    const primary = (): Rule => {
        const token = tokens[i++];
        if (token?.kind === "paren" && token.text === "(") {
            const inner = or();
            expect(")");
            return inner;
        }
        if (token?.kind !== "word") return unexpected(token);
        if (token.text === "NOT") return { kind: "not", rule: primary() };
        if (token.text === "TRUE" || token.text === "FALSE")
            return { kind: "const", value: token.text === "TRUE" };
        if (token.text === "ALARM" || token.text === "OK" || token.text === "INSUFFICIENT_DATA") {
            expect("(", ` after ${token.text}`);
            const name = tokens[i++];
            if (name?.kind === "paren" || name === undefined)
                fail(`expected an alarm name ${where(name)}`);
            if (name.text === "") fail(`empty alarm name ${where(name)}`);
            expect(")");
            return { kind: "state", state: token.text, alarm: name.text };
        }
        return unexpected(token);
    };
    const and = (): Rule => {
        let left = primary();
        while (isWord(peek(), "AND")) {
            i++;
            left = { kind: "and", left, right: primary() };
        }
        return left;
    };
    const or = (): Rule => {
        let left = and();
        while (isWord(peek(), "OR")) {
            i++;
            left = { kind: "or", left, right: and() };
        }
        return left;
    };
    const rule = or();
    if (i !== tokens.length) unexpected(tokens[i]);
    return rule;
}

/** The alarms a rule names. */
export function ruleChildren(rule: Rule): string[] {
    switch (rule.kind) {
        case "state":
            return [rule.alarm];
        case "const":
            return [];
        case "not":
            return ruleChildren(rule.rule);
        default:
            return [...ruleChildren(rule.left), ...ruleChildren(rule.right)];
    }
}

function holds(rule: Rule, states: ReadonlyMap<string, AlarmState>): boolean {
    switch (rule.kind) {
        case "state":
            return states.get(rule.alarm) === rule.state;
        case "const":
            return rule.value;
        case "not":
            return !holds(rule.rule, states);
        case "and":
            return holds(rule.left, states) && holds(rule.right, states);
        case "or":
            return holds(rule.left, states) || holds(rule.right, states);
    }
}

export interface AlarmRun {
    /** Every state change of every alarm, in time order. */
    readonly transitions: Transition[];
    /** Every action a notifying composite took (ALARM or OK), in time order. */
    readonly notifications: Transition[];
}

interface ParsedComposite {
    readonly spec: CompositeAlarmSpec;
    readonly rule: Rule;
    readonly children: ReadonlySet<string>;
}

/**
 * The composites with their parsed rules, each after the composites its rule names. Throws
 * on a duplicate name, a name that is not an alarm of the run, or a cycle.
 */
function orderComposites(
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

/** How a run begins. */
export interface AlarmRunStart {
    /**
     * When PutMetricAlarm and PutCompositeAlarm created the alarms (epoch ms, at or after
     * `from`): they are born INSUFFICIENT_DATA and evaluated at once, children first, and
     * act on the state they move to. Without it the run starts on a settled stack: metric
     * alarms OK, composites in the state their rules give, nothing acting.
     */
    readonly createdAt?: number;
}

/**
 * Evaluates every alarm from `from` to `to` (epoch ms). Metric alarms are evaluated on
 * their cadence at `offsetSeconds` (per region; 5 by default) past each step, and once at
 * their creation; composites whenever a child changes, and once at their creation.
 */
export function runAlarms(
    metricAlarms: readonly MetricAlarmSpec[],
    composites: readonly CompositeAlarmSpec[],
    points: readonly Datapoint[],
    from: number,
    to: number,
    offsetSeconds: Readonly<Record<string, number>> = {},
    start: AlarmRunStart = {},
): AlarmRun {
    metricAlarms.forEach(checkMetricAlarm);
    const ordered = orderComposites(metricAlarms, composites);
    const born = start.createdAt;
    const states = new Map<string, AlarmState>();
    const transitions: Transition[] = [];
    const notifications: Transition[] = [];
    for (const a of metricAlarms)
        states.set(a.name, born === undefined ? "OK" : "INSUFFICIENT_DATA");
    for (const c of ordered) {
        const settled = holds(c.rule, states) ? "ALARM" : "OK";
        states.set(c.spec.name, born === undefined ? settled : "INSUFFICIENT_DATA");
    }
    const pointsOf = groupByMetric(points);
    // Each alarm's datapoints, gathered once: the points of a run are fixed.
    const series = new Map(
        metricAlarms.map((alarm) => [
            alarm.name,
            alarm.sumOf
                ? alarm.sumOf.flatMap((m) => pointsOf(m.metricName, m.dimensions))
                : pointsOf(alarm.metricName, alarm.dimensions),
        ]),
    );
    const seriesOf = (alarm: MetricAlarmSpec) => series.get(alarm.name)!;
    // Alarms still in their warm-up period (from their creation), by name.
    const warming = new Map<string, number>();
    if (born !== undefined)
        for (const a of metricAlarms)
            if (a.warmUp) warming.set(a.name, born + a.warmUp.minutes * 60_000);

    const events = evaluationInstants(metricAlarms, from, to, offsetSeconds, born);
    const actions = new CompositeActions(composites, states, notifications);
    const change = (name: string, state: AlarmState, at: number) => {
        const before = states.get(name)!;
        states.set(name, state);
        transitions.push({ alarm: name, at, state });
        actions.alarmChanged(name, before, state, at);
    };
    /** Re-evaluates the composites that name a changed alarm (all of them at birth). */
    const cascade = (changed: Set<string>, at: number, birth = false) => {
        for (const { spec, rule, children } of ordered) {
            const named = [...children].some((child) => changed.has(child));
            const unborn = birth && states.get(spec.name) === "INSUFFICIENT_DATA";
            if (!named && !unborn) continue;
            const state: AlarmState = holds(rule, states) ? "ALARM" : "OK";
            if (state === states.get(spec.name)) continue;
            changed.add(spec.name);
            change(spec.name, state, at);
            actions.compositeChanged(spec, at);
        }
    };
    let birthDone = born === undefined;
    const changedAtBirth = new Set<string>();
    for (const { at, alarm } of events) {
        if (!birthDone && at > born!) {
            cascade(changedAtBirth, born!, true);
            birthDone = true;
        }
        actions.advance(at);
        const warmUpEnds = warming.get(alarm.name);
        if (warmUpEnds !== undefined) {
            const early = !alarm.warmUp!.onlyAfterEnd && windowFilled(alarm, seriesOf(alarm), at);
            if (at < warmUpEnds && !early) continue;
            warming.delete(alarm.name);
        }
        const before = states.get(alarm.name)!;
        const after = evaluateMetricAlarm(alarm, seriesOf(alarm), at, before);
        if (after === before) continue;
        change(alarm.name, after, at);
        if (at === born) changedAtBirth.add(alarm.name);
        else cascade(new Set([alarm.name]), at);
    }
    if (!birthDone) cascade(changedAtBirth, born!, true);
    actions.advance(to);
    return { transitions, notifications };
}

/** The datapoints of one series (metric name and exact dimension set). */
function groupByMetric(points: readonly Datapoint[]) {
    const key = (metric: string, dimensions: Readonly<Record<string, string>>) =>
        `${metric} ${JSON.stringify(Object.entries(dimensions).sort())}`;
    const byMetric = new Map<string, Datapoint[]>();
    for (const p of points) {
        const k = key(p.metric, p.dimensions);
        const list = byMetric.get(k);
        if (list) list.push(p);
        else byMetric.set(k, [p]);
    }
    return (metric: string, dimensions: Readonly<Record<string, string>>) =>
        byMetric.get(key(metric, dimensions)) ?? [];
}

/**
 * Evaluation instants of every metric alarm, in time order: its cadence from `from` (or
 * from its creation) to `to`, and the instant it is created.
 */
function evaluationInstants(
    metricAlarms: readonly MetricAlarmSpec[],
    from: number,
    to: number,
    offsetSeconds: Readonly<Record<string, number>>,
    born: number | undefined,
) {
    const events: { at: number; alarm: MetricAlarmSpec }[] = [];
    const first = Math.max(from, born ?? from);
    for (const alarm of metricAlarms) {
        if (born !== undefined) events.push({ at: born, alarm });
        const step = evaluationInterval(alarm.period, alarm.evaluationPeriods) * 1000;
        const offset = (offsetSeconds[alarm.region] ?? 5) * 1000;
        for (let at = Math.ceil((first - offset) / step) * step + offset; at <= to; at += step) {
            if (at >= first && at !== born) events.push({ at, alarm });
        }
    }
    // Stable: at one instant, alarms keep their declared order (children before composites
    // is kept by the cascade).
    return events.sort((a, b) => a.at - b.at);
}

/** Composite actions under their suppressors: waits, suppression and extensions. */
class CompositeActions {
    /** When each composite's running WaitPeriod or ExtensionPeriod ends. */
    private readonly due = new Map<string, number>();
    /** Composites with a change of state whose actions have not been taken yet. */
    private readonly heldBack = new Set<string>();
    /** Composites whose latest change of state came while their suppressor was in ALARM. */
    private readonly changedWhileSuppressed = new Set<string>();

    constructor(
        private readonly composites: readonly CompositeAlarmSpec[],
        private readonly states: ReadonlyMap<string, AlarmState>,
        private readonly notifications: Transition[],
    ) {}

    /** A composite changed state: act after its wait, or not while its suppressor is in ALARM. */
    compositeChanged(composite: CompositeAlarmSpec, at: number): void {
        if (!composite.notifies) return;
        if (!composite.suppressor) return this.act(composite.name, at);
        this.heldBack.add(composite.name);
        if (this.states.get(composite.suppressor.alarm) === "ALARM") {
            this.due.delete(composite.name);
            this.changedWhileSuppressed.add(composite.name);
        } else {
            this.due.set(composite.name, at + composite.suppressor.waitPeriod * 1000);
            this.changedWhileSuppressed.delete(composite.name);
        }
    }

    /**
     * Any alarm changed state. A suppressor entering ALARM discards the waits and extensions
     * of its composites; one leaving ALARM starts the extension of those with actions held back.
     */
    alarmChanged(alarm: string, before: AlarmState, after: AlarmState, at: number): void {
        const entered = after === "ALARM";
        if (!entered && before !== "ALARM") return;
        for (const c of this.composites) {
            if (c.suppressor?.alarm !== alarm || !c.notifies) continue;
            if (entered) this.due.delete(c.name);
            else if (this.heldBack.has(c.name))
                this.due.set(c.name, at + c.suppressor.extensionPeriod * 1000);
        }
    }

    /** Takes every action whose wait or extension has ended by `now`, on the state then. */
    advance(now: number): void {
        const ended = [...this.due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
        for (const [name, at] of ended) {
            this.due.delete(name);
            this.heldBack.delete(name);
            const lostOk = this.states.get(name) === "OK" && this.changedWhileSuppressed.has(name);
            this.changedWhileSuppressed.delete(name);
            if (!lostOk) this.act(name, at);
        }
    }

    private act(name: string, at: number): void {
        this.notifications.push({ alarm: name, at, state: this.states.get(name)! });
    }
}
