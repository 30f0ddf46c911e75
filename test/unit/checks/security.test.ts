import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { nodeFileSystem } from '../../../server/src/node/fs';
import { fixedHost, UNKNOWN_HOST } from '../../../server/src/analysis/host';
import { scriptSecurity } from '../../../server/src/analysis/scripts';
import { lintFile, type LintOptions } from '../../../server/src/checks';
import { applyEdits, preferredEdits } from '../../../server/src/checks/fixes';
import { conf, requiredLines, vrrpInstance } from '../../helpers';

/** A machine like a fresh Debian: root and nagios, no keepalived_script account. */
const host = fixedHost({ nagios: 1001 });
const base: LintOptions = { security: { host, volatileDirs: [] } };

function lint(text: string, options: LintOptions = base) {
  return lintFile(analyzeText('/etc/keepalived/keepalived.conf', text), {
    ...options,
    security: { ...base.security, ...options.security },
  });
}
const rules = (text: string, options?: LintOptions) =>
  lint(text, options).map((d) => `${d.range.start.line + 1}:${d.rule}`);
/** As `lint`, on this machine's real file system (which lintFile sees only when it is handed it). */
const lintHere = (text: string, options: LintOptions = base) =>
  lint(text, { ...options, security: { ...base.security, ...options.security, fs: nodeFileSystem } });
const rulesHere = (text: string, options?: LintOptions) =>
  lintHere(text, options).map((d) => `${d.range.start.line + 1}:${d.rule}`);

const CHK = '/usr/local/bin/chk_nginx';
const nginxPair = (scriptExtra = '', globalExtra = '', instanceExtra = '') =>
  conf(
    'global_defs {',
    ' router_id lb1',
    globalExtra,
    '}',
    'vrrp_script chk_nginx {',
    ` script "${CHK}"`,
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
    ' virtual_ipaddress {',
    '  192.0.2.10',
    ' }',
    '}',
  );
/** Nothing known about the nodes: the default without --this-host. */
const unknown: LintOptions = { security: { host: UNKNOWN_HOST, volatileDirs: [] } };
const withAccount = { security: { host: fixedHost({ nagios: 1001, keepalived_script: 990 }) } };

describe('who runs the scripts (notify.c get_default_script_user, set_uid_gid)', () => {
  it('no user, no script_user, no keepalived_script account: root, and script security is off', () => {
    expect(rules(nginxPair())).toEqual(['1:script-security-disabled', '6:script-runs-as-root']);
    const d = lint(nginxPair()).find((x) => x.rule === 'script-runs-as-root')!;
    expect(d.message).toContain('the script names no user, global_defs sets no script_user');
    expect(d.message).toContain("no 'keepalived_script' account");
  });

  it('a vrrp_script nothing tracks never runs: keepalived frees it (vrrp_complete_init)', () => {
    const untracked = nginxPair().replace(' track_script {\n  chk_nginx\n }\n', '');
    const note = 'nothing tracks vrrp_script chk_nginx, so keepalived frees it unused and it never runs';
    expect(lint(untracked).find((x) => x.rule === 'script-runs-as-root')!.message).toContain(note);
    expect(lint(nginxPair()).find((x) => x.rule === 'script-runs-as-root')!.message).not.toContain(note);
  });

  it('nodes unknown: root only where keepalived_script is missing, said as such', () => {
    const d = lint(nginxPair(), unknown).find((x) => x.rule === 'script-runs-as-root')!;
    expect(d.message).toContain("runs as root on every node without a 'keepalived_script' account");
    expect(d.severity).toBe('warning');
  });

  it('user on the script or script_user clears it; root named explicitly brings it back', () => {
    expect(rules(nginxPair(' user nagios'))).toEqual(['1:script-security-disabled']);
    expect(rules(nginxPair('', ' script_user nagios'))).toEqual(['1:script-security-disabled']);
    expect(rules(nginxPair(' user root'))).toEqual(['1:script-security-disabled', '6:script-runs-as-root']);
    expect(rules(nginxPair('', ' script_user root'))).toEqual([
      '1:script-security-disabled',
      '6:script-runs-as-root',
    ]);
  });

  it('notify scripts: the user is the word after the command', () => {
    const notify = (user: string) =>
      nginxPair(' user nagios', '', ` notify_master "/usr/local/bin/master.sh"${user}`);
    expect(rules(notify(''))).toContain('16:script-runs-as-root');
    expect(rules(notify(' nagios'))).not.toContain('16:script-runs-as-root');
    expect(rules(notify(' root'))).toContain('16:script-runs-as-root');
  });

  it('uses the keepalived_script account when the nodes have one', () => {
    expect(rules(nginxPair(), withAccount)).toEqual(['1:script-security-disabled']);
  });

  it('security on, no user and no keepalived_script: removed (Unable to set default user ... removing), naming the track it breaks', () => {
    const d = lint(nginxPair('', ' enable_script_security')).find((x) => x.rule === 'script-disabled')!;
    expect(d.severity).toBe('error');
    expect(d.message).toContain('keepalived removes this script');
    expect(d.message).toContain(
      '`track_script chk_nginx` in vrrp_instance VI_1 is ignored and the VIP will not move',
    );
    expect(d.message).toContain('useradd --system');
    expect(rules(nginxPair('', ' enable_script_security\n script_user nagios'))).toEqual([]);
    const maybe = lint(nginxPair('', ' enable_script_security'), unknown).find(
      (x) => x.rule === 'script-disabled',
    )!;
    expect(maybe.severity).toBe('warning');
    expect(maybe.message).toContain("on every node without a 'keepalived_script' account");
  });

  it('names every block that tracks a removed script, wherever it is in the file', () => {
    const text = conf(
      'global_defs {',
      '  enable_script_security',
      '}',
      'vrrp_script chk_nginx {',
      '  script "/usr/local/bin/chk.sh"',
      '}',
      ...vrrpInstance('VI_1', 'track_script {', '  chk_nginx', '}'),
      'vrrp_script other {',
      '  script "/usr/local/bin/other.sh"',
      '}',
      ...vrrpInstance('VI_2', 'track_script {', '  chk_nginx', '}'),
      ...vrrpInstance('VI_3'),
    );
    const d = lint(text).find((x) => x.rule === 'script-disabled' && x.range.start.line === 4)!;
    expect(d.message).toContain(
      '`track_script chk_nginx` in vrrp_instance VI_1, vrrp_instance VI_2 is ignored',
    );
  });

  it('a named account missing on this host removes the script; it does not fall back to root (set_uid_gid)', () => {
    const missing = lint(nginxPair(' user nginxcheck'));
    expect(missing.map((d) => d.rule)).toContain('script-account-missing');
    expect(missing.map((d) => d.rule)).not.toContain('script-runs-as-root');
    expect(missing.find((d) => d.rule === 'script-account-missing')!.message).toContain(
      'track_script chk_nginx',
    );
    const group = lint(nginxPair(' user nagios nogroup'));
    expect(group.find((d) => d.rule === 'script-account-missing')?.message).toContain("group 'nogroup'");
    expect(rules(nginxPair(' user nagios'))).not.toContain('12:script-account-missing');
  });

  it('a script_user account missing here: "Error setting global script uid/gid", every defaulted script removed', () => {
    const found = lint(nginxPair('', ' script_user nosuch'));
    const ids = found.map((d) => `${d.range.start.line + 1}:${d.rule}`);
    expect(ids).toContain('3:script-account-missing');
    expect(ids).toContain('6:script-account-missing');
    expect(ids).not.toContain('6:script-runs-as-root');
  });

  it('a missing group says to create the group, not a user', () => {
    const d = lint(nginxPair(' user nagios nogroup')).find((x) => x.rule === 'script-account-missing')!;
    expect(d.message).toContain('groupadd --system nogroup');
    const line = lint(nginxPair('', ' script_user nagios nogroup')).find(
      (x) => x.rule === 'script-account-missing' && x.range.start.line === 2,
    )!;
    expect(line.message).toContain("There is no group 'nogroup'");
  });

  it('numeric names are looked up by name only (getpwnam): user 0 removes the script', () => {
    const found = lint(nginxPair(' user 0'));
    expect(found.find((d) => d.rule === 'script-user-numeric')?.message).toContain('by name only');
    expect(lint(nginxPair(' user 0'), unknown).map((d) => d.rule)).toContain('script-user-numeric');
    expect(lint(nginxPair(' user nagios')).map((d) => d.rule)).not.toContain('script-user-numeric');
  });

  it('without --this-host, named accounts are unverified (info), never errors', () => {
    const found = lint(nginxPair(' user nagios'), unknown);
    const info = found.find((d) => d.rule === 'script-account-unverified')!;
    expect(info.severity).toBe('info');
    expect(info.message).toContain('useradd');
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    // With facts about the nodes (--this-host), the account is checked instead of merely noted.
    expect(lint(nginxPair(' user nagios')).map((d) => d.rule)).not.toContain('script-account-unverified');
  });

  it('script_user read after the script: the account at start, root after a reload (reset_default_script_user)', () => {
    const text = conf(
      'vrrp_script chk_nginx {',
      ` script "${CHK}"`,
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk_nginx',
      ' }',
      ...requiredLines(),
      '}',
      'global_defs {',
      ' script_user nagios',
      '}',
    );
    const d = lint(text).find((x) => x.rule === 'script-user-after-script')!;
    expect(d.message).toContain('runs as nagios after a fresh start');
    expect(d.message).toContain('so from then on it runs as root');
    expect(rules(nginxPair('', ' script_user nagios'))).not.toContain('6:script-user-after-script');
    const model = analyzeText('k.conf', text).model;
    const use = scriptSecurity(model, host).scripts[0]!;
    expect([use.effective.user, use.afterReload?.user]).toEqual(['nagios', 'root']);
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

describe('notify FIFOs (global_parser.c notify_fifo: the FIFO is ignored when its account cannot be set)', () => {
  const fifos = (extra = '') =>
    conf(
      'global_defs {',
      extra,
      ' notify_fifo /run/keepalived.fifo nosuchuser',
      ' vrrp_notify_fifo /run/vrrp.fifo 1234',
      ' lvs_notify_fifo /run/lvs.fifo nagios',
      '}',
    );
  it('reports a FIFO whose account this machine lacks, and a numeric name, as keepalived -t logs them', () => {
    const found = lint(fifos(), { security: { host, thisHost: true } });
    expect(found.map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity}`)).toEqual([
      '3:script-account-missing:warning',
      '4:script-user-numeric:warning',
    ]);
    expect(found[0]!.message).toContain('notify_fifo_script (if any) receives no notifications');
    expect(found[1]!.message).toContain('vrrp_notify_fifo_script');
  });
  it('says nothing about names it cannot check without --this-host, but a number is never a name', () => {
    expect(rules(fifos(), { security: { host: UNKNOWN_HOST } })).toEqual(['4:script-user-numeric']);
  });
  it('a FIFO without a user takes the default script user: ignored too when script_user is missing', () => {
    const text = conf('global_defs {', ' script_user ghost', ' notify_fifo /run/k.fifo', '}');
    expect(rules(text, { security: { host, thisHost: true } })).toContain('3:script-account-missing');
    // Read before the script_user line, the FIFO gets keepalived_script or root: not ignored.
    const before = conf('global_defs {', ' notify_fifo /run/k.fifo', ' script_user ghost', '}');
    expect(rules(before, { security: { host, thisHost: true } })).not.toContain('2:script-account-missing');
  });
});

describe('commands as keepalived splits them (set_script_params_array, notify_script_init)', () => {
  it('an unquoted script line runs the first word only: the rest is dropped', () => {
    const text = nginxPair(' user nagios').replace(`"${CHK}"`, `${CHK} --port 80`);
    const d = lint(text).find((x) => x.rule === 'script-args-ignored')!;
    expect(d.message).toContain(`runs only '${CHK}' and ignores '--port 80'`);
    expect(applyEdits(text, d.fixes![0]!.edits)).toContain(` script "${CHK} --port 80"`);
    expect(rules(nginxPair(' user nagios').replace(`"${CHK}"`, `"${CHK} --port 80"`))).not.toContain(
      '6:script-args-ignored',
    );
    const model = analyzeText('k.conf', text).model;
    expect(scriptSecurity(model, host).scripts[0]!.argv).toEqual([CHK]);
  });

  it('the quoting fix keeps the quotes the user wrote, so the arguments stay as meant', () => {
    // keepalived reads the quoted command a second time with the same quoting rules: the inner quotes
    // still group arguments. Joining unquoted values made `sh -c test -f /etc/passwd` of this one.
    const quoteFixed = (command: string) => {
      const text = nginxPair(' user nagios').replace(`"${CHK}"`, command);
      const d = lint(text).find((x) => x.rule === 'script-args-ignored')!;
      const fixed = applyEdits(text, d.fixes![0]!.edits);
      return { fixed, argv: scriptSecurity(analyzeText('k.conf', fixed).model, host).scripts[0]!.argv };
    };
    const shell = quoteFixed("/bin/sh -c 'test -f /etc/passwd'");
    expect(shell.fixed).toContain(` script "/bin/sh -c 'test -f /etc/passwd'"`);
    expect(shell.argv).toEqual(['/bin/sh', '-c', 'test -f /etc/passwd']);
    const echo = quoteFixed('/bin/echo "a b"');
    expect(echo.fixed).toContain(` script '/bin/echo "a b"'`);
    expect(echo.argv).toEqual(['/bin/echo', 'a b']);
    const notify = nginxPair(' user nagios', '', ' notify_master /bin/echo "a b" nobody');
    // 'a b' is read as the user: no account has that name. The advice keeps the quotes as written.
    expect(lint(notify, unknown).find((x) => x.rule === 'script-args-as-user')!.message).toContain(
      `notify_master '/bin/echo "a b" nobody'`,
    );
    const missing = lint(notify).find((x) => x.rule === 'script-account-missing')!;
    expect(applyEdits(notify, missing.fixes![0]!.edits)).toContain(`notify_master '/bin/echo "a b" nobody'`);
  });

  it("single quotes group words too (alloc_strvec_quoted_escaped): script 'killall -0 haproxy' is one command", () => {
    const text = nginxPair(' user nagios').replace(`"${CHK}"`, "'/usr/bin/killall -0 haproxy'");
    expect(rules(text)).not.toContain('6:script-args-ignored');
    const model = analyzeText('k.conf', text).model;
    expect(scriptSecurity(model, host).scripts[0]!.argv).toEqual(['/usr/bin/killall', '-0', 'haproxy']);
    const notify = nginxPair(' user nagios', '', " notify_master '/etc/keepalived/notify.sh MASTER'");
    expect(rules(notify, unknown)).not.toContain('16:script-args-as-user');
  });

  it('an unquoted notify argument is read as the user, so the script is removed', () => {
    const text = nginxPair(' user nagios', '', ' notify_master /etc/keepalived/notify.sh MASTER');
    const known = lint(text).find((x) => x.rule === 'script-account-missing')!;
    // notify_script_init only logs "Invalid user/group ... - ignoring": keepalived -t still passes.
    expect(known.severity).toBe('warning');
    expect(lint(nginxPair(' user nosuch')).find((x) => x.rule === 'script-account-missing')!.severity).toBe(
      'error',
    );
    expect(known.message).toContain("reads 'MASTER' as the account to run the script as");
    expect(applyEdits(text, known.fixes![0]!.edits)).toContain(
      'notify_master "/etc/keepalived/notify.sh MASTER"',
    );
    const d = lint(text, unknown).find((x) => x.rule === 'script-args-as-user')!;
    expect(d.message).toContain("reads 'MASTER' as the account");
    expect(
      rules(text.replace('/etc/keepalived/notify.sh MASTER', '"/etc/keepalived/notify.sh MASTER"'), unknown),
    ).not.toContain('16:script-args-as-user');
  });

  it('"</path" is an openability test: nothing runs, no root finding, no SECURITY VIOLATION', () => {
    expect(rules(nginxPair().replace(`"${CHK}"`, '"</var/run/nginx.pid"'))).toEqual([]);
  });

  it('a bare command name run as a non-root account is disabled (find_path: seteuid before setgroups)', () => {
    const text = nginxPair(' user nagios').replace(`"${CHK}"`, '"pidof nginx"');
    const d = lint(text).find((x) => x.rule === 'script-bare-command')!;
    // keepalived only logs it (no config error for -t), so it is a warning, not an error.
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('Permissions failure for script pidof in path - disabling');
    expect(rules(nginxPair(' user root').replace(`"${CHK}"`, '"pidof nginx"'))).not.toContain(
      '6:script-bare-command',
    );
  });

  it('VRRP scripts are not checked without a vrrp_instance (check_vrrp_script_security returns early)', () => {
    const text = conf('vrrp_script chk {', ` script "${CHK}"`, '}');
    expect(rules(text)).not.toContain('1:script-security-disabled');
  });
});

describe('fixes never break a config', () => {
  it('adds script_user and enable_script_security; with the account on the nodes the result is clean', () => {
    const text = nginxPair();
    const fixed = applyEdits(
      text,
      preferredEdits(lint(text, unknown)).flatMap((f) => f.edits),
    );
    expect(fixed).toContain(
      'global_defs {\n script_user keepalived_script\n enable_script_security\n router_id lb1',
    );
    expect(lint(fixed, withAccount).map((d) => d.rule)).toEqual([]);
  });

  it('says the account must exist on every node, with the useradd line', () => {
    const d = lint(nginxPair(), unknown).find((x) => x.rule === 'script-runs-as-root')!;
    expect(d.fixes![0]!.requires).toContain(
      'useradd --system --no-create-home --shell /usr/sbin/nologin keepalived_script',
    );
    expect(d.message).toContain('must exist on every node');
  });

  it('with --this-host, never names an account this machine lacks: no fix, and how to create it', () => {
    const d = lint(nginxPair()).find((x) => x.rule === 'script-runs-as-root')!;
    expect(d.fixes ?? []).toEqual([]);
    expect(d.message).toContain("'keepalived_script' does not exist here, create it first");
    const ok = lint(nginxPair(), {
      security: { host: fixedHost({ keepalived_script: 990 }), scriptUser: 'keepalived_script' },
    });
    expect(ok.find((x) => x.rule === 'script-runs-as-root')).toBeUndefined();
  });

  it('offers no account fix for a bare command name (it would be disabled)', () => {
    const d = lint(nginxPair().replace(`"${CHK}"`, '"pidof nginx"'), unknown).find(
      (x) => x.rule === 'script-runs-as-root',
    )!;
    expect(d.fixes ?? []).toEqual([]);
    expect(d.message).toContain('Give the full path of a script file first');
  });

  it('adds enable_script_security alone only when no script would then be removed', () => {
    const unsafe = lint(nginxPair(), unknown).find((x) => x.rule === 'script-security-disabled')!;
    expect(unsafe.fixes ?? []).toEqual([]);
    const safe = lint(nginxPair(' user nagios'), unknown).find((x) => x.rule === 'script-security-disabled')!;
    expect(safe.fixes![0]!.title).toBe('Add enable_script_security to global_defs');
  });

  it('never adds enable_script_security when a script falls back to root: security would remove it', () => {
    const d = lint(nginxPair()).find((x) => x.rule === 'script-security-disabled')!;
    expect(d.fixes ?? []).toEqual([]);
  });

  it('before 2.3.0 never moves a startup_script off root: a non-root one stops keepalived', () => {
    const text = conf('global_defs {', ' startup_script "/usr/local/bin/up.sh" root', '}');
    const old = lint(text, { ...unknown, keepalivedVersion: '2.2.7' }).find(
      (x) => x.rule === 'script-runs-as-root',
    )!;
    expect(old.fixes ?? []).toEqual([]);
    const d = lint(text, unknown).find((x) => x.rule === 'script-runs-as-root')!;
    expect(d.fixes![0]!.title).toBe('Run as keepalived_script instead of root');
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
      ...requiredLines(),
      '}',
    );
    const d = lint(text, unknown).find((x) => x.rule === 'script-runs-as-root')!;
    expect(applyEdits(text, d.fixes![0]!.edits)).toMatch(
      /^global_defs \{\n {4}script_user keepalived_script\n {4}enable_script_security\n\}\n\nvrrp_script/,
    );
    expect(applyEdits(text, d.fixes![1]!.edits)).toContain(
      '  script "/bin/true"\n  user keepalived_script\n',
    );
  });

  it('puts script_user in a new block at the top when global_defs comes after the scripts (a reload would reset it)', () => {
    const text = conf(
      'vrrp_script chk {',
      '  script "/bin/true"',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      ...requiredLines(),
      '}',
      'global_defs {',
      ' router_id a',
      '}',
    );
    const d = lint(text, unknown).find((x) => x.rule === 'script-runs-as-root')!;
    expect(applyEdits(text, d.fixes![0]!.edits)).toMatch(
      /^global_defs \{\n {4}script_user keepalived_script/,
    );
  });

  it('replaces an explicit root user', () => {
    const text = nginxPair(' user root');
    const fixed = applyEdits(
      text,
      preferredEdits(lint(text, unknown).filter((d) => d.rule === 'script-runs-as-root')).flatMap(
        (f) => f.edits,
      ),
    );
    expect(fixed).toContain(' user keepalived_script');
  });
});

describe('script commands', () => {
  it('flags shell syntax keepalived will pass literally, and offers sh -c', () => {
    const text = nginxPair(' user nagios').replace(`"${CHK}"`, '"/usr/bin/pgrep nginx || exit 1"');
    const d = lint(text).find((x) => x.rule === 'script-shell-syntax')!;
    expect(d.message).toContain("'||' is passed to /usr/bin/pgrep");
    expect(applyEdits(text, d.fixes![0]!.edits)).toContain(
      `script "/bin/sh -c '/usr/bin/pgrep nginx || exit 1'"`,
    );
    expect(
      rules(nginxPair(' user nagios').replace(`"${CHK}"`, `"/bin/sh -c '/usr/bin/pgrep nginx || exit 1'"`)),
    ).not.toContain('6:script-shell-syntax');
  });

  it('a shell operator inside quotes of the command is an ordinary argument', () => {
    const quoted = nginxPair(' user nagios').replace(`"${CHK}"`, `"/usr/bin/pgrep -f 'haproxy|nginx'"`);
    expect(rules(quoted)).not.toContain('6:script-shell-syntax');
    const bare = nginxPair(' user nagios').replace(`"${CHK}"`, `"/usr/bin/pgrep -f haproxy|nginx"`);
    expect(rules(bare)).toContain('6:script-shell-syntax');
  });

  it('flags cleartext VRRP passwords', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' authentication {',
      '  auth_type PASS',
      '  auth_pass secret',
      ' }',
      ...requiredLines(),
      '}',
    );
    expect(rules(text)).toEqual(['3:cleartext-auth']);
    expect(rules(text.replace('PASS', 'AH'))).toEqual([]);
  });
});

describe('script paths: owners and modes (memory file system, whoever runs the tests)', () => {
  const SCRIPT = '/opt/checks/check.sh';
  const findings = (fs: MemoryFileSystem, path = SCRIPT, volatileDirs: string[] = []) =>
    lint(nginxPair().replace(`"${CHK}"`, `"${path}"`), { security: { host, fs, volatileDirs } })
      .filter((d) => d.rule === 'unsafe-script-path')
      .map((d) => d.message);
  const machine = (): MemoryFileSystem => {
    const fs = new MemoryFileSystem();
    fs.write(SCRIPT, '#!/bin/sh\nexit 0\n', 0o100755);
    return fs;
  };

  it('accepts a root-owned script in root-owned folders', () => {
    expect(findings(machine())).toEqual([]);
  });

  it('flags a script owned by another user', () => {
    const fs = machine();
    fs.write(SCRIPT, '#!/bin/sh\n', 0o100755, { uid: 1000 });
    expect(findings(fs).join()).toContain(`${SCRIPT} is owned by uid 1000, not root`);
  });

  it('flags a folder owned by another user, and a group-writable one', () => {
    const owned = machine();
    owned.mkdir('/opt', 0o755, { uid: 1000 });
    expect(findings(owned).join()).toContain('/opt is owned by uid 1000, not root');
    const grouped = machine();
    grouped.mkdir('/opt/checks', 0o775, { gid: 1001 });
    expect(findings(grouped).join()).toContain('folder /opt/checks is writable by group 1001');
    // Group root may write: only root is in it.
    const rootGroup = machine();
    rootGroup.mkdir('/opt/checks', 0o775);
    expect(findings(rootGroup)).toEqual([]);
  });

  it('accepts a world-writable folder with the sticky bit, but flags a script under a volatile folder', () => {
    const fs = machine();
    fs.mkdir('/opt/checks', 0o1777);
    expect(findings(fs)).toEqual([]);
    fs.mkdir('/opt/checks', 0o777);
    expect(findings(fs).join()).toContain('folder /opt/checks is writable by everyone');
    expect(findings(machine(), SCRIPT, ['/opt']).join()).toContain('is under /opt');
  });

  it('follows a symlink into a writable folder', () => {
    const fs = machine();
    fs.mkdir('/srv/shared', 0o777);
    fs.write('/srv/shared/check.sh', '#!/bin/sh\n', 0o100755);
    fs.symlink('/srv/shared/check.sh', '/opt/checks/link.sh');
    expect(findings(fs, '/opt/checks/link.sh').join()).toContain(
      'folder /srv/shared is writable by everyone (the symlink target)',
    );
  });
});

describe('script paths on this machine (real files, metadata only)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kl-sec-'));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'safe'));
  const script = (dir: string, name = 'check.sh') => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, 0o755);
    return path;
  };
  const verdict = (path: string, thisHost = false) =>
    lintHere(nginxPair().replace(`"${CHK}"`, `"${path}"`), {
      security: { host, thisHost, volatileDirs: [] },
    })
      .filter((d) => d.rule === 'unsafe-script-path' || d.rule === 'script-not-found')
      .map((d) => d.message);

  it('reads owners and modes from the real file system', () => {
    const dir = join(root, 'worldw');
    const path = script(dir);
    chmodSync(dir, 0o777);
    expect(verdict(path).join()).toContain(`folder ${dir} is writable by everyone`);
  });

  it('is seen by lintFile only when it is handed the machine: by default no file and no account', () => {
    const dir = join(root, 'unseen');
    const path = script(dir);
    chmodSync(dir, 0o777);
    const analyzed = (text: string) => analyzeText('/etc/keepalived/keepalived.conf', text);
    const ids = (text: string, options: LintOptions) => lintFile(analyzed(text), options).map((d) => d.rule);
    // --this-host without a host given: accounts unknown, not this machine's /etc/passwd.
    const named = nginxPair(' user nobody_here_at_all');
    expect(ids(named, { security: { thisHost: true, volatileDirs: [] } })).not.toContain(
      'script-account-missing',
    );
    expect(ids(named, { security: { thisHost: true, volatileDirs: [], host } })).toContain(
      'script-account-missing',
    );
    // No file system given: the script's folder is not looked at.
    const rooted = nginxPair().replace(`"${CHK}"`, `"${path}"`);
    expect(ids(rooted, { security: { host, volatileDirs: [] } })).not.toContain('unsafe-script-path');
    expect(ids(rooted, { security: { host, volatileDirs: [], fs: nodeFileSystem } })).toContain(
      'unsafe-script-path',
    );
  });

  it('follows a symlink into a writable folder', () => {
    const target = script(join(root, 'writable'));
    chmodSync(join(root, 'writable'), 0o777);
    const link = join(root, 'safe', 'link.sh');
    symlinkSync(target, link);
    expect(verdict(link).join()).toContain('writable by everyone (the symlink target)');
  });

  it('resolves bare commands through PATH and reports missing scripts only for this host', () => {
    const dir = join(root, 'bin');
    script(dir, 'mycheck');
    chmodSync(dir, 0o777);
    const pathHost = fixedHost({ root: 0 }, [dir]);
    const found = lintHere(nginxPair().replace(`"${CHK}"`, '"mycheck --fast"'), {
      security: { host: pathHost, volatileDirs: [] },
    });
    expect(found.find((d) => d.rule === 'unsafe-script-path')?.message).toContain(
      `found through PATH at ${join(dir, 'mycheck')}`,
    );
    expect(verdict(join(root, 'nope.sh'))).toEqual([]);
    expect(verdict(join(root, 'nope.sh'), true)[0]).toContain('does not exist on this machine');
  });

  const fate = (path: string, extra: LintOptions = {}, scriptExtra = ' user nagios') =>
    lintHere(nginxPair(scriptExtra).replace(`"${CHK}"`, `"${path}"`), {
      ...extra,
      security: { host, thisHost: true, volatileDirs: [], ...extra.security },
    }).map((d) => d.rule);

  it('a file the account cannot execute is disabled (is_executable: other bits for a non-owner)', () => {
    const path = script(join(root, 'noexec'));
    chmodSync(path, 0o744);
    expect(fate(path)).toContain('script-not-executable');
    chmodSync(path, 0o755);
    expect(fate(path)).not.toContain('script-not-executable');
  });

  it('a file with neither #! nor an ELF header can never be executed (ENOEXEC, no libmagic in 2.2.7)', () => {
    const path = script(join(root, 'noshebang'));
    writeFileSync(path, 'pgrep nginx\n');
    expect(fate(path)).toContain('script-no-shebang');
    const d = lintHere(nginxPair(' user nagios').replace(`"${CHK}"`, `"${path}"`), {
      security: { host, thisHost: true, volatileDirs: [] },
    }).find((x) => x.rule === 'script-no-shebang')!;
    // notify.c: the child logs "Error exec-ing command" and exits 0, so the check never fails.
    expect(d.message).toContain('passes every time');
    writeFileSync(path, '#!/bin/sh\npgrep nginx\n');
    expect(fate(path)).not.toContain('script-no-shebang');
  });

  it('before 2.3.0 a symlink to a program of another name runs under the target name (replace_cmd_name)', () => {
    const target = script(join(root, 'multicall'), 'killall5');
    const link = join(root, 'safe', 'pidof');
    symlinkSync(target, link);
    expect(fate(link, { keepalivedVersion: '2.2.7' })).toContain('script-symlink-renamed');
    expect(fate(link, { keepalivedVersion: '2.3.0' })).not.toContain('script-symlink-renamed');
    expect(fate(target, { keepalivedVersion: '2.2.7' })).not.toContain('script-symlink-renamed');
  });

  it('before 2.3.0 a non-root startup_script stops keepalived (main_pid != getppid() sends SIGTERM)', () => {
    const text = (user: string) =>
      conf('global_defs {', ` startup_script "/usr/local/bin/up.sh"${user}`, '}');
    const ids = (user: string, keepalivedVersion: string) =>
      lintHere(text(user), { keepalivedVersion }).map((d) => d.rule);
    expect(ids(' nagios', '2.2.7')).toContain('startup-script-kills-keepalived');
    expect(ids(' nagios', '2.3.0')).not.toContain('startup-script-kills-keepalived');
    expect(ids('', '2.2.7')).not.toContain('startup-script-kills-keepalived');
    // Nodes unknown: it depends on whether they have keepalived_script, so a warning that says so.
    const maybe = lintHere(text(''), { ...unknown, keepalivedVersion: '2.2.7' }).find(
      (d) => d.rule === 'startup-script-kills-keepalived',
    )!;
    expect(maybe.severity).toBe('warning');
    expect(maybe.message).toContain("on every node with a 'keepalived_script' account");
  });

  it('never runs a script: a canary that would leave a mark stays untouched', () => {
    const mark = join(root, 'canary-ran');
    const canary = join(root, 'safe', 'canary.sh');
    writeFileSync(canary, `#!/bin/sh\ntouch ${mark}\n`);
    chmodSync(canary, 0o755);
    const config = join(root, 'canary.conf');
    writeFileSync(
      config,
      nginxPair(` user nagios`, '', ` notify_master "${canary}"`).replace(`"${CHK}"`, `"${canary}"`),
    );
    lintHere(nginxPair().replace(`"${CHK}"`, `"${canary}"`), { security: { host, thisHost: true } });
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
      ...requiredLines(),
      '}',
    );
    expect(rulesHere(text)).toEqual(['3:insecure-key-file']);
    execFileSync('chmod', ['600', key]);
    expect(rulesHere(text)).toEqual([]);
  });
});
