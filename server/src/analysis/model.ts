// A configuration: a root file and everything it includes, read in one stream as keepalived reads it.
// Queries that cross files (symbols, references, effective script users) work on this model.
import type { Statement } from '../syntax/ast';
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
  /** Every include was resolved, so the model knows every definition there is. */
  complete: boolean;
  symbols: SymbolIndex;
}

/** Resolves an include line to parsed files, or undefined when includes are not followed. */
export type IncludeResolver = (
  statement: Statement,
  from: ParsedFile,
) => { resolution: IncludeResolution; files: ParsedFile[] } | undefined;

export function buildModel(root: ParsedFile, options: AnalyzeOptions, resolve: IncludeResolver): ConfigModel {
  const parsed = new Map<string, ParsedFile>([[root.path, root]]);
  const includes: IncludeEdge[] = [];
  const reader = new KeepalivedReader(options, (statement, from: ReadableFile) => {
    const source = parsed.get(from.path)!;
    const answer = resolve(statement, source);
    includes.push({ from: from.path, statement, resolution: answer?.resolution });
    if (!answer) return undefined;
    for (const f of answer.files) if (!parsed.has(f.path)) parsed.set(f.path, f);
    if (answer.resolution.unmatched.length > 0 && !answer.resolution.hasWildcard) reader.complete = false;
    return answer.files;
  });
  reader.readRoot(root);

  const model: ConfigModel = {
    root: root.path,
    options,
    files: new Map(),
    includes,
    cycles: reader.cycles,
    params: reader.params,
    complete: reader.complete,
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
