import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CONFIG_KEYS, ConfigError, PROJECT, validateConfig } from "../../infra/config";
import { awsViolations } from "../support/config-aws-rules";
import { generatedConfigs } from "../support/config-cases";

const SEED = 20_261_206;
const COUNT = 400;
const MAX_ECHO = 200;
/** A value as messages show it: quoted and escaped, with its length when cut. */
const ECHO = /"(?:[^"\\]|\\.)*"(?: \([\d,]+ characters\))?/g;
const LINE =
    /^ {2}- (\S+|"(?:[^"\\]|\\.)*"(?: \([\d,]+ characters\))?) (is not set|= "(?:[^"\\]|\\.)*"(?: \([\d,]+ characters\))?): (.{10,})$/;
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** What is wrong with one problem line of a config's rejection (nothing, if it is right). */
function lineFaults(line: string, raw: Record<string, string>): string[] {
    const match = LINE.exec(line);
    if (!match) return ["not `  - <key> = <value>: <rule>`"];
    const [, key, shown] = match;
    const faults: string[] = [];
    if (CONTROL.test(line)) faults.push("an unescaped control character");
    for (const echo of line.match(ECHO) ?? [])
        if (echo.length > MAX_ECHO) faults.push(`an echo of ${echo.length} characters`);
    if (shown.length > MAX_ECHO + 2) faults.push(`a value shown in ${shown.length} characters`);
    const name = key.startsWith(`${PROJECT}:`)
        ? key.slice(PROJECT.length + 1).split(/[[.]/)[0]
        : undefined;
    const known = name !== undefined && (CONFIG_KEYS as readonly string[]).includes(name);
    const given = Object.keys(raw).some((k) =>
        key.includes(k.slice(0, 40).replace(/[\p{Cc}\p{Cf}"\\]/gu, "")),
    );
    if (!known && !given) faults.push(`names no key of the config (${key.slice(0, 60)})`);
    return faults;
}

describe(`${COUNT} generated configs (seed ${SEED})`, () => {
    const configs = generatedConfigs(SEED, COUNT);
    const results = configs.map((raw) => {
        try {
            return { raw, result: validateConfig("generated", raw) };
        } catch (error) {
            return { raw, crash: error as Error };
        }
    });
    const accepted = results.flatMap((r) =>
        r.result && "config" in r.result ? [{ raw: r.raw, config: r.result.config }] : [],
    );
    const rejected = results.flatMap((r) =>
        r.result && "problems" in r.result ? [{ raw: r.raw, problems: r.result.problems }] : [],
    );

    it("are the same configs for the same seed", () => {
        assert.deepEqual(generatedConfigs(SEED, COUNT), configs);
        assert.notDeepEqual(generatedConfigs(SEED + 1, COUNT), configs);
    });

    it("validate without a crash", () => {
        assert.deepEqual(
            results
                .filter((r) => r.crash)
                .map((r) => `${r.crash!.message} for ${JSON.stringify(r.raw).slice(0, 200)}`),
            [],
        );
    });

    it("exercise both outcomes", () => {
        assert.ok(accepted.length >= COUNT / 20, `${accepted.length} accepted`);
        assert.ok(rejected.length >= COUNT / 2, `${rejected.length} rejected`);
    });

    it("are accepted only with values that pass AWS's constraints", () => {
        const broken = accepted.flatMap(({ raw, config }) => {
            const violations = awsViolations(config);
            return violations.length
                ? [`${violations.join(", ")} in ${JSON.stringify(raw).slice(0, 300)}`]
                : [];
        });
        assert.deepEqual(broken, []);
    });

    it("are otherwise rejected, each problem naming key, escaped value (at most 200 characters) and rule", () => {
        const faults = rejected.flatMap(({ raw, problems }) => {
            const lines = new ConfigError("generated", problems).message.split("\n").slice(1);
            const found =
                lines.length === problems.length
                    ? []
                    : [`${problems.length} problems on ${lines.length} lines`];
            for (const line of lines)
                found.push(...lineFaults(line, raw).map((f) => `${f}: ${line.slice(0, 240)}`));
            return found;
        });
        assert.deepEqual(faults, []);
    });
});
