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

export function interpretLine(tokens: Token[], block: Block | undefined): Statement {
  let i = 0;
  let condition: Word | undefined;
  const first = tokens[0]!;
  if (first.tokenType !== QuotedString && first.image.startsWith('@') && first.image.length > 1) {
    condition = toWord(first);
    i++;
  }
  const sequences: Word[] = [];
  while (i < tokens.length && tokens[i]!.tokenType === SequencePrefix) sequences.push(toWord(tokens[i++]!));

  const start = first.startOffset;
  const lastToken = tokens[tokens.length - 1]!;
  const end = block ? block.end : lastToken.startOffset + lastToken.image.length;
  // Plain object literals, not spreads: this runs once per line and spreads are slow in V8.
  const make = (kind: Statement['kind'], keyword: Word, args: Word[]): Statement => ({
    kind,
    condition,
    sequences,
    keyword,
    args,
    definition: undefined,
    block,
    start,
    end,
  });

  const head = tokens[i];
  if (!head) {
    // `@id` alone, or `~SEQ(...)` with nothing to repeat: keepalived drops the line.
    return make('ignored', condition ?? sequences[sequences.length - 1]!, []);
  }
  if (head.tokenType === IncludeDirective) {
    const [keyword, ...globWords] = splitWords(head.image, head.startOffset);
    return make('include', keyword!, globWords);
  }
  const keyword = toWord(head);
  const args: Word[] = [];
  for (let j = i + 1; j < tokens.length; j++) args.push(toWord(tokens[j]!));
  if (head.tokenType === ParamDefinition) {
    const statement = make('definition', keyword, args);
    statement.definition = parseDefinition(keyword);
    return statement;
  }
  if (!keyword.quoted && keyword.value.startsWith('~')) return make('ignored', keyword, args);
  if (!condition && isIncludeKeyword(keyword.value)) return make('include', keyword, args);
  return make('keyword', keyword, args);
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
