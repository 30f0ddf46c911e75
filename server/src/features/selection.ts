// Selection ranges ("expand selection"): from the word under the cursor outwards through its statement's
// line, the content of the enclosing block, that block's statement, and so on up to the whole document.
import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../analysis/document';
import { paramUses } from '../analysis/params';
import type { Block, Span, Statement, Word } from '../syntax/ast';

export function selectionRanges(file: AnalyzedFile, positions: Position[]): SelectionRange[] {
  return positions.map((position) => {
    const spans = spansAround(file, file.lines.offsetAt(position));
    // Each range must hold the next one in; trimmed block contents can cut a word that ends in blanks
    // (an unterminated quote), so widen outer spans where needed.
    for (let i = spans.length - 2; i >= 0; i--) {
      const outer = spans[i]!;
      const inner = spans[i + 1]!;
      spans[i] = { start: Math.min(outer.start, inner.start), end: Math.max(outer.end, inner.end) };
    }
    let selection: SelectionRange | undefined;
    let previous: Span | undefined;
    for (const span of spans) {
      // Equal neighbours (a statement that is one word, a block holding one line) would be empty steps.
      if (previous && previous.start === span.start && previous.end === span.end) continue;
      selection = { range: toRange(file, span), parent: selection };
      previous = span;
    }
    return selection!;
  });
}

/** The spans holding `offset`, outermost first, each inside the one before. */
function spansAround(file: AnalyzedFile, offset: number): Span[] {
  const spans: Span[] = [{ start: 0, end: file.text.length }];
  let statements: readonly Statement[] = file.tree.statements;
  let container: Span = spans[0]!;
  for (;;) {
    const statement = statements.find((s) => s.start <= offset && offset <= s.end);
    if (statement) {
      spans.push(statement);
      const block = statement.block;
      if (block && insideBraces(block, offset)) {
        spans.push(blockContent(file, block, offset));
        statements = block.statements;
        container = block;
        continue;
      }
      if (!block) spans.push(...wordSpans(statement, offset));
      else if (offset <= headerEnd(statement)) {
        spans.push({ start: statement.start, end: headerEnd(statement) }, ...wordSpans(statement, offset));
      }
      return spans;
    }
    // A `{ ... }` after nothing is not a statement, but its lines are still nested inside it.
    const stray = outermost(
      file.tree.strayBlocks.filter(
        (b) =>
          b !== container && container.start <= b.open && b.end <= container.end && insideBraces(b, offset),
      ),
    );
    if (!stray) break;
    spans.push(stray, blockContent(file, stray, offset));
    statements = stray.statements;
    container = stray;
  }
  const comment = file.tree.comments.find((c) => c.start <= offset && offset <= c.end);
  if (comment && container.start <= comment.start && comment.end <= container.end)
    spans.push({
      start: comment.start,
      end: Math.max(offset, comment.start + comment.text.trimEnd().length),
    });
  return spans;
}

function insideBraces(block: Block, offset: number): boolean {
  return block.open < offset && offset <= (block.close ?? block.end);
}

function outermost(blocks: Block[]): Block | undefined {
  return blocks.reduce<Block | undefined>((best, b) => (!best || b.open < best.open ? b : best), undefined);
}

/** Between the braces, without the blanks and line breaks next to them unless the cursor is there. */
function blockContent(file: AnalyzedFile, block: Block, offset: number): Span {
  const inner = { start: block.open + 1, end: block.close ?? block.end };
  const text = file.text.slice(inner.start, inner.end);
  const start = inner.start + (text.length - text.trimStart().length);
  const end = inner.start + text.trimEnd().length;
  return start < end && start <= offset && offset <= end ? { start, end } : inner;
}

/** Where the statement's own line ends: after its last word, before its block. */
function headerEnd(statement: Statement): number {
  const last = statement.args[statement.args.length - 1] ?? statement.keyword;
  return last.end;
}

/** The word under the cursor and, inside it, a `$NAME` use or the name/value of a definition. */
function wordSpans(statement: Statement, offset: number): Span[] {
  const words: Word[] = [
    ...(statement.condition ? [statement.condition] : []),
    ...statement.sequences,
    statement.keyword,
    ...statement.args,
  ];
  // A cursor just after a word (its `end`) selects it, unless another word starts right there.
  const word =
    words.find((w) => w.start <= offset && offset < w.end) ??
    words.find((w) => w.start <= offset && offset <= w.end);
  if (!word) return [];
  const definition = statement.definition;
  if (definition && word === statement.keyword) {
    const name = { start: word.start, end: definition.nameSpan.end };
    const value = definition.valueSpan;
    if (offset <= name.end) return [word, name];
    return value.start <= offset && offset <= value.end && value.end > value.start ? [word, value] : [word];
  }
  for (const use of paramUses(word.text)) {
    const start = word.start + use.index;
    if (start <= offset && offset <= start + use.length) return [word, { start, end: start + use.length }];
  }
  return [word];
}

function toRange(file: AnalyzedFile, span: Span): Range {
  return file.lines.range(span.start, span.end);
}
