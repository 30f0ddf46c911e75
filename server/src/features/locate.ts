// What is at a position: the statement, the word, and the symbol (definition or reference) there.
// Every navigation feature starts here.
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { SymbolDefinition, SymbolReference } from '../analysis/symbols';
import type { Span, Word } from '../syntax/ast';

export interface Located {
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

const within = (span: Span, offset: number): boolean => offset >= span.start && offset <= span.end;

export function locate(file: AnalyzedFile, offset: number): Located {
  const result: Located = { offset, isKeyword: false };
  // The innermost statement: the last placed statement starting before the offset whose words hold it.
  for (const placed of file.placed) {
    if (placed.expansionOf) continue; // the line as written is what the editor shows
    const s = placed.statement;
    if (s.start > offset) break;
    const words = [s.keyword, ...s.args];
    const word = words.find((w) => within(w, offset));
    if (word) {
      result.placed = placed;
      result.word = word;
      result.isKeyword = word === s.keyword;
    } else if (!result.word && sameLine(file, s.start, offset)) {
      result.placed = placed;
    }
  }
  const { symbols } = file.model;
  const def = symbols.definitions.find((d) => d.file === file.path && within(d.span, offset));
  if (def) result.symbol = { kind: 'definition', item: def };
  else {
    const ref = symbols.references.find((r) => r.file === file.path && within(r.span, offset));
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
  const found = locate(file, offset).symbol;
  return found ? { kind: found.item.kind, name: found.item.name } : undefined;
}
