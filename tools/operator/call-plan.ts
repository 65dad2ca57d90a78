/**
 * A dry run's list of AWS calls, numbered, with their inputs as the real run builds them;
 * values known only at run time are shown as <placeholders>. Lines wrap at MAX_COLUMNS.
 */
import { bareStackName } from "./args";
import type { StackOutputs } from "./outputs";
import { MAX_COLUMNS, wrap } from "./text-layout";

const RUN_TIME: Record<string, string> = {
    Timestamp: "<time of the call>",
    StartTime: "<a minute before the alarm was forced>",
    EndTime: "<a minute after the call>",
};

export class CallPlan {
    readonly lines: string[] = [];
    private count = 0;

    title(text: string): void {
        this.lines.push(...wrap(text));
    }

    section(title: string): void {
        this.lines.push("", ...wrap(title));
    }

    call(api: string, region: string, input?: unknown, why?: string): void {
        // JSON on one line, with a space after each separator so that it wraps between keys.
        const json = JSON.stringify(input, (key, value) => RUN_TIME[key] ?? value, 1);
        const shown = input === undefined ? "" : ` ${json.replace(/\n */g, " ")}`;
        this.count += 1;
        const text = `${this.count}. ${api} [${region}]${shown}${why ? `  — ${why}` : ""}`;
        this.lines.push(...wrap(text, MAX_COLUMNS, "  ", "       "));
    }

    loop(text: string): void {
        this.lines.push(...wrap(text, MAX_COLUMNS, "     ", "       "));
    }

    /** The first call of every command: the caller must be in the stack's account. */
    identity(outputs: StackOutputs): void {
        const account = outputs.accountId ?? "(unknown: the outputs have no accountId)";
        this.call(
            "sts:GetCallerIdentity",
            outputs.regions.primary,
            undefined,
            `who runs it (no permission needed); must answer account ${account}, or nothing else is called`,
        );
    }
}

/** What the offline outputs say about themselves, for the dry run's first lines. */
export function offlineNotice(stack: string): string[] {
    return wrap(
        `Offline: no --outputs given, so the names below come from the program's own declaration ` +
            `of stack ${stack} (Pulumi mocks and Pulumi.${bareStackName(stack)}.yaml). <placeholders> ` +
            `stand for what only the deployed stack knows: account, name suffix, cluster identifiers, ` +
            `drill template ids. For the deployed names pass --outputs <file> holding ` +
            `\`pulumi stack output --json --stack ${stack}\`.`,
    );
}
