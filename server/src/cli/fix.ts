// `keepalived-lint --fix`: applies the fixes that are safe unattended, to the files named and nothing else,
// byte-exact outside the edits. Each real file is fixed once (symlinks and hard links resolved first); a file
// that changed since it was read, is read-only, or would gain an error from the fix is left alone and said
// so; writes go to a temporary file in the same folder, with the original mode and owner, renamed over the
// original, so a crash or a full disk never leaves a half-written config.
import {
  chownSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decodeConfig } from '../analysis/read';
import type { Workspace } from '../analysis/workspace';
import { lintFile, type Diagnostic, type LintOptions } from '../checks';
import { applyEdits, preferredEdits } from '../checks/fixes';

export interface FixReport {
  /** Messages for the user: what was fixed, what was not and why, what the nodes need first. */
  notes: string[];
  /** Files written. */
  written: string[];
}

/** Rounds of fixing: a fix can make another one possible (e.g. an account fix after a keyword fix). */
const MAX_ROUNDS = 3;

interface Target {
  /** The real path (symlinks resolved). */
  real: string;
  /** The bytes and their decoding as last read, to refuse a file that changed meanwhile. */
  bytes: Buffer;
  encoding: 'utf8' | 'latin1';
}

export function applyFixes(
  workspace: Workspace,
  named: string[],
  /** The same for every file, or each file's own (its project settings). */
  options: LintOptions | ((path: string) => LintOptions),
  shown: (path: string) => string,
  /** At most this many rounds (scripts/fix-parity.mjs checks the edits of each round on its own). */
  rounds = MAX_ROUNDS,
): FixReport {
  const optionsOf = typeof options === 'function' ? options : () => options;
  const report: FixReport = { notes: [], written: [] };
  const targets = new Map<string, Target>(); // by real path
  const byInode = new Map<string, string>();
  for (const path of named) {
    let real: string;
    let inode: string;
    try {
      real = realpathSync(path);
      const st = statSync(real);
      inode = `${st.dev}:${st.ino}`;
    } catch {
      continue; // unreadable: reported by the lint pass
    }
    // The same file named twice (again, through a symlink or a hard link) is fixed once.
    if (byInode.has(inode) || targets.has(real)) continue;
    byInode.set(inode, real);
    const bytes = readFileSync(real);
    const { text, encoding } = decodeConfig(bytes);
    targets.set(real, { real, bytes, encoding });
    workspace.setDocument(real, text);
  }
  const requirements = new Set<string>();
  const skipped = new Set<string>();
  // Every file of the named configurations, so changes that belong in an included file are seen (and
  // reported as not made) rather than silently missing.
  const lintAll = (): Diagnostic[] => {
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const real of targets.keys()) {
      for (const [path, file] of workspace.modelFor(real)?.files ?? []) {
        if (seen.has(path)) continue;
        seen.add(path);
        for (const d of lintFile(file, optionsOf(path))) out.push(d);
      }
    }
    return out;
  };
  const textOf = (path: string): string | undefined => workspace.analysis(path)?.text;

  for (let round = 0; round < Math.min(rounds, MAX_ROUNDS); round++) {
    const diagnostics = lintAll();
    const changes = preferredEdits(diagnostics, textOf);
    let wrote = false;
    for (const change of changes) {
      const target = targets.get(change.file);
      if (!target) {
        // An edit in a file that was not named (e.g. global_defs in an included file): never written.
        const note = `not fixed: ${change.edits.length} change${change.edits.length === 1 ? '' : 's'} belong in ${shown(change.file)}, which was not named; run --fix on it to apply them`;
        if (!skipped.has(note)) report.notes.push(note);
        skipped.add(note);
        continue;
      }
      const old = textOf(target.real);
      if (old === undefined) continue;
      const text = applyEdits(old, change.edits);
      if (text === old) continue;
      const refusal = refuse(target, diagnostics, text, workspace, optionsOf(target.real));
      if (refusal) {
        report.notes.push(`not fixed: ${shown(target.real)}: ${refusal}`);
        workspace.setDocument(target.real, old);
        targets.delete(target.real);
        continue;
      }
      const written = writeAtomically(target, text);
      if (written !== true) {
        report.notes.push(`not fixed: ${shown(target.real)}: ${written}`);
        workspace.setDocument(target.real, old);
        targets.delete(target.real);
        continue;
      }
      target.bytes = encode(text, target.encoding);
      report.written.push(target.real);
      report.notes.push(
        `fixed ${change.edits.length} problem${change.edits.length === 1 ? '' : 's'} in ${shown(target.real)}`,
      );
      wrote = true;
      for (const d of diagnostics) {
        const requires = d.fixes?.find((f) => f.preferred)?.requires;
        if (requires && change.edits.length) requirements.add(requires);
      }
    }
    if (!wrote) break;
  }
  // A fix that names an account only works where that account exists: say so, every time.
  for (const r of requirements) report.notes.push(`before deploying the fixed files, ${r}`);
  return report;
}

/** Why the fixed text must not be written, or undefined when it may. */
function refuse(
  target: Target,
  before: Diagnostic[],
  text: string,
  workspace: Workspace,
  options: LintOptions,
): string | undefined {
  let current: Buffer;
  let mode: number;
  try {
    current = readFileSync(target.real);
    mode = statSync(target.real).mode;
  } catch (e) {
    return `cannot be read again (${(e as Error).message})`;
  }
  if (!current.equals(target.bytes)) return 'it changed since it was read; run again';
  // No write permission bit at all: the owner meant it read-only, even for root, who could write it.
  if ((mode & 0o222) === 0) return 'it is read-only';
  // The fixed text must not add an error: check it once more before it reaches the disk.
  const errorsOf = (list: Diagnostic[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const d of list)
      if (d.severity === 'error' && d.file === target.real) m.set(d.rule, (m.get(d.rule) ?? 0) + 1);
    return m;
  };
  const was = errorsOf(before);
  workspace.setDocument(target.real, text);
  const file = workspace.analysis(target.real);
  const now = errorsOf(file ? lintFile(file, options) : []);
  for (const [rule, n] of now)
    if (n > (was.get(rule) ?? 0)) return `the fix would add a '${rule}' error, so it was not applied`;
  return undefined;
}

function encode(text: string, encoding: 'utf8' | 'latin1'): Buffer {
  return Buffer.from(text, encoding);
}

/** Temp file beside the original, same mode and owner, fsync, rename over it. */
function writeAtomically(target: Target, text: string): true | string {
  const dir = dirname(target.real);
  const temp = join(dir, `.${basename(target.real)}.keepalived-lint-${process.pid}`);
  let fd: number | undefined;
  try {
    const st = statSync(target.real);
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, st.mode & 0o7777);
    const bytes = encode(text, target.encoding);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    try {
      chownSync(temp, st.uid, st.gid);
    } catch {
      // Not root: the file keeps our ownership only if it already was ours, which rename preserves.
      if (st.uid !== process.getuid?.()) {
        unlinkSync(temp);
        return 'it belongs to another user; not rewritten';
      }
    }
    renameSync(temp, target.real);
    return true;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    return `could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
