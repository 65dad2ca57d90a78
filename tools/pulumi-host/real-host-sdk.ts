/** The gRPC library and generated stubs the Pulumi SDK itself loads, and how a call fails. */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as resourceTypes from "@pulumi/pulumi/proto/resource_pb";

// The stubs and gRPC library the SDK itself loads, from where @pulumi/pulumi is installed.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
export const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
export const { Struct } = sdkRequire(
    "google-protobuf/google/protobuf/struct_pb",
) as typeof structTypes;
export const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb") as {
    Empty: new () => unknown;
};
export const enginePb = sdkRequire("./proto/engine_pb") as typeof engineTypes;
export const resourcePb = sdkRequire("./proto/resource_pb") as typeof resourceTypes;
export const { EngineService } = sdkRequire("./proto/engine_grpc_pb") as {
    EngineService: grpcTypes.ServiceDefinition;
};
export const { ResourceMonitorService } = sdkRequire("./proto/resource_grpc_pb") as {
    ResourceMonitorService: grpcTypes.ServiceDefinition;
};

/** A unary gRPC method as the server calls it. */
export type Handler = (call: { request: any }, callback: grpcTypes.sendUnaryData<any>) => void;

/** A gRPC error the SDK reports as the reason its call failed. */
export function failure(code: grpcTypes.status, details: string): grpcTypes.ServiceError {
    return Object.assign(new Error(details), {
        code,
        details,
        metadata: new grpc.Metadata(),
    });
}
