import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configWarnings } from "../../infra/config";
import { accepted, json, problemLines, problemOf, rejection } from "../support/config-check";

const emails = (...addresses: string[]) => ({ alertEmail: json(addresses) });
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** Fails if a line of `message` holds a control character (its lines are separated by newlines). */
const assertEscaped = (message: string) =>
    message.split("\n").forEach((line) => assert.doesNotMatch(line, CONTROL));

describe("config: free-form text", () => {
    describe("alertEmail", () => {
        it("refuses a 10 kB local part, naming RFC 5321's 64", () => {
            const line = problemOf(
                rejection(emails(`${"a".repeat(10_000)}@example.com`)),
                "alertEmail",
            );
            assert.match(
                line,
                /is not an e-mail address: a local part \(before the @\) of at most 64 characters \(RFC 5321\); this one has 10000/,
            );
            assert.ok(line.length < 700, `${line.length} characters`);
        });

        it("takes a local part of 64 characters and an address of 254, and no more", () => {
            const label = "d".repeat(61);
            const address = `${"l".repeat(64)}@${label}.${label}.${label}.com`;
            assert.equal(address.length, 254);
            assert.deepEqual(accepted(emails(address)).alertEmails, [address]);
            assert.match(
                rejection(emails(`l${address}`)),
                /a local part \(before the @\) of at most 64 characters/,
            );
            assert.match(
                rejection(emails(address.replace("@d", "@dd"))),
                /at most 254 characters \(RFC 5321\); this one has 255/,
            );
        });

        for (const [what, address] of [
            ["BEL", "ops\u0007@example.com"],
            ["a newline", "ops@example.com\nbcc@example.org"],
            ["a right-to-left override", "ops\u202e@example.com"],
        ]) {
            it(`refuses ${what}, shown escaped`, () => {
                const message = rejection(emails(address));
                assert.match(
                    problemOf(message, "alertEmail"),
                    /: it holds control or invisible characters/,
                );
                assertEscaped(message);
                assert.ok(!message.includes("\u202e"));
            });
        }

        it("refuses mailto:, saying to drop it", () => {
            assert.match(
                problemOf(rejection(emails("mailto:ops@example.com")), "alertEmail"),
                /item 0 \("mailto:ops@example.com"\) is not an e-mail address: write the address without mailto:/,
            );
        });

        for (const address of ["🚨ops@example.com", "opś@example.com", "ops@exämple.com"]) {
            it(`refuses the non-ASCII ${address}, stating the rule`, () => {
                assert.match(
                    problemOf(rejection(emails(address)), "alertEmail"),
                    /: ASCII characters only/,
                );
            });
        }

        it("reports every bad address of a list", () => {
            const message = rejection(
                emails("ok@example.com", "mailto:a@example.com", "b@", "ok@example.com"),
            );
            assert.deepEqual(
                problemLines(message).map(
                    (l) => /: (item \d|"ok@example.com" is listed twice)/.exec(l)?.[1],
                ),
                ["item 1", "item 2", '"ok@example.com" is listed twice'],
            );
        });
    });

    describe("runbookUrl", () => {
        for (const [what, character] of [
            ["NUL", "\u0000"],
            ["ESC", "\u001b"],
            ["a newline", "\n"],
            ["a zero-width space", "\u200b"],
        ]) {
            it(`refuses ${what}, which would reach ten alarm descriptions`, () => {
                const message = rejection({
                    runbookUrl: `https://wiki.example.com/run${character}book`,
                });
                assert.match(
                    problemOf(message, "runbookUrl"),
                    /without spaces or control characters$/,
                );
                assertEscaped(message);
            });
        }

        it("requires an absolute https URL with deletionProtection on", () => {
            const message = rejection({
                deletionProtection: "true",
                runbookUrl: "docs/runbook.md",
            });
            assert.match(
                problemOf(message, "runbookUrl"),
                /= "docs\/runbook.md": an absolute https:\/\/ URL with deletionProtection on \(a production stack: its pages must carry a link anyone paged can open\)/,
            );
            const url = "https://wiki.example.com/dr/runbook";
            assert.equal(accepted({ deletionProtection: "true", runbookUrl: url }).runbookUrl, url);
        });

        it("accepts the repository path elsewhere, with a warning", () => {
            const config = accepted({ runbookUrl: "docs/runbook.md" });
            assert.deepEqual(
                configWarnings(config).filter((w) => w.startsWith("runbookUrl")),
                [
                    "runbookUrl is the repository path docs/runbook.md: pages carry a link no one can click; set an https URL (e.g. https://github.com/<org>/<repo>/blob/main/docs/runbook.md)",
                ],
            );
            assert.deepEqual(
                configWarnings(accepted({ runbookUrl: "https://wiki.example.com/r" })),
                [],
            );
        });
    });

    describe("numbers: decimal digits only, as Pulumi's integer type reads them", () => {
        for (const written of ["0x100", "1e3", "256.0", "0b100000000", "256MB", "Infinity"]) {
            it(`refuses ${written}`, () => {
                assert.match(
                    problemOf(rejection({ lambdaMemoryMb: written }), "lambdaMemoryMb"),
                    new RegExp(
                        `= "${written}": a whole number of MB from 128 to 10240, written in decimal digits$`,
                    ),
                );
            });
        }

        it("refuses 1e1 for a key its profile would otherwise fill", () => {
            assert.match(
                problemOf(rejection({ probeTimeoutSeconds: "1e1" }), "probeTimeoutSeconds"),
                /= "1e1": a whole number of seconds from 1 to 60, written in decimal digits/,
            );
        });

        it("accepts decimal digits, as Go's strconv.Atoi does (a sign, leading zeros)", () => {
            assert.equal(accepted({ lambdaMemoryMb: "0256" }).lambdaMemoryMb, 256);
            assert.equal(accepted({ lambdaMemoryMb: "+512" }).lambdaMemoryMb, 512);
        });
    });

    describe("alertEmail as a list", () => {
        it("accepts a list of addresses", () => {
            const config = accepted({
                alertEmail: JSON.stringify(["oncall@example.org", "dr-team@ops.example.co.uk"]),
            });
            assert.deepEqual(config.alertEmails, [
                "oncall@example.org",
                "dr-team@ops.example.co.uk",
            ]);
        });

        it("rejects a stack with no alert destination at all", () => {
            const message = rejection({}, ["alertEmail"]);
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /is not set: at least one alert destination is required: alertEmail, alertSlack, alertTeams or alertHttpsEndpoints/,
            );
        });

        it("accepts no e-mail when another destination pages", () => {
            const config = accepted({
                alertEmail: "[]",
                alertSlack: JSON.stringify([
                    { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" },
                ]),
            });
            assert.deepEqual(config.alertEmails, []);
            assert.equal(config.alertRouting.slack.length, 1);
        });

        it("rejects a plain string, which the CLI refuses for a list, with the --path hint", () => {
            const message = rejection({ alertEmail: "oncall@example.org" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /= "oncall@example.org": a list of e-mail addresses \(pulumi config set --path 'aurora-dsql-dr:alertEmail\[0\]' ops@example.com\); a plain string is not a list/,
            );
        });

        it("rejects an empty list when it is the only destination", () => {
            const message = rejection({ alertEmail: "[]" });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /at least one alert destination is required/,
            );
        });

        it("rejects a malformed address in a list, naming its index", () => {
            const message = rejection({
                alertEmail: JSON.stringify(["ops@example.com", "not-an-address"]),
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 1 \("not-an-address"\) is not an e-mail address; a list of e-mail addresses/,
            );
        });

        it("rejects a domain with an empty label (a@example..com)", () => {
            const message = rejection({ alertEmail: JSON.stringify(["a@example..com"]) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 0 \("a@example\.\.com"\) is not an e-mail address/,
            );
        });

        it("rejects two addresses in one item (a list separator)", () => {
            const message = rejection({
                alertEmail: JSON.stringify(["a@example.com,b@example.com"]),
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 0 \("a@example\.com,b@example\.com"\) is not an e-mail address/,
            );
        });

        it("rejects an item that is not a string", () => {
            const message = rejection({ alertEmail: JSON.stringify(["ops@example.com", 7]) });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: item 1 \(7\) is not an e-mail address/,
            );
        });

        it("rejects an address listed twice", () => {
            const message = rejection({
                alertEmail: JSON.stringify(["ops@example.com", "ops@example.com"]),
            });
            assert.match(
                problemOf(message, "aurora-dsql-dr:alertEmail"),
                /: "ops@example.com" is listed twice/,
            );
        });
    });
});
