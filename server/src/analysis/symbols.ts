// Named things and the places that use them, across every file of a configuration.
import type { Span, Statement, Word } from '../syntax/ast';
import type {
  AnalyzeOptions,
  PlacedStatement,
  SymbolDefinition,
  SymbolIndex,
  SymbolKind,
  SymbolReference,
} from './types';
import { paramUses } from './params';
import { expandLoops, loopVariableNames } from './sequences';
import { templatePattern } from '../syntax/templates';
import {
  kindDefinedBy,
  kindInValueBlock,
  keywordUses,
  SYMBOL_KIND_NAMES,
  SYMBOL_KINDS,
  usedArgument,
  valueLineUses,
} from '../schema/symbol-kinds';

export type { SymbolDefinition, SymbolIndex, SymbolKind, SymbolReference } from './types';

const NO_VARS: (string | undefined)[] = [];

/** Human names of symbol kinds, for messages (schema/symbol-kinds.ts `label`). */
export const KIND_LABEL: Readonly<Record<SymbolKind, string>> = Object.fromEntries(
  SYMBOL_KIND_NAMES.map((kind) => [kind, SYMBOL_KINDS[kind].label]),
) as Record<SymbolKind, string>;

/** The symbols of a configuration's files (in reading order), before the model that holds them exists. */
export function buildSymbols(
  files: readonly { path: string; placed: readonly PlacedStatement[]; text?: string }[],
  options: AnalyzeOptions,
): SymbolIndex {
  const definitions: SymbolDefinition[] = [];
  const references: SymbolReference[] = [];
  const openKinds = new Set<SymbolKind>();
  for (const { path, placed: lines, text } of files) {
    // A file's own words are words of its text: without a `$` in it, none uses a parameter.
    const dollars = text === undefined || text.includes('$');
    for (const placed of lines) {
      if (placed.inactive && (options.configId !== undefined || placed.unread)) continue;
      collect(placed, path, definitions, references, openKinds, dollars);
    }
  }
  const defs = groupBy(definitions);
  const refs = groupBy(references);
  return {
    definitions,
    openKinds,
    references,
    definitionsOf: (kind, name) => defs.get(`${kind}\u0000${name}`) ?? [],
    referencesOf: (kind, name) => refs.get(`${kind}\u0000${name}`) ?? [],
  };
}

function collect(
  placed: PlacedStatement,
  file: string,
  defs: SymbolDefinition[],
  refs: SymbolReference[],
  openKinds: Set<SymbolKind>,
  dollars: boolean,
): void {
  const s = placed.statement;

  // The parameter uses of a line an expansion made are in the values it came from, and the line as
  // written holds the use that made it: only the file's own words are places of use.
  const ownWords = !placed.expansionOf;
  if (s.kind === 'definition' && s.definition) {
    const d = s.definition;
    defs.push({ kind: 'param', name: d.name, file, span: d.nameSpan, statement: s, placed });
    if (ownWords) collectParamUses(d.value, d.valueSpan.start, file, s, refs);
    return;
  }
  const loopVars = s.sequences.length ? s.sequences.flatMap(loopVariableNames) : NO_VARS;
  if (ownWords && dollars) {
    // In a template word, a `$` inside an expression (`{{ $iface }}`) is the template's, not keepalived's.
    collectParamUses(s.keyword.template ?? s.keyword.text, s.keyword.start, file, s, refs, loopVars);
    for (const word of s.args)
      collectParamUses(word.template ?? word.text, word.start, file, s, refs, loopVars);
  }

  if (placed.role === 'keyword' && placed.spec) {
    const spec = placed.spec;
    const defining = spec.parent === '' ? kindDefinedBy(spec.path) : undefined;
    const name = s.args[0];
    if (defining && name) {
      // A name built by a ~SEQ/~LST loop defines one name per iteration; one we cannot work out
      // (an unknown parameter) leaves the kind open, so references to it are not reported as undefined.
      const value = s.sequences.length ? name.value : placed.expandedArgs[0];
      const names =
        value === undefined ? undefined : s.sequences.length ? expandLoops(value, s.sequences) : [value];
      if (!names || names.some((n) => n.includes('$'))) openKinds.add(defining);
      for (const n of names ?? [])
        defs.push({ kind: defining, name: n, file, span: nameSpan(name), statement: s, placed });
    }
    const uses = keywordUses(spec.path);
    if (uses.length) {
      const values = s.args.map((a) => a.value);
      for (const use of uses) {
        const at = usedArgument(use, values);
        if (at >= 0) reference(refs, use.kind, s.args[at]!, file, placed);
      }
    }
    return;
  }
  if (placed.role === 'value-line' && placed.owner) {
    const inBlock = placed.owner.block === 'values' ? kindInValueBlock(placed.owner.name) : undefined;
    if (inBlock) {
      reference(refs, inBlock.kind, s.keyword, file, placed);
      if (inBlock.words === 'every') for (const w of s.args) reference(refs, inBlock.kind, w, file, placed);
    }
    const optionUses = valueLineUses(placed.owner.name);
    if (optionUses.length) {
      const words = [s.keyword, ...s.args];
      for (const use of optionUses)
        words.forEach((w, i) => {
          if (w.value === use.after && words[i + 1]) reference(refs, use.kind, words[i + 1]!, file, placed);
        });
    }
  }
}

/** A reference by `word` of the line `placed`: one per name a `~SEQ`/`~LST` loop makes of it. */
function reference(
  refs: SymbolReference[],
  kind: SymbolKind,
  word: Word,
  file: string,
  placed: PlacedStatement,
): void {
  const s = placed.statement;
  if (word.template !== undefined) {
    const pattern = templatePattern(word.template);
    refs.push({ kind, name: word.value, file, span: nameSpan(word), statement: s, placed, pattern });
    return;
  }
  if (s.sequences.length === 0) {
    // A name made by a parameter (`TF_$NUM`) is the one keepalived looks up: the word's expanded value.
    const name = word.value.includes('$') ? expandedValue(placed, word) : word.value;
    if (name !== undefined && !name.includes('$'))
      refs.push({ kind, name, file, span: nameSpan(word), statement: s, placed });
    return;
  }
  for (const name of expandLoops(word.value, s.sequences) ?? []) {
    if (!name.includes('$')) refs.push({ kind, name, file, span: nameSpan(word), statement: s, placed });
  }
}

/** A word of the line after its parameters were replaced; undefined when not known here. */
function expandedValue(placed: PlacedStatement, word: Word): string | undefined {
  const s = placed.statement;
  if (word === s.keyword) return placed.expandedKeyword;
  const at = s.args.indexOf(word);
  return at < 0 ? undefined : placed.expandedArgs[at];
}

/** `$NAME` / `${NAME}` uses inside a text that starts at `offset` in the file. */
function collectParamUses(
  text: string,
  offset: number,
  file: string,
  s: Statement,
  refs: SymbolReference[],
  loopVars: (string | undefined)[] = [],
): void {
  if (!text.includes('$')) return;
  for (const use of paramUses(text)) {
    if (loopVars.includes(use.name)) continue; // a ~SEQ/~LST loop variable, defined by the line itself
    const braced = text[use.index + 1] === '{';
    const start = offset + use.index + (braced ? 2 : 1);
    refs.push({
      kind: 'param',
      name: use.name,
      file,
      span: { start, end: start + use.name.length },
      statement: s,
    });
  }
}

/** The span of a name without its quotes. */
function nameSpan(word: Word): Span {
  return word.quoted
    ? { start: word.start + 1, end: word.start + 1 + word.value.length }
    : { start: word.start, end: word.end };
}

function groupBy<T extends { kind: SymbolKind; name: string }>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = `${item.kind}\u0000${item.name}`;
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}
