// The benchmark's pure helpers (scripts/bench/): percentiles, the thresholds' verdicts, and the rewrite of
// docs/performance.md that keeps the hand-written part. The benchmark itself is a script, not a test.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import * as statsModule from '../../../scripts/bench/stats.mjs';
// @ts-expect-error plain ES module without types
import * as reportModule from '../../../scripts/bench/report.mjs';

interface Threshold {
  id: string;
  description: string;
  value: string;
  minus?: string;
  op: '<' | '<=';
  limit?: number;
  limitOf?: string;
  factor?: number;
  plusOf?: string;
  unit: string;
}
interface Verdict {
  measured?: number;
  limit?: number;
  pass?: boolean;
}
const { percentile, summarize } = statsModule as {
  percentile: (samples: number[], p: number) => number;
  summarize: (samples: number[]) => { median: number; mean: number; min: number; p95: number; n: number };
};
const { verdict, verdictLine, writeDoc, BEGIN, END } = reportModule as {
  verdict: (t: Threshold, results: unknown) => Verdict;
  verdictLine: (v: Verdict) => string;
  writeDoc: (path: string, part: string, template: string) => void;
  BEGIN: string;
  END: string;
};

describe('percentile', () => {
  it('is the nearest rank: the smallest sample with at least p% at or below it', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 1, 3], 50)).toBe(3);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes a sample without reordering it', () => {
    const s = [3, 1, 2];
    expect(summarize(s)).toEqual({ median: 2, mean: 2, min: 1, p95: 3, n: 3 });
    expect(s).toEqual([3, 1, 2]);
    // The mean counts a rare slow sample (a run with a full collection in it) that the median hides.
    expect(summarize([1, 1, 7])).toMatchObject({ median: 1, mean: 3 });
  });
});

describe('threshold verdicts', () => {
  const results = {
    inProcess: { 10000: { total: 40 }, 100000: { total: 500 } },
    keepalived: { 10000: 50 },
    cli: { empty: 70, node: 60 },
    server: { edit: 175, debounce: 150 },
  };
  const t = (over: Partial<Threshold>): Threshold => ({
    id: 'x',
    description: 'd',
    value: 'inProcess.10000.total',
    op: '<',
    unit: 'ms',
    ...over,
  });

  it('compares with a measured limit, scaled by a factor', () => {
    expect(verdict(t({ limitOf: 'keepalived.10000' }), results)).toMatchObject({
      measured: 40,
      limit: 50,
      pass: true,
    });
    const linear = t({
      value: 'inProcess.100000.total',
      op: '<=',
      limitOf: 'inProcess.10000.total',
      factor: 11,
    });
    expect(verdict(linear, results)).toMatchObject({ measured: 500, limit: 440, pass: false });
  });

  it('subtracts a baseline and adds a measured allowance', () => {
    expect(verdict(t({ value: 'cli.empty', minus: 'cli.node', op: '<=', limit: 10 }), results)).toMatchObject(
      {
        measured: 10,
        pass: true,
      },
    );
    expect(verdict(t({ value: 'server.edit', limit: 30, plusOf: 'server.debounce' }), results)).toMatchObject(
      {
        limit: 180,
        pass: true,
      },
    );
    expect(verdict(t({ value: 'server.edit', limit: 20, plusOf: 'server.debounce' }), results).pass).toBe(
      false,
    );
  });

  it('says SKIP, not PASS or FAIL, when something it needs was not measured', () => {
    const v = verdict(t({ value: 'inProcess.100000.total', limitOf: 'keepalived.100000' }), results);
    expect(v.pass).toBeUndefined();
    expect(verdictLine(v)).toMatch(/^SKIP /);
    expect(verdictLine(verdict(t({ limit: 30 }), results))).toMatch(
      /^FAIL x: measured 40\.0 ms, needs < 30\.0 ms/,
    );
  });
});

describe('docs/performance.md', () => {
  it('replaces only the generated part between the markers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-doc-')), 'performance.md');
    writeFileSync(path, `# Title\n\nhand-written\n\n${BEGIN}\nold figures\n${END}\n\n## Gaps\n\nkept\n`);
    writeDoc(path, `${BEGIN}\nnew figures\n${END}`, '');
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(`# Title\n\nhand-written\n\n${BEGIN}\nnew figures\n${END}\n\n## Gaps\n\nkept\n`);
  });

  it('starts from the template when the file has no markers yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-doc-')), 'performance.md');
    writeDoc(path, `${BEGIN}\nfigures\n${END}`, '# Performance\n');
    expect(readFileSync(path, 'utf8')).toBe(`# Performance\n\n${BEGIN}\nfigures\n${END}\n`);
  });
});
