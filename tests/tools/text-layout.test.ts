import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { table, tableLayout, wrap } from "../../tools/operator/text-layout";

const words = (lines: string[]) => lines.join(" ").split(/\s+/).filter(Boolean);

describe("text layout", () => {
    it("wraps at spaces within the width, keeping every word in order and its indents", () => {
        const text =
            "Time to detect, simulated over schedule phases, fault times and alarm offsets";
        const lines = wrap(text, 30, "  ", "    ");
        assert.deepEqual(lines, [
            "  Time to detect, simulated",
            "    over schedule phases,",
            "    fault times and alarm",
            "    offsets",
        ]);
        assert.deepEqual(words(lines), words([text]));
    });

    it("keeps runs of spaces inside a line, and cuts a word longer than a line", () => {
        assert.deepEqual(wrap("aws:dsql/cluster:Cluster  dsql-primary", 100), [
            "aws:dsql/cluster:Cluster  dsql-primary",
        ]);
        const arn = "arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz";
        const lines = wrap(`on ${arn}`, 24, "", "  ");
        assert.ok(
            lines.every((line) => line.length <= 24),
            lines.join("\n"),
        );
        assert.equal(lines.join("").replace(/\s/g, ""), `on${arn}`);
    });

    it("shrinks a table's wrapping column to the width and aligns the others", () => {
        const rows = [
            ["observer A dead (throws, throttled, schedule stopped), clusters fine", "278 s", "ok"],
            ["cluster A refuses SQL", "53 s", "OVER GOAL"],
        ];
        const columns = [
            { header: "row", wraps: true },
            { header: "worst", align: "right" as const },
            { header: "result" },
        ];
        const lines = table(columns, rows, "  ", 40);
        assert.ok(
            lines.every((line) => line.length <= 40),
            lines.join("\n"),
        );
        assert.deepEqual(lines, [
            "  row                    worst result",
            "  observer A dead        278 s ok",
            "    (throws, throttled,",
            "    schedule stopped),",
            "    clusters fine",
            "  cluster A refuses SQL   53 s OVER GOAL",
        ]);
        assert.equal(tableLayout(columns, rows, "  ", 40).rows[0].length, 4, "a row's own lines");
    });

    it("leaves a table that fits as it is", () => {
        assert.deepEqual(
            table(
                [{ header: "item" }, { header: "USD", align: "right" }],
                [
                    ["KMS keys", "2.00"],
                    ["total", "10.54"],
                ],
            ),
            ["  item       USD", "  KMS keys  2.00", "  total    10.54"],
        );
    });
});
