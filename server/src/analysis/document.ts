// Analysis of one file: parse once, then place every statement in keepalived's keyword tables the way
// keepalived itself would, and expand `$PARAM` uses where the definition is known. Checks and editor
// features read this; none of them re-parses.
import type { KeywordSpec, ValueLines } from '../schema';
import type { Statement, SyntaxTree } from '../syntax/ast';
import { buildModel, type ConfigModel } from './model';
import { parse } from '../syntax/parser';
import { LineIndex } from '../syntax/position';
import { dialectFor, type TemplateMode } from '../syntax/templates';
import type { BraceProblem } from './reader';

export type Role =
  /** A keyword line; `spec` is set when keepalived knows the keyword in this block. */
  | 'keyword'
  /** A line inside a `{ ... }` value block (an address, a track entry, ...). */
  | 'value-line'
  | 'include'
  | 'definition'
  | 'ignored';

export interface PlacedStatement {
  statement: Statement;
  role: Role;
  /** Path of the block keepalived reads this line in ('' = top level). */
  parentPath: string;
  spec?: KeywordSpec;
  /** For value lines: the grammar of the block they are in, and the block's keyword. */
  valueLines?: ValueLines;
  owner?: KeywordSpec;
  /** The line is switched off by an `@id` prefix that does not match the configured id. */
  inactive: boolean;
  /** A keyword the targeted keepalived version does not know yet (placed as unknown, like keepalived). */
  tooNew?: KeywordSpec;
  /** Arguments after `$PARAM` expansion; a word whose value depends on an unknown parameter is undefined. */
  expandedArgs: (string | undefined)[];
  /** Order in which keepalived reads this line across all files of the configuration (0 = first). */
  seq?: number;
}

export interface AnalyzeOptions {
  /** keepalived's `--config-id`; undefined = every `@id` variant is possible. */
  configId?: string;
  /** Target keepalived version: newer keywords are read as that version reads them, as unknown. */
  keepalivedVersion?: string;
  /** How to read template syntax (Jinja2, ERB, Go, `${VAR}`); undefined = `auto`. */
  template?: TemplateMode;
}

export interface ParsedFile {
  path: string;
  text: string;
  /** The file's line break, for text that fixes insert. */
  eol: '\n' | '\r\n';
  lines: LineIndex;
  tree: SyntaxTree;
}

/** One file as read within a configuration (its include closure). */
export interface AnalyzedFile extends ParsedFile {
  /** Every statement in document order, nested ones after their parent. */
  placed: PlacedStatement[];
  /** Brace problems as keepalived sees them (it does not nest the braces of unknown keywords). */
  braces: BraceProblem[];
  /** The whole configuration this file was read in. */
  model: ConfigModel;
}

export function parseFile(path: string, text: string, template?: TemplateMode): ParsedFile {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { path, text, eol, lines: new LineIndex(text), tree: parse(text, dialectFor(template, path, text)) };
}

/**
 * Analyses one file on its own, without reading anything from disk: include lines stay unresolved (so
 * parameters they might define make values unknown rather than wrong).
 */
export function analyzeText(path: string, text: string, options: AnalyzeOptions = {}): AnalyzedFile {
  const model = buildModel(parseFile(path, text, options.template), options, () => undefined);
  return model.files.get(path)!;
}
