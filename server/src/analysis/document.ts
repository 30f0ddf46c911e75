// Analysis of one file: parse once, then place every statement in keepalived's keyword tables the way
// keepalived itself would, and expand `$PARAM` uses where the definition is known. Checks and editor
// features read this; none of them re-parses.
import type { KeywordSpec, ValueLines } from '../schema';
import type { Statement, SyntaxTree } from '../syntax/ast';
import { parse } from '../syntax/parser';
import { LineIndex } from '../syntax/position';
import type { ParamTable } from './params';
import { readAsKeepalived, type BraceProblem } from './reader';

export type Role =
  /** A keyword line; `spec` is set when keepalived knows the keyword in this block. */
  | 'keyword'
  /** A line inside a `{ ... }` value block (an address, a track entry, ...). */
  | 'value-line'
  | 'include'
  | 'definition'
  | 'ignored';

export interface PlacedStatement {
  statement: Statement;
  role: Role;
  /** Path of the block keepalived reads this line in ('' = top level). */
  parentPath: string;
  spec?: KeywordSpec;
  /** For value lines: the grammar of the block they are in, and the block's keyword. */
  valueLines?: ValueLines;
  owner?: KeywordSpec;
  /** The line is switched off by an `@id` prefix that does not match the configured id. */
  inactive: boolean;
  /** Arguments after `$PARAM` expansion; a word whose value depends on an unknown parameter is undefined. */
  expandedArgs: (string | undefined)[];
}

export interface AnalyzeOptions {
  /** keepalived's `--config-id`; undefined = every `@id` variant is possible. */
  configId?: string;
}

export interface AnalyzedFile {
  path: string;
  text: string;
  lines: LineIndex;
  tree: SyntaxTree;
  /** Every statement in document order, nested ones after their parent. */
  placed: PlacedStatement[];
  params: ParamTable;
  /** Brace problems as keepalived sees them (it does not nest the braces of unknown keywords). */
  braces: BraceProblem[];
}

export function analyzeText(path: string, text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  const tree = parse(text);
  const params: ParamTable = new Map();
  // Without includes, a parameter this file does not define is undefined everywhere: keepalived then
  // keeps `$NAME` literally. With includes it may be defined elsewhere, so its value is unknown here.
  const complete = !hasIncludes(tree.statements);
  const { placed, braces } = readAsKeepalived(tree, { params, options, complete });
  return { path, text, lines: new LineIndex(text), tree, placed, params, braces };
}

function hasIncludes(statements: readonly Statement[]): boolean {
  return statements.some((s) => s.kind === 'include' || (s.block ? hasIncludes(s.block.statements) : false));
}
