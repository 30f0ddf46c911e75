// Where each character of an expanded line (analysis/expand-lines.ts) comes from in the file. A line is
// rewritten several times (one substitution round after another), so the map is kept as runs of
// characters rather than one entry per character: a round copies a few runs instead of every character.
// A run is either the file's own text, one character for one (`own`), or text that came from elsewhere (a
// parameter's value, an inserted mark), every character of which maps to one source span.

interface Run {
  /** Offset in the expanded text where the run starts. */
  at: number;
  length: number;
  /** Own: source offset of the run's first character. Otherwise: start of the span every character maps to. */
  start: number;
  /** Otherwise only: end of that span. */
  end: number;
  own: boolean;
}

export class SourceMap {
  private readonly runs: Run[] = [];
  /** Characters mapped so far. */
  length = 0;

  /** Appends `length` characters that are the file's own, from source offset `start` on. */
  own(start: number, length: number): void {
    if (length <= 0) return;
    const last = this.runs[this.runs.length - 1];
    if (last?.own && last.start + last.length === start) last.length += length;
    else this.runs.push({ at: this.length, length, start, end: start + length, own: true });
    this.length += length;
  }

  /** Appends `length` characters that each map to the source span [start, end). */
  fixed(start: number, end: number, length: number): void {
    if (length <= 0) return;
    const last = this.runs[this.runs.length - 1];
    if (last && !last.own && last.start === start && last.end === end) last.length += length;
    else this.runs.push({ at: this.length, length, start, end, own: false });
    this.length += length;
  }

  /** Appends the characters [from, to) of `other`, mapped as they are there. */
  copy(other: SourceMap, from: number, to: number): void {
    if (from >= to) return;
    for (let r = other.find(from); r < other.runs.length; r++) {
      const run = other.runs[r]!;
      if (run.at >= to) break;
      const lo = Math.max(from, run.at);
      const hi = Math.min(to, run.at + run.length);
      if (run.own) this.own(run.start + (lo - run.at), hi - lo);
      else this.fixed(run.start, run.end, hi - lo);
    }
  }

  /** The source offset where character `i` starts (undefined outside the text, like an array). */
  startOf(i: number): number | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const run = this.runs[this.find(i)]!;
    return run.own ? run.start + (i - run.at) : run.start;
  }

  /** The source offset where character `i` ends. */
  endOf(i: number): number | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const run = this.runs[this.find(i)]!;
    return run.own ? run.start + (i - run.at) + 1 : run.end;
  }

  /** The index of the run holding character `i` (binary search: runs are in text order). */
  private find(i: number): number {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runs[mid]!.at <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
