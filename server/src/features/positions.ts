// Positions across edits: a position in a document's newest text mapped back into the text an older
// analysis read (and a range of that text forward into the newest), through the editor's incremental
// changes. A position inside text an edit replaced or inserted has no counterpart: undefined.
import type { Position, Range } from 'vscode-languageserver-types';

/** One content change as the client sent it: a range of the text before it, and its replacement. */
export interface RangeChange {
  range: Range;
  text: string;
}

/** Where `text` inserted at `start` ends. */
function endOf(start: Position, text: string): Position {
  let line = start.line;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return last === -1
    ? { line, character: start.character + text.length }
    : { line, character: text.length - last - 1 };
}

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/** `p` (at or after `from`) moved so that `from` lands on `to`. */
function shift(p: Position, from: Position, to: Position): Position {
  if (p.line === from.line)
    return { line: to.line, character: to.character + (p.character - from.character) };
  return { line: p.line + (to.line - from.line), character: p.character };
}

/**
 * A position of the text after `changes` (applied in order) in the text before them, or undefined when
 * it lies in text a change wrote.
 */
export function mapBack(position: Position, changes: readonly RangeChange[]): Position | undefined {
  let p = position;
  for (let i = changes.length - 1; i >= 0; i--) {
    const { range, text } = changes[i]!;
    if (before(p, range.start)) continue;
    const written = endOf(range.start, text);
    if (before(p, written)) return undefined;
    p = shift(p, written, range.end);
  }
  return p;
}

/**
 * One end of a range through one change. At a pure insertion point the start of a range moves with the
 * inserted text (it is before the range) and its end does not (it is after it).
 */
function through(p: Position, change: RangeChange, isStart: boolean): Position | undefined {
  const { range, text } = change;
  if (before(p, range.start)) return p;
  const insertion = !before(range.start, range.end);
  if (insertion && !before(range.start, p) && !isStart) return p;
  if (before(p, range.end)) return undefined;
  return shift(p, range.end, endOf(range.start, text));
}

/** A range of the older text in the newest, or undefined when an edit touched what it covers. */
export function mapRangeForward(range: Range, changes: readonly RangeChange[]): Range | undefined {
  let r = range;
  for (const change of changes) {
    const c = change.range;
    // A change overlapping the range, or inserting strictly inside it, changes what it covers.
    if (before(c.start, r.end) && before(r.start, c.end)) return undefined;
    if (before(r.start, c.start) && before(c.start, r.end)) return undefined;
    const start = through(r.start, change, true);
    const end = through(r.end, change, false);
    if (!start || !end) return undefined;
    r = { start, end };
  }
  return r;
}
