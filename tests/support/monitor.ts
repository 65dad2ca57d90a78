import { Logger } from "@aws-lambda-powertools/logger";
import { DSQLClient, type ClusterStatus, type GetClusterCommandOutput } from "@aws-sdk/client-dsql";
import { createServer, type Server, type Socket } from "node:net";
import { ProbeTimeoutError } from "../../monitor-function/src/classify";
import { ENV, NO_MAINTENANCE, clusterEndpoint } from "../../monitor-function/src/contract";
import { dsqlControlPlane } from "../../monitor-function/src/control-plane";
import type { ClusterTarget } from "../../monitor-function/src/environment";
import { createHandler, type HandlerDependencies } from "../../monitor-function/src/handler";
import { monitorMetrics } from "../../monitor-function/src/metrics";
import type { MaintenanceSource } from "../../monitor-function/src/probe";
import type { DataPlane, HeartbeatRow } from "../../monitor-function/src/sql-probe";

export const ACCOUNT = "111122223333";

/** A cluster as the program would describe it to the monitor. */
export function target(
    role: "primary" | "secondary",
    region: string,
    identifier: string,
): ClusterTarget {
    return {
        role,
        region,
        identifier,
        arn: `arn:aws:dsql:${region}:${ACCOUNT}:cluster/${identifier}`,
        endpoint: clusterEndpoint(identifier, region),
    };
}

export const PRIMARY = target("primary", "us-east-1", "abcdefghijklmnopqrstuvwxy1");
export const SECONDARY = target("secondary", "us-east-2", "abcdefghijklmnopqrstuvwxy2");
export const WITNESS = "us-west-2";
/** The observer of these tests: the primary cluster's region. */
export const OBSERVER = "us-east-1";

/** The environment the program sets (standard profile), with short probe bounds for tests. */
export function monitorEnv(
    overrides: Record<string, string | undefined> = {},
    clusters: ClusterTarget[] = [PRIMARY, SECONDARY],
): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {
        [ENV.witnessRegion]: WITNESS,
        [ENV.observerRegion]: OBSERVER,
        [ENV.dataPlaneProbe]: "true",
        [ENV.databaseUser]: "dr_monitor",
        [ENV.controlPlaneTimeoutMs]: "400",
        [ENV.dataPlaneTimeoutMs]: "400",
        [ENV.heartbeatStaleSeconds]: "90",
        [ENV.probeRounds]: "1",
        [ENV.probeIntervalSeconds]: "0",
        [ENV.metricResolution]: "60",
        [ENV.maintenanceParameter]: "/aurora-dsql-dr/test/maintenance",
    };
    for (const c of clusters) {
        env[ENV.clusterId(c.role)] = c.identifier;
        env[ENV.clusterRegion(c.role)] = c.region;
        env[ENV.clusterArn(c.role)] = c.arn;
        env[ENV.clusterEndpoint(c.role)] = c.endpoint;
    }
    return { ...env, ...overrides };
}

/** A healthy GetCluster answer for `cluster`, peered with `peer` through the witness. */
export function activeCluster(
    cluster: ClusterTarget,
    peer: ClusterTarget,
    status: ClusterStatus = "ACTIVE",
): GetClusterCommandOutput {
    return {
        $metadata: {},
        identifier: cluster.identifier,
        arn: cluster.arn,
        status,
        creationTime: new Date(0),
        deletionProtectionEnabled: false,
        multiRegionProperties: { witnessRegion: WITNESS, clusters: [cluster.arn, peer.arn] },
    };
}

type Behaviour = "ok" | "hang" | Error;

/**
 * A data plane scripted per cluster identifier, over one in-memory heartbeat table (a
 * replicating pair): "ok" commits and reads, "hang" never answers, an Error is thrown.
 */
export function scriptedDataPlane(
    behaviour: Record<string, Behaviour> = {},
    rows: HeartbeatRow[] = [],
): DataPlane & { calls: string[]; rows: HeartbeatRow[] } {
    const calls: string[] = [];
    return {
        calls,
        rows,
        async heartbeat(cluster, beat) {
            calls.push(cluster.identifier);
            const b = behaviour[cluster.identifier] ?? "ok";
            if (b === "hang") return new Promise<never>(() => undefined);
            if (b instanceof Error) throw b;
            const previous = rows.findIndex(
                (r) => r.observer === beat.observer && r.via === cluster.region,
            );
            const row: HeartbeatRow = {
                observer: beat.observer,
                via: cluster.region,
                tick: beat.tick,
                committedAt: beat.committedAt(),
                beats: (previous >= 0 ? rows[previous].beats : 0) + 1,
            };
            if (previous >= 0) rows[previous] = row;
            else rows.push(row);
            return { rows: [...rows], attempts: 1 };
        },
        async close() {},
    };
}

/** A maintenance source with a fixed value (closed unless given). */
export const fixedMaintenance = (
    value: string = JSON.stringify(NO_MAINTENANCE),
): MaintenanceSource => ({
    read: async () => value,
});

/** A hung step, as the monitor sees it after its bound. */
export const timeoutError = (step = "heartbeat") => new ProbeTimeoutError(step, 400);

// Powertools writes through the global console in dev mode, which tests can capture
// without touching process.stdout (the test runner reports through it). Metrics stay on.
process.env.POWERTOOLS_DEV = "true";
process.env.POWERTOOLS_METRICS_DISABLED = "false";

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/** Runs `fn` while capturing every console record (EMF documents and JSON log lines). */
export async function captureOutput<T>(
    fn: () => Promise<T>,
    now: () => number = Date.now,
): Promise<{ result: T; lines: string[]; times: number[] }> {
    const lines: string[] = [];
    /** When each line was written, by `now` (a virtual clock in the scenario tests). */
    const times: number[] = [];
    const originals = CONSOLE_METHODS.map((m) => console[m]);
    for (const method of CONSOLE_METHODS) {
        console[method] = (...args: unknown[]) => {
            lines.push(args.map(String).join(" "));
            times.push(now());
        };
    }
    try {
        const result = await fn();
        return { result, lines, times };
    } finally {
        CONSOLE_METHODS.forEach((m, i) => (console[m] = originals[i]));
    }
}

export interface EmfDocument {
    _aws: {
        Timestamp: number;
        CloudWatchMetrics: {
            Namespace: string;
            Dimensions: string[][];
            Metrics: { Name: string; Unit: string; StorageResolution?: number }[];
        }[];
    };
    [key: string]: unknown;
}

export const emfDocuments = (lines: string[]): EmfDocument[] =>
    lines.map((l) => JSON.parse(l)).filter((d) => d._aws);

export const logRecords = (lines: string[]): Record<string, any>[] =>
    lines.map((l) => JSON.parse(l)).filter((d) => !d._aws);

/** Every datapoint in EMF documents: metric, exact dimension set, value, unit, timestamp. */
export function emfDatapoints(docs: EmfDocument[]): {
    metric: string;
    dimensions: Record<string, string>;
    value: number;
    unit: string;
    resolution: number;
    timestamp: number;
}[] {
    return docs.flatMap((doc) =>
        doc._aws.CloudWatchMetrics.flatMap((directive) =>
            directive.Metrics.map((metric) => ({
                metric: metric.Name,
                dimensions: Object.fromEntries(
                    directive.Dimensions[0].map((d) => [d, String(doc[d])]),
                ),
                value: doc[metric.Name] as number,
                unit: metric.Unit,
                resolution: metric.StorageResolution ?? 60,
                timestamp: doc._aws.Timestamp,
            })),
        ),
    );
}

/** A handler wired as in production, with the SDK client (mocked by the test), `dataPlane`, a clock. */
export function testHandler(
    dataPlane: DataPlane,
    env = monitorEnv(),
    options: { maintenance?: MaintenanceSource; now?: () => number } = {},
) {
    const deps: HandlerDependencies = {
        env,
        logger: new Logger({ serviceName: "aurora-dsql-dr-monitor" }),
        metrics: monitorMetrics(),
        controlPlane: dsqlControlPlane(
            (region) =>
                new DSQLClient({
                    region,
                    credentials: { accessKeyId: "test", secretAccessKey: "test" },
                }),
        ),
        dataPlane: () => dataPlane,
        maintenance: options.maintenance ?? fixedMaintenance(),
        now: options.now ?? Date.now,
        sleep: async () => undefined,
    };
    return createHandler(deps);
}

/** A TCP server on loopback that accepts connections and never says a word. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    return {
        port,
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}
