import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { declareStack, type DeclaredStack } from "../../tools/pulumi-host/mock-program";
import { stackConfig } from "../../tools/pulumi-host/stack-config";
import { resourcesOf } from "../support/stack";

/**
 * A stack that probes only the control plane (dataPlaneProbe false): nothing can say
 * "cluster down", so a connection-failure drill could prove nothing and is not declared.
 */
describe("stack dev with dataPlaneProbe false", () => {
    let declared: DeclaredStack;
    before(async () => {
        declared = await declareStack("dev", stackConfig("dev", { dataPlaneProbe: "false" }));
    });

    it("declares no drill template, role or log group, and no drill output", () => {
        assert.deepEqual(
            resourcesOf(declared, "aws:fis/experimentTemplate:ExperimentTemplate"),
            [],
        );
        assert.equal(
            declared.resources.filter((r) => r.name.includes("-drill")).length,
            0,
            "no drill resource",
        );
        assert.equal(declared.outputs.drillTemplates, undefined);
    });

    it("still declares the monitors, their pages and no database setup", () => {
        const functions = resourcesOf(declared, "aws:lambda/function:Function");
        assert.deepEqual(functions.map((f) => f.inputs.handler).sort(), [
            "closeout.closeoutHandler",
            "closeout.closeoutHandler",
            "index.handler",
            "index.handler",
        ]);
        assert.ok(resourcesOf(declared, "aws:cloudwatch/compositeAlarm:CompositeAlarm").length > 0);
        assert.deepEqual(resourcesOf(declared, "aws:lambda/invocation:Invocation"), []);
    });
});
