// `--fix` is byte-exact outside its edits and never surprising: each real file once, only files named,
// atomically with mode and owner kept, read-only files left alone, suggestions (did-you-mean, parameters,
// placeholders, @id variants) never applied unattended, and a second run changes nothing.
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../server/src/cli';

const instance = (pass: string, extra = '') =>
  [
    'vrrp_instance VI_1 {',
    '    interface eth0',
    '    virtual_router_id 51',
    extra,
    '    authentication {',
    '        auth_type PASS',
    `        auth_pass ${pass}`,
    '    }',
    '}',
    '',
  ].join('\n');

function fix(...args: string[]): string {
  let err = '';
  run(
    ['--fix', ...args],
    () => {},
    (s) => (err += s),
  );
  return err;
}

const folder = () => mkdtempSync(join(tmpdir(), 'kl-fixsafe-'));

describe('keepalived-lint --fix safety', () => {
  it('fixes a file named twice (path, symlink, hard link) once', () => {
    const dir = folder();
    const path = join(dir, 'keepalived.conf');
    writeFileSync(path, instance('longpassword'));
    symlinkSync(path, join(dir, 'link.conf'));
    linkSync(path, join(dir, 'hard.conf'));
    fix(path, join(dir, 'link.conf'), join(dir, 'hard.conf'), path);
    expect(readFileSync(path, 'utf8')).toBe(instance('longpass'));
  });

  it('keeps every byte outside the edit, Latin-1 included', () => {
    const dir = folder();
    const path = join(dir, 'keepalived.conf');
    const latin1 = Buffer.concat([
      Buffer.from('# r\xe9seau de secours\n', 'latin1'),
      Buffer.from(instance('longpassword')),
    ]);
    writeFileSync(path, latin1);
    fix(path);
    const expected = Buffer.concat([
      Buffer.from('# r\xe9seau de secours\n', 'latin1'),
      Buffer.from(instance('longpass')),
    ]);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it('writes atomically, keeping the mode, and leaves no temporary file', () => {
    const dir = folder();
    const path = join(dir, 'keepalived.conf');
    writeFileSync(path, instance('longpassword'));
    chmodSync(path, 0o640);
    fix(path);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['keepalived.conf']);
  });

  it('leaves a read-only file alone and says so (even as root)', () => {
    const dir = folder();
    const path = join(dir, 'keepalived.conf');
    writeFileSync(path, instance('longpassword'));
    chmodSync(path, 0o444);
    const err = fix(path);
    expect(readFileSync(path, 'utf8')).toBe(instance('longpassword'));
    expect(err).toContain('not fixed: ');
    expect(err).toContain('it is read-only');
  });

  it('never applies a did-you-mean: `trak_script {` fixed to track_script would swallow the next lines', () => {
    const dir = folder();
    const path = join(dir, 'keepalived.conf');
    const text = instance('short', '    trak_script {\n        chk\n    }');
    writeFileSync(path, text);
    fix(path);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('never rewrites a parameter, a placeholder or an @id variant', () => {
    const dir = folder();
    for (const [name, text] of [
      ['param.conf', '$PW=longpassword\n' + instance('$PW')],
      ['placeholder.conf', instance('${VRRP_PASSWORD}')],
      [
        'variant.conf',
        instance('short').replace('        auth_pass short', '@lb1         auth_pass longpassword'),
      ],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text);
      fix(path);
      expect(readFileSync(path, 'utf8'), name).toBe(text);
    }
  });

  it('writes only the files named: a change that belongs in an included file is reported, not made', () => {
    const dir = folder();
    mkdirSync(join(dir, 'conf.d'));
    const root = join(dir, 'keepalived.conf');
    const included = join(dir, 'conf.d', 'vi.conf');
    writeFileSync(root, 'include conf.d/*.conf\n');
    writeFileSync(included, instance('longpassword'));
    const err = fix(root);
    expect(readFileSync(included, 'utf8')).toBe(instance('longpassword'));
    expect(err).toMatch(/not fixed: 1 change belong in .*conf\.d\/vi\.conf, which was not named/);
  });

  it('is idempotent: a second run changes nothing', () => {
    const dir = folder();
    const path = join(dir, 'keepalived.conf');
    writeFileSync(
      path,
      instance('longpassword') + 'vrrp_script chk {\n    script /usr/bin/pgrep -x nginx\n}\n',
    );
    fix(path);
    const once = readFileSync(path);
    fix(path);
    expect(readFileSync(path).equals(once)).toBe(true);
    expect(once.toString()).toContain('script "/usr/bin/pgrep -x nginx"');
  });
});
