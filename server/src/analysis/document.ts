// Analysis of one file: parse once, then place every statement in keepalived's keyword tables the way
// keepalived itself would, and expand `$PARAM` uses where the definition is known. Checks and editor
// features read this; none of them re-parses.
import { buildModel } from './model';
import { parse } from '../syntax/parser';
import { LineIndex } from '../syntax/position';
import { ansibleTrimBlocks, dialectFor, type TemplateMode } from '../syntax/templates';
import type { AnalyzeOptions, AnalyzedFile, ParsedFile } from './types';

export type { AnalyzeOptions, AnalyzedFile, BraceEvent, ParsedFile, PlacedStatement, Role } from './types';

export function parseFile(path: string, text: string, template?: TemplateMode): ParsedFile {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const dialect = dialectFor(template, path, text);
  const trimBlocks = dialect === 'jinja' && ansibleTrimBlocks(path);
  return { path, text, eol, lines: new LineIndex(text), tree: parse(text, dialect, { trimBlocks }) };
}

/**
 * Analyses one file on its own, without reading anything from disk: include lines stay unresolved (so
 * parameters they might define make values unknown rather than wrong).
 */
export function analyzeText(path: string, text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  const model = buildModel(parseFile(path, text, options.template), options, () => undefined);
  return model.files.get(path)!;
}
