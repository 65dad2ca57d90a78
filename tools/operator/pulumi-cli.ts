/** The Pulumi CLI as the operator commands run it, and the one message when it is missing. */
import { Refusal } from "./errors";

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/iac/download-install/";

/**
 * The pulumi executable is not on PATH. Every command says it the same way (and exits 1);
 * `hint` adds what else this command can do without it.
 */
export class PulumiMissing extends Refusal {
    constructor(hint?: string, options?: ErrorOptions) {
        super(
            `the Pulumi CLI ("pulumi") is not on PATH: install it (${PULUMI_INSTALL_URL}) ` +
                `and log in to the stack's backend${hint ? `; ${hint}` : ""}`,
            options,
        );
        this.name = "PulumiMissing";
    }
}

/** A spawn failure that means the executable does not exist. */
export const isNotFound = (error: unknown): boolean =>
    (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
