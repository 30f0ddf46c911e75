// The one cursor module: what a position in a file is. Two questions, for two kinds of feature:
// - whatIsAt: the statement, word and symbol (definition or reference) at an offset, for the features
//   that look at what is written (hover, go to definition, references, rename);
// - cursorContext: where text is being typed, for the features that help write it (completion,
//   signature help): the keyword table (or value block) the cursor's line is read in, the statement
//   being typed, and which of its words the cursor is on, counting the one about to be typed.
import type { Position } from 'vscode-languageserver-types';
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { SymbolDefinition, SymbolReference } from '../analysis/symbols';
import type { KeywordSpec } from '../schema';
import type { Span, Statement, Word } from '../syntax/ast';
import { fileView, writtenBefore, type FileView, type OwnedBlock } from './file-view';

/** The offset is in the span or at either end of it (a cursor right after a word is on it). */
const within = (span: Span, offset: number): boolean => offset >= span.start && offset <= span.end;

export interface CursorContext {
  offset: number;
  /** Keyword-table path of the block the cursor's line is read in ('' = top level). */
  path: string;
  /** The block keyword when the cursor is inside a `{ ... }` value block (track_script, virtual_ipaddress). */
  valueBlock?: KeywordSpec;
  /** The statement the cursor's words belong to; undefined on a fresh line (or after `{`/`}`). */
  placed?: PlacedStatement;
  /** The statement's words, its keyword (or a value line's first word) first. */
  words: Word[];
  /** Index in `words` of the word under the cursor, or of the word about to be typed. 0 = keyword position. */
  index: number;
  /** The word under the cursor (the cursor touches it), if any. */
  word?: Word;
  /** What a completion replaces: the word under the cursor, or an empty span at the cursor. */
  span: Span;
  /** The part of the current word before the cursor. */
  prefix: string;
}

/** Undefined when the cursor is in a comment or inside a multi-line parameter definition. */
export function cursorContext(file: AnalyzedFile, position: Position): CursorContext | undefined {
  const offset = file.lines.offsetAt(position);
  const line = file.lines.positionAt(offset).line;
  const lineStart = file.lines.lineStart(line);
  const segment = segmentStart(file.text, lineStart, offset);
  if (segment === undefined) return undefined;

  const view = fileView(file);
  const block = enclosingBlock(file, view, offset);
  const where = block ? blockContext(block, view.placedOf) : { path: '' };

  // The lines that start at or before the cursor.
  const before = writtenBefore(view, offset);
  // Inside a `$NAME=value` definition (possibly a multi-line one) there is nothing to complete.
  for (const k of view.definitions) {
    if (k >= before) break;
    const s = view.written[k]!.statement;
    if (s.keyword.start < offset && offset <= s.end) return undefined;
  }
  // The statement whose keyword starts between the last brace on this line and the cursor (the last one
  // in document order; no line before the running maximum of keyword starts falls below the segment).
  let placed: PlacedStatement | undefined;
  for (let k = before - 1; k >= 0 && view.maxKeywordStart[k]! >= segment; k--) {
    const start = view.written[k]!.statement.keyword.start;
    if (start >= segment && start <= offset) {
      placed = view.written[k];
      break;
    }
  }
  const words = placed ? [placed.statement.keyword, ...placed.statement.args] : [];
  let index = words.findIndex((w) => within(w, offset));
  const word = index >= 0 ? words[index] : undefined;
  if (index < 0) index = words.filter((w) => w.end < offset).length;
  const span = word ? { start: word.start, end: word.end } : { start: offset, end: offset };
  return {
    offset,
    ...where,
    placed,
    words,
    index,
    word,
    span,
    prefix: file.text.slice(span.start, offset),
  };
}

/**
 * Offset after the last `{` or `}` on the line before the cursor (keepalived reads the text after a brace
 * as a new line), or the line start; undefined when a comment starts before the cursor.
 */
function segmentStart(text: string, lineStart: number, offset: number): number | undefined {
  let start = lineStart;
  let quoted = false;
  for (let i = lineStart; i < offset; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\\') i++;
    else if (c === '#' || c === '!') return undefined;
    else if (c === '}' || (c === '{' && text[i - 1] !== '$')) start = i + 1;
  }
  return start;
}

/** The innermost block owned by a statement whose braces hold the offset (an unclosed one runs to the end). */
function enclosingBlock(file: AnalyzedFile, view: FileView, offset: number): OwnedBlock | undefined {
  if (!view.nested) return enclosingByWalk(file, offset);
  // The last block opened before the offset, or the innermost of those holding it that holds the offset
  // too: nested blocks leave no other candidate (any other block opened before it closed before it).
  const { blocks, holder } = view;
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.block.open < offset) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo - 1; k >= 0; k = holder[k]!) {
    if (offset <= (blocks[k]!.block.close ?? Infinity)) return blocks[k];
  }
  return undefined;
}

/** enclosingBlock over the whole tree, for blocks that do not nest as intervals. */
function enclosingByWalk(file: AnalyzedFile, offset: number): OwnedBlock | undefined {
  let best: OwnedBlock | undefined;
  const visit = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      const b = s.block;
      if (!b) continue;
      if (b.open < offset && offset <= (b.close ?? Infinity)) {
        if (!best || b.open > best.block.open) best = { block: b, owner: s };
      }
      visit(b.statements);
    }
  };
  visit(file.tree.statements);
  for (const stray of file.tree.strayBlocks) visit(stray.statements);
  return best;
}

function blockContext(
  { owner }: OwnedBlock,
  placedOf: Map<Statement, PlacedStatement>,
): { path: string; valueBlock?: KeywordSpec } {
  const placed = placedOf.get(owner);
  const spec = placed?.spec;
  if (spec?.block === 'keywords') return { path: spec.path };
  if (spec?.block === 'values') return { path: spec.path, valueBlock: spec };
  // keepalived ignores the `{` of a keyword that takes no block: the lines inside are read where it is.
  if (!placed) return { path: '' };
  return placed.role === 'value-line' && placed.owner
    ? { path: placed.owner.path, valueBlock: placed.owner }
    : { path: placed.parentPath };
}

/** The text of a word without its opening quote, and the offset where that text starts. */
export function unquoted(word: Word | undefined, offset: number): { start: number; text: string } {
  if (!word) return { start: offset, text: '' };
  const skip = word.text.startsWith('"') || word.text.startsWith("'") ? 1 : 0;
  return { start: word.start + skip, text: word.text.slice(skip) };
}

/** What is at an offset (see whatIsAt). */
export interface AtOffset {
  offset: number;
  /** The innermost statement whose line holds the offset. */
  placed?: PlacedStatement;
  /** The word under the offset (keyword or argument). */
  word?: Word;
  /** True when the word is the statement's keyword. */
  isKeyword: boolean;
  /** A definition or reference whose name span holds the offset. */
  symbol?: { kind: 'definition'; item: SymbolDefinition } | { kind: 'reference'; item: SymbolReference };
}

export function whatIsAt(file: AnalyzedFile, offset: number): AtOffset {
  const result: AtOffset = { offset, isKeyword: false };
  const view = fileView(file);
  const lineStart = file.lines.lineStart(file.lines.positionAt(offset).line);
  // The innermost statement: the last line starting before the offset with a word holding it, else the
  // last one starting on the offset's line. Lines as written only (the editor shows those). Backwards
  // from the offset, until no earlier line has a word reaching it or starts on its line.
  let onLine: PlacedStatement | undefined;
  for (let k = writtenBefore(view, offset) - 1; k >= 0; k--) {
    if (view.maxWordEnd[k]! < offset && view.maxStart[k]! < lineStart) break;
    const placed = view.written[k]!;
    const s = placed.statement;
    const word = within(s.keyword, offset) ? s.keyword : s.args.find((w) => within(w, offset));
    if (word) {
      result.placed = placed;
      result.word = word;
      result.isKeyword = word === s.keyword;
      break;
    }
    if (!onLine && sameLine(file, s.start, offset)) onLine = placed;
  }
  if (!result.word && onLine) result.placed = onLine;
  const def = view.symbolDefinitions.find((d) => within(d.span, offset));
  if (def) result.symbol = { kind: 'definition', item: def };
  else {
    const ref = view.symbolReferences.find((r) => within(r.span, offset));
    if (ref) result.symbol = { kind: 'reference', item: ref };
  }
  return result;
}

function sameLine(file: AnalyzedFile, a: number, b: number): boolean {
  return file.lines.positionAt(a).line === file.lines.positionAt(b).line;
}

/** The symbol (kind and name) at an offset, whether the offset is on a definition or a use. */
export function symbolAt(
  file: AnalyzedFile,
  offset: number,
): { kind: SymbolDefinition['kind']; name: string } | undefined {
  const found = whatIsAt(file, offset).symbol;
  return found ? { kind: found.item.kind, name: found.item.name } : undefined;
}
