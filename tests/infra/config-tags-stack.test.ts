import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { validateConfig } from "../../infra/config";
import { declareStack, type DeclaredStack } from "../../tools/pulumi-host/mock-program";
import { configWith, json } from "../support/config-check";

/** "Maximum number of tags per resource: 50" (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
const AWS_TAG_LIMIT = 50;

const tagsOf = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`team-tag-${i}`, `value-${i}`]));
const acceptsTags = (count: number) =>
    "config" in validateConfig("tagged", configWith({ tags: json(tagsOf(count)) }));

/** The most user tags validation accepts, found by asking it (not by reading a constant). */
function advertisedMaximum(): number {
    let count = 0;
    while (count < 100 && acceptsTags(count + 1)) count++;
    return count;
}

describe("user tags on the declared stack, at the most validation accepts", () => {
    const maximum = advertisedMaximum();
    const userTags = tagsOf(maximum);
    let declared: DeclaredStack;
    /** Each AWS resource's tags: its provider's default tags, then its own (which win). */
    let tagged: { name: string; own: Record<string, string>; all: Record<string, string> }[];

    before(async () => {
        declared = await declareStack("tagged", configWith({ tags: json(userTags) }));
        const defaults = new Map(
            declared.resources
                .filter((r) => r.type === "pulumi:providers:aws")
                .map((r) => [
                    r.name,
                    JSON.parse(r.inputs.defaultTags).tags as Record<string, string>,
                ]),
        );
        tagged = declared.resources
            .filter((r) => r.custom && r.type.startsWith("aws:"))
            .map((r) => {
                const own = (r.inputs.tags ?? {}) as Record<string, string>;
                const providerName = r.provider!.split("::")[3];
                return {
                    name: `${r.type} ${r.name}`,
                    own,
                    all: { ...defaults.get(providerName), ...own },
                };
            });
    });

    it("declares resources that carry the user's tags", () => {
        assert.ok(maximum > 0 && tagged.length > 40, `${maximum} tags, ${tagged.length} resources`);
        assert.ok(tagged.every((r) => Object.keys(userTags).every((k) => k in r.all)));
    });

    it("never puts more than AWS's 50 tags on any resource", () => {
        const over = tagged
            .map((r) => ({
                name: r.name,
                count: new Set(Object.keys(r.all).map((k) => k.toLowerCase())).size,
            }))
            .filter((r) => r.count > AWS_TAG_LIMIT);
        assert.deepEqual(over, [], `${maximum} user tags`);
    });

    it("never replaces a user tag with one of the program's own", () => {
        for (const r of tagged) {
            for (const [key, value] of Object.entries(userTags))
                assert.equal(r.all[key], value, r.name);
        }
    });

    it("accepts as many as fit: the busiest resource carries exactly 50", () => {
        const busiest = Math.max(...tagged.map((r) => Object.keys(r.all).length));
        assert.equal(busiest, AWS_TAG_LIMIT, `${maximum} user tags`);
    });

    it("refuses, as a user tag in any case, every key the program sets on a resource itself", () => {
        const own = [...new Set(tagged.flatMap((r) => Object.keys(r.own)))];
        assert.ok(own.length > 0);
        for (const key of own.flatMap((k) => [k, k.toLowerCase(), k.toUpperCase()])) {
            const result = validateConfig("tagged", configWith({ tags: json({ [key]: "mine" }) }));
            assert.ok("problems" in result, `a user tag ${key} would be replaced on some resource`);
        }
    });
});
