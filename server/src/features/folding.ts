// Folding ranges: blocks, runs of comment lines, multi-line `$NAME=` definitions.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../analysis/document';
import { allBlocks } from '../syntax/ast';

export function foldingRanges(file: AnalyzedFile): FoldingRange[] {
  const ranges = [...blockRanges(file), ...commentRanges(file), ...definitionRanges(file)];
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/**
 * From the `{` line to the line before `}`, so the closing brace stays visible. When `}` shares its line
 * with content (`  b }`), that line is folded too: it holds text that belongs inside. An unclosed block
 * folds to its last line of content.
 */
function blockRanges(file: AnalyzedFile): FoldingRange[] {
  const { lines, text } = file;
  const ranges: FoldingRange[] = [];
  for (const block of allBlocks(file.tree)) {
    const startLine = lines.positionAt(block.open).line;
    let endLine: number;
    if (block.close === undefined) endLine = lines.positionAt(Math.max(block.open, block.end - 1)).line;
    else {
      const closeLine = lines.positionAt(block.close).line;
      const before = text.slice(lines.lineStart(closeLine), block.close);
      endLine = /^[ \t\f\v\uFEFF]*$/.test(before) ? closeLine - 1 : closeLine;
    }
    if (endLine > startLine) ranges.push({ startLine, endLine });
  }
  return ranges;
}

/** Two or more consecutive lines holding nothing but a comment. */
function commentRanges(file: AnalyzedFile): FoldingRange[] {
  const { lines, text } = file;
  const commentLines: number[] = [];
  for (const comment of file.tree.comments) {
    const line = lines.positionAt(comment.start).line;
    if (/^[ \t\f\v\uFEFF]*$/.test(text.slice(lines.lineStart(line), comment.start))) commentLines.push(line);
  }
  const ranges: FoldingRange[] = [];
  for (let i = 0; i < commentLines.length;) {
    let j = i;
    while (j + 1 < commentLines.length && commentLines[j + 1] === commentLines[j]! + 1) j++;
    if (j > i)
      ranges.push({ startLine: commentLines[i]!, endLine: commentLines[j]!, kind: FoldingRangeKind.Comment });
    i = j + 1;
  }
  return ranges;
}

/** A multi-line definition folds from its `$NAME=` line to its last continuation line. */
function definitionRanges(file: AnalyzedFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const { statement, expansionOf } of file.placed) {
    if (!statement.definition?.multiline || expansionOf) continue;
    const token = statement.keyword;
    const startLine = file.lines.positionAt(token.start).line;
    // The token may end just after a line break; its last character is on the line that break ends.
    const endLine = file.lines.positionAt(Math.max(token.start, token.end - 1)).line;
    if (endLine > startLine) ranges.push({ startLine, endLine });
  }
  return ranges;
}
