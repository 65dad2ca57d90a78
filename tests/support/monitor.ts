import { Logger } from "@aws-lambda-powertools/logger";
import { createServer, type Server, type Socket } from "node:net";
import { ENV, clusterEndpoint } from "../../monitor-function/src/contract";
import type { ClusterTarget } from "../../monitor-function/src/environment";
import { createHandler, type HandlerDependencies } from "../../monitor-function/src/handler";
import { monitorMetrics } from "../../monitor-function/src/metrics";
import type { SqlProber } from "../../monitor-function/src/sql-probe";
import { dsqlControlPlane } from "../../monitor-function/src/control-plane";
import { DSQLClient, type ClusterStatus, type GetClusterCommandOutput } from "@aws-sdk/client-dsql";

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
export const OBSERVER = "us-east-1";

/** The environment the program sets, with short probe bounds for tests. */
export function monitorEnv(
    overrides: Record<string, string | undefined> = {},
    clusters: ClusterTarget[] = [PRIMARY, SECONDARY],
): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {
        [ENV.witnessRegion]: WITNESS,
        [ENV.observerRegion]: OBSERVER,
        [ENV.dataPlaneProbe]: "true",
        [ENV.databaseUser]: "admin",
        [ENV.controlPlaneTimeoutMs]: "400",
        [ENV.dataPlaneTimeoutMs]: "400",
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

type SqlBehaviour = "ok" | "hang" | Error;

/** A SQL prober scripted per cluster identifier. */
export function scriptedSql(
    behaviour: Record<string, SqlBehaviour>,
): SqlProber & { calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        async probe(cluster) {
            calls.push(cluster.identifier);
            const b = behaviour[cluster.identifier] ?? "ok";
            if (b === "hang") return new Promise<void>(() => undefined);
            if (b instanceof Error) throw b;
        },
    };
}

// Powertools writes through the global console in dev mode, which tests can capture
// without touching process.stdout (the test runner reports through it). Metrics stay on.
process.env.POWERTOOLS_DEV = "true";
process.env.POWERTOOLS_METRICS_DISABLED = "false";

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/** Runs `fn` while capturing every console record (EMF documents and JSON log lines). */
export async function captureOutput<T>(
    fn: () => Promise<T>,
): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    const originals = CONSOLE_METHODS.map((m) => console[m]);
    for (const method of CONSOLE_METHODS) {
        console[method] = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    }
    try {
        const result = await fn();
        return { result, lines };
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
            Metrics: { Name: string; Unit: string }[];
        }[];
    };
    [key: string]: unknown;
}

export const emfDocuments = (lines: string[]): EmfDocument[] =>
    lines.map((l) => JSON.parse(l)).filter((d) => d._aws);

export const logRecords = (lines: string[]): Record<string, any>[] =>
    lines.map((l) => JSON.parse(l)).filter((d) => !d._aws);

/** One metric value per (metric, cluster) from captured EMF documents. */
export function emitted(
    docs: EmfDocument[],
): Map<string, { value: number; unit: string; dimensions: Record<string, string> }> {
    const out = new Map();
    for (const doc of docs) {
        for (const directive of doc._aws.CloudWatchMetrics) {
            for (const metric of directive.Metrics) {
                const dimensions = Object.fromEntries(
                    directive.Dimensions[0].map((d) => [d, doc[d] as string]),
                );
                out.set(`${metric.Name} ${dimensions.ClusterId}`, {
                    value: doc[metric.Name] as number,
                    unit: metric.Unit,
                    dimensions,
                });
            }
        }
    }
    return out;
}

/** A handler wired as in production, with the SDK client (mocked by the test) and `sql`. */
export function testHandler(sql: SqlProber, env = monitorEnv()) {
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
        sql,
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
