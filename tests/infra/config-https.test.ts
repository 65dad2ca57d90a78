import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accepted, json, problemOf, rejection } from "../support/config-check";

const KEY = "3f1c9a7be2d84c06a5b1e9d27c4f8a60";

/** The problem line of one endpoint; never shows the integration key. */
function refused(url: string): string {
    const message = rejection({ alertHttpsEndpoints: json([url]) });
    assert.ok(!message.includes(KEY), `the message shows the key:\n${message}`);
    return problemOf(message, "alertHttpsEndpoints[0]");
}

describe("config: alertHttpsEndpoints", () => {
    describe("parsed strictly: the text must be the URL SNS is sent", () => {
        for (const url of [
            `https:events.pagerduty.com/integration/${KEY}/enqueue`,
            `https:/events.pagerduty.com/integration/${KEY}/enqueue`,
            `https:///events.pagerduty.com/integration/${KEY}/enqueue`,
        ]) {
            it(`refuses ${url.slice(0, 30)}…, which only normalisation makes a URL`, () => {
                assert.match(
                    refused(url),
                    /= "https:\/\/events\.pagerduty\.com\/…\/enqueue": an absolute https URL without spaces, written out as https:\/\/<host>\/…: this one reads as https:\/\/events\.pagerduty\.com\/…\/enqueue only once normalised; write it so/,
                );
            });
        }

        for (const url of [
            `https:\\\\events.pagerduty.com\\integration\\${KEY}\\enqueue`,
            `https://events.pagerduty.com\\integration\\${KEY}\\enqueue`,
        ]) {
            it(`refuses backslashes (${url.slice(0, 28)}…)`, () => {
                assert.match(
                    refused(url),
                    /: an absolute https URL without spaces, control characters or backslashes$/,
                );
            });
        }

        it("refuses a control character inside the URL", () => {
            assert.match(
                refused(`https://events.pagerduty.com/integration/${KEY}\u001b/enqueue`),
                /without spaces, control characters/,
            );
        });

        it("sends SNS the normalised URL", () => {
            const written = `HTTPS://Events.PagerDuty.COM:443/integration/${KEY}/./enqueue`;
            const [endpoint] = accepted({ alertHttpsEndpoints: json([written]) }).alertRouting
                .httpsEndpoints;
            assert.equal(
                endpoint.reveal(),
                `https://events.pagerduty.com/integration/${KEY}/enqueue`,
            );
        });

        it("takes two spellings of one URL for the same endpoint", () => {
            const message = rejection({
                alertHttpsEndpoints: json([
                    `https://hooks.example.com/a/${KEY}`,
                    `https://HOOKS.example.com:443/a/${KEY}`,
                ]),
            });
            assert.match(
                problemOf(message, "alertHttpsEndpoints[1]"),
                /already listed as alertHttpsEndpoints\[0\]/,
            );
        });
    });

    describe("the normalised host must be public", () => {
        for (const host of [
            "[::ffff:127.0.0.1]",
            "[::ffff:10.0.0.1]",
            "[::ffff:7f00:1]",
            "[::127.0.0.1]",
            "[64:ff9b::a00:1]",
            "[2002:c0a8:0101::1]",
            "[fe80::1]",
            "[ff02::1]",
            "localhost.",
            "api.localhost.",
            "2130706433",
            "0x7f.1",
            "017700000001",
            "169.254.169.254",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "pagerduty",
            "alerts.test",
            "hooks.home.arpa",
        ]) {
            it(`refuses https://${host}/`, () => {
                assert.match(
                    refused(`https://${host}/sns/${KEY}`),
                    /: a public endpoint: SNS does not deliver to private HTTP\(S\) endpoints/,
                );
            });
        }

        for (const host of [
            "8.8.8.8",
            "[::ffff:8.8.8.8]",
            "[2600:1f18::1]",
            "events.eu.pagerduty.com",
        ]) {
            it(`accepts https://${host}/`, () => {
                const routing = accepted({
                    alertHttpsEndpoints: json([`https://${host}/sns/${KEY}`]),
                }).alertRouting;
                assert.equal(routing.httpsEndpoints.length, 1);
            });
        }
    });
});
