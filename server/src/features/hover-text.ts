// Small markdown helpers shared by the hover modules: code spans, fenced blocks, file:line places, counts.
import { basename, dirname, isAbsolute, relative } from 'node:path';
import type { AnalyzedFile } from '../analysis/document';

/** An inline code span that survives backticks in the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block in the given language, longer than any fence inside the text. */
export function fenced(text: string, language = 'keepalived'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** A path as shown to someone looking at `from`: relative to its folder, else as written. */
export function shownPath(from: AnalyzedFile, path: string): string {
  if (path === from.path) return basename(path);
  if (!isAbsolute(path) || !isAbsolute(from.path)) return path;
  const rel = relative(dirname(from.path), path);
  return rel.startsWith('../../..') ? path : rel;
}

/** `file:line` (1-based) of an offset in any file of the hovered file's configuration. */
export function place(from: AnalyzedFile, path: string, offset: number): string {
  const target = path === from.path ? from : from.model.files.get(path);
  const line = target ? target.lines.positionAt(offset).line + 1 : 0;
  return `${shownPath(from, path)}:${line}`;
}

/** "1 place", "3 places". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
