/** Durations as operators type them (30s, 10m, 1h, 1h30m) and as FIS stores them (PT10M). */

const HUMAN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds in `text` ("1h30m" → 5400), or undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
    const match = HUMAN.exec(text);
    if (!match || text === "") return undefined;
    const [, h = "0", m = "0", s = "0"] = match;
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** The shortest human form of `seconds`: 5400 → "1h30m", 45 → "45s", 0 → "0s". */
export function formatDuration(seconds: number): string {
    const whole = Math.round(seconds);
    const parts: [number, string][] = [
        [Math.floor(whole / 3600), "h"],
        [Math.floor((whole % 3600) / 60), "m"],
        [whole % 60, "s"],
    ];
    const text = parts
        .filter(([value]) => value > 0)
        .map(([value, unit]) => `${value}${unit}`)
        .join("");
    return text || "0s";
}

const ISO = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/;

/**
 * Seconds in an ISO 8601 duration of the form FIS action parameters use ("PT10M", "PT1H30M").
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#cluster-connection-failure
 */
export function parseIsoDuration(text: string): number | undefined {
    const match = ISO.exec(text);
    if (!match || text === "PT") return undefined;
    const [, h = "0", m = "0", s = "0"] = match;
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
