// keepalived-lint on templates: `--template auto` (the default) masks the template layer, `--template none`
// reads the file as plain keepalived, and a folder scan takes templates whose name says keepalived.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'kl-cli-templates-'));
const role = join(dir, 'roles', 'keepalived', 'templates');
mkdirSync(role, { recursive: true });
const template = join(role, 'keepalived.conf.j2');
writeFileSync(
  template,
  [
    'vrrp_instance {{ name }} {',
    '    state {{ state }}',
    '    interface {{ iface }}',
    '    virtual_router_id {{ vrid }}',
    '    priority {{ prio }}',
    '    virtual_ipaddress {',
    '{% for vip in vips %}',
    '        {{ vip }}',
    '{% endfor %}',
    '    }',
    '}',
    '',
  ].join('\n'),
);
const other = join(role, 'haproxy.cfg.j2');
writeFileSync(other, 'frontend {{ name }}\n');

const errors = (stdout: string) =>
  (JSON.parse(stdout) as { diagnostics: { severity: string }[] }).diagnostics.filter(
    (d) => d.severity === 'error',
  );

describe('keepalived-lint --template', () => {
  it('auto: no error from template syntax', () => {
    const r = runCli('--format', 'json', template);
    expect(errors(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('none: the same file read as plain keepalived has errors', () => {
    const r = runCli('--format', 'json', '--template', 'none', template);
    expect(errors(r.stdout).length).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  it('a folder scan takes keepalived templates and leaves other tools’ templates alone', () => {
    const r = runCli('--format', 'json', dir);
    const files = (JSON.parse(r.stdout) as { diagnostics: { file: string }[] }).diagnostics.map(
      (d) => d.file,
    );
    expect(files.some((f) => f.endsWith('haproxy.cfg.j2'))).toBe(false);
    expect(runCli('--format', 'json', '--template', 'none', dir).code).toBe(1); // it did read the .j2
  });

  it('an unknown dialect is a usage error', () => {
    expect(runCli('--template', 'mustache', template).code).toBe(2);
  });
});
