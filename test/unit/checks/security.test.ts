import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { fixedHost } from '../../../server/src/analysis/host';
import { scriptSecurity } from '../../../server/src/analysis/scripts';
import { lintFile, type LintOptions } from '../../../server/src/checks';
import { applyEdits, preferredEdits } from '../../../server/src/checks/fixes';
import { conf } from '../../helpers';

/** A machine like a fresh Debian: root and nagios, no keepalived_script account. */
const host = fixedHost({ root: 0, nagios: 1001 });
const base: LintOptions = { security: { host, volatileDirs: [] } };

function lint(text: string, options: LintOptions = base) {
  return lintFile(analyzeText('/etc/keepalived/keepalived.conf', text), {
    ...options,
    security: { ...base.security, ...options.security },
  });
}
const rules = (text: string, options?: LintOptions) =>
  lint(text, options).map((d) => `${d.range.start.line + 1}:${d.rule}`);

const nginxPair = (scriptExtra = '', globalExtra = '', instanceExtra = '') =>
  conf(
    'global_defs {',
    ' router_id lb1',
    globalExtra,
    '}',
    'vrrp_script chk_nginx {',
    ' script "pidof nginx"',
    ' interval 1',
    ' weight 3',
    scriptExtra,
    '}',
    'vrrp_instance VI_1 {',
    ' state MASTER',
    ' interface eth0',
    ' virtual_router_id 51',
    ' priority 101',
    instanceExtra,
    ' track_script {',
    '  chk_nginx',
    ' }',
    '}',
  );

describe('who runs the scripts', () => {
  it('flags the nginx health check that runs as root, and script security being off', () => {
    expect(rules(nginxPair())).toEqual(['1:script-security-disabled', '6:script-runs-as-root']);
    const d = lint(nginxPair()).find((x) => x.rule === 'script-runs-as-root')!;
    expect(d.message).toContain('the script names no user, global_defs sets no script_user');
    expect(d.message).toContain("no 'keepalived_script' account");
  });

  it('clears the finding with user on the script or script_user in global_defs, and brings it back for user root', () => {
    expect(rules(nginxPair(' user nagios'))).toEqual(['1:script-security-disabled']);
    expect(rules(nginxPair('', ' script_user nagios'))).toEqual(['1:script-security-disabled']);
    expect(rules(nginxPair(' user root'))).toEqual(['1:script-security-disabled', '6:script-runs-as-root']);
    expect(rules(nginxPair('', ' script_user root'))).toEqual([
      '1:script-security-disabled',
      '6:script-runs-as-root',
    ]);
  });

  it('judges notify scripts the same way, with the user after the command', () => {
    const notify = (user: string) =>
      nginxPair(' user nagios', '', ` notify_master "/usr/local/bin/master.sh"${user}`);
    expect(rules(notify(''))).toContain('16:script-runs-as-root');
    expect(rules(notify(' nagios'))).not.toContain('16:script-runs-as-root');
    expect(rules(notify(' root'))).toContain('16:script-runs-as-root');
  });

  it('uses the keepalived_script account when the machine has one', () => {
    const withAccount = { security: { host: fixedHost({ root: 0, keepalived_script: 990 }) } };
    expect(rules(nginxPair(), withAccount)).toEqual(['1:script-security-disabled']);
  });

  it('reports scripts keepalived will disable: security on but no user to run them as', () => {
    expect(rules(nginxPair('', ' enable_script_security'))).toEqual(['6:script-disabled']);
    expect(rules(nginxPair('', ' enable_script_security\n script_user nagios'))).toEqual([]);
  });

  it('explains the effective user of every script for hover', () => {
    const model = analyzeText('k.conf', nginxPair(' user nagios', '', ' notify_backup /bin/true')).model;
    const scripts = scriptSecurity(model, host).scripts;
    expect(scripts.map((s) => [s.keyword, s.effective.user, s.effective.source])).toEqual([
      ['script', 'nagios', 'script'],
      ['notify_backup', 'root', 'fallback-root'],
    ]);
  });
});

describe('fixes', () => {
  it('adds script_user and enable_script_security to global_defs, and the result is clean', () => {
    const text = nginxPair();
    const fixed = applyEdits(
      text,
      preferredEdits(lint(text)).flatMap((f) => f.edits),
    );
    expect(fixed).toContain(
      'global_defs {\n script_user keepalived_script\n enable_script_security\n router_id lb1',
    );
    const after = lint(fixed, { security: { host: fixedHost({ root: 0, keepalived_script: 990 }) } });
    expect(after.map((d) => d.rule)).toEqual([]);
  });

  it('creates global_defs at the top when there is none, and offers a per-script user', () => {
    const text = conf(
      'vrrp_script chk {',
      '  script "/bin/true"',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      '}',
    );
    const d = lint(text).find((x) => x.rule === 'script-runs-as-root')!;
    expect(applyEdits(text, d.fixes![0]!.edits)).toMatch(
      /^global_defs \{\n {4}script_user keepalived_script\n {4}enable_script_security\n\}\n\nvrrp_script/,
    );
    expect(applyEdits(text, d.fixes![1]!.edits)).toContain(
      '  script "/bin/true"\n  user keepalived_script\n',
    );
  });

  it('replaces an explicit root user', () => {
    const text = nginxPair(' user root');
    const fixed = applyEdits(
      text,
      preferredEdits(lint(text).filter((d) => d.rule === 'script-runs-as-root')).flatMap((f) => f.edits),
    );
    expect(fixed).toContain(' user keepalived_script');
  });
});

describe('script commands', () => {
  it('flags shell syntax keepalived will pass literally, and offers sh -c', () => {
    const text = nginxPair(' user nagios').replace('"pidof nginx"', '"pidof nginx || exit 1"');
    const d = lint(text).find((x) => x.rule === 'script-shell-syntax')!;
    expect(d.message).toContain("'||' is passed to pidof");
    expect(applyEdits(text, d.fixes![0]!.edits)).toContain(`script "/bin/sh -c 'pidof nginx || exit 1'"`);
    expect(
      rules(nginxPair(' user nagios').replace('"pidof nginx"', `"/bin/sh -c 'pidof nginx || exit 1'"`)),
    ).not.toContain('6:script-shell-syntax');
  });

  it('flags cleartext VRRP passwords', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' authentication {',
      '  auth_type PASS',
      '  auth_pass secret',
      ' }',
      '}',
    );
    expect(rules(text)).toEqual(['3:cleartext-auth']);
    expect(rules(text.replace('PASS', 'AH'))).toEqual([]);
  });
});

describe('script paths on this machine (real files, metadata only)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kl-sec-'));
  chmodSync(root, 0o755);
  const script = (dir: string, name = 'check.sh') => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, 0o755);
    return path;
  };
  const verdict = (path: string, thisHost = false) =>
    lint(nginxPair().replace('"pidof nginx"', `"${path}"`), {
      security: { host, thisHost, volatileDirs: [] },
    })
      .filter((d) => d.rule === 'unsafe-script-path' || d.rule === 'script-not-found')
      .map((d) => d.message);

  // Owners can only be arranged as root (CI runs as root); otherwise the files belong to the test's
  // user, which is itself the "not owned by root" case.
  const isRoot = process.getuid?.() === 0;

  it('accepts a root-owned script in root-owned folders', () => {
    const path = script(join(root, 'safe'));
    if (isRoot) expect(verdict(path)).toEqual([]);
    else expect(verdict(path).join()).toContain(`is owned by uid ${process.getuid!()}, not root`);
  });

  it('flags a group-writable parent folder', () => {
    const dir = join(root, 'groupw');
    const path = script(dir);
    const group = isRoot ? 1001 : process.getgid!();
    if (isRoot) chownSync(dir, 0, group);
    chmodSync(dir, 0o775);
    expect(verdict(path).join()).toContain(`folder ${dir} is writable by group ${group}`);
  });

  it('accepts a world-writable folder with the sticky bit, but flags the script under /tmp', () => {
    const dir = join(root, 'sticky');
    const path = script(dir);
    chmodSync(dir, 0o1777);
    if (isRoot) expect(verdict(path)).toEqual([]);
    else expect(verdict(path).join()).not.toContain(`folder ${dir} is writable`);
    const tmp = lint(nginxPair().replace('"pidof nginx"', `"${path}"`), {
      security: { host, volatileDirs: [root] },
    });
    expect(tmp.find((d) => d.rule === 'unsafe-script-path')?.message).toContain(`is under ${root}`);
  });

  it('follows a symlink into a writable folder', () => {
    const target = script(join(root, 'writable'));
    chmodSync(join(root, 'writable'), 0o777);
    const link = join(root, 'safe', 'link.sh');
    symlinkSync(target, link);
    expect(verdict(link).join()).toContain('writable by everyone (the symlink target)');
  });

  it('flags a script owned by another user', () => {
    const path = script(join(root, 'owned'));
    const owner = isRoot ? 65534 : process.getuid!();
    if (isRoot) chownSync(path, owner, 0);
    expect(verdict(path).join()).toContain(`${path} is owned by uid ${owner}, not root`);
  });

  it('resolves bare commands through PATH and reports missing scripts only for this host', () => {
    const dir = join(root, 'bin');
    script(dir, 'mycheck');
    chmodSync(dir, 0o777);
    const pathHost = fixedHost({ root: 0 }, [dir]);
    const found = lint(nginxPair().replace('"pidof nginx"', '"mycheck --fast"'), {
      security: { host: pathHost, volatileDirs: [] },
    });
    expect(found.find((d) => d.rule === 'unsafe-script-path')?.message).toContain(
      `found through PATH at ${join(dir, 'mycheck')}`,
    );
    expect(verdict(join(root, 'nope.sh'))).toEqual([]);
    expect(verdict(join(root, 'nope.sh'), true)[0]).toContain('does not exist on this machine');
  });

  it('never runs a script: a canary that would leave a mark stays untouched', () => {
    const mark = join(root, 'canary-ran');
    const canary = join(root, 'safe', 'canary.sh');
    writeFileSync(canary, `#!/bin/sh\ntouch ${mark}\n`);
    chmodSync(canary, 0o755);
    const config = join(root, 'canary.conf');
    writeFileSync(
      config,
      nginxPair(` user nagios`, '', ` notify_master "${canary}"`).replace('"pidof nginx"', `"${canary}"`),
    );
    lint(nginxPair().replace('"pidof nginx"', `"${canary}"`), { security: { host, thisHost: true } });
    const cli = spawnSync(
      process.execPath,
      [join(__dirname, '../../../dist/cli.js'), '--this-host', config],
      { encoding: 'utf8' },
    );
    expect(cli.stdout).toContain('script-runs-as-root');
    expect(existsSync(mark)).toBe(false);
  });

  it('flags an HMAC key file others can read', () => {
    const key = join(root, 'vrrp.key');
    writeFileSync(key, 'secret');
    chmodSync(key, 0o644);
    const text = conf(
      'vrrp_instance VI_1 {',
      ' auth_hmac {',
      `  key 1 file:${key}`,
      '  active_key 1',
      ' }',
      '}',
    );
    expect(rules(text)).toEqual(['3:insecure-key-file']);
    execFileSync('chmod', ['600', key]);
    expect(rules(text)).toEqual([]);
  });
});
