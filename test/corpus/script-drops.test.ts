// scriptDrops() (scripts/oracle.mjs): which scripts keepalived 2.2.7 drops, disables or removes, read from
// what `keepalived -t` prints and from what it only logs (captured by the oracle's shim). Checked on the
// real output of small configs written for each case, and on the source's own wording of every message.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  keepalivedAvailable,
  oracleIsolation,
  oracleShim,
  runOracle,
  SCRIPT_DROPS,
  scriptDrops,
  // @ts-expect-error plain ES module without types
} from '../../scripts/oracle.mjs';

interface Drop {
  kind: string;
  name: string;
  text: string;
  line?: number;
  type?: string;
}
interface Result {
  killed: boolean;
  signal: string | null;
  messages: { line?: number; text: string }[];
  log: string[] | null;
}
/** A drop we expect, and whether -t prints it (else only the captured log has it). */
interface Expected {
  kind: string;
  name: string;
  printed: boolean;
  type?: string;
}

const NO_USER = 'kl-no-such-user';
const instance = (track: string[], extra = '') => `vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 100
  virtual_ipaddress {
    192.0.2.10
  }
  track_script {
${track.map((t) => `    ${t}`).join('\n')}
  }
${extra}}
`;
const realServer = (checks: string) => `virtual_server 192.0.2.20 80 {
  protocol TCP
  real_server 192.0.2.21 80 {
${checks}  }
}
`;

/** Each case: a config, and the drops keepalived makes of it. */
const cases = (dir: string): { name: string; config: string; drops: Expected[] }[] => [
  {
    name: 'a vrrp_script whose user does not exist',
    config: `vrrp_script chk_user {\n  script "/bin/true"\n  user ${NO_USER}\n}\n` + instance(['chk_user']),
    drops: [{ kind: 'vrrp-script-bad-user', name: '/bin/true', printed: true }],
  },
  {
    name: 'a vrrp_script without a script',
    config: `vrrp_script chk_empty {\n  interval 2\n}\n` + instance(['chk_empty']),
    drops: [{ kind: 'vrrp-script-no-script', name: 'chk_empty', printed: true }],
  },
  {
    name: 'scripts without a user when script_user does not exist',
    config:
      `global_defs {\n  script_user ${NO_USER}\n}\n` +
      `vrrp_script chk_default {\n  script "/bin/true"\n}\n` +
      realServer(`    MISC_CHECK {\n      misc_path "/bin/true --check"\n    }\n`) +
      instance(['chk_default'], '  notify_master "/bin/true master"\n'),
    drops: [
      { kind: 'vrrp-script-no-default-user', name: 'chk_default', printed: true },
      { kind: 'misc-script-no-default-user', name: '/bin/true', printed: true },
      { kind: 'script-no-default-user', name: '/bin/true', type: 'notify', printed: false },
    ],
  },
  {
    name: 'a notify_master whose argument is not quoted (keepalived reads it as the user)',
    config:
      `vrrp_script chk_ok {\n  script "/bin/true"\n}\n` +
      instance(['chk_ok'], '  notify_master /bin/true master\n'),
    drops: [{ kind: 'script-bad-user', name: '/bin/true', type: 'notify', printed: false }],
  },
  {
    // 2.2.7's find_path() calls seteuid() before setgroups(), which then fails with EPERM: every bare
    // command that runs as a non-root user is disabled ("Permissions failure ... in path").
    name: 'a bare command run as nobody',
    config: `vrrp_script chk_pidof {\n  script "pidof nginx"\n  user nobody\n}\n` + instance(['chk_pidof']),
    drops: [
      { kind: 'script-path-permissions', name: 'pidof', printed: false },
      { kind: 'track-script-not-found', name: 'chk_pidof', printed: true },
    ],
  },
  {
    // Without the shim, -t is killed right after checking chk_true (non-root) and never reaches chk_missing.
    name: 'a missing script file after a script that runs as nobody',
    config:
      `vrrp_script chk_true {\n  script "/bin/true"\n  user nobody\n}\n` +
      `vrrp_script chk_missing {\n  script "/nonexistent/check.sh"\n}\n` +
      instance(['chk_true', 'chk_missing']),
    drops: [
      { kind: 'script-inaccessible', name: '/nonexistent/check.sh', printed: false },
      { kind: 'track-script-not-found', name: 'chk_missing', printed: true },
    ],
  },
  {
    name: 'insecure, non-executable and missing scripts with script security',
    config:
      `global_defs {\n  script_user root\n  enable_script_security\n}\n` +
      `vrrp_script chk_noexec {\n  script "${dir}/noexec.sh"\n}\n` +
      `vrrp_script chk_unsafe {\n  script "${dir}/unsafe.sh"\n}\n` +
      `vrrp_script chk_nocmd {\n  script "kl-no-such-command --x"\n}\n` +
      realServer(
        `    MISC_CHECK {\n      misc_path "/nonexistent/misc.sh"\n    }\n` +
          `    MISC_CHECK {\n      misc_path "/bin/true"\n      user ${NO_USER}\n    }\n`,
      ) +
      instance(['chk_noexec', 'chk_unsafe', 'chk_nocmd']),
    drops: [
      { kind: 'misc-script-bad-user', name: '/bin/true', printed: true },
      { kind: 'track-script-insecure', name: 'chk_unsafe', printed: true },
      { kind: 'track-script-not-found', name: 'chk_nocmd', printed: true },
      { kind: 'script-not-executable', name: `${dir}/noexec.sh`, printed: false },
      { kind: 'script-unsafe-permissions', name: `${dir}/unsafe.sh`, printed: false },
      { kind: 'script-not-in-path', name: 'kl-no-such-command', printed: false },
      { kind: 'misc-script-not-found', name: '/nonexistent/misc.sh', printed: false },
      { kind: 'script-inaccessible', name: '/nonexistent/misc.sh', printed: false },
    ],
  },
];

const pick = (drops: Drop[]) =>
  drops.map((d) => ({ kind: d.kind, name: d.name, ...(d.type ? { type: d.type } : {}) }));
const want = (drops: Expected[]) => drops.map(({ printed: _, ...d }) => d);

// Needs root (the namespace, and keepalived checking scripts as other users) and keepalived.
const isolated = keepalivedAvailable() && (oracleIsolation() as { isolated: boolean }).isolated;

describe('scriptDrops', () => {
  it.skipIf(!isolated)('finds every script keepalived -t drops in small configs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-drops-'));
    writeFileSync(join(dir, 'noexec.sh'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'noexec.sh'), 0o644);
    writeFileSync(join(dir, 'unsafe.sh'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'unsafe.sh'), 0o777);
    const shim = (oracleShim() as { path: string | null }).path !== null;
    const problems: string[] = [];
    cases(dir).forEach((c, i) => {
      const file = join(dir, `case-${i}.conf`);
      writeFileSync(file, c.config);
      const r = runOracle(file) as Result;
      if (r.killed) {
        if (shim) problems.push(`${c.name}: killed although the shim was loaded`);
        return;
      }
      const printed = pick(scriptDrops(r.messages) as Drop[]);
      const all = pick(scriptDrops([...r.messages, ...(r.log ?? [])]) as Drop[]);
      // What -t prints must be found in its messages alone; the rest only if the log was captured.
      const expected = want(c.drops.filter((d) => d.printed || r.log));
      for (const e of expected)
        if (!all.some((d) => JSON.stringify(d) === JSON.stringify(e)))
          problems.push(`${c.name}: missing ${JSON.stringify(e)} in ${JSON.stringify(all)}`);
      for (const e of want(c.drops.filter((d) => d.printed)))
        if (!printed.some((d) => JSON.stringify(d) === JSON.stringify(e)))
          problems.push(`${c.name}: ${JSON.stringify(e)} is not in what -t prints`);
      if (!shim) return;
      expect(r.log, `${c.name}: the shim did not capture keepalived's log`).not.toBeNull();
    });
    expect(problems).toEqual([]);
  });

  it.skipIf(!isolated)(
    'keepalived 2.2.7 -t kills itself at the first non-root script unless the shim is loaded',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kl-drops-'));
      const file = join(dir, 'kill.conf');
      writeFileSync(file, cases(dir)[5]!.config);
      // Same namespace as the oracle, without the shim.
      const r = spawnSync(
        'unshare',
        [
          '-n',
          'sh',
          '-c',
          'ip link add name eth0 type bridge && exec "$@"',
          'sh',
          'keepalived',
          '-t',
          '-l',
          '-D',
          '-f',
          file,
        ],
        { cwd: dir, encoding: 'utf8', timeout: 15000 },
      );
      expect(r.signal).toBe('SIGTERM');
      expect(r.stderr).not.toContain('chk_missing');
      const o = runOracle(file) as Result;
      if ((oracleShim() as { path: string | null }).path) {
        expect(o.killed).toBe(false);
        expect(o.messages.map((m) => m.text)).toContain(
          'Disabling track script chk_missing since not found/accessible',
        );
      } else expect(o.killed).toBe(true);
    },
  );

  it("reads every drop message as keepalived 2.2.7's source words it", () => {
    // Each text is the source's format string (file:line in SCRIPT_DROPS) with its %s/%u filled in;
    // cmd_str() prints each word of the command in single quotes.
    const texts: [string, Omit<Drop, 'text'>][] = [
      [
        '(Line 6) Unable to set default user for vrrp script chk - removing',
        { kind: 'vrrp-script-no-default-user', name: 'chk', line: 6 },
      ],
      [
        "(Line 3) Unable to set uid/gid for script '/bin/check' 'a b'",
        { kind: 'vrrp-script-bad-user', name: '/bin/check', line: 3 },
      ],
      ['(Line 2) Unable to set uid/gid for script', { kind: 'vrrp-script-bad-user', name: '', line: 2 }],
      [
        '(Line 4) No script set for vrrp_script chk - removing',
        { kind: 'vrrp-script-no-script', name: 'chk', line: 4 },
      ],
      [
        'Disabling track script chk since not found/accessible',
        { kind: 'track-script-not-found', name: 'chk' },
      ],
      ['Disabling track script chk due to insecure', { kind: 'track-script-insecure', name: 'chk' }],
      [
        "Failed to set uid/gid for misc checker script '/bin/check' - removing",
        { kind: 'misc-script-bad-user', name: '/bin/check' },
      ],
      [
        "Unable to set default user for misc script '/bin/check' '-x' - removing",
        { kind: 'misc-script-no-default-user', name: '/bin/check' },
      ],
      [
        "Disabling misc script '/bin/check' due to insecure",
        { kind: 'misc-script-insecure', name: '/bin/check' },
      ],
      [
        "Disabling misc script '/bin/check' since not found/accessible",
        { kind: 'misc-script-not-found', name: '/bin/check' },
      ],
      [
        'Invalid user/group for notify script /bin/check - ignoring',
        { kind: 'script-bad-user', name: '/bin/check', type: 'notify' },
      ],
      [
        'Failed to set default user for startup script /bin/check - ignoring',
        { kind: 'script-no-default-user', name: '/bin/check', type: 'startup' },
      ],
      ['Cannot find script check in path - disabling', { kind: 'script-not-in-path', name: 'check' }],
      [
        'Permissions failure for script check in path - disabling',
        { kind: 'script-path-permissions', name: 'check' },
      ],
      [
        'Unable to set uid:gid 65534:65534 for script /bin/check - disabling',
        { kind: 'script-uid-gid', name: '/bin/check' },
      ],
      [
        'Script /bin/check cannot be accessed - No such file or directory',
        { kind: 'script-inaccessible', name: '/bin/check' },
      ],
      ['Unable to access script `/bin/check` - disabling', { kind: 'script-no-stat', name: '/bin/check' }],
      [
        "WARNING - script '/bin/check' is not executable for uid:gid 65534:65534 - disabling.",
        { kind: 'script-not-executable', name: '/bin/check' },
      ],
      [
        "check_script_secure could not find script '/bin/check' - disabling",
        { kind: 'script-not-found', name: '/bin/check' },
      ],
      [
        "check_script_secure('/bin/check') returned errno 5 - Input/output error - disabling",
        { kind: 'script-stat-error', name: '/bin/check' },
      ],
      [
        "Wrong file type found in script path '/bin/check'.",
        { kind: 'script-wrong-file-type', name: '/bin/check' },
      ],
      [
        "Unsafe permissions found for script '/bin/check' - disabling.",
        { kind: 'script-unsafe-permissions', name: '/bin/check' },
      ],
    ];
    const drops = scriptDrops(texts.map(([t]) => t)) as Drop[];
    expect(drops.map(({ text: _, ...d }) => d)).toEqual(texts.map(([, d]) => d));
    // Every pattern is exercised.
    expect(new Set(drops.map((d) => d.kind))).toEqual(
      new Set((SCRIPT_DROPS as { kind: string }[]).map((d) => d.kind)),
    );
    // Line numbers come from the message objects of runOracle too.
    expect(scriptDrops([{ line: 9, text: 'Disabling track script chk due to insecure' }])).toEqual([
      {
        kind: 'track-script-insecure',
        name: 'chk',
        text: 'Disabling track script chk due to insecure',
        line: 9,
      },
    ]);
  });

  it('does not read messages that drop nothing as drops', () => {
    expect(
      scriptDrops([
        'SECURITY VIOLATION - scripts are being executed but script_security not enabled.',
        "Script user 'nobody2' does not exist",
        "Unsafe permissions found for script '/bin/check'.", // without script security it still runs
        'WARNING - script `pidof` resolved by path search to `/usr/bin/pidof`. Please specify full path.',
        '(VI_1) track script chk not found, ignoring...',
        'Unable to set default user keepalived_script for script',
      ]),
    ).toEqual([]);
  });
});
