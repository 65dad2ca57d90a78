import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    accepted,
    json,
    problemLines,
    problemOf,
    problems,
    rejection,
} from "../support/config-check";

const IDS = {
    primaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy1",
    secondaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy2",
};
const SLACK = json([{ workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" }]);
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

describe("config: keys that conflict or have no effect", () => {
    describe("monitor-only ignores what belongs to the stack that manages the pair", () => {
        const monitorOnly = { clusterManagement: "monitor-only", ...IDS };

        it("refuses deletionProtection", () => {
            const line = problemOf(
                rejection({ ...monitorOnly, deletionProtection: "true" }),
                "deletionProtection",
            );
            assert.match(
                line,
                /= "true": has no effect with clusterManagement "monitor-only": this stack never changes the pair \(set it on the stack that manages the pair\), so unset it/,
            );
        });

        it("refuses clusterPrefix", () => {
            const line = problemOf(
                rejection({ ...monitorOnly, clusterPrefix: "team-dr" }),
                "clusterPrefix",
            );
            assert.match(
                line,
                /= "team-dr": names only clusters this stack creates or adopts, and has no effect with clusterManagement "monitor-only"/,
            );
        });

        it("takes both at their defaults, and both with adopt", () => {
            assert.equal(accepted(monitorOnly).clusterManagement, "monitor-only");
            const adopt = accepted({
                clusterManagement: "adopt",
                ...IDS,
                deletionProtection: "true",
                clusterPrefix: "team-dr",
                runbookUrl: "https://wiki.example.com/r",
            });
            assert.equal(adopt.clusterPrefix, "team-dr");
        });
    });

    describe("Chatbot keys without a chat channel are refused alike", () => {
        const rule =
            /only used by Slack and Teams channels, and neither alertSlack nor alertTeams lists one; unset it or add a channel/;

        it("refuses chatbotGuardrailPolicies without a channel, as chatbotRegion is", () => {
            const guardrails = json(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            const message = rejection({
                chatbotGuardrailPolicies: guardrails,
                chatbotRegion: "us-west-2",
            });
            assert.match(problemOf(message, "chatbotGuardrailPolicies"), rule);
            assert.match(problemOf(message, "chatbotRegion"), rule);
        });

        it("takes both with a channel, and the default guardrail without one", () => {
            const guardrails = json(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            const config = accepted({
                alertSlack: SLACK,
                chatbotGuardrailPolicies: guardrails,
                chatbotRegion: "us-west-2",
            });
            assert.deepEqual(config.alertRouting.guardrailPolicyArns, [
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
            ]);
            accepted({});
        });
    });

    describe("an invalid clusterManagement reports only itself", () => {
        for (const value of [
            "Create",
            "import",
            "monitor_only",
            "",
            " ",
            "CREATE",
            "monitor only",
            "adopt,create",
            "null",
            "1",
            "créate",
            "create\u0000",
            "\u001b[31mcreate\u0007",
            "create\nadopt",
            "x".repeat(10_000),
        ]) {
            it(`${JSON.stringify(value).slice(0, 30)}: one problem, on clusterManagement, shown escaped and cut`, () => {
                const found = problems({ clusterManagement: value });
                assert.deepEqual(
                    found.map((p) => p.key),
                    ["clusterManagement"],
                );
                const message = rejection({ clusterManagement: value });
                const lines = problemLines(message);
                assert.equal(lines.length, 1, message);
                assert.doesNotMatch(lines[0], CONTROL);
                assert.match(
                    lines[0],
                    /: one of create, adopt, monitor-only: create the pair, adopt \(import\) an existing one, or only monitor it$/,
                );
                const shown = /= (".*") ?(\([\d,]+ characters\))?: one of/.exec(lines[0]);
                assert.ok(
                    shown && `${shown[1]} ${shown[2] ?? ""}`.trim().length <= 200,
                    lines[0].slice(0, 300),
                );
            });
        }

        it("with identifiers set, still reports only itself", () => {
            assert.deepEqual(
                problems({ clusterManagement: "import", ...IDS }).map((p) => p.key),
                ["clusterManagement"],
            );
        });
    });

    describe("rules stated in full", () => {
        for (const [value, what] of [
            ["d".repeat(64), "has 64 characters"],
            ["1monitor", "starts with a digit"],
            ["dr-monitor", "has characters other than a-z, 0-9 and _"],
            ["pg_monitor", "is reserved"],
        ]) {
            it(`databaseUser ${value.slice(0, 12)}: the rule, and what this one breaks`, () => {
                assert.match(
                    problemOf(rejection({ databaseUser: value }), "databaseUser"),
                    new RegExp(
                        `: a PostgreSQL role name .*: 1-63 lower-case letters, digits and underscores, not starting with a digit, not starting with pg_ and not "public" or "none" \\(PostgreSQL reserves those\\); this one ${what}$`,
                    ),
                );
            });
        }

        for (const [value, what] of [
            ["p".repeat(33), "has 33 characters"],
            ["dr-", "ends with a hyphen"],
            ["1dr", "does not start with a letter"],
            ["dr_dsql", "has characters other than a-z, 0-9 and -"],
        ]) {
            it(`clusterPrefix ${value.slice(0, 12)}: the rule, and what this one breaks`, () => {
                assert.match(
                    problemOf(rejection({ clusterPrefix: value }), "clusterPrefix"),
                    new RegExp(
                        `: 2 to 32 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen \\(the clusters' Name tags are <prefix>-primary and <prefix>-secondary\\); this one ${what}$`,
                    ),
                );
            });
        }

        it("channelId: 12345 says a number was given where a string is needed", () => {
            const message = rejection({
                alertSlack: json([{ workspaceId: "T07EA123LEP", channelId: 12345 }]),
            });
            assert.match(
                problemOf(message, "alertSlack[0].channelId"),
                /= "12345": a string, but this is a number \(12345\): quote it in the stack file, or Pulumi reads it as a number/,
            );
        });
    });

    describe("an existing pair, by clusterManagement", () => {
        const ids = {
            primaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy1",
            secondaryClusterIdentifier: "abcdefghijklmnopqrstuvwxy2",
        };

        it("creates the pair by default and refuses identifiers it would not use", () => {
            assert.equal(accepted({}).clusterManagement, "create");
            assert.match(
                problemOf(rejection(ids), "aurora-dsql-dr:primaryClusterIdentifier"),
                /only with clusterManagement "adopt" or "monitor-only"/,
            );
        });

        it("accepts monitor-only and adopt with both identifiers", () => {
            for (const mode of ["monitor-only", "adopt"]) {
                const config = accepted({ clusterManagement: mode, ...ids });
                assert.deepEqual(config.existingClusters, {
                    primary: ids.primaryClusterIdentifier,
                    secondary: ids.secondaryClusterIdentifier,
                });
            }
        });

        it("requires both identifiers, each as the service generates them", () => {
            const message = rejection({
                clusterManagement: "monitor-only",
                primaryClusterIdentifier: "my-cluster",
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:primaryClusterIdentifier"),
                /= "my-cluster": the existing cluster's identifier \(26 lower-case letters and digits/,
            );
            assert.match(
                problemOf(message, "aurora-dsql-dr:secondaryClusterIdentifier"),
                /required with clusterManagement "monitor-only"/,
            );
        });

        it("refuses the same identifier twice", () => {
            const message = rejection({
                clusterManagement: "adopt",
                primaryClusterIdentifier: ids.primaryClusterIdentifier,
                secondaryClusterIdentifier: ids.primaryClusterIdentifier,
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:secondaryClusterIdentifier"),
                /must differ from primaryClusterIdentifier/,
            );
        });

        it("refuses an unknown kind of cluster management", () => {
            assert.match(
                problemOf(
                    rejection({ clusterManagement: "import" }),
                    "aurora-dsql-dr:clusterManagement",
                ),
                /one of create, adopt, monitor-only/,
            );
        });
    });
});
