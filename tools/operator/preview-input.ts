/**
 * Reading `pulumi preview --json` for the preview guard: the steps of the plan and the
 * errors it reported, from either output format, after any text the CLI printed first.
 *
 * Input formats, as written by pulumi/pulumi at commit
 * 1b5949891b3cefcb9974752b24a5ecef0acc86c8 (2026-08-21):
 * - The preview digest (default for `pulumi preview --json` and
 *   `pulumi destroy --preview-only --json`): one JSON document, printed once at the end.
 *   Shape: `PreviewDigest` / `PreviewStep` / `PreviewDiagnostic` in pkg/display/json.go;
 *   producer `ShowPreviewDigest` in pkg/backend/display/json.go; `oldState`/`newState`
 *   are `apitype.ResourceV3` (sdk/go/common/apitype/core.go). `shouldShow`
 *   (pkg/backend/display/display.go) leaves out `same` steps (unless `protect` changed) and
 *   the non-logical replacement steps, so an untouched resource has no step at all.
 * - Engine events, one JSON object per line: what `--json` prints when
 *   PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set (`ShowJSONEvents`, chosen in `ShowEvents`,
 *   pkg/backend/display/display.go), and what `--event-log <file>` writes (same writer,
 *   `logJSONEvent`). Shape: `EngineEvent`, `ResourcePreEvent`, `StepEventMetadata` in
 *   sdk/go/common/apitype/events.go. A stream counts only if it holds its summaryEvent.
 *   `logJSONEvent` writes every engine event, so here an untouched resource is a `same` step
 *   (its peer being replaced or not): a step of a cluster is not a change of it.
 * Step operations: pkg/resource/deploy/step.go (`OpSame` … `OpImportReplacement`,
 * `IsReplacementStep`). Text before the JSON (pulumi/pulumi#19775: "Installing policy
 * pack …" on stdout) is skipped; policy violations are not in the digest at all.
 */

/** What a resource's state says, as far as the guard cares. */
export interface ResourceState {
    readonly parent?: string;
    readonly protect: boolean;
    readonly inputs: Record<string, unknown>;
}

/** One step of the plan, in either input format. */
export interface PlannedStep {
    readonly op: string;
    readonly urn: string;
    readonly old?: ResourceState;
    readonly new?: ResourceState;
    readonly replaceReasons: readonly string[];
    readonly diffReasons: readonly string[];
}

export interface Plan {
    readonly format: "digest" | "events";
    readonly steps: readonly PlannedStep[];
    /** Messages of error diagnostics: the plan is incomplete. */
    readonly errors: readonly { urn?: string; message: string }[];
}

/** The input is not a complete `pulumi preview --json` output. */
export class PreviewInputError extends Error {}

export interface ParsedUrn {
    readonly stack: string;
    readonly project: string;
    /** The resource type: the last entry of the `$`-joined parent type chain. */
    readonly type: string;
    readonly parentTypes: readonly string[];
    readonly name: string;
}

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`. */
export function parseUrn(urn: string): ParsedUrn {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.*)$/s.exec(urn);
    if (!match) throw new PreviewInputError(`not a Pulumi URN: ${JSON.stringify(urn)}`);
    const [, stack, project, qualifiedType, name] = match;
    const types = qualifiedType.split("$");
    return { stack, project, type: types.at(-1)!, parentTypes: types.slice(0, -1), name };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
    typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function stateOf(value: unknown): ResourceState | undefined {
    if (!isObject(value)) return undefined;
    return {
        parent: typeof value.parent === "string" && value.parent ? value.parent : undefined,
        protect: value.protect === true,
        inputs: isObject(value.inputs) ? value.inputs : {},
    };
}

function stepOf(raw: unknown, where: string): PlannedStep {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.urn !== "string") {
        throw new PreviewInputError(`${where} has no "op" and "urn" strings`);
    }
    parseUrn(raw.urn);
    return {
        op: raw.op,
        urn: raw.urn,
        // Digest steps carry oldState/newState/replaceReasons/diffReasons; engine events
        // carry old/new/keys/diffs.
        old: stateOf(raw.oldState ?? raw.old),
        new: stateOf(raw.newState ?? raw.new),
        replaceReasons: strings(raw.replaceReasons ?? raw.keys),
        diffReasons: strings(raw.diffReasons ?? raw.diffs),
    };
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** End (exclusive) of the JSON object that opens at `start`, or -1 if it never closes. */
function objectEnd(text: string, start: number): number {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === "\\") i++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
            depth--;
            if (depth === 0) return i + 1;
        }
    }
    return -1;
}

const isEvent = (value: Json) =>
    typeof value.sequence === "number" || Object.keys(value).some((k) => k.endsWith("Event"));
const isDigest = (value: Json) => Array.isArray(value.steps) || isObject(value.changeSummary);

function digestPlan(digest: Json): Plan {
    const steps = digest.steps ?? [];
    if (!Array.isArray(steps)) throw new PreviewInputError(`"steps" is not an array`);
    const diagnostics = Array.isArray(digest.diagnostics) ? digest.diagnostics : [];
    return {
        format: "digest",
        steps: steps.map((s, i) => stepOf(s, `steps[${i}]`)),
        errors: diagnostics
            .filter((d): d is Json => isObject(d) && d.severity === "error")
            .map((d) => ({
                urn: typeof d.urn === "string" && d.urn ? d.urn : undefined,
                message: String(d.message ?? "").trim(),
            })),
    };
}

function eventsPlan(text: string, start: number): Plan {
    const steps: PlannedStep[] = [];
    const errors: { urn?: string; message: string }[] = [];
    let summary = false;
    const firstLine = lineOf(text, start);
    for (const [index, line] of text.slice(start).split("\n").entries()) {
        if (!line.trimStart().startsWith("{")) continue;
        const where = `line ${firstLine + index}`;
        let event: unknown;
        try {
            event = JSON.parse(line);
        } catch (error) {
            throw new PreviewInputError(
                `${where} is not a complete JSON event (was the output cut short?): ${(error as Error).message}`,
            );
        }
        if (!isObject(event)) continue;
        if (event.cancelEvent) throw new PreviewInputError("the preview was cancelled");
        if (isObject(event.resourcePreEvent)) {
            steps.push(stepOf(event.resourcePreEvent.metadata, `${where} (resourcePreEvent)`));
        }
        const diag = event.diagnosticEvent;
        if (isObject(diag) && diag.severity === "error" && diag.ephemeral !== true) {
            errors.push({
                urn: typeof diag.urn === "string" && diag.urn ? diag.urn : undefined,
                message: String(diag.message ?? "").trim(),
            });
        }
        if (event.summaryEvent) summary = true;
    }
    if (!summary) {
        throw new PreviewInputError(
            "the engine event stream has no summaryEvent, so the preview did not finish (was the output cut short?)",
        );
    }
    return { format: "events", steps, errors };
}

/**
 * The plan in `text`: a preview digest or an engine event stream, after any lines the CLI
 * printed first. A JSON document starts at the beginning of a line (the digest is printed
 * with json.MarshalIndent, events one per line), so only those `{` are candidates.
 */
export function parsePreview(text: string): Plan {
    const source = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
    let firstProblem: string | undefined;
    for (let start = 0; start < source.length;) {
        const next = source.indexOf("\n", start);
        const lineEnd = next === -1 ? source.length : next;
        if (source[start] === "{") {
            const end = objectEnd(source, start);
            const where = `the JSON starting on line ${lineOf(source, start)}`;
            if (end === -1) {
                firstProblem ??= `${where} never closes (was the output cut short?)`;
            } else {
                try {
                    const value: unknown = JSON.parse(source.slice(start, end));
                    if (isObject(value) && isEvent(value)) return eventsPlan(source, start);
                    if (isObject(value) && isDigest(value)) return digestPlan(value);
                    firstProblem ??= `${where} is not a preview (it has neither "steps" nor "changeSummary")`;
                } catch (error) {
                    if (error instanceof PreviewInputError) throw error;
                    firstProblem ??= `${where} is not valid JSON: ${(error as Error).message}`;
                }
            }
        }
        start = lineEnd + 1;
    }
    throw new PreviewInputError(
        `${firstProblem ?? "no JSON document found"}; expected the output of \`pulumi preview --json\``,
    );
}
