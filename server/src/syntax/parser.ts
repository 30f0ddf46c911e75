// A generic, total grammar for keepalived: `line := LINE [block]`, `block := '{' line* ['}']`.
// The words of each physical line are first grouped into one LINE (keepalived is line-based), so the
// parser (a small hand-written recursive descent) reads only the shape, over a few items per line, and a
// `{` on the line after its keyword simply follows the LINE. It knows no keywords (an unknown keyword is a check, not a parse error) and
// every token sequence parses: a stray `}` and a `{` after nothing are alternatives of their own, and a
// block may end at end of file.
import type { Block, Comment, Statement, SyntaxProblem, SyntaxTree, Word } from './ast';
import { decommentLine } from './decomment';
import { LBrace, lex, Newline, RBrace, type Token, Word as WordToken } from './lexer';
import { interpretLine } from './lines';
import { restoreTemplate, scanTemplate, type TemplateDialect } from './templates';

/** keepalived's deepest real block is 5 levels; anything far beyond is garbage we must not recurse into. */
export const MAX_DEPTH = 64;

/**
 * Words of one line that are kept (a budget, see docs/robustness.md): keepalived reads at most 1,023 bytes
 * of a line at a time, so no line it reads whole has more than 512 words; the rest of a longer line is
 * dropped with a `limit` problem (and the line is a line-too-long error anyway).
 */
export const MAX_LINE_WORDS = 2048;

/**
 * Lines of one file that are analysed (a budget): what a line costs in memory is what bounds a file, and a
 * million lines is some 15 MB of configuration. The rest is skipped with a `limit` problem.
 */
export const MAX_FILE_LINES = 1_000_000;

/**
 * Tokens (words and braces, counted generously: every run of non-blank characters) of one file that are
 * analysed (a budget): each costs memory while the file is parsed. Some 2.5 million in a 15 MB config.
 */
export const MAX_FILE_TOKENS = 4_000_000;

/** What the parser reads: a brace, or the words of one line (between line breaks and braces). */
type Item = Token | Token[];

/**
 * Groups the words between line breaks and braces into lines (arrays of word tokens); drops line breaks
 * and keeps braces as they are.
 */
function groupLines(tokens: Token[], problems: SyntaxProblem[]): Item[] {
  const out: Item[] = [];
  let words: Token[] = [];
  let dropped: { first: Token; last: Token; count: number } | undefined;
  const flush = (): void => {
    if (dropped) {
      const end = dropped.last.startOffset + dropped.last.image.length;
      problems.push({
        kind: 'limit',
        budget: 'MAX_LINE_WORDS',
        start: dropped.first.startOffset,
        end,
        message: `This line has ${MAX_LINE_WORDS + dropped.count} words; the linter analyses the first ${MAX_LINE_WORDS} (MAX_LINE_WORDS) and skips the other ${dropped.count}. keepalived reads at most 1023 bytes of a line at a time.`,
      });
      dropped = undefined;
    }
    if (words.length === 0) return;
    out.push(words);
    words = [];
  };
  for (const token of tokens) {
    if (token.tokenType === Newline) flush();
    else if (token.tokenType === LBrace || token.tokenType === RBrace) {
      flush();
      out.push(token);
    } else if (words.length < MAX_LINE_WORDS) words.push(token);
    else if (dropped) {
      dropped.last = token;
      dropped.count++;
    } else dropped = { first: token, last: token, count: 1 };
  }
  flush();
  return out;
}

/**
 * `document := ( '}' | statement )*`, `statement := block | LINE [block]`, `block := '{' statement* ['}']`.
 * Every item sequence parses: a `}` with no open block is a stray closer, a `{` after no line a stray
 * block (kept, in the order they end), and a block may end at end of file. Blocks nest at most MAX_DEPTH
 * deep (limitDepth), so the recursion is bounded.
 */
class LineParser {
  readonly strayClosers: Token[] = [];
  readonly strayBlocks: Block[] = [];
  private next = 0;

  constructor(private readonly items: readonly Item[]) {}

  document(): Statement[] {
    const statements: Statement[] = [];
    const items = this.items;
    while (this.next < items.length) {
      const item = items[this.next]!;
      if (!Array.isArray(item) && item.tokenType === RBrace) {
        this.strayClosers.push(item);
        this.next++;
      } else this.statement(statements);
    }
    return statements;
  }

  /** One statement (or stray block) at `items[next]`, which is a line or a `{`. */
  private statement(into: Statement[]): void {
    const item = this.items[this.next]!;
    if (!Array.isArray(item)) {
      this.strayBlocks.push(this.block(item));
      return;
    }
    this.next++;
    const after = this.items[this.next];
    const block =
      after && !Array.isArray(after) && after.tokenType === LBrace ? this.block(after) : undefined;
    into.push(interpretLine(item, block));
  }

  /** The block opened by `open`, the `{` at `items[next]`. */
  private block(open: Token): Block {
    this.next++;
    const statements: Statement[] = [];
    const items = this.items;
    let close: Token | undefined;
    while (this.next < items.length) {
      const item = items[this.next]!;
      if (!Array.isArray(item) && item.tokenType === RBrace) {
        close = item;
        this.next++;
        break;
      }
      this.statement(statements);
    }
    const last = statements[statements.length - 1];
    const end = close ? close.startOffset + 1 : last ? last.end : open.startOffset + 1;
    return { open: open.startOffset, close: close?.startOffset, start: open.startOffset, end, statements };
  }
}

/**
 * Parses a whole file. Never throws; problems are returned in `problems`. With a template dialect the
 * template layer is masked before lexing and put back into the words after (syntax/templates.ts).
 */
export function parse(original: string, dialect?: TemplateDialect): SyntaxTree {
  const layer = dialect ? scanTemplate(original, dialect) : undefined;
  const text = layer ? layer.masked : original;
  const limit = analysedPrefix(text);
  const cut = limit?.offset;
  const lexed = lex(cut === undefined ? text : text.slice(0, cut));
  const problems: SyntaxProblem[] = lexed.errors.map((e) => ({
    kind: 'lexer',
    start: e.offset,
    end: e.offset + e.length,
    message: e.message,
  }));
  if (limit) {
    let end = limit.offset;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    problems.push({
      kind: 'limit',
      budget: limit.budget,
      start: limit.offset,
      end,
      message:
        limit.budget === 'MAX_FILE_LINES'
          ? `This file has more than ${MAX_FILE_LINES} lines: the linter analyses the first ${MAX_FILE_LINES} (MAX_FILE_LINES) and skips the rest, from this line on, so findings that depend on it are less certain.`
          : `This file has more than ${MAX_FILE_TOKENS} words and braces: the linter analyses the lines before this one (MAX_FILE_TOKENS) and skips the rest, so findings that depend on it are less certain.`,
    });
  }
  const tokens = limitDepth(withLeftBackslashes(lexed.tokens, lexed.comments, text), problems);
  const parser = new LineParser(groupLines(tokens, problems));
  const statements = parser.document();
  for (const closer of parser.strayClosers) {
    problems.push({
      kind: 'extra-closing-brace',
      start: closer.startOffset,
      end: closer.startOffset + 1,
      message: "Extra '}': no block is open here.",
    });
  }
  collectUnclosed(statements, parser.strayBlocks, problems);
  for (const stray of parser.strayBlocks) {
    problems.push({
      kind: 'unexpected-block',
      start: stray.open,
      end: stray.open + 1,
      message: "Unexpected '{': it follows no keyword, so keepalived ignores it.",
    });
  }
  const comments: Comment[] = lexed.comments.map((c) => ({
    text: c.image,
    start: c.startOffset,
    end: c.startOffset + c.image.length,
  }));
  const tree: SyntaxTree = { statements, comments, strayBlocks: parser.strayBlocks, problems };
  if (layer) {
    restoreTemplate(tree, original, layer);
    tree.template = {
      dialect: layer.dialect,
      tags: layer.tags,
      masked: layer.masked,
      branchAt: (offset: number) => layer.branchAt(offset),
    };
  }
  return tree;
}

/**
 * Where the analysed part of a text ends, when it has more than MAX_FILE_LINES lines or MAX_FILE_TOKENS
 * tokens: the start of the first line left out. One pass, before anything is allocated per token.
 */
function analysedPrefix(
  text: string,
): { offset: number; budget: 'MAX_FILE_LINES' | 'MAX_FILE_TOKENS' } | undefined {
  if (text.length <= MAX_FILE_LINES && text.length <= MAX_FILE_TOKENS) return undefined;
  let lines = 0;
  let tokens = 0;
  let lineStart = 0;
  let inRun = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      inRun = false;
      lineStart = i + 1;
      if (++lines === MAX_FILE_LINES)
        return lineStart < text.length ? { offset: lineStart, budget: 'MAX_FILE_LINES' } : undefined;
    } else if (c === 32 || c === 9 || c === 11 || c === 12) inRun = false;
    else if (c === 123 || c === 125 || !inRun) {
      // A brace is a token of its own; any other character starts one after a blank.
      inRun = c !== 123 && c !== 125;
      if (++tokens > MAX_FILE_TOKENS) return { offset: lineStart, budget: 'MAX_FILE_TOKENS' };
    }
  }
  return undefined;
}

/**
 * keepalived's decomment() keeps a `\` that ends a line even when it ends a comment (lib/parser.c): outside
 * a definition, `# old \` leaves the line `\`, which keepalived reads as the keyword `\` ("Unknown keyword
 * '\'"), and `value # note \` leaves `value\`. On a line that is only a comment, the `\` becomes a
 * word of its own here, at its place; after words it is left out (it would join the last word, whose
 * offsets would then no longer match the text; most keywords take that value all the same).
 */
function withLeftBackslashes(tokens: Token[], comments: Token[], text: string): Token[] {
  const left: Token[] = [];
  for (const c of comments) {
    if (!c.image.endsWith('\\')) continue;
    let lineStart = c.startOffset;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    if (text.slice(lineStart, c.startOffset).trim() !== '') continue;
    if (!decommentLine(text.slice(lineStart, c.startOffset + c.image.length)).continues) continue;
    const at = c.startOffset + c.image.length - 1;
    left.push({
      image: '\\',
      startOffset: at,
      tokenType: WordToken,
    });
  }
  if (left.length === 0) return tokens;
  const merged: Token[] = [];
  let i = 0;
  for (const t of left) {
    while (i < tokens.length && tokens[i]!.startOffset < t.startOffset) merged.push(tokens[i++]!);
    merged.push(t);
  }
  while (i < tokens.length) merged.push(tokens[i++]!);
  return merged;
}

/** Drops braces nested deeper than MAX_DEPTH (and their partners) so that parsing cannot exhaust the stack. */
function limitDepth(tokens: Token[], problems: SyntaxProblem[]): Token[] {
  if (maxDepth(tokens) <= MAX_DEPTH) return tokens;
  let depth = 0;
  let excess = 0;
  let reported = false;
  const kept: Token[] = [];
  for (const token of tokens) {
    if (token.tokenType === LBrace) {
      if (depth >= MAX_DEPTH) {
        excess++;
        if (!reported) {
          reported = true;
          problems.push({
            kind: 'too-deep',
            start: token.startOffset,
            end: token.startOffset + 1,
            message: `Blocks are nested more than ${MAX_DEPTH} levels deep; deeper braces are ignored.`,
          });
        }
        continue;
      }
      depth++;
    } else if (token.tokenType === RBrace) {
      if (excess > 0) {
        excess--;
        continue;
      }
      if (depth > 0) depth--;
    }
    kept.push(token);
  }
  return kept;
}

function maxDepth(tokens: Token[]): number {
  let depth = 0;
  let max = 0;
  for (const token of tokens) {
    if (token.tokenType === LBrace) max = Math.max(max, ++depth);
    else if (token.tokenType === RBrace && depth > 0) depth--;
  }
  return max;
}

/** Blocks never closed, in preorder (an explicit stack: no recursion). */
function collectUnclosed(statements: Statement[], strays: Block[], problems: SyntaxProblem[]): void {
  const stack: { list: readonly Statement[]; next: number }[] = [];
  const visitBlock = (block: Block, owner: string): void => {
    if (block.close === undefined) {
      problems.push({
        kind: 'unclosed-block',
        start: block.open,
        end: block.open + 1,
        message: `The block of ${owner} opened here is never closed: add '}'.`,
      });
    }
    stack.push({ list: block.statements, next: 0 });
  };
  const drain = (): void => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.list.length) {
        stack.pop();
        continue;
      }
      const s = top.list[top.next++]!;
      if (s.block) visitBlock(s.block, `'${s.keyword.value}'`);
    }
  };
  stack.push({ list: statements, next: 0 });
  drain();
  for (const b of strays) {
    visitBlock(b, 'a stray brace');
    drain();
  }
}

export type { Word };
