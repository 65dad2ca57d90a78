/**
 * Composite alarm rules: parsing a rule, the alarms it names, and whether it holds over the
 * alarms' states.
 *
 * What it follows, from the CloudWatch API Reference: rules with ALARM(), OK(),
 * INSUFFICIENT_DATA(), TRUE, FALSE, AND, OR, NOT, parentheses, and names "surrounded with
 * double-quotes ("), but do not have to be"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
 *
 * What it assumes, where AWS publishes nothing: rule keywords are upper case and NOT binds
 * tighter than AND, AND tighter than OR (AWS documents no precedence). An unquoted name runs
 * to the next blank, parenthesis or quote; a quoted one to the next double quote (no escape
 * is documented). Names, not ARNs.
 */
import type { AlarmState } from "./cloudwatch-alarm-types";

export type Rule =
    | { kind: "state"; state: AlarmState; alarm: string }
    | { kind: "const"; value: boolean }
    | { kind: "not"; rule: Rule }
    | { kind: "and" | "or"; left: Rule; right: Rule };

interface Token {
    readonly kind: "paren" | "word" | "quoted";
    /** The token as written; a quoted name without its quotes. */
    readonly text: string;
    /** Character offset in the rule. */
    readonly at: number;
}

/** Splits a rule into parentheses, bare words and quoted names; throws on an open quote. */
function tokenize(text: string, fail: (problem: string) => never): Token[] {
    const tokens: Token[] = [];
    const pattern = /\s*(?:([()])|"([^"]*)("?)|([^\s()"]+))/y;
    while (pattern.lastIndex < text.length) {
        const start = pattern.lastIndex;
        const match = pattern.exec(text);
        if (!match) break; // only blanks are left
        const at = start + match[0].length - match[0].trimStart().length;
        const [, paren, quoted, closed, word] = match;
        if (paren) tokens.push({ kind: "paren", text: paren, at });
        else if (word) tokens.push({ kind: "word", text: word, at });
        else if (closed) tokens.push({ kind: "quoted", text: quoted, at });
        else fail(`unterminated quoted name at character ${at}`);
    }
    return tokens;
}

/** Parses a composite alarm rule (NOT binds tighter than AND, AND tighter than OR). */
export function parseRule(text: string): Rule {
    const fail = (problem: string): never => {
        throw new Error(`alarm rule ${JSON.stringify(text)}: ${problem}`);
    };
    const tokens = tokenize(text, fail);
    let i = 0;
    const peek = (): Token | undefined => tokens[i];
    const where = (token: Token | undefined) => `at character ${token?.at ?? text.length}`;
    const unexpected = (token: Token | undefined): never =>
        fail(token ? `unexpected ${token.text} ${where(token)}` : "unexpected end of rule");
    const expect = (paren: "(" | ")", after = "") => {
        const token = tokens[i++];
        if (token?.kind !== "paren" || token.text !== paren)
            fail(`expected ${paren}${after} ${where(token)}`);
    };
    const isWord = (token: Token | undefined, word: string) =>
        token?.kind === "word" && token.text === word;

    const primary = (): Rule => {
        const token = tokens[i++];
        if (token?.kind === "paren" && token.text === "(") {
            const inner = or();
            expect(")");
            return inner;
        }
        if (token?.kind !== "word") return unexpected(token);
        if (token.text === "NOT") return { kind: "not", rule: primary() };
        if (token.text === "TRUE" || token.text === "FALSE")
            return { kind: "const", value: token.text === "TRUE" };
        if (token.text === "ALARM" || token.text === "OK" || token.text === "INSUFFICIENT_DATA") {
            expect("(", ` after ${token.text}`);
            const name = tokens[i++];
            if (name?.kind === "paren" || name === undefined)
                fail(`expected an alarm name ${where(name)}`);
            if (name.text === "") fail(`empty alarm name ${where(name)}`);
            expect(")");
            return { kind: "state", state: token.text, alarm: name.text };
        }
        return unexpected(token);
    };
    const and = (): Rule => {
        let left = primary();
        while (isWord(peek(), "AND")) {
            i++;
            left = { kind: "and", left, right: primary() };
        }
        return left;
    };
    const or = (): Rule => {
        let left = and();
        while (isWord(peek(), "OR")) {
            i++;
            left = { kind: "or", left, right: and() };
        }
        return left;
    };
    const rule = or();
    if (i !== tokens.length) unexpected(tokens[i]);
    return rule;
}

/** The alarms a rule names. */
export function ruleChildren(rule: Rule): string[] {
    switch (rule.kind) {
        case "state":
            return [rule.alarm];
        case "const":
            return [];
        case "not":
            return ruleChildren(rule.rule);
        default:
            return [...ruleChildren(rule.left), ...ruleChildren(rule.right)];
    }
}

export function holds(rule: Rule, states: ReadonlyMap<string, AlarmState>): boolean {
    switch (rule.kind) {
        case "state":
            return states.get(rule.alarm) === rule.state;
        case "const":
            return rule.value;
        case "not":
            return !holds(rule.rule, states);
        case "and":
            return holds(rule.left, states) && holds(rule.right, states);
        case "or":
            return holds(rule.left, states) || holds(rule.right, states);
    }
}
