// Completion: keywords allowed where the cursor is (with docs and argument snippets), and values for the
// argument being typed (choices, defined names, users, interfaces, parameters, paths).
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  type CompletionItem,
  type MarkupContent,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../../analysis/document';
import { compareVersions } from '../../schema/version';
import { LVS_METHOD_NAMES } from '../../schema/vocabulary';
import { keywordsIn, type KeywordSpec } from '../../schema';
import type { Span } from '../../syntax/ast';
import { argumentItems, paramItems } from './args';
import { cursorContext, type CursorContext } from '../cursor';
import type { CompletionEnv } from './env';
import { keywordDoc } from '../keyword-doc';

export type { CompletionEnv } from './env';

export function completions(file: AnalyzedFile, position: Position, env: CompletionEnv): CompletionItem[] {
  const ctx = cursorContext(file, position);
  if (!ctx) return [];
  const params = paramItems(file, ctx.offset);
  if (params) return params;
  if (ctx.index === 0 && !ctx.valueBlock) {
    // A `~` line keepalived ignores, or a definition, takes no keyword.
    if (ctx.placed && ctx.placed.role !== 'keyword' && ctx.placed.role !== 'include') return [];
    return keywordItems(file, ctx, env);
  }
  return argumentItems(file, ctx, env);
}

export function toRange(file: AnalyzedFile, span: Span): Range {
  return file.lines.range(span.start, span.end);
}

function keywordItems(file: AnalyzedFile, ctx: CursorContext, env: CompletionEnv): CompletionItem[] {
  const range = toRange(file, ctx.span);
  const items: CompletionItem[] = [];
  for (const spec of keywordsIn(ctx.path)) {
    if (!supported(spec, env.keepalivedVersion)) continue;
    // Deprecated keywords only once the user is typing one (then marked as such).
    if (spec.deprecated && !(ctx.prefix && spec.name.startsWith(ctx.prefix))) continue;
    items.push(keywordItem(spec, range));
  }
  items.push({
    label: 'include',
    kind: CompletionItemKind.Keyword,
    detail: 'include <glob>',
    documentation: markdown(
      'Reads the matching files right here, at this block level (paths are relative to this file).',
    ),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: 'include ${1:path}' },
    sortText: '1include',
  });
  return items;
}

function supported(spec: KeywordSpec, version: string | undefined): boolean {
  return !(spec.since && version && compareVersions(spec.since, version) > 0);
}

function keywordItem(spec: KeywordSpec, range: Range): CompletionItem {
  const item: CompletionItem = {
    label: spec.name,
    kind: spec.block ? CompletionItemKind.Module : CompletionItemKind.Keyword,
    detail: spec.doc?.syntax ?? spec.name,
    documentation: markdown(keywordDoc(spec)),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: keywordSnippet(spec) },
    sortText: `${spec.deprecated ? '2' : '0'}${spec.name}`,
  };
  if (spec.deprecated) item.tags = [CompletionItemTag.Deprecated];
  return item;
}

function markdown(value: string): MarkupContent {
  return { kind: 'markdown', value };
}

/** Each keyword's snippet, made once (the schema never changes). */
const snippets = new WeakMap<KeywordSpec, string>();

/** The text a keyword completion inserts: the keyword, placeholders for its arguments, its block. */
export function keywordSnippet(spec: KeywordSpec): string {
  let snippet = snippets.get(spec);
  if (snippet === undefined) {
    const head = spec.name + argSnippet(spec);
    snippets.set(spec, (snippet = spec.block ? `${head} {\n\t$0\n}` : head));
  }
  return snippet;
}

function argSnippet(spec: KeywordSpec): string {
  const a = spec.args;
  const one = (text: string): string => ` \${1:${escapeSnippet(text)}}`;
  switch (a.kind) {
    case 'none':
    case 'bool':
      return '';
    case 'enum':
      return choice(a.values);
    case 'int':
      return a.optional ? '' : one(numberDefault(spec, a.min, a.max));
    case 'timer':
      return one(numberDefault(spec, a.min, a.max));
    case 'string':
      return a.optional ? '' : one(placeholder(spec, 'value'));
    case 'user':
      return one('keepalived_script');
    case 'interface':
      return one('eth0');
    case 'script':
    case 'name':
    case 'ip':
      return one(placeholder(spec, a.kind));
    case 'special':
      switch (a.shape) {
        case 'lvs_method':
          return choice(LVS_METHOD_NAMES);
        case 'virtual_server':
        case 'ip_port':
        case 'ip_optional_port':
          return ` \${1:ip} \${2:port}`;
        case 'include_check':
        case 'init_file':
          return '';
        default:
          return one(placeholder(spec, 'value'));
      }
  }
}

function choice(values: readonly string[]): string {
  return ` \${1|${values.map((v) => v.replace(/[\\,|$}]/g, (c) => `\\${c}`)).join(',')}|}`;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The first `<placeholder>` of the documented syntax, e.g. `name` in `vrrp_script <name> { ... }`. */
function placeholder(spec: KeywordSpec, fallback: string): string {
  return /<([^<>]+)>/.exec(spec.doc?.syntax ?? '')?.[1] ?? fallback;
}

/** The documented default when it is a number in range, else the value nearest to 0 in range. */
function numberDefault(spec: KeywordSpec, min: number, max: number): string {
  const documented = /^-?\d+(\.\d+)?(?![\w.])/.exec(spec.doc?.default ?? '')?.[0];
  if (documented !== undefined && Number(documented) >= min && Number(documented) <= max) return documented;
  return String(Math.min(Math.max(0, min), max));
}
