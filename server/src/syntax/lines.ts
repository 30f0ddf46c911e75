// Turns the words of one line into a Statement: peels off `@id` and `~SEQ/~LST` prefixes and recognises
// include lines, parameter definitions and lines keepalived ignores.
import type { Block, Definition, Statement, Word } from './ast';
import { decommentLine } from './decomment';
import { isIncludeKeyword } from './include-keywords';
import {
  IncludeDirective,
  ParamDefinition,
  QuotedString,
  SequencePrefix,
  UnterminatedString,
  type Token,
} from './lexer';

export function toWord(token: Token): Word {
  const text = token.image;
  const start = token.startOffset;
  const end = start + text.length;
  if (token.tokenType === QuotedString) {
    return { text, value: text.slice(1, -1), quoted: true, unterminated: false, start, end };
  }
  if (token.tokenType === UnterminatedString) {
    return { text, value: text.slice(1), quoted: true, unterminated: true, start, end };
  }
  return { text, value: unescape(text), quoted: false, unterminated: false, start, end };
}

/** keepalived turns `\#` and `\!` outside quotes into literal `#` and `!`. */
function unescape(text: string): string {
  return text.includes('\\') ? text.replace(/\\([#!])/g, '$1') : text;
}

/** The `~SEQ`/`~LST` prefixes of a line without any (almost every line): one shared, frozen array. */
const NO_SEQUENCES: Word[] = Object.freeze([]) as unknown as Word[];

/** Plain object literals, not spreads: this runs once per line and spreads are slow in V8. */
function statement(
  kind: Statement['kind'],
  condition: Word | undefined,
  sequences: Word[],
  keyword: Word,
  args: Word[],
  block: Block | undefined,
  start: number,
  end: number,
): Statement {
  return { kind, condition, sequences, keyword, args, definition: undefined, block, start, end };
}

export function interpretLine(tokens: Token[], block: Block | undefined): Statement {
  let i = 0;
  let condition: Word | undefined;
  const first = tokens[0]!;
  if (first.tokenType !== QuotedString && first.image.startsWith('@') && first.image.length > 1) {
    condition = toWord(first);
    i++;
  }
  let sequences = NO_SEQUENCES;
  if (i < tokens.length && tokens[i]!.tokenType === SequencePrefix) {
    sequences = [];
    while (i < tokens.length && tokens[i]!.tokenType === SequencePrefix) sequences.push(toWord(tokens[i++]!));
  }

  const start = first.startOffset;
  const lastToken = tokens[tokens.length - 1]!;
  const end = block ? block.end : lastToken.startOffset + lastToken.image.length;

  const head = tokens[i];
  if (!head) {
    // `@id` alone, or `~SEQ(...)` with nothing to repeat: keepalived drops the line.
    return statement(
      'ignored',
      condition,
      sequences,
      condition ?? sequences[sequences.length - 1]!,
      [],
      block,
      start,
      end,
    );
  }
  if (head.tokenType === IncludeDirective) {
    const [keyword, ...globWords] = splitWords(head.image, head.startOffset);
    return statement('include', condition, sequences, keyword!, globWords, block, start, end);
  }
  const keyword = toWord(head);
  // map() sizes the array, which is kept with the tree (one grown by push() from empty holds 16 slots).
  const args: Word[] = tokens.slice(i + 1).map(toWord);
  if (head.tokenType === ParamDefinition) {
    const definition = statement('definition', condition, sequences, keyword, args, block, start, end);
    definition.definition = parseDefinition(keyword);
    return definition;
  }
  if (!keyword.quoted && keyword.value.startsWith('~'))
    return statement('ignored', condition, sequences, keyword, args, block, start, end);
  if (!condition && isIncludeKeyword(keyword.value))
    return statement('include', condition, sequences, keyword, args, block, start, end);
  return statement('keyword', condition, sequences, keyword, args, block, start, end);
}

/** Blank-separated words of a token's text, with their offsets (for include globs). */
function splitWords(text: string, offset: number): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/[^ \t]+/g)) {
    const start = offset + m.index;
    words.push({
      text: m[0],
      value: m[0],
      quoted: false,
      unterminated: false,
      start,
      end: start + m[0].length,
    });
  }
  return words;
}

function parseDefinition(token: Word): Definition {
  const eq = token.text.indexOf('=');
  const raw = token.text.slice(eq + 1);
  const leading = raw.length - raw.trimStart().length;
  const value = raw.trim();
  const valueStart = token.start + eq + 1 + leading;
  return {
    name: token.text.slice(1, eq),
    nameSpan: { start: token.start + 1, end: token.start + eq },
    value,
    valueSpan: { start: valueStart, end: valueStart + value.length },
    multiline: continues(raw) || decommentLine(raw).continues,
  };
}

/**
 * A `\` followed by blanks and a line break (/\\\s*(\r\n|\r|\n)/, in one pass: that expression takes
 * quadratic time on a long run of backslashes and blanks).
 */
function continues(raw: string): boolean {
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', i + 1)) {
    let j = i + 1;
    while (j < raw.length && /\s/.test(raw[j]!)) {
      if (raw[j] === '\n' || raw[j] === '\r') return true;
      j++;
    }
    // Nothing but blanks and no line break from here: no later backslash can do better.
    if (j >= raw.length) return false;
    i = j - 1;
  }
  return false;
}
