// What the script checks are given (how they see the machine and the nodes) and what they work out per
// script: shared by security.ts and its fixes (security-fixes.ts), which import neither each other's
// internals nor each other.
import type { FileSystem } from '../analysis/fs';
import type { HostInfo } from '../analysis/host';
import type { ScriptFate } from '../analysis/script-fate';
import type { ScriptUse } from '../analysis/scripts';

export interface SecurityOptions {
  host: HostInfo;
  fs: FileSystem;
  /** Account the fixes put on scripts (setting keepalived.scriptUser). */
  scriptUser: string;
  /** The config is for this machine: check accounts and script files here. */
  thisHost: boolean;
  keepalivedVersion?: string;
  volatileDirs?: string[];
}

export interface ScriptVerdict {
  script: ScriptUse;
  fate: ScriptFate;
}
