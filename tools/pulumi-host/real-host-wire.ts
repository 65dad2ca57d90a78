/** Property values on the wire: the unknown value, secrets, output values and references. */

/** The wire value of an unknown (sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Secrets unwrapped, unset output values unknown; assets and resource references kept. */
export function decode(value: unknown): any {
    if (Array.isArray(value)) return value.map(decode);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object[SIG] === SECRET_SIG) return decode(object.value);
    if (object[SIG] === OUTPUT_VALUE_SIG) return "value" in object ? decode(object.value) : UNKNOWN;
    if (typeof object[SIG] === "string") return object;
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, decode(v)]));
}

/**
 * What a provider sees and returns for a reference to another resource: its ID (a custom
 * resource) or URN (a component); providers here do not take references.
 */
export function withoutReferences(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutReferences);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object[SIG] === RESOURCE_SIG) {
        if ("id" in object) return object.id === "" ? UNKNOWN : object.id;
        return object.urn;
    }
    if (typeof object[SIG] === "string" && object[SIG] !== SECRET_SIG) return object;
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, withoutReferences(v)]));
}
