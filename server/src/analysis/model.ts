// A configuration: a root file and everything it includes, read in one stream as keepalived reads it.
// Queries that cross files (symbols, references, effective script users) work on this model.
import type { Statement } from '../syntax/ast';
import { append, type LimitHit } from './budget';
import type { AnalyzeOptions, AnalyzedFile, ParsedFile } from './document';
import type { IncludeResolution } from './includes';
import type { ParamTable } from './params';
import { KeepalivedReader, type ReadableFile } from './reader';
import { buildSymbols, type SymbolIndex } from './symbols';

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

/**
 * Resolves an include line to parsed files, or undefined when includes are not followed. `limits`: files
 * it matched but did not read, because a budget (size, files or bytes of the configuration) forbade it.
 */
export type IncludeResolver = (
  statement: Statement,
  from: ParsedFile,
) => { resolution: IncludeResolution; files: ParsedFile[]; limits?: LimitHit[] } | undefined;

export function buildModel(root: ParsedFile, options: AnalyzeOptions, resolve: IncludeResolver): ConfigModel {
  const parsed = new Map<string, ParsedFile>([[root.path, root]]);
  const includes: IncludeEdge[] = [];
  const limits: LimitHit[] = [];
  // An include line read again (its file included twice) is resolved once: same folder, same answer.
  const answers = new Map<Statement, ParsedFile[] | undefined>();
  const reader = new KeepalivedReader(options, (statement, from: ReadableFile) => {
    if (answers.has(statement)) {
      const files = answers.get(statement);
      if (!files) reader.complete = false;
      return files;
    }
    const source = parsed.get(from.path)!;
    const answer = resolve(statement, source);
    includes.push({ from: from.path, statement, resolution: answer?.resolution });
    answers.set(statement, answer?.files);
    if (!answer) return undefined;
    for (const f of answer.files) if (!parsed.has(f.path)) parsed.set(f.path, f);
    if (answer.resolution.unmatched.length > 0 && !answer.resolution.hasWildcard) reader.complete = false;
    const limit = answer.resolution.limit;
    if (limit) {
      reader.complete = false;
      limits.push({
        budget: limit.budget,
        file: from.path,
        start: statement.keyword.start,
        end: statement.args[statement.args.length - 1]?.end ?? statement.keyword.end,
        message: `${limit.message}; findings that depend on the files it names are less certain.`,
      });
    }
    if (answer.limits && answer.limits.length > 0) {
      reader.complete = false;
      append(limits, answer.limits);
    }
    return answer.files;
  });
  reader.readRoot(root);
  append(limits, reader.limits);
  for (const file of parsed.values())
    for (const p of file.tree.problems) {
      if (p.kind !== 'limit' || !p.budget) continue;
      limits.push({ budget: p.budget, file: file.path, start: p.start, end: p.end, message: p.message });
      // Lines not analysed may hold definitions.
      if (p.budget !== 'MAX_LINE_WORDS') reader.complete = false;
    }

  const model: ConfigModel = {
    root: root.path,
    options,
    files: new Map(),
    includes,
    cycles: reader.cycles,
    params: reader.params,
    complete: reader.complete,
    limits,
    symbols: undefined as unknown as SymbolIndex,
  };
  // In the order keepalived reads them (files only reachable through a cycle come last).
  const order = [...reader.readings.keys(), ...[...parsed.keys()].filter((p) => !reader.readings.has(p))];
  for (const path of order) {
    const file = parsed.get(path)!;
    const r = reader.readings.get(path) ?? { placed: [], braces: [] };
    model.files.set(path, { ...file, placed: r.placed, braces: r.braces, model });
  }
  model.symbols = buildSymbols(model);
  return model;
}
