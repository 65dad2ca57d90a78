/** The repository's root folder, for every tool that reads or writes a committed file. */
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
