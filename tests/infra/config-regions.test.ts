import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configWarnings } from "../../infra/config";
import { accepted, json, problemLines, problemOf, rejection } from "../support/config-check";

/** A stack whose pair and witness are in its own region set `sets[name]`. */
function onOwnSet(sets: Record<string, string[]>, name: string): Record<string, string> {
    const [primaryRegion, secondaryRegion, witnessRegion] = sets[name];
    return { extraRegionSets: json(sets), primaryRegion, secondaryRegion, witnessRegion };
}

describe("config: extraRegionSets", () => {
    describe("only regions of AWS's commercial partition that exist", () => {
        for (const region of ["zz-moon-1", "us-gov-west-1", "us-isob-east-1", "cn-north-1"]) {
            it(`refuses ${region}`, () => {
                const message = rejection({
                    extraRegionSets: json({ Far: ["eu-north-1", "eu-south-2", region] }),
                });
                assert.match(
                    problemOf(message, "extraRegionSets"),
                    new RegExp(
                        `: set "Far": "${region}" is not a region of AWS's commercial partition`,
                    ),
                );
            });
        }

        it("names the partitions it does not support for a GovCloud region", () => {
            const message = rejection({
                extraRegionSets: json({ Gov: ["us-gov-west-1", "us-gov-east-1", "eu-north-1"] }),
            });
            assert.match(message, /GovCloud, isolated and sovereign partitions are not supported/);
        });

        it("lists the commercial regions for a region that does not exist", () => {
            const message = rejection({
                extraRegionSets: json({ Far: ["eu-north-1", "eu-south-2", "zz-moon-1"] }),
            });
            assert.match(
                problemOf(message, "extraRegionSets"),
                /\(one of af-south-1, .*eu-north-1, .*us-west-2\)/,
            );
        });

        it("accepts commercial regions, and warns that the set is unverified", () => {
            const sets = { Nordics: ["eu-north-1", "eu-south-2", "ap-south-1"] };
            const config = accepted(onOwnSet(sets, "Nordics"));
            assert.deepEqual(config.extraRegionSets, sets);
            assert.deepEqual(
                configWarnings(config).filter((w) => w.includes("extraRegionSets")),
                [
                    'region set "Nordics" (eu-north-1, eu-south-2, ap-south-1) comes from extraRegionSets and is unverified by this project: AWS has not confirmed it for multi-Region Aurora DSQL clusters here',
                ],
            );
        });
    });

    describe("set names are the object's own keys, never its prototype's", () => {
        for (const name of ["toString", "constructor", "hasOwnProperty"]) {
            it(`takes a set named ${name} as a set like any other`, () => {
                const sets = { [name]: ["eu-north-1", "eu-south-2", "ap-south-1"] };
                const config = accepted(onOwnSet(sets, name));
                assert.deepEqual(Object.keys(config.extraRegionSets), [name]);
                assert.equal(config.primaryRegion, "eu-north-1");
            });
        }

        it("refuses a set named __proto__, which an object cannot hold as data", () => {
            const message = rejection({
                extraRegionSets: '{"__proto__": ["eu-north-1", "eu-south-2", "ap-south-1"]}',
            });
            assert.match(
                problemOf(message, "extraRegionSets"),
                /: set "__proto__": a name JavaScript objects cannot hold as data; give it another name/,
            );
        });

        it('refuses a set named "" instead of listing it as allowed', () => {
            const message = rejection({
                extraRegionSets: json({ "": ["eu-north-1", "eu-south-2", "ap-south-1"] }),
                primaryRegion: "eu-north-1",
            });
            assert.match(
                problemOf(message, "extraRegionSets"),
                /: set "": a region-set name is 1-64 characters, not blank, without control characters/,
            );
            // The rejected set is not offered to the region that needed it.
            assert.doesNotMatch(problemOf(message, "primaryRegion"), /eu-north-1, eu-south-2/);
        });

        it("still refuses to redefine a built-in set", () => {
            const message = rejection({
                extraRegionSets: json({ US: ["us-east-1", "us-east-2", "us-west-1"] }),
            });
            assert.match(problemOf(message, "extraRegionSets"), /: "US" is a built-in region set/);
        });
    });

    describe("duplicates", () => {
        it("reports a region listed twice in one set as such, not as in two sets", () => {
            const message = rejection({
                extraRegionSets: json({ North: ["eu-north-1", "eu-north-1", "eu-south-2"] }),
            });
            const line = problemOf(message, "extraRegionSets");
            assert.match(line, /: set "North": eu-north-1 is listed twice$/);
            assert.doesNotMatch(message, /two region sets/);
        });

        it("reports a region in two of the stack's own sets, naming both", () => {
            const message = rejection({
                extraRegionSets: json({
                    North: ["eu-north-1", "eu-south-2", "ap-south-1"],
                    South: ["ap-south-1", "ap-south-2", "me-central-1"],
                }),
            });
            assert.match(message, /ap-south-1 is in two region sets \("North" and "South"\)/);
        });

        it("reports every problem of the sets at once", () => {
            const message = rejection({
                extraRegionSets: json({
                    North: ["eu-north-1", "eu-north-1", "zz-moon-1"],
                    Tiny: ["eu-south-2"],
                }),
            });
            const lines = problemLines(message).filter((l) => l.includes(":extraRegionSets "));
            assert.equal(lines.length, 3, message);
        });
    });

    describe("adding sets", () => {
        const stockholm = JSON.stringify({
            "Europe North": ["eu-north-1", "eu-south-2", "eu-west-3"],
        });

        it("lets a stack add a region set AWS opened since the table was checked", () => {
            const config = accepted({
                extraRegionSets: JSON.stringify({
                    Nordics: ["eu-north-1", "eu-south-2", "ap-south-1"],
                }),
                primaryRegion: "eu-north-1",
                secondaryRegion: "eu-south-2",
                witnessRegion: "ap-south-1",
            });
            assert.deepEqual(Object.keys(config.extraRegionSets), ["Nordics"]);
        });

        it("refuses a region that would sit in two sets", () => {
            assert.match(
                problemOf(
                    rejection({ extraRegionSets: stockholm }),
                    "aurora-dsql-dr:extraRegionSets",
                ),
                /eu-west-3 is in two region sets \("Europe" and "Europe North"\)/,
            );
        });

        it("refuses a set too small to hold a pair and its witness", () => {
            assert.match(
                problemOf(
                    rejection({
                        extraRegionSets: JSON.stringify({ Tiny: ["eu-north-1", "eu-south-2"] }),
                    }),
                    "aurora-dsql-dr:extraRegionSets",
                ),
                /set "Tiny": a list of at least three regions/,
            );
        });

        it("refuses to redefine a built-in set", () => {
            assert.match(
                problemOf(
                    rejection({
                        extraRegionSets: JSON.stringify({
                            US: ["us-east-1", "us-east-2", "us-west-1"],
                        }),
                    }),
                    "aurora-dsql-dr:extraRegionSets",
                ),
                /"US" is a built-in region set/,
            );
        });

        it("points at extraRegionSets when a region is not in any set", () => {
            assert.match(
                problemOf(
                    rejection({ primaryRegion: "eu-north-1" }),
                    "aurora-dsql-dr:primaryRegion",
                ),
                /not an Aurora DSQL multi-region region; .*\(extend with extraRegionSets\)/,
            );
        });
    });
});
