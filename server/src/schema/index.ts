// Lookups over the keyword table: what may appear in a block, where else a keyword lives, its docs.
import rawKeywords from './keywords.json';
import type { KeywordDoc, KeywordSpec } from './types';

export * from './types';

type DocTable = Readonly<Record<string, KeywordDoc>>;
let docTables: readonly DocTable[] | undefined;

/**
 * Each keyword's docs are in one of four tables (by path; test/unit/schema says no path is in two), read
 * when the first doc is asked for: hover and completion ask, a CLI run asks only for a finding that quotes
 * a keyword's syntax. Parsing them (236 KB of JSON) was a fifth of the bundle's top-level work at every
 * start of the CLI, and merging them into one object by spread another fifth (1.3 ms of 6, medians of 30
 * loads). require() inside a function is what esbuild bundles as a module evaluated at its first call.
 */
function docOf(path: string): KeywordDoc | undefined {
  /* eslint-disable @typescript-eslint/no-require-imports */
  docTables ??= [
    require('./docs/global.json') as DocTable,
    require('./docs/vrrp.json') as DocTable,
    require('./docs/lvs.json') as DocTable,
    require('./docs/checkers.json') as DocTable,
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
  for (const table of docTables) {
    const doc = table[path];
    if (doc) return doc;
  }
  return undefined;
}

export const KEYWORDS: readonly KeywordSpec[] = (rawKeywords as KeywordSpec[]).map((k) => ({
  ...k,
  get doc() {
    return docOf(k.path);
  },
}));

const byPath = new Map<string, KeywordSpec>();
const byParent = new Map<string, Map<string, KeywordSpec>>();
const byName = new Map<string, KeywordSpec[]>();
for (const k of KEYWORDS) {
  byPath.set(k.path, k);
  let children = byParent.get(k.parent);
  if (!children) byParent.set(k.parent, (children = new Map<string, KeywordSpec>()));
  children.set(k.name, k);
  const same = byName.get(k.name) ?? [];
  same.push(k);
  byName.set(k.name, same);
}

/** The keyword `name` directly inside the block at `parentPath` ('' = top level). */
export function lookupKeyword(parentPath: string, name: string): KeywordSpec | undefined {
  return byParent.get(parentPath)?.get(name);
}

export function keywordAt(path: string): KeywordSpec | undefined {
  return byPath.get(path);
}

/** Every keyword allowed directly in the block at `parentPath`. */
export function keywordsIn(parentPath: string): KeywordSpec[] {
  return [...(byParent.get(parentPath)?.values() ?? [])];
}

/** Every place a keyword name is known, whatever its block. */
export function keywordsNamed(name: string): readonly KeywordSpec[] {
  return byName.get(name) ?? [];
}

/** A readable name for a block path: `vrrp_instance`, `real_server (in virtual_server)`, `the top level`. */
export function describeBlock(path: string): string {
  if (path === '') return 'the top level';
  const parts = path.split('/');
  const last = parts[parts.length - 1]!;
  return parts.length === 1 ? `'${last}'` : `'${last}' (in ${parts.slice(0, -1).join(' > ')})`;
}
