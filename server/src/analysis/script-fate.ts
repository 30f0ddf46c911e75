// What keepalived will do with each script: the one answer every script rule and the hover read.
// Built on the account model (scripts.ts) and, for what depends on the file itself, keepalived's start-up
// checks in lib/notify.c check_script_secure (2.2.7): a PATH search for bare names, the executable bit
// for the account, symlinks resolved with realpath(), and the security walk of check_security.
// Only metadata and a script's first bytes are read; nothing is executed.
import { MASK } from '../syntax/templates';
import { basename, dirname, join } from 'node:path';
import { compareVersions } from '../schema/version';
import type { FileSystem } from './fs';
import type { HostInfo } from './host';
import { checkScriptPath, VOLATILE_DIRS, type PathVerdict } from './script-paths';
import type { EffectiveUser, ScriptSecurity, ScriptUse } from './scripts';

export type Fate =
  /** It runs (as `script.effective`); `rootUnless` says when that is root only on some nodes. */
  | { kind: 'runs' }
  /** keepalived removes it while reading the configuration (accounts). */
  | { kind: 'removed'; why: string; certain: boolean }
  /** keepalived disables it at start-up (its checks of the file). */
  | { kind: 'disabled'; why: string; rule: DisabledRule }
  /** keepalived keeps it, but it can never do its job (it always fails, or never fails). */
  | { kind: 'always-fails'; why: string; rule: 'script-symlink-renamed' | 'script-no-shebang' }
  /** keepalived kills itself at start-up when it checks it (`certain`: on every node, not only some). */
  | { kind: 'kills-keepalived'; why: string; certain: boolean }
  /** `</path`: an openability test, nothing runs. */
  | { kind: 'not-executed' };

export type DisabledRule =
  'script-bare-command' | 'script-not-found' | 'script-not-executable' | 'unsafe-script-path';

export interface FateOptions {
  fs: FileSystem;
  host: HostInfo;
  /** The configuration is for this machine: its files are the nodes' files. */
  thisHost: boolean;
  keepalivedVersion?: string;
  volatileDirs?: string[];
}

export interface ScriptFate {
  fate: Fate;
  /** What the file system says about the program (after a PATH search). */
  path: PathVerdict;
}

/** Versions before 2.3.0 run a symlinked program under its target's name and check start-up scripts in a way that kills the daemon. */
export function before230(version: string | undefined): boolean {
  return version !== undefined && compareVersions(version, '2.3.0') < 0;
}

const S_IXUSR = 0o100;
const S_IXGRP = 0o010;
const S_IXOTH = 0o001;

export function fateOf(
  script: ScriptUse,
  security: ScriptSecurity,
  options: FateOptions,
  verdictOf: (program: string) => PathVerdict,
): ScriptFate {
  const e = script.effective;
  // A program built by a template expression is unknown: nothing about its path can be checked.
  const templated = script.program.includes(MASK);
  const path = templated ? { viaSearch: false, missing: false, problems: [] } : verdictOf(script.program);
  if (script.openTest) return { fate: { kind: 'not-executed' }, path };
  if (e.removed) return { fate: { kind: 'removed', why: e.removed, certain: true }, path };
  if (!security.hasVrrpInstance && isVrrpScript(script)) return { fate: { kind: 'runs' }, path };

  const nonRootAccount = !e.root && e.exists !== 'no' && !e.orElse;
  // find_path sets the script's euid before it calls setgroups(), which then fails: every bare name run
  // as a non-root account is disabled ("Permissions failure for script ... in path").
  if (!templated && !script.program.includes('/') && nonRootAccount) {
    return {
      fate: {
        kind: 'disabled',
        rule: 'script-bare-command',
        why: `'${script.program}' has no '/', so keepalived searches PATH for it as ${e.user}; its search switches to that account before it resets the supplementary groups, which then fails, so keepalived logs "Permissions failure for script ${script.program} in path - disabling"`,
      },
      path,
    };
  }

  const local = options.thisHost ? localFate(script, e, path, options) : undefined;
  if (local) return { fate: local, path };

  const startStop = /^global_defs\/(startup|shutdown)_script$/.test(script.placed.spec?.path ?? '');
  if (startStop && (nonRootAccount || e.orElse) && before230(options.keepalivedVersion)) {
    const where = e.orElse ? ` on every node with a '${e.user}' account` : '';
    return {
      fate: {
        kind: 'kills-keepalived',
        certain: !e.orElse,
        why: `keepalived before 2.3.0 checks a ${script.keyword} run as a non-root account in a way that sends itself SIGTERM (notify.c compares main_pid with getppid()), so keepalived stops at start-up${where}`,
      },
      path,
    };
  }
  const renamed = renamedSymlink(path, options.fs);
  if (renamed && before230(options.keepalivedVersion)) {
    return {
      fate: {
        kind: 'always-fails',
        rule: 'script-symlink-renamed',
        why: `${renamed.link} is a symlink to ${renamed.target}${options.thisHost ? '' : ' on this machine'}; keepalived before 2.3.0 runs the target under its own name (${basename(renamed.target)}), so a program that behaves according to the name it is called by does something else and the check always fails. Use a script file, or keepalived 2.3.0 or later`,
      },
      path,
    };
  }
  return { fate: { kind: 'runs' }, path };
}

/** With --this-host: what this machine's files make keepalived do at start-up. */
function localFate(
  script: ScriptUse,
  e: EffectiveUser,
  path: PathVerdict,
  options: FateOptions,
): Fate | undefined {
  if (!path.path) {
    if (!path.missing) return undefined; // relative path: nothing reliable to check
    return {
      kind: 'disabled',
      rule: 'script-not-found',
      why: `'${script.program}' does not exist on this machine${script.program.includes('/') ? '' : ' or in its PATH'}, so keepalived disables it ("not found/accessible")`,
    };
  }
  if (path.missing)
    return {
      kind: 'disabled',
      rule: 'script-not-found',
      why: `${path.path} does not exist on this machine, so keepalived disables it ("not found/accessible")`,
    };
  const real = options.fs.realpath(path.path) ?? path.path;
  const entry = options.fs.stat(real);
  const account = e.exists === 'yes' ? options.host.account(e.user) : undefined;
  const uid = e.source === 'fallback-root' ? 0 : account?.uid;
  const gid =
    e.group !== undefined ? options.host.groupId(e.group) : e.source === 'fallback-root' ? 0 : account?.gid;
  if (entry.kind === 'file' && uid !== undefined && gid !== undefined && !isExecutable(entry, uid, gid)) {
    return {
      kind: 'disabled',
      rule: 'script-not-executable',
      why: `${path.path} is not executable for ${e.user} (uid ${uid}, gid ${gid}; mode ${(entry.mode & 0o7777).toString(8)}), so keepalived logs "not executable for uid:gid ${uid}:${gid} - disabling"`,
    };
  }
  const head = entry.kind === 'file' ? options.fs.readHead(real, 4) : undefined;
  if (head && head.length > 0 && !isExecutableFormat(head)) {
    return {
      kind: 'always-fails',
      rule: 'script-no-shebang',
      why: `${path.path} starts with neither '#!' nor an ELF header, so the kernel refuses to execute it (ENOEXEC). keepalived built without libmagic (as Debian's 2.2.7 is) does not notice; its child logs "Error exec-ing command" and exits 0, so the check passes every time and the VIP never moves when the service fails. Add a '#!/bin/sh' line`,
    };
  }
  return undefined;
}

/** keepalived's is_executable() (notify.c): owner bits for the owner, else group bits, else other bits. */
function isExecutable(entry: { mode: number; uid: number; gid: number }, uid: number, gid: number): boolean {
  if (uid === 0) return (entry.mode & (S_IXUSR | S_IXGRP | S_IXOTH)) !== 0;
  if (uid === entry.uid) return (entry.mode & S_IXUSR) !== 0;
  if (gid === entry.gid) return (entry.mode & S_IXGRP) !== 0;
  return (entry.mode & S_IXOTH) !== 0;
}

function isExecutableFormat(head: Uint8Array): boolean {
  if (head[0] === 0x23 && head[1] === 0x21) return true; // #!
  return head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46; // ELF
}

/**
 * A symlink whose target has another file name, where keepalived 2.2 would not find the same file under
 * the link's name beside the target (notify.c: it then replaces the command by the target's path).
 */
function renamedSymlink(path: PathVerdict, fs: FileSystem): { link: string; target: string } | undefined {
  if (!path.path || path.missing) return undefined;
  const real = fs.realpath(path.path);
  if (!real || real === path.path || basename(real) === basename(path.path)) return undefined;
  const sameName = join(dirname(real), basename(path.path));
  // The same file under the link's name beside the target: keepalived keeps the name.
  if (fs.stat(sameName).kind !== 'missing' && fs.realpath(sameName) === real) return undefined;
  return { link: path.path, target: real };
}

/** VRRP-process scripts: keepalived checks (and runs) them only when the configuration has a vrrp_instance. */
export function isVrrpScript(script: ScriptUse): boolean {
  const p = script.placed.spec?.path ?? '';
  return (
    /^(vrrp_script|vrrp_instance|vrrp_sync_group)\//.test(p) ||
    /^global_defs\/vrrp_notify_fifo_script$/.test(p)
  );
}

/** The fate of one script (for the hover), with its own path look-up. */
export function fateOfScript(script: ScriptUse, security: ScriptSecurity, options: FateOptions): ScriptFate {
  return fateOf(script, security, options, (program) =>
    checkScriptPath(program, options.fs, options.host, options.volatileDirs ?? VOLATILE_DIRS),
  );
}
