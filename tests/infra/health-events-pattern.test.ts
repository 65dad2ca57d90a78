import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    healthBackupRegion,
    healthEventPattern,
    healthWatchRegions,
    redundancyPageTransformer,
    WATCHED_SERVICES,
    type PairRegions,
} from "../../infra/health-event-pattern";
import { REGION_SETS } from "../../infra/regions";
import {
    ACCOUNT_EC2_DRIVE_DEGRADED_BACKUP,
    ACCOUNT_LAMBDA_PLANNED_LIFECYCLE,
    AWS_SAMPLES,
    PUBLIC_EC2_OPERATIONAL_ISSUE,
} from "../fixtures/health-events/aws-samples";
import { dsqlIssue, healthEvent } from "../fixtures/health-events/variants";
import { matchesPattern, type EventPattern } from "../../tools/simulation/event-pattern";
import { renderInput } from "../support/event-pattern-input";

/** The dev stack's Regions; prod swaps the secondary and the witness. */
const DEV: PairRegions = { primary: "us-east-1", secondary: "us-east-2", witness: "us-west-2" };
const PROD: PairRegions = { primary: "us-east-1", secondary: "us-west-2", witness: "us-east-2" };
const RUNBOOK = "https://github.com/example-org/aurora-dsql-dr/blob/main/docs/runbook.md";

const pages = (pair: PairRegions, event: unknown) =>
    matchesPattern(healthEventPattern(pair) as EventPattern, event);

describe("the EventBridge pattern matcher used by these tests", () => {
    const event = { source: "aws.health", detail: { code: "AWS_DSQL_X", tags: ["a", "b"] } };

    it("needs every field of the pattern, and one of the values listed for each", () => {
        assert.equal(matchesPattern({ source: ["aws.ec2", "aws.health"] }, event), true);
        assert.equal(matchesPattern({ source: ["aws.health"], nope: ["x"] }, event), false);
        assert.equal(matchesPattern({ detail: { code: ["AWS_DSQL_Y"] } }, event), false);
    });

    it("compares exactly and case-sensitively, and matches an array field by any element", () => {
        assert.equal(matchesPattern({ source: ["AWS.HEALTH"] }, event), false);
        assert.equal(matchesPattern({ detail: { tags: ["b"] } }, event), true);
        assert.equal(matchesPattern({ detail: { tags: ["c"] } }, event), false);
    });

    it("matches a prefix case-sensitively, and only on strings", () => {
        assert.equal(matchesPattern({ detail: { code: [{ prefix: "AWS_DSQL_" }] } }, event), true);
        assert.equal(matchesPattern({ detail: { code: [{ prefix: "aws_dsql_" }] } }, event), false);
        assert.equal(matchesPattern({ detail: [{ prefix: "a" }] }, event), false);
    });

    it("refuses an operator it does not implement instead of guessing", () => {
        const pattern = { source: [{ "anything-but": "aws.ec2" }] } as unknown as EventPattern;
        assert.throws(() => matchesPattern(pattern, event), /unsupported matcher/);
    });
});

describe("the redundancy-at-risk pattern against AWS's sample AWS Health events", () => {
    it("takes none of AWS's samples as they are: other services, or a scheduled change", () => {
        for (const [title, sample] of Object.entries(AWS_SAMPLES)) {
            assert.equal(pages(DEV, sample), false, title);
            assert.equal(pages(PROD, sample), false, title);
        }
    });

    it("leaves out AWS's Lambda sample only because it is a scheduled change, not an issue", () => {
        // AWS's sample is about us-west-2, dev's witness Region.
        const asIssue = {
            ...ACCOUNT_LAMBDA_PLANNED_LIFECYCLE,
            detail: { ...ACCOUNT_LAMBDA_PLANNED_LIFECYCLE.detail, eventTypeCategory: "issue" },
        };
        assert.equal(pages(DEV, asIssue), true);
        const asInvestigation = {
            ...asIssue,
            detail: { ...asIssue.detail, eventTypeCategory: "investigation" },
        };
        assert.equal(pages(DEV, asInvestigation), true);
    });

    it("pages on Aurora DSQL in the witness Region, delivered there or to its backup Region", () => {
        assert.equal(pages(DEV, dsqlIssue("us-west-2")), true);
        assert.equal(pages(DEV, dsqlIssue("us-west-2", { deliveredTo: "us-east-1" })), true);
        assert.equal(pages(PROD, dsqlIssue("us-east-2")), true);
        assert.equal(pages(PROD, dsqlIssue("us-east-2", { deliveredTo: "us-west-2" })), true);
    });

    it("pages on Aurora DSQL in either cluster Region, when it opens and when it closes", () => {
        for (const region of [DEV.primary, DEV.secondary]) {
            assert.equal(pages(DEV, dsqlIssue(region)), true, region);
            assert.equal(pages(DEV, dsqlIssue(region, { statusCode: "closed" })), true, region);
        }
    });

    it("ignores Aurora DSQL events about Regions outside the pair and its witness", () => {
        for (const region of ["eu-west-1", "us-west-1", "ap-northeast-1", "global"]) {
            assert.equal(pages(DEV, dsqlIssue(region)), false, region);
        }
        // Delivered into a watched Region as a backup copy, still about another Region.
        assert.equal(pages(DEV, dsqlIssue("eu-west-1", { deliveredTo: "us-west-2" })), false);
        // AWS's backup-copy sample: about us-east-1 (dev's primary), delivered to us-west-2.
        const dsqlBackupCopy = {
            ...ACCOUNT_EC2_DRIVE_DEGRADED_BACKUP,
            detail: {
                ...ACCOUNT_EC2_DRIVE_DEGRADED_BACKUP.detail,
                service: "DSQL",
                eventTypeCode: "AWS_DSQL_OPERATIONAL_ISSUE",
            },
        };
        assert.equal(pages(DEV, dsqlBackupCopy), true);
        const europe = { primary: "eu-west-1", secondary: "eu-west-2", witness: "eu-west-3" };
        assert.equal(pages(europe, dsqlBackupCopy), false);
    });

    it("pages on every watched service's operational issue, and not on an unwatched one", () => {
        for (const { service, prefixes } of WATCHED_SERVICES) {
            for (const prefix of prefixes) {
                const code = `${prefix}OPERATIONAL_ISSUE`;
                const event = healthEvent({
                    service,
                    eventTypeCode: code,
                    eventRegion: DEV.secondary,
                });
                assert.equal(pages(DEV, event), true, code);
            }
        }
        const ec2 = healthEvent({
            service: "EC2",
            eventTypeCode: PUBLIC_EC2_OPERATIONAL_ISSUE.detail.eventTypeCode,
            eventRegion: DEV.primary,
        });
        assert.equal(pages(DEV, ec2), false);
    });

    it("pages on neither scheduled changes nor account notifications, nor abuse events", () => {
        for (const category of ["scheduledChange", "accountNotification"] as const) {
            assert.equal(pages(DEV, dsqlIssue(DEV.witness, { category })), false, category);
        }
        const abuse = { ...dsqlIssue(DEV.witness), "detail-type": "AWS Health Abuse Event" };
        assert.equal(pages(DEV, abuse), false);
    });
});

describe("the redundancy-at-risk message", () => {
    const render = (event: unknown) =>
        renderInput(redundancyPageTransformer(DEV, RUNBOOK), event) as {
            version: string;
            source: string;
            content: { title: string; description: string; nextSteps: string[] };
        };

    it("names the event, the Region it is about and its status, and links its runbook section", () => {
        const opened = render(dsqlIssue(DEV.witness));
        assert.equal(
            opened.content.title,
            "PAGE (redundancy at risk): AWS Health AWS_DSQL_OPERATIONAL_ISSUE in us-west-2 is open",
        );
        assert.ok(opened.content.nextSteps.includes(`Runbook: ${RUNBOOK}#page-redundancy-at-risk`));
        const closed = render(dsqlIssue(DEV.primary, { statusCode: "closed" }));
        assert.match(closed.content.title, / in us-east-1 is closed$/);
    });

    it("carries AWS's own text, the IDs that tell duplicates apart, and the pair's Regions", () => {
        const event = dsqlIssue(DEV.witness, { deliveredTo: "us-east-1" });
        const { description } = render(event).content;
        assert.ok(description.includes(event.detail.eventDescription[0].latestDescription));
        assert.ok(description.includes(event.detail.eventArn));
        assert.ok(description.includes(event.detail.communicationId));
        assert.ok(description.includes("delivered to us-east-1"));
        assert.ok(
            description.includes("primary us-east-1, secondary us-east-2, witness us-west-2"),
        );
    });

    it("stays valid JSON for every AWS sample, whatever its text holds", () => {
        for (const [title, sample] of Object.entries(AWS_SAMPLES)) {
            const message = render(sample);
            assert.equal(message.source, "custom", title);
            assert.ok(message.content.title.includes(sample.detail.eventTypeCode), title);
        }
    });
});

describe("where the rules watch", () => {
    it("uses AWS Health's backup Regions: us-west-2, and us-east-1 for us-west-2", () => {
        assert.equal(healthBackupRegion("eu-west-1"), "us-west-2");
        assert.equal(healthBackupRegion("us-east-1"), "us-west-2");
        assert.equal(healthBackupRegion("us-west-2"), "us-east-1");
    });

    it("needs no Region beyond the pair's three in the US stacks, and adds us-west-2 elsewhere", () => {
        assert.deepEqual(healthWatchRegions(DEV), ["us-east-1", "us-east-2", "us-west-2"]);
        assert.deepEqual(healthWatchRegions(PROD), ["us-east-1", "us-west-2", "us-east-2"]);
        const europe = { primary: "eu-west-1", secondary: "eu-west-2", witness: "eu-central-1" };
        assert.deepEqual(healthWatchRegions(europe), [
            "eu-west-1",
            "eu-west-2",
            "eu-central-1",
            "us-west-2",
        ]);
    });

    it("gets every event about the pair's Regions to both cluster topics, in every region set", () => {
        let pairs = 0;
        for (const set of Object.values(REGION_SETS)) {
            for (const pair of triples(set)) {
                pairs++;
                const watched = healthWatchRegions(pair);
                const clusterRegions = [pair.primary, pair.secondary];
                for (const about of [pair.primary, pair.secondary, pair.witness]) {
                    // AWS Health delivers to the Region itself and to its backup Region.
                    const reached = [about, healthBackupRegion(about)]
                        .filter((to) => watched.includes(to))
                        .flatMap((to) => (clusterRegions.includes(to) ? [to] : clusterRegions));
                    assert.deepEqual(
                        [...new Set(reached)].sort(),
                        [...clusterRegions].sort(),
                        `${JSON.stringify(pair)}: event about ${about}`,
                    );
                }
            }
        }
        assert.ok(pairs >= 24, `only ${pairs} region combinations`);
    });
});

/** Every (primary, secondary, witness) of distinct Regions of one set. */
function triples(set: readonly string[]): PairRegions[] {
    return set.flatMap((primary) =>
        set.flatMap((secondary) =>
            set
                .filter((witness) => ![primary, secondary].includes(witness))
                .filter(() => secondary !== primary)
                .map((witness) => ({ primary, secondary, witness })),
        ),
    );
}
