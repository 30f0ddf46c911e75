// The file-system checks keepalived makes before it runs a script as root (notify.c: check_security),
// done here on metadata only: every component of the written path and of the symlink-resolved path must
// be owned by root, no directory may be writable by a non-root group or by everyone (unless sticky), and
// the script itself must not be writable by a non-root group or by everyone.
import { isAbsolute, join } from 'node:path';
import type { FileSystem } from './fs';
import type { HostInfo } from './host';

export const VOLATILE_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];

export interface PathVerdict {
  /** The absolute path checked (after a PATH search for bare names). */
  path?: string;
  /** Found through a PATH search. */
  viaSearch: boolean;
  /** Neither the path nor a PATH search finds it on this machine. */
  missing: boolean;
  /** The script lives under a world-writable temporary folder. */
  volatileDir?: string;
  /** What makes it replaceable by someone other than root, in plain words. */
  problems: string[];
}

const S_IWGRP = 0o020;
const S_IWOTH = 0o002;
const S_ISVTX = 0o1000;

export function checkScriptPath(
  program: string,
  fs: FileSystem,
  host: HostInfo,
  volatileDirs = VOLATILE_DIRS,
): PathVerdict {
  const verdict: PathVerdict = { viaSearch: false, missing: false, problems: [] };
  // `</path` is a test that the file can be opened; keepalived does not execute it.
  if (/^<\s*\//.test(program) || program === '') return verdict;
  let path = program;
  if (!program.includes('/')) {
    const found = host.searchPath.map((dir) => join(dir, program)).find((p) => fs.stat(p).kind === 'file');
    if (!found) {
      verdict.missing = true;
      return verdict;
    }
    path = found;
    verdict.viaSearch = true;
  } else if (!isAbsolute(program)) {
    return verdict; // relative to keepalived's working directory: nothing reliable to check
  }
  verdict.path = path;
  verdict.volatileDir = volatileDirs.find((dir) => path === dir || path.startsWith(dir + '/'));
  if (fs.stat(path).kind === 'missing') {
    verdict.missing = true;
    return verdict;
  }
  verdict.problems.push(...componentProblems(path, fs));
  const real = fs.realpath(path);
  if (real && real !== path) {
    for (const p of componentProblems(real, fs)) verdict.problems.push(`${p} (the symlink target)`);
    const realVolatile = volatileDirs.find((dir) => real.startsWith(dir + '/'));
    verdict.volatileDir ??= realVolatile;
  }
  return verdict;
}

function componentProblems(path: string, fs: FileSystem): string[] {
  const problems: string[] = [];
  const parts = path.split('/').filter(Boolean);
  let current = '';
  const components = ['/', ...parts.map((p) => (current += '/' + p))];
  components.forEach((component, index) => {
    const entry = fs.lstat(component);
    if (entry.kind === 'missing') return;
    const last = index === components.length - 1;
    if (entry.uid !== 0) problems.push(`${component} is owned by uid ${entry.uid}, not root`);
    if (entry.symlink) return; // a link's own mode bits mean nothing; its target is checked separately
    const sticky = (entry.mode & S_ISVTX) !== 0;
    const groupWritable = (entry.mode & S_IWGRP) !== 0 && entry.gid !== 0;
    const worldWritable = (entry.mode & S_IWOTH) !== 0;
    if (entry.kind === 'dir' && !last) {
      // keepalived accepts writable folders with the sticky bit (only owners can replace their files).
      if (groupWritable && !sticky) problems.push(`folder ${component} is writable by group ${entry.gid}`);
      if (worldWritable && (entry.mode & S_ISVTX) === 0)
        problems.push(`folder ${component} is writable by everyone`);
    } else if (last) {
      if (entry.kind !== 'file') problems.push(`${component} is not a regular file`);
      if (groupWritable) problems.push(`${component} is writable by group ${entry.gid}`);
      if (worldWritable) problems.push(`${component} is writable by everyone`);
    }
  });
  return problems;
}
