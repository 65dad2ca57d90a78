/**
 * How a message shows what the user wrote: in double quotes, every character a terminal
 * would act on or hide escaped (C0 and C1 controls, ESC, BEL, DEL, line and paragraph
 * separators, bidirectional and zero-width format characters), and cut so that no echoed
 * value takes more than MAX_ECHO_LENGTH characters, its full length noted.
 */

/** Longest echo of one value in a message, quotes and length note included. */
export const MAX_ECHO_LENGTH = 200;

/** Characters that must never reach a terminal as they are. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const NAMED: Readonly<Record<string, string>> = {
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    '"': '\\"',
    "\\": "\\\\",
};

function escapeChar(ch: string): string {
    const named = NAMED[ch];
    if (named) return named;
    if (!UNSAFE.test(ch)) return ch;
    const code = ch.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Whether `text` holds a character that must be escaped before it is shown. */
export const hasUnsafeCharacter = (text: string): boolean => UNSAFE.test(text);

/** `text` with every unsafe character escaped, and no quotes added. */
export const escapeText = (text: string): string => [...text].map(escapeChar).join("");

/** `text` quoted and escaped, at most `max` characters long (cut with its length noted). */
export function quote(text: string, max: number = MAX_ECHO_LENGTH): string {
    const chars = [...text];
    const whole = chars.map(escapeChar).join("");
    if (whole.length + 2 <= max) return `"${whole}"`;
    const note = `…" (${chars.length.toLocaleString("en-US")} characters)`;
    let kept = "";
    for (const ch of chars) {
        const escaped = escapeChar(ch);
        if (1 + kept.length + escaped.length + note.length > max) break;
        kept += escaped;
    }
    return `"${kept}${note}`;
}

/** A JSON value as a message shows it: strings quoted, others as JSON, all escaped and cut. */
export function showJson(value: unknown): string {
    if (typeof value === "string") return quote(value);
    const text = JSON.stringify(value) ?? String(value);
    const shown = quote(text);
    // Numbers, booleans and null read better without quotes; objects and lists keep them.
    return shown === `"${text}"` && !/^[[{]/.test(text) ? text : shown;
}

/** What kind of JSON value `value` is, for messages ("a number", "a list"…). */
export function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    switch (typeof value) {
        case "number":
            return "a number";
        case "boolean":
            return "a boolean";
        case "string":
            return "a string";
        default:
            return "an object";
    }
}
