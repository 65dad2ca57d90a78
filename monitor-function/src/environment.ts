import { CLUSTER_ROLES, ENV, type ClusterRole } from "./contract";

/** One cluster as the monitor knows it. */
export interface ClusterTarget {
    readonly role: ClusterRole;
    readonly region: string;
    readonly identifier: string;
    readonly arn: string;
    readonly endpoint: string;
}

/** Everything the monitor needs, parsed from its environment. */
export interface MonitorSettings {
    readonly observerRegion: string;
    readonly witnessRegion: string;
    readonly clusters: readonly ClusterTarget[];
    readonly dataPlaneProbe: boolean;
    readonly databaseUser: string;
    readonly controlPlaneTimeoutMs: number;
    readonly dataPlaneTimeoutMs: number;
}

/** A defect of the deployment: the invocation fails, and the Lambda-errors alarm sees it. */
export class EnvironmentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EnvironmentError";
    }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN = /^arn:aws[a-z-]*:dsql:([a-z0-9-]+):\d{12}:cluster\/([a-z0-9]+)$/;

/** Parses the environment; throws an EnvironmentError naming the first bad variable. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): MonitorSettings {
    const required = (name: string, pattern?: RegExp, allowed?: string): string => {
        const value = env[name]?.trim();
        if (!value) throw new EnvironmentError(`Environment variable ${name} is missing`);
        if (pattern && !pattern.test(value)) {
            throw new EnvironmentError(
                `Environment variable ${name}=${JSON.stringify(value)} is invalid: expected ${allowed}`,
            );
        }
        return value;
    };
    const milliseconds = (name: string): number => {
        const value = Number(required(name, /^\d+$/, "a whole number of milliseconds"));
        if (value < 100 || value > 60_000) {
            throw new EnvironmentError(
                `Environment variable ${name}=${value} is invalid: expected 100 to 60000 ms`,
            );
        }
        return value;
    };

    const clusters = CLUSTER_ROLES.map((role): ClusterTarget => {
        const region = required(ENV.clusterRegion(role), REGION, "an AWS region such as us-east-1");
        const identifier = required(ENV.clusterId(role), /^[a-z0-9]+$/, "a cluster identifier");
        const arn = required(ENV.clusterArn(role), ARN, "an Aurora DSQL cluster ARN");
        const [, arnRegion, arnId] = ARN.exec(arn)!;
        if (arnRegion !== region || arnId !== identifier) {
            throw new EnvironmentError(
                `Environment variable ${ENV.clusterArn(role)}=${JSON.stringify(arn)} does not name cluster ${identifier} in ${region}`,
            );
        }
        const endpoint = required(ENV.clusterEndpoint(role), /^[a-z0-9.-]+$/, "a host name");
        return { role, region, identifier, arn, endpoint };
    });

    return {
        observerRegion: required(ENV.observerRegion, REGION, "an AWS region such as us-east-1"),
        witnessRegion: required(ENV.witnessRegion, REGION, "an AWS region such as us-west-2"),
        clusters,
        dataPlaneProbe: required(ENV.dataPlaneProbe, /^(true|false)$/, "true or false") === "true",
        databaseUser: required(ENV.databaseUser, /^[a-z_][a-z0-9_]*$/, "a PostgreSQL role name"),
        controlPlaneTimeoutMs: milliseconds(ENV.controlPlaneTimeoutMs),
        dataPlaneTimeoutMs: milliseconds(ENV.dataPlaneTimeoutMs),
    };
}
