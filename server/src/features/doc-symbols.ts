// The outline: hierarchical document symbols (instances with their VIPs, scripts with their command,
// virtual servers as IP:port with their real servers), and workspace-wide symbol search.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import type { SymbolKind as NameKind } from '../analysis/symbols';
import type { KeywordSpec } from '../schema';
import { kindDefinedBy, symbolKind } from '../schema/symbol-kinds';
import type { Statement } from '../syntax/ast';
import { fileView } from './file-view';
import { pathToUri } from './uri';

/** Outline kinds of the blocks that define no name; those that do show as their kind's `lsp`. */
const KIND_BY_BLOCK: Readonly<Record<string, SymbolKind>> = {
  global_defs: SymbolKind.Namespace,
  virtual_server: SymbolKind.Module,
  real_server: SymbolKind.Object,
};

/** How a definition of this kind shows in the outline and in workspace symbol search. */
function lspKind(kind: NameKind): SymbolKind {
  return SymbolKind[symbolKind(kind).lsp];
}

function blockKind(spec: KeywordSpec): SymbolKind {
  const defines = spec.parent === '' ? kindDefinedBy(spec.path) : undefined;
  if (defines) return lspKind(defines);
  return KIND_BY_BLOCK[spec.name] ?? (spec.block === 'keywords' ? SymbolKind.Struct : SymbolKind.Array);
}

/** How many VIPs or URL paths a detail names before it says how many more there are. */
const DETAIL_ITEMS = 3;

/** Blocks as deep as a real server (keepalived's path of two keywords) have a symbol of their own. */
const OUTLINED_DEPTH = 2;

/**
 * The outline: every block at the top of the file (named definitions, global_defs, static_* lists, and in
 * an included fragment whatever it holds), with the sub-blocks of keywords under them down to a real
 * server. A real server's health checkers are not symbols of their own but its detail ("HTTP_GET /health ·
 * TCP_CHECK"): they have no name to find them by, and one symbol each (and one per url) more than doubled
 * the outline of a load balancer's file, which every editor asks for again after each edit.
 */
export function documentSymbols(file: AnalyzedFile): DocumentSymbol[] {
  const { placedOf } = fileView(file);
  const symbol = (s: Statement, spec: KeywordSpec): DocumentSymbol => {
    const nameWord = s.args[0] ?? s.keyword;
    const name = s.args.length
      ? `${s.keyword.value} ${s.args.map((a) => a.value).join(s.keyword.value.endsWith('server') ? ':' : ' ')}`
      : s.keyword.value;
    const out: DocumentSymbol = {
      name,
      kind: blockKind(spec),
      range: file.lines.range(s.start, s.end),
      selectionRange: file.lines.range(nameWord.start, nameWord.end),
    };
    const detail = detailOf(s, placedOf);
    if (detail) out.detail = detail;
    // Leaves carry no `children` (optional in LSP): a third of the outline's bytes were empty lists.
    const children = spec.path.split('/').length < OUTLINED_DEPTH ? nested(s.block!.statements) : [];
    if (children.length) out.children = children;
    return out;
  };
  // Loops rather than flatMap: most statements are not blocks, and this walks every line of a block.
  const nested = (statements: readonly Statement[]): DocumentSymbol[] => {
    const out: DocumentSymbol[] = [];
    for (const s of statements) {
      if (!s.block) continue;
      const spec = placedOf.get(s)?.spec;
      if (spec?.block === 'keywords') out.push(symbol(s, spec));
    }
    return out;
  };
  const out: DocumentSymbol[] = [];
  for (const s of file.tree.statements) {
    const spec = s.block ? placedOf.get(s)?.spec : undefined;
    if (spec?.block) out.push(symbol(s, spec));
  }
  return out;
}

/** The first items and how many more. */
function listed(items: string[]): string {
  if (items.length <= DETAIL_ITEMS) return items.join(', ');
  return `${items.slice(0, DETAIL_ITEMS).join(', ')} +${items.length - DETAIL_ITEMS} more`;
}

function detailOf(s: Statement, byStatement: Map<Statement, PlacedStatement>): string | undefined {
  const children = s.block!.statements;
  const child = (name: string) => children.find((c) => byStatement.get(c)?.spec?.name === name);
  switch (s.keyword.value) {
    case 'vrrp_instance': {
      const vips = child('virtual_ipaddress')?.block?.statements.map((l) => l.keyword.value) ?? [];
      const state = child('state')?.args[0]?.value;
      return [state, listed(vips)].filter(Boolean).join(' · ') || undefined;
    }
    case 'vrrp_script':
      return child('script')?.args[0]?.value;
    case 'virtual_server':
      return child('protocol')?.args[0]?.value;
    case 'real_server':
      return checkersOf(children, byStatement) || undefined;
    default:
      return undefined;
  }
}

/** A real server's health checkers, each with the paths its url blocks ask for. */
function checkersOf(children: readonly Statement[], byStatement: Map<Statement, PlacedStatement>): string {
  const checkers: string[] = [];
  for (const c of children) {
    if (!c.block || byStatement.get(c)?.spec?.block !== 'keywords') continue;
    const paths: string[] = [];
    for (const u of c.block.statements) {
      if (!u.block || byStatement.get(u)?.spec?.name !== 'url') continue;
      const path = u.block.statements.find((l) => byStatement.get(l)?.spec?.name === 'path');
      if (path?.args[0]) paths.push(path.args[0].value);
    }
    checkers.push(paths.length ? `${c.keyword.value} ${listed(paths)}` : c.keyword.value);
  }
  return checkers.join(' · ');
}

/** Named definitions across configurations, matching the query as a case-insensitive subsequence. */
export function workspaceSymbols(models: ConfigModel[], query: string, limit = 500): SymbolInformation[] {
  const q = query.toLowerCase();
  const matches = (name: string): boolean => {
    let i = 0;
    for (const c of name.toLowerCase()) if (c === q[i]) i++;
    return i === q.length;
  };
  const seen = new Set<string>();
  const out: SymbolInformation[] = [];
  for (const model of models) {
    for (const d of model.symbols.definitions) {
      const key = `${d.file}:${d.span.start}`;
      if (seen.has(key) || !matches(d.name)) continue;
      seen.add(key);
      const f = model.files.get(d.file)!;
      out.push({
        name: d.kind === 'param' ? `$${d.name}` : d.name,
        kind: lspKind(d.kind),
        containerName: d.kind,
        location: { uri: pathToUri(d.file), range: f.lines.range(d.span.start, d.span.end) },
      });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
