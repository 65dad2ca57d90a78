/**
 * Terminal text at most MAX_COLUMNS wide: word-wrapped paragraphs and tables whose widest
 * column wraps, so no line of a command's output runs past a terminal or a CI log's width.
 */
export const MAX_COLUMNS = 100;

/**
 * `text` word-wrapped to `width` columns: the first line starts with `indent`, the others
 * with `hanging`. A word longer than a line is cut.
 */
export function wrap(
    text: string,
    width: number = MAX_COLUMNS,
    indent = "",
    hanging: string = indent,
): string[] {
    const lines: string[] = [];
    let line = indent;
    let empty = true;
    // Each word with the spaces before it: runs of spaces inside a line are kept.
    for (const token of text.match(/ *\S+/g) ?? []) {
        const word = token.trimStart();
        const gap = token.slice(0, token.length - word.length) || " ";
        if (!empty && line.length + gap.length + word.length <= width) {
            line += gap + word;
            continue;
        }
        if (!empty) {
            lines.push(line);
            line = hanging;
        }
        let rest = word;
        for (let room = width - line.length; rest.length > room; room = width - line.length) {
            lines.push(line + rest.slice(0, Math.max(1, room)));
            rest = rest.slice(Math.max(1, room));
            line = hanging;
        }
        line += rest;
        empty = false;
    }
    lines.push(line);
    return lines.map((l) => l.trimEnd());
}

export interface Column {
    readonly header: string;
    readonly align?: "left" | "right";
    /** This column shrinks, its cells wrapping onto more lines, to keep the table narrow. */
    readonly wraps?: boolean;
}

/**
 * Rows under a header, columns one space apart, at most `width` wide: the wrapping column
 * gets what the others leave, and its overflow continues on lines of its own. The lines of
 * the header and of each row, apart, so a caller can put notes under a row.
 */
export function tableLayout(
    columns: readonly Column[],
    rows: readonly (readonly string[])[],
    indent = "  ",
    width: number = MAX_COLUMNS,
): { header: string[]; rows: string[][] } {
    const natural = columns.map((c, i) =>
        Math.max(c.header.length, ...rows.map((row) => row[i].length)),
    );
    const flexible = columns.findIndex((c) => c.wraps);
    const widths = [...natural];
    if (flexible >= 0) {
        const others = natural.reduce((sum, w, i) => (i === flexible ? sum : sum + w), 0);
        const room = width - indent.length - others - (columns.length - 1);
        widths[flexible] = Math.max(10, Math.min(natural[flexible], room));
    }
    const render = (cells: readonly string[]) => {
        const wrapped = cells.map((cell, i) =>
            i === flexible ? wrap(cell, widths[i], "", "  ") : [cell],
        );
        const height = Math.max(...wrapped.map((w) => w.length));
        return Array.from({ length: height }, (_, line) =>
            (
                indent +
                wrapped
                    .map((w, i) => {
                        const text = w[line] ?? "";
                        return columns[i].align === "right"
                            ? text.padStart(widths[i])
                            : text.padEnd(widths[i]);
                    })
                    .join(" ")
            ).trimEnd(),
        );
    };
    return { header: render(columns.map((c) => c.header)), rows: rows.map(render) };
}

/** tableLayout, as lines. */
export function table(
    columns: readonly Column[],
    rows: readonly (readonly string[])[],
    indent = "  ",
    width: number = MAX_COLUMNS,
): string[] {
    const laid = tableLayout(columns, rows, indent, width);
    return [...laid.header, ...laid.rows.flat()];
}
