/**
 * The resource monitor and engine gRPC services a preview's program talks to, served on
 * 127.0.0.1 only, each call handed to a {@link PreviewEngine}.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import { PreviewEngine, type Deployment } from "./real-host-engine";
import {
    Empty,
    EngineService,
    failure,
    grpc,
    ResourceMonitorService,
    type Handler,
} from "./real-host-sdk";

function monitorService(engine: PreviewEngine): Record<string, Handler> {
    return {
        getDeploymentInfo: (_call, callback) => callback(null, engine.deploymentInfo()),
        supportsFeature: ({ request }, callback) => callback(null, engine.supportsFeature(request)),
        registerResource: ({ request }, callback) =>
            callback(null, engine.registerResource(request)),
        registerResourceOutputs({ request }, callback) {
            engine.registerResourceOutputs(request);
            callback(null, new Empty());
        },
        readResource: ({ request }, callback) => callback(null, engine.readResource(request)),
        invoke({ request }, callback) {
            const response = engine.invoke(request);
            if (!response) {
                const token: string = request.getTok();
                callback(failure(grpc.status.UNIMPLEMENTED, `real-host: no fake for ${token}`));
                return;
            }
            callback(null, response);
        },
        call({ request }, callback) {
            callback(
                failure(grpc.status.UNIMPLEMENTED, `real-host: no fake for ${request.getTok()}`),
            );
        },
        registerPackage: ({ request }, callback) => callback(null, engine.registerPackage(request)),
        signalAndWaitForShutdown: (_call, callback) => callback(null, new Empty()),
    };
}

function engineService(engine: PreviewEngine): Record<string, Handler> {
    return {
        log({ request }, callback) {
            engine.log(request);
            callback(null, new Empty());
        },
        getRootResource: (_call, callback) => callback(null, engine.getRootResource()),
        setRootResource: ({ request }, callback) => callback(null, engine.setRootResource(request)),
    };
}

export interface ServedEngine {
    readonly engine: PreviewEngine;
    /** `127.0.0.1:<port>`, for both --monitor and --engine. */
    readonly address: string;
    readonly shutdown: () => void;
}

/** Serves a fresh engine for `deployment` on a free loopback port. */
export async function serveEngine(deployment: Deployment): Promise<ServedEngine> {
    const engine = new PreviewEngine(deployment);
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(
        ResourceMonitorService,
        monitorService(engine) as grpcTypes.UntypedServiceImplementation,
    );
    server.addService(
        EngineService,
        engineService(engine) as grpcTypes.UntypedServiceImplementation,
    );
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error ? reject(error) : resolve(bound),
        ),
    );
    return { engine, address: `127.0.0.1:${port}`, shutdown: () => server.forceShutdown() };
}
