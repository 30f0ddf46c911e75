// Views of an analysed file that the editor features ask at every request (the cursor questions of
// features/cursor.ts, the outline): built once per AnalyzedFile (which is never changed once built) and kept
// with it, so a completion or a hover in a 10,000-line file looks at the few statements around the cursor
// instead of walking every line again.
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { SymbolDefinition, SymbolReference } from '../analysis/symbols';
import type { Block, Statement } from '../syntax/ast';

export interface OwnedBlock {
  block: Block;
  owner: Statement;
}

export interface FileView {
  /** Each statement's placed line (the last one placed for it, as a Map built from `placed` keeps). */
  placedOf: Map<Statement, PlacedStatement>;
  /** The placed lines as written (expansions left out), in `placed` order. */
  written: PlacedStatement[];
  /** Running maxima over `written`: of statement starts, keyword starts, and word ends. Monotone even when
   * the lines are not in offset order, so a binary search or a backward scan can stop on them safely. */
  maxStart: number[];
  maxKeywordStart: number[];
  maxWordEnd: number[];
  /** The `$NAME=` definition lines among `written`, by their index there. */
  definitions: number[];
  /** Blocks owned by a statement, in the order of their `{`, each with the index of the one holding it. */
  blocks: OwnedBlock[];
  holder: number[];
  /** False when the blocks do not nest as intervals (then the cursor walks the tree as it always did). */
  nested: boolean;
  /** This file's symbol definitions and references, in the model's order. */
  symbolDefinitions: SymbolDefinition[];
  symbolReferences: SymbolReference[];
}

const views = new WeakMap<AnalyzedFile, FileView>();

export function fileView(file: AnalyzedFile): FileView {
  let view = views.get(file);
  if (!view) views.set(file, (view = build(file)));
  return view;
}

function build(file: AnalyzedFile): FileView {
  const placedOf = new Map<Statement, PlacedStatement>();
  const written: PlacedStatement[] = [];
  const maxStart: number[] = [];
  const maxKeywordStart: number[] = [];
  const maxWordEnd: number[] = [];
  const definitions: number[] = [];
  for (const p of file.placed) {
    placedOf.set(p.statement, p);
    if (p.expansionOf) continue;
    const s = p.statement;
    const k = written.length;
    let wordEnd = s.keyword.end;
    for (const a of s.args) wordEnd = Math.max(wordEnd, a.end);
    maxStart.push(Math.max(s.start, k ? maxStart[k - 1]! : -Infinity));
    maxKeywordStart.push(Math.max(s.keyword.start, k ? maxKeywordStart[k - 1]! : -Infinity));
    maxWordEnd.push(Math.max(wordEnd, k ? maxWordEnd[k - 1]! : -Infinity));
    if (s.kind === 'definition') definitions.push(k);
    written.push(p);
  }
  const { blocks, holder, nested } = blockList(file);
  const { symbols } = file.model;
  return {
    placedOf,
    written,
    maxStart,
    maxKeywordStart,
    maxWordEnd,
    definitions,
    blocks,
    holder,
    nested,
    symbolDefinitions: symbols.definitions.filter((d) => d.file === file.path),
    symbolReferences: symbols.references.filter((r) => r.file === file.path),
  };
}

/** How many of `written` start at or before `offset` (those the cursor questions look at). */
export function writtenBefore(view: FileView, offset: number): number {
  // The first line starting after the offset is the first whose running maximum of starts is after it.
  let lo = 0;
  let hi = view.maxStart.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (view.maxStart[mid]! > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The blocks in the order of their `{` (a walk of the tree and of the stray blocks, each block before
 * those inside it), whether they nest as intervals: each inside the one holding it, each sibling closed
 * before the next opens.
 */
function blockList(file: AnalyzedFile): { blocks: OwnedBlock[]; holder: number[]; nested: boolean } {
  const blocks: OwnedBlock[] = [];
  const holder: number[] = [];
  // The last block seen under each holder (-1: the top level and the stray blocks' lines, all roots).
  const lastUnder = new Map<number, Block>();
  let nested = true;
  const visit = (statements: readonly Statement[], up: number): void => {
    for (const s of statements) {
      const b = s.block;
      if (!b) continue;
      const close = b.close ?? Infinity;
      const outer = up >= 0 ? blocks[up]!.block : undefined;
      const last = blocks[blocks.length - 1]?.block;
      const sibling = lastUnder.get(up);
      if (
        close <= b.open ||
        (last && b.open <= last.open) ||
        (outer && close > (outer.close ?? Infinity)) ||
        (sibling && (sibling.close ?? Infinity) >= b.open)
      )
        nested = false;
      lastUnder.set(up, b);
      blocks.push({ block: b, owner: s });
      holder.push(up);
      visit(b.statements, blocks.length - 1);
    }
  };
  visit(file.tree.statements, -1);
  for (const stray of file.tree.strayBlocks) visit(stray.statements, -1);
  return { blocks, holder, nested };
}
