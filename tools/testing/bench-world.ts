/**
 * The local world a benchmarked monitor runs against: two clusters answered by a GetCluster
 * and SSM stub over HTTP (and one whose second cluster never answers), a port that accepts
 * and never speaks, a real PostgreSQL holding the heartbeat table, and the monitor's
 * environment pointing at them.
 */
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { Client } from "pg";
import { FAST_INTERVAL_SECONDS, FAST_ROUNDS } from "../../infra/detection";
import { ENV, NO_MAINTENANCE, clusterEndpoint } from "../../monitor-function/src/contract";
import { applySetup } from "../../monitor-function/src/setup";
import { startPostgres } from "./embedded-postgres";

const ACCOUNT = "111122223333";
const PASSWORD = "bench-password";
export const CLUSTERS = [
    { role: "primary", region: "us-east-1", identifier: "benchprimaryaaaaaaaaaaaaaa" },
    { role: "secondary", region: "us-east-2", identifier: "benchsecondarybbbbbbbbbbbb" },
] as const;
const arnOf = (c: (typeof CLUSTERS)[number]) =>
    `arn:aws:dsql:${c.region}:${ACCOUNT}:cluster/${c.identifier}`;

export type Profile = "standard" | "fast";

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
}

/**
 * GetCluster (REST) and SSM GetParameter (JSON) over HTTP: every cluster ACTIVE and peered,
 * the maintenance window closed; `hung` never answers.
 */
function awsStub(hung: Set<string>) {
    return createHttpServer((request, response) => {
        response.setHeader("content-type", "application/json");
        if (request.headers["x-amz-target"] === "AmazonSSM.GetParameter") {
            request.resume();
            response.end(JSON.stringify({ Parameter: { Value: JSON.stringify(NO_MAINTENANCE) } }));
            return;
        }
        const identifier = decodeURIComponent(request.url!.split("/").pop()!.split("?")[0]);
        if (hung.has(identifier)) return; // never answers
        const cluster = CLUSTERS.find((c) => c.identifier === identifier)!;
        response.end(
            JSON.stringify({
                identifier,
                arn: arnOf(cluster),
                status: "ACTIVE",
                creationTime: 0,
                deletionProtectionEnabled: false,
                multiRegionProperties: {
                    witnessRegion: "us-west-2",
                    clusters: CLUSTERS.map(arnOf),
                },
            }),
        );
    });
}

/** The monitor's environment for `profile`, its AWS calls and SQL bounded by `timeoutMs`. */
export function monitorEnvironment(
    profile: Profile,
    awsPort: number,
    sqlPorts: Record<string, number>,
    timeoutMs: number,
) {
    const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        AWS_ACCESS_KEY_ID: "AKIABENCHMARK",
        AWS_SECRET_ACCESS_KEY: "benchmark",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_DSQL: `http://127.0.0.1:${awsPort}`,
        AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${awsPort}`,
        [ENV.witnessRegion]: "us-west-2",
        [ENV.observerRegion]: "us-east-1",
        [ENV.dataPlaneProbe]: "true",
        [ENV.databaseUser]: "postgres",
        [ENV.controlPlaneTimeoutMs]: String(timeoutMs),
        [ENV.dataPlaneTimeoutMs]: String(timeoutMs),
        [ENV.heartbeatStaleSeconds]: "90",
        [ENV.probeRounds]: profile === "fast" ? String(FAST_ROUNDS) : "1",
        [ENV.probeIntervalSeconds]: profile === "fast" ? String(FAST_INTERVAL_SECONDS) : "0",
        [ENV.metricResolution]: profile === "fast" ? "1" : "60",
        [ENV.maintenanceParameter]: "/aurora-dsql-dr/bench/maintenance",
        BENCH_SQL_PORTS: JSON.stringify(sqlPorts),
        BENCH_SQL_PASSWORD: PASSWORD,
    };
    for (const c of CLUSTERS) {
        env[ENV.clusterId(c.role)] = c.identifier;
        env[ENV.clusterRegion(c.role)] = c.region;
        env[ENV.clusterArn(c.role)] = arnOf(c);
        env[ENV.clusterEndpoint(c.role)] = clusterEndpoint(c.identifier, c.region);
    }
    return env;
}

/** The running world's ports; close() stops every server and PostgreSQL. */
export interface BenchWorld {
    /** The AWS stub where every cluster answers. */
    readonly healthyPort: number;
    /** The AWS stub where the second cluster never answers. */
    readonly hungPort: number;
    /** Accepts connections and never answers. */
    readonly silentPort: number;
    /** PostgreSQL's port for each cluster identifier. */
    readonly sqlPorts: Record<string, number>;
    readonly close: () => Promise<void>;
}

/** Starts the world, the heartbeat table set up as the monitor's setup does it. */
export async function startBenchWorld(): Promise<BenchWorld> {
    const healthyStub = awsStub(new Set());
    const hungStub = awsStub(new Set([CLUSTERS[1].identifier]));
    const silent = createServer(() => undefined);
    const postgres = await startPostgres(PASSWORD);
    const close = async () => {
        healthyStub.close();
        hungStub.closeAllConnections();
        hungStub.close();
        silent.close();
        await postgres.close();
    };
    try {
        const admin = new Client({
            host: "127.0.0.1",
            port: postgres.port,
            user: "postgres",
            password: PASSWORD,
            database: "postgres",
        });
        await admin.connect();
        await applySetup(
            admin,
            { databaseUser: "admin", monitorRoleArns: [] },
            {
                list: async () => [],
                grant: async () => undefined,
            },
        );
        await admin.end();
        return {
            healthyPort: await listen(healthyStub),
            hungPort: await listen(hungStub),
            silentPort: await listen(silent),
            sqlPorts: Object.fromEntries(CLUSTERS.map((c) => [c.identifier, postgres.port])),
            close,
        };
    } catch (error) {
        await close();
        throw error;
    }
}
