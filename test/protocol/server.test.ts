// The built language server over stdio, as any editor would use it, on a two-file configuration.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TestClient, uri } from './client';

const dir = mkdtempSync(join(tmpdir(), 'kl-lsp-'));
const main = join(dir, 'keepalived.conf');
const vi1 = join(dir, 'conf.d', 'vi1.conf');
const mainText = [
  'global_defs {',
  '    router_id lb1',
  '}',
  '$VIP=192.0.2.100',
  '# the instances come after the scripts they track: keepalived looks a tracked name up as it reads it',
  'vrrp_script chk_nginx {',
  '    script "/usr/bin/pgrep -x nginx"',
  '    interval 2',
  '    weight -20',
  '}',
  'vrrp_script chk_spare {',
  '    script "/usr/local/bin/spare" nobody',
  '}',
  'include conf.d/*.conf',
  '',
].join('\n');
const vi1Text = [
  'vrrp_instance VI_1 {',
  '    state BACKUP',
  '    interface eth0',
  '    virtual_router_id 51',
  '    priority 100',
  '    virtual_ipaddress {',
  '        ${VIP}/24 dev eth0',
  '    }',
  '    track_script {',
  '        chk_nginx',
  '    }',
  '}',
  '',
].join('\n');

const packageVersion = (
  JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }
).version;
const codes = (d: { diagnostics: Diagnostic[] }) => d.diagnostics.map((x) => x.code);
const pos = (line: number, character: number) => ({ line, character });
const doc = (path: string) => ({ textDocument: { uri: uri(path) } });

let client: TestClient;

beforeAll(async () => {
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(main, mainText);
  writeFileSync(vi1, vi1Text);
  client = new TestClient();
  const init = (await client.initialize(dir)) as {
    capabilities: Record<string, unknown>;
    serverInfo: { name: string; version: string };
  };
  expect(init.serverInfo).toEqual({ name: 'keepalived-language-server', version: packageVersion });
  expect(init.capabilities).toMatchObject({
    hoverProvider: true,
    renameProvider: { prepareProvider: true },
    definitionProvider: true,
  });
  await client.open(main, mainText);
  await client.open(vi1, vi1Text);
});

afterAll(async () => {
  await client?.close();
});

describe('diagnostics', () => {
  it('publishes security findings with rule links, across the include', async () => {
    const d = await client.diagnosticsFor(main, (p) => codes(p).includes('script-runs-as-root'));
    const root = d.diagnostics.find((x) => x.code === 'script-runs-as-root')!;
    expect(root).toMatchObject({ source: 'keepalived', range: { start: { line: 6 } } });
    expect(root.codeDescription?.href).toContain('rules.md#script-runs-as-root');
    expect(codes(d)).toContain('script-security-disabled');
    expect(codes(d)).toContain('unused-definition');
    const v = await client.diagnosticsFor(vi1);
    expect(codes(v)).toEqual([]);
  });

  it('re-publishes after an edit, and clears when it is fixed', async () => {
    const broken = vi1Text.replace('priority 100', 'prority 100');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(vi1), version: 2 },
      contentChanges: [{ text: broken }],
    });
    const d = await client.diagnosticsFor(vi1, (p) => codes(p).includes('unknown-keyword'));
    expect(d.diagnostics.find((x) => x.code === 'unknown-keyword')!.message).toContain(
      "Did you mean 'priority'?",
    );
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(vi1), version: 3 },
      contentChanges: [{ range: { start: pos(4, 4), end: pos(4, 11) }, text: 'priority' }],
    });
    await client.diagnosticsFor(vi1, (p) => p.version === 3 && codes(p).length === 0);
  });

  it('applies settings from workspace/configuration live', async () => {
    client.settings = { rules: { 'script-runs-as-root': 'off', 'unused-definition': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const d = await client.diagnosticsFor(main, (p) => !codes(p).includes('script-runs-as-root'));
    expect(d.diagnostics.find((x) => x.code === 'unused-definition')?.severity).toBe(1);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.diagnosticsFor(main, (p) => codes(p).includes('script-runs-as-root'));
  });

  it('updates open files when an included file changes on disk', async () => {
    const vi2 = join(dir, 'conf.d', 'vi2.conf');
    writeFileSync(vi2, 'vrrp_instance VI_2 {\n    track_script {\n        chk_spare\n    }\n}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(vi2), type: 1 }],
    });
    await client.diagnosticsFor(main, (p) => !codes(p).includes('unused-definition'));
  });
});

describe('language features', () => {
  it('completes keywords of the enclosing block and defined names', async () => {
    const inInstance = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', {
      ...doc(vi1),
      position: pos(1, 4),
    });
    const labels = (Array.isArray(inInstance) ? inInstance : inInstance.items).map((i) => i.label);
    expect(labels).toContain('nopreempt');
    expect(labels).not.toContain('router_id');
    const inTrack = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', {
      ...doc(vi1),
      position: pos(9, 8),
    });
    expect((Array.isArray(inTrack) ? inTrack : inTrack.items).map((i) => i.label)).toContain('chk_nginx');
  });

  it('hovers keywords and names, with the effective script user', async () => {
    const kw = await client.request<Hover>('textDocument/hover', { ...doc(vi1), position: pos(4, 6) });
    expect(JSON.stringify(kw.contents)).toContain('priority');
    const name = await client.request<Hover>('textDocument/hover', { ...doc(vi1), position: pos(9, 10) });
    expect(JSON.stringify(name.contents)).toContain('/usr/bin/pgrep -x nginx');
    expect(JSON.stringify(name.contents)).toMatch(/root/);
  });

  it('goes to the definition and finds references across files', async () => {
    const defs = await client.request<Location[]>('textDocument/definition', {
      ...doc(vi1),
      position: pos(9, 10),
    });
    expect(defs).toEqual([{ uri: uri(main), range: { start: pos(5, 12), end: pos(5, 21) } }]);
    const decl = await client.request<Location[]>('textDocument/declaration', {
      ...doc(vi1),
      position: pos(9, 10),
    });
    expect(decl).toEqual(defs);
    const refs = await client.request<Location[]>('textDocument/references', {
      ...doc(main),
      position: pos(5, 14),
      context: { includeDeclaration: true },
    });
    expect(refs.map((r) => r.uri).sort()).toEqual([uri(vi1), uri(main)].sort());
    const hl = await client.request<unknown[]>('textDocument/documentHighlight', {
      ...doc(vi1),
      position: pos(9, 10),
    });
    expect(hl).toHaveLength(1);
  });

  it('renames across files and refuses names keepalived would not accept', async () => {
    const prep = await client.request<{ placeholder: string }>('textDocument/prepareRename', {
      ...doc(vi1),
      position: pos(9, 10),
    });
    expect(prep.placeholder).toBe('chk_nginx');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      ...doc(vi1),
      position: pos(9, 10),
      newName: 'chk_web',
    });
    expect(Object.keys(edit.changes!).sort()).toEqual([uri(main), uri(vi1)].sort());
    await expect(
      client.request('textDocument/rename', { ...doc(vi1), position: pos(9, 10), newName: 'bad name' }),
    ).rejects.toThrow(/blanks/);
    const param = await client.request<WorkspaceEdit>('textDocument/rename', {
      ...doc(vi1),
      position: pos(6, 10),
      newName: 'FLOATING_IP',
    });
    expect(Object.values(param.changes!).flat()).toHaveLength(2);
  });

  it('lists symbols, links includes, folds and selects', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', doc(vi1));
    expect(symbols[0]).toMatchObject({
      name: 'vrrp_instance VI_1',
      detail: expect.stringContaining('BACKUP'),
    });
    const ws = await client.request<{ name: string }[]>('workspace/symbol', { query: 'chk' });
    expect(ws.map((s) => s.name)).toContain('chk_nginx');
    const links = await client.request<{ target: string }[]>('textDocument/documentLink', doc(main));
    expect(links[0]!.target).toBe(uri(vi1));
    const folds = await client.request<{ startLine: number }[]>('textDocument/foldingRange', doc(vi1));
    expect(folds.map((f) => f.startLine)).toContain(0);
    const sel = await client.request<{ range: unknown; parent?: unknown }[]>('textDocument/selectionRange', {
      ...doc(vi1),
      positions: [pos(4, 6)],
    });
    expect(sel[0]!.parent).toBeDefined();
  });

  it('offers the fixes a diagnostic carries as quick fixes', async () => {
    const d = await client.diagnosticsFor(main, (p) => codes(p).includes('script-runs-as-root'));
    const root = d.diagnostics.find((x) => x.code === 'script-runs-as-root')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      ...doc(main),
      range: root.range,
      context: { diagnostics: [root] },
    });
    expect(actions.map((a) => a.title)).toContain(
      "Run scripts as keepalived_script by default (global_defs script_user + enable_script_security); first: the account 'keepalived_script' must exist on every node (useradd --system --no-create-home --shell /usr/sbin/nologin keepalived_script)",
    );
    expect(actions.find((a) => a.isPreferred)?.edit?.changes?.[uri(main)]).toBeDefined();
  });

  it('formats documents, ranges and on type without changing tokens', async () => {
    const messy = 'vrrp_instance   VI_9 {\nstate    BACKUP\n      priority 10\n}\n';
    const path = join(dir, 'messy.conf');
    await client.open(path, messy);
    const edits = await client.request<{ newText: string }[]>('textDocument/formatting', {
      ...doc(path),
      options: { tabSize: 4, insertSpaces: true },
    });
    expect(edits.length).toBeGreaterThan(0);
    const range = await client.request<unknown[]>('textDocument/rangeFormatting', {
      ...doc(path),
      range: { start: pos(1, 0), end: pos(2, 0) },
      options: { tabSize: 4, insertSpaces: true },
    });
    expect(range.length).toBeGreaterThan(0);
    const typed = await client.request<unknown[]>('textDocument/onTypeFormatting', {
      ...doc(path),
      position: pos(3, 1),
      ch: '}',
      options: { tabSize: 4, insertSpaces: true },
    });
    expect(Array.isArray(typed)).toBe(true);
  });

  it('formats a document again after an edit or with other options, never with a stale answer', async () => {
    const path = join(dir, 'reformat.conf');
    await client.open(path, 'global_defs {\n  router_id a\n}\n');
    const format = (tabSize: number) =>
      client.request<{ newText: string }[]>('textDocument/formatting', {
        ...doc(path),
        options: { tabSize, insertSpaces: true },
      });
    expect(await format(2)).toEqual([]);
    expect((await format(4)).map((e) => e.newText)).toEqual(['    router_id a']);
    // The same version and options again: the same answer.
    expect((await format(4)).map((e) => e.newText)).toEqual(['    router_id a']);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [{ text: 'global_defs {\n    router_id a\n}\n' }],
    });
    expect(await format(4)).toEqual([]);
    expect((await format(2)).map((e) => e.newText)).toEqual(['  router_id a']);
  });

  it('gives signature help and semantic tokens', async () => {
    const sig = await client.request<{ signatures: { label: string }[]; activeParameter?: number } | null>(
      'textDocument/signatureHelp',
      { ...doc(vi1), position: pos(6, 17) },
    );
    expect(sig?.signatures[0]?.label).toBeTruthy();
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', doc(vi1));
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length).toBeGreaterThan(20);
  });
});

describe('robustness', () => {
  it('answers out-of-range positions, unknown documents and cancelled requests, and keeps serving', async () => {
    expect(await client.request('textDocument/hover', { ...doc(vi1), position: pos(9999, 9999) })).toBeNull();
    expect(
      await client.request('textDocument/definition', {
        textDocument: { uri: uri(join(dir, 'nope.conf')) },
        position: pos(0, 0),
      }),
    ).toEqual([]);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest('textDocument/documentSymbol', doc(vi1), source.token);
    source.cancel();
    await pending.then(
      (r) => expect(Array.isArray(r)).toBe(true),
      (e: { code?: number }) => expect(e.code).toBe(-32800),
    );
    await expect(
      client.request('textDocument/hover', { textDocument: {}, position: null }),
    ).resolves.toBeNull();
    const still = await client.request<Hover>('textDocument/hover', { ...doc(vi1), position: pos(4, 6) });
    expect(JSON.stringify(still.contents)).toContain('priority');
  });
});
