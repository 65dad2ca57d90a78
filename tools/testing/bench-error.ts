/** The benchmark's own failures: the message is the whole story, printed without a stack. */

/** A failure the benchmark explains itself: its message is the whole story. */
export class BenchmarkError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BenchmarkError";
    }
}
