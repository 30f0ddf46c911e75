// Did-you-mean: the closest known names by edit distance (fastest-levenshtein), case-insensitive.
import { distance } from 'fastest-levenshtein';

/**
 * The nearest candidates (ties only, up to `limit`) within a distance that scales with the word's length,
 * so a clear winner is offered alone.
 */
export function closestMatches(word: string, candidates: readonly string[], limit = 3): string[] {
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.min(4, Math.floor(word.length / 3)));
  const scored = [...new Set(candidates)]
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= budget && x.c !== word)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  const best = scored[0]?.d;
  return scored
    .filter((x) => x.d === best)
    .slice(0, limit)
    .map((x) => x.c);
}
