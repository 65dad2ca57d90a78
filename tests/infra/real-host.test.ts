import assert from "node:assert/strict";
import { healthWatchRegions } from "../../infra/health-event-pattern";
import { after, before, describe, it } from "node:test";
import type { RawConfig } from "../../infra/config";
import {
    plainText,
    runProgram,
    type HostRun,
    type RegisteredResource,
} from "../../tools/pulumi-host/real-host";
import { PROJECT, stackConfig } from "../../tools/pulumi-host/stack-config";

/** Stack config as the CLI hands it to the language host: keys qualified by the project. */
const qualified = (raw: RawConfig): Record<string, string> =>
    Object.fromEntries(Object.entries(raw).map(([key, value]) => [`${PROJECT}:${key}`, value]));

/** What `pulumi preview` shows of a failed run: the errors logged to the engine, and stderr. */
const printed = (run: HostRun): string =>
    plainText(
        [...run.logs.filter((l) => l.severity === "error").map((l) => l.message), run.stderr].join(
            "\n",
        ),
    );

// Each run is a node process compiling infra/ with ts-node (the good run type-checks, ~10 s);
// both start at once.
describe("the program under @pulumi/pulumi's own language host, as `pulumi preview` runs it", () => {
    const stop = new AbortController();
    const devConfig = stackConfig("dev");
    let good: Promise<HostRun>;
    let bad: Promise<HostRun>;

    before(() => {
        const options = { stack: "dev", timeoutMs: 90_000, signal: stop.signal };
        good = runProgram({ ...options, config: qualified(devConfig) });
        bad = runProgram({
            ...options,
            config: qualified(stackConfig("dev", { witnessRegion: "us-west-1" })),
            // The good run type-checks the program; this one is about how a bad config
            // prints, so ts-node only transpiles (Pulumi's own PULUMI_NODEJS_TRANSPILE_ONLY).
            env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        });
    });
    after(async () => {
        stop.abort();
        await Promise.allSettled([good, bad]);
    });

    describe("with the dev stack's config", () => {
        let run: HostRun;
        const regionOf = new Map<string, string>();
        const ofType = (type: string) => run.resources.filter((r) => r.type === type);
        const providerUrn = (r: RegisteredResource) =>
            r.provider.slice(0, r.provider.lastIndexOf("::"));
        const region = (r: RegisteredResource) => regionOf.get(providerUrn(r));

        before(async () => {
            run = await good;
            for (const p of ofType("pulumi:providers:aws")) regionOf.set(p.urn, p.inputs.region);
        });

        it("runs to completion without an error", () => {
            assert.deepEqual(
                run.logs.filter((l) => l.severity === "error"),
                [],
                run.stderr,
            );
            assert.equal(run.exitCode, 0, run.stderr);
        });

        it("declares one AWS provider per Region it uses (the pair's, and where AWS Health delivers), and every AWS resource uses one", () => {
            const pair = {
                primary: devConfig.primaryRegion!,
                secondary: devConfig.secondaryRegion!,
                witness: devConfig.witnessRegion!,
            };
            assert.deepEqual([...regionOf.values()].sort(), healthWatchRegions(pair).sort());
            assert.equal(new Set(regionOf.values()).size, regionOf.size, "one provider per Region");
            const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            assert.ok(aws.length > 0);
            // No default provider: the ambient AWS_REGION of whoever previews cannot matter.
            assert.deepEqual(
                aws.filter((r) => region(r) === undefined).map((r) => r.urn),
                [],
            );
        });

        it("declares one cluster per region and two peerings, all with the witness", () => {
            const clusters = ofType("aws:dsql/cluster:Cluster");
            assert.deepEqual(
                clusters.map(region).sort(),
                [devConfig.primaryRegion, devConfig.secondaryRegion].sort(),
            );
            for (const cluster of clusters) {
                assert.equal(
                    cluster.inputs.multiRegionProperties?.witnessRegion,
                    devConfig.witnessRegion,
                );
            }
            const peerings = ofType("aws:dsql/clusterPeering:ClusterPeering");
            assert.equal(peerings.length, 2);
            for (const peering of peerings) {
                assert.equal(peering.inputs.witnessRegion, devConfig.witnessRegion);
            }
        });

        it("gives each region a monitor function and an alert topic the alert e-mails subscribe to", () => {
            const emails = JSON.parse(devConfig.alertEmail!) as string[];
            for (const where of [devConfig.primaryRegion, devConfig.secondaryRegion]) {
                const inRegion = (type: string) => ofType(type).filter((r) => region(r) === where);
                assert.ok(inRegion("aws:lambda/function:Function").length >= 1, where);
                assert.equal(inRegion("aws:sns/topic:Topic").length, 1, where);
                const subscribed = inRegion("aws:sns/topicSubscription:TopicSubscription")
                    .filter((s) => s.inputs.protocol === "email")
                    .map((s) => s.inputs.endpoint);
                assert.deepEqual(subscribed.sort(), [...emails].sort(), where);
            }
        });

        it("reads the account through the regional providers, and exports the witness region", () => {
            const identity = run.invokes.filter(
                (i) => i.token === "aws:index/getCallerIdentity:getCallerIdentity",
            );
            assert.ok(identity.length > 0);
            for (const call of identity) assert.notEqual(call.provider, "");
            const stack = ofType("pulumi:pulumi:Stack");
            assert.equal(stack.length, 1);
            assert.equal(run.outputs[stack[0].urn]?.witnessRegion, devConfig.witnessRegion);
        });
    });

    describe("with a witness region outside the peers' region set", () => {
        let run: HostRun;
        before(async () => {
            run = await bad;
        });

        it("fails before declaring anything, having told the user why", () => {
            // 32: the program logged an actionable error; the CLI adds nothing to it.
            assert.equal(run.exitCode, 32, run.stderr);
            assert.deepEqual(
                run.resources.map((r) => r.type),
                ["pulumi:pulumi:Stack"],
            );
        });

        // Today the user sees an object dump, `[dev] { problems: [ ... ], name: 'ConfigError' }`:
        // ConfigError's `stack` field shadows Error#stack, which the host prints with util.inspect.
        it("prints the validation message, not an object dump", () => {
            const text = printed(run);
            assert.match(text, /Invalid configuration for stack "dev"/);
            assert.match(text, /aurora-dsql-dr:witnessRegion = "us-west-1"/);
            assert.doesNotMatch(text, /problems:/);
        });
    });
});
