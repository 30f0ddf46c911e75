// Formatting: re-indent by block depth, one space between words, no trailing blanks, at most two blank
// lines in a row (the blanks before a trailing comment are kept, as they often align comments). It works line by line on the lexer's tokens and only ever rewrites the blanks between
// them, so no token can change: quoted strings, comments, `~SEQ(...)` prefixes and `$NAME=` values are
// single tokens and are copied as they are. Continuation lines of a multi-line definition are part of
// their definition's token and are never touched. Line breaks are never rewritten (CRLF stays CRLF).
import { TextEdit, type Position, type Range } from 'vscode-languageserver-types';
import { allBlocks, type SyntaxTree } from '../syntax/ast';
import { Newline, ParamDefinition, scan } from '../syntax/lexer';
import { parse } from '../syntax/parser';
import { LineIndex } from '../syntax/position';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
}

/** Indentation widths formatting accepts; a client's `tabSize` outside them is clamped (2e8 would never end). */
export const MIN_TAB_SIZE = 1;
export const MAX_TAB_SIZE = 32;
const DEFAULT_TAB_SIZE = 4;

/**
 * Options from an untrusted client: `tabSize` a whole number in MIN_TAB_SIZE..MAX_TAB_SIZE (anything that
 * is not a finite number gives the default, 4), `insertSpaces` a boolean (default true).
 */
export function formatOptions(raw: unknown): FormatOptions {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof FormatOptions, unknown>>;
  const size =
    typeof r.tabSize === 'number' && Number.isFinite(r.tabSize) ? Math.floor(r.tabSize) : DEFAULT_TAB_SIZE;
  return {
    tabSize: Math.min(MAX_TAB_SIZE, Math.max(MIN_TAB_SIZE, size)),
    insertSpaces: typeof r.insertSpaces === 'boolean' ? r.insertSpaces : true,
  };
}

/** What formatting does to one line. */
type LinePlan =
  /** Leave the line exactly as it is (continuation lines of a multi-line definition). */
  | { kind: 'verbatim' }
  /** A line with nothing but blanks; `depth` is where a cursor on it belongs. */
  | { kind: 'blank'; depth: number }
  | { kind: 'text'; text: string };

/** The blanks keepalived splits words on (and the lexer skips). */
const BLANKS = /^[ \t\f\v]*$/;

/**
 * The text without its trailing blanks. A loop, not `/[ \t\f\v]+$/`: that regular expression tries every
 * blank of a run as a start, so a line indented by a few thousand spaces (deep nesting at a large tabSize)
 * cost millions of steps.
 */
function trimTrailingBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && ' \t\f\v'.includes(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}
/** keepalived ignores blank lines; two in a row are kept to separate sections, more are noise. */
const MAX_BLANK_RUN = 2;

export function formatDocument(text: string, options: FormatOptions): TextEdit[] {
  const doc = new Planned(text, options);
  return doc.edits(0, doc.lines.lineCount - 1, true);
}

/** Formats the lines the range touches; a range ending at column 0 does not touch its last line. */
export function formatRange(text: string, range: Range, options: FormatOptions): TextEdit[] {
  const doc = new Planned(text, options);
  const last =
    range.end.line > range.start.line && range.end.character === 0 ? range.end.line - 1 : range.end.line;
  return doc.edits(Math.max(0, range.start.line), Math.min(last, doc.lines.lineCount - 1), true);
}

/**
 * After `{` or `}`: the line typed on. After a line break: the line just finished, and the new line,
 * which gets the indentation of its depth even while it is still empty (so the cursor lands there).
 * Blank lines are never deleted while typing.
 */
export function formatOnType(
  text: string,
  position: Position,
  ch: '{' | '}' | '\n',
  options: FormatOptions,
): TextEdit[] {
  const doc = new Planned(text, options);
  const line = Math.min(Math.max(0, position.line), doc.lines.lineCount - 1);
  if (ch !== '\n') return doc.edits(line, line, false);
  const edits = line > 0 ? doc.edits(line - 1, line - 1, false) : [];
  const plan = doc.plans[line]!;
  if (plan.kind === 'blank') {
    const current = doc.lines.lineText(line);
    const indent = doc.indent(plan.depth);
    if (current !== indent) edits.push(TextEdit.replace(lineRange(line, current.length), indent));
  } else edits.push(...doc.edits(line, line, false));
  return edits;
}

/** The plan of a line formatting leaves as it is: one shared object, so an unchanged line costs nothing. */
const KEEP: LinePlan = { kind: 'verbatim' };

/** The formatting plan of every line of a text. */
class Planned {
  readonly lines: LineIndex;
  readonly plans: LinePlan[] = [];
  private readonly unit: string;
  private readonly tokens: WordTokens;

  constructor(
    private readonly text: string,
    options: FormatOptions,
  ) {
    this.lines = new LineIndex(text);
    const valid = formatOptions(options);
    this.unit = valid.insertSpaces ? ' '.repeat(valid.tabSize) : '\t';
    const tokens = (this.tokens = wordTokens(text));
    const depths = lineDepths(text, this.lines, parse(text));
    const verbatim = continuationLines(tokens, this.lines);
    const count = tokens.starts.length;
    let next = 0;
    for (let line = 0; line < this.lines.lineCount; line++) {
      const start = this.lines.lineStart(line);
      const end = this.lines.lineEnd(line);
      while (next < count && tokens.starts[next]! < start) next++;
      // The tokens of the line are next..last-1 (a multi-line definition's token belongs to its first line).
      let last = next;
      while (last < count && tokens.starts[last]! < end) last++;
      const depth = depths[line]!;
      if (verbatim.has(line)) this.plans.push(KEEP);
      else if (allBlanks(text, start, end)) this.plans.push({ kind: 'blank', depth });
      // Most lines of a formatted file are already as layout() would write them: checked without building
      // the line again.
      else if (this.laidOut(start, end, next, last, depth)) this.plans.push(KEEP);
      else this.plans.push({ kind: 'text', text: this.layout(start, end, next, last, depth) });
    }
  }

  indent(depth: number): string {
    return this.unit.repeat(depth);
  }

  /** Edits for lines first..last; `collapse` deletes blank lines beyond MAX_BLANK_RUN. */
  edits(first: number, last: number, collapse: boolean): TextEdit[] {
    const deleted = collapse ? this.excessBlankLines() : new Set<number>();
    const edits: TextEdit[] = [];
    for (let line = first; line <= last; line++) {
      if (deleted.has(line)) {
        // One edit per run of deleted lines, each line with its line break.
        let end = line;
        while (end + 1 <= last && deleted.has(end + 1)) end++;
        edits.push(TextEdit.del(this.linesWithBreaks(line, end)));
        line = end;
        continue;
      }
      const plan = this.plans[line]!;
      if (plan.kind === 'verbatim') continue;
      if (plan.kind === 'blank' && this.lines.lineStart(line) === this.lines.lineEnd(line)) continue;
      const current = this.lines.lineText(line);
      const wanted = plan.kind === 'blank' ? '' : plan.text;
      if (wanted !== current) edits.push(TextEdit.replace(lineRange(line, current.length), wanted));
    }
    return edits;
  }

  /**
   * Lines first..last and their line breaks. When the run is at the end of a text without a final line
   * break, the break before it stays and becomes that final break.
   */
  private linesWithBreaks(first: number, last: number): Range {
    if (last + 1 < this.lines.lineCount)
      return { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } };
    return {
      start: { line: first, character: 0 },
      end: { line: last, character: this.lines.lineText(last).length },
    };
  }

  /**
   * Whether layout() would give the line back unchanged, answered without building it: the indentation is
   * exactly the depth's, one space between words (any blanks before a comment, which are kept), nothing
   * after the last token and no trailing blank. When unsure (other gaps, characters no token covers) it
   * says no, and layout() decides.
   */
  private laidOut(start: number, end: number, first: number, last: number, depth: number): boolean {
    if (first === last) return false;
    const text = this.text;
    const { starts, ends, comment } = this.tokens;
    const unit = this.unit;
    const firstStart = starts[first]!;
    if (firstStart - start !== unit.length * depth) return false;
    const indentChar = unit.charCodeAt(0);
    for (let i = start; i < firstStart; i++) if (text.charCodeAt(i) !== indentChar) return false;
    for (let t = first + 1; t < last; t++) {
      if (comment[t] === 1) continue;
      const gap = starts[t]! - ends[t - 1]!;
      if (gap > 1 || (gap === 1 && text.charCodeAt(ends[t - 1]!) !== 32)) return false;
    }
    const lastEnd = ends[last - 1]!;
    // The first line of a multi-line definition ends inside its value, which is kept as it is.
    if (lastEnd > end) return true;
    return lastEnd === end && !isBlank(text.charCodeAt(end - 1));
  }

  /** The text of a line of words: indentation, the tokens as written, one space where blanks were. */
  private layout(start: number, end: number, first: number, last: number, depth: number): string {
    const text = this.text;
    const { starts, ends, comment } = this.tokens;
    const firstStart = first < last ? starts[first]! : end;
    const leading = text.slice(start, firstStart);
    // Characters no token covers (a byte order mark; lexer errors, which should not exist) stay put.
    if (first === last || !/^[ \t\f\v\uFEFF]*$/.test(leading))
      return trimTrailingBlanks(text.slice(start, end));
    let out = leading.replace(/[ \t\f\v]/g, '') + this.indent(depth);
    let cursor = firstStart;
    for (let t = first; t < last; t++) {
      const gap = text.slice(cursor, starts[t]);
      // Blanks before a trailing comment often align comments across lines: they are kept.
      out += gap === '' || comment[t] === 1 || !BLANKS.test(gap) ? gap : ' ';
      const tokenEnd = Math.min(ends[t]!, end);
      out += text.slice(starts[t], tokenEnd);
      cursor = tokenEnd;
    }
    // The first line of a multi-line definition ends inside its value: keep that value exactly.
    if (ends[last - 1]! > end) return out;
    return trimTrailingBlanks(out + text.slice(cursor, end));
  }

  /** Blank lines after the first MAX_BLANK_RUN of each run. The empty line after a final newline is not one. */
  private excessBlankLines(): Set<number> {
    const excess = new Set<number>();
    const lastLine = this.lines.lineCount - 1;
    const endsWithBreak = lastLine > 0 && this.lines.lineText(lastLine) === '';
    let run = 0;
    for (let line = 0; line < this.plans.length; line++) {
      if (line === lastLine && endsWithBreak) break;
      run = this.plans[line]!.kind === 'blank' ? run + 1 : 0;
      if (run > MAX_BLANK_RUN) excess.add(line);
    }
    return excess;
  }
}

/** The blanks keepalived splits words on (the lexer skips them). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11;
}

function allBlanks(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isBlank(text.charCodeAt(i))) return false;
  return true;
}

function lineRange(line: number, length: number): Range {
  return { start: { line, character: 0 }, end: { line, character: length } };
}

/**
 * Every token but line breaks, comments included, in document order (scan() gives them in that order), as
 * flat arrays: a formatted 10k-line file is laid out without one object per token.
 */
interface WordTokens {
  starts: number[];
  ends: number[];
  /** 1 for a comment. */
  comment: number[];
  /** The indexes of `$NAME=` definitions, the only tokens that can span lines. */
  definitions: number[];
}

function wordTokens(text: string): WordTokens {
  const out: WordTokens = { starts: [], ends: [], comment: [], definitions: [] };
  scan(text, {
    token(type, start, end) {
      if (type === Newline) return;
      if (type === ParamDefinition) out.definitions.push(out.starts.length);
      out.starts.push(start);
      out.ends.push(end);
      out.comment.push(0);
    },
    comment(start, end) {
      out.starts.push(start);
      out.ends.push(end);
      out.comment.push(1);
    },
  });
  return out;
}

/** Lines that begin inside a multi-line `$NAME=` definition. */
function continuationLines(tokens: WordTokens, lines: LineIndex): Set<number> {
  const verbatim = new Set<number>();
  for (const t of tokens.definitions) {
    const end = tokens.ends[t]!;
    const first = lines.positionAt(tokens.starts[t]!).line;
    const last = lines.positionAt(end).line;
    for (let line = first + 1; line <= last; line++) if (lines.lineStart(line) < end) verbatim.add(line);
  }
  return verbatim;
}

/**
 * The block depth of each line, measured at its first word (at its start when blank): the number of blocks
 * whose `{` comes before that point and whose `}` does not come at or before it. So a line starting with
 * `}` sits at its block's level, and a `{` alone on the line after its keyword at the keyword's level.
 */
function lineDepths(text: string, lines: LineIndex, tree: SyntaxTree): number[] {
  const events: { at: number; delta: number }[] = [];
  for (const block of allBlocks(tree)) {
    events.push({ at: block.open, delta: 1 });
    if (block.close !== undefined) events.push({ at: block.close, delta: -1 });
  }
  events.sort((a, b) => a.at - b.at);
  const depths: number[] = [];
  let depth = 0;
  let next = 0;
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    // The first character that is not a blank or a byte order mark (the line's start when there is none).
    let at = start;
    while (at < end && (isBlank(text.charCodeAt(at)) || text.charCodeAt(at) === 0xfeff)) at++;
    if (at === end) at = start;
    // An opening brace counts from the character after it, a closing one from itself.
    while (
      next < events.length &&
      (events[next]!.at < at || (events[next]!.at === at && events[next]!.delta < 0))
    )
      depth += events[next++]!.delta;
    depths.push(Math.max(0, depth));
  }
  return depths;
}
