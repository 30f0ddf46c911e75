// Hover on `$NAME` / `${NAME}`: the definition as written, its value after expansion (or why it is not
// known here), and where it is defined.
import type { AnalyzedFile } from '../analysis/document';
import { expandText, MAX_PARAM_DEPTH, paramUses, type ParamTable } from '../analysis/params';
import type { SymbolDefinition } from '../analysis/symbols';
import { compareVersions } from '../schema/version';
import { builtinParameter, OLDEST_RELEASE } from '../schema/vocabulary';
import type { Span } from '../syntax/ast';
import type { AtOffset } from './cursor';
import { code, count, fenced, place } from './hover-text';

export interface ParamHit {
  name: string;
  /** `$NAME`, `${NAME ...}`, or the name of a definition with its `$`. */
  span: Span;
  /** Set when the hover is on a definition line. */
  definition?: SymbolDefinition;
}

/** The parameter (use or definition) under `offset`, if any. */
export function paramAt(file: AnalyzedFile, loc: AtOffset, offset: number): ParamHit | undefined {
  const s = loc.placed?.statement;
  if (!s) return undefined;
  const d = s.kind === 'definition' ? s.definition : undefined;
  const inUse = (text: string, base: number): ParamHit | undefined => {
    for (const use of paramUses(text)) {
      const start = base + use.index;
      if (offset >= start && offset < start + use.length)
        return { name: use.name, span: { start, end: start + use.length } };
    }
    return undefined;
  };
  if (d) {
    const definition = file.model.symbols.definitions.find((x) => x.kind === 'param' && x.statement === s);
    const name = { start: d.nameSpan.start - 1, end: d.nameSpan.end };
    const onValue = offset >= d.valueSpan.start ? inUse(d.value, d.valueSpan.start) : undefined;
    return onValue ?? { name: d.name, span: name, definition };
  }
  const word = loc.word;
  return word && word.text.includes('$') ? inUse(word.text, word.start) : undefined;
}

export function paramSummary(file: AnalyzedFile, hit: ParamHit, loc: AtOffset): string {
  const { model } = file;
  const defs = model.symbols.definitionsOf('param', hit.name);
  const def = hit.definition ?? applicable(file, defs, loc.offset);
  const parts: string[] = [];
  if (!def) {
    const builtin = builtinParameter(hit.name);
    if (builtin) {
      parts.push(`**$${hit.name}** · set by keepalived: ${builtin.about}.`);
      if (builtin.value) parts.push(`Expands to: ${code(builtin.value)}`);
      if (compareVersions(builtin.since, OLDEST_RELEASE) > 0)
        parts.push(
          `Defined by keepalived ${builtin.since} and later; older releases leave the text as written.`,
        );
    } else {
      parts.push(`**$${hit.name}** is not defined${model.complete ? '' : ' in the files read here'}.`);
      parts.push(
        model.complete
          ? 'keepalived leaves the text as written.'
          : 'An include that is not followed here may define it.',
      );
    }
  } else {
    const d = def.statement.definition!;
    const again = defs.length > 1 ? ` (defined ${count(defs.length, 'time')})` : '';
    parts.push(`**$${hit.name}** · parameter defined at ${place(file, def.file, def.span.start)}${again}`);
    parts.push(d.value ? `As written:\n\n${fenced(d.value)}` : 'Defined as empty.');
    if (d.value.includes('$')) {
      const expanded = expandText(d.value, model.params, 0, model.complete);
      parts.push(
        expanded !== undefined
          ? `Expands to: ${code(expanded)}`
          : `Value not known here: ${whyUnknown(d.value, model.params, model.complete, 0) ?? 'it depends on a value not known here'}.`,
      );
    }
  }
  const word = loc.word;
  if (
    word &&
    loc.placed?.statement.kind !== 'definition' &&
    word.end - word.start > hit.span.end - hit.span.start
  ) {
    const index = loc.placed!.statement.args.indexOf(word);
    const whole =
      index >= 0 ? loc.placed!.expandedArgs[index] : expandText(word.value, model.params, 0, model.complete);
    if (whole !== undefined) parts.push(`This word reads as ${code(whole)}`);
  }
  return parts.join('\n\n');
}

/** The definition in force at a use: the last one earlier in the same file, else the final one. */
function applicable(
  file: AnalyzedFile,
  defs: SymbolDefinition[],
  offset: number,
): SymbolDefinition | undefined {
  const before = defs.filter((d) => d.file === file.path && d.statement.end <= offset);
  if (before.length) return before[before.length - 1];
  const final = file.model.params.get(defs[0]?.name ?? '');
  return defs.find((d) => d.statement.definition === final) ?? defs[0];
}

/** Why a text has no known expansion: the first name in it (or in what it uses) that is not known. */
function whyUnknown(text: string, params: ParamTable, complete: boolean, depth: number): string | undefined {
  if (depth > MAX_PARAM_DEPTH) return 'parameters refer to each other too deeply (a loop?)';
  for (const use of paramUses(text)) {
    const builtin = builtinParameter(use.name);
    if (builtin) {
      if (!builtin.value) return `it uses ${code('$' + use.name)}, ${builtin.about}`;
      continue;
    }
    const def = params.get(use.name);
    if (!def) {
      if (!complete) return `${code('$' + use.name)} is not defined in the files read here`;
      continue;
    }
    const inner = whyUnknown(def.value, params, complete, depth + 1);
    if (inner) return `through ${code('$' + use.name)}, ${inner}`;
  }
  return undefined;
}
