// The built language server over stdio under abuse: cancellations, hostile options and names, a large
// document, many configurations, closed documents and file events. Nothing here measures time: each test
// waits for an event (a response, diagnostics, the server's own "settled" status) with a timeout, and
// checks what the server did by counting.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, uri } from './client';

interface Status {
  documents: number;
  analyses: number;
  lints: number;
  knownFiles: number;
  configurations: number;
  largeConfigurations: number;
  modelsBuilt: number;
  scannedDirectories: number;
  running: boolean;
  stale: number;
  passes: { passes: number; aborted: number; completed: number; workerJobs: number };
}

const pos = (line: number, character: number) => ({ line, character });
const doc = (path: string) => ({ textDocument: { uri: uri(path) } });
const codes = (d: { diagnostics: Diagnostic[] }) => d.diagnostics.map((x) => x.code);

const instance = (i: number, extra = '') =>
  [
    `vrrp_instance VI_${i} {`,
    '    state BACKUP',
    '    interface eth0',
    `    virtual_router_id ${(i % 255) + 1}`,
    '    priority 100',
    extra,
    '    virtual_ipaddress {',
    `        10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/24`,
    '    }',
    '}',
  ]
    .filter((l) => l !== '')
    .join('\n');

/** A configuration of about `chars` characters. */
function config(chars: number, extra = ''): string {
  const out = ['global_defs {', '    router_id lb1', '}'];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const block = instance(i, i === 0 ? extra : '');
    out.push(block);
    size += block.length + 1;
  }
  return out.join('\n') + '\n';
}

describe('one server, many abuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kl-robust-'));
  const outside = mkdtempSync(join(tmpdir(), 'kl-outside-'));
  const main = join(dir, 'keepalived.conf');
  const mainText = 'global_defs {\n    router_id lb1\n}\ninclude conf.d/*.conf\n';
  let client: TestClient;
  const status = (settle = true) => client.request<Status>('keepalived/serverStatus', { settle });

  beforeAll(async () => {
    mkdirSync(join(dir, 'conf.d'));
    mkdirSync(join(dir, 'nodes'));
    writeFileSync(main, mainText);
    writeFileSync(join(dir, 'conf.d', 'vi1.conf'), instance(1) + '\n');
    // 30 more configurations: the nodes of a cluster.
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, 'nodes', `node${i}.conf`), config(20_000));
    client = new TestClient();
    await client.initialize(dir);
    await client.open(main, mainText);
    await client.diagnosticsFor(main);
  });

  afterAll(async () => {
    await client?.close();
  });

  it('honours cancelled requests: every one of 200 answers RequestCancelled', async () => {
    // A document just opened, with thirty configurations to rebuild first: its requests wait for the
    // analysis, and are cancelled meanwhile.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: Array.from({ length: 30 }, (_, i) => ({
        uri: uri(join(dir, 'nodes', `node${i}.conf`)),
        type: 2,
      })),
    });
    const path = join(outside, 'cancel.conf');
    await client.open(path, config(20_000));
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const source = new CancellationTokenSource();
        const method = ['textDocument/hover', 'textDocument/completion', 'textDocument/semanticTokens/full'][
          i % 3
        ]!;
        const pending = client.connection.sendRequest(
          method,
          { ...doc(path), position: pos(7, 6) },
          source.token,
        );
        source.cancel();
        return pending.then(
          () => 'answered',
          (e: { code?: number }) => (e.code === -32800 ? 'cancelled' : `error ${e.code}`),
        );
      }),
    );
    expect(answers.filter((a) => a === 'cancelled')).toHaveLength(200);
    // And the server still answers what is not cancelled.
    const hover = await client.request<{ contents: unknown } | null>('textDocument/hover', {
      ...doc(path),
      position: pos(7, 6),
    });
    expect(JSON.stringify(hover?.contents)).toContain('priority');
    await client.connection.sendNotification('textDocument/didClose', doc(path));
  });

  it('clamps formatting options: tabSize 2e8 formats with 32 spaces, garbage with the default', async () => {
    const path = join(outside, 'format.conf');
    await client.open(path, 'vrrp_instance VI_1 {\nstate BACKUP\n}\n');
    const huge = await client.request<TextEdit[]>('textDocument/formatting', {
      ...doc(path),
      options: { tabSize: 2e8, insertSpaces: true },
    });
    expect(huge.map((e) => e.newText)).toContain(' '.repeat(32) + 'state BACKUP');
    const range = await client.request<TextEdit[]>('textDocument/rangeFormatting', {
      ...doc(path),
      range: { start: pos(0, 0), end: pos(2, 0) },
      options: { tabSize: Number.MAX_SAFE_INTEGER, insertSpaces: true },
    });
    expect(range.map((e) => e.newText)).toContain(' '.repeat(32) + 'state BACKUP');
    const typed = await client.request<TextEdit[]>('textDocument/onTypeFormatting', {
      ...doc(path),
      position: pos(1, 5),
      ch: '\n',
      options: { tabSize: -5, insertSpaces: true },
    });
    expect(typed.map((e) => e.newText)).toContain(' state BACKUP');
    const garbage = await client.request<TextEdit[]>('textDocument/formatting', {
      ...doc(path),
      options: { tabSize: 'wide', insertSpaces: 'yes' },
    });
    expect(garbage.map((e) => e.newText)).toContain('    state BACKUP');
    await client.connection.sendNotification('textDocument/didClose', doc(path));
  });

  it('refuses rename to a name with NUL, blanks or control characters, or over 255 bytes', async () => {
    const path = join(outside, 'rename.conf');
    const text =
      'vrrp_script chk {\n    script /bin/true\n}\nvrrp_instance VI_1 {\n    track_script {\n        chk\n    }\n}\n';
    await client.open(path, text);
    const at = { ...doc(path), position: pos(5, 9) };
    const ok = await client.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', {
      ...at,
      newName: 'chk_web',
    });
    expect(Object.values(ok.changes).flat()).toHaveLength(2);
    for (const [newName, message] of [
      ['chk\u0000web', /control characters/],
      ['chk web', /blanks/],
      ['chk\tweb', /control characters/],
      ['chk\u001b[2J', /control characters/],
      ['x'.repeat(100_000), /at most 255 bytes/],
      ['é'.repeat(128), /at most 255 bytes/],
    ] as const) {
      await expect(client.request('textDocument/rename', { ...at, newName })).rejects.toThrow(message);
    }
    await expect(client.request('textDocument/rename', { ...at, newName: 42 })).rejects.toThrow(/string/);
    await client.connection.sendNotification('textDocument/didClose', doc(path));
  });

  it('drops closed documents: their configurations and analyses are released', async () => {
    const before = await status();
    const paths = [0, 1, 2].map((i) => join(outside, `closed${i}.conf`));
    for (const [i, path] of paths.entries())
      await client.open(path, config(200_000) + instance(900 + i) + '\n');
    const opened = await status();
    expect(opened.documents).toBe(before.documents + 3);
    expect(opened.configurations).toBe(before.configurations + 3);
    for (const path of paths) await client.connection.sendNotification('textDocument/didClose', doc(path));
    const closed = await status();
    expect(closed.documents).toBe(before.documents);
    expect(closed.analyses).toBe(before.analyses);
    expect(closed.lints).toBe(before.lints);
    expect(closed.configurations).toBe(before.configurations);
  });

  it('handles file events incrementally: only the configurations they touch are rebuilt, nothing rescanned', async () => {
    const before = await status();
    expect(before.knownFiles).toBe(32);
    // A changed node: one model.
    const node = join(dir, 'nodes', 'node7.conf');
    writeFileSync(node, config(20_000) + instance(77) + '\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(node), type: 2 }],
    });
    const changed = await status();
    expect(changed.modelsBuilt - before.modelsBuilt).toBe(1);
    expect(changed.scannedDirectories).toBe(before.scannedDirectories);
    // A file no configuration reads: nothing.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(join(dir, 'README.txt')), type: 2 }],
    });
    const unrelated = await status();
    expect(unrelated.modelsBuilt).toBe(changed.modelsBuilt);
    // A new file where an include pattern looks: only the configuration with the pattern.
    const vi2 = join(dir, 'conf.d', 'vi2.conf');
    writeFileSync(vi2, instance(2) + '\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(vi2), type: 1 }],
    });
    const created = await status();
    expect(created.modelsBuilt - unrelated.modelsBuilt).toBe(1);
    expect(created.knownFiles).toBe(33);
    expect(created.scannedDirectories).toBe(before.scannedDirectories);
    // The watchers the server asked for: config names and the include folder, not every file.
    const patterns = JSON.stringify(client.registrations);
    expect(patterns).toContain('**/*.conf');
    expect(patterns).toContain(join(dir, 'conf.d'));
    expect(patterns).not.toContain('"**/*"');
  });

  it('stops a stale pass when a newer change arrives, and publishes for the newest text', async () => {
    const before = await status();
    const path = join(outside, 'stale.conf');
    // Thirty configurations to rebuild, and a request that starts the pass at once.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: Array.from({ length: 30 }, (_, i) => ({
        uri: uri(join(dir, 'nodes', `node${i}.conf`)),
        type: 2,
      })),
    });
    await client.open(path, config(5000));
    const hover = client.request('textDocument/hover', { ...doc(path), position: pos(7, 6) });
    // The status request is answered between two slices of the running pass.
    let running = false;
    for (let i = 0; i < 1000 && !running; i++) running = (await status(false)).running;
    expect(running).toBe(true);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [{ range: { start: pos(7, 4), end: pos(7, 12) }, text: 'prority' }],
    });
    await hover;
    const d = await client.diagnosticsFor(path, (p) => p.version === 2);
    expect(codes(d)).toContain('unknown-keyword');
    const after = await status();
    expect(after.passes.aborted).toBeGreaterThan(before.passes.aborted);
    await client.connection.sendNotification('textDocument/didClose', doc(path));
  });

  it('answers hover and highlights from the newest analysis while the next one is pending', async () => {
    const path = join(outside, 'newest.conf');
    await client.open(path, config(20_000));
    await client.diagnosticsFor(path);
    // Thirty configurations to rebuild and an edit: the next analysis of the document is a while away.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: Array.from({ length: 30 }, (_, i) => ({
        uri: uri(join(dir, 'nodes', `node${i}.conf`)),
        type: 2,
      })),
    });
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [{ range: { start: pos(0, 0), end: pos(0, 0) }, text: '# a new first line\n\n' }],
    });
    // `priority` was on line 7; it is on line 9 now.
    const hover = await client.request<{ contents: unknown; range?: { start: { line: number } } }>(
      'textDocument/hover',
      { ...doc(path), position: pos(9, 6) },
    );
    expect(JSON.stringify(hover.contents)).toContain('priority');
    expect(hover.range?.start.line).toBe(9);
    const highlights = await client.request<{ range: { start: { line: number } } }[]>(
      'textDocument/documentHighlight',
      { ...doc(path), position: pos(5, 16) },
    );
    expect(highlights.map((h) => h.range.start.line)).toEqual([5]);
    // Both were answered from the analysis of version 1: version 2 is not analysed yet.
    expect((await status(false)).stale).toBe(1);
    // In text typed since, nothing is mapped: that request waits for the new analysis.
    const typed = await client.request<{ contents: unknown } | null>('textDocument/hover', {
      ...doc(path),
      position: pos(0, 4),
    });
    expect(typed).toBeNull();
    expect((await status(false)).stale).toBe(0);
    await client.connection.sendNotification('textDocument/didClose', doc(path));
  });

  it('degrades a large document to diagnostics only, computed off the main thread', async () => {
    const path = join(outside, 'large.conf');
    const text = config(1_200_000, '    prority 100');
    await client.open(path, text);
    const d = await client.diagnosticsFor(path, (p) => codes(p).includes('unknown-keyword'), 60_000);
    expect(d.version).toBe(1);
    const s = await status();
    expect(s.largeConfigurations).toBeGreaterThan(0);
    expect(s.passes.workerJobs).toBeGreaterThan(0);
    // Per-keystroke features answer empty instead of stalling, and never wait for the analysis.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [{ range: { start: pos(1, 4), end: pos(1, 4) }, text: 'x' }],
    });
    const order: string[] = [];
    const published = client
      .diagnosticsFor(path, (p) => p.version === 2, 60_000)
      .then(() => order.push('diagnostics'));
    const answers = await Promise.all([
      client.request('textDocument/hover', { ...doc(path), position: pos(7, 6) }),
      client.request('textDocument/semanticTokens/full', doc(path)),
      client.request('textDocument/foldingRange', doc(path)),
      client.request('textDocument/documentSymbol', doc(path)),
      client.request('textDocument/formatting', {
        ...doc(path),
        options: { tabSize: 4, insertSpaces: true },
      }),
    ]);
    order.push('requests');
    expect(answers).toEqual([null, { data: [] }, [], [], []]);
    await published;
    expect(order).toEqual(['requests', 'diagnostics']);
    await client.connection.sendNotification('textDocument/didClose', doc(path));
    const closed = await status();
    expect(closed.largeConfigurations).toBe(0);
  });
});

describe('a workspace larger than the scan budget', () => {
  it('tells the user, once, that the scan stopped at MAX_SCANNED_FILES', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-scan-'));
    // One more config file than the server collects (MAX_SCANNED_FILES is 2,000).
    for (let i = 0; i <= 2000; i++) writeFileSync(join(dir, `n${i}.conf`), 'global_defs {\n}\n');
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.open(join(dir, 'n0.conf'), 'global_defs {\n}\n');
      const shown = await client.shownMessage((m) => /MAX_SCANNED_FILES/.test(m.message), 60_000);
      expect(shown.type).toBe(2);
      expect(shown.message).toMatch(/more config files than the 2000 scanned/);
      await client.request('keepalived/serverStatus', { settle: true });
      expect(client.shown.filter((m) => /MAX_SCANNED_FILES/.test(m.message))).toHaveLength(1);
    } finally {
      await client.close();
    }
  }, 90_000);
});

describe('a workspace of more configurations than one cluster analysis takes', () => {
  it('tells the user, once, that the cross-node checks stopped at MAX_CLUSTER_NODES', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-nodes-'));
    // One more configuration than MAX_CLUSTER_NODES (256), each a node with a VRRP instance.
    const node = (i: number) =>
      `vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority ${100 + (i % 100)}\n virtual_ipaddress {\n  192.0.2.100/24\n }\n}\n`;
    for (let i = 0; i <= 256; i++) writeFileSync(join(dir, `n${i}.conf`), node(i));
    const client = new TestClient();
    try {
      await client.initialize(dir);
      await client.open(join(dir, 'n0.conf'), node(0));
      const shown = await client.shownMessage((m) => /MAX_CLUSTER_NODES/.test(m.message), 60_000);
      expect(shown.type).toBe(2);
      expect(shown.message).toMatch(/holds 257 configurations, more than the 256 nodes/);
      await client.request('keepalived/serverStatus', { settle: true });
      expect(client.shown.filter((m) => /MAX_CLUSTER_NODES/.test(m.message))).toHaveLength(1);
    } finally {
      await client.close();
    }
  }, 90_000);
});
