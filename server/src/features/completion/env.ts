// What completion needs from the machine it runs on, as a port the server fills in: tests pass their own.
export interface CompletionEnv {
  /** System user names (for script users). */
  users(): string[];
  /** Network interface names. */
  interfaces(): string[];
  /** Entries of a directory, or undefined when it cannot be read. */
  listDir(path: string): { name: string; dir: boolean }[] | undefined;
  /** Target keepalived version: newer keywords are not offered. */
  keepalivedVersion?: string;
}
