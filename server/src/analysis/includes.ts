// Resolves `include` lines as keepalived 2.2.7 does (lib/parser.c): glob(3) with GLOB_BRACE | GLOB_MARK |
// GLOB_ALTDIRFUNC, relative to the including file's folder, then skipping entries that are directories, not
// regular files, or executable. keepalived counts every lstat() and opendir() failure glob makes
// (gl_lstat/gl_opendir) and decides from those counts which message it logs; this module replays glibc's
// glob closely enough to give the same counts and matches.
// All work is bounded (analysis/budget.ts): the pattern's length, its brace expansions (counted before any
// is built), directory listings, matches and the glob work of the whole configuration are capped, names
// are matched in O(name x pattern) time without backtracking, and only metadata is read, so a runaway
// glob, a FIFO or /dev/zero is answered at once. A budget that is hit is named in `limit`.
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import type { Statement } from '../syntax/ast';
import type { IncludeKeyword } from '../syntax/include-keywords';
import { INCLUDE_VARIANTS, type IncludeStrictness } from '../schema/vocabulary';
import {
  append,
  globBudget,
  MAX_BRACE_EXPANSIONS,
  MAX_DIR_READS,
  MAX_INCLUDE_MATCHES,
  MAX_PATTERN_LENGTH,
  type BudgetName,
  type GlobBudget,
} from './budget';
import type { FileSystem } from './fs';

/** The include keyword of a line: which checks make its problems errors (schema/vocabulary.ts). */
export type IncludeVariant = IncludeKeyword;

/** The include_t bit that makes a report an error (lib/parser.c). */
export type IncludeCheck = keyof IncludeStrictness;

export function isStrict(variant: IncludeVariant, check: IncludeCheck): boolean {
  return (INCLUDE_VARIANTS[variant] ?? INCLUDE_VARIANTS.include)[check];
}

/** The budgets of one include line (see analysis/budget.ts). */
export const LIMITS = {
  braceExpansions: MAX_BRACE_EXPANSIONS,
  dirReads: MAX_DIR_READS,
  matches: MAX_INCLUDE_MATCHES,
};

export interface SkippedEntry {
  path: string;
  reason: string;
  /** What keepalived logs (check_glob_file()); an error for the variants with R. */
  report: string;
}

/** A path glob's lstat() or opendir() failed on: keepalived counts it as a missing file or folder. */
export interface MissingPath {
  /** Absolute path that glob tried. */
  path: string;
  /** The first part of it that does not exist (or that is a file where a folder is needed). */
  first: string;
  /** `first` is a folder the pattern needed (opendir, or a directory part), not the file itself. */
  dir: boolean;
  /** `first` exists but is not a folder. */
  notDir: boolean;
}

/** What keepalived logs about the glob itself (open_and_check_glob()), and the bit that makes it an error. */
export interface GlobReport {
  check: Extract<IncludeCheck, 'match' | 'wildcard' | 'brace'>;
  /** keepalived's message, with the pattern as written. */
  message: string;
  /** Nothing matched ("Config files missing", "No config files matched") or only some did. */
  partial: boolean;
}

export interface IncludeResolution {
  statement: Statement;
  variant: IncludeVariant;
  pattern: string;
  /** Absolute pattern after resolving against the including file's folder. */
  absolute: string;
  files: string[];
  skipped: SkippedEntry[];
  /** Brace alternatives (absolute, after expansion) that matched nothing. */
  unmatched: string[];
  /** Every lstat()/opendir() failure glob had: missing files and folders, also in partial matches. */
  missing: MissingPath[];
  /** The pattern has a wildcard (`*`, `?`, `[`), so glob lists folders. */
  hasWildcard: boolean;
  /** The pattern has an unescaped `{` (keepalived's have_brace()). */
  hasBrace: boolean;
  /** keepalived's message about the glob, if it logs one. */
  report?: GlobReport;
  /** A limit was hit: the result is partial. */
  truncated: boolean;
  /** The budget that was hit, and what it left out; the configuration is then incomplete. */
  limit?: { budget: BudgetName; message: string };
}

const WILDCARD = /[*?[]/;

/**
 * An include line's files. A Jinja `{% include %}`/`{% import %}`/`{% from %}` (`templateInclude`) is
 * looked up as the template engine would: next to the template, then in the nearest folder above it named
 * `templates` (the search path of an Ansible role or playbook, where `{% include "vrrp.j2" %}` means
 * `templates/vrrp.j2`). Not found in either: the first answer, with what it lacked.
 */
export function resolveAnyInclude(
  statement: Statement,
  includingFile: string,
  fs: FileSystem,
  budget: GlobBudget = globBudget(),
  pattern = writtenPattern(statement),
): IncludeResolution {
  const first = resolveInclude(statement, includingFile, fs, budget, pattern);
  if (!statement.templateInclude || first.files.length > 0 || isAbsolute(first.pattern)) return first;
  const own = dirname(includingFile);
  for (let dir = own; ; dir = dirname(dir)) {
    if (basename(dir) === 'templates') {
      if (dir === own) return first;
      const again = resolveInclude(statement, join(dir, basename(includingFile)), fs, budget, pattern);
      return again.files.length > 0 ? again : first;
    }
    if (dirname(dir) === dir) return first;
  }
}

/** An include line's pattern as written: its words joined by one blank. */
export function writtenPattern(statement: Statement): string {
  return statement.args.map((a) => a.value).join(' ');
}

/**
 * `pattern`: the words after the include keyword once keepalived has replaced their parameters (read_line()
 * substitutes them before check_include() sees the line); as written when not given.
 */
export function resolveInclude(
  statement: Statement,
  includingFile: string,
  fs: FileSystem,
  budget: GlobBudget = globBudget(),
  pattern = writtenPattern(statement),
): IncludeResolution {
  const variant = statement.keyword.value as IncludeVariant;
  const base = dirname(includingFile);
  // `..` as in a relative include (join() normalises those): `${_PWD}/../common.conf`.
  const absolute = isAbsolute(pattern) ? normalize(pattern) : join(base, pattern);
  const result: IncludeResolution = {
    statement,
    variant,
    pattern,
    absolute,
    files: [],
    skipped: [],
    unmatched: [],
    missing: [],
    hasWildcard: WILDCARD.test(pattern),
    hasBrace: hasBrace(pattern),
    truncated: false,
  };
  if (!pattern) return result;
  const stop = (name: BudgetName, message: string): IncludeResolution => {
    result.truncated = true;
    result.limit = { budget: name, message };
    return result;
  };
  if (pattern.length > MAX_PATTERN_LENGTH)
    return stop(
      'MAX_PATTERN_LENGTH',
      `The pattern is ${pattern.length} characters long, over the ${MAX_PATTERN_LENGTH} a path can have (MAX_PATTERN_LENGTH): the linter does not resolve it`,
    );
  const count = countBraceExpansions(pattern, LIMITS.braceExpansions);
  if (count > LIMITS.braceExpansions)
    return stop(
      'MAX_BRACE_EXPANSIONS',
      `Its braces expand to more than ${LIMITS.braceExpansions} patterns (MAX_BRACE_EXPANSIONS): the linter does not resolve it`,
    );

  const alternatives = expandBraces(pattern);
  const state: GlobState = {
    fs,
    base,
    missing: result.missing,
    openedDir: false,
    dirReads: LIMITS.dirReads,
    budget,
    cut: undefined,
  };
  const matches: Match[] = [];
  for (const alternative of alternatives) {
    const found = globOne(alternative, state);
    if (found.length === 0 && !state.cut)
      result.unmatched.push(isAbsolute(alternative) ? alternative : join(base, alternative));
    append(matches, found);
    if (matches.length > LIMITS.matches) {
      matches.length = LIMITS.matches;
      state.cut ??= 'MAX_INCLUDE_MATCHES';
    }
    if (state.cut) break;
  }
  if (state.cut) {
    const why: Record<string, string> = {
      MAX_INCLUDE_MATCHES: `It matches more than ${LIMITS.matches} entries (MAX_INCLUDE_MATCHES): only the first ${LIMITS.matches} were analysed`,
      MAX_DIR_READS: `It lists more than ${LIMITS.dirReads} folders (MAX_DIR_READS): only what the first ones hold was analysed`,
      MAX_GLOB_WORK: `The configuration's glob matching budget is spent (MAX_GLOB_WORK): this include was only partly resolved`,
    };
    stop(state.cut, why[state.cut]!);
    // What was not resolved is unknown, so no "missing" verdicts from a partial glob.
    result.missing.length = 0;
    result.unmatched.length = 0;
  }

  // open_and_check_glob(): which message, and which include_t bit turns it into an error.
  if (result.limit) {
    // Cut short: what keepalived would log about the glob is not known.
  } else if (matches.length === 0) {
    if (result.missing.length > 0)
      result.report = {
        check: result.hasBrace ? 'brace' : 'match',
        message: `Config files missing '${pattern}'.`,
        partial: false,
      };
    else if (state.openedDir)
      result.report = { check: 'wildcard', message: `No config files matched '${pattern}'.`, partial: false };
  } else if (result.missing.length > 0) {
    result.report = { check: 'brace', message: `Some config files missing: "${pattern}".`, partial: true };
  }
  // With B, keepalived frees the whole glob after "Some config files missing": none of the files is read.
  if (result.report?.partial && isStrict(variant, 'brace')) return result;

  const seen = new Set<string>();
  for (const m of matches) {
    if (seen.has(m.abs)) continue;
    seen.add(m.abs);
    // check_glob_file(): GLOB_MARK's trailing '/' first, then stat() (following symlinks).
    const entry = fs.stat(m.abs);
    const shown = entry.kind === 'dir' && !m.written.endsWith('/') ? `${m.written}/` : m.written;
    if (entry.kind === 'dir') {
      result.skipped.push({
        path: m.abs,
        reason: 'a directory',
        report: `Configuration file '${shown}' is a directory - skipping`,
      });
    } else if (entry.kind !== 'file' || (entry.mode & 0o111) !== 0) {
      const reason =
        entry.kind === 'missing'
          ? 'a broken symbolic link'
          : entry.kind !== 'file'
            ? 'not a regular file'
            : 'executable';
      result.skipped.push({
        path: m.abs,
        reason,
        report: `Configuration file '${shown}' is not a regular non-executable file - skipping`,
      });
    } else result.files.push(m.abs);
  }
  return result;
}

/** keepalived's have_brace(): an unescaped `{` anywhere. */
function hasBrace(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '{') return true;
  }
  return false;
}

/**
 * glibc's GLOB_BRACE: the first unescaped `{` with its `,`-separated alternatives (nested braces kept
 * together), each alternative expanded again in turn; no `{1..3}` ranges. A `{` without its `}` makes the
 * whole pattern literal. That is a product of sums: the pattern is a sequence of text and groups, a group
 * a choice between sequences, and the expansions are every choice, the first group varying slowest. The
 * pattern is parsed once (no recursion), counted (countBraceExpansions), and then at most `max` expansions
 * are built, each in time linear in the pattern.
 */
export function expandBraces(pattern: string, max = LIMITS.braceExpansions): string[] {
  const tree = parseBraces(pattern, max);
  const total = tree.counts[0]!;
  if (total > max) return firstExpansions(pattern, max);
  const out: string[] = [];
  for (let k = 0; k < total; k++) out.push(buildExpansion(tree, k));
  return out;
}

/** The first `max` expansions the way glibc makes them, for a pattern that has more (never resolved). */
function firstExpansions(pattern: string, max: number): string[] {
  const out: string[] = [];
  const stack = [pattern];
  while (stack.length > 0 && out.length < max) {
    const p = stack.pop()!;
    let begin = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '\\' && i + 1 < p.length) i++;
      else if (p[i] === '{') {
        begin = i;
        break;
      }
    }
    const ends: number[] = [];
    let at = begin < 0 ? undefined : nextBraceSub(p, begin + 1);
    while (at !== undefined) {
      ends.push(at);
      if (p[at] === '}') break;
      at = nextBraceSub(p, at + 1);
    }
    if (at === undefined) {
      out.push(p);
      continue;
    }
    const prefix = p.slice(0, begin);
    const rest = p.slice(at + 1);
    const alternatives: string[] = [];
    let start = begin + 1;
    for (const end of ends) {
      alternatives.push(prefix + p.slice(start, end) + rest);
      start = end + 1;
    }
    for (let k = alternatives.length - 1; k >= 0; k--) stack.push(alternatives[k]!);
  }
  return out;
}

/** How many patterns `pattern` expands to, or `cap + 1` when more than `cap`: nothing is built. */
export function countBraceExpansions(pattern: string, cap = LIMITS.braceExpansions): number {
  return Math.min(parseBraces(pattern, cap).counts[0]!, cap + 1);
}

/**
 * A brace pattern as nodes: a sequence (node 0 is the whole pattern) lists text pieces and groups; a group
 * lists its alternatives, each a sequence. `counts` holds each node's number of expansions, saturated.
 */
interface BraceTree {
  text: string;
  kind: ('seq' | 'group')[];
  /** For a sequence: pieces, each a [start, end) text range or a group node; for a group: alternatives. */
  items: (number | [number, number])[][];
  counts: number[];
}

function parseBraces(p: string, cap = Number.MAX_SAFE_INTEGER): BraceTree {
  const tree: BraceTree = { text: p, kind: ['seq'], items: [[]], counts: [1] };
  const node = (kind: 'seq' | 'group'): number => {
    tree.kind.push(kind);
    tree.items.push([]);
    tree.counts.push(kind === 'seq' ? 1 : 0);
    return tree.kind.length - 1;
  };
  const limit = cap + 1;
  // Open groups, innermost last, each with the sequence of the alternative being read.
  const open: { group: number; seq: number }[] = [];
  let seq = 0;
  let textStart = 0;
  const flush = (end: number): void => {
    if (end > textStart) tree.items[seq]!.push([textStart, end]);
  };
  const closeAlternative = (): void => {
    const top = open[open.length - 1]!;
    tree.counts[top.group] = Math.min(tree.counts[top.group]! + tree.counts[top.seq]!, limit);
  };
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      // Outside a group glob skips the escaped character; inside one, a `\` at the very end makes the
      // group invalid, which the validity scan below has already ruled out.
      i++;
      continue;
    }
    if (c === '{') {
      if (open.length === 0 && !closes(p, i + 1)) break; // "an invalid expression": the rest is literal
      flush(i);
      const group = node('group');
      tree.items[seq]!.push(group);
      const alt = node('seq');
      tree.items[group]!.push(alt);
      open.push({ group, seq: alt });
      seq = alt;
      textStart = i + 1;
    } else if (open.length > 0 && (c === ',' || c === '}')) {
      flush(i);
      closeAlternative();
      const top = open[open.length - 1]!;
      if (c === ',') {
        const alt = node('seq');
        tree.items[top.group]!.push(alt);
        top.seq = alt;
        seq = alt;
      } else {
        open.pop();
        seq = open.length > 0 ? open[open.length - 1]!.seq : 0;
        tree.counts[seq] = Math.min(tree.counts[seq]! * tree.counts[top.group]!, limit);
      }
      textStart = i + 1;
    }
  }
  flush(p.length);
  return tree;
}

/** glibc: the group opened before `from` has its closing `}` (next_brace_sub() reaches one at depth 0). */
function closes(p: string, from: number): boolean {
  let depth = 0;
  for (let i = from; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (++i >= p.length) return false;
    } else if (c === '}') {
      if (depth === 0) return true;
      depth--;
    } else if (c === '{') depth++;
  }
  return false;
}

/** Expansion number `k` of the tree: mixed-radix digits, the first group the most significant. */
function buildExpansion(tree: BraceTree, k: number): string {
  let out = '';
  // Sequences still to write, with the index of their expansion; a text range is written as it comes.
  const stack: { node: number; index: number; next: number; rest: number }[] = [
    { node: 0, index: k, next: 0, rest: tree.counts[0]! },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const items = tree.items[top.node]!;
    if (top.next >= items.length) {
      stack.pop();
      continue;
    }
    const item = items[top.next++]!;
    if (typeof item !== 'number') {
      out += tree.text.slice(item[0], item[1]);
      continue;
    }
    // A group: its share of the sequence's index, then the alternative that index falls in.
    const count = tree.counts[item]!;
    top.rest = Math.max(1, Math.floor(top.rest / count));
    let index = Math.floor(top.index / top.rest);
    top.index %= top.rest;
    for (const alt of tree.items[item]! as number[]) {
      const n = tree.counts[alt]!;
      if (index < n) {
        stack.push({ node: alt, index, next: 0, rest: n });
        break;
      }
      index -= n;
    }
  }
  return out;
}

/** glibc next_brace_sub(): the index of the `,` or `}` ending the alternative starting at `from`. */
function nextBraceSub(p: string, from: number): number | undefined {
  let depth = 0;
  for (let i = from; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (++i >= p.length) return undefined;
    } else if (c === '}' && depth === 0) return i;
    else if (c === ',' && depth === 0) return i;
    else if (c === '}') depth--;
    else if (c === '{') depth++;
  }
  return undefined;
}

interface GlobState {
  fs: FileSystem;
  base: string;
  missing: MissingPath[];
  /** gl_opendir was called: keepalived's have_wildcards. */
  openedDir: boolean;
  dirReads: number;
  /** Glob work left for the configuration. */
  budget: GlobBudget;
  /** The budget that stopped the glob. */
  cut: 'MAX_INCLUDE_MATCHES' | 'MAX_DIR_READS' | 'MAX_GLOB_WORK' | undefined;
}

interface Match {
  /** As glob returns it: the pattern's own text, relative when the pattern is. */
  written: string;
  abs: string;
}

/**
 * glibc glob(3) for one brace-free pattern. The folders before the first wildcard part are taken as they
 * are; from there every part is looked up in each folder found so far: a part without wildcards with
 * lstat() (a failure counts as a missing file), a part with wildcards by listing the folder (a failure
 * counts as a missing folder; only the last part may match non-folders). `*`, `?` and `[` never match a
 * leading dot.
 */
function globOne(pattern: string, state: GlobState): Match[] {
  const { fs } = state;
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((s) => s !== '');
  if (parts.length === 0) return absolute ? [{ written: '/', abs: '/' }] : [];
  const toAbs = (written: string) => (isAbsolute(written) ? normalize(written) : join(state.base, written));
  const joinWritten = (dir: string, name: string) =>
    dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`;

  // The folder part before the first wildcard is used as written (backslashes removed).
  let firstWild = parts.findIndex((p, i) => i < parts.length - 1 && WILDCARD.test(p));
  if (firstWild < 0) firstWild = parts.length - 1;
  const lead = parts.slice(0, firstWild).map(unescapeGlob).join('/');
  let current: string[] = [absolute ? `/${lead}` : lead];

  for (let i = firstWild; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const next: string[] = [];
    if (!/[*?[\\]/.test(part)) {
      for (const dir of current) {
        const path = joinWritten(dir, part);
        if (fs.lstat(toAbs(path)).kind === 'missing') state.missing.push(missingPath(fs, toAbs(path), !last));
        else next.push(path);
      }
    } else {
      const matcher = fnmatch(part);
      state.openedDir = true;
      // Each name tested costs at most the part's length in steps (see fnmatch).
      const cost = part.length + 1;
      for (const dir of current) {
        if (state.dirReads-- <= 0) {
          state.cut ??= 'MAX_DIR_READS';
          break;
        }
        const folder = toAbs(dir === '' ? '.' : dir);
        const names = fs.stat(folder).kind === 'dir' ? fs.readDir(folder) : undefined;
        if (!names) {
          state.missing.push(missingPath(fs, folder, true));
          continue;
        }
        const all = part.startsWith('.') ? append(['.', '..'], names) : names;
        for (const name of all) {
          if ((state.budget.work -= cost) < 0) {
            state.cut ??= 'MAX_GLOB_WORK';
            break;
          }
          if (!matcher(name)) continue;
          const path = joinWritten(dir, name);
          // GLOB_ONLYDIR for folder parts: anything that is not a folder (or a symlink to one) is left out.
          if (!last && fs.stat(toAbs(path)).kind !== 'dir') continue;
          next.push(path);
          if (next.length > LIMITS.matches) break;
        }
        if (next.length > LIMITS.matches || state.cut) break;
      }
    }
    if (next.length > LIMITS.matches) {
      next.length = LIMITS.matches;
      state.cut ??= 'MAX_INCLUDE_MATCHES';
    }
    current = next;
    if (current.length === 0) return [];
  }
  // A trailing '/' globs the path before it (GLOB_MARK then marks folders, see check_glob_file()).
  return current.sort().map((written) => ({ written, abs: toAbs(written) }));
}

/** Which part of `path` is missing (or is a file where a folder is needed). */
function missingPath(fs: FileSystem, path: string, dir: boolean): MissingPath {
  const parts = path.split('/').filter(Boolean);
  let at = path.startsWith('/') ? '/' : '.';
  for (let k = 0; k < parts.length; k++) {
    at = join(at, parts[k]!);
    const last = k === parts.length - 1;
    if (fs.lstat(at).kind === 'missing') return { path, first: at, dir: dir || !last, notDir: false };
    if (!last && fs.stat(at).kind !== 'dir') return { path, first: at, dir: true, notDir: true };
  }
  return { path, first: path, dir, notDir: dir && fs.stat(path).kind !== 'dir' };
}

function unescapeGlob(part: string): string {
  return part.replace(/\\(.)/g, '$1');
}

/** The POSIX classes of a bracket expression, in the C locale keepalived runs in. */
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isUpper(c) || isLower(c) || isDigit(c);
const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: isAlnum,
  alpha: (c) => isUpper(c) || isLower(c),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c <= 0x1f || c === 0x7f,
  digit: isDigit,
  graph: (c) => c >= 0x21 && c <= 0x7e,
  lower: isLower,
  print: (c) => c >= 0x20 && c <= 0x7e,
  punct: (c) => c >= 0x21 && c <= 0x7e && !isAlnum(c),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: isUpper,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

/** One element of a compiled glob part: a star, or something that matches exactly one character. */
type GlobToken = { star: true } | { star: false; char?: string; any?: boolean; set?: (c: number) => boolean };

/**
 * fnmatch(3) with FNM_PERIOD for one path part: `*`, `?`, `[...]` (with `!`/`^` and classes), `\`.
 * No backtracking regular expression: the part is split at its stars into pieces of single-character
 * elements; the first piece must match the start of the name, the last its end, and every piece between
 * is found at its leftmost place after the previous one (leftmost is always right, as a star can take up
 * any slack). That is at most name length x part length steps, whatever the pattern.
 */
export function fnmatch(pattern: string): (name: string) => boolean {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (!tokens[tokens.length - 1]?.star) tokens.push({ star: true });
    } else if (c === '?') tokens.push({ star: false, any: true });
    else if (c === '\\' && i + 1 < pattern.length) tokens.push({ star: false, char: pattern[++i]! });
    else if (c === '[') {
      const parsed = bracket(pattern, i);
      if (parsed) {
        tokens.push({ star: false, set: parsed.test });
        i = parsed.end;
      } else tokens.push({ star: false, char: '[' });
    } else tokens.push({ star: false, char: c });
  }
  // Pieces between stars; `anchoredStart`/`anchoredEnd`: no star before the first / after the last.
  const pieces: Exclude<GlobToken, { star: true }>[][] = [[]];
  for (const t of tokens) {
    if (t.star) pieces.push([]);
    else pieces[pieces.length - 1]!.push(t);
  }
  const stars = pieces.length - 1;
  const leadingDot = pattern.startsWith('.') || pattern.startsWith('\\.');
  const one = (t: Exclude<GlobToken, { star: true }>, ch: string): boolean =>
    t.char !== undefined ? t.char === ch : t.any === true || t.set!(ch.charCodeAt(0));
  const at = (piece: Exclude<GlobToken, { star: true }>[], name: string, from: number): boolean => {
    for (let k = 0; k < piece.length; k++) if (!one(piece[k]!, name[from + k]!)) return false;
    return true;
  };
  return (name) => {
    if (name.startsWith('.') && !leadingDot) return false;
    const first = pieces[0]!;
    if (stars === 0) return name.length === first.length && at(first, name, 0);
    const lastPiece = pieces[stars]!;
    if (name.length < first.length + lastPiece.length) return false;
    if (!at(first, name, 0)) return false;
    const end = name.length - lastPiece.length;
    if (!at(lastPiece, name, end)) return false;
    let pos = first.length;
    for (let p = 1; p < stars; p++) {
      const piece = pieces[p]!;
      let found = -1;
      for (let j = pos; j + piece.length <= end; j++) {
        if (at(piece, name, j)) {
          found = j;
          break;
        }
      }
      if (found < 0) return false;
      pos = found + piece.length;
    }
    return true;
  };
}

/**
 * A bracket expression starting at `open`: its test and the index of its `]`, or undefined when it is not
 * closed (then `[` is an ordinary character). `!` or `^` first negates; `]` first is a member; `a-z` is a
 * range, one whose end is before its start matches nothing (glibc); `-` first, last, after a class or a
 * range, or before a class is a member; `\x` is `x`; `[:name:]` is a class.
 */
function bracket(pattern: string, open: number): { test: (c: number) => boolean; end: number } | undefined {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  const members: number[] = [];
  const ranges: [number, number][] = [];
  const classes: ((c: number) => boolean)[] = [];
  let items = 0;
  /** The last member, when it is a single character that may start a range. */
  let previous: number | undefined;
  let first = true;
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === ']' && !first) {
      const singles = new Set(members);
      const test = (ch: number) =>
        singles.has(ch) || ranges.some(([lo, hi]) => lo <= ch && ch <= hi) || classes.some((f) => f(ch));
      return { test: negate ? (ch) => !test(ch) : test, end: i };
    }
    first = false;
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const cls = close > 0 ? CLASSES[pattern.slice(i + 2, close)] : undefined;
      if (cls !== undefined) {
        classes.push(cls);
        items++;
        previous = undefined;
        i = close + 1;
        continue;
      }
    }
    const classNext = pattern[i + 1] === '[' && pattern[i + 2] === ':';
    if (
      c === '-' &&
      items > 0 &&
      pattern[i + 1] !== ']' &&
      previous !== undefined &&
      !classNext &&
      i + 1 < pattern.length
    ) {
      // A range from the previous character to the next one (which may be escaped).
      let hi: number;
      if (pattern[i + 1] === '\\' && i + 2 < pattern.length) {
        hi = pattern.charCodeAt(i + 2);
        i += 2;
      } else {
        hi = pattern.charCodeAt(i + 1);
        i += 1;
      }
      members.pop(); // the range's start is not a member of its own
      if (previous <= hi) ranges.push([previous, hi]);
      previous = undefined;
      continue;
    }
    const ch = c === '\\' && i + 1 < pattern.length ? pattern.charCodeAt(++i) : c.charCodeAt(0);
    members.push(ch);
    items++;
    previous = ch;
  }
  return undefined;
}
