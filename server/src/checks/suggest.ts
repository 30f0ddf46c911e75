// Did-you-mean: the closest known names by edit distance (fastest-levenshtein), case-insensitive.
import { distance } from 'fastest-levenshtein';

/** Up to `limit` candidates within a distance that scales with the word's length. */
export function closestMatches(word: string, candidates: readonly string[], limit = 3): string[] {
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.min(4, Math.floor(word.length / 3)));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= budget && x.c !== word)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, limit)
    .map((x) => x.c);
}
