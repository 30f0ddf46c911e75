import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { nodeFileSystem } from '../../../server/src/node/fs';
import { Workspace } from '../../../server/src/analysis/workspace';
import { expandBraces, fnmatch } from '../../../server/src/analysis/includes';
import { lintFile } from '../../../server/src/checks';
import { virtualServerWithChecks } from '../../helpers';

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

  it('judges missing files by include variant (parser.c check_include(): include=0, includer=R, includem=R|M, includeb=R|B, includew/includea add W)', () => {
    const fs = new MemoryFileSystem({
      '/k.conf':
        'include /none.conf\ninclude /none/*.conf\nincludea /none/*.conf\nincludem /none.conf\nincludew /none/*.conf\nincluder /none.conf\nincludeb /n{a,b}.conf\n',
    });
    expect(lintIn(new Workspace(fs), '/k.conf')).toEqual([
      '1:include-not-found:warning',
      '2:include-not-found:warning',
      '3:include-not-found:error',
      '4:include-not-found:error',
      '5:include-not-found:error',
      '6:include-not-found:warning',
      '7:include-not-found:error',
    ]);
  });

  it('reports an include cycle and does not loop', () => {
    const fs = new MemoryFileSystem({ '/a.conf': 'include /b.conf\n', '/b.conf': 'include /a.conf\n' });
    const ws = new Workspace(fs, { folders: ['/'] });
    expect(lintIn(ws, '/b.conf')).toEqual(['1:include-cycle:warning']);
    expect(lintIn(ws, '/a.conf')).toEqual(['1:include-cycle:warning']);
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
    // glob() lstat()s names, so a symlink loop is matched, then stat() fails in check_glob_file().
    expect(
      messages.some(
        (m) =>
          m.includes(
            `Configuration file '${dir}/loop1.conf' is not a regular non-executable file - skipping`,
          ) && m.includes('broken symbolic link'),
      ),
    ).toBe(true);
    expect(
      messages.some((m) => m.includes(`Configuration file '${dir}/sub.conf/' is a directory - skipping`)),
    ).toBe(true);
  });

  it('bounds brace expansions that grow exponentially (glibc has no {1..N} ranges to blow up)', () => {
    const fs = new MemoryFileSystem({ '/k.conf': `include /x${'{a,b}'.repeat(40)}.conf\n` });
    const found = lintFile(new Workspace(fs).analysis('/k.conf')!).map((d) => `${d.rule}: ${d.message}`);
    expect(found).toEqual([
      'analysis-limit: Its braces expand to more than 256 patterns (MAX_BRACE_EXPANSIONS): the linter does not resolve it; findings that depend on the files it names are less certain.',
    ]);
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
      // `${VIP}/24`: keepalived substitutes `$VIP` only before a blank, ',' or ')' (find_definition()).
      ' virtual_ipaddress {\n  ${VIP}/24\n }\n track_script {\n  chk_nginx\n  chk_nginz\n }\n',
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
      '}',
      'static_ipaddress {',
      ' 192.0.2.50/24 dev eth0 track_group tg',
      '}',
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1 VI_2',
      ' }',
      '}',
      ...virtualServerWithChecks('vsg', 'tf', 'bfd1'),
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

/** One include line in /k/keepalived.conf against a fixed tree; its include findings. */
function includeFindings(line: string) {
  const fs = new MemoryFileSystem({
    '/k/keepalived.conf': `${line}\n`,
    '/k/present.conf': '',
    '/k/conf.d/a.conf': '',
    '/k/empty/readme.txt': '',
    '/k/tree/a/x.conf': '',
    '/k/tree/b/other.txt': '',
    '/k/sub/dir/x': '',
  });
  fs.write('/k/exec.conf', '', 0o100755);
  const ws = new Workspace(fs);
  const found = lintFile(ws.analysis('/k/keepalived.conf')!).filter((d) => d.rule === 'include-not-found');
  return { found, model: ws.modelFor('/k/keepalived.conf')! };
}

// Each case was run through `keepalived -t -l -D -f` (Debian 12, keepalived 2.2.7): exit 6 where the
// severity is error, exit 0 otherwise, with exactly the quoted message on stderr.
const VARIANT_CASES: [string, string, 'error' | 'warning' | 'info' | undefined, string[]][] = [
  // open_and_check_glob(): GLOB_NOMATCH after an lstat() failure is "Config files missing", bit M.
  [
    'include missing.conf',
    'a missing file is logged only (no M bit)',
    'warning',
    [
      `'include' accepts a missing file: keepalived logs "Config files missing 'missing.conf'." and goes on without it`,
      "File 'missing.conf' does not exist",
    ],
  ],
  [
    'includer missing.conf',
    'includer is only R, so a missing file is logged only',
    'warning',
    [`'includer' accepts a missing file: keepalived logs "Config files missing 'missing.conf'." and goes on`],
  ],
  [
    'includem missing.conf',
    'includem has M',
    'error',
    [
      `keepalived logs "Config files missing 'missing.conf'." and, since 'includem' requires a match when a named file or folder is missing, that is a config error: keepalived -t fails`,
    ],
  ],
  ['includew missing.conf', 'includew is R|M|W', 'error', ['keepalived -t fails']],
  ['includeb missing.conf', 'includeb is R|B, no M', 'warning', [`'includeb' accepts a missing file`]],
  ['includea missing.conf', 'includea has M', 'error', ['keepalived -t fails']],
  // gl_opendir() failing counts as a missing folder: still "Config files missing", bit M.
  [
    'include nodir/*.conf',
    'a missing folder is logged only',
    'warning',
    [
      `'include' accepts a missing folder: keepalived logs "Config files missing 'nodir/*.conf'."`,
      "Folder 'nodir' does not exist",
    ],
  ],
  [
    'includem nodir/*.conf',
    'includem of a missing folder is M',
    'error',
    [
      "Folder 'nodir' does not exist: keepalived logs \"Config files missing 'nodir/*.conf'.\"",
      'keepalived -t fails',
    ],
  ],
  [
    'include present.conf/x.conf',
    'lstat() fails under a file',
    'warning',
    ["'present.conf' is a file, not a folder"],
  ],
  // A wildcard in an existing folder matching nothing is "No config files matched", logged only with W.
  [
    'includem empty/*.conf',
    'without W an empty wildcard match is not even logged',
    'info',
    [
      "No file matches 'empty/*.conf' (the folders it lists exist). 'includem' accepts a wildcard that matches nothing: keepalived logs nothing",
    ],
  ],
  [
    'includew empty/*.conf',
    'includew has W',
    'error',
    [
      `keepalived logs "No config files matched 'empty/*.conf'." and, since 'includew' requires its wildcard to match`,
    ],
  ],
  [
    'includew tree/c*/x.conf',
    'a folder wildcard matching nothing is W too',
    'error',
    ["No config files matched 'tree/c*/x.conf'."],
  ],
  // A partial match with failures is "Some config files missing", bit B; with B nothing is read.
  [
    'includem {present,missing}.conf',
    'a partial brace match is B, which includem lacks',
    'warning',
    [`keepalived logs "Some config files missing: "{present,missing}.conf"." and reads the files that exist`],
  ],
  [
    'includeb {present,missing}.conf',
    'includeb has B',
    'error',
    ['it reads none of the files that do match', 'keepalived -t fails'],
  ],
  [
    'includeb tree/*/x.conf',
    'B also covers a wildcard folder lacking the file (lstat failure)',
    'error',
    [`Some config files missing: "tree/*/x.conf".`],
  ],
  [
    'include tree/*/x.conf',
    'without B that partial match is logged only',
    'warning',
    ['reads the files that exist'],
  ],
  // Nothing matched with braces in the pattern: have_brace() makes it B instead of M.
  [
    'includem {missing,missing2}.conf',
    'no match with braces is B, not M',
    'warning',
    [
      `'includem' accepts a missing file: keepalived logs "Config files missing '{missing,missing2}.conf'."`,
      'counts it as a brace miss',
    ],
  ],
  ['includeb {missing,missing2}.conf', 'no match with braces is B', 'error', ['keepalived -t fails']],
  [
    'includem tree/*/y.conf',
    'a wildcard pattern whose file lstat() fails is M',
    'error',
    ["Config files missing 'tree/*/y.conf'."],
  ],
  // check_glob_file(): GLOB_MARK's '/' and stat() decide what is skipped, an error with R.
  [
    'include conf.d',
    'a directory is logged only without R',
    'warning',
    [`keepalived logs "Configuration file 'conf.d/' is a directory - skipping" and goes on without it`],
  ],
  [
    'includer conf.d',
    'includer has R',
    'error',
    [
      `"Configuration file 'conf.d/' is a directory - skipping" and, since 'includer' requires every entry to be a readable, regular, non-executable file, that is a config error`,
    ],
  ],
  [
    'include sub/*',
    'a matched folder is skipped',
    'warning',
    ["Configuration file 'sub/dir/' is a directory - skipping"],
  ],
  [
    'include exec.conf',
    'an executable is skipped',
    'warning',
    ["Configuration file 'exec.conf' is not a regular non-executable file - skipping"],
  ],
  ['includeb exec.conf', 'includeb has R', 'error', ['keepalived -t fails']],
  ['includem exec.conf', 'includem has R', 'error', ['keepalived -t fails']],
];

describe('include variants as keepalived 2.2.7 judges them (lib/parser.c)', () => {
  it.each(VARIANT_CASES)('%s: %s', (line, _why, severity, texts) => {
    const { found } = includeFindings(line);
    expect(found.map((d) => d.severity)).toEqual(severity ? [severity] : []);
    for (const t of texts) expect(found[0]!.message).toContain(t);
  });

  it.each([
    ['include present.conf', 'a regular file'],
    ['includea conf.d/*.conf', 'a wildcard that matches'],
    [
      'includew {conf.d,empty}/*.conf',
      'an empty alternative next to a match: glob returns matches and no failure',
    ],
    ['includea {present,conf.d/a}.conf', 'every brace alternative matches'],
  ])('%s is quiet: %s', (line) => {
    expect(includeFindings(line).found).toEqual([]);
  });

  it('reads the existing files after "Some config files missing" without B, and none with B (globfree)', () => {
    expect([...includeFindings('includem {present,missing}.conf').model.files.keys()]).toContain(
      '/k/present.conf',
    );
    expect([...includeFindings('includeb {present,missing}.conf').model.files.keys()]).toEqual([
      '/k/keepalived.conf',
    ]);
  });

  it('expands braces as glibc GLOB_BRACE does: nested alternatives, no {1..3} ranges, literal when unclosed', () => {
    expect(expandBraces('{a,b{c,d}}.conf')).toEqual(['a.conf', 'bc.conf', 'bd.conf']);
    expect(expandBraces('{1..3}.conf')).toEqual(['1..3.conf']);
    expect(expandBraces('a{b,c')).toEqual(['a{b,c']);
    expect(expandBraces('x\\{a,b}')).toEqual(['x\\{a,b}']);
    expect(includeFindings('include {1..3}.conf').found[0]!.message).toContain(
      "Config files missing '{1..3}.conf'.",
    );
  });

  it('matches like fnmatch with FNM_PERIOD: no leading dot for * ? [', () => {
    expect(fnmatch('*.conf')('.hidden.conf')).toBe(false);
    expect(fnmatch('.*')('.hidden')).toBe(true);
    expect(fnmatch('[!a]*')('b.conf')).toBe(true);
    expect(fnmatch('[[:digit:]]*')('10-x')).toBe(true);
    expect(fnmatch('?')('.')).toBe(false);
  });
});

/** Lints a workspace's file; its include-cycle findings. */
function cycles(files: Record<string, string>, path: string) {
  const ws = new Workspace(new MemoryFileSystem(files), { folders: ['/k'] });
  return lintFile(ws.analysis(path)!).filter((d) => d.rule === 'include-cycle');
}

// Run with `ulimit -n 64` / 1024: keepalived 2.2.7 recurses until open() fails with EMFILE, then logs
// the include's failure once; the files were read ~60 / ~1020 times.
describe('include cycles as keepalived 2.2.7 reads them (no depth limit in lib/parser.c)', () => {
  it('plain include of itself: "open problem (Too many open files)" has no R bit, so -t passes (warning)', () => {
    const found = cycles({ '/k/self.conf': 'global_defs {\n}\ninclude self.conf\n' }, '/k/self.conf');
    expect(found.map((d) => d.severity)).toEqual(['warning']);
    expect(found[0]!.message).toContain('keepalived has no include depth limit');
    // With ulimit -n 1024 keepalived -t read 'self.conf' ~1018 times per pass; '/k/self.conf' ~509 times.
    expect(found[0]!.message).toContain('one per level, so some 1000 levels with the usual limit of 1024');
    expect(found[0]!.message).toContain(
      `Then this include logs "Configuration file 'self.conf' open problem (Too many open files) - skipping" and keepalived goes on ('include' accepts that, so keepalived -t passes)`,
    );
  });

  it('includer of itself: the open failure is R, so -t fails (error)', () => {
    const found = cycles({ '/k/self.conf': 'includer self.conf\n' }, '/k/self.conf');
    expect(found.map((d) => d.severity)).toEqual(['error']);
    expect(found[0]!.message).toContain("for 'includer' that is a config error: keepalived -t fails");
  });

  it('a vrrp_instance on the cycle is defined again at every level: "vrrp instance VI_1 already defined" (error)', () => {
    const found = cycles(
      { '/k/a.conf': 'include b.conf\n', '/k/b.conf': 'vrrp_instance VI_1 {\n}\ninclude a.conf\n' },
      '/k/b.conf',
    );
    expect(found.map((d) => d.severity)).toEqual(['error']);
    expect(found[0]!.message).toContain(
      'it reports "vrrp instance VI_1 already defined" and keepalived -t fails',
    );
    expect(found[0]!.message).toContain('If this is the include that runs out');
  });

  it('a wildcard cycle fails in opendir() first: "Config files missing" is M, an error for includem only', () => {
    const plain = cycles({ '/k/keepalived.conf': 'include *.conf\n' }, '/k/keepalived.conf');
    expect(plain.map((d) => d.severity)).toEqual(['warning']);
    expect(plain[0]!.message).toContain(`logs "Config files missing '*.conf'."`);
    const absolute = cycles({ '/k/keepalived.conf': 'include /k/*.conf\n' }, '/k/keepalived.conf');
    expect(absolute[0]!.message).toContain("two per level as the name has a '/', so some 500 levels");
    const strict = cycles({ '/k/keepalived.conf': 'includem *.conf\n' }, '/k/keepalived.conf');
    expect(strict.map((d) => d.severity)).toEqual(['error']);
    const includer = cycles({ '/k/keepalived.conf': 'includer *.conf\n' }, '/k/keepalived.conf');
    expect(includer.map((d) => d.severity)).toEqual(['warning']);
  });

  it('two ways back branch at every level: -t never finishes (error)', () => {
    const glob = cycles(
      { '/k/a.conf': 'include [ab].conf\n', '/k/b.conf': 'include [ab].conf\n' },
      '/k/a.conf',
    );
    expect(glob.map((d) => d.severity)).toEqual(['error']);
    expect(glob[0]!.message).toContain('keepalived -t never finishes');
    const lines = cycles({ '/k/a.conf': 'include a.conf\ninclude a.conf\n' }, '/k/a.conf');
    expect(lines.map((d) => d.severity)).toEqual(['error', 'error']);
  });

  it('is quiet for a file included twice without a loop, and for a chain', () => {
    expect(
      cycles(
        { '/k/a.conf': 'include b.conf\ninclude b.conf\n', '/k/b.conf': 'include c.conf\n', '/k/c.conf': '' },
        '/k/a.conf',
      ),
    ).toEqual([]);
  });
});

describe('parameters in include lines (parser.c: read_line() replaces parameters before check_include())', () => {
  const conf = (extra: string) =>
    `${extra}vrrp_instance VI_1 {\n state BACKUP\n interface eth0\n virtual_router_id 5\n priority 100\n}\n`;

  it('follows ${_PWD}: the folder of the file being read, as keepalived chdir()s into it', () => {
    const fs = new MemoryFileSystem({
      '/etc/k/keepalived.conf': 'include ${_PWD}/conf.d/*.conf\n',
      '/etc/k/conf.d/a.conf': '$FROM_A=1\ninclude ${_PWD}/../b/b.conf\n',
      '/etc/k/b/b.conf': '$FROM_B=1\n',
    });
    const model = new Workspace(fs).modelFor('/etc/k/keepalived.conf')!;
    expect([...model.files.keys()]).toEqual([
      '/etc/k/keepalived.conf',
      '/etc/k/conf.d/a.conf',
      '/etc/k/b/b.conf',
    ]);
    expect(model.params.has('FROM_A') && model.params.has('FROM_B')).toBe(true);
  });

  it('follows a parameter defined earlier, and a $_PWD= line of the configuration overrides the built-in', () => {
    const fs = new MemoryFileSystem({
      '/etc/k/keepalived.conf':
        '$DIR=/srv/vrrp\ninclude ${DIR}/vi.conf\ninclude $DIR/vi.conf\n$_PWD=/opt\ninclude ${_PWD}/o.conf\n',
      '/srv/vrrp/vi.conf': conf(''),
      '/opt/o.conf': '$FROM_OPT=1\n',
      '/etc/k/o.conf': '$WRONG=1\n',
    });
    const ws = new Workspace(fs);
    const model = ws.modelFor('/etc/k/keepalived.conf')!;
    expect([...model.files.keys()]).toEqual(['/etc/k/keepalived.conf', '/srv/vrrp/vi.conf', '/opt/o.conf']);
    // Unbraced, a name ends only at a blank (replace_param()): keepalived looks for '$DIR/vi.conf' itself.
    expect(lintIn(ws, '/etc/k/keepalived.conf').filter((f) => f.includes('include-not-found'))).toEqual([
      '3:include-not-found:warning',
    ]);
  });

  it('does not follow an include whose parameter has no value here, and says nothing false about it', () => {
    const fs = new MemoryFileSystem({
      '/etc/k/keepalived.conf': 'include /etc/k/${_INSTANCE}.conf\ninclude $NOWHERE/x.conf\n',
      '/etc/k/.conf': '$EMPTY_NAME=1\n',
    });
    const ws = new Workspace(fs);
    const model = ws.modelFor('/etc/k/keepalived.conf')!;
    expect([...model.files.keys()]).toEqual(['/etc/k/keepalived.conf']);
    expect(lintIn(ws, '/etc/k/keepalived.conf').filter((f) => f.endsWith(':error'))).toEqual([]);
  });
});

describe('a file included inside a block', () => {
  // keepalived reads the included lines in the block the include stands in (lib/parser.c read_line).
  const fs = new MemoryFileSystem({
    '/k/keepalived.conf': [
      'virtual_server 192.0.2.1 80 {',
      '  lvs_sched rr',
      '  lvs_method DR',
      '  protocol TCP',
      '  include /k/rs.inc',
      '}',
      'vrrp_instance VI_1 {',
      '  state BACKUP',
      '  interface eth0',
      '  virtual_router_id 51',
      '  include /k/vi.inc',
      '}',
      '',
    ].join('\n'),
    '/k/rs.inc': 'real_server 192.0.2.10 8080 {\n  weight 1\n}\n',
    '/k/vi.inc': 'virtual_ipaddress {\n  192.0.2.5\n}\nunicast_src_ip 192.0.2.1\n',
  });
  const ws = new Workspace(fs);

  it("counts the included lines as the block's, and reports them in the file they are in", () => {
    const found = ['/k/keepalived.conf', '/k/rs.inc', '/k/vi.inc']
      .flatMap((path) => lintFile(ws.analysis(path)!))
      .filter((d) => !d.rule.startsWith('script-'))
      .map((d) => `${d.file}:${d.range.start.line + 1}:${d.rule}`);
    // The real server and the VIP are there: no virtual-server-no-real-server, no instance-missing-required.
    expect(found).toEqual(['/k/rs.inc:1:server-port-ignored', '/k/vi.inc:4:unicast-without-peers']);
  });
});
