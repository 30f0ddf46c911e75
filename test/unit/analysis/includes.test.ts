import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, nodeFileSystem } from '../../../server/src/analysis/fs';
import { Workspace } from '../../../server/src/analysis/workspace';
import { lintFile } from '../../../server/src/checks';

/** Findings other than script security (covered in security.test.ts), as line:rule:severity. */
function lintIn(ws: Workspace, path: string) {
  return lintFile(ws.analysis(path)!)
    .filter((d) => !d.rule.startsWith('script-'))
    .map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity}`);
}

const instance = (name: string, extra = '') =>
  `vrrp_instance ${name} {\n interface eth0\n virtual_router_id 5\n${extra}}\n`;

describe('include resolution', () => {
  it('resolves globs, braces and paths relative to the including file, in sorted order', () => {
    const fs = new MemoryFileSystem({
      '/etc/k/keepalived.conf': 'include conf.d/*.conf\ninclude {a,b}.inc\n',
      '/etc/k/conf.d/10-x.conf': 'include ../nested/*.conf\n',
      '/etc/k/conf.d/20-y.conf': '',
      '/etc/k/conf.d/.hidden.conf': '',
      '/etc/k/a.inc': '',
      '/etc/k/b.inc': '',
      '/etc/k/nested/deep.conf': '$DEEP=1\n',
    });
    const ws = new Workspace(fs);
    const model = ws.modelFor('/etc/k/keepalived.conf')!;
    expect([...model.files.keys()]).toEqual([
      '/etc/k/keepalived.conf',
      '/etc/k/conf.d/10-x.conf',
      '/etc/k/nested/deep.conf',
      '/etc/k/conf.d/20-y.conf',
      '/etc/k/a.inc',
      '/etc/k/b.inc',
    ]);
    expect(model.params.has('DEEP')).toBe(true);
    expect(ws.includersOf('/etc/k/nested/deep.conf')).toEqual(['/etc/k/conf.d/10-x.conf']);
    expect(ws.includesOf('/etc/k/keepalived.conf')).toEqual([
      '/etc/k/a.inc',
      '/etc/k/b.inc',
      '/etc/k/conf.d/10-x.conf',
      '/etc/k/conf.d/20-y.conf',
    ]);
  });

  it('judges missing files by include variant', () => {
    const fs = new MemoryFileSystem({
      '/k.conf':
        'include /none.conf\ninclude /none/*.conf\nincludea /none/*.conf\nincludem /none.conf\nincludew /none/*.conf\nincluder /none.conf\nincludeb /n{a,b}.conf\n',
    });
    expect(lintIn(new Workspace(fs), '/k.conf')).toEqual([
      '1:include-not-found:warning',
      '2:include-not-found:info',
      '3:include-not-found:error',
      '4:include-not-found:error',
      '5:include-not-found:error',
      '6:include-not-found:error',
      '7:include-not-found:error',
      '7:include-not-found:error',
    ]);
  });

  it('reports an include cycle and does not loop', () => {
    const fs = new MemoryFileSystem({ '/a.conf': 'include /b.conf\n', '/b.conf': 'include /a.conf\n' });
    const ws = new Workspace(fs, { folders: ['/'] });
    expect(lintIn(ws, '/b.conf')).toEqual(['1:include-cycle:error']);
    expect(lintIn(ws, '/a.conf')).toEqual(['1:include-cycle:error']);
  });

  it('answers FIFOs, /dev/zero, directories, executables and symlink loops at once, without reading them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-inc-'));
    execFileSync('mkfifo', [join(dir, 'pipe.conf')]);
    mkdirSync(join(dir, 'sub.conf'));
    writeFileSync(join(dir, 'script.conf'), '');
    chmodSync(join(dir, 'script.conf'), 0o755);
    symlinkSync(join(dir, 'loop1.conf'), join(dir, 'loop2.conf'));
    symlinkSync(join(dir, 'loop2.conf'), join(dir, 'loop1.conf'));
    const main = join(dir, 'keepalived.conf');
    writeFileSync(main, `include ${dir}/*.conf\ninclude /dev/zero\n`);
    const ws = new Workspace(nodeFileSystem);
    const model = ws.modelFor(main)!;
    expect([...model.files.keys()]).toEqual([main]);
    const messages = lintFile(ws.analysis(main)!).map((d) => d.message);
    expect(messages.some((m) => m.includes('pipe.conf') && m.includes('not a regular file'))).toBe(true);
    expect(messages.some((m) => m.includes('sub.conf') && m.includes('a directory'))).toBe(true);
    expect(messages.some((m) => m.includes('script.conf') && m.includes('executable'))).toBe(true);
    expect(messages.some((m) => m.includes('/dev/zero') && m.includes('not a regular file'))).toBe(true);
  });

  it('bounds runaway brace expansions', () => {
    const fs = new MemoryFileSystem({ '/k.conf': 'include /x{1..100000}.conf\n' });
    const messages = lintFile(new Workspace(fs).analysis('/k.conf')!).map((d) => d.message);
    expect(messages.length).toBeGreaterThan(0);
  });
});

describe('a configuration split over files', () => {
  const fs = new MemoryFileSystem({
    '/etc/keepalived/keepalived.conf': [
      'global_defs {',
      ' router_id lb1',
      '}',
      '$VIP=192.0.2.100',
      'include /etc/keepalived/scripts.conf',
      'include /etc/keepalived/instances/*.conf',
      '',
    ].join('\n'),
    '/etc/keepalived/scripts.conf':
      'vrrp_script chk_nginx {\n script "/usr/bin/pidof nginx"\n}\nvrrp_script chk_unused {\n script "/bin/true"\n}\n',
    '/etc/keepalived/instances/vi1.conf': instance(
      'VI_1',
      ' virtual_ipaddress {\n  $VIP/24\n }\n track_script {\n  chk_nginx\n  chk_nginz\n }\n',
    ),
  });
  const ws = new Workspace(fs, { folders: ['/etc/keepalived'] });

  it('resolves names and parameters defined in the including file when a file is opened alone', () => {
    const findings = lintIn(ws, '/etc/keepalived/instances/vi1.conf');
    expect(findings).toEqual(['9:undefined-reference:error']);
    const d = lintFile(ws.analysis('/etc/keepalived/instances/vi1.conf')!).find(
      (x) => x.rule === 'undefined-reference',
    )!;
    expect(d.message).toContain("Did you mean 'chk_nginx'?");
  });

  it('finds references in both directions across files', () => {
    const symbols = ws.modelFor('/etc/keepalived/scripts.conf')!.symbols;
    expect(symbols.referencesOf('vrrp_script', 'chk_nginx').map((r) => r.file)).toEqual([
      '/etc/keepalived/instances/vi1.conf',
    ]);
    expect(symbols.definitionsOf('param', 'VIP').map((d) => d.file)).toEqual([
      '/etc/keepalived/keepalived.conf',
    ]);
    expect(lintIn(ws, '/etc/keepalived/scripts.conf')).toEqual(['4:unused-definition:hint']);
  });
});

describe('every reference kind, in both directions across two files', () => {
  const fs = new MemoryFileSystem({
    '/k/defs.conf': [
      'vrrp_script chk {',
      '}',
      'track_file tf {',
      ' file /run/tf',
      '}',
      'vrrp_track_process proc {',
      ' process nginx',
      '}',
      'bfd_instance bfd1 {',
      ' neighbor_ip 192.0.2.9',
      '}',
      'virtual_server_group vsg {',
      ' 192.0.2.1 80',
      '}',
      'track_group tg {',
      ' group {',
      '  VI_1',
      ' }',
      '}',
      'vrrp_instance VI_1 {',
      '}',
      'include /k/uses.conf',
      '',
    ].join('\n'),
    '/k/uses.conf': [
      'global_defs {',
      ' lvs_sync_daemon eth0 inst VI_1',
      '}',
      'vrrp_instance VI_2 {',
      ' track_script {',
      '  chk',
      ' }',
      ' track_file {',
      '  tf',
      ' }',
      ' track_process {',
      '  proc',
      ' }',
      ' track_bfd {',
      '  bfd1',
      ' }',
      ' virtual_ipaddress {',
      '  192.0.2.50/24 track_group tg',
      ' }',
      '}',
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1 VI_2',
      ' }',
      '}',
      'virtual_server group vsg {',
      ' real_server 192.0.2.2 80 {',
      '  FILE_CHECK {',
      '   track_file tf',
      '  }',
      '  BFD_CHECK {',
      '   name bfd1',
      '  }',
      ' }',
      '}',
      '',
    ].join('\n'),
  });
  const ws = new Workspace(fs, { folders: ['/k'] });
  const symbols = ws.modelFor('/k/uses.conf')!.symbols;
  const cases: [string, string, number][] = [
    ['vrrp_script', 'chk', 1],
    ['track_file', 'tf', 2],
    ['vrrp_track_process', 'proc', 1],
    ['bfd_instance', 'bfd1', 2],
    ['virtual_server_group', 'vsg', 1],
    ['track_group', 'tg', 1],
    ['vrrp_instance', 'VI_1', 2],
  ];

  it.each(cases)('%s %s: defined in defs.conf, used %i times in uses.conf', (kind, name, uses) => {
    const defs = symbols.definitionsOf(kind as never, name);
    expect(defs.map((d) => d.file)).toEqual(['/k/defs.conf']);
    const refs = symbols.referencesOf(kind as never, name);
    expect(refs.filter((r) => r.file === '/k/uses.conf')).toHaveLength(uses);
  });

  it('reports no undefined reference in either file', () => {
    expect(lintIn(ws, '/k/uses.conf').filter((r) => r.includes('undefined-reference'))).toEqual([]);
    expect(
      lintIn(ws, '/k/defs.conf').filter((r) => r.includes('undefined-reference') || r.includes('unused')),
    ).toEqual([]);
  });
});
