// Analysis of one file: parse once, then place every statement in keepalived's keyword tables the way
// keepalived itself would, and expand `$PARAM` uses where the definition is known. Checks and editor
// features read this; none of them re-parses.
import { keywordAt, lookupKeyword, type KeywordSpec, type ValueLines } from '../schema';
import type { Definition, Statement, SyntaxTree, Word } from '../syntax/ast';
import { parse } from '../syntax/parser';
import { LineIndex } from '../syntax/position';
import { expandWord, type ParamTable } from './params';

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
}

export function analyzeText(path: string, text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  const tree = parse(text);
  const params: ParamTable = new Map();
  const placed: PlacedStatement[] = [];
  placeAll(tree.statements, '', undefined, false, { placed, params, options });
  return { path, text, lines: new LineIndex(text), tree, placed, params };
}

interface PlaceContext {
  placed: PlacedStatement[];
  params: ParamTable;
  options: AnalyzeOptions;
}

function placeAll(
  statements: readonly Statement[],
  parentPath: string,
  valueOwner: KeywordSpec | undefined,
  inactiveParent: boolean,
  ctx: PlaceContext,
): void {
  for (const statement of statements) place(statement, parentPath, valueOwner, inactiveParent, ctx);
}

function place(
  statement: Statement,
  parentPath: string,
  valueOwner: KeywordSpec | undefined,
  inactiveParent: boolean,
  ctx: PlaceContext,
): void {
  const inactive = inactiveParent || !conditionHolds(statement.condition, ctx.options.configId);
  const expandedArgs = statement.args.map((w) => expandWord(w, ctx.params));
  const base = { statement, parentPath, inactive, expandedArgs };

  if (statement.kind === 'definition') {
    if (!inactive) recordDefinition(statement.definition!, ctx.params);
    ctx.placed.push({ ...base, role: 'definition' });
    return;
  }
  if (statement.kind === 'include' || statement.kind === 'ignored') {
    ctx.placed.push({ ...base, role: statement.kind });
    return;
  }
  if (valueOwner) {
    ctx.placed.push({ ...base, role: 'value-line', valueLines: valueOwner.valueLines, owner: valueOwner });
    // A nested block inside a value block is not keepalived syntax; keep reading its lines as values.
    if (statement.block) placeAll(statement.block.statements, parentPath, valueOwner, inactive, ctx);
    return;
  }

  const name = expandWord(statement.keyword, ctx.params) ?? statement.keyword.value;
  const spec = lookupKeyword(parentPath, name);
  ctx.placed.push({ ...base, role: 'keyword', spec });
  if (!statement.block) return;
  if (spec?.block === 'keywords') {
    placeAll(statement.block.statements, spec.path, undefined, inactive, ctx);
  } else if (spec?.block === 'values') {
    placeAll(statement.block.statements, spec.path, spec, inactive, ctx);
  } else {
    // keepalived does not skip the braces of an unknown keyword (or of one that takes no block): it
    // reads the lines inside at the current level.
    placeAll(statement.block.statements, parentPath, undefined, inactive, ctx);
  }
}

/** `@id` keeps a line when id is the config id; `@^id` when it is not. Without a config id, all are kept. */
export function conditionHolds(condition: Word | undefined, configId: string | undefined): boolean {
  if (!condition || configId === undefined) return true;
  const negated = condition.value.startsWith('@^');
  const id = condition.value.slice(negated ? 2 : 1);
  return negated ? id !== configId : id === configId;
}

function recordDefinition(definition: Definition, params: ParamTable): void {
  params.set(definition.name, definition);
}

export function specOfPath(path: string): KeywordSpec | undefined {
  return keywordAt(path);
}
