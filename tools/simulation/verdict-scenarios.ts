/**
 * The verdict table of DESIGN.md §3 as data: each row's fault and the pages it must (or
 * must not) cause. The time-to-detect simulation plays every row with modelled I/O; the
 * scenario tests play every row with the real monitor against a real PostgreSQL. Both
 * evaluate the alarms the program declares, so the table, the alarms and the monitor
 * cannot drift apart. A = the primary cluster's region, B = the secondary's.
 */
import type { ClusterRole } from "../../monitor-function/src/contract";

export type PageKind =
    "clusterDown" | "consistency" | "peering" | "monitor" | "peerMonitor" | "backup" | "redundancy";

/**
 * A page: its kind, the cluster it is about (for "cluster down"; for "peerMonitor" the role
 * of the silent monitor's region), the region it comes from.
 */
export interface Page {
    readonly kind: PageKind;
    readonly cluster?: ClusterRole;
    /** The observer (cell) role whose region sends it. */
    readonly from: ClusterRole;
}

export type DataPlaneFault = "refuse" | "hang" | "read-only";
export type ControlPlaneFault = "error" | "throttle" | "hang" | "witness";

/** What goes wrong, from the fault's start. */
export interface FaultPlan {
    /** Data-plane failures of an observer's path to a cluster ("any" observer = the cluster itself). */
    readonly dataPlane?: readonly {
        readonly observer: ClusterRole | "any";
        readonly cluster: ClusterRole;
        readonly mode: DataPlaneFault;
        /** Only this many of the observer's rounds from the fault's start (a blip); else persistent. */
        readonly rounds?: number;
    }[];
    /** GetCluster of a cluster, from every observer; modes cycle round by round when several. */
    readonly controlPlane?: { readonly cluster: ClusterRole; readonly modes: ControlPlaneFault[] };
    /** The observer of this region stops running (schedule stopped, throttled, throwing). */
    readonly silentObserver?: ClusterRole;
    /** The whole region goes dark: its observer is silent, its cluster unreachable, its alarms deliver nothing. */
    readonly regionDark?: ClusterRole;
    /** Commits through one cluster stop being visible through the other. */
    readonly endpointsDisagree?: boolean;
    /**
     * A maintenance window in both regions: open from before the fault to after the run
     * (true), or opened and closed by `./task maintenance` this many schedule periods after
     * the fault starts.
     */
    readonly maintenance?:
        true | { readonly opensAfterPeriods: number; readonly closesAfterPeriods: number };
    /** The data-plane faults end this many schedule periods after they start. */
    readonly recoversAfterPeriods?: number;
    /**
     * Seconds from each schedule tick to the monitor starting, sampled per invocation, in
     * place of the usual delivery time: EventBridge runs a scheduled rule "within that
     * minute" and "there can be a delay of several seconds" before the target runs
     * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html).
     */
    readonly lateDelivery?: { readonly min: number; readonly max: number };
    /** Quiet standby statuses (healthy for DR). */
    readonly statuses?: Partial<Record<ClusterRole, "IDLE" | "INACTIVE">>;
    /** The first connect of every round to this cluster fails transiently (a wake-up). */
    readonly wakeUp?: ClusterRole;
    /**
     * An application runs DDL on this cluster again and again: every session through it meets
     * 40001 (OC001) on its next statement, and each commit through it conflicts once (40001,
     * OC000), as Aurora DSQL answers (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
     */
    readonly ddl?: ClusterRole;
    /**
     * `pulumi up` at the fault's time. "fresh": the first deployment — every alarm is
     * created then, and the monitors start only once the database setup has run and the
     * schedules exist (DEPLOY_TO_FIRST_TICK_SECONDS later). "alarms-replaced": the alarms are
     * created anew while the monitors run on.
     */
    readonly deploy?: "fresh" | "alarms-replaced";
    /**
     * AWS Backup's scheduled jobs for a cluster from the fault on: they fail, or none runs
     * (the plan or the opt-in was removed).
     */
    readonly backupJobs?: { readonly cluster: ClusterRole; readonly mode: "fail" | "none" };
    /** AWS Health opens an event about Aurora DSQL in this Region (a role, the witness, or another). */
    readonly healthEvent?: ClusterRole | "witness" | "unrelated";
}

/**
 * Seconds from a first deployment creating the alarms to its monitors' first scheduled
 * tick: the peerings, the database setup (a Lambda invocation that connects as admin) and
 * the schedule rules come after the cells. A rate rule "starts when you create the
 * scheduled event rule" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html);
 * assumed here: its ticks follow each observer's phase, the first one at least this long
 * after the alarms exist.
 */
export const DEPLOY_TO_FIRST_TICK_SECONDS = 90;

export interface Scenario {
    readonly id: string;
    /** The row of the verdict table. */
    readonly row: string;
    readonly fault: FaultPlan;
    /** Every page it must cause; any other page is a failure. Empty: it must page nobody. */
    readonly pages: readonly Page[];
    /**
     * Every page it causes must be resolved by the end: its last notification is OK, as a
     * PagerDuty-style incident (opened by ALARM, resolved by OK) must close.
     */
    readonly resolves?: boolean;
}

const fromBoth = (kind: PageKind, cluster?: ClusterRole): Page[] => [
    { kind, cluster, from: "primary" },
    { kind, cluster, from: "secondary" },
];

export const SCENARIOS: readonly Scenario[] = [
    {
        id: "healthy-quiet",
        row: "all healthy; clusters IDLE/INACTIVE",
        fault: { statuses: { primary: "IDLE", secondary: "INACTIVE" }, wakeUp: "secondary" },
        pages: [],
    },
    {
        id: "control-plane-fails",
        row: "A's control plane fails (5xx, throttling, hangs), SQL fine",
        fault: { controlPlane: { cluster: "primary", modes: ["error", "throttle", "hang"] } },
        pages: [],
    },
    {
        id: "one-blip",
        row: "one failed or slow SQL connect, once",
        fault: {
            dataPlane: [
                { observer: "secondary", cluster: "primary", mode: "refuse", rounds: 1 },
                { observer: "primary", cluster: "primary", mode: "hang", rounds: 1 },
            ],
        },
        pages: [],
    },
    {
        id: "observer-blind-once",
        row: "observer A reaches neither cluster, once",
        fault: {
            dataPlane: [
                { observer: "primary", cluster: "primary", mode: "refuse", rounds: 1 },
                { observer: "primary", cluster: "secondary", mode: "refuse", rounds: 1 },
            ],
        },
        pages: [],
    },
    {
        id: "application-ddl",
        row: "an application runs DDL on cluster A all along (OC001, OC000 conflicts)",
        fault: { ddl: "primary" },
        pages: [],
    },
    {
        id: "cluster-refuses",
        row: "cluster A refuses SQL, persistently",
        fault: { dataPlane: [{ observer: "any", cluster: "primary", mode: "refuse" }] },
        pages: fromBoth("clusterDown", "primary"),
    },
    {
        id: "cluster-hangs",
        row: "cluster A hangs SQL, persistently",
        fault: { dataPlane: [{ observer: "any", cluster: "primary", mode: "hang" }] },
        pages: fromBoth("clusterDown", "primary"),
    },
    {
        id: "cluster-cannot-commit",
        row: "cluster A cannot commit, persistently",
        fault: { dataPlane: [{ observer: "any", cluster: "primary", mode: "read-only" }] },
        pages: fromBoth("clusterDown", "primary"),
    },
    {
        id: "late-delivery",
        row: "scheduled invocations delivered 1-8 s late, cluster A hangs SQL",
        fault: {
            dataPlane: [{ observer: "any", cluster: "primary", mode: "hang" }],
            lateDelivery: { min: 1, max: 8 },
        },
        pages: fromBoth("clusterDown", "primary"),
    },
    {
        id: "pair-down",
        row: "both clusters refuse SQL (the pair is out)",
        fault: {
            dataPlane: [
                { observer: "any", cluster: "primary", mode: "refuse" },
                { observer: "any", cluster: "secondary", mode: "refuse" },
            ],
        },
        // Neither observer can read any heartbeat: each pages about its own region's cluster.
        pages: [
            { kind: "clusterDown", cluster: "primary", from: "primary" },
            { kind: "clusterDown", cluster: "secondary", from: "secondary" },
        ],
    },
    {
        id: "region-dark",
        row: "region A dark (its observer silent, cluster A unreachable from B)",
        fault: { regionDark: "primary" },
        pages: [{ kind: "clusterDown", cluster: "primary", from: "secondary" }],
    },
    {
        id: "observer-dead",
        row: "observer A dead (throws, throttled, schedule stopped), clusters fine",
        fault: { silentObserver: "primary" },
        // Its own region's missing-data page, and the other region's heartbeat view.
        pages: [
            { kind: "monitor", from: "primary" },
            { kind: "peerMonitor", cluster: "primary", from: "secondary" },
        ],
    },
    {
        id: "path-broken",
        row: "only B's path to A broken, A fine and replicating",
        fault: { dataPlane: [{ observer: "secondary", cluster: "primary", mode: "hang" }] },
        pages: [],
    },
    {
        id: "consistency-check-failed",
        row: "the two endpoints disagree about committed rows (should never happen)",
        fault: { endpointsDisagree: true },
        pages: fromBoth("consistency"),
    },
    {
        id: "peering-changed",
        row: "peering or witness of A not as declared",
        fault: { controlPlane: { cluster: "primary", modes: ["witness"] } },
        pages: fromBoth("peering"),
    },
    {
        id: "maintenance-hides-recovery",
        row: "cluster A down and paged, a maintenance window opened, A recovers inside it",
        fault: {
            dataPlane: [{ observer: "any", cluster: "primary", mode: "refuse" }],
            maintenance: { opensAfterPeriods: 5, closesAfterPeriods: 10 },
            recoversAfterPeriods: 7,
        },
        pages: fromBoth("clusterDown", "primary"),
        resolves: true,
    },
    {
        id: "fresh-deploy",
        row: "fresh deploy, monitors healthy",
        fault: { deploy: "fresh" },
        pages: [],
    },
    {
        id: "alarms-replaced",
        row: "an alarm replaced, monitors healthy",
        fault: { deploy: "alarms-replaced" },
        pages: [],
    },
    {
        id: "maintenance",
        row: "maintenance window or drill suppression on, cluster A down",
        fault: {
            maintenance: true,
            dataPlane: [{ observer: "any", cluster: "primary", mode: "refuse" }],
        },
        pages: [],
    },
];

/**
 * The rows no monitor decides: AWS Backup's jobs and AWS Health's events, played against the
 * alarms and rules the stack declares (tools/simulation/feature-simulation.ts). The backup rows apply
 * where the stack backs up.
 */
export const FEATURE_SCENARIOS: readonly Scenario[] = [
    {
        id: "backups-on-schedule",
        row: "backups of both clusters complete on schedule",
        fault: {},
        pages: [],
    },
    {
        id: "backups-first-deploy",
        row: "fresh deploy with backups, before the first scheduled backup",
        fault: { deploy: "fresh" },
        pages: [],
    },
    {
        id: "backup-fails",
        row: "backup jobs of cluster A fail",
        fault: { backupJobs: { cluster: "primary", mode: "fail" } },
        pages: [{ kind: "backup", cluster: "primary", from: "primary" }],
    },
    {
        id: "backups-stop",
        row: "no backup of cluster A runs (plan or opt-in removed)",
        fault: { backupJobs: { cluster: "primary", mode: "none" } },
        pages: [{ kind: "backup", cluster: "primary", from: "primary" }],
    },
    {
        id: "health-event-witness",
        row: "AWS Health event about Aurora DSQL in the witness region",
        fault: { healthEvent: "witness" },
        pages: fromBoth("redundancy"),
    },
    {
        id: "health-event-cluster-region",
        row: "AWS Health event about Aurora DSQL in region A",
        fault: { healthEvent: "primary" },
        pages: fromBoth("redundancy"),
    },
    {
        id: "health-event-elsewhere",
        row: "AWS Health event about Aurora DSQL in a region outside the pair",
        fault: { healthEvent: "unrelated" },
        pages: [],
    },
];

/** Whether a feature row applies to a stack: backup rows only where it backs up. */
export const isBackupRow = (scenario: Scenario) =>
    scenario.id.startsWith("backup") || scenario.fault.backupJobs !== undefined;

/** A page's identity, for comparing expected and observed. */
export const pageKey = (p: Page) => `${p.kind}${p.cluster ? `:${p.cluster}` : ""} from ${p.from}`;

const other = (role: ClusterRole): ClusterRole => (role === "primary" ? "secondary" : "primary");

/** The same row with the two regions' roles swapped (a fault of B instead of A). */
export function mirrored(scenario: Scenario): Scenario {
    const f = scenario.fault;
    const swap = <T extends ClusterRole | "any" | undefined>(r: T): T =>
        (r === "primary" || r === "secondary" ? other(r) : r) as T;
    return {
        id: `${scenario.id}-mirrored`,
        row: `${scenario.row} (A and B swapped)`,
        fault: {
            ...f,
            dataPlane: f.dataPlane?.map((d) => ({
                ...d,
                observer: swap(d.observer),
                cluster: swap(d.cluster),
            })),
            controlPlane: f.controlPlane && {
                ...f.controlPlane,
                cluster: swap(f.controlPlane.cluster),
            },
            silentObserver: swap(f.silentObserver),
            regionDark: swap(f.regionDark),
            statuses: f.statuses && {
                primary: f.statuses.secondary,
                secondary: f.statuses.primary,
            },
            wakeUp: swap(f.wakeUp),
            ddl: swap(f.ddl),
        },
        pages: scenario.pages.map((p) => ({ ...p, cluster: swap(p.cluster), from: swap(p.from) })),
    };
}
