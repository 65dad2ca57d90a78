import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DSQLClient, GetClusterCommand } from "@aws-sdk/client-dsql";
import { mockClient } from "aws-sdk-client-mock";
import { ENV } from "../../monitor-function/src/contract";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";
import {
    activeCluster,
    captureOutput,
    logRecords,
    monitorEnv,
    PRIMARY,
    scriptedDataPlane,
    SECONDARY,
    testHandler,
} from "../support/monitor";

type Row = Record<string, unknown>;

/** The first Logs Insights query of the runbook's "First look" section. */
function runbookQuery(): string {
    const runbook = readFileSync(path.join(REPO_ROOT, "docs", "runbook.md"), "utf8");
    const section = runbook.slice(runbook.indexOf("## First look"));
    return /```\n([\s\S]*?)\n```/.exec(section)![1];
}

/** A value at a dotted path: Logs Insights' discovered fields (`rounds.0.at`) and jsonParse maps. */
const at = (row: Row, name: string): unknown =>
    name in row
        ? row[name]
        : name.split(".").reduce<unknown>((value, key) => (value as Row | undefined)?.[key], row);

/**
 * The part of CloudWatch Logs Insights' query language the runbook uses, run over log events:
 * filter (equality), fields (paths, `jsonParse(@message) as x`), unnest, display, sort, limit.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Unnest.html
 */
function runQuery(query: string, events: Row[]): string[][] {
    let rows: Row[] = events.map((e) => ({ ...JSON.parse(String(e["@message"])), ...e }));
    let shown: string[] = [];
    for (const command of query.split(/\n\s*\|/).map((c) => c.replace(/\s+/g, " ").trim())) {
        const [verb, ...rest] = command.split(" ");
        const args = rest.join(" ");
        if (verb === "filter") {
            const [, field, value] = /^(\S+) = "(.*)"$/.exec(args)!;
            rows = rows.filter((row) => at(row, field) === value);
        } else if (verb === "fields" || verb === "display") {
            const names = args.split(/, */).map((f) => {
                const parsed = /^jsonParse\((\S+)\) as (\S+)$/.exec(f);
                if (parsed) {
                    rows = rows.map((row) => ({
                        ...row,
                        [parsed[2]]: JSON.parse(String(row[parsed[1]])),
                    }));
                    return parsed[2];
                }
                return f;
            });
            shown = verb === "display" || shown.length === 0 ? names : [...shown, ...names];
        } else if (verb === "unnest") {
            const [, list, name] = /^(\S+) into (\S+)$/.exec(args)!;
            rows = rows.flatMap((row) => {
                const items = at(row, list);
                return (Array.isArray(items) ? items : [items]).map((item) => ({
                    ...row,
                    [name]: item,
                }));
            });
        } else if (verb !== "sort" && verb !== "limit") {
            throw new Error(`the runbook's query uses ${verb}, which this test does not model`);
        }
    }
    return rows.map((row) => shown.map((name) => String(at(row, name))));
}

describe("the runbook's summary-line query", () => {
    it("shows every round of a fast-profile invocation, for both clusters, not round 0 only", async () => {
        const dsql = mockClient(DSQLClient);
        dsql.on(GetClusterCommand, { identifier: PRIMARY.identifier }).resolves(
            activeCluster(PRIMARY, SECONDARY),
        );
        dsql.on(GetClusterCommand, { identifier: SECONDARY.identifier }).resolves(
            activeCluster(SECONDARY, PRIMARY),
        );
        const tick = "2026-11-29T12:00:00.000Z";
        const env = monitorEnv({ [ENV.probeRounds]: "3", [ENV.probeIntervalSeconds]: "12" });
        // The other observer has committed through both clusters. In the first invocation both
        // clusters serve; in the second the secondary refuses this observer: between them,
        // every field of the summary line has a value.
        const peer = (via: string) => ({
            observer: SECONDARY.region,
            via,
            tick: new Date(Date.parse(tick) - 120_000),
            committedAt: new Date(Date.parse(tick) - 118_000),
            beats: 7,
        });
        const invoke = (behaviour: Parameters<typeof scriptedDataPlane>[0]) =>
            captureOutput(() =>
                testHandler(
                    scriptedDataPlane(behaviour, [peer(PRIMARY.region), peer(SECONDARY.region)]),
                    env,
                    { now: () => Date.parse(tick) },
                )({ time: tick }),
            );
        const healthy = await invoke({});
        const { result, lines } = await invoke({
            [SECONDARY.identifier]: new Error("connect ECONNREFUSED"),
        });
        dsql.restore();
        const summary = logRecords(lines).filter((r) => r.message === "dr-probe-summary");
        assert.equal(summary.length, 1, "one summary line per invocation");
        assert.equal(result.rounds.length, 3);

        const both = [...logRecords(healthy.lines), ...summary].filter(
            (r) => r.message === "dr-probe-summary",
        );
        const events = both.map((record) => ({
            "@timestamp": tick,
            "@message": JSON.stringify(record),
        }));
        const rows = runQuery(runbookQuery(), events);
        for (const round of result.rounds) {
            for (const cluster of round.clusters) {
                assert.ok(
                    rows.some((row) => row.includes(round.at) && row.includes(cluster.role)),
                    `a row shows round ${round.at} of the ${cluster.role} cluster: ${JSON.stringify(rows)}`,
                );
            }
        }
        const columns = rows[0].map((_, i) => rows.map((row) => row[i]));
        assert.ok(
            columns.every((column) => column.some((value) => value !== "undefined")),
            `every column names a field the summary line has: ${JSON.stringify(rows)}`,
        );
    });
});
