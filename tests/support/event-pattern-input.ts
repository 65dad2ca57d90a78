/**
 * What an EventBridge input transformer sends its target, offline, for the transformer
 * features this product uses: an InputPathsMap of JSON paths in dot notation with array
 * indices, and a JSON InputTemplate whose placeholders all stand inside JSON strings.
 * EventBridge fills such a placeholder with the value, escaped so the output stays valid
 * JSON (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 * A path the event does not have, or a placeholder with no path, throws: the tests use events
 * that carry every field the transformer reads.
 */

export interface InputTransformer {
    readonly inputPaths: Readonly<Record<string, string>>;
    readonly inputTemplate: string;
}

/** The transformed input `event` produces, parsed from JSON. */
export function renderInput(transformer: InputTransformer, event: unknown): unknown {
    const text = transformer.inputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (_, name: string) => {
        const path = transformer.inputPaths[name];
        if (path === undefined) throw new Error(`placeholder <${name}> has no input path`);
        const value = valueAt(event, path);
        if (typeof value !== "string") {
            throw new Error(`input path ${path} is not a string in the event`);
        }
        return JSON.stringify(value).slice(1, -1);
    });
    return JSON.parse(text);
}

/** The value at a JSON path such as `$.detail.eventDescription[0].latestDescription`. */
export function valueAt(event: unknown, path: string): unknown {
    if (!path.startsWith("$.")) throw new Error(`unsupported JSON path ${path}`);
    const steps = path
        .slice(2)
        .split(".")
        .flatMap((part) => {
            const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
            if (!match) throw new Error(`unsupported JSON path ${path}`);
            const indices = [...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
            return [match[1], ...indices];
        });
    let value: unknown = event;
    for (const step of steps) {
        if (value === null || typeof value !== "object" || !Object.hasOwn(value, step)) {
            throw new Error(`${path}: the event has no ${String(step)}`);
        }
        value = (value as Record<string | number, unknown>)[step];
    }
    return value;
}
