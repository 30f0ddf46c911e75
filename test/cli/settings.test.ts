// keepalived-lint reads the project settings file found upward from each config; flags win over it; a
// malformed one is reported on itself and fails the run with exit code 2.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

// cleartext-auth (a warning) on line 5; use_symlink_paths is a keyword of keepalived 2.3.0 and later.
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

function project(settings: string | undefined, name = '.keepalived-lint.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kl-cli-settings-'));
  ['site', 'legacy', 'generated'].forEach((sub, n) => {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, 'keepalived.conf'), routerNo(n));
  });
  if (settings !== undefined) writeFileSync(join(dir, name), settings);
  return dir;
}

type Json = { diagnostics: { file: string; rule: string; severity: string; message: string }[] };
const lint = (...argv: string[]) => {
  const r = runCli('--format', 'json', ...argv);
  return { ...r, json: (r.stdout ? JSON.parse(r.stdout) : { diagnostics: [] }) as Json };
};
const rulesIn = (json: Json, file: string) =>
  json.diagnostics.filter((d) => d.file.endsWith(file)).map((d) => `${d.rule}:${d.severity}`);

describe('keepalived-lint with a settings file', () => {
  it('applies rules, the version and overrides per glob, and skips ignored configs', () => {
    const dir = project(
      JSON.stringify({
        rules: { 'cleartext-auth': 'error' },
        ignore: ['generated/'],
        overrides: [{ files: 'legacy/**', keepalivedVersion: '2.2', rules: { 'cleartext-auth': 'off' } }],
      }),
    );
    const r = lint(dir);
    expect(r.code).toBe(1);
    expect(rulesIn(r.json, 'site/keepalived.conf')).toEqual(['cleartext-auth:error']);
    expect(rulesIn(r.json, 'legacy/keepalived.conf')).toEqual(['unsupported-keyword:error']);
    expect(r.json.diagnostics.some((d) => d.file.includes('generated'))).toBe(false);
    // An ignored config named on the command line is said to be skipped.
    const named = lint(join(dir, 'generated/keepalived.conf'));
    expect(named.json.diagnostics).toEqual([]);
    expect(named.stderr).toContain('generated/keepalived.conf');
    expect(named.stderr).toContain('ignores it');
  });

  it('reads the keepalived-lint key of package.json', () => {
    const dir = project(
      JSON.stringify({ name: 'x', 'keepalived-lint': { keepalivedVersion: '2.2.7' } }),
      'package.json',
    );
    expect(rulesIn(lint(join(dir, 'site')).json, 'keepalived.conf')).toEqual([
      'unsupported-keyword:error',
      'cleartext-auth:warning',
    ]);
  });

  it('lets flags win over the file, and --no-settings / --settings replace it', () => {
    const dir = project(JSON.stringify({ keepalivedVersion: '2.2', rules: { 'cleartext-auth': 'off' } }));
    const site = join(dir, 'site');
    expect(rulesIn(lint(site).json, 'keepalived.conf')).toEqual(['unsupported-keyword:error']);
    expect(
      rulesIn(
        lint('--keepalived-version', '2.4.3', '--rule', 'cleartext-auth=info', site).json,
        'keepalived.conf',
      ),
    ).toEqual(['cleartext-auth:info']);
    expect(rulesIn(lint('--no-settings', site).json, 'keepalived.conf')).toEqual(['cleartext-auth:warning']);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ rules: { 'cleartext-auth': 'hint' } }));
    expect(rulesIn(lint('--settings', other, site).json, 'keepalived.conf')).toEqual(['cleartext-auth:hint']);
  });

  it('reports a malformed file on itself, checks the configs without it, and exits 2', () => {
    const dir = project('{\n  "rules": { "cleartext-auth": "of" }\n}\n');
    const r = lint(join(dir, 'site'));
    expect(r.code).toBe(2);
    expect(rulesIn(r.json, 'site/keepalived.conf')).toEqual(['cleartext-auth:warning']);
    const [problem] = r.json.diagnostics.filter((d) => d.rule === 'invalid-settings');
    expect(problem).toMatchObject({ file: join(dir, '.keepalived-lint.json'), severity: 'error' });
    expect(problem!.message).toContain("the severity of 'cleartext-auth' must be one of");
    const text = runCli(join(dir, 'site'));
    expect(text.stdout).toContain('.keepalived-lint.json:2:32: error invalid-settings:');
    // A severity set on the command line wins, as for every rule.
    expect(lint('--rule', 'invalid-settings=warning', join(dir, 'site')).code).toBe(0);
    expect(lint('--rule', 'invalid-settings=off', join(dir, 'site')).json.diagnostics).toHaveLength(1);
  });

  it('fails on a --settings file that does not exist', () => {
    const dir = project(undefined);
    const r = lint('--settings', join(dir, 'missing.json'), join(dir, 'site'));
    expect(r.code).toBe(2);
    expect(r.json.diagnostics.find((d) => d.rule === 'invalid-settings')?.message).toMatch(
      /^cannot read the settings file/,
    );
  });
});
