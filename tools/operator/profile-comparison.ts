/**
 * The detection profiles side by side on one stack: each profile's simulated worst case for
 * every row the profiles change, its monthly cost, and what the dearer profile buys over the
 * cheaper one (seconds sooner per extra dollar a month). Read from each profile's offline plan
 * (`./task plan <stack> --json --set detectionProfile=<profile>`), so the figures are the
 * plan's own.
 */
import { UsageError } from "./errors";
import { secondsText } from "./plan-report";
import { table, wrap } from "./text-layout";

/** One verdict-table row as one profile's plan played it. */
export interface PlannedRow {
    readonly scenario: string;
    readonly row: string;
    readonly worstCaseSeconds?: number;
    readonly goalSeconds?: number;
    readonly failures: number;
}

/** What the comparison reads from one profile's plan. */
export interface ProfilePlan {
    readonly profile: string;
    readonly rows: readonly PlannedRow[];
    readonly totalUsd: number;
    readonly budgetUsd: number;
}

/** A row the profiles detect at different speeds: each profile's worst case and goal. */
export interface ComparedRow {
    readonly scenario: string;
    readonly row: string;
    readonly worstCaseSeconds: readonly number[];
    readonly goalSeconds: readonly (number | undefined)[];
}

/** What `dearer` buys over `cheaper`, row by row. */
export interface TradeOff {
    readonly cheaper: string;
    readonly dearer: string;
    readonly extraUsd: number;
    readonly rows: readonly {
        readonly row: string;
        readonly secondsSooner: number;
        /** Undefined when the dearer profile costs nothing more. */
        readonly secondsPerUsd?: number;
    }[];
}

export interface ProfileComparison {
    /** The profiles, cheapest first. */
    readonly plans: readonly ProfilePlan[];
    readonly rows: readonly ComparedRow[];
    readonly tradeOffs: readonly TradeOff[];
}

/** The fields the comparison needs from `./task plan --json`, checked. */
export function profilePlan(profile: string, document: unknown): ProfilePlan {
    const figures = (document as { figures?: Record<string, unknown> })?.figures;
    const rows = figures?.timeToDetect as PlannedRow[] | undefined;
    const cost = figures?.monthlyCost as { totalUsd?: unknown; goalUsd?: unknown } | undefined;
    if (!Array.isArray(rows) || typeof cost?.totalUsd !== "number") {
        throw new Error(`the plan of profile ${profile} has no time-to-detect rows or cost`);
    }
    return { profile, rows, totalUsd: cost.totalUsd, budgetUsd: Number(cost.goalUsd) };
}

/** Side by side: the rows whose worst case differs between profiles, and the trade-offs. */
export function compareProfiles(plans: readonly ProfilePlan[]): ProfileComparison {
    if (plans.length < 2) throw new UsageError("a comparison needs at least two profiles");
    const sorted = [...plans].sort((a, b) => a.totalUsd - b.totalUsd);
    const rowOf = (plan: ProfilePlan, scenario: string) =>
        plan.rows.find((r) => r.scenario === scenario);
    const rows: ComparedRow[] = [];
    for (const first of sorted[0].rows) {
        const played = sorted.map((plan) => rowOf(plan, first.scenario));
        const worst = played.map((r) => r?.worstCaseSeconds);
        if (worst.some((w) => w === undefined)) continue;
        if (worst.every((w) => w === worst[0])) continue;
        rows.push({
            scenario: first.scenario,
            row: first.row,
            worstCaseSeconds: worst as number[],
            goalSeconds: played.map((r) => r?.goalSeconds),
        });
    }
    const tradeOffs = sorted.slice(1).map((dearer, i): TradeOff => {
        const cheaper = sorted[i];
        const extraUsd = dearer.totalUsd - cheaper.totalUsd;
        return {
            cheaper: cheaper.profile,
            dearer: dearer.profile,
            extraUsd,
            rows: rows.map((r) => {
                const secondsSooner = r.worstCaseSeconds[i] - r.worstCaseSeconds[i + 1];
                return {
                    row: r.row,
                    secondsSooner,
                    secondsPerUsd: extraUsd > 0 ? secondsSooner / extraUsd : undefined,
                };
            }),
        };
    });
    return { plans: sorted, rows, tradeOffs };
}

const usd = (value: number) => value.toFixed(2);

/** A worst case, marked when it is over the profile's goal on this stack. */
const worstCell = (worst: number, goal: number | undefined) =>
    goal !== undefined && worst > goal
        ? `${secondsText(worst)} (over ${secondsText(goal)})`
        : secondsText(worst);

/** What a trade-off buys on one row: "286 s, 32 s/USD". */
const boughtCell = (r: TradeOff["rows"][number]) =>
    r.secondsPerUsd === undefined
        ? `${r.secondsSooner} s`
        : `${r.secondsSooner} s, ${Math.round(r.secondsPerUsd)} s/USD`;

/** The comparison as text, at most MAX_COLUMNS wide. */
export function comparisonText(stack: string, comparison: ProfileComparison): string[] {
    const { plans, rows, tradeOffs } = comparison;
    const out = [
        ...wrap(
            `Detection profiles on stack "${stack}", each planned offline with its own schedule, ` +
                `probe bound and N of M (./task plan ${stack} --set detectionProfile=<profile>): ` +
                "the worst case of every row the profiles detect at different speeds, and how much " +
                "sooner the dearer profile pages, in seconds and in seconds per dollar a month:",
        ),
        ...table(
            [
                { header: "verdict table row", wraps: true },
                ...plans.map((p) => ({ header: p.profile, align: "right" as const })),
                ...tradeOffs.map((t) => ({
                    header: `${t.dearer} sooner`,
                    align: "right" as const,
                })),
            ],
            [
                ...rows.map((r, i) => [
                    r.row,
                    ...r.worstCaseSeconds.map((w, p) => worstCell(w, r.goalSeconds[p])),
                    ...tradeOffs.map((t) => boughtCell(t.rows[i])),
                ]),
                [
                    "monthly cost, USD (budget)",
                    ...plans.map((p) => `${usd(p.totalUsd)} (${usd(p.budgetUsd)})`),
                    ...tradeOffs.map((t) => `+${usd(t.extraUsd)}`),
                ],
            ],
        ),
    ];
    const failing = plans.flatMap((p) =>
        p.rows.filter((r) => r.failures > 0).map((r) => `${p.profile}: "${r.row}"`),
    );
    if (failing.length > 0) {
        out.push("", ...wrap(`WRONG OR MISSING PAGES in ${failing.join(", ")}`));
    }
    return out;
}
