import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'kl-cli-'));
const bad = join(dir, 'bad.conf');
writeFileSync(
  bad,
  'vrrp_instance VI_1 {\n  prority 100\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.10\n  }\n}\n',
);
const good = join(dir, 'good.conf');
writeFileSync(
  good,
  'vrrp_instance VI_1 {\n  priority 100\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.10\n  }\n}\n',
);
const warnOnly = join(dir, 'warn.conf');
writeFileSync(
  warnOnly,
  'vrrp_instance VI_1 {\n  nopreempt yes\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.10\n  }\n}\n',
);

describe('keepalived-lint', () => {
  it('prints compiler-style findings with the source line and a caret, and exits 1', () => {
    const r = runCli(bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${bad}:2:3: error unknown-keyword: Unknown keyword 'prority'`);
    expect(r.stdout).toContain('  prority 100\n    ^~~~~~~\n');
    expect(r.stdout).toMatch(/1 error in 1 file/);
  });

  it('exits 0 for a clean file and for warnings below the threshold', () => {
    expect(runCli(good).code).toBe(0);
    expect(runCli(warnOnly).code).toBe(0);
    expect(runCli('--fail-on', 'warning', warnOnly).code).toBe(1);
  });

  it('writes the JSON contract with 0-based LSP ranges', () => {
    const r = runCli('--format', 'json', bad);
    const json = JSON.parse(r.stdout);
    expect(json.diagnostics[0]).toMatchObject({
      file: bad,
      rule: 'unknown-keyword',
      severity: 'error',
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } },
    });
  });

  it('lints every config file under a folder', () => {
    const sub = join(dir, 'tree', 'keepalived.d');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'a.conf'), 'global_defs {\n bogus 1\n}\n');
    writeFileSync(join(sub, 'notes.txt'), 'not a config {');
    const r = runCli('--format', 'json', join(dir, 'tree'));
    expect(JSON.parse(r.stdout).diagnostics.map((d: { file: string }) => d.file)).toEqual([
      join(sub, 'a.conf'),
    ]);
  });

  it('exits 2 with a clear message for unreadable paths, FIFOs and bad options', () => {
    const missing = runCli(join(dir, 'nope.conf'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
    const fifo = join(dir, 'fifo.conf');
    execFileSync('mkfifo', [fifo]);
    const r = runCli(fifo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a regular file');
    expect(runCli('--format', 'xml', good).code).toBe(2);
    expect(runCli('--rule', 'no-such-rule=error', good).stderr).toContain("unknown rule 'no-such-rule'");
    expect(runCli().code).toBe(2);
  });

  it('applies --keepalived-version, --config-id, --rule and --no-inline-ignores', () => {
    const f = join(dir, 'opts.conf');
    writeFileSync(
      f,
      'global_defs {\n vrrp_delay_after_boot 5\n}\nvrrp_instance VI_1 {\n @a priority 300\n # keepalived-lint: ignore=invalid-value\n priority 0\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.10\n  }\n}\n',
    );
    expect(runCli('--format', 'json', f).stdout).toContain('"line": 4');
    const v = JSON.parse(
      runCli('--format', 'json', '--keepalived-version', '2.2', '--config-id', 'b', f).stdout,
    );
    expect(v.diagnostics.map((d: { rule: string }) => d.rule)).toEqual(['unsupported-keyword']);
    const all = JSON.parse(
      runCli('--format', 'json', '--no-inline-ignores', '--rule', 'invalid-value=warning', f).stdout,
    );
    expect(all.diagnostics.map((d: { severity: string }) => d.severity)).toEqual(['warning', 'warning']);
  });

  it('runs as the bundled bin', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '../../dist/cli.js'), bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('unknown-keyword');
  });
});
