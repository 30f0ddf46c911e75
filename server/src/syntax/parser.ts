// A generic, total grammar for keepalived: `line := LINE [block]`, `block := '{' line* ['}']`.
// The words of each physical line are first grouped into one LINE (keepalived is line-based), so the
// parser (a small hand-written recursive descent) reads only the shape, over a few items per line, and a
// `{` on the line after its keyword simply follows the LINE. It knows no keywords (an unknown keyword is a check, not a parse error) and
// every token sequence parses: a stray `}` and a `{` after nothing are alternatives of their own, and a
// block may end at end of file.
import type { Block, Comment, Statement, SyntaxProblem, SyntaxTree, Word } from './ast';
import { decommentLine } from './decomment';
import {
  LBrace,
  Newline,
  RBrace,
  scan,
  type Token,
  type TokenSink,
  type TokenType,
  Word as WordToken,
} from './lexer';
import { interpretLine } from './lines';
import {
  restoreTemplate,
  restoreWords,
  scanTemplate,
  type TemplateDialect,
  type TemplateLayer,
  type TemplateInclude,
  type TemplateOptions,
} from './templates';

/** keepalived's deepest real block is 5 levels; anything far beyond is garbage we must not recurse into. */
export const MAX_BLOCK_DEPTH = 64;

/**
 * Words of one line that are kept (a budget, see docs/robustness.md): keepalived reads at most 1,023 bytes
 * of a line at a time, so no line it reads whole has more than 512 words; the rest of a longer line is
 * dropped with a `limit` problem (and the line is a line-too-long error anyway).
 */
export const MAX_LINE_WORDS = 2048;

/**
 * Lines of one file that are analysed (a budget): the analysis of a line costs some microseconds and
 * hundreds of bytes, so this bounds a file to about a second. The largest real configurations have some
 * 25,000 lines. The rest is skipped with a `limit` problem.
 */
export const MAX_FILE_LINES = 100_000;

/**
 * Tokens (words and braces, counted generously: every run of non-blank characters) of one file that are
 * analysed (a budget): each costs memory while the file is parsed. Some 300,000 in 100,000 real lines.
 */
export const MAX_FILE_TOKENS = 500_000;

/** A block being read: its `{`, the line it belongs to (none for a stray block) and its statements. */
interface OpenBlock {
  open: number;
  owner: Token[] | undefined;
  statements: Statement[];
}

/**
 * The grammar, read as the lexer goes (it never holds every token of a file): the words between line
 * breaks and braces make one line; `document := ( '}' | statement )*`, `statement := block | LINE [block]`,
 * `block := '{' statement* ['}']`. Every token sequence parses: a `}` with no open block is a stray closer,
 * a `{` after no line opens a stray block (kept, in the order they end), and a block may end at end of
 * file. A line is held until the next line or brace shows whether a block follows it (a `{` on a later
 * line still belongs to it). Braces nested deeper than MAX_BLOCK_DEPTH are dropped with their partners.
 */
class LineParser implements TokenSink {
  readonly statements: Statement[] = [];
  readonly comments: Comment[] = [];
  readonly strayBlocks: Block[] = [];
  readonly problems: SyntaxProblem[] = [];
  // Problems by kind, reported in this order by finish() (the order they have always had).
  private readonly depthProblems: SyntaxProblem[] = [];
  private readonly lineProblems: SyntaxProblem[] = [];
  private readonly closerProblems: SyntaxProblem[] = [];
  private readonly blocks: OpenBlock[] = [];
  private list: Statement[] = this.statements;
  /**
   * The words of the line being read: the first `wordCount` of a buffer kept from line to line (a fresh
   * list per line, grown by push(), reserved 17 slots for the two or three words of a usual line: a
   * megabyte per 10,000 lines). Each line gets an exact copy.
   */
  private readonly words: Token[] = [];
  private wordCount = 0;
  private dropped: { start: number; end: number; count: number } | undefined;
  /** The last line read, waiting to see whether a `{` follows it. */
  private pending: Token[] | undefined;
  /** Braces above MAX_BLOCK_DEPTH still open, whose `}` are dropped too. */
  private excess = 0;
  private reportedDepth = false;

  constructor(private readonly text: string) {}

  token(type: TokenType, start: number, end: number): void {
    if (type === Newline) this.endLine();
    else if (type === LBrace) this.openBrace(start);
    else if (type === RBrace) this.closeBrace(start);
    else this.word({ image: this.text.slice(start, end), startOffset: start, tokenType: type });
  }

  comment(start: number, end: number): void {
    const text = this.text;
    const image = text.slice(start, end);
    this.comments.push({ text: image, start, end });
    // keepalived's decomment() keeps a `\` that ends a line even when it ends a comment (lib/parser.c):
    // outside a definition, `# old \` leaves the line `\`, which keepalived reads as the keyword `\`
    // ("Unknown keyword '\'"), and `value # note \` leaves `value\`. On a line that is only a comment,
    // the `\` becomes a word of its own here, at its place; after words it is left out (it would join the
    // last word, whose offsets would then no longer match the text; most keywords take that value all the
    // same).
    if (!image.endsWith('\\')) return;
    let lineStart = start;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    if (text.slice(lineStart, start).trim() !== '') return;
    if (!decommentLine(text.slice(lineStart, end)).continues) return;
    this.word({ image: '\\', startOffset: end - 1, tokenType: WordToken });
  }

  /** Ends the file: the last line, then every block still open (unclosed). */
  finish(): void {
    this.endLine();
    this.flushPending();
    while (this.blocks.length > 0) this.endBlock(undefined);
    this.problems.push(...this.depthProblems, ...this.lineProblems, ...this.closerProblems);
  }

  private word(token: Token): void {
    if (this.wordCount < MAX_LINE_WORDS) this.words[this.wordCount++] = token;
    else {
      const end = token.startOffset + token.image.length;
      if (this.dropped) {
        this.dropped.end = end;
        this.dropped.count++;
      } else this.dropped = { start: token.startOffset, end, count: 1 };
    }
  }

  private endLine(): void {
    const dropped = this.dropped;
    if (dropped) {
      this.lineProblems.push({
        kind: 'limit',
        budget: 'MAX_LINE_WORDS',
        start: dropped.start,
        end: dropped.end,
        dropped: dropped.count,
      });
      this.dropped = undefined;
    }
    if (this.wordCount === 0) return;
    this.flushPending();
    this.pending = this.words.slice(0, this.wordCount);
    this.wordCount = 0;
  }

  /** The held line has no block: it is a statement as it is. */
  private flushPending(): void {
    if (!this.pending) return;
    this.list.push(interpretLine(this.pending, undefined));
    this.pending = undefined;
  }

  // A dropped brace is dropped before lines are split: the words on either side of it make one line.
  private openBrace(at: number): void {
    if (this.blocks.length >= MAX_BLOCK_DEPTH) {
      this.excess++;
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.depthProblems.push({ kind: 'too-deep', start: at, end: at + 1, depth: MAX_BLOCK_DEPTH });
      }
      return;
    }
    this.endLine();
    const block: OpenBlock = { open: at, owner: this.pending, statements: [] };
    this.pending = undefined;
    this.blocks.push(block);
    this.list = block.statements;
  }

  private closeBrace(at: number): void {
    if (this.excess > 0) {
      this.excess--;
      return;
    }
    this.endLine();
    this.flushPending();
    if (this.blocks.length === 0) {
      this.closerProblems.push({ kind: 'extra-closing-brace', start: at, end: at + 1 });
    } else this.endBlock(at);
  }

  /** Closes the innermost block (at the `}` at `close`, or unclosed at end of file). */
  private endBlock(close: number | undefined): void {
    const open = this.blocks.pop()!;
    // A copy of exact size: the block is kept with the tree, and its list, grown by push(), holds 16 slots
    // or more for the few lines of a usual block. Nothing is added to it once the block is closed.
    const statements = open.statements.slice();
    const last = statements[statements.length - 1];
    const end = close !== undefined ? close + 1 : last ? last.end : open.open + 1;
    const block: Block = { open: open.open, close, start: open.open, end, statements };
    const outer = this.blocks[this.blocks.length - 1];
    this.list = outer ? outer.statements : this.statements;
    if (open.owner) this.list.push(interpretLine(open.owner, block));
    else this.strayBlocks.push(block);
  }
}

/**
 * Parses a whole file. Never throws; problems are returned in `problems`. With a template dialect the
 * template layer is masked before lexing and put back into the words after (syntax/templates.ts).
 */
export function parse(original: string, dialect?: TemplateDialect, options?: TemplateOptions): SyntaxTree {
  const layer = dialect ? scanTemplate(original, dialect, options) : undefined;
  const text = layer ? layer.masked : original;
  const limit = analysedPrefix(text);
  const cut = limit?.offset;
  const parser = new LineParser(text);
  scan(cut === undefined ? text : text.slice(0, cut), parser);
  const problems = parser.problems;
  if (limit) {
    let end = limit.offset;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    // Before the problems the parser finds (the order they have always had).
    problems.unshift({ kind: 'limit', budget: limit.budget, start: limit.offset, end });
  }
  parser.finish();
  const statements = parser.statements;
  const comments = parser.comments;
  const tree: SyntaxTree = { statements, comments, strayBlocks: parser.strayBlocks, problems };
  if (layer) {
    restoreTemplate(tree, original, layer);
    if (layer.renderings.length > 0) addRenderings(tree, original, layer);
    for (const inc of layer.includes) insertStatement(tree, templateIncludeLine(inc, original, layer));
    tree.template = {
      dialect: layer.dialect,
      tags: layer.tags,
      masked: layer.masked,
      joins: layer.joins,
      branchAt: (offset: number) => layer.branchAt(offset),
    };
  }
  return tree;
}

/**
 * The other alternatives of one-line conditionals (templates.ts oneLineConditionals), each read as a line
 * of its own at its place in the file: its statement goes in the block that holds its offsets, after the
 * lines before it, and gets its own branch. An alternative with a brace in it would open or close a block
 * in one rendering only; the first alternative alone is read there.
 */
function addRenderings(tree: SyntaxTree, original: string, layer: TemplateLayer): void {
  for (const r of layer.renderings) {
    const words: Token[] = [];
    let braces = false;
    scan(r.masked, {
      token(type, start, end) {
        if (type === LBrace || type === RBrace || type === Newline) braces = true;
        else words.push({ image: r.masked.slice(start, end), startOffset: r.start + start, tokenType: type });
      },
      comment() {},
    });
    if (braces || words.length === 0) continue;
    const s = interpretLine(words, undefined);
    restoreWords(s, original, (w) => r.masked.slice(w.start - r.start, w.end - r.start), layer);
    insertStatement(tree, s);
  }
}

/** Puts a statement read apart into the block that holds its offsets, after the lines before it. */
function insertStatement(tree: SyntaxTree, s: Statement): void {
  let list = tree.statements;
  for (;;) {
    const holder = list.find((x) => x.block && x.block.open < s.start && s.start < x.block.end);
    if (!holder) break;
    list = holder.block!.statements;
  }
  let at = list.length;
  while (at > 0 && list[at - 1]!.start > s.start) at--;
  list.splice(at, 0, s);
}

/**
 * A Jinja include, import or from line with a literal path, as an include line: its keyword is the
 * statement's word, read as plain `include` (no glob, no strictness of keepalived's own), its one argument
 * the quoted path.
 */
function templateIncludeLine(inc: TemplateInclude, text: string, layer: TemplateLayer): Statement {
  const keyword: Word = {
    text: text.slice(inc.keyword.start, inc.keyword.end),
    value: 'include',
    quoted: false,
    unterminated: false,
    ...inc.keyword,
  };
  const path: Word = {
    text: text.slice(inc.path.start, inc.path.end),
    value: inc.value,
    quoted: true,
    unterminated: false,
    ...inc.path,
  };
  return {
    kind: 'include',
    sequences: [],
    keyword,
    args: [path],
    start: inc.keyword.start,
    end: inc.path.end,
    branch: layer.branchAt(inc.keyword.start),
    templateInclude: inc.statement,
  };
}

/**
 * Where the analysed part of a text ends, when it has more than MAX_FILE_LINES lines or MAX_FILE_TOKENS
 * tokens: the start of the first line left out. One pass, before anything is allocated per token.
 */
function analysedPrefix(
  text: string,
): { offset: number; budget: 'MAX_FILE_LINES' | 'MAX_FILE_TOKENS' } | undefined {
  if (text.length <= MAX_FILE_LINES && text.length <= MAX_FILE_TOKENS) return undefined;
  // A token takes at least one character, and a line ends at a LF, a CR or both: when the counts of
  // these characters (found with indexOf, far faster than a loop over every character) stay under the
  // budgets, so do the file's lines and tokens, which is every file of a usual size.
  if (text.length <= MAX_FILE_TOKENS && lineBreaksUnder(text, MAX_FILE_LINES)) return undefined;
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

/** Whether `text` holds fewer than `limit` LF and CR characters together. */
function lineBreaksUnder(text: string, limit: number): boolean {
  let breaks = 0;
  for (const c of ['\n', '\r'])
    for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) if (++breaks >= limit) return false;
  return true;
}

export type { Word };
