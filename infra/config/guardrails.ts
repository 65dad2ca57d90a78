import { z } from "zod";
import { jsonList, report, type Schema } from "./parse";
import { showJson } from "./text";

/**
 * The channel guardrail when none is configured. Chatbot itself applies AdministratorAccess
 * when the list is empty (service model, GuardrailPolicyArns), so the program never leaves it
 * empty. A guardrail caps the channel role and every user role of the channel (what a member
 * can do is the intersection of guardrail and role; Chatbot admin guide, "Understanding
 * permissions"). CloudWatchReadOnlyAccess is the narrowest AWS-managed policy the Chatbot
 * guide lists for channels ("IAM policies for Amazon Q Developer in chat applications"), and
 * covers the CloudWatch reads the notification template grants (cloudwatch Describe/Get/List).
 */
export const DEFAULT_GUARDRAIL_POLICY_ARNS: readonly string[] = Object.freeze([
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
]);

/** GuardrailPolicyArn (11-1163 characters, not a service-role policy), narrowed to managed-policy ARNs. */
const GUARDRAIL_ARN =
    /^(?!.*\/aws-service-role\/)arn:aws:iam::(?:aws|\d{12}):policy\/[A-Za-z0-9:_/+=,@.-]{1,1140}$/;
const HOW_TO =
    "a list of IAM managed-policy ARNs (pulumi config set --path 'aurora-dsql-dr:chatbotGuardrailPolicies[0]' arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess)";

/** chatbotGuardrailPolicies: never empty; unset or blank is the default guardrail. */
export const guardrailsSchema: Schema<readonly string[]> = z
    .string()
    .optional()
    .transform((text, ctx) => {
        if (!text?.trim()) return DEFAULT_GUARDRAIL_POLICY_ARNS;
        const list = jsonList(ctx, text, HOW_TO);
        if (!list) return z.NEVER;
        if (list.length === 0) {
            return report(
                ctx,
                `at least one policy ARN: with none, AWS Chatbot applies AdministratorAccess as the channel guardrail; the default is ${DEFAULT_GUARDRAIL_POLICY_ARNS.join(", ")}`,
            );
        }
        const arns: string[] = [];
        list.forEach((item, i) => {
            const at = `[${i}]`;
            const shown = typeof item === "string" ? item : JSON.stringify(item);
            if (typeof item !== "string" || item.length > 1163 || !GUARDRAIL_ARN.test(item)) {
                report(
                    ctx,
                    `an IAM managed-policy ARN, arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<path><name>, not an aws-service-role policy (AWS Chatbot's GuardrailPolicyArn)${typeof item === "string" ? "" : `; this is ${showJson(item)}`}`,
                    { at, shown },
                );
            } else if (arns.includes(item)) {
                report(ctx, `already listed as chatbotGuardrailPolicies[${arns.indexOf(item)}]`, {
                    at,
                    shown,
                });
            } else {
                arns.push(item);
            }
        });
        return arns.length === list.length ? Object.freeze(arns) : z.NEVER;
    });

/** Whether `arns` is the default guardrail (what an unset key gives). */
export const isDefaultGuardrail = (arns: readonly string[]): boolean =>
    arns.length === DEFAULT_GUARDRAIL_POLICY_ARNS.length &&
    arns.every((a, i) => a === DEFAULT_GUARDRAIL_POLICY_ARNS[i]);
