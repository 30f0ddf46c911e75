// A generic, total grammar for keepalived: `line := LINE [block]`, `block := '{' line* ['}']`.
// The words of each physical line are first grouped into one LINE token (keepalived is line-based), so
// chevrotain parses only the shape, over a few tokens per line, and a `{` on the line after its keyword
// simply follows the LINE. It knows no keywords (an unknown keyword is a check, not a parse error) and
// every token sequence parses: a stray `}` and a `{` after nothing are alternatives of their own, and a
// block may end at end of file.
import { createToken, EmbeddedActionsParser, type IToken } from 'chevrotain';
import type { Block, Comment, Statement, SyntaxProblem, SyntaxTree, Word } from './ast';
import { LBrace, lex, Newline, RBrace } from './lexer';
import { interpretLine } from './lines';

/** keepalived's deepest real block is 5 levels; anything far beyond is garbage we must not recurse into. */
export const MAX_DEPTH = 64;

/** The words of one line (between line breaks and braces); `payload` holds the word tokens. */
const Line = createToken({ name: 'Line', pattern: /NOT_LEXED/ });

class KeepalivedParser extends EmbeddedActionsParser {
  strayClosers: IToken[] = [];
  strayBlocks: Block[] = [];

  constructor() {
    super([Line, LBrace, RBrace], { recoveryEnabled: false, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  /** The statement list being filled: blocks nest, so a stack (no per-call closures over it). */
  private readonly lists: Statement[][] = [];

  // The alternatives are built once: chevrotain would otherwise allocate them on every call, which is
  // once per line of the file.
  private readonly documentAlternatives = [
    {
      ALT: () => {
        const closer = this.CONSUME(RBrace);
        this.ACTION(() => this.strayClosers.push(closer));
      },
    },
    { ALT: () => this.statementOrStray() },
  ];

  private readonly statementAlternatives = [
    {
      ALT: () => {
        const block = this.SUBRULE(this.block);
        this.ACTION(() => this.strayBlocks.push(block));
      },
    },
    {
      ALT: () => {
        const line = this.CONSUME(Line);
        let block: Block | undefined;
        this.OPTION1(() => {
          block = this.SUBRULE1(this.block);
        });
        this.ACTION(() =>
          this.lists[this.lists.length - 1]!.push(interpretLine(line.payload as IToken[], block)),
        );
      },
    },
  ];

  public document = this.RULE('document', (): Statement[] => {
    const statements: Statement[] = [];
    this.ACTION(() => this.lists.push(statements));
    this.MANY(() => this.OR(this.documentAlternatives));
    this.ACTION(() => this.lists.pop());
    return statements;
  });

  private statementOrStray(): void {
    this.OR1(this.statementAlternatives);
  }

  private block = this.RULE('block', (): Block => {
    const open = this.CONSUME(LBrace);
    const statements: Statement[] = [];
    this.ACTION(() => this.lists.push(statements));
    this.MANY(() => this.statementOrStray());
    this.ACTION(() => this.lists.pop());
    let close: IToken | undefined;
    this.OPTION2(() => {
      close = this.CONSUME(RBrace);
    });
    const end = close ? close.startOffset + 1 : this.lastEnd(open, statements);
    return { open: open.startOffset, close: close?.startOffset, start: open.startOffset, end, statements };
  });

  private lastEnd(open: IToken, statements: Statement[]): number {
    const last = statements[statements.length - 1];
    return last ? last.end : open.startOffset + 1;
  }
}

/** Groups the words between line breaks and braces into LINE tokens; drops line breaks. */
function groupLines(tokens: IToken[]): IToken[] {
  const out: IToken[] = [];
  let words: IToken[] = [];
  const flush = (): void => {
    if (words.length === 0) return;
    const first = words[0]!;
    const last = words[words.length - 1]!;
    // A plain token object (chevrotain matches on tokenTypeIdx): cheaper than createTokenInstance.
    const line: IToken = {
      image: first.image,
      startOffset: first.startOffset,
      endOffset: last.startOffset + last.image.length - 1,
      tokenType: Line,
      tokenTypeIdx: Line.tokenTypeIdx!,
      payload: words,
    };
    out.push(line);
    words = [];
  };
  for (const token of tokens) {
    if (token.tokenType === Newline) flush();
    else if (token.tokenType === LBrace || token.tokenType === RBrace) {
      flush();
      out.push(token);
    } else words.push(token);
  }
  flush();
  return out;
}

let sharedParser: KeepalivedParser | undefined;

/** Parses a whole file. Never throws; problems are returned in `problems`. */
export function parse(text: string): SyntaxTree {
  const lexed = lex(text);
  const problems: SyntaxProblem[] = lexed.errors.map((e) => ({
    kind: 'lexer',
    start: e.offset,
    end: e.offset + e.length,
    message: e.message,
  }));
  const tokens = limitDepth(lexed.tokens, problems);
  const parser = (sharedParser ??= new KeepalivedParser());
  parser.strayClosers = [];
  parser.strayBlocks = [];
  parser.input = groupLines(tokens);
  const statements = parser.document() ?? [];
  for (const error of parser.errors) {
    const token = error.token;
    const start = Number.isFinite(token.startOffset) ? token.startOffset : text.length;
    problems.push({
      kind: 'lexer',
      start,
      end: start + Math.max(token.image.length, 1),
      message: error.message,
    });
  }
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
  return { statements, comments, strayBlocks: parser.strayBlocks, problems };
}

/** Drops braces nested deeper than MAX_DEPTH (and their partners) so that parsing cannot exhaust the stack. */
function limitDepth(tokens: IToken[], problems: SyntaxProblem[]): IToken[] {
  if (maxDepth(tokens) <= MAX_DEPTH) return tokens;
  let depth = 0;
  let excess = 0;
  let reported = false;
  const kept: IToken[] = [];
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

function maxDepth(tokens: IToken[]): number {
  let depth = 0;
  let max = 0;
  for (const token of tokens) {
    if (token.tokenType === LBrace) max = Math.max(max, ++depth);
    else if (token.tokenType === RBrace && depth > 0) depth--;
  }
  return max;
}

function collectUnclosed(statements: Statement[], strays: Block[], problems: SyntaxProblem[]): void {
  const visitBlock = (block: Block, owner: string): void => {
    if (block.close === undefined) {
      problems.push({
        kind: 'unclosed-block',
        start: block.open,
        end: block.open + 1,
        message: `The block of ${owner} opened here is never closed: add '}'.`,
      });
    }
    for (const s of block.statements) visitStatement(s);
  };
  const visitStatement = (s: Statement): void => {
    if (s.block) visitBlock(s.block, `'${s.keyword.value}'`);
  };
  statements.forEach(visitStatement);
  strays.forEach((b) => visitBlock(b, 'a stray brace'));
}

export type { Word };
