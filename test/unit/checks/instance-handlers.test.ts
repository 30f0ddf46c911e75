// What a vrrp_instance's handlers refuse because of an earlier line (keepalived 2.2.7 vrrp_parser.c,
// vrrp_data.c): an address of the other family, a second VMAC name, a VMAC name another instance took.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const RULES = new Set(['address-family-mismatch', 'vmac-setting-ignored']);
const found = (text: string, configId?: string) =>
  lint(text, { configId })
    .filter((d) => RULES.has(d.rule))
    .map((d) => `${d.range.start.line + 1}:${d.rule}`);

const instance = (name: string, ...lines: string[]) =>
  conf(`vrrp_instance ${name} {`, '  interface eth0', '  virtual_router_id 5', ...lines, '}');

describe('address family of a VRRP instance', () => {
  it('skips a VIP of the other family than the first one', () => {
    const text = instance('VI_1', '  virtual_ipaddress {', '    10.0.0.1/24', '    2001:db8::1', '  }');
    expect(found(text)).toEqual(['6:address-family-mismatch']);
    const d = lint(text).find((x) => x.rule === 'address-family-mismatch')!;
    expect(d.message).toContain('address family must match VRRP instance [2001:db8::1] - ignoring');
    expect(d.message).toContain('line 5');
  });

  it('says nothing when every address has one family', () => {
    expect(
      found(instance('VI_1', '  virtual_ipaddress {', '    2001:db8::1/64', '    fe80::1', '  }')),
    ).toEqual([]);
    // virtual_ipaddress_excluded is not compared with the instance's family
    expect(
      found(
        instance(
          'VI_1',
          '  virtual_ipaddress {',
          '    10.0.0.1',
          '  }',
          '  virtual_ipaddress_excluded {',
          '    2001:db8::1',
          '  }',
        ),
      ),
    ).toEqual([]);
  });

  it('takes the family from the first address of any kind: source, peer, native_ipv6', () => {
    expect(
      found(instance('VI_1', '  unicast_src_ip 10.0.0.2', '  unicast_peer {', '    2001:db8::2', '  }')),
    ).toEqual(['6:address-family-mismatch']);
    expect(found(instance('VI_1', '  native_ipv6', '  virtual_ipaddress {', '    10.0.0.1', '  }'))).toEqual([
      '6:address-family-mismatch',
    ]);
    expect(found(instance('VI_1', '  mcast_src_ip 10.0.0.2', '  native_ipv6'))).toEqual([
      '5:address-family-mismatch',
    ]);
    // an unreadable address sets no family
    expect(
      found(instance('VI_1', '  virtual_ipaddress {', '    300.0.0.1', '    2001:db8::1', '  }')),
    ).toEqual([]);
  });

  it('judges the lines where keepalived reads them: a block a missing } pulls into the instance', () => {
    const a = (close: string) =>
      conf(
        'vrrp_instance A {',
        '  interface eth0',
        '  virtual_router_id 5',
        '  virtual_ipaddress {',
        '    10.0.0.1',
        close,
        '}',
      );
    const b = instance('B', '  virtual_ipaddress {', '    2001:db8::1', '  }');
    // without the first '}', B's lines are read in A, and its IPv6 address is A's
    expect(found(a('') + b)).toEqual(['12:address-family-mismatch']);
    expect(found(a('  }') + b)).toEqual([]);
  });

  it('does not judge alternatives for different nodes, but does for a given node', () => {
    const text = instance(
      'VI_1',
      '  virtual_ipaddress {',
      '@a    10.0.0.1',
      '@b    2001:db8::5',
      '    2001:db8::1',
      '  }',
    );
    expect(found(text)).toEqual([]);
    expect(found(text, 'a')).toEqual(['7:address-family-mismatch']);
    expect(found(text, 'b')).toEqual([]);
  });
});

describe('use_vmac names and addresses', () => {
  it('keeps the first name of an instance', () => {
    expect(found(instance('VI_1', '  use_vmac vrrp.1', '  use_vmac vrrp.2'))).toEqual([
      '5:vmac-setting-ignored',
    ]);
    expect(found(instance('VI_1', '  use_vmac vrrp.1 02:00:00:00:00:01'))).toEqual([]);
    expect(found(instance('VI_1', '  use_vmac 02:00:00:00:00:01', '  use_vmac 02:00:00:00:00:02'))).toEqual([
      '5:vmac-setting-ignored',
    ]);
  });

  it('refuses a name an earlier instance uses', () => {
    const text = instance('VI_1', '  use_vmac vrrp.1') + instance('VI_2', '  use_vmac vrrp.1');
    expect(found(text)).toEqual(['9:vmac-setting-ignored']);
    expect(lint(text).find((d) => d.rule === 'vmac-setting-ignored')!.message).toContain(
      '(VI_2) VRRP instance VI_1 is already using vrrp.1 - ignoring name',
    );
    expect(found(instance('VI_1', '  use_vmac vrrp.1') + instance('VI_2', '  use_vmac vrrp.2'))).toEqual([]);
    // a bare use_vmac names nothing
    expect(found(instance('VI_1', '  use_vmac') + instance('VI_2', '  use_vmac'))).toEqual([]);
  });
});

describe('use_vmac MAC addresses keepalived refuses', () => {
  // Each message is what keepalived -t 2.2.7 printed for `use_vmac vrrp.51 ADDRESS` (exit 5); the addresses
  // taken (exit 0, no message) are in the last list.
  const says = (address: string) =>
    lint(instance('VI_1', `  use_vmac vrrp.51 ${address}`))
      .filter((d) => d.rule === 'vmac-setting-ignored')
      .map((d) => /reports "([^"]*)"/.exec(d.message)?.[1]);

  it('words each refusal as keepalived does', () => {
    expect(says('01:11:22:33:44:55')).toEqual(['VMAC MAC address is multicast 01:11:22:33:44:55 - ignoring']);
    expect(says('00:00:5e:00:01:05')).toEqual([
      'VMAC MAC address not allowed to be RFC5798 address (00:00:5e:00:01:05) - ignoring',
    ]);
    expect(says('00:00:5E:00:02')).toEqual([
      'VMAC MAC address not allowed to be RFC5798 address (00:00:5E:00:02) - ignoring',
    ]);
    expect(says('0g:11:22:33:44:55')).toEqual(['VMAC invalid MAC address 0g:11:22:33:44:55']);
    expect(says('001:11:22:33:44:55')).toEqual(['VMAC invalid MAC address 001:11:22:33:44:55 - ignored']);
    expect(says('00:11:22:33:')).toEqual(['VMAC invalid MAC address 00:11:22:33: - ignored']);
  });

  it('takes six octets, five (the VRID is the sixth), and ignores what follows the sixth', () => {
    for (const taken of ['00:11:22:33:44:55', '00:11:22:33:44', '00:11:22:33:44:55:66', '00:00:5e:00:03:01'])
      expect(says(taken)).toEqual([]);
  });

  it('lets an address follow one it refused', () => {
    const text = instance('VI_1', '  use_vmac 01:11:22:33:44:55 02:11:22:33:44:55');
    expect(found(text)).toEqual(['4:vmac-setting-ignored']);
    expect(lint(text).find((d) => d.rule === 'vmac-setting-ignored')!.message).toContain('is multicast');
  });
});

describe('a refused five-octet use_vmac address', () => {
  // keepalived sets "the sixth octet is the VRID" before it refuses the address: the 2.2.7 daemon, in a
  // network namespace, gave VI_1 (VRID 9) the VMAC 02:11:22:33:44:09 for these two lines, and said only
  // that the first address is multicast.
  const twoLines = (first: string, second: string) =>
    instance('VI_1', `  use_vmac ${first}\n  use_vmac ${second}`);
  const messages = (text: string) =>
    lint(text)
      .filter((d) => d.rule === 'vmac-setting-ignored')
      .map((d) => d.message);

  it('makes the last octet of a later six-octet address the VRID', () => {
    const text = twoLines('01:11:22:33:44', '02:11:22:33:44:55');
    expect(found(text)).toEqual(['4:vmac-setting-ignored', '5:vmac-setting-ignored']);
    expect(messages(text)[1]).toContain(
      "keepalived takes '02:11:22:33:44:55' but replaces its last octet with the virtual_router_id: reading the five-octet address '01:11:22:33:44' before it (which it refused)",
    );
    expect(messages(text)[1]).toContain("VI_1's VMAC gets 02:11:22:33:44:XX");
    // In one line too.
    expect(found(instance('VI_1', '  use_vmac 00:00:5e:00:01 02:11:22:33:44:55'))).toEqual([
      '4:vmac-setting-ignored',
      '4:vmac-setting-ignored',
    ]);
  });

  it('says nothing of the last octet in strict mode, where keepalived clears the address', () => {
    // The 2.2.7 daemon gave VI_1 (VRID 9) 00:00:5e:00:01:09 for these lines with strict_mode true and
    // reported "(VI_1): cannot specify MAC address with strict mode - clearing" (strict-mode-override).
    const text = instance(
      'VI_1',
      '  strict_mode true\n  use_vmac 01:11:22:33:44\n  use_vmac 02:11:22:33:44:55',
    );
    expect(messages(text)).toHaveLength(1);
    expect(messages(text)[0]).toContain('is multicast');
    expect(lint(text).map((d) => d.rule)).toContain('strict-mode-override');
  });

  it('leaves a later address alone after a refused six-octet one, and a five-octet one after it', () => {
    expect(found(twoLines('01:11:22:33:44:55', '02:11:22:33:44:55'))).toEqual(['4:vmac-setting-ignored']);
    expect(found(twoLines('01:11:22:33:44', '02:11:22:33:44'))).toEqual(['4:vmac-setting-ignored']);
  });
});

describe('virtual_ipaddress lines as parse_ipaddress reads them', () => {
  // keepalived -t 2.2.7: "VRRP parsed invalid IP 10.0.0.1-5. skipping IP..." for the range, then the family
  // set by 2001:db8::1, so "Configuration error: VRRP instance[VI_1] and src address[10.0.0.9] MUST be of
  // the same family !!! Skipping..." for the source; with only the range, "No VIP specified".
  it('takes no range, which then sets no family', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id 51',
      ' virtual_ipaddress {',
      '  10.0.0.1-5/24',
      '  2001:db8::1',
      ' }',
      ' mcast_src_ip 10.0.0.9',
      '}',
    );
    const found = lint(text);
    expect(found.find((d) => d.rule === 'invalid-value')?.message).toContain(
      '"VRRP parsed invalid IP 10.0.0.1-5/24. skipping IP..."',
    );
    expect(found.find((d) => d.rule === 'address-family-mismatch')?.message).toContain(
      'but VI_1 is IPv6 (set by its first address, line 6)',
    );
    const only = conf(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id 51',
      ' virtual_ipaddress {',
      '  10.0.0.1-5',
      ' }',
      '}',
    );
    expect(lint(only).map((d) => d.rule)).toContain('instance-missing-required');
  });
});

describe('VIP lines keepalived refuses are no VIPs', () => {
  // keepalived -t 2.2.7: "VRRP parsed invalid IP fe80::10%eth0/64. skipping IP..." (inet_pton takes no zone).
  const vi = (name: string, vrid: number, ...vips: string[]) => [
    `vrrp_instance ${name} {`,
    ' interface eth0',
    ` virtual_router_id ${vrid}`,
    ' virtual_ipaddress {',
    ...vips.map((v) => `  ${v}`),
    ' }',
    '}',
  ];

  it('reports a zone, and the line sets no family', () => {
    const found = lint(conf(...vi('VI_1', 51, 'fe80::10%eth0/64', '10.0.0.1')));
    expect(found.find((d) => d.rule === 'invalid-value')?.message).toContain(
      '"VRRP parsed invalid IP fe80::10%eth0/64. skipping IP..."',
    );
    expect(found.map((d) => d.rule)).not.toContain('address-family-mismatch');
  });

  it('does not compare refused lines between instances', () => {
    const text = conf(
      ...vi('VI_1', 51, '10.0.0.1-5', '10.0.1.1'),
      ...vi('VI_2', 52, '10.0.0.1-5', '10.0.2.1'),
    );
    expect(lint(text).map((d) => d.rule)).not.toContain('duplicate-vip');
  });
});
