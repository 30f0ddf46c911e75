// The keepalived lexer. It accepts every input: any character that is not whitespace, a brace, a quote or a
// comment start belongs to a word, so tokenizing never fails. Line structure matters (keepalived reads a
// config line by line), so newlines are tokens.
import { createToken, Lexer, type CustomPatternMatcherFunc, type IToken, type TokenType } from 'chevrotain';
import { decommentLine } from './decomment';

/** Whitespace as keepalived splits words: space, tab, form feed, vertical tab (not Unicode spaces). */
const BLANK = ' \t\f\v';

export const Newline = createToken({ name: 'Newline', pattern: /\r\n|\r|\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\f\v]+/, group: Lexer.SKIPPED });
export const Bom = createToken({ name: 'Bom', pattern: /\uFEFF/, group: Lexer.SKIPPED });
/** `#` and `!` start a comment anywhere outside quotes; kept in a group for suppressions and hover. */
export const Comment = createToken({ name: 'Comment', pattern: /[#!][^\r\n]*/, group: 'comments' });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const QuotedString = createToken({ name: 'QuotedString', pattern: /"[^"\r\n]*"/ });
/** A `"` with no closing quote on its line: a token, reported later by a check. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"[^"\r\n]*/ });
/** `~SEQ(var, start, step, end)`, `~SEQx(...)`, `~LST(...)` loop prefixes; may contain spaces and braces. */
export const SequencePrefix = createToken({
  name: 'SequencePrefix',
  pattern: /~(?:SEQx?|LST)\([^)\r\n]*\)?/,
});

/**
 * `$NAME=value` at the start of a line (optionally after an `@id` prefix) defines a parameter. Where it ends
 * is decided as keepalived decides it (read_line() in lib/parser.c), on each line with its comment removed
 * (decommentLine): a line that ends in `\` goes on to the next line, even when the `\` ends a comment
 * (`# old line \`); a line that is empty once decommented (a blank line, or a comment line without a final
 * `\`) ends the definition and is not part of it. So multi-line definitions become one token and their
 * lines are not parsed as structure. A trailing comment on the last line stays a comment token.
 */
const matchDefinition: CustomPatternMatcherFunc = (text, offset) => {
  // Cheap test first: the lexer calls this at every token position.
  if (text.charCodeAt(offset) !== 36 /* $ */ || !atLineStart(text, offset)) return null;
  const head = /\$[A-Za-z_][A-Za-z0-9_]*=/y;
  head.lastIndex = offset;
  if (!head.test(text)) return null;
  let lineStart = head.lastIndex;
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
  const match = [text.slice(offset, end)] as unknown as RegExpExecArray;
  match.index = offset;
  return match;
};
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

export const ParamDefinition = createToken({
  name: 'ParamDefinition',
  pattern: { exec: matchDefinition },
  line_breaks: true,
  start_chars_hint: ['$'],
});

/**
 * `include GLOB` (and includer/m/w/b/a) at the start of a line. keepalived recognises include lines before it
 * splits braces or expands parameters, so the glob (which may contain `{a,b}`) is one token up to a comment.
 */
const matchInclude: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 105 /* i */) return null;
  let i = offset - 1;
  while (i >= 0 && BLANK.includes(text[i]!)) i--;
  if (i >= 0 && text[i] !== '\n' && text[i] !== '\r' && text[i] !== '\uFEFF') return null;
  const re = /include[rmwba]?[ \t]+[^\r\n#!]*/y;
  re.lastIndex = offset;
  const m = re.exec(text);
  if (!m) return null;
  // Trailing blanks off by hand: /[ \t]+$/ would try every blank of a long run and take quadratic time.
  let end = m[0].length;
  while (end > 0 && (m[0][end - 1] === ' ' || m[0][end - 1] === '\t')) end--;
  const trimmed = m[0].slice(0, end);
  if (!/[ \t]\S/.test(trimmed)) return null;
  const match = [trimmed] as unknown as RegExpExecArray;
  match.index = offset;
  return match;
};

export const IncludeDirective = createToken({
  name: 'IncludeDirective',
  pattern: { exec: matchInclude },
  line_breaks: false,
  start_chars_hint: ['i'],
});

/**
 * A word: anything up to whitespace, a brace, a quote or a comment start. `\#` and `\!` are escapes that
 * keep the character in the word; a lone `\` is an ordinary character.
 */
// chevrotain buckets characters above 255 into groups of 255, so one representative per group (we take
// several to be safe) lets it route every non-ASCII character to Word.
const WORD_START_CHARS: number[] = [];
for (let c = 0; c < 256; c++)
  if (!' \t\f\v\r\n{}"#!'.includes(String.fromCharCode(c))) WORD_START_CHARS.push(c);
for (let c = 256; c <= 0xffff; c += 64) WORD_START_CHARS.push(c);
WORD_START_CHARS.push(0xffff);

export const Word = createToken({
  name: 'Word',
  // `${NAME}` parameter uses keep their braces: keepalived substitutes them before it looks for blocks.
  pattern: /(?:\$\{[^{}\r\n]*\}|\\[#!]|\\|[^ \t\f\v\r\n{}"#!\\])+/,
  // Every character a word can start with, so chevrotain can pick patterns by first character.
  start_chars_hint: WORD_START_CHARS,
});

// Order matters only where patterns overlap: `~SEQ(` and `$NAME=` before Word. Otherwise the commonest
// tokens come first, because the lexer tries patterns in order (Word's complement class rules out
// chevrotain's first-character optimisation).
export const allTokens: TokenType[] = [
  Bom,
  Blank,
  SequencePrefix,
  ParamDefinition,
  IncludeDirective,
  Word,
  Newline,
  LBrace,
  RBrace,
  QuotedString,
  UnterminatedString,
  Comment,
];

const lexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
  // Our patterns cover every character, but keep going if something slips through rather than throw.
  recoveryEnabled: true,
});

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  /** Characters no token matched (should not happen; reported as syntax errors if it does). */
  errors: { offset: number; length: number; message: string }[];
}

export function lex(text: string): LexResult {
  const result = lexer.tokenize(text);
  return {
    tokens: result.tokens,
    comments: result.groups['comments'] ?? [],
    errors: result.errors.map((e) => ({ offset: e.offset, length: e.length, message: e.message })),
  };
}
