// Holds the consumers of server/src/schema/symbol-kinds.ts to it: the schema's `references` say what the
// table says, and every name the symbol index finds is highlighted, outlined, completed and renamed as
// its kind, so a kind or a use added in one place cannot be missed in another.
import { describe, expect, it } from 'vitest';
import { SymbolKind as LspSymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { completions, type CompletionEnv } from '../../../server/src/features/completion';
import { documentSymbols, workspaceSymbols } from '../../../server/src/features/doc-symbols';
import { rename } from '../../../server/src/features/navigation';
import { SEMANTIC_LEGEND, semanticTokens } from '../../../server/src/features/semantic-tokens';
import { KEYWORDS } from '../../../server/src/schema';
import {
  isSymbolKind,
  keywordUses,
  kindDefinedBy,
  kindInValueBlock,
  SYMBOL_KIND_NAMES,
  symbolKind,
} from '../../../server/src/schema/symbol-kinds';
import { addressOption } from '../../../server/src/schema/vocabulary';
import { lineOption, syncDaemonOption } from '../../../server/src/schema/line-options';
import { LineIndex } from '../../../server/src/syntax/position';
import { conf, virtualServerWithChecks } from '../../helpers';

const PATH = '/etc/keepalived/keepalived.conf';

/** One configuration with a definition of every kind and every use the table lists. */
const EVERY_USE = conf(
  '$PRIO=100',
  'global_defs {',
  '  lvs_sync_daemon eth0 inst VI_1',
  '}',
  'vrrp_script chk {',
  '  script "/bin/true"',
  '}',
  'track_file tf {',
  '  file "/run/tf"',
  '}',
  'vrrp_track_file old_tf {',
  '  file "/run/old_tf"',
  '}',
  'vrrp_track_process tp {',
  '  process sshd',
  '}',
  'bfd_instance bfd1 {',
  '  neighbor_ip 192.0.2.9',
  '}',
  'track_group TG {',
  '  group {',
  '    VI_1',
  '  }',
  '}',
  // track_group is read on static lines only (a virtual_* line does not take it).
  'static_ipaddress {',
  '  192.0.2.1/24 dev eth0 track_group TG',
  '}',
  'static_routes {',
  '  192.0.2.0/24 dev eth0 track_group TG',
  '}',
  'static_rules {',
  '  from 192.0.2.1 table 100 track_group TG',
  '}',
  'vrrp_sync_group SG {',
  '  group {',
  '    VI_1 VI_2',
  '  }',
  '}',
  'vrrp_instance VI_1 {',
  '  interface eth0',
  '  virtual_router_id 1',
  '  priority $PRIO',
  '  track_script {',
  '    chk weight 2',
  '  }',
  '  track_file {',
  '    tf',
  '    old_tf',
  '  }',
  '  track_process {',
  '    tp',
  '  }',
  '  track_bfd {',
  '    bfd1',
  '  }',
  '}',
  'vrrp_instance VI_2 {',
  '  interface eth0',
  '  virtual_router_id 2',
  '  priority 90',
  '}',
  'virtual_server_group VSG {',
  '  192.0.2.5 80',
  '}',
  ...virtualServerWithChecks('VSG', 'tf', 'bfd1'),
);

/** The semantic tokens as `start:type[.modifier]` by start offset. */
function tokensByOffset(text: string): Map<number, string> {
  const data = semanticTokens(analyzeText(PATH, text));
  const lines = new LineIndex(text);
  const out = new Map<number, string>();
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dChar, , type, bits] = data.slice(i, i + 5) as [number, number, number, number, number];
    char = dLine === 0 ? char + dChar : dChar;
    line += dLine;
    const modifiers = SEMANTIC_LEGEND.tokenModifiers.filter((_, bit) => bits & (1 << bit));
    out.set(lines.lineStart(line) + char, [SEMANTIC_LEGEND.tokenTypes[type], ...modifiers].join('.'));
  }
  return out;
}

describe('the symbol kinds table', () => {
  it("agrees with the schema's references: each keyword or value block that refers to a kind is a use of it", () => {
    for (const spec of KEYWORDS) {
      if (!isSymbolKind(spec.references)) continue;
      const kind =
        spec.block === 'values'
          ? kindInValueBlock(spec.name)?.kind
          : keywordUses(spec.path).find((u) => u.kind === spec.references)?.kind;
      expect(kind, spec.path).toBe(spec.references);
    }
  });

  it('names only keywords the schema has, referring to the kind the schema says', () => {
    for (const kind of SYMBOL_KIND_NAMES) {
      for (const path of symbolKind(kind).definedBy) {
        const spec = KEYWORDS.find((k) => k.path === path);
        expect(spec?.block && spec.args.kind === 'name', path).toBeTruthy();
      }
      for (const use of symbolKind(kind).referencedBy) {
        if ('valueBlock' in use) {
          const specs = KEYWORDS.filter((k) => k.name === use.valueBlock && k.block === 'values');
          expect(specs.length, use.valueBlock).toBeGreaterThan(0);
          for (const spec of specs) expect(spec.references, spec.path).toBe(kind);
        } else if ('keyword' in use) {
          expect(KEYWORDS.find((k) => k.path === use.keyword)?.references, use.keyword).toBe(kind);
          // A name after an option word: the keyword's option table says that option takes the kind.
          if (use.keyword === 'global_defs/lvs_sync_daemon')
            expect(syncDaemonOption(use.after ?? '')?.value, `lvs_sync_daemon ${use.after}`).toBe(kind);
        } else {
          // The option is one of each grammar's tables (vocabulary.ts, line-options.ts), taking a name of the kind.
          for (const block of use.lineBlocks) {
            const lines = KEYWORDS.find((k) => k.name === block && k.block === 'values')?.valueLines;
            expect(lines, block).toBeDefined();
            const option =
              lines === 'ipaddress'
                ? addressOption(use.after)
                : lineOption(lines as 'route' | 'rule', use.after);
            expect(option?.value, `${block} ${use.after}`).toBe(kind);
          }
        }
      }
    }
  });

  it('lists every top-level block that defines a name with its first argument', () => {
    const defining = KEYWORDS.filter((k) => k.parent === '' && k.block && k.args.kind === 'name');
    expect(defining.map((k) => k.path).filter((p) => !kindDefinedBy(p))).toEqual([]);
  });
});

describe('every consumer reads the table', () => {
  const file = analyzeText(PATH, EVERY_USE);
  const { symbols } = file.model;

  it('the symbol index finds a definition of every kind and a reference for every use', () => {
    expect(new Set(symbols.definitions.map((d) => d.kind))).toEqual(new Set(SYMBOL_KIND_NAMES));
    for (const kind of SYMBOL_KIND_NAMES) {
      const uses = symbolKind(kind).referencedBy.length;
      const refs = symbols.references.filter((r) => r.kind === kind);
      expect(refs.length, kind).toBeGreaterThanOrEqual(uses);
    }
    // Nothing is undefined, duplicated or unused in it.
    const names = lintFile(file, {}).filter((d) =>
      ['undefined-reference', 'duplicate-definition', 'unused-definition'].includes(d.rule),
    );
    expect(names).toEqual([]);
  });

  it('semantic tokens mark each name the index knows, and nothing else, as a name', () => {
    const tokens = tokensByOffset(EVERY_USE);
    const named = new Map<number, string>();
    for (const d of symbols.definitions)
      if (d.kind !== 'param') named.set(d.span.start, `class.declaration ${d.kind} ${d.name}`);
    for (const r of symbols.references)
      if (r.kind !== 'param') named.set(r.span.start, `class ${r.kind} ${r.name}`);
    const expected = [...named.values()];
    const actual = [...named].map(
      ([offset, what]) => `${tokens.get(offset)} ${what.split(' ').slice(1).join(' ')}`,
    );
    expect(actual).toEqual(expected);
    const classes = [...tokens].filter(([, t]) => t.startsWith('class')).map(([offset]) => offset);
    expect(classes.sort((a, b) => a - b)).toEqual([...named.keys()].sort((a, b) => a - b));
  });

  it('the outline and workspace symbol search show a definition as the same kind', () => {
    const flat = (list: DocumentSymbol[]): DocumentSymbol[] =>
      list.flatMap((s) => [s, ...flat(s.children ?? [])]);
    const outline = flat(documentSymbols(file));
    const found = workspaceSymbols([file.model], '');
    for (const d of symbols.definitions) {
      const lsp = LspSymbolKind[symbolKind(d.kind).lsp];
      expect(found.find((s) => s.name === (d.kind === 'param' ? `$${d.name}` : d.name))?.kind, d.kind).toBe(
        lsp,
      );
      if (d.kind === 'param' || d.kind === 'virtual_server_group') continue; // not blocks of keywords
      const line = file.lines.positionAt(d.span.start).line;
      const entry = outline.find((s) => s.selectionRange.start.line === line);
      expect(entry?.kind, `${d.kind} ${d.name}`).toBe(lsp);
    }
  });

  it('the outline shows a track_group as a group, as workspace symbols do (it was a plain struct)', () => {
    const entry = documentSymbols(file).find((s) => s.name === 'track_group TG');
    expect(entry?.kind).toBe(LspSymbolKind.Package);
  });

  it('semantic tokens mark the instance of lvs_sync_daemon and a track_group option as names', () => {
    const tokens = tokensByOffset(EVERY_USE);
    const at = (line: string, word: string): string | undefined =>
      tokens.get(EVERY_USE.indexOf(line) + line.indexOf(word));
    expect(at('lvs_sync_daemon eth0 inst VI_1', 'VI_1')).toBe('class');
    expect(at('192.0.2.1/24 dev eth0 track_group TG', 'TG')).toBe('class');
    expect(at('192.0.2.0/24 dev eth0 track_group TG', 'TG')).toBe('class');
    expect(at('from 192.0.2.1 table 100 track_group TG', 'TG')).toBe('class');
  });

  it("a value block's own arguments name nothing (keepalived reads only its lines)", () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      '  track_file tf {',
      '    tf',
      '  }',
      '}',
      'track_file tf {',
      '}',
    );
    const refs = analyzeText(PATH, text).model.symbols.references.map((r) => r.span.start);
    expect(refs).toEqual([text.indexOf('    tf') + 4]);
  });

  it('completion offers the names of the kind each keyword use refers to', () => {
    const env: CompletionEnv = { users: () => [], interfaces: () => ['eth0'], listDir: () => undefined };
    const offered = (line: string, cut: string): string[] => {
      const offset = EVERY_USE.indexOf(line) + line.indexOf(cut);
      const text = EVERY_USE.slice(0, offset) + EVERY_USE.slice(offset + cut.length);
      const f = analyzeText(PATH, text);
      return completions(f, f.lines.positionAt(offset), env).map((i) => i.label);
    };
    expect(offered('lvs_sync_daemon eth0 inst VI_1', 'VI_1')).toEqual(['VI_1', 'VI_2']);
    expect(offered('virtual_server group VSG {', 'VSG')).toEqual(['VSG']);
    expect(offered('192.0.2.1/24 dev eth0 track_group TG', 'TG')).toEqual(['TG']);
    expect(offered('      track_file tf', 'tf')).toEqual(['tf', 'old_tf']);
    expect(offered('      name bfd1', 'bfd1')).toEqual(['bfd1']);
  });

  it("rename's messages name the kind as the other messages do", () => {
    const text = conf('$A=1', '$B=2', 'global_defs {', '  router_id $A$B', '}');
    const f = analyzeText(PATH, text);
    expect(rename(f, text.indexOf('$B') + 1, 'A')).toEqual({
      error: "A parameter named 'A' already exists.",
    });
    const bfd = analyzeText(PATH, EVERY_USE);
    expect(rename(bfd, EVERY_USE.indexOf('bfd1'), 'b'.repeat(32))).toEqual({
      error: 'bfd_instance names are limited to 31 characters.',
    });
  });
});
