// The keepalived lexer, written by hand (one pass over the characters, one small object per token). It
// accepts every input: any character that is not whitespace, a brace, a quote or a comment start belongs
// to a word, so tokenizing never fails. Line structure matters (keepalived reads a config line by line),
// so newlines are tokens.
import { decommentLine } from './decomment';
import { INCLUDE_KEYWORDS } from './include-keywords';

/** The kind of a token; compared by identity. */
export interface TokenType {
  readonly name: string;
}

export interface Token {
  /** The token's text, exactly as written. */
  image: string;
  /** 0-based UTF-16 offset of its first character. */
  startOffset: number;
  tokenType: TokenType;
}

const tokenType = (name: string): TokenType => ({ name });

export const Newline = tokenType('Newline');
/** `#` and `!` start a comment anywhere outside quotes; returned apart, for suppressions and hover. */
export const Comment = tokenType('Comment');
export const LBrace = tokenType('LBrace');
export const RBrace = tokenType('RBrace');
/** `"...."` on one line. */
export const QuotedString = tokenType('QuotedString');
/** A `"` with no closing quote on its line: a token, reported later by a check. */
export const UnterminatedString = tokenType('UnterminatedString');
/**
 * `~SEQ(var, start, step, end)`, `~SEQx(...)`, `~LST(...)` loop prefixes; may contain spaces and braces, and
 * blanks before the `(` (add_seq() and add_lst() skip them).
 */
export const SequencePrefix = tokenType('SequencePrefix');
/** `$NAME=value` at the start of a line, possibly over several lines (matchDefinition). */
export const ParamDefinition = tokenType('ParamDefinition');
/** `include GLOB` at the start of a line, the glob up to a comment (matchInclude). */
export const IncludeDirective = tokenType('IncludeDirective');
/**
 * A word: anything up to whitespace, a brace, a quote or a comment start. `\#` and `\!` are escapes that
 * keep the character in the word; a lone `\` is an ordinary character; `${NAME}` parameter uses keep their
 * braces (and any blanks inside): keepalived substitutes them before it looks for blocks.
 */
export const Word = tokenType('Word');

/** Whitespace as keepalived splits words: space, tab, form feed, vertical tab (not Unicode spaces). */
const BLANK = ' \t\f\v';

const DEFINITION_HEAD = /\$[A-Za-z_][A-Za-z0-9_]*=/y;
/** An include keyword, then blanks and the glob (longest keyword first, so `includer` is not `include`). */
const INCLUDE_LINE = new RegExp(
  `(?:${[...INCLUDE_KEYWORDS].sort((a, b) => b.length - a.length).join('|')})[ \\t]+[^\\r\\n#!]*`,
  'y',
);
const SEQUENCE = /~(?:SEQx?|LST)[ \t]*\([^)\r\n]*\)?/y;

/**
 * `$NAME=value` at the start of a line (optionally after an `@id` prefix) defines a parameter. Where it ends
 * is decided as keepalived decides it (read_line() in lib/parser.c), on each line with its comment removed
 * (decommentLine): a line that ends in `\` goes on to the next line, even when the `\` ends a comment
 * (`# old line \`); a line that is empty once decommented (a blank line, or a comment line without a final
 * `\`) ends the definition and is not part of it. So multi-line definitions become one token and their
 * lines are not parsed as structure. A trailing comment on the last line stays a comment token.
 */
/** The end of the definition starting at `offset`, or -1 when there is none there. */
function matchDefinition(text: string, offset: number): number {
  // Cheap test first: the lexer calls this at every token position.
  if (text.charCodeAt(offset) !== 36 /* $ */ || !atLineStart(text, offset)) return -1;
  DEFINITION_HEAD.lastIndex = offset;
  if (!DEFINITION_HEAD.test(text)) return -1;
  let lineStart = DEFINITION_HEAD.lastIndex;
  let end = endOfValue(text, lineStart);
  for (let first = true; ; first = false) {
    const lineEnd = endOfLine(text, lineStart);
    const line = decommentLine(text.slice(lineStart, lineEnd));
    if (!first && line.text === '') break;
    if (!line.continues) {
      end = first ? end : endOfValue(text, lineStart);
      break;
    }
    // The whole line is part of the definition, its comment included; go on past the line break.
    end = lineEnd;
    const next = nextLine(text, lineEnd);
    if (next >= text.length) break;
    lineStart = next;
  }
  return end;
}

function atLineStart(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && BLANK.includes(text[i]!)) i--;
  if (i < 0 || text[i] === '\n' || text[i] === '\r' || text[i] === '\uFEFF') return true;
  // Allow a single `@id` / `@^id` conditional word before the definition (bounded: ids are short, and an
  // unbounded scan here would make lexing quadratic on long lines).
  let j = i;
  const limit = Math.max(-1, i - 256);
  while (j > limit && !BLANK.includes(text[j]!) && text[j] !== '\n' && text[j] !== '\r') j--;
  if (j === limit && limit >= 0) return false;
  if (text[j + 1] !== '@' || j === i) return false;
  while (j >= 0 && BLANK.includes(text[j]!)) j--;
  return j < 0 || text[j] === '\n' || text[j] === '\r' || text[j] === '\uFEFF';
}

/** Offset where a definition value ends on this line: before a comment outside quotes, or the line break. */
function endOfValue(text: string, from: number): number {
  let inQuote = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return i;
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === '#' || c === '!') && text[i - 1] !== '\\') return i;
  }
  return text.length;
}

function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}

/** The start of the line after the line break at `lineEnd`. */
function nextLine(text: string, lineEnd: number): number {
  return text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
}

/**
 * `include GLOB` (and includer/m/w/b/a) at the start of a line. keepalived recognises include lines before it
 * splits braces or expands parameters, so the glob (which may contain `{a,b}`) is one token up to a comment.
 */
function matchInclude(text: string, offset: number): number {
  if (text.charCodeAt(offset) !== 105 /* i */) return -1;
  let i = offset - 1;
  while (i >= 0 && BLANK.includes(text[i]!)) i--;
  if (i >= 0 && text[i] !== '\n' && text[i] !== '\r' && text[i] !== '\uFEFF') return -1;
  INCLUDE_LINE.lastIndex = offset;
  const m = INCLUDE_LINE.exec(text);
  if (!m) return -1;
  // Trailing blanks off by hand: /[ \t]+$/ would try every blank of a long run and take quadratic time.
  let end = m[0].length;
  while (end > 0 && (m[0][end - 1] === ' ' || m[0][end - 1] === '\t')) end--;
  if (!/[ \t]\S/.test(m[0].slice(0, end))) return -1;
  return offset + end;
}

export interface LexResult {
  /** Words, quoted strings, braces, prefixes, definitions, include lines and line breaks, in order. */
  tokens: Token[];
  comments: Token[];
  /** Characters no token matched: none (every character belongs to some token); kept for the parser's API. */
  errors: { offset: number; length: number; message: string }[];
}

// Character codes.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const BACKSLASH = 92;
const LEFT = 123;
const RIGHT = 125;
const TILDE = 126;
const BOM = 0xfeff;

/** Characters that end a word (and never start one): blanks, line breaks, braces, quote, comment starts. */
function endsWord(c: number): boolean {
  return (
    c === SPACE ||
    c === TAB ||
    c === LF ||
    c === CR ||
    c === LEFT ||
    c === RIGHT ||
    c === QUOTE ||
    c === HASH ||
    c === BANG ||
    c === VT ||
    c === FF
  );
}

/** Where a word starting at `from` ends. */
function endOfWord(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      i += next === HASH || next === BANG ? 2 : 1;
    } else if (c === DOLLAR && text.charCodeAt(i + 1) === LEFT) {
      // `${...}` up to the first `}`, with no `{` or line break before it; otherwise `$` is plain.
      let j = i + 2;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === RIGHT || d === LEFT || d === LF || d === CR) break;
        j++;
      }
      i = j < n && text.charCodeAt(j) === RIGHT ? j + 1 : i + 1;
    } else if (endsWord(c)) break;
    else i++;
  }
  return i;
}

/** Where the rest of the line starting at `from` ends (the offset of its line break, or the end). */
function endOfLineFrom(text: string, from: number): number {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) break;
    i++;
  }
  return i;
}

/** Receives the tokens of a text in order (scan()); `end` is exclusive. */
export interface TokenSink {
  token(type: TokenType, start: number, end: number): void;
  comment(start: number, end: number): void;
}

/**
 * Lexes `text` into `sink`. At each position the first of these that matches wins, in this order: a byte
 * order mark or blanks (skipped), `~SEQ(`/`~LST(`, `$NAME=`, `include`, a word, a line break, a brace, a
 * quoted string, an unterminated one, a comment. The parser reads tokens this way, so that it never holds
 * every token of a file at once.
 */
export function scan(text: string, sink: TokenSink): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === VT || c === FF || c === BOM) {
      i++;
      continue;
    }
    const start = i;
    let type: TokenType;
    if (c === LF) {
      type = Newline;
      i++;
    } else if (c === CR) {
      type = Newline;
      i += text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else if (c === LEFT) {
      type = LBrace;
      i++;
    } else if (c === RIGHT) {
      type = RBrace;
      i++;
    } else if (c === QUOTE) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === QUOTE || d === LF || d === CR) break;
        j++;
      }
      if (j < n && text.charCodeAt(j) === QUOTE) {
        type = QuotedString;
        i = j + 1;
      } else {
        type = UnterminatedString;
        i = j;
      }
    } else if (c === HASH || c === BANG) {
      i = endOfLineFrom(text, i);
      sink.comment(start, i);
      continue;
    } else {
      let end = -1;
      type = Word;
      if (c === TILDE) {
        SEQUENCE.lastIndex = i;
        if (SEQUENCE.test(text)) {
          end = SEQUENCE.lastIndex;
          type = SequencePrefix;
        }
      } else if (c === DOLLAR) {
        end = matchDefinition(text, i);
        if (end >= 0) type = ParamDefinition;
      } else if (c === 105 /* i */) {
        end = matchInclude(text, i);
        if (end >= 0) type = IncludeDirective;
      }
      i = end >= 0 ? end : endOfWord(text, i);
    }
    sink.token(type, start, i);
  }
}

/** Every token of `text` (line breaks included), and its comments apart. */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Token[] = [];
  scan(text, {
    token: (tokenType, start, end) =>
      tokens.push({ image: text.slice(start, end), startOffset: start, tokenType }),
    comment: (start, end) =>
      comments.push({ image: text.slice(start, end), startOffset: start, tokenType: Comment }),
  });
  return { tokens, comments, errors: [] };
}
