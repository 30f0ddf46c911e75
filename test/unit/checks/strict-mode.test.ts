// strict-mode-override: what keepalived 2.2.7 changes in strict mode and on VRRPv3 (vrrp.c
// vrrp_complete_instance l.2913-2966, l.3150-3160); the first three confirmed with keepalived -t.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

const instance = (lines: string[], global: string[] = ['vrrp_strict']) =>
  [
    'global_defs {',
    ...global.map((l) => `    ${l}`),
    '}',
    'vrrp_instance VI_1 {',
    '    interface eth0',
    '    virtual_router_id 51',
    ...lines.map((l) => `    ${l}`),
    '    virtual_ipaddress {',
    '        192.0.2.10/24',
    '    }',
    '}',
    '',
  ].join('\n');

function found(text: string): string[] {
  const file = analyzeText('/t/keepalived.conf', text);
  return lintFile(file)
    .filter((d) => d.rule === 'strict-mode-override' || d.rule === 'cleartext-auth')
    .map((d) => `${d.range.start.line + 1} ${d.rule} ${d.message.split(':')[0]}`);
}

const auth = ['authentication {', '    auth_type PASS', '    auth_pass secret', '}'];

describe('strict-mode-override', () => {
  it('reports each override on its line, and no cleartext password where none is sent', () => {
    expect(
      found(
        instance(['state MASTER', 'priority 100', 'accept', ...auth, 'unicast_peer {', '    192.0.2.2', '}']),
      ),
    ).toEqual([
      '7 strict-mode-override In strict mode state MASTER must go with priority 255 (the address owner)',
      "9 strict-mode-override 'accept' is not allowed for a non-owner in strict mode with VRRP version 2",
      "11 strict-mode-override 'VI_1' runs in strict mode, which does not support authentication",
      '14 strict-mode-override Strict mode does not allow unicast peers',
    ]);
  });

  it('follows the instance’s own strict_mode over the global setting', () => {
    expect(found(instance(['strict_mode off', 'state MASTER', 'priority 100']))).toEqual([]);
    expect(found(instance(['strict_mode', 'state MASTER', 'priority 100'], []))).toHaveLength(1);
    expect(found(instance(['strict_mode on', 'state MASTER', 'priority 255']))).toEqual([]);
  });

  it('VRRPv3 drops authentication outside strict mode; version 2 sends the password in clear', () => {
    expect(found(instance(['version 3', ...auth], []))).toEqual([
      "8 strict-mode-override 'VI_1' speaks VRRP version 3, which has no authentication",
    ]);
    expect(found(instance(auth, []))).toEqual([
      '7 cleartext-auth auth_type PASS sends the password in clear text in every VRRP advertisement, so anyone on the segment can read it and forge adverts. Prefer unicast peers and a firewall that only accepts VRRP from your nodes.'.split(
        ':',
      )[0]!,
    ]);
  });

  it('accept is fine for the owner, and with VRRPv3', () => {
    expect(found(instance(['state MASTER', 'priority 255', 'accept']))).toEqual([]);
    expect(found(instance(['state BACKUP', 'priority 100', 'version 3', 'accept']))).toEqual([]);
  });
});

describe('instance settings strict mode resets (vrrp.c l.3139-3143, l.3204-3235, checked with keepalived -t 2.2.7)', () => {
  const resets = (lines: string[], global?: string[]) =>
    lintFile(analyzeText('/t/keepalived.conf', instance(['state BACKUP', 'priority 100', ...lines], global)))
      .filter((d) => d.rule === 'strict-mode-override')
      .map((d) => /reports "\(VI_1\) ([^"]*)"/.exec(d.message)?.[1]);

  it('reports each one written on the instance with a value strict mode does not allow', () => {
    expect(
      resets([
        'garp_lower_prio_repeat 2',
        'garp_lower_prio_delay 5',
        'lower_prio_no_advert false',
        'higher_prio_send_advert',
        'down_timer_adverts 5',
      ]),
    ).toEqual([
      'Strict mode requires no repeat garps. resetting',
      'Strict mode requires no repeat garp delay. resetting',
      'Strict mode requires no lower priority advert. resetting',
      'strict mode requires higher_prio_send_advert to be clear. resetting',
      'down_timer_adverts is incompatible with strict mode - resetting',
    ]);
  });

  it('says nothing of the values strict mode keeps, or outside strict mode', () => {
    const kept = [
      'garp_lower_prio_repeat 0',
      'lower_prio_no_advert',
      'higher_prio_send_advert false',
      'down_timer_adverts 3',
    ];
    expect(resets(kept)).toEqual([]);
    expect(resets(['garp_lower_prio_repeat 2', 'down_timer_adverts 5'], [])).toEqual([]);
  });
});

describe('strict mode and IPv6, and the owner a state MASTER makes (each case checked with keepalived -t 2.2.7)', () => {
  const v6 = (lines: string[], vips: string[]) =>
    [
      'global_defs {',
      '    vrrp_strict',
      '}',
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    virtual_router_id 51',
      ...lines.map((l) => `    ${l}`),
      '    virtual_ipaddress {',
      ...vips.map((v) => `        ${v}`),
      '    }',
      '}',
      '',
    ].join('\n');
  const messages = (text: string) =>
    lintFile(analyzeText('/t/keepalived.conf', text))
      .filter((d) => d.rule === 'strict-mode-override')
      .map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`);

  it('says version 2 becomes 3, and that the first IPv6 VIP must be link-local', () => {
    expect(messages(v6(['version 2'], ['2001:db8::1', 'fe80::1']))).toEqual([
      '7 (VI_1) cannot use IPv6 with VRRP version 2; setting version 3',
      '9 (VI_1) the first IPv6 VIP address must be link local',
    ]);
    expect(messages(v6([], ['fe80::1', '2001:db8::1']))).toEqual([]);
    // Outside strict mode keepalived only logs that it should be (LOG_INFO), and keeps version 2.
    expect(messages(v6(['version 2'], ['2001:db8::1']).replace('    vrrp_strict\n', ''))).toEqual([]);
  });

  it('state MASTER without a priority line is the owner: nothing to say', () => {
    expect(messages(instance(['state MASTER']))).toEqual([]);
    expect(messages(instance(['state MASTER', 'priority 100']))).toEqual([
      '7 (VI_1) State MASTER must match being address owner',
    ]);
  });
});

describe('the family and version the handlers leave (checked with keepalived -t 2.2.7)', () => {
  const strict = (...lines: string[]) =>
    [
      'global_defs {',
      '    vrrp_strict',
      '}',
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    virtual_router_id 51',
      ...lines.map((l) => `    ${l}`),
      '}',
      '',
    ].join('\n');
  const says = (text: string) =>
    lintFile(analyzeText('/t/keepalived.conf', text))
      .filter((d) => d.rule === 'strict-mode-override')
      .map((d) => /reports "([^"]*)"/.exec(d.message)?.[1]);

  it('version 2 after an IPv6 address is ignored by its handler, not changed later', () => {
    expect(says(strict('virtual_ipaddress {', '    fe80::1', '}', 'version 2'))).toEqual([]);
  });

  it('says that the handler ignores that version 2 line (setting-overridden)', () => {
    const ignored = (text: string) =>
      lintFile(analyzeText('/t/keepalived.conf', text))
        .filter((d) => d.rule === 'setting-overridden')
        .map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`);
    expect(ignored(strict('virtual_ipaddress {', '    fe80::1', '}', 'version 2'))).toEqual([
      '10 vrrp_version 2 conflicts with configured or deduced version 0; ignoring.',
    ]);
    // native_ipv6 also sets version 3 (vrrp_native_ipv6_handler).
    expect(ignored(strict('native_ipv6', 'version 2', 'virtual_ipaddress {', '    fe80::1', '}'))).toEqual([
      '8 vrrp_version 2 conflicts with configured or deduced version 3; ignoring.',
    ]);
  });

  it('the first address of any kind sets the family; fe8::4 is not link-local', () => {
    expect(
      says(
        strict(
          'mcast_src_ip 2001:db8::9',
          'virtual_ipaddress {',
          '    10.0.0.3/24',
          '    2001:db8::3/64',
          '}',
        ),
      ),
    ).toEqual(['(VI_1) the first IPv6 VIP address must be link local']);
    expect(says(strict('virtual_ipaddress {', '    fe8::4', '}'))).toEqual([
      '(VI_1) the first IPv6 VIP address must be link local',
    ]);
  });
});

describe('a use_vmac MAC address in strict mode', () => {
  // keepalived -t 2.2.7 said "(VI_1): cannot specify MAC address with strict mode - clearing" (exit 5) for
  // the first, and only "VMAC MAC address is multicast ..." for the refused address of the second.
  it('is cleared when keepalived took it', () => {
    expect(found(instance(['use_vmac vrrp.51 02:11:22:33:44:55']))).toEqual([
      "7 strict-mode-override 'VI_1' runs in strict mode, which does not allow a VMAC address of your own",
    ]);
    expect(found(instance(['use_vmac 01:11:22:33:44:55 02:11:22:33:44']))).toHaveLength(1);
  });

  it('is not reported when keepalived refused it, or outside strict mode', () => {
    expect(found(instance(['use_vmac vrrp.51 01:11:22:33:44:55']))).toEqual([]);
    expect(found(instance(['use_vmac vrrp.51 02:11:22:33:44:55'], []))).toEqual([]);
    expect(found(instance(['use_vmac vrrp.51']))).toEqual([]);
  });
});

describe('unicast peers in strict mode', () => {
  const lint = (text: string, keepalivedVersion?: string) =>
    lintFile(analyzeText('/t/keepalived.conf', text, { keepalivedVersion })).filter(
      (d) => d.rule === 'strict-mode-override',
    );
  const peers = instance(['unicast_peer {', '    192.0.2.2', '}']);

  it('stop the VRRP process before 2.2.5 and from 2.4.0', () => {
    expect(lint(peers).map((d) => d.severity)).toEqual(['warning']);
    expect(lint(peers, '2.2.4')[0]!.message).toContain('Unicast peers are not supported in strict mode');
  });

  it('are not enforced from 2.2.5 to 2.3.x (the 2.2.7 daemon ran such an instance), which an info says', () => {
    const found = lint(peers, '2.2.7');
    expect(found.map((d) => d.severity)).toEqual(['info']);
    expect(found[0]!.message).toContain('does not enforce it');
    expect(lint(peers, '2.3.4').map((d) => d.severity)).toEqual(['info']);
  });

  it('are not reported for an empty unicast_peer block (no peers, so no unicast)', () => {
    expect(lint(instance(['unicast_peer {', '}']))).toEqual([]);
  });
});

describe('strict mode read per node', () => {
  // keepalived -t -i a and -i b 2.2.7 both said nothing about the MAC address: no node has both lines.
  it('does not combine lines of different config ids', () => {
    const text = [
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    virtual_router_id 51',
      '@a  strict_mode on',
      '@b  use_vmac 02:00:00:00:00:01',
      '    virtual_ipaddress {',
      '        192.0.2.10/24',
      '    }',
      '}',
      '',
    ].join('\n');
    expect(found(text)).toEqual([]);
    expect(found(text.replace('@b  use_vmac', '    use_vmac'))).toHaveLength(1);
  });
});
