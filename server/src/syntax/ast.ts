// The syntax tree of one keepalived file. Offsets are 0-based UTF-16 offsets into the text, `end` exclusive
// (the lexer gives a start offset and the text of each token).
import type { TemplateBranch, TemplateDialect, TemplateTag } from './template-types';

export interface Span {
  start: number;
  end: number;
}

/** One word of a line: a bare word, a quoted string (quotes included in `text`) or an unterminated one. */
export interface Word extends Span {
  /** Exactly as written. */
  text: string;
  /** The word as keepalived sees it: quotes removed, `\#`/`\!` unescaped. */
  value: string;
  quoted: boolean;
  unterminated: boolean;
  /**
   * Set when the word holds template expressions (syntax/templates.ts): `text` with each expression
   * masked (same length), so what keepalived will see there is unknown. `value` keeps the text as written.
   */
  template?: string;
}

export type StatementKind =
  /** `keyword args... [{ ... }]` */
  | 'keyword'
  /** `include`/`includer`/`includem`/`includew`/`includeb`/`includea` GLOB */
  | 'include'
  /** `$NAME=value` (possibly multi-line) */
  | 'definition'
  /** A line keepalived ignores (starts with `~` that is not `~SEQ`/`~LST`, or `@id` with nothing after it). */
  | 'ignored';

export interface Definition {
  name: string;
  nameSpan: Span;
  /** The raw value, continuation backslashes and newlines kept. */
  value: string;
  valueSpan: Span;
  multiline: boolean;
}

export interface Statement extends Span {
  kind: StatementKind;
  /** `@id` / `@^id` prefix. */
  condition?: Word;
  /** `~SEQ(...)` / `~LST(...)` prefixes, outermost first. */
  sequences: Word[];
  /** The keyword (for an include line, the include word; for a definition, the whole `$NAME=...` token). */
  keyword: Word;
  args: Word[];
  definition?: Definition;
  block?: Block;
  /** The template `if`/`for` branches the line is in (a template file only). */
  branch?: TemplateBranch;
  /**
   * A Jinja `{% include "x" %}`, `{% import "x" as m %}` or `{% from "x" import m %}` read as an include
   * line (kind `include`, keyword value `include`): the template engine reads the file, not keepalived.
   */
  templateInclude?: 'include' | 'import' | 'from';
}

export interface Block extends Span {
  /** Offset of `{`. */
  open: number;
  /** Offset of the matching `}`, absent when the file ends first. */
  close?: number;
  statements: Statement[];
}

export interface Comment extends Span {
  text: string;
}

/**
 * What the parser noticed. Brace problems are facts for the reader (which replays the braces as
 * keepalived reads them) and for checks/structure.ts, which words them; a budget's hit carries its
 * analysis-limit message.
 */
export type SyntaxProblem = Span &
  (
    | { kind: 'extra-closing-brace' }
    /** The first '{' past `depth` open blocks: it and every deeper brace are ignored. */
    | { kind: 'too-deep'; depth: number }
    /** A budget the parser hit (a name from analysis/budget.ts), worded there and reported as analysis-limit. */
    | { kind: 'limit'; budget: 'MAX_FILE_LINES' | 'MAX_FILE_TOKENS' }
    /** A line of more than MAX_LINE_WORDS words: the `dropped` after them are not analysed. */
    | { kind: 'limit'; budget: 'MAX_LINE_WORDS'; dropped: number }
  );

export interface SyntaxTree {
  statements: Statement[];
  comments: Comment[];
  /** `{ ... }` blocks that follow no keyword (keepalived: "Unexpected '{' - ignoring"). */
  strayBlocks: Block[];
  problems: SyntaxProblem[];
  /** The template layer the file was read with, if any. */
  template?: {
    dialect: TemplateDialect;
    tags: TemplateTag[];
    /** The text as lexed: template expressions masked, same length and offsets. */
    masked: string;
    /** Block tags whose line break Ansible's trim_blocks drops, so two lines of keepalived text are one. */
    joins: TemplateTag[];
    branchAt(offset: number): TemplateBranch | undefined;
  };
}

/** Visits every statement depth-first, giving its chain of enclosing statements. No recursion. */
export function walkStatements(
  statements: readonly Statement[],
  visit: (statement: Statement, parents: readonly Statement[]) => void,
  parents: Statement[] = [],
): void {
  const base = parents.length;
  const stack: { list: readonly Statement[]; next: number }[] = [{ list: statements, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.list.length) {
      stack.pop();
      if (parents.length > base) parents.pop();
      continue;
    }
    const statement = top.list[top.next++]!;
    visit(statement, parents);
    if (statement.block) {
      parents.push(statement);
      stack.push({ list: statement.block.statements, next: 0 });
    }
  }
}

/** Every block of the tree, stray ones and those nested in them included, each once, in preorder. */
export function allBlocks(tree: SyntaxTree): Block[] {
  const seen = new Map<number, Block>();
  const stack: { list: readonly Statement[]; next: number }[] = [];
  const enter = (block: Block): void => {
    if (seen.has(block.open)) return;
    seen.set(block.open, block);
    stack.push({ list: block.statements, next: 0 });
  };
  const drain = (): void => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.list.length) stack.pop();
      else {
        const block = top.list[top.next++]!.block;
        if (block) enter(block);
      }
    }
  };
  stack.push({ list: tree.statements, next: 0 });
  drain();
  for (const block of tree.strayBlocks) {
    enter(block);
    drain();
  }
  return [...seen.values()];
}
