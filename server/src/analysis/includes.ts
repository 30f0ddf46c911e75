// Resolves `include` lines as keepalived does (lib/parser.c): glob(3) with csh braces, relative to the
// including file's folder, skipping entries that are directories, not regular files, or executable.
// All work is bounded: brace expansions, directory listings and matches are capped, and only metadata is
// read, so a runaway glob, a FIFO or /dev/zero is answered at once.
import braces from 'braces';
import picomatch from 'picomatch';
import { dirname, isAbsolute, join } from 'node:path';
import type { Statement } from '../syntax/ast';
import type { FileSystem } from './fs';

export type IncludeVariant = 'include' | 'includer' | 'includem' | 'includew' | 'includeb' | 'includea';

/** What each variant insists on (keepalived: r=readable, m=match, w=wildcard match, b=brace match, a=all). */
export const VARIANT_CHECKS: Record<
  IncludeVariant,
  { readable: boolean; match: boolean; wildcard: boolean; brace: boolean }
> = {
  include: { readable: false, match: false, wildcard: false, brace: false },
  includer: { readable: true, match: false, wildcard: false, brace: false },
  includem: { readable: false, match: true, wildcard: false, brace: false },
  includew: { readable: false, match: false, wildcard: true, brace: false },
  includeb: { readable: false, match: false, wildcard: false, brace: true },
  includea: { readable: true, match: true, wildcard: true, brace: true },
};

export const LIMITS = { braceExpansions: 256, dirReads: 512, matches: 1000 };

export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface IncludeResolution {
  statement: Statement;
  variant: IncludeVariant;
  pattern: string;
  /** Absolute pattern after resolving against the including file's folder. */
  absolute: string;
  files: string[];
  skipped: SkippedEntry[];
  /** Parts of the pattern (after brace expansion) that matched nothing. */
  unmatched: string[];
  hasWildcard: boolean;
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
  const absolute = isAbsolute(pattern) ? pattern : join(dirname(includingFile), pattern);
  const result: IncludeResolution = {
    statement,
    variant,
    pattern,
    absolute,
    files: [],
    skipped: [],
    unmatched: [],
    hasWildcard: WILDCARD.test(pattern),
    truncated: false,
  };
  if (!pattern) return result;

  let expanded: string[];
  try {
    expanded = braces(absolute, { expand: true, rangeLimit: LIMITS.braceExpansions });
  } catch {
    expanded = [absolute];
    result.truncated = true;
  }
  if (expanded.length > LIMITS.braceExpansions) {
    expanded = expanded.slice(0, LIMITS.braceExpansions);
    result.truncated = true;
  }
  const budget = { dirReads: LIMITS.dirReads };
  const seen = new Set<string>();
  for (const candidate of expanded) {
    const matches = globOne(candidate, fs, budget);
    if (budget.dirReads <= 0) result.truncated = true;
    if (matches.length === 0) result.unmatched.push(candidate);
    for (const path of matches) {
      if (seen.has(path)) continue;
      seen.add(path);
      const entry = fs.stat(path);
      if (entry.kind === 'missing') continue;
      if (entry.kind !== 'file') {
        result.skipped.push({ path, reason: entry.kind === 'dir' ? 'a directory' : 'not a regular file' });
      } else if ((entry.mode & 0o111) !== 0) {
        result.skipped.push({ path, reason: 'executable' });
      } else result.files.push(path);
      if (result.files.length >= LIMITS.matches) {
        result.truncated = true;
        return result;
      }
    }
  }
  return result;
}

/** glob(3) for one brace-free absolute pattern: segment by segment, `*` not matching a leading dot. */
function globOne(pattern: string, fs: FileSystem, budget: { dirReads: number }): string[] {
  if (!WILDCARD.test(pattern)) return fs.stat(pattern).kind === 'missing' ? [] : [pattern];
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let current = [segments[0] === '' ? '/' : segments[0]!];
  for (const segment of segments.slice(1)) {
    const next: string[] = [];
    if (!WILDCARD.test(segment)) {
      for (const dir of current) next.push(join(dir, segment));
    } else {
      const matcher = picomatch(segment, { dot: false, nobrace: true });
      for (const dir of current) {
        if (budget.dirReads-- <= 0) break;
        for (const name of fs.readDir(dir) ?? []) if (matcher(name)) next.push(join(dir, name));
      }
    }
    current = next.filter((p) => fs.stat(p).kind !== 'missing').slice(0, LIMITS.matches);
    if (current.length === 0) return [];
  }
  return current.sort();
}
