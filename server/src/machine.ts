// This machine, as the edges (the CLI and the language server) hand it to the analysis: its file system,
// and its accounts when the configs are for it (--this-host / keepalived.thisHost). The core never
// reaches for the machine itself; without these it sees a machine with no files and unknown accounts.
import { nodeFileSystem, type FileSystem } from './analysis/fs';
import { passwdHost, UNKNOWN_HOST, type HostInfo } from './analysis/host';

let passwd: HostInfo | undefined;

/** The nodes' accounts: this machine's (read once) when the configs are for it, else unknown. */
export function machineHost(thisHost: boolean): HostInfo {
  return thisHost ? (passwd ??= passwdHost()) : UNKNOWN_HOST;
}

/** How the script checks see this machine: its files, and its accounts when the configs are for it. */
export function machineSecurity(thisHost: boolean): { host: HostInfo; fs: FileSystem } {
  return { host: machineHost(thisHost), fs: nodeFileSystem };
}
