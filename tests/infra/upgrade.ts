import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { PROJECT } from "../../infra/config";
import type {
    DeclaredResource,
    DeclaredStack,
    ResourceRef,
} from "../../tools/pulumi-host/mock-program";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";

/**
 * Every resource the first release declared (URN, and the inputs that name it in AWS),
 * taken from that release's program under the same mocks.
 */
interface FormerResource {
    readonly urn: string;
    readonly alarmName?: string;
    readonly dashboardName?: string;
    readonly name?: string;
    readonly queueUrl?: string;
    readonly role?: string;
}
const FIRST_RELEASE = JSON.parse(
    readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "first-release-resources.json"), "utf8"),
) as Record<string, FormerResource[]>;

const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;

/**
 * What names a resource in AWS, where creating a second one of that name upserts or takes
 * over the first (rules, queues, alarms, queue policies by queue, role policies by role).
 */
function physicalName(type: string, inputs: Omit<FormerResource, "urn">): string | undefined {
    const name = inputs.alarmName ?? inputs.dashboardName ?? inputs.queueUrl ?? inputs.name;
    if (name === undefined) return undefined;
    return `${type} ${inputs.role ? `${inputs.role}/` : ""}${name}`;
}

/** URNs of the current program: each resource's own, and the ones its aliases name. */
function identities(stack: string, resources: readonly DeclaredResource[]) {
    const byRef = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
    const chain = (ref: ResourceRef): string => {
        const parent = byRef.get(`${ref.type}::${ref.name}`)?.parent;
        return parent ? `${chain(parent)}$${ref.type}` : ref.type;
    };
    const urn = (type: string, name: string, parent: ResourceRef | null | undefined) =>
        `urn:pulumi:${stack}::${PROJECT}::${parent ? `${chain(parent)}$` : ""}${type}::${name}`;
    return {
        own: new Set(resources.map((r) => urn(r.type, r.name, r.parent))),
        aliases: resources.flatMap((r) =>
            r.aliases.map((a) => ({
                of: r.name,
                urn: urn(a.type, a.name, a.parent === undefined ? r.parent : a.parent),
            })),
        ),
    };
}

/** Upgrade properties of `stack`, declared under mocks once by the caller. */
export function upgradeProperties(stack: string, declared: () => DeclaredStack): void {
    describe(`upgrading stack ${stack} from the first release`, () => {
        const former = FIRST_RELEASE[stack];
        let resources: readonly DeclaredResource[];
        let ids: ReturnType<typeof identities>;
        before(() => {
            assert.ok(former, `tests/fixtures/first-release-resources.json has no stack ${stack}`);
            resources = declared().resources;
            ids = identities(stack, resources);
        });

        it("keeps the identity of every resource whose AWS name it declares again", () => {
            // Pulumi creates a renamed resource before it deletes the old one; for a name AWS
            // creates by upsert (PutRule, CreateQueue, PutMetricAlarm, SetQueueAttributes),
            // deleting the old one would then delete or empty the new one.
            const current = new Map<string, string>();
            for (const r of resources) {
                const name = physicalName(r.type, r.inputs);
                if (name) current.set(name, r.name);
            }
            const aliased = new Set(ids.aliases.map((a) => a.urn));
            const orphaned = former
                .filter((f) => !ids.own.has(f.urn) && !aliased.has(f.urn))
                .map((f) => ({ urn: f.urn, taken: physicalName(typeOf(f.urn), f) }))
                .filter((f) => f.taken !== undefined && current.has(f.taken))
                .map((f) => `${f.urn} (now ${current.get(f.taken!)})`);
            assert.deepEqual(orphaned, [], "declare aliases for these");
        });

        it("aliases only identities the first release had", () => {
            const formerUrns = new Set(former.map((f) => f.urn));
            assert.ok(ids.aliases.length > 0, "the schedule resources moved out of the cell");
            assert.deepEqual(
                ids.aliases.filter((a) => !formerUrns.has(a.urn)),
                [],
                "an alias that names nothing moves nothing",
            );
        });

        it("still declares the pair and its peering under their first-release URNs", () => {
            const stateful = former.filter((f) => /aws:dsql\//.test(f.urn));
            assert.ok(stateful.length >= 3, "two clusters and the peering");
            assert.deepEqual(
                stateful.filter((f) => !ids.own.has(f.urn)).map((f) => f.urn),
                [],
            );
        });
    });
}
