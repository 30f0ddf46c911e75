// The analysis layer's data model as types only: what a placed line, an analysed file, a configuration
// and its symbol index are. A leaf below every other analysis module (it imports types from syntax/,
// schema/ and the analysis modules that import nothing of these), so that document, model, reader and
// symbols can all speak of each other's results without importing each other. New code imports these
// types from here; document.ts, model.ts, reader.ts and symbols.ts re-export them for older import sites.
import type { KeywordSpec, ValueLines } from '../schema';
import type { SymbolKind } from '../schema/symbol-kinds';
import type { Span, Statement, SyntaxTree } from '../syntax/ast';
import type { TemplateMode } from '../syntax/templates';
import type { LineIndex } from '../syntax/position';
import type { LimitHit } from './budget';
import type { IncludeResolution } from './includes';
import type { ParamTable } from './params';

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
  /** The line whose block keepalived reads this line in (undefined at the top level). Unlike the syntax
   * tree, this follows keepalived's reading: ignored braces, expanded parameters. */
  parent?: Statement;
  spec?: KeywordSpec;
  /** For value lines: the grammar of the block they are in, and the block's keyword. */
  valueLines?: ValueLines;
  owner?: KeywordSpec;
  /** The line is switched off by an `@id` prefix that does not match the configured id. */
  inactive: boolean;
  /** Inactive for every config id: no keepalived process reads it (its block is skipped by all the
   * processes that own it, analysis/processes.ts). */
  unread?: boolean;
  /** A keyword the targeted keepalived version does not know yet (placed as unknown, like keepalived). */
  tooNew?: KeywordSpec;
  /** Arguments after `$PARAM` expansion; a word whose value depends on an unknown parameter is undefined. */
  expandedArgs: (string | undefined)[];
  /** Its first word after expansion (undefined when not known here); set for every value line, and for a
   * keyword line whose keyword uses a parameter. */
  expandedKeyword?: string;
  /** The line's parameters change its shape: keepalived reads the lines its expansion makes instead, and
   * those are placed after it, with the offsets of this line (analysis/expand-lines.ts). */
  expandedFrom?: boolean;
  /** Set on the lines an expansion made: the line of the file they stand for (editor features, which show
   * the file as written, skip them; fixes never edit them). */
  expansionOf?: Statement;
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
  braces: BraceEvent[];
  /** The whole configuration this file was read in. */
  model: ConfigModel;
}

/**
 * A brace problem as keepalived reads the braces (it does not nest those of unknown keywords): what
 * happened and where, no wording. checks/structure.ts words each one and names its rule and severity.
 */
export type BraceEvent = Span &
  (
    | {
        /** A block still open at the end of the configuration: at its '{'. */
        kind: 'never-closed';
        /** The keyword that opened it (none: a '{' after nothing). */
        owner?: string;
      }
    /** A '}' that closes no block. */
    | { kind: 'extra-close' }
    /** A block keyword without its '{': at the line or '}' after it (at the keyword at the end). */
    | { kind: 'missing-open'; keyword: string }
    /** A value-block keyword without its '{': keepalived logs it and reads the next lines as its values. */
    | { kind: 'values-missing-open'; keyword: string }
    /** A '{' among the values of such a block: one more value, and its '}' ends the value block. */
    | { kind: 'open-among-values'; keyword: string }
    | {
        /** A '{' keepalived ignores, reading the lines inside at the current level. */
        kind: 'ignored-open';
        /** The keyword before it, if any, and whether keepalived knows it there (it takes no block). */
        keyword?: string;
        known: boolean;
        /** The block the matching '}' closes (none: it is an extra brace). */
        closes?: string;
      }
  );

export interface IncludeEdge {
  from: string;
  statement: Statement;
  /** Undefined when includes are not resolved (a file analysed on its own). */
  resolution?: IncludeResolution;
}

export interface IncludeCycle {
  file: string;
  statement: Statement;
  /** The file this include line would read again. */
  target: string;
  /** The files on the loop, from `target` to the file whose include line closes it. */
  loop: string[];
}

export interface ConfigModel {
  root: string;
  options: AnalyzeOptions;
  /**
   * The same configuration as the node `--config-id configId` reads it (built once per id, then kept):
   * only its own `@id` lines, with the parameters, includes and blocks they make. This model itself when
   * it was read with a config id. Absent on models made by hand (tests): objectsOf() then keeps the lines
   * whose own `@id` holds, which misses what `@id` definitions change.
   */
  readAs?(configId: string): ConfigModel;
  /** Every file of the configuration, in the order keepalived first reads them. */
  files: Map<string, AnalyzedFile>;
  includes: IncludeEdge[];
  cycles: IncludeCycle[];
  /** Parameters defined by the end of the configuration. */
  params: ParamTable;
  /** Every include was resolved and no budget left input out, so the model knows every definition. */
  complete: boolean;
  /** Budgets that were hit while reading the configuration, on the lines that hit them. */
  limits: LimitHit[];
  symbols: SymbolIndex;
}

export type { SymbolKind } from '../schema/symbol-kinds';

export interface SymbolDefinition {
  kind: SymbolKind;
  name: string;
  file: string;
  /** The name as written (for rename and go-to-definition). */
  span: Span;
  statement: Statement;
  placed?: PlacedStatement;
}

export interface SymbolReference {
  kind: SymbolKind;
  name: string;
  file: string;
  span: Span;
  statement: Statement;
  /** The line that names it, as read (its `seq` is where keepalived reads the name); not for `$PARAM` uses. */
  placed?: PlacedStatement;
  /** A name built by a template expression: it refers to every definition the pattern matches. */
  pattern?: RegExp;
}

export interface SymbolIndex {
  definitions: SymbolDefinition[];
  /** Kinds with a definition whose name cannot be known statically (a loop or parameter we cannot expand). */
  openKinds: Set<SymbolKind>;
  references: SymbolReference[];
  definitionsOf(kind: SymbolKind, name: string): SymbolDefinition[];
  referencesOf(kind: SymbolKind, name: string): SymbolReference[];
}
