// Small pure helpers of the benchmark: percentiles and the summary of a sample (test/unit/bench).

/** The p-th percentile (0-100) by nearest rank: the smallest sample with at least p% of them at or below. */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(samples) {
  return percentile(samples, 50);
}

/** Median, mean, min, p95 and count of a sample. */
export function summarize(samples) {
  return {
    median: median(samples),
    mean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : NaN,
    min: samples.length ? Math.min(...samples) : NaN,
    p95: percentile(samples, 95),
    n: samples.length,
  };
}
