// Lookups over the keyword table: what may appear in a block, where else a keyword lives, its docs.
import rawKeywords from './keywords.json';
import checkerDocs from './docs/checkers.json';
import globalDocs from './docs/global.json';
import lvsDocs from './docs/lvs.json';
import vrrpDocs from './docs/vrrp.json';
import type { KeywordDoc, KeywordSpec } from './types';

export * from './types';

const docs: Record<string, KeywordDoc> = { ...globalDocs, ...vrrpDocs, ...lvsDocs, ...checkerDocs };

export const KEYWORDS: readonly KeywordSpec[] = (rawKeywords as KeywordSpec[]).map((k) => ({
  ...k,
  doc: docs[k.path],
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
