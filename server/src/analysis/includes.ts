// Resolves `include` lines as keepalived 2.2.7 does (lib/parser.c): glob(3) with GLOB_BRACE | GLOB_MARK |
// GLOB_ALTDIRFUNC, relative to the including file's folder, then skipping entries that are directories, not
// regular files, or executable. keepalived counts every lstat() and opendir() failure glob makes
// (gl_lstat/gl_opendir) and decides from those counts which message it logs; this module replays glibc's
// glob closely enough to give the same counts and matches.
// All work is bounded: brace expansions, directory listings and matches are capped, and only metadata is
// read, so a runaway glob, a FIFO or /dev/zero is answered at once.
import { dirname, isAbsolute, join } from 'node:path';
import type { Statement } from '../syntax/ast';
import type { FileSystem } from './fs';

export type IncludeVariant = 'include' | 'includer' | 'includem' | 'includew' | 'includeb' | 'includea';

/**
 * What each variant makes an error (lib/parser.c check_include()): R = an entry is a directory, not a
 * regular non-executable file or unreadable; M = nothing matched and a named file or folder is missing;
 * W = a wildcard matched nothing; B = a brace alternative (or any part) is missing. Every variant but
 * plain `include` has R; `includem` is R|M, `includew` R|M|W, `includeb` R|B, `includea` R|M|W|B.
 * A check a variant lacks is only logged, and keepalived goes on (`keepalived -t` exits 0).
 */
export const VARIANT_CHECKS: Record<
  IncludeVariant,
  { readable: boolean; match: boolean; wildcard: boolean; brace: boolean }
> = {
  include: { readable: false, match: false, wildcard: false, brace: false },
  includer: { readable: true, match: false, wildcard: false, brace: false },
  includem: { readable: true, match: true, wildcard: false, brace: false },
  includew: { readable: true, match: true, wildcard: true, brace: false },
  includeb: { readable: true, match: false, wildcard: false, brace: true },
  includea: { readable: true, match: true, wildcard: true, brace: true },
};

/** The include_t bit that makes a report an error (lib/parser.c). */
export type IncludeCheck = 'readable' | 'match' | 'wildcard' | 'brace';

export function isStrict(variant: IncludeVariant, check: IncludeCheck): boolean {
  return (VARIANT_CHECKS[variant] ?? VARIANT_CHECKS.include)[check];
}

export const LIMITS = { braceExpansions: 256, dirReads: 512, matches: 1000 };

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
}

const WILDCARD = /[*?[]/;

export function resolveInclude(
  statement: Statement,
  includingFile: string,
  fs: FileSystem,
): IncludeResolution {
  const variant = statement.keyword.value as IncludeVariant;
  const pattern = statement.args.map((a) => a.value).join(' ');
  const base = dirname(includingFile);
  const absolute = isAbsolute(pattern) ? pattern : join(base, pattern);
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

  const alternatives = expandBraces(pattern);
  if (alternatives.length > LIMITS.braceExpansions) {
    alternatives.length = LIMITS.braceExpansions;
    result.truncated = true;
  }
  const state: GlobState = { fs, base, missing: result.missing, openedDir: false, dirReads: LIMITS.dirReads };
  const matches: Match[] = [];
  for (const alternative of alternatives) {
    const found = globOne(alternative, state);
    if (found.length === 0)
      result.unmatched.push(isAbsolute(alternative) ? alternative : join(base, alternative));
    matches.push(...found);
    if (matches.length >= LIMITS.matches) {
      result.truncated = true;
      break;
    }
  }
  if (state.dirReads <= 0) result.truncated = true;

  // open_and_check_glob(): which message, and which include_t bit turns it into an error.
  if (matches.length === 0) {
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
 * whole pattern literal. Bounded by LIMITS.braceExpansions.
 */
export function expandBraces(pattern: string): string[] {
  const out: string[] = [];
  const expand = (p: string): void => {
    if (out.length > LIMITS.braceExpansions) return;
    let begin = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '\\' && i + 1 < p.length) i++;
      else if (p[i] === '{') {
        begin = i;
        break;
      }
    }
    if (begin < 0) {
      out.push(p);
      return;
    }
    const ends: number[] = [];
    let at = nextBraceSub(p, begin + 1);
    while (at !== undefined) {
      ends.push(at);
      if (p[at] === '}') break;
      at = nextBraceSub(p, at + 1);
    }
    if (at === undefined) {
      out.push(p); // "an invalid expression": glob without GLOB_BRACE
      return;
    }
    const prefix = p.slice(0, begin);
    const rest = p.slice(at + 1);
    let start = begin + 1;
    for (const end of ends) {
      expand(prefix + p.slice(start, end) + rest);
      start = end + 1;
    }
  };
  expand(pattern);
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
  const toAbs = (written: string) => (isAbsolute(written) ? written : join(state.base, written));
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
      for (const dir of current) {
        if (state.dirReads-- <= 0) break;
        const folder = toAbs(dir === '' ? '.' : dir);
        const names = fs.stat(folder).kind === 'dir' ? fs.readDir(folder) : undefined;
        if (!names) {
          state.missing.push(missingPath(fs, folder, true));
          continue;
        }
        const found: string[] = [];
        for (const name of part.startsWith('.') ? ['.', '..', ...names] : names) {
          if (!matcher(name)) continue;
          const path = joinWritten(dir, name);
          // GLOB_ONLYDIR for folder parts: anything that is not a folder (or a symlink to one) is left out.
          if (!last && fs.stat(toAbs(path)).kind !== 'dir') continue;
          found.push(path);
        }
        next.push(...found);
      }
    }
    current = next.slice(0, LIMITS.matches);
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

const CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

/** fnmatch(3) with FNM_PERIOD for one path part: `*`, `?`, `[...]` (with `!`/`^` and classes), `\`. */
export function fnmatch(pattern: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '[') {
      const parsed = bracket(pattern, i);
      if (parsed) {
        re += parsed.re;
        i = parsed.end;
      } else re += '\\[';
    } else re += escapeRe(c);
  }
  const regex = new RegExp(`^${re}$`, 's');
  const leadingDot = pattern.startsWith('.') || pattern.startsWith('\\.');
  return (name) => (name.startsWith('.') && !leadingDot ? false : regex.test(name));
}

function bracket(pattern: string, open: number): { re: string; end: number } | undefined {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === ']' && !first) return { re: `[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const cls = close > 0 ? CLASSES[pattern.slice(i + 2, close)] : undefined;
      if (cls !== undefined) {
        body += cls;
        i = close + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < pattern.length) body += escapeRe(pattern[++i]!);
    else if (c === '-' && body !== '' && pattern[i + 1] !== ']') body += '-';
    else body += escapeRe(c);
  }
  return undefined;
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}
