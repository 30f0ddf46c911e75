// Holds the ranges the keyword docs state (server/src/schema/docs/*.json, shown by hover and completion) to
// the ranges the value checks accept (keywords.json `min`/`max`), so the two cannot drift apart again (hover
// once said 0-4294 for misc_timeout while the check took up to 4294967295).
import { describe, expect, it } from 'vitest';
import { KEYWORDS } from '../../../server/src/schema';

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;

interface Stated {
  min?: number;
  /** Whether the lower bound is exclusive ("greater than 0"). */
  above?: boolean;
  max?: number;
  /** Whether the upper bound is rounded ("about 4294.97"). */
  about?: boolean;
  /** "(0 becomes 1)": keepalived takes 0 and raises it, so a check may take 0 (or report it). */
  raisesZero?: boolean;
}

/** The bounds a documented range states, in the forms the docs use; undefined when it states none. */
export function statedRange(text: string): Stated | undefined {
  let m: RegExpExecArray | null;
  const out: Stated = {};
  if ((m = new RegExp(String.raw`(${NUMBER})\s*(?:-|to|\.\.)\s*(about\s+)?(${NUMBER})`).exec(text))) {
    out.min = Number(m[1]);
    out.max = Number(m[3]);
    out.about = !!m[2];
  } else if ((m = new RegExp(String.raw`^(?:\w+ )*?(${NUMBER}) or (${NUMBER})\b`).exec(text))) {
    out.min = Number(m[1]);
    out.max = Number(m[2]);
  } else if (
    (m = new RegExp(String.raw`greater than (${NUMBER})(?:.*?up to (about )?(${NUMBER}))?`).exec(text))
  ) {
    out.min = Number(m[1]);
    out.above = true;
    if (m[3] !== undefined) {
      out.max = Number(m[3]);
      out.about = !!m[2];
    }
  } else if ((m = new RegExp(String.raw`(${NUMBER}) to .*\(normally (${NUMBER})\)`).exec(text))) {
    // "-1 to the SCHED_RR maximum (normally 99)"
    out.min = Number(m[1]);
    out.max = Number(m[2]);
  } else if ((m = new RegExp(String.raw`(${NUMBER})(?: seconds)? (?:or more|upward)`).exec(text))) {
    out.min = Number(m[1]);
  } else return undefined;
  if (/\b0 (?:becomes|is treated as|is turned into) /.test(text)) out.raisesZero = true;
  return out;
}

const numeric = KEYWORDS.flatMap((k) =>
  (k.args.kind === 'int' || k.args.kind === 'timer') && k.doc?.range
    ? [{ path: k.path, min: k.args.min, max: k.args.max, range: k.doc.range }]
    : [],
);

describe('documented ranges', () => {
  it('reads the forms the docs use', () => {
    expect(statedRange('integer 0 to 4294 seconds (0 = use the default)')).toEqual({
      min: 0,
      max: 4294,
      about: false,
    });
    expect(statedRange('1 to 4294967295 (0 becomes 1)')).toEqual({
      min: 1,
      max: 4294967295,
      about: false,
      raisesZero: true,
    });
    expect(statedRange('greater than 0 up to about 4294.97 seconds')).toEqual({
      min: 0,
      above: true,
      max: 4294.97,
      about: true,
    });
    expect(statedRange('2 or 3')).toEqual({ min: 2, max: 3 });
    expect(statedRange('0 or more seconds, microsecond resolution')).toEqual({ min: 0 });
    expect(statedRange('any string')).toBeUndefined();
  });

  it('every numeric keyword with a documented range states one', () => {
    expect(numeric.length).toBeGreaterThan(50);
    expect(
      numeric.filter((k) => statedRange(k.range) === undefined).map((k) => `${k.path}: ${k.range}`),
    ).toEqual([]);
  });

  it('are the ranges the checks accept', () => {
    const drifted = numeric.flatMap((k) => {
      const stated = statedRange(k.range) ?? {};
      const minOk =
        stated.min === undefined ||
        (stated.raisesZero && k.min === 0) ||
        (stated.above ? k.min > stated.min && k.min <= stated.min + 0.001 : stated.min === k.min);
      const maxOk =
        stated.max === undefined ||
        (stated.about ? Math.abs(stated.max - k.max) <= k.max * 0.0001 : stated.max === k.max);
      return minOk && maxOk ? [] : [`${k.path}: checked ${k.min}..${k.max}, documented '${k.range}'`];
    });
    expect(drifted).toEqual([]);
  });
});
