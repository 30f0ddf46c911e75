// The language server reads the project settings file found upward from each config, re-reads it when
// the editor reports it changed, and puts a malformed file's problems on that file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, uri } from './client';

const dir = mkdtempSync(join(tmpdir(), 'kl-lsp-settings-'));
const settingsPath = join(dir, '.keepalived-lint.json');
const site = join(dir, 'site', 'keepalived.conf');
const legacy = join(dir, 'legacy', 'keepalived.conf');
// cleartext-auth on line 5; use_symlink_paths is a keyword of keepalived 2.3.0 and later.
const CONFIG = [
  'global_defs {',
  '  use_symlink_paths',
  '}',
  'vrrp_instance VI_1 {',
  '  authentication {',
  '    auth_type PASS',
  '    auth_pass secret',
  '  }',
  '  interface eth0',
  '  virtual_router_id 51',
  '  virtual_ipaddress {',
  '    192.0.2.10',
  '  }',
  '}',
  '',
].join('\n');

/**
 * The same config as another virtual router (its own VRID and VIP): the configs checked together are
 * nodes of one cluster, and copies of one instance would tie at one priority (failover-ip-tiebreak).
 */
const routerNo = (n: number): string =>
  CONFIG.replace('virtual_router_id 51', `virtual_router_id ${51 + n}`).replace(
    '192.0.2.10',
    `192.0.2.${10 + n}`,
  );

const codes = (d: { diagnostics: Diagnostic[] }) => d.diagnostics.map((x) => x.code).sort();
let client: TestClient;

const settingsChanged = (settings: string) => {
  writeFileSync(settingsPath, settings);
  return client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: uri(settingsPath), type: 2 }],
  });
};

beforeAll(async () => {
  [site, legacy].forEach((path, n) => {
    mkdirSync(join(path, '..'));
    writeFileSync(path, routerNo(n));
  });
  writeFileSync(
    settingsPath,
    JSON.stringify({
      rules: { 'cleartext-auth': 'off' },
      overrides: [{ files: 'legacy/**', keepalivedVersion: '2.2.7' }],
    }),
  );
  client = new TestClient();
  await client.initialize(dir);
  await client.open(site, routerNo(0));
  await client.open(legacy, routerNo(1));
});

afterAll(async () => {
  await client?.close();
});

describe('the project settings file in the language server', () => {
  it('applies its rules, and its per-glob version to the configurations it matches', async () => {
    expect(codes(await client.diagnosticsFor(site))).toEqual([]);
    expect(codes(await client.diagnosticsFor(legacy))).toEqual(['unsupported-keyword']);
  });

  it('asks the editor to watch settings files', () => {
    const watchers = JSON.stringify(client.registrations);
    expect(watchers).toContain('**/.keepalived-lint.json');
    expect(watchers).toContain('**/package.json');
  });

  it('re-reads the file when it changes', async () => {
    await settingsChanged(JSON.stringify({ rules: { 'cleartext-auth': 'error' } }));
    const d = await client.diagnosticsFor(site, (p) => codes(p).includes('cleartext-auth'));
    expect(d.diagnostics[0]!.severity).toBe(1);
    await client.diagnosticsFor(legacy, (p) => !codes(p).includes('unsupported-keyword'));
  });

  it('does not take a package.json under node_modules for a settings change (no rebuild)', async () => {
    type Status = { modelsBuilt: number };
    const settled = () => client.request<Status>('keepalived/serverStatus', { settle: true });
    const before = (await settled()).modelsBuilt;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(join(dir, 'node_modules', 'x', 'package.json')), type: 2 }],
    });
    expect((await settled()).modelsBuilt).toBe(before);
    // A settings file next to the configs is re-read: new rule levels re-check every config without
    // rebuilding a model; a new keepalivedVersion rebuilds the models it applies to, and only those.
    await settingsChanged(JSON.stringify({ rules: { 'cleartext-auth': 'warning' } }));
    const d = await client.diagnosticsFor(site, (p) => p.diagnostics.some((x) => x.severity === 2));
    expect(codes(d)).toEqual(['cleartext-auth']);
    expect((await settled()).modelsBuilt).toBe(before);
    await settingsChanged(
      JSON.stringify({
        rules: { 'cleartext-auth': 'warning' },
        overrides: [{ files: 'legacy/**', keepalivedVersion: '2.2.7' }],
      }),
    );
    await client.diagnosticsFor(legacy, (p) => codes(p).includes('unsupported-keyword'));
    expect((await settled()).modelsBuilt).toBe(before + 1);
  });

  it('puts the problems of a malformed file on that file, and clears them once it is fixed', async () => {
    await settingsChanged('{\n  "rules": { "cleartext-auth": "off" },\n  "thisHost": "no"\n}\n');
    const problems = await client.diagnosticsFor(settingsPath, (p) => p.diagnostics.length > 0);
    expect(problems.diagnostics).toEqual([
      expect.objectContaining({
        code: 'invalid-settings',
        severity: 1,
        range: { start: { line: 2, character: 14 }, end: { line: 2, character: 18 } },
        message: expect.stringContaining('thisHost: must be true or false'),
      }),
    ]);
    // The valid entries still count.
    await client.diagnosticsFor(site, (p) => codes(p).length === 0);
    await settingsChanged('{ "rules": { "cleartext-auth": "off" } }');
    await client.diagnosticsFor(settingsPath, (p) => p.diagnostics.length === 0);
  });

  it('says when the file is not JSON at all, and then uses none of it', async () => {
    await settingsChanged('{ "rules": { "cleartext-auth": "off" }');
    const problems = await client.diagnosticsFor(settingsPath, (p) => p.diagnostics.length > 0);
    expect(problems.diagnostics[0]!.message).toMatch(
      /^not valid JSON: .*none of this file's settings are used/,
    );
    await client.diagnosticsFor(site, (p) => codes(p).includes('cleartext-auth'));
  });
});
