// A configuration: a root file and everything it includes, read in one stream as keepalived reads it.
// Queries that cross files (symbols, references, effective script users) work on this model.
import type { Statement } from '../syntax/ast';
import { append, parseLimitMessage, type LimitHit } from './budget';
import { KeepalivedReader, type ReadableFile } from './reader';
import { buildSymbols } from './symbols';
import type { IncludeResolution } from './includes';
import type { AnalyzeOptions, ConfigModel, IncludeEdge, ParsedFile } from './types';

export type { ConfigModel, IncludeCycle, IncludeEdge } from './types';

/**
 * Resolves an include line to parsed files, or undefined when includes are not followed. `limits`: files
 * it matched but did not read, because a budget (size, files or bytes of the configuration) forbade it.
 */
export type IncludeResolver = (
  statement: Statement,
  from: ParsedFile,
  /** The include's words once keepalived has replaced their parameters. */
  pattern: string,
) => IncludeAnswer;

type IncludeAnswer = { resolution: IncludeResolution; files: ParsedFile[]; limits?: LimitHit[] } | undefined;

export function buildModel(root: ParsedFile, options: AnalyzeOptions, resolve: IncludeResolver): ConfigModel {
  const parsed = new Map<string, ParsedFile>([[root.path, root]]);
  const includes: IncludeEdge[] = [];
  const limits: LimitHit[] = [];
  // An include line read again (its file included twice) is resolved once per pattern it expands to:
  // same folder, same words, same answer.
  const answers = new Map<Statement, Map<string, IncludeAnswer>>();
  const reader = new KeepalivedReader(options, (statement, from: ReadableFile, pattern) => {
    let known = answers.get(statement);
    if (known?.has(pattern)) {
      const files = known.get(pattern)?.files;
      if (!files) reader.complete = false;
      return files;
    }
    const source = parsed.get(from.path)!;
    const answer = resolve(statement, source, pattern);
    includes.push({ from: from.path, statement, resolution: answer?.resolution });
    if (!known) answers.set(statement, (known = new Map<string, IncludeAnswer>()));
    known.set(pattern, answer);
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
      if (p.kind !== 'limit') continue;
      limits.push({
        budget: p.budget,
        file: file.path,
        start: p.start,
        end: p.end,
        message: parseLimitMessage(p),
      });
      // Lines not analysed may hold definitions.
      if (p.budget !== 'MAX_LINE_WORDS') reader.complete = false;
    }

  // In the order keepalived reads them (files only reachable through a cycle come last).
  const order = [...reader.readings.keys(), ...[...parsed.keys()].filter((p) => !reader.readings.has(p))];
  const readings = order.map((path) => ({
    path,
    text: parsed.get(path)?.text,
    ...(reader.readings.get(path) ?? { placed: [], braces: [] }),
  }));
  // Another node's reading of the same files: the includes are answered from this reading's answers (no
  // I/O once the model is built); one this reading never asked stays unresolved (the model then says it is
  // incomplete).
  const variants = new Map<string, ConfigModel>();
  const readAs = (configId: string): ConfigModel => {
    if (options.configId !== undefined) return model;
    let variant = variants.get(configId);
    if (!variant) {
      const known: IncludeResolver = (statement, _from, pattern) => answers.get(statement)?.get(pattern);
      variants.set(configId, (variant = buildModel(root, { ...options, configId }, known)));
    }
    return variant;
  };
  const model: ConfigModel = {
    root: root.path,
    options,
    readAs,
    // Filled below: each file points back at the model it belongs to.
    files: new Map(),
    includes,
    cycles: reader.cycles,
    params: reader.params,
    complete: reader.complete,
    limits,
    symbols: buildSymbols(readings, options),
  };
  for (const r of readings)
    model.files.set(r.path, { ...parsed.get(r.path)!, placed: r.placed, braces: r.braces, model });
  return model;
}
