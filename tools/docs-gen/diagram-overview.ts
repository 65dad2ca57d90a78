// The overview diagram: the peered pair, its witness, and each monitoring cell paging on-call.
import type { Cell } from "./diagram-cell";
import { Flowchart, id } from "./diagram-flowchart";
import { protection, recipients, topicLabel, which } from "./diagram-labels";
import type { Cluster, Pair } from "./diagram-pair";

/** The pair, its witness, and each cell as one node that probes the pair and pages on-call. */
export function overview(pair: Pair, cells: readonly Cell[]): string {
    const chart = new Flowchart();
    const clusterNode = (c: Cluster) => id("cluster", c.role);
    const cellNode = (cell: Cell) => id("cell", cell.role);
    const topicNode = (cell: Cell) => id("topic", cell.role);
    // One on-call node when every topic reaches the same recipients.
    const audiences = cells.map((cell) => recipients(cell.subscriptions).join(", "));
    const shared = new Set(audiences).size === 1;
    const onCallNode = (i: number) => (shared ? "oncall" : id("oncall", cells[i].role));

    for (const cell of cells) {
        chart.node(cellNode(cell), "box", "monitoring cell", `${cell.region} (${cell.role})`);
    }
    chart.row("pair", "Aurora DSQL peered pair", () => {
        for (const c of pair.clusters) {
            chart.node(clusterNode(c), "cylinder", `${c.role} cluster`, c.region, protection(c));
        }
        for (const link of pair.links) {
            chart.edge(
                clusterNode(link.from),
                link.mutual ? "both" : "flow",
                clusterNode(link.to),
                "peering",
            );
        }
    });
    // Below the pair, the topics flank the witness: the primary's on the left.
    const middle = Math.ceil(cells.length / 2);
    const topicSlot = (cell: Cell) => ({
        node: topicNode(cell),
        witness: false,
        draw: () => chart.node(topicNode(cell), "flag", ...topicLabel(cell.topics)),
    });
    const withTopic = cells.filter((cell) => cell.topics.length > 0);
    const below = [
        ...withTopic.filter((cell) => cells.indexOf(cell) < middle).map(topicSlot),
        ...pair.witnessRegions.map((region) => ({
            node: id("witness", region),
            witness: true,
            draw: () => chart.node(id("witness", region), "circle", "witness region", region),
        })),
        ...withTopic.filter((cell) => cells.indexOf(cell) >= middle).map(topicSlot),
    ];
    for (const slot of below) slot.draw();
    cells.forEach((cell, i) => {
        if (shared && i > 0) return;
        chart.node(onCallNode(i), "circle", "on-call", ...recipients(cell.subscriptions));
    });

    for (const cell of cells) {
        if (cell.probed.length === pair.clusters.length) {
            chart.edge(
                cellNode(cell),
                "flow",
                "pair",
                `probes ${which(cell.probed, pair.clusters)}`,
            );
        } else {
            for (const c of cell.probed)
                chart.edge(cellNode(cell), "flow", clusterNode(c), "probes");
        }
    }
    // Keeps each topic below the pair, in its cell's column; the witness hangs off the pair.
    for (const slot of below) chart.edge("pair", slot.witness ? "link" : "invisible", slot.node);
    cells.forEach((cell, i) => {
        if (cell.topics.length === 0) return;
        chart.edge(cellNode(cell), "flow", topicNode(cell), "pages");
        chart.edge(topicNode(cell), "flow", onCallNode(i));
    });
    return chart.toString();
}
