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
import { isDefinedName, paramUses, substitution, substitutesPlainWords, type ParamTable } from './params';
import { SourceMap } from './source-map';
import type { LoopBinding } from './sequences';

/** keepalived rescans a line after each substitution; a definition that uses itself stops here. */
const MAX_ROUNDS = 20;

export interface ExpandedLine {
  /** The line as keepalived reads it, parsed; offsets are still those of `text` (see `map`). */
  tree: SyntaxTree;
  text: string;
  /** The source offsets where each character of `text` starts and ends. */
  map: SourceMap;
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
  loop?: readonly LoopBinding[],
): ExpandedLine | undefined {
  if (!usesParameters(s)) return undefined;
  const words: Word[] = [s.keyword, ...s.args];
  // A template expression renders to something unknown here: its line is not reshaped by guesses.
  if (words.some((w) => w.template !== undefined)) return undefined;
  // Values that are plain words keep the line's shape: nothing to work out (the usual case).
  if (words.every((w) => !w.text.includes('$') || substitutesPlainWords(w.text, params, complete)))
    return undefined;
  let text = '';
  let map = new SourceMap();
  for (const w of words) {
    if (text) {
      text += ' ';
      map.fixed(w.start, w.start, 1);
    }
    text += w.text;
    // A word that an earlier expansion made (a line of a multi-line value) is longer or shorter than its
    // place in the file: each of its characters maps to that whole place, never past it.
    if (w.end - w.start === w.text.length) map.own(w.start, w.text.length);
    else map.fixed(w.start, w.end, w.text.length);
  }
  let changed = false;
  let multiline = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Only the first line is keepalived's current line; the lines of a multi-line value are read later.
    const firstEnd = multiline ? text.indexOf('\n') : text.length;
    let out = '';
    const next = new SourceMap();
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
      const from = map.startOf(use.index)!;
      const to = map.endOf(use.index + use.length - 1)!;
      next.copy(map, last, use.index);
      out += text.slice(last, use.index) + value.text;
      next.fixed(from, to, value.text.length);
      last = use.index + use.length;
      substituted = true;
      if (value.multiline) multiline = true;
    }
    if (!substituted) break;
    next.copy(map, last, text.length);
    text = out + text.slice(last);
    map = next;
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
    const next = new SourceMap();
    let last = 0;
    for (const u of split) {
      const cut = u.index + 1;
      out += text.slice(last, cut) + SPLIT_MARK;
      next.copy(map, last, cut);
      const at = map.startOf(cut)!;
      next.fixed(at, at, 1);
      last = cut;
    }
    next.copy(map, last, text.length);
    text = out + text.slice(last);
    map = next;
    firstEnd += split.length;
    changed = true;
  }
  // A multi-line value is read line by line even when it comes to one line of the same shape (`$T= \`
  // over a line `$S`): its lines may use other multi-line values, which read_line() expands in turn.
  if (!changed || (!multiline && sameShape(text, words.length))) return undefined;
  if (loop && multiline) {
    // A `~SEQ`/`~LST` line reads the whole definition once per value, its variable set to that value.
    const lines = text.slice(firstEnd);
    let out = '';
    let last = 0;
    for (const use of paramUses(lines)) {
      const binding = [...loop].reverse().find((b) => b.name === use.name);
      if (!binding) continue;
      out += lines.slice(last, use.index) + binding.value;
      last = use.index + use.length;
    }
    const restText = out + lines.slice(last);
    // The lines after the first all come from the use that made them: they map where the first line
    // break does.
    const from = map.startOf(firstEnd)!;
    const to = map.endOf(firstEnd)!;
    const next = new SourceMap();
    // (A value of one line has no line break: firstEnd is -1 and, as in text.slice(), counts from the end.)
    next.copy(map, 0, firstEnd < 0 ? text.length + firstEnd : firstEnd);
    next.fixed(from, to, restText.length);
    text = text.slice(0, firstEnd) + restText;
    map = next;
  }
  const tree = parse(text);
  if (split.length > 0) unmark(tree);
  const commentsRest = tree.comments.some((c) => c.start < firstEnd);
  return { tree, text, map, commentsRest };
}

/**
 * An unquoted word of the line has a `\#` or `\!` (what copyLine() is about). Asked of every line of a
 * child process's block, so nothing is built to answer it.
 */
export function hasEscapedCommentChar(s: Statement): boolean {
  if (escapedCommentChar(s.keyword)) return true;
  for (const w of s.args) if (escapedCommentChar(w)) return true;
  return false;
}

function escapedCommentChar(w: Word): boolean {
  return !w.quoted && w.text.includes('\\') && /\\[#!]/.test(w.text);
}

/** The line's words name a parameter. Asked of every line, so nothing is built to answer it. */
export function usesParameters(s: Statement): boolean {
  return s.keyword.text.includes('$') || s.args.some((w) => w.text.includes('$'));
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
  const map = expanded.map;
  const at = (offset: number, isEnd = false): number => {
    if (map.length === 0) return 0;
    if (isEnd) return offset <= 0 ? map.startOf(0)! : map.endOf(Math.min(offset, map.length) - 1)!;
    return map.startOf(Math.min(offset, map.length - 1))!;
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

/**
 * The line as keepalived's child processes read it, when that differs from the parent's reading. From
 * 2.2.0 the parent writes each line it reads, once decommented, to a copy of the configuration, and the
 * VRRP, checker and BFD processes read that copy and decomment it again (lib/parser.c read_line(),
 * write_conf_copy / read_conf_copy; unchanged up to 2.4.3 and master). A `\#` or `\!` outside quotes is
 * the character itself for the parent, but in the copy it is a bare `#` or `!`, which starts a comment:
 * `vrrp_instance VI_\#1 {` reads as `vrrp_instance VI_` for them, without its `{`. Undefined when the line
 * has no such escape (the usual case).
 */
export function copyLine(s: Statement): ExpandedLine | undefined {
  if (!hasEscapedCommentChar(s)) return undefined;
  const words: Word[] = [s.keyword, ...s.args];
  if (words.some((w) => w.template !== undefined)) return undefined;
  let text = '';
  const map = new SourceMap();
  for (const w of words) {
    if (text) {
      text += ' ';
      map.fixed(w.start, w.start, 1);
    }
    // What the parent wrote: the escapes of unquoted words resolved, quoted words as written.
    const written = w.quoted ? w.text : w.value;
    text += written;
    if (written.length === w.end - w.start) map.own(w.start, written.length);
    else map.fixed(w.start, w.end, written.length);
  }
  const tree = parse(text);
  return { tree, text, map, commentsRest: tree.comments.length > 0 };
}
