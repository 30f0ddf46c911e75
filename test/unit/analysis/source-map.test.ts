// The runs of an expanded line's source map give, character by character, what a table of one entry per
// character would: the file's own characters map one for one, a value's characters to the use they
// replaced, and copies keep both through several rounds of rewriting.
import { describe, expect, it } from 'vitest';
import { random } from '../../../scripts/random.mjs';
import { SourceMap } from '../../../server/src/analysis/source-map';

/** The plain model: one [start, end] per character. */
type Table = [number, number][];

function tableOf(map: SourceMap): Table {
  const out: Table = [];
  for (let i = 0; i < map.length; i++) out.push([map.startOf(i)!, map.endOf(i)!]);
  return out;
}

describe('SourceMap', () => {
  it('maps own characters one for one and a value to the span it replaced', () => {
    const map = new SourceMap();
    map.own(10, 3); // "abc" at 10..13
    map.fixed(20, 26, 4); // a value that replaced 20..26
    map.own(13, 2); // not adjacent to the first run in the text, so a run of its own
    expect(tableOf(map)).toEqual([
      [10, 11],
      [11, 12],
      [12, 13],
      [20, 26],
      [20, 26],
      [20, 26],
      [20, 26],
      [13, 14],
      [14, 15],
    ]);
    expect(map.startOf(-1)).toBeUndefined();
    expect(map.endOf(map.length)).toBeUndefined();
  });

  it('gives what a per-character table gives through random rounds of substitution', () => {
    const next = random(7);
    const int = (n: number) => Math.floor(next() * n);
    for (let round = 0; round < 300; round++) {
      let map = new SourceMap();
      let table: Table = [];
      // A line of words: own text, and words an earlier expansion made (mapped to their whole place).
      let at = 0;
      for (let w = 0; w < 1 + int(5); w++) {
        const length = 1 + int(6);
        if (next() < 0.5) {
          map.own(at, length);
          for (let i = 0; i < length; i++) table.push([at + i, at + i + 1]);
        } else {
          map.fixed(at, at + 2, length);
          for (let i = 0; i < length; i++) table.push([at, at + 2]);
        }
        at += length + int(3);
      }
      // Rounds: keep pieces of the old text, put values in between, as expandLine() does.
      for (let r = 0; r < 3; r++) {
        const out = new SourceMap();
        const outTable: Table = [];
        let last = 0;
        while (last < map.length) {
          const from = last + int(map.length - last + 1);
          const to = Math.min(map.length, from + int(4));
          out.copy(map, last, from);
          outTable.push(...table.slice(last, from));
          if (from < to) {
            const span: [number, number] = [map.startOf(from)!, map.endOf(to - 1)!];
            const length = int(5);
            out.fixed(span[0], span[1], length);
            for (let i = 0; i < length; i++) outTable.push([...span]);
          }
          last = Math.max(to, from + 1);
        }
        map = out;
        table = outTable;
        expect(tableOf(map)).toEqual(table);
      }
    }
  });
});
