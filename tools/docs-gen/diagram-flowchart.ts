// Mermaid flowchart text: node shapes, edge kinds, safe ids and labels, boxes laid out in a row.

const SHAPES = {
    box: ["[", "]"],
    rounded: ["(", ")"],
    stadium: ["([", "])"],
    cylinder: ["[(", ")]"],
    parallelogram: ["[/", "/]"],
    subroutine: ["[[", "]]"],
    flag: [">", "]"],
    circle: ["((", "))"],
} as const;

const EDGES = {
    flow: "-->",
    dotted: "-.->",
    link: "-.-",
    both: "<-->",
    suppresses: "--x",
    invisible: "~~~",
} as const;

/** A Mermaid-safe node id. */
export const id = (...parts: string[]) => parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
const quoted = (lines: readonly string[]) => `"${lines.join("<br/>").replace(/"/g, "'")}"`;

export class Flowchart {
    private readonly lines: string[] = ["flowchart TB"];
    private indent = "    ";

    node(name: string, shape: keyof typeof SHAPES, ...label: string[]): this {
        const [open, close] = SHAPES[shape];
        this.lines.push(`${this.indent}${name}${open}${quoted(label)}${close}`);
        return this;
    }

    edge(from: string, kind: keyof typeof EDGES, to: string, ...label: string[]): this {
        const text = label.length > 0 ? `|${label.join("<br/>").replace(/[|"]/g, "'")}|` : "";
        this.lines.push(`${this.indent}${from} ${EDGES[kind]}${text} ${to}`);
        return this;
    }

    /** A box around nodes laid out left to right (only the box itself may be linked). */
    row(name: string, title: string, body: () => void): this {
        this.lines.push(`${this.indent}subgraph ${name}[${quoted([title])}]`);
        this.indent += "    ";
        this.lines.push(`${this.indent}direction LR`);
        body();
        this.indent = this.indent.slice(4);
        this.lines.push(`${this.indent}end`);
        return this;
    }

    toString(): string {
        return ["```mermaid", ...this.lines, "```"].join("\n");
    }
}
