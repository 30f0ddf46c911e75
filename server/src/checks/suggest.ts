// Did-you-mean: the closest known names by edit distance (fastest-levenshtein), case-insensitive.
import { distance } from 'fastest-levenshtein';
import { MAX_SUGGESTION_WORK } from '../analysis/budget';

/** The edit distance within which a candidate is offered: it scales with the word's length. */
function reach(word: string): number {
  return Math.max(1, Math.min(4, Math.floor(word.length / 3)));
}

/**
 * The nearest candidates (ties only, up to `limit`) within a distance that scales with the word's length,
 * so a clear winner is offered alone. A candidate whose length differs by more than that distance cannot
 * be within it, so its distance is not computed.
 */
export function closestMatches(word: string, candidates: readonly string[], limit = 3): string[] {
  const lower = word.toLowerCase();
  const budget = reach(word);
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === word || Math.abs(c.length - word.length) > budget) continue;
    const d = distance(lower, c.toLowerCase());
    if (d <= budget) scored.push({ c, d });
  }
  // Ties in code-unit order: the same on every machine (localeCompare follows the locale and loads ICU's
  // collation data on its first call).
  scored.sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  const best = scored[0]?.d;
  return scored
    .filter((x) => x.d === best)
    .slice(0, limit)
    .map((x) => x.c);
}

/**
 * Did-you-mean for one pass of checks: each word is looked up once per candidate list, and the pass
 * compares at most MAX_SUGGESTION_WORK candidates in all. Past that, findings carry no suggestion: 150,000
 * unknown keywords, or 100,000 undefined names among 100,000 definitions, would otherwise cost a
 * comparison per pair. (Only the first MAX_FINDINGS_PER_RULE findings of a rule are listed anyway.)
 */
export class Suggester {
  private work = MAX_SUGGESTION_WORK;
  private readonly memo = new WeakMap<readonly string[], Map<string, string[]>>();

  /** `candidates` must be the same array for the same list (it keys the memo). */
  closest(word: string, candidates: readonly string[]): string[] {
    let byWord = this.memo.get(candidates);
    if (!byWord) this.memo.set(candidates, (byWord = new Map<string, string[]>()));
    const known = byWord.get(word);
    if (known) return known;
    if (this.work < candidates.length) return [];
    this.work -= candidates.length;
    const found = closestMatches(word, candidates);
    byWord.set(word, found);
    return found;
  }
}
