import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { MOCK_ACCOUNT, MOCK_SUFFIX } from "../../tools/pulumi-host/mock-program";
import { REPO_ROOT } from "../../tools/pulumi-host/stack-config";
import type { PolicyDocument } from "./stack";

/** The policies the docs tell a user to create: JSON files with `<placeholder>`s. */
const DOCS_IAM_DIR = path.join(REPO_ROOT, "docs", "iam");

/** What each placeholder stands for in the tests: the mocked account and name suffix. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
    "<account>": MOCK_ACCOUNT,
    "<suffix>": MOCK_SUFFIX,
    "<primaryRegion>": "us-east-1",
    "<secondaryRegion>": "us-east-2",
    "<org>": "example-org",
    "<repo>": "aurora-dsql-dr",
    "<environment>": "prod",
};

export interface DocumentedPolicy {
    /** File name under docs/iam. */
    readonly file: string;
    readonly text: string;
    /** The document with every placeholder replaced. */
    readonly doc: PolicyDocument;
}

/** Every docs/iam/*.json, placeholders substituted; an unknown placeholder throws. */
export function documentedPolicies(): DocumentedPolicy[] {
    return readdirSync(DOCS_IAM_DIR)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((file) => documentedPolicy(file));
}

/** One docs/iam file, with `values` (default: the test values) for its placeholders. */
export function documentedPolicy(
    file: string,
    values: Readonly<Record<string, string>> = PLACEHOLDERS,
): DocumentedPolicy {
    const text = readFileSync(path.join(DOCS_IAM_DIR, file), "utf8");
    const substituted = text.replace(/<[A-Za-z]+>/g, (placeholder) => {
        const value = values[placeholder];
        if (value === undefined) {
            throw new Error(
                `docs/iam/${file}: unknown placeholder ${placeholder}; known: ${Object.keys(values).join(", ")}`,
            );
        }
        return value;
    });
    return { file, text, doc: JSON.parse(substituted) as PolicyDocument };
}
