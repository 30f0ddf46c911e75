// The placed line of a statement, for walking up from a line to the blocks keepalived reads it in
// (PlacedStatement.parent is a Statement). One map per call, over every placed line of the model.
import type { Statement } from '../syntax/ast';
import type { ConfigModel, PlacedStatement } from './types';

/**
 * A lookup from statement to its placed line (the last placing of a statement read more than once). The
 * lines with a block are mapped at once (they are what a walk up asks for); the others on first use.
 */
export type PlacedOf = (s: Statement | undefined) => PlacedStatement | undefined;

export function placedLines(model: ConfigModel): PlacedOf {
  const withBlock = new Map<Statement, PlacedStatement>();
  for (const file of model.files.values())
    for (const p of file.placed) if (p.statement.block) withBlock.set(p.statement, p);
  let others: Map<Statement, PlacedStatement> | undefined;
  return (s) => {
    if (!s) return undefined;
    if (s.block) return withBlock.get(s);
    if (!others) {
      others = new Map();
      for (const file of model.files.values())
        for (const p of file.placed) if (!p.statement.block) others.set(p.statement, p);
    }
    return others.get(s);
  };
}

/** The line's first word as keepalived reads it, or undefined when not known here (a template expression). */
export function firstArgValue(p: PlacedStatement): string | undefined {
  return p.statement.args[0]?.template !== undefined ? undefined : p.expandedArgs[0];
}

/** The name of a block line as keepalived stores it (its first argument), '' when not known here. */
export function blockName(p: PlacedStatement | undefined): string {
  return p ? (p.expandedArgs[0] ?? p.statement.args[0]?.value ?? '') : '';
}

/**
 * The line is read on some nodes only: its `@id` without a config id (each node reads its own), or a
 * template branch (each rendering has its own).
 */
export function readOnSomeNodes(p: PlacedStatement, configId: string | undefined): boolean {
  return (configId === undefined && !!p.statement.condition) || !!p.statement.branch;
}
