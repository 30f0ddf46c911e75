// Formatting: re-indent by block depth, one space between words, no trailing blanks, at most two blank
// lines in a row (the blanks before a trailing comment are kept, as they often align comments). It works line by line on the lexer's tokens and only ever rewrites the blanks between
// them, so no token can change: quoted strings, comments, `~SEQ(...)` prefixes and `$NAME=` values are
// single tokens and are copied as they are. Continuation lines of a multi-line definition are part of
// their definition's token and are never touched. Line breaks are never rewritten (CRLF stays CRLF).
import { TextEdit, type Position, type Range } from 'vscode-languageserver-types';
import { allBlocks, type SyntaxTree } from '../syntax/ast';
import { Comment, lex, Newline, ParamDefinition, type Token } from '../syntax/lexer';
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

/** The formatting plan of every line of a text. */
class Planned {
  readonly lines: LineIndex;
  readonly plans: LinePlan[] = [];
  private readonly unit: string;

  constructor(
    private readonly text: string,
    options: FormatOptions,
  ) {
    this.lines = new LineIndex(text);
    const valid = formatOptions(options);
    this.unit = valid.insertSpaces ? ' '.repeat(valid.tabSize) : '\t';
    const tokens = wordTokens(text);
    const depths = lineDepths(text, this.lines, parse(text));
    const verbatim = continuationLines(tokens, this.lines);
    let next = 0;
    for (let line = 0; line < this.lines.lineCount; line++) {
      const start = this.lines.lineStart(line);
      const end = this.lines.lineEnd(line);
      while (next < tokens.length && tokens[next]!.startOffset < start) next++;
      const onLine: Token[] = [];
      for (let i = next; i < tokens.length && tokens[i]!.startOffset < end; i++) onLine.push(tokens[i]!);
      if (verbatim.has(line)) this.plans.push({ kind: 'verbatim' });
      else if (BLANKS.test(text.slice(start, end))) this.plans.push({ kind: 'blank', depth: depths[line]! });
      else this.plans.push({ kind: 'text', text: this.layout(start, end, onLine, depths[line]!) });
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
      const current = this.lines.lineText(line);
      const wanted = plan.kind === 'verbatim' ? current : plan.kind === 'blank' ? '' : plan.text;
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

  /** The text of a line of words: indentation, the tokens as written, one space where blanks were. */
  private layout(start: number, end: number, tokens: Token[], depth: number): string {
    const text = this.text;
    const firstStart = tokens[0]?.startOffset ?? end;
    const leading = text.slice(start, firstStart);
    // Characters no token covers (a byte order mark; lexer errors, which should not exist) stay put.
    if (tokens.length === 0 || !/^[ \t\f\v\uFEFF]*$/.test(leading))
      return trimTrailingBlanks(text.slice(start, end));
    let out = leading.replace(/[ \t\f\v]/g, '') + this.indent(depth);
    let cursor = firstStart;
    for (const token of tokens) {
      const gap = text.slice(cursor, token.startOffset);
      // Blanks before a trailing comment often align comments across lines: they are kept.
      out += gap === '' || token.tokenType === Comment || !BLANKS.test(gap) ? gap : ' ';
      const tokenEnd = Math.min(token.startOffset + token.image.length, end);
      out += text.slice(token.startOffset, tokenEnd);
      cursor = tokenEnd;
    }
    const last = tokens[tokens.length - 1]!;
    // The first line of a multi-line definition ends inside its value: keep that value exactly.
    if (last.startOffset + last.image.length > end) return out;
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

function lineRange(line: number, length: number): Range {
  return { start: { line, character: 0 }, end: { line, character: length } };
}

/** Every token but line breaks, comments included, in document order. */
function wordTokens(text: string): Token[] {
  const lexed = lex(text);
  return [...lexed.tokens.filter((t) => t.tokenType !== Newline), ...lexed.comments].sort(
    (a, b) => a.startOffset - b.startOffset,
  );
}

/** Lines that begin inside a multi-line `$NAME=` definition. */
function continuationLines(tokens: Token[], lines: LineIndex): Set<number> {
  const verbatim = new Set<number>();
  for (const token of tokens) {
    if (token.tokenType !== ParamDefinition) continue;
    const end = token.startOffset + token.image.length;
    const first = lines.positionAt(token.startOffset).line;
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
    const lineText = text.slice(start, lines.lineEnd(line));
    const at = start + Math.max(0, lineText.search(/[^ \t\f\v\uFEFF]/));
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
