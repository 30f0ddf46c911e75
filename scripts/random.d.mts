/** mulberry32 seeded generator (scripts/random.mjs): numbers in [0, 1), the same sequence for a seed. */
export function random(seed: number): () => number;
