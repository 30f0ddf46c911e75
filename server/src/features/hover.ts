// Hover: what the word under the mouse means to keepalived. Keywords show their documentation; names show
// what they define (a vrrp_script's command and the user it runs as, an instance's election settings);
// `$PARAM`s show their value; include lines show the files they read.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import type { FateOptions } from '../analysis/script-fate';
import { scriptSecurity } from '../analysis/scripts';
import type { Span, Word } from '../syntax/ast';
import { keywordDoc, unknownKeywordDoc } from './keyword-doc';
import { paramAt, paramSummary } from './hover-params';
import { commandWords, runsAs, scriptSummary, symbolSummary } from './hover-symbols';
import { code, count, shownPath } from './hover-text';
import { whatIsAt } from './cursor';

/** `peers`: the configurations of the other nodes, for the failover table on a vrrp_instance. */
export function hover(
  file: AnalyzedFile,
  position: Position,
  env: FateOptions,
  peers: ConfigModel[] = [],
): Hover | null {
  const offset = file.lines.offsetAt(position);
  if (file.tree.comments.some((c) => offset >= c.start && offset < c.end)) return null;
  const loc = whatIsAt(file, offset);
  const placed = loc.placed;
  if (!placed) return null;
  // A hover names the character under the mouse: the end of a word is the blank after it.
  const word = loc.word && offset < loc.word.end ? loc.word : undefined;
  if (!word) return null;

  const param = paramAt(file, loc, offset);
  if (param) return answer(file, param.span, paramSummary(file, param, loc));

  const symbol = loc.symbol;
  if (symbol && symbol.item.kind !== 'param' && offset < symbol.item.span.end) {
    const { item } = symbol;
    const definition = symbol.kind === 'definition' ? item : undefined;
    return answer(file, item.span, symbolSummary(file, item.kind, item.name, definition, env, peers));
  }
  if (placed.role === 'include') return answer(file, word, includeSummary(file, placed));
  if (placed.role === 'keyword') {
    const text = keywordHover(file, placed, word, env);
    return text ? answer(file, word, text) : null;
  }
  if (placed.role === 'value-line' && placed.owner) {
    const line = `A line of ${code(`${placed.owner.name} { ... }`)}, read as a value.`;
    return answer(file, word, `${line}\n\n${keywordDoc(placed.owner)}`);
  }
  return null;
}

function answer(file: AnalyzedFile, span: Span, value: string): Hover {
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: file.lines.range(span.start, span.end),
  };
}

function keywordHover(
  file: AnalyzedFile,
  placed: PlacedStatement,
  word: Word,
  env: FateOptions,
): string | undefined {
  const s = placed.statement;
  const spec = placed.spec;
  if (!spec) return word === s.keyword ? unknownKeywordDoc(s.keyword.value, placed.parentPath) : undefined;
  const use = spec.script
    ? scriptSecurity(file.model, env.host).scripts.find((u) => u.statement === s)
    : undefined;
  // Script words are re-split the way keepalived reads them, so compare positions, not word objects.
  const within = (w: Word | undefined): boolean => !!w && word.start >= w.start && word.end <= w.end;
  if (use && (commandWords(use).some(within) || within(use.userWord)))
    return scriptSummary(use, file.model, env);
  const doc = keywordDoc(spec);
  return use && word === s.keyword ? `${doc}\n\n${runsAs(use, file.model, env)}` : doc;
}

function includeSummary(file: AnalyzedFile, placed: PlacedStatement): string {
  const s = placed.statement;
  const pattern = s.args.map((a) => a.value).join(' ');
  const parts = [`**${s.keyword.value}** ${code(pattern)}`];
  const edge = file.model.includes.find((e) => e.statement === s);
  const r = edge?.resolution;
  if (!r) {
    parts.push(
      placed.inactive
        ? 'Not read: its `@` condition does not match the configuration id.'
        : 'Not resolved: this file was analysed on its own, so includes are not followed.',
    );
    return parts.join('\n\n');
  }
  const list = (items: string[]): string => items.map((i) => `- ${i}`).join('\n');
  parts.push(
    r.files.length
      ? `Reads ${count(r.files.length, 'file')}:\n\n${list(r.files.map((f) => code(shownPath(file, f))))}`
      : 'Reads no file.',
  );
  if (r.skipped.length)
    parts.push(`Skipped:\n\n${list(r.skipped.map((e) => `${code(shownPath(file, e.path))}: ${e.reason}`))}`);
  if (r.unmatched.length)
    parts.push(`Matched nothing:\n\n${list(r.unmatched.map((u) => code(shownPath(file, u))))}`);
  if (r.truncated) parts.push('The pattern hit a limit, so this list is partial.');
  for (const cycle of file.model.cycles.filter((c) => c.statement === s && c.file === file.path))
    parts.push(`Reads ${code(shownPath(file, cycle.target))} again: an include cycle.`);
  return parts.join('\n\n');
}
