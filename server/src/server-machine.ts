// What the language server needs from the machine it runs on, as one object: the node server hands it
// this machine (machine.ts `nodeServerMachine`), the browser worker hands it the editor's file system
// (web/web-machine.ts). server.ts reaches the machine only through it.
import type { FileSystem } from './analysis/fs';
import type { HostInfo } from './analysis/host';

export interface DirEntry {
  name: string;
  dir: boolean;
}

export interface ServerMachine {
  /** The file system configurations, includes and project settings files are read from. */
  fs: FileSystem;
  /**
   * Whether facts about the nodes can be had here at all (accounts, script files). False in the browser:
   * the `thisHost` setting is then ignored, and script checks see unknown accounts and no files.
   */
  hostFacts: boolean;
  /** How the script checks see the nodes. */
  security(thisHost: boolean): { host: HostInfo; fs: FileSystem };
  /** Account names, for `user` / `script_user` completion. */
  users(): string[];
  /** Network interface names, for `interface` completion. */
  interfaces(): string[];
  /** A folder's entries, for path completion (at most a few hundred). */
  listDir(path: string): DirEntry[] | undefined;
  /** The analysis's path of a document URI, and back. */
  toPath(uri: string): string;
  toUri(path: string): string;
  /**
   * Fetches what the last builds asked the file system for and it did not have yet (the browser's file
   * system is asynchronous and is read ahead); true when anything was fetched, so builds run again.
   */
  fetchMissing?(): Promise<boolean>;
  /** A file changed on disk: forget what was read of it. */
  changed?(path: string): void;
}
