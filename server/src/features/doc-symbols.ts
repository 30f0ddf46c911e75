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
  return defines ? lspKind(defines) : (KIND_BY_BLOCK[spec.name] ?? SymbolKind.Struct);
}

export function documentSymbols(file: AnalyzedFile): DocumentSymbol[] {
  const { placedOf } = fileView(file);
  // Loops rather than flatMap: most statements are not blocks, and this walks every line of the file.
  const build = (statements: readonly Statement[]): DocumentSymbol[] => {
    const out: DocumentSymbol[] = [];
    for (const s of statements) {
      if (!s.block) continue;
      const placed = placedOf.get(s);
      if (!placed?.spec || placed.spec.block !== 'keywords') continue;
      const nameWord = s.args[0] ?? s.keyword;
      const name = s.args.length
        ? `${s.keyword.value} ${s.args.map((a) => a.value).join(s.keyword.value.endsWith('server') ? ':' : ' ')}`
        : s.keyword.value;
      out.push({
        name,
        detail: detailOf(s, placedOf),
        kind: blockKind(placed.spec),
        range: file.lines.range(s.start, s.end),
        selectionRange: file.lines.range(nameWord.start, nameWord.end),
        children: build(s.block.statements),
      });
    }
    return out;
  };
  return build(file.tree.statements);
}

function detailOf(s: Statement, byStatement: Map<Statement, PlacedStatement>): string | undefined {
  const child = (name: string) => s.block!.statements.find((c) => byStatement.get(c)?.spec?.name === name);
  switch (s.keyword.value) {
    case 'vrrp_instance': {
      const vips = child('virtual_ipaddress')?.block?.statements.map((l) => l.keyword.value) ?? [];
      const state = child('state')?.args[0]?.value;
      return [state, vips.join(', ')].filter(Boolean).join(' · ') || undefined;
    }
    case 'vrrp_script':
      return child('script')?.args[0]?.value;
    case 'virtual_server':
    case 'real_server': {
      const protocol = child('protocol')?.args[0]?.value;
      return protocol;
    }
    default:
      return undefined;
  }
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
