// Document links: each include line links to the file it reads (or, for a glob, to every match).
import type { DocumentLink } from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../analysis/document';
import { pathToUri } from './uri';

export function documentLinks(file: AnalyzedFile): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const edge of file.model.includes) {
    if (edge.from !== file.path || !edge.resolution) continue;
    const words = edge.statement.args;
    if (words.length === 0) continue;
    const range = file.lines.range(words[0]!.start, words[words.length - 1]!.end);
    const files = edge.resolution.files;
    if (files.length === 1) links.push({ range, target: pathToUri(files[0]!), tooltip: files[0] });
    else if (files.length > 1) {
      // One range can carry one target: link the first match and list the others in the tooltip.
      links.push({
        range,
        target: pathToUri(files[0]!),
        tooltip: `${files.length} files: ${files.join(', ')}`,
      });
    }
  }
  return links;
}
