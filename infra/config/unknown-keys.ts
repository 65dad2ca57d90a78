import { CONFIG_KEYS } from "./declaration";
import { PROJECT, type ConfigProblem } from "./problem";
import { quote } from "./text";

/**
 * Keys this program would silently ignore: Pulumi passes undeclared keys through, so a
 * typo (`monitoringSchedle`) or a near-miss namespace (`aurora-dsql_dr:`) would deploy
 * the default instead. Each is a problem naming the closest key this program knows.
 */
export function unexpectedKeys(raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const known = CONFIG_KEYS.join(", ");
    for (const [key, value] of Object.entries(raw)) {
        if ((CONFIG_KEYS as readonly string[]).includes(key)) continue;
        const [namespace, name] = key.includes(":") ? splitKey(key) : [PROJECT, key];
        if (namespace === PROJECT) {
            problems.push({
                key: `${PROJECT}:${name}`,
                value,
                allowed: `not a setting of this program${suggest(name)}; known settings: ${known}`,
            });
        } else if (distance(normalise(namespace), normalise(PROJECT)) <= 2) {
            problems.push({
                key,
                value,
                allowed: `namespace ${quote(namespace)} is not this project's ("${PROJECT}"), so nothing reads it${suggest(name, `${PROJECT}:`)}`,
            });
        }
    }
    return problems;
}

/** `<namespace>:<key>` split at its first colon. */
export const splitKey = (key: string): [string, string] => {
    const at = key.indexOf(":");
    return [key.slice(0, at), key.slice(at + 1)];
};

const normalise = (s: string) => s.toLowerCase().replace(/[-_.]/g, "");

function suggest(name: string, prefix = ""): string {
    // Names far longer than any key are no typo of one (and cost quadratic time to compare).
    if (name.length > 64) return "";
    const best = [...CONFIG_KEYS].sort((a, b) => distance(name, a) - distance(name, b))[0];
    return best && distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, best.length / 3)
        ? `; did you mean ${prefix}${best}?`
        : "";
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
    if (Math.abs(a.length - b.length) > 64) return Math.abs(a.length - b.length);
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(
                row[j] + 1,
                row[j - 1] + 1,
                previous + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
            previous = current;
        }
    }
    return row[b.length];
}
