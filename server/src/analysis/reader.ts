// Reads the syntax tree the way keepalived reads a config, so that every line lands in the keyword table
// keepalived would look it up in. keepalived does not nest braces generically: the `{` after a keyword that
// takes no block (or an unknown one) is ignored, the lines inside are read at the current level, and the
// matching `}` closes the *enclosing* block. Replaying that on the tree's lines and braces in document
// order gives the same unknown keywords and extra braces keepalived reports, on the same lines.
import { lookupKeyword, type KeywordSpec } from '../schema';
import type { Block, Statement, SyntaxTree } from '../syntax/ast';
import type { AnalyzeOptions, PlacedStatement } from './document';
import { conditionHolds } from './conditions';
import { expandWord, type ParamTable } from './params';

export interface BraceProblem {
  kind: 'unclosed-block' | 'extra-closing-brace' | 'unexpected-block' | 'missing-block';
  start: number;
  end: number;
  message: string;
}

type Event =
  | { type: 'line'; at: number; statement: Statement }
  | { type: 'open'; at: number; block: Block }
  | { type: 'close'; at: number };

interface Context {
  /** Keyword table path ('' = top level). */
  path: string;
  /** Set for `{ ... }` value blocks. */
  values?: KeywordSpec;
  inactive: boolean;
  /** Who opened it, for messages. */
  owner?: Statement;
  open?: number;
}

interface ReaderInput {
  params: ParamTable;
  options: AnalyzeOptions;
  complete: boolean;
}

export function readAsKeepalived(
  tree: SyntaxTree,
  input: ReaderInput,
): { placed: PlacedStatement[]; braces: BraceProblem[] } {
  const events = collectEvents(tree);
  const placed: PlacedStatement[] = [];
  const braces: BraceProblem[] = [];
  const stack: Context[] = [{ path: '', inactive: false }];
  /** The previous line, while the next event may still be its `{`. */
  let pending: { statement: Statement; spec?: KeywordSpec; context: Context; inactive: boolean } | undefined;

  const missingBlock = (at: { start: number; end: number }): void => {
    const p = pending!;
    braces.push({
      kind: 'missing-block',
      ...at,
      message: `'${p.spec!.name}' opens a block, so keepalived expects '{' before this (Missing '{' at beginning of configuration block); without it, '${p.spec!.name}' is ignored.`,
    });
  };

  for (const event of events) {
    const top = stack[stack.length - 1]!;
    if (event.type === 'line') {
      const s = event.statement;
      if (pending?.spec?.block && !pending.inactive)
        missingBlock({ start: s.keyword.start, end: s.keyword.end });
      pending = undefined;
      const inactive = top.inactive || !conditionHolds(s.condition, input.options.configId);
      const entry = place(s, top, inactive, input);
      placed.push(entry);
      if (s.kind === 'definition' && !inactive) input.params.set(s.definition!.name, s.definition!);
      pending = { statement: s, spec: entry.spec, context: top, inactive };
      continue;
    }
    if (event.type === 'open') {
      const owner = pending;
      pending = undefined;
      if (owner && owner.statement.block === event.block && (owner.spec?.block || owner.inactive)) {
        const spec = owner.spec;
        stack.push({
          path: spec ? spec.path : top.path,
          values: spec?.block === 'values' ? spec : undefined,
          inactive: owner.inactive,
          owner: owner.statement,
          open: event.at,
        });
      } else if (!top.inactive) {
        braces.push({
          kind: 'unexpected-block',
          start: event.at,
          end: event.at + 1,
          message: unexpectedMessage(owner, top),
        });
      }
      continue;
    }
    // close
    if (pending?.spec?.block && !pending.inactive) missingBlock({ start: event.at, end: event.at + 1 });
    pending = undefined;
    if (stack.length > 1) stack.pop();
    else {
      braces.push({
        kind: 'extra-closing-brace',
        start: event.at,
        end: event.at + 1,
        message:
          "Extra '}': no block is open here, so keepalived reports it (often a '{' earlier was ignored, see the warnings above).",
      });
    }
  }
  if (pending?.spec?.block && !pending.inactive) {
    missingBlock({ start: pending.statement.keyword.start, end: pending.statement.keyword.end });
  }
  for (const open of stack.slice(1)) {
    if (open.inactive) continue;
    const name = open.owner ? `'${open.owner.keyword.value}'` : 'this block';
    braces.push({
      kind: 'unclosed-block',
      start: open.open!,
      end: open.open! + 1,
      message: `The block of ${name} opened here is never closed: add '}' (keepalived: "missing '}'s or extra '{'s").`,
    });
  }
  return { placed, braces };
}

function unexpectedMessage(
  owner: { statement: Statement; spec?: KeywordSpec } | undefined,
  top: Context,
): string {
  if (!owner)
    return "Unexpected '{' - keepalived ignores it; the lines inside are read at the current level.";
  const name = owner.statement.keyword.value;
  const closes = top.owner ? `'${top.owner.keyword.value}'` : 'nothing (an extra brace)';
  const why = owner.spec ? `'${name}' takes no block` : `'${name}' is not a keyword here`;
  return `Unexpected '{': ${why}, so keepalived ignores this brace, reads the lines inside at the current level, and the matching '}' closes ${closes}.`;
}

function place(s: Statement, top: Context, inactive: boolean, input: ReaderInput): PlacedStatement {
  const expandedArgs = s.args.map((w) => expandWord(w, input.params, input.complete));
  const entry: PlacedStatement = {
    statement: s,
    role: s.kind === 'keyword' ? (top.values ? 'value-line' : 'keyword') : s.kind,
    parentPath: top.path,
    spec: undefined,
    valueLines: undefined,
    owner: undefined,
    inactive,
    expandedArgs,
  };
  if (entry.role === 'value-line') {
    entry.valueLines = top.values!.valueLines;
    entry.owner = top.values;
  } else if (entry.role === 'keyword') {
    const name = expandWord(s.keyword, input.params, input.complete) ?? s.keyword.value;
    entry.spec = lookupKeyword(top.path, name);
  }
  return entry;
}

/** Lines, `{` and `}` of the whole file in document order, stray braces included. */
function collectEvents(tree: SyntaxTree): Event[] {
  const events: Event[] = [];
  const addBlock = (block: Block): void => {
    events.push({ type: 'open', at: block.open, block });
    addStatements(block.statements);
    if (block.close !== undefined) events.push({ type: 'close', at: block.close });
  };
  const addStatements = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      events.push({ type: 'line', at: s.start, statement: s });
      if (s.block) addBlock(s.block);
    }
  };
  addStatements(tree.statements);
  tree.strayBlocks.forEach(addBlock);
  for (const p of tree.problems)
    if (p.kind === 'extra-closing-brace') events.push({ type: 'close', at: p.start });
  return events.sort((a, b) => a.at - b.at);
}
