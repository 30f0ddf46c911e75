// `--fix` names an account only with the warning that it must exist on every node: keepalived removes a
// script whose account is missing (notify.c set_uid_gid), so the fixed file is only safe once it exists.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../server/src/cli';

const config = [
  'vrrp_script chk_nginx {',
  '    script "/usr/bin/pgrep -x nginx"',
  '}',
  'vrrp_instance VI_1 {',
  '    interface eth0',
  '    virtual_router_id 51',
  '    track_script {',
  '        chk_nginx',
  '    }',
  '}',
  '',
].join('\n');

describe('keepalived-lint --fix', () => {
  it('says the account the fix names must exist on every node, with the useradd line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kl-fixreq-')), 'keepalived.conf');
    writeFileSync(path, config);
    let err = '';
    run(
      ['--fix', path],
      () => {},
      (s) => (err += s),
    );
    expect(readFileSync(path, 'utf8')).toContain('script_user keepalived_script');
    expect(err).toContain(
      "before deploying the fixed files, the account 'keepalived_script' must exist on every node (useradd --system --no-create-home --shell /usr/sbin/nologin keepalived_script)",
    );
  });

  it('does not name an account for a bare command name, which keepalived would then disable', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kl-fixreq-')), 'keepalived.conf');
    writeFileSync(path, config.replace('/usr/bin/pgrep -x nginx', 'pgrep -x nginx'));
    run(
      ['--fix', path],
      () => {},
      () => {},
    );
    expect(readFileSync(path, 'utf8')).not.toContain('keepalived_script');
  });
});
