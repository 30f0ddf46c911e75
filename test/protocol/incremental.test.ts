// Incremental analysis over stdio against the built server, in a workspace of 200 configurations: an
// edit or a file event rebuilds only the configurations whose include closure holds the changed file,
// and reads only what changed. Everything is proved by counting (the server's serverStatus), never timing.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { KEEPALIVED_WATCH_PATTERNS } from '../../client/src/patterns';
import { TestClient, uri } from './client';

interface Status {
  configurations: number;
  largeConfigurations: number;
  modelsBuilt: number;
  fileReads: number;
  recentReads: string[];
  parsedFiles: number;
  clusterBuilds: number;
  passes: { aborted: number; completed: number; held: number };
}

const NODES = 200;
/** Nodes 0..SHARED-1 include the shared scripts file. */
const SHARED = 5;
/** Nodes 20..24 include a glob in a folder of their own; node 30 a glob whose folders have a wildcard. */
const globNode = (i: number) =>
  i >= 20 && i < 25
    ? `include ../own/node${i}/*.inc`
    : i === 30
      ? 'include ../deep/*/vrrp.inc'
      : i === 40
        ? 'include ../big/big.inc'
        : '';
/** About `chars` characters of comment lines (the large-configuration limit counts every character). */
const filler = (chars: number) =>
  `${'# filler line of a generated configuration\n'.repeat(Math.ceil(chars / 43))}`;
/** The server's LARGE_CONFIG_CHARS. */
const LARGE = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'kl-incremental-'));
const shared = join(dir, 'common', 'scripts.inc');
const extra = join(dir, 'extra', 'chk.inc');
const big = join(dir, 'big', 'big.inc');
const nodePath = (i: number) => join(dir, 'nodes', `node${i}.conf`);

const scripts = (name: string) => `vrrp_script ${name} {\n    script "/usr/bin/true"\n    interval 2\n}\n`;

/** A node: one instance of its own virtual router, tracking `track` when given. */
function node(i: number, { include = '', track = '', priority = 100 } = {}): string {
  return [
    include,
    `vrrp_instance VI_${i} {`,
    '    state BACKUP',
    '    interface eth0',
    `    virtual_router_id ${i + 1}`,
    `    priority ${priority}`,
    '    virtual_ipaddress {',
    `        10.0.${i}.1/24`,
    '    }',
    track ? `    track_script {\n        ${track}\n    }` : '',
    '}',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

const sharedNode = (i: number, priority = 100) =>
  node(i, { include: 'include ../common/scripts.inc', track: 'chk_shared', priority });

const codes = (d: { diagnostics: Diagnostic[] }) => d.diagnostics.map((x) => x.code);

let client: TestClient;
const status = () => client.request<Status>('keepalived/serverStatus', { settle: true });

beforeAll(async () => {
  for (const sub of ['nodes', 'common', 'extra', 'big']) mkdirSync(join(dir, sub));
  writeFileSync(big, scripts('chk_big') + filler(0.6 * LARGE));
  writeFileSync(shared, scripts('chk_shared'));
  writeFileSync(extra, scripts('chk_extra'));
  for (let i = 20; i < 25; i++) mkdirSync(join(dir, 'own', `node${i}`), { recursive: true });
  for (let i = 0; i < NODES; i++)
    writeFileSync(nodePath(i), i < SHARED ? sharedNode(i) : node(i, { include: globNode(i) }));
  client = new TestClient();
  await client.initialize(dir);
  // Diagnostics of an open document come once every configuration is built: the first pass is over, so
  // each test counts only its own work (also when run alone).
  await client.open(nodePath(NODES - 1), node(NODES - 1));
  await client.diagnosticsFor(nodePath(NODES - 1));
});

afterAll(async () => {
  await client?.close();
});

describe('an edit in one of 200 configurations', () => {
  it('rebuilds that one model and reads nothing else', async () => {
    const path = nodePath(0);
    await client.open(path, sharedNode(0));
    expect(codes(await client.diagnosticsFor(path))).toEqual([]);
    const before = await status();
    expect(before.configurations).toBe(NODES);
    const published = client.published.length;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version: 2 },
      contentChanges: [{ text: sharedNode(0, 90) }],
    });
    await client.diagnosticsFor(path, (p) => p.version === 2);
    const after = await status();
    expect(after.modelsBuilt - before.modelsBuilt).toBe(1);
    // The edited file is open (its text is the editor's) and the file it includes did not change: no
    // file is read at all, so none outside its closure.
    expect(after.fileReads - before.fileReads).toBe(0);
    // The cluster of the workspace's configurations holds the rebuilt model: built again, once.
    expect(after.clusterBuilds - before.clusterBuilds).toBe(1);
    // The edited file's diagnostics come first; the other open document (its configuration a peer in the
    // cluster) is re-checked after it.
    const since = client.published.slice(published);
    expect(since[0]).toEqual({ uri: uri(path), version: 2 });
    expect(since.some((p) => p.uri === uri(nodePath(NODES - 1)))).toBe(true);
  });

  it('analyses a burst of edits once, inside the quiet period, and publishes only its last version', async () => {
    const path = nodePath(1);
    await client.open(path, sharedNode(1));
    await client.diagnosticsFor(path);
    const before = await status();
    const published = client.published.length;
    for (const [version, priority] of [
      [2, 90],
      [3, 91],
      [4, 92],
    ])
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: uri(path), version },
        contentChanges: [{ text: sharedNode(1, priority) }],
      });
    await client.diagnosticsFor(path, (p) => p.version === 4);
    const after = await status();
    // One pass finished (a pass a newer edit overtook stops unfinished), and its diagnostics were computed
    // before the edit was DEBOUNCE_MS old: they waited for the quiet period instead of starting after it.
    expect(after.passes.completed - before.passes.completed).toBe(1);
    expect(after.passes.held).toBeGreaterThan(before.passes.held);
    const versions = client.published.slice(published).filter((p) => p.uri === uri(path));
    expect(versions.map((p) => p.version)).toEqual([4]);
  });

  it('rebuilds exactly the configurations that include a changed shared file, reading it once', async () => {
    const before = await status();
    writeFileSync(shared, scripts('chk_shared') + scripts('chk_more'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(shared), type: 2 }],
    });
    const after = await status();
    expect(after.modelsBuilt - before.modelsBuilt).toBe(SHARED);
    // One parse cache for every configuration: the shared file is read once, not once per includer.
    expect(after.fileReads - before.fileReads).toBe(1);
    expect(after.recentReads.at(-1)).toBe(shared);
  });

  it('editing the shared file in the editor rebuilds its includers and reads nothing', async () => {
    await client.open(shared, scripts('chk_shared') + scripts('chk_more'));
    await client.diagnosticsFor(shared);
    const before = await status();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(shared), version: 2 },
      contentChanges: [{ text: scripts('chk_shared') }],
    });
    await client.diagnosticsFor(shared, (p) => p.version === 2);
    const after = await status();
    expect(after.modelsBuilt - before.modelsBuilt).toBe(SHARED);
    expect(after.fileReads - before.fileReads).toBe(0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(shared) } });
    await status();
  });
});

describe('the include graph follows edits and file events', () => {
  const path = nodePath(10);
  let version = 1;
  const edit = async (text: string) => {
    version++;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path), version },
      contentChanges: [{ text }],
    });
    const v = version;
    return client.diagnosticsFor(path, (p) => p.version === v);
  };

  it('an include typed into the file brings in the script it defines; removing it drops it', async () => {
    await client.open(path, node(10, { track: 'chk_extra' }));
    expect(codes(await client.diagnosticsFor(path))).toContain('undefined-reference');
    const before = await status();
    const withInclude = await edit(node(10, { include: 'include ../extra/chk.inc', track: 'chk_extra' }));
    expect(codes(withInclude)).not.toContain('undefined-reference');
    const after = await status();
    expect(after.modelsBuilt - before.modelsBuilt).toBe(1);
    // The newly included file is read (once): the only read.
    expect(after.fileReads - before.fileReads).toBe(1);
    expect(after.recentReads.at(-1)).toBe(extra);
    expect(codes(await edit(node(10, { track: 'chk_extra' })))).toContain('undefined-reference');
    // No configuration reads it any more: its parse tree is dropped.
    expect((await status()).parsedFiles).toBe(after.parsedFiles - 1);
  });

  it('a file event on an included file changes the diagnostics of the including configuration', async () => {
    expect(codes(await edit(node(10, { include: 'include ../extra/chk.inc', track: 'chk_extra' })))).toEqual(
      [],
    );
    const before = await status();
    writeFileSync(extra, scripts('chk_renamed'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(extra), type: 2 }],
    });
    const d = await client.diagnosticsFor(path, (p) => codes(p).includes('undefined-reference'));
    expect(d.version).toBe(version);
    const after = await status();
    expect(after.modelsBuilt - before.modelsBuilt).toBe(1);
    expect(after.fileReads - before.fileReads).toBe(1);
  });

  it('a file created where a glob include looks is picked up by the configuration with the pattern', async () => {
    mkdirSync(join(dir, 'extra.d'));
    expect(codes(await edit(node(10, { include: 'include ../extra.d/*.inc', track: 'chk_new' })))).toContain(
      'undefined-reference',
    );
    const before = await status();
    const created = join(dir, 'extra.d', 'new.inc');
    writeFileSync(created, scripts('chk_new'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(created), type: 1 }],
    });
    const d = await client.diagnosticsFor(path, (p) => !codes(p).includes('undefined-reference'));
    expect(codes(d)).toEqual([]);
    const after = await status();
    // Only the configuration whose include pattern could match the new file, not the six other
    // configurations with include patterns elsewhere.
    expect(after.modelsBuilt - before.modelsBuilt).toBe(1);
  });

  it('asks the client to watch the folders includes read from, and patterns with wildcard folders', () => {
    const patterns = client.registrations
      .flatMap(
        (r) =>
          (r as { registerOptions?: { watchers?: { globPattern: unknown }[] } }).registerOptions?.watchers ??
          [],
      )
      .map((w) => w.globPattern);
    expect(patterns).toContain(`${join(dir, 'common')}/*`);
    expect(patterns).toContain(`${join(dir, 'extra.d')}/*`);
    expect(patterns).toContain(`${join(dir, 'deep')}/*/vrrp.inc`);
    expect(patterns).not.toContain('**/*');
    // The config names, as the VS Code clients watch them.
    for (const name of KEEPALIVED_WATCH_PATTERNS) expect(patterns).toContain(name);
  });
});

describe('a file taken from the parse cache counts towards the large-configuration limit', () => {
  it('a configuration that includes a cached file and grows past the limit is left to the worker', async () => {
    // node40.conf includes big.inc (0.6 MiB): built on the main thread, big.inc parsed and cached.
    const path = nodePath(41);
    const before = await status();
    // 0.5 MiB of its own and the cached 0.6 MiB: past LARGE_CONFIG_CHARS, though nothing is read.
    await client.open(path, node(41, { include: 'include ../big/big.inc' }) + filler(0.5 * LARGE));
    await client.diagnosticsFor(path);
    const after = await status();
    expect(after.fileReads - before.fileReads).toBe(0);
    expect(after.largeConfigurations - before.largeConfigurations).toBe(1);
  });
});

describe('a client that sends no file events', () => {
  const root = mkdtempSync(join(tmpdir(), 'kl-incremental-nowatch-'));
  const count = 50;
  const path = (i: number) => join(root, `node${i}.conf`);
  const inc = join(root, 'scripts.inc');
  const includer = node(1, { include: 'include scripts.inc', track: 'chk_shared' });
  let other: TestClient;
  const settled = () => other.request<Status>('keepalived/serverStatus', { settle: true });

  beforeAll(async () => {
    writeFileSync(inc, scripts('chk_shared'));
    for (let i = 0; i < count; i++) writeFileSync(path(i), i === 1 ? includer : node(i));
    other = new TestClient();
    await other.initialize(root, process.pid, { watchFiles: false });
  });

  afterAll(async () => {
    await other?.close();
  });

  it('rebuilds only the edited configuration, and sees a file changed on disk at the next edit', async () => {
    await other.open(path(0), node(0));
    await other.diagnosticsFor(path(0));
    const before = await settled();
    expect(before.configurations).toBe(count);
    await other.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path(0)), version: 2 },
      contentChanges: [{ text: node(0, { priority: 90 }) }],
    });
    await other.diagnosticsFor(path(0), (p) => p.version === 2);
    const edited = await settled();
    // The files of the other 49 are compared by size and time, not read.
    expect(edited.modelsBuilt - before.modelsBuilt).toBe(1);
    expect(edited.fileReads - before.fileReads).toBe(0);
    // node1.conf's include changes on disk (no event): the next edit anywhere finds it.
    await other.open(path(1), includer);
    expect(codes(await other.diagnosticsFor(path(1)))).toEqual([]);
    writeFileSync(inc, scripts('chk_gone') + '# a longer file\n');
    const stale = await settled();
    await other.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(path(0)), version: 3 },
      contentChanges: [{ text: node(0, { priority: 80 }) }],
    });
    const d = await other.diagnosticsFor(path(1), (p) => codes(p).includes('undefined-reference'));
    expect(d.version).toBe(1);
    const after = await settled();
    expect(after.modelsBuilt - stale.modelsBuilt).toBe(2);
    expect(after.fileReads - stale.fileReads).toBe(1);
    expect(after.recentReads.at(-1)).toBe(inc);
  });
});
