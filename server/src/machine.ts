// This machine, as the edges (the CLI and the language server) hand it to the analysis: its file system,
// and its accounts when the configs are for it (--this-host / keepalived.thisHost). The core never
// reaches for the machine itself; without these it sees a machine with no files and unknown accounts.
import type { FileSystem } from './analysis/fs';
import { nodeFileSystem } from './node/fs';
import { UNKNOWN_HOST, type HostInfo } from './analysis/host';
import { passwdHost } from './node/host';
import { pathToUri, uriToPath } from './features/uri';
import type { DirEntry, ServerMachine } from './server-machine';
import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

let passwd: HostInfo | undefined;

/** The nodes' accounts: this machine's (read once) when the configs are for it, else unknown. */
export function machineHost(thisHost: boolean): HostInfo {
  return thisHost ? (passwd ??= passwdHost()) : UNKNOWN_HOST;
}

/** How the script checks see this machine: its files, and its accounts when the configs are for it. */
export function machineSecurity(thisHost: boolean): { host: HostInfo; fs: FileSystem } {
  return { host: machineHost(thisHost), fs: nodeFileSystem };
}

/** Account names of this machine (metadata from /etc/passwd), for `user` and `script_user` completion. */
function listUsers(): string[] {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':')[0] ?? '')
      .filter((n) => n !== '');
  } catch {
    return [];
  }
}

function listDir(path: string): DirEntry[] | undefined {
  try {
    return readdirSync(path, { withFileTypes: true })
      .slice(0, 500)
      .map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return undefined;
  }
}

/** This machine, as the node language server sees it. */
export const nodeServerMachine: ServerMachine = {
  fs: nodeFileSystem,
  hostFacts: true,
  security: machineSecurity,
  users: listUsers,
  interfaces: () => Object.keys(networkInterfaces()),
  listDir,
  toPath: uriToPath,
  toUri: pathToUri,
};
