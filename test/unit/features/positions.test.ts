// Mapping positions between a document's older and newest text through incremental edits, checked
// against the texts themselves on seeded random edits.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { mapBack, mapRangeForward, type RangeChange } from '../../../server/src/features/positions';

/** A small seeded generator (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['priority', ' ', '\n', '{', '}', 'vrrp_instance', 'x', '\n\n', 'state BACKUP\n', ''];

function randomEdits(seed: number) {
  const random = rng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const start = 'vrrp_instance VI_1 {\n    priority 100\n}\n';
  // TextDocument.update changes the document it is given: the original is a copy of its own.
  const original = TextDocument.create('file:///k.conf', 'keepalived', 1, start);
  let doc = TextDocument.create('file:///k.conf', 'keepalived', 1, start);
  const changes: RangeChange[] = [];
  for (let n = 0; n < 1 + Math.floor(random() * 5); n++) {
    const length = doc.getText().length;
    const a = Math.floor(random() * (length + 1));
    const b = Math.min(length, a + Math.floor(random() * 4));
    const change = { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: pick(WORDS) };
    changes.push(change);
    doc = TextDocument.update(doc, [change], doc.version + 1);
  }
  return { original, doc, changes };
}

describe('mapBack', () => {
  it('maps every position outside written text to the same character of the older text', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { original, doc, changes } = randomEdits(seed);
      const text = doc.getText();
      for (let offset = 0; offset < text.length; offset++) {
        const back = mapBack(doc.positionAt(offset), changes);
        if (!back) continue;
        const old = original.offsetAt(back);
        expect(original.getText()[old], `seed ${seed} offset ${offset}`).toBe(text[offset]);
      }
    }
  });

  it('maps nothing inside an insertion, and shifts what follows', () => {
    const changes = [
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, text: 'ab\ncd' },
    ];
    expect(mapBack({ line: 1, character: 5 }, changes)).toBeUndefined();
    expect(mapBack({ line: 2, character: 2 }, changes)).toEqual({ line: 1, character: 4 });
    expect(mapBack({ line: 3, character: 1 }, changes)).toEqual({ line: 2, character: 1 });
    expect(mapBack({ line: 0, character: 9 }, changes)).toEqual({ line: 0, character: 9 });
  });
});

describe('mapRangeForward', () => {
  it('maps ranges no edit touched onto the same text, and refuses the others', () => {
    let mapped = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { original, doc, changes } = randomEdits(seed);
      const old = original.getText();
      for (let a = 0; a < old.length; a += 3) {
        const b = Math.min(old.length, a + 1 + (seed % 7));
        const range = { start: original.positionAt(a), end: original.positionAt(b) };
        const forward = mapRangeForward(range, changes);
        if (!forward) continue;
        mapped++;
        const now = doc.getText().slice(doc.offsetAt(forward.start), doc.offsetAt(forward.end));
        expect(now, `seed ${seed} range ${a}-${b}`).toBe(old.slice(a, b));
      }
    }
    expect(mapped).toBeGreaterThan(1000);
  });
});
