// Lines whose parameters change their shape. keepalived substitutes `$NAME` and `${NAME}` in the text of a
// line before it splits the line into words and braces (replace_param() and read_line() in lib/parser.c),
// so a value may add words, braces or a comment, or remove the keyword: `$X=` (empty) makes
// `$X virtual_server ...` an ordinary line, `$X=${_HASH}` comments the line out, and a multi-line
// definition used at the end of a line becomes its first line followed by the lines of the definition.
// This module works out such a line's text the way keepalived does and parses it, with every offset mapped
// back to the file: a character of the line to itself, a character of a value to the use it replaced. The
// reader then reads what came out in place of the line. Lines whose words keep their shape (the usual
// case) are left alone: their values are expanded word by word.
import type { Block, Statement, SyntaxTree, Word } from '../syntax/ast';
import { lex, QuotedString, Word as WordToken } from '../syntax/lexer';
import { parse } from '../syntax/parser';
import { MAX_EXPANSION_CHARS } from './budget';
import { isDefinedName, paramUses, substitution, type ParamTable } from './params';

/** keepalived rescans a line after each substitution; a definition that uses itself stops here. */
const MAX_ROUNDS = 20;

export interface ExpandedLine {
  /** The line as keepalived reads it, parsed; offsets are still those of `text` (see `map`). */
  tree: SyntaxTree;
  text: string;
  /** The source offset where a character of `text` starts, and where it ends. */
  map: { start: number[]; end: number[] };
  /** The first line of the result has a comment: the rest of the physical line is commented out too. */
  commentsRest: boolean;
}

/**
 * `rest`: what follows the line's words on the same physical line (a brace), if anything: keepalived only
 * substitutes a multi-line definition at the very end of a line. `complete`: every definition is known, so
 * an undefined name stays as written; otherwise a line using one is left alone (its shape is unknown).
 */
export function expandLine(
  s: Statement,
  params: ParamTable,
  complete: boolean,
  rest: string,
  loop?: { name: string; value: string },
): ExpandedLine | undefined {
  const words: Word[] = [s.keyword, ...s.args];
  if (!words.some((w) => w.text.includes('$'))) return undefined;
  // A template expression renders to something unknown here: its line is not reshaped by guesses.
  if (words.some((w) => w.template !== undefined)) return undefined;
  let text = '';
  let start: number[] = [];
  let end: number[] = [];
  for (const w of words) {
    if (text) {
      text += ' ';
      start.push(w.start);
      end.push(w.start);
    }
    text += w.text;
    // A word that an earlier expansion made (a line of a multi-line value) is longer or shorter than its
    // place in the file: each of its characters maps to that whole place, never past it.
    const own = w.end - w.start === w.text.length;
    for (let i = 0; i < w.text.length; i++) {
      start.push(own ? w.start + i : w.start);
      end.push(own ? w.start + i + 1 : w.end);
    }
  }
  let changed = false;
  let multiline = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Only the first line is keepalived's current line; the lines of a multi-line value are read later.
    const firstEnd = multiline ? text.indexOf('\n') : text.length;
    let out = '';
    const outStart: number[] = [];
    const outEnd: number[] = [];
    let last = 0;
    let substituted = false;
    for (const use of paramUses(text.slice(0, firstEnd))) {
      const value = substitution(use.name, params);
      if (!value) {
        if (!complete && !params.has(use.name)) return undefined;
        continue;
      }
      const atEnd = use.index + use.length === firstEnd && !multiline && rest.trim() === '';
      if (value.multiline && !atEnd) continue; // keepalived leaves it as written
      const from = start[use.index]!;
      const to = end[use.index + use.length - 1]!;
      for (let i = last; i < use.index; i++) {
        outStart.push(start[i]!);
        outEnd.push(end[i]!);
      }
      out += text.slice(last, use.index) + value.text;
      for (let i = 0; i < value.text.length; i++) {
        outStart.push(from);
        outEnd.push(to);
      }
      last = use.index + use.length;
      substituted = true;
      if (value.multiline) multiline = true;
    }
    if (!substituted) break;
    for (let i = last; i < text.length; i++) {
      outStart.push(start[i]!);
      outEnd.push(end[i]!);
    }
    text = out + text.slice(last);
    start = outStart;
    end = outEnd;
    changed = true;
    if (text.length > MAX_EXPANSION_CHARS) return undefined;
  }
  let firstEnd = multiline ? text.indexOf('\n') : text.length;
  // keepalived leaves an undefined `${NAME}` as written and then splits the line at its braces (read_line()
  // looks for the first `{` or `}` outside quotes): `keepalived_${INST}@x` reads as `keepalived_$`, `{`,
  // `INST`, `}`, `@x`. A mark between `$` and `{` keeps our lexer from reading `${...}` as one word.
  const split = complete
    ? paramUses(text.slice(0, firstEnd)).filter(
        (u) => text[u.index + 1] === '{' && !isDefinedName(u.name, params) && !insideQuotes(text, u.index),
      )
    : [];
  if (split.length > 0) {
    let out = '';
    const outStart: number[] = [];
    const outEnd: number[] = [];
    let last = 0;
    for (const u of split) {
      const cut = u.index + 1;
      out += text.slice(last, cut) + SPLIT_MARK;
      for (let i = last; i < cut; i++) {
        outStart.push(start[i]!);
        outEnd.push(end[i]!);
      }
      outStart.push(start[cut]!);
      outEnd.push(start[cut]!);
      last = cut;
    }
    for (let i = last; i < text.length; i++) {
      outStart.push(start[i]!);
      outEnd.push(end[i]!);
    }
    text = out + text.slice(last);
    start = outStart;
    end = outEnd;
    firstEnd += split.length;
    changed = true;
  }
  if (!changed || sameShape(text, words.length)) return undefined;
  if (loop && multiline) {
    // A `~SEQ`/`~LST` line reads the whole definition once per value, its variable set to that value.
    const lines = text.slice(firstEnd);
    let out = '';
    let last = 0;
    for (const use of paramUses(lines)) {
      if (use.name !== loop.name) continue;
      out += lines.slice(last, use.index) + loop.value;
      last = use.index + use.length;
    }
    const restText = out + lines.slice(last);
    const from = start[firstEnd]!;
    const to = end[firstEnd]!;
    text = text.slice(0, firstEnd) + restText;
    start = start.slice(0, firstEnd).concat(new Array<number>(restText.length).fill(from));
    end = end.slice(0, firstEnd).concat(new Array<number>(restText.length).fill(to));
  }
  const tree = parse(text);
  if (split.length > 0) unmark(tree);
  const commentsRest = tree.comments.some((c) => c.start < firstEnd);
  return { tree, text, map: { start, end }, commentsRest };
}

/** Marks where keepalived splits an undefined `${NAME}`; removed from the words once the line is parsed. */
const SPLIT_MARK = '\u0001';

function insideQuotes(text: string, at: number): boolean {
  let quotes = 0;
  for (let i = text.indexOf('"'); i >= 0 && i < at; i = text.indexOf('"', i + 1)) quotes++;
  return quotes % 2 === 1;
}

function unmark(tree: SyntaxTree): void {
  const clean = (w: Word): void => {
    if (!w.text.includes(SPLIT_MARK)) return;
    w.text = w.text.split(SPLIT_MARK).join('');
    w.value = w.value.split(SPLIT_MARK).join('');
  };
  const lists: Statement[][] = [tree.statements, ...tree.strayBlocks.map((b) => b.statements)];
  while (lists.length > 0) {
    for (const st of lists.pop()!) {
      clean(st.keyword);
      st.args.forEach(clean);
      if (st.block) lists.push(st.block.statements);
    }
  }
}

/** The text splits into as many plain or quoted words as the line had, and nothing else. */
function sameShape(text: string, count: number): boolean {
  if (text.includes('\n')) return false;
  const { tokens, comments } = lex(text);
  if (comments.length > 0 || tokens.length !== count) return false;
  return tokens.every((t) => t.tokenType === WordToken || t.tokenType === QuotedString);
}

/** Moves every offset of a parsed expansion to the place in the file it came from. */
export function mapExpansion(expanded: ExpandedLine): (offset: number, isEnd?: boolean) => number {
  const { start, end } = expanded.map;
  const at = (offset: number, isEnd = false): number => {
    if (start.length === 0) return 0;
    if (isEnd) return offset <= 0 ? start[0]! : end[Math.min(offset, end.length) - 1]!;
    return start[Math.min(offset, start.length - 1)]!;
  };
  // A word may be shared (the condition of an `@id` line alone is also its keyword): map each once.
  const seen = new Set<object>();
  const span = (x: { start: number; end: number }): void => {
    if (seen.has(x)) return;
    seen.add(x);
    const s = at(x.start);
    const e = at(x.end, true);
    x.start = s;
    x.end = Math.max(s, e);
  };
  const block = (b: Block): void => {
    b.open = at(b.open);
    if (b.close !== undefined) b.close = at(b.close);
    span(b);
  };
  const statement = (st: Statement): void => {
    span(st);
    if (st.condition) span(st.condition);
    st.sequences.forEach(span);
    span(st.keyword);
    st.args.forEach(span);
    if (st.definition) {
      span(st.definition.nameSpan);
      span(st.definition.valueSpan);
    }
  };
  const lists: Statement[][] = [
    expanded.tree.statements,
    ...expanded.tree.strayBlocks.map((b) => b.statements),
  ];
  expanded.tree.strayBlocks.forEach(block);
  while (lists.length > 0) {
    for (const st of lists.pop()!) {
      statement(st);
      if (st.block) {
        block(st.block);
        lists.push(st.block.statements);
      }
    }
  }
  return at;
}
