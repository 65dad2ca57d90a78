import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_USER_TAGS } from "../../infra/config";
import { accepted, json, problemLines, problemOf, rejection } from "../support/config-check";

const tagsOf = (count: number) =>
    json(Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag-${i}`, "x"])));

describe("config: tags", () => {
    describe("the limit is per resource, after the program's own tags", () => {
        // FIS experiment templates carry Name and cluster besides the 3 standard tags: 47 user
        // tags made 52, over FIS's 50 (config-tags-stack.test.ts checks every resource).
        it("refuses one tag more than fits on every resource, saying why", () => {
            const message = rejection({ tags: tagsOf(MAX_USER_TAGS + 1) });
            assert.match(
                problemOf(message, "tags"),
                new RegExp(
                    `: ${MAX_USER_TAGS + 1} tags: at most ${MAX_USER_TAGS}, as AWS takes 50 per resource and the program sets up to 5 of its own on one \\(project, environment, managed-by everywhere; Name with role or cluster on the clusters and drill templates\\)$`,
                ),
            );
        });

        it("accepts as many as fit on every resource", () => {
            assert.equal(
                Object.keys(accepted({ tags: tagsOf(MAX_USER_TAGS) }).tags).length,
                MAX_USER_TAGS,
            );
        });

        it("advertises the same maximum it enforces", () => {
            assert.match(
                rejection({ tags: json(["team"]) }),
                new RegExp(`at most ${MAX_USER_TAGS} tags`),
            );
        });
    });

    describe("keys the program sets itself are refused, in any case", () => {
        for (const key of ["Name", "name", "role", "ROLE", "cluster", "Cluster"]) {
            it(`refuses ${key}, which the clusters or drill templates would overwrite`, () => {
                const message = rejection({ tags: json({ [key]: "mine" }) });
                assert.match(
                    problemOf(message, "tags"),
                    new RegExp(
                        `: tag key "${key}" is set by the program itself on some resources \\(Name, role, cluster: the clusters and drill templates\\), where it would replace yours; choose another key`,
                    ),
                );
            });
        }

        for (const key of ["project", "environment", "managed-by", "Managed-By"]) {
            it(`refuses the standard key ${key}`, () => {
                assert.match(
                    problemOf(rejection({ tags: json({ [key]: "mine" }) }), "tags"),
                    /is set by the program itself \(project, environment, managed-by\)/,
                );
            });
        }
    });

    it("refuses __proto__ as a tag key instead of dropping it", () => {
        const message = rejection({ tags: '{"__proto__": "x", "team": "dr"}' });
        assert.match(
            problemOf(message, "tags"),
            /: tag key "__proto__": a key JavaScript objects cannot hold as data \(it would be dropped\); choose another key/,
        );
    });

    it("reports every bad tag at once", () => {
        const message = rejection({
            tags: json({ "AWS:x": "a", Name: "b", team: "R&D", ok: "fine" }),
        });
        assert.equal(problemLines(message).filter((l) => l.includes(":tags ")).length, 3, message);
    });

    it("shows a long tag value cut to 200 characters, with its length", () => {
        const line = problemOf(rejection({ tags: json({ note: "v".repeat(10_000) }) }), "tags");
        const shown = /value ("v+…" \(10,000 characters\))/.exec(line);
        assert.ok(shown, line);
        assert.ok(shown[1].length <= 200, `${shown[1].length} characters`);
    });

    describe("keys and values as AWS takes them", () => {
        it("rejects tags that are not an object", () => {
            const message = rejection({ tags: JSON.stringify(["team"]) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                new RegExp(
                    `: an object of tag keys to string values, at most ${MAX_USER_TAGS} tags`,
                ),
            );
        });

        it("rejects a tag value that is not a string", () => {
            const message = rejection({ tags: JSON.stringify({ team: 7 }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag "team": value 7 must be a string of up to 256/,
            );
        });

        it("rejects a tag value with &, outside Aurora DSQL's pattern", () => {
            const message = rejection({ tags: JSON.stringify({ team: "R&D" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag "team": value "R&D" must be a string of up to 256 of A-Z a-z 0-9 space _ \. : \/ = \+ - @ \(Aurora DSQL's pattern\)/,
            );
        });

        it("rejects a non-ASCII tag key, outside Aurora DSQL's pattern", () => {
            const message = rejection({ tags: JSON.stringify({ Kostenträger: "4711" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "Kostenträger": 1-128 of A-Z a-z 0-9 space _ \. : \/ = \+ - @ \(Aurora DSQL's pattern\), not starting with aws:/,
            );
        });

        it("rejects a tag key longer than 128 characters", () => {
            const key = "k".repeat(129);
            const message = rejection({ tags: JSON.stringify({ [key]: "x" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                new RegExp(`: tag key "${key}": 1-128`),
            );
        });

        it("rejects a tag value longer than 256 characters", () => {
            const message = rejection({ tags: JSON.stringify({ note: "v".repeat(257) }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag "note": value "v{150,}…" \(257 characters\) must be a string of up to 256/,
            );
        });

        it("accepts a tag value of exactly 256 characters and the whole allowed alphabet", () => {
            const tags = { note: "v".repeat(256), "team/owner:x=y+z-w@q_.": "A b.c:d/e=f+g-h@i_0" };
            assert.deepEqual(accepted({ tags: JSON.stringify(tags) }).tags, tags);
        });

        it("rejects a tag key starting with aws:, in any case", () => {
            const message = rejection({ tags: JSON.stringify({ "AWS:owner": "ops" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "AWS:owner": .*not starting with aws:/,
            );
        });

        it("rejects a standard tag key (project), which the program sets itself", () => {
            const message = rejection({ tags: JSON.stringify({ project: "other" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "project" is set by the program itself \(project, environment, managed-by\)/,
            );
        });

        // IAM tag keys on roles are case-insensitive ("Duplicate tag keys found. Please note
        // that Tag keys are case insensitive."): Project next to the standard project tag
        // fails the monitor role's creation.
        it("rejects a standard tag key in another case (Project)", () => {
            const message = rejection({ tags: JSON.stringify({ Project: "other" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /: tag key "Project" is set by the program itself \(project, environment, managed-by\)/,
            );
        });

        it("rejects two tag keys that differ only in case, which IAM takes for one", () => {
            const message = rejection({ tags: JSON.stringify({ team: "a", Team: "b" }) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                /"Team".*"team"|"team".*"Team"/,
            );
        });

        // The limit is per resource: every resource carries the 3 standard tags, and the
        // clusters and drill templates 2 more of their own (config-tags-stack.test.ts).
        it("rejects one tag more than fits on every resource after the program's own", () => {
            const message = rejection({ tags: tagsOf(MAX_USER_TAGS + 1) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:tags"),
                new RegExp(
                    `: ${MAX_USER_TAGS + 1} tags: at most ${MAX_USER_TAGS}, as AWS takes 50 per resource and the program sets up to 5 of its own on one`,
                ),
            );
        });

        it("accepts as many tags as fit on every resource", () => {
            assert.equal(
                Object.keys(accepted({ tags: tagsOf(MAX_USER_TAGS) }).tags).length,
                MAX_USER_TAGS,
            );
        });
    });
});
