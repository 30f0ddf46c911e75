// Instances and sync groups as keepalived's VRRP process completes them after reading (vrrp.c
// vrrp_complete_instance, vrrp_sync.c vrrp_sync_set_group, 2.2.7): each finding below was checked
// against keepalived -t 2.2.7 on the same configuration.
import { describe, expect, it } from 'vitest';
import { conf, lint, requiredLines } from '../../helpers';

const found = (text: string, rule: string, keepalivedVersion?: string) =>
  lint(text, { keepalivedVersion }).filter((d) => d.rule === rule);

describe('unicast-without-peers', () => {
  const instance = (...lines: string[]) => conf('vrrp_instance VI_1 {', ...requiredLines(), ...lines, '}');

  it('says that keepalived falls back to multicast, or stays in FAULT with unicast_fault_no_peer', () => {
    expect(found(instance(' unicast_src_ip 192.0.2.1'), 'unicast-without-peers')[0]?.message).toContain(
      'Defaulting to multicast',
    );
    const fault = found(instance(' unicast_fault_no_peer', ' unicast_peer {', ' }'), 'unicast-without-peers');
    expect(fault[0]?.message).toContain('stays in FAULT');
    // Before 2.2.5 keepalived said nothing, and still used multicast.
    expect(
      found(instance(' unicast_src_ip 192.0.2.1'), 'unicast-without-peers', '2.2.4')[0]?.message,
    ).toContain('silently ignores them');
  });

  it('takes an empty unicast_peer block for a unicast keyword', () => {
    expect(found(instance(' unicast_peer {', ' }'), 'unicast-without-peers')[0]?.message).toMatch(
      /^The unicast_peer block of VI_1 lists no address keepalived can use: keepalived reports/,
    );
  });

  it('counts a peer that a parameter or template names, but not a line that is no address', () => {
    expect(
      found(
        instance(' unicast_src_ip 192.0.2.1', ' unicast_peer {', '  {{ peer }}', ' }'),
        'unicast-without-peers',
      ),
    ).toEqual([]);
    expect(
      found(
        instance(' unicast_src_ip 192.0.2.1', ' unicast_peer {', '  not-an-address', ' }'),
        'unicast-without-peers',
      ),
    ).toHaveLength(1);
  });
});

describe('sync-group-single-instance', () => {
  it('counts the members keepalived keeps: defined, and not already in an earlier group', () => {
    const text = conf(
      'vrrp_sync_group G1 {',
      ' group {',
      '  A',
      '  B',
      ' }',
      '}',
      'vrrp_sync_group G2 {',
      ' group {',
      '  B',
      '  C',
      '  NOPE',
      ' }',
      '}',
      'vrrp_instance A {',
      '}',
      'vrrp_instance B {',
      '}',
      'vrrp_instance C {',
      '}',
    );
    expect(found(text, 'sync-group-single-instance').map((d) => d.message)).toEqual([
      expect.stringContaining('vrrp_sync_group G2 has one instance, C'),
    ]);
  });

  it('does not count a group whose members a template names', () => {
    const text = conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  {{ other }}',
      ' }',
      '}',
      'vrrp_instance A {',
      '}',
    );
    expect(found(text, 'sync-group-single-instance')).toEqual([]);
  });
});

describe('what vrrp_complete_instance() corrects in an instance', () => {
  const instance = (...lines: string[]) => conf('vrrp_instance VI_1 {', ...requiredLines(), ...lines, '}');
  const rules = (text: string) => lint(text).map((d) => d.rule);

  it('rounds the advert interval to what the VRRP version carries', () => {
    expect(found(instance(' advert_int 0.5'), 'advert-int-rounded')[0]?.message).toContain(
      'every 1 s, not 0.5 s',
    );
    expect(found(instance(' version 3', ' advert_int 0.125'), 'advert-int-rounded')[0]?.message).toContain(
      'every 0.13 s',
    );
    expect(found(instance(' version 3', ' advert_int 0.12'), 'advert-int-rounded')).toEqual([]);
  });

  it('tells nopreempt on the address owner (priority 255, or state MASTER without one) from a MASTER below it', () => {
    expect(rules(instance(' state MASTER', ' nopreempt'))).toContain('nopreempt-with-owner');
    expect(rules(instance(' state MASTER', ' nopreempt'))).not.toContain('nopreempt-with-master');
    expect(rules(instance(' state MASTER', ' priority 100', ' nopreempt'))).toEqual(
      expect.arrayContaining(['nopreempt-with-master']),
    );
    expect(rules(instance(' state MASTER', ' priority 100', ' nopreempt'))).not.toContain(
      'nopreempt-with-owner',
    );
  });

  it('says why preempt_delay is reset, in keepalived order', () => {
    expect(
      found(instance(' state MASTER', ' priority 100', ' preempt_delay 5'), 'preempt-delay-ignored')[0]
        ?.message,
    ).toContain('will not work with initial state MASTER');
    // Without a state line the address owner starts as MASTER too.
    expect(rules(instance(' priority 255', ' preempt_delay 5'))).toContain('preempt-delay-ignored');
    expect(rules(instance(' priority 254', ' preempt_delay 5'))).not.toContain('preempt-delay-ignored');
    // AH makes keepalived start it as BACKUP first, so then the delay stays.
    const ah = instance(
      ' state MASTER',
      ' priority 100',
      ' preempt_delay 5',
      ' authentication {',
      '  auth_type AH',
      '  auth_pass s',
      ' }',
    );
    expect(rules(ah)).toContain('ah-initial-master');
    expect(rules(ah)).not.toContain('preempt-delay-ignored');
  });

  it('does not call a password that is never sent clear text', () => {
    expect(rules(instance(' authentication {', '  auth_type PASS', ' }'))).not.toContain('cleartext-auth');
  });
});

describe('VMAC options keepalived drops (vrrp.c l.3482-3491, l.3550-3555; checked with keepalived -t 2.2.7)', () => {
  const instance = (...lines: string[]) => conf('vrrp_instance VI_1 {', ...requiredLines(), ...lines, '}');
  const messages = (text: string) => found(text, 'vmac-setting-ignored').map((d) => d.message);

  it('vmac_xmit_base needs use_vmac; promote_secondaries is implied by use_vmac and use_ipvlan', () => {
    expect(messages(instance(' vmac_xmit_base'))).toEqual([
      expect.stringContaining('only valid with a vmac'),
    ]);
    expect(messages(instance(' use_vmac', ' vmac_xmit_base'))).toEqual([]);
    expect(messages(instance(' use_vmac', ' promote_secondaries'))).toEqual([
      expect.stringContaining('automatically set for vmacs'),
    ]);
    expect(messages(instance(' use_ipvlan 192.0.2.9', ' promote_secondaries'))).toHaveLength(1);
    expect(messages(instance(' promote_secondaries'))).toEqual([]);
  });
});

describe('sync-group-mixed-owners (vrrp_sync.c vrrp_sync_set_group, checked with keepalived -t 2.2.7)', () => {
  const group = (...members: string[][]) =>
    conf(
      'vrrp_sync_group G {',
      ' group {',
      ...members.map((m) => `  ${m[0]}`),
      ' }',
      '}',
      ...members.flatMap(([name, ...lines]) => [`vrrp_instance ${name} {`, ...lines, '}']),
    );
  const owner = ['VI_1', ' state MASTER', ' priority 255'];
  const backup = ['VI_2', ' state BACKUP', ' priority 100'];

  it('an owner listed before a member written as BACKUP', () => {
    expect(found(group(owner, backup), 'sync-group-mixed-owners').map((d) => d.message)).toEqual([
      expect.stringContaining(
        `"Sync group G has some member(s) as address owner and some not as address owner. This won't work."`,
      ),
    ]);
  });

  it('keepalived reads the members in order and the written lines only', () => {
    expect(found(group(backup, owner), 'sync-group-mixed-owners')).toEqual([]);
    expect(found(group(owner, ['VI_2', ' priority 100']), 'sync-group-mixed-owners')).toEqual([]);
    expect(
      found(group(owner, ['VI_2', ' state BACKUP', ' priority {{ p }}']), 'sync-group-mixed-owners'),
    ).toEqual([]);
  });
});

describe('too-many-vips', () => {
  // keepalived -t 2.2.7 (interfaces of MTU 1500) reported "(VI_4) Number of VIPs (256) exceeds
  // maximum/space available in packet (max 255 addresses) - excess moved to eVIPs" and the same for 90
  // IPv6 VIPs with max 89, and nothing for 255 IPv4 or 89 IPv6 VIPs.
  const instance = (name: string, vrid: number, vips: string[], ...lines: string[]) =>
    conf(
      `vrrp_instance ${name} {`,
      ' interface eth0',
      ` virtual_router_id ${vrid}`,
      ...lines,
      ' virtual_ipaddress {',
      ...vips.map((v) => `  ${v}`),
      ' }',
      '}',
    );
  const v4 = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  const v6 = (n: number) => Array.from({ length: n }, (_, i) => `2001:db8::${(i + 1).toString(16)}`);

  it('reports the first VIP an advert has no room for, in keepalived words', () => {
    const over = found(instance('VI_4', 51, v4(256)), 'too-many-vips');
    expect(over.map((d) => d.range.start.line + 1)).toEqual([5 + 255]);
    expect(over[0]!.message).toContain(
      '"(VI_4) Number of VIPs (256) exceeds maximum/space available in packet (max 255 addresses) - excess moved to eVIPs"',
    );
    const six = found(instance('VI_6', 52, v6(90)), 'too-many-vips');
    expect(six[0]!.message).toContain('(max 89 addresses)');
    expect(six[0]!.message).toContain('MTU 1500');
  });

  it('says nothing at the limit, and counts only the VIPs of the instance family', () => {
    expect(found(instance('VI_4', 51, v4(255)), 'too-many-vips')).toEqual([]);
    expect(found(instance('VI_6', 52, v6(89)), 'too-many-vips')).toEqual([]);
    // The IPv4 lines of an IPv6 instance are skipped ("address family must match"), not counted.
    expect(found(instance('VI_6', 52, [...v6(89), ...v4(5)]), 'too-many-vips')).toEqual([]);
  });
});

describe('value blocks closed by a line with a condition', () => {
  // `@^medium }`: keepalived drops the condition and closes the block; the line is no peer. keepalived -t
  // 2.2.7 (host name vm) reported "(VI_u1) A unicast keyword has been specified without any unicast peers".
  it('do not count the closing line as a value', () => {
    const text = conf(
      '@^medium vrrp_instance VI_u1 {',
      '@^medium  interface eth0',
      '@^medium  virtual_router_id 254',
      '@^medium unicast_peer {',
      '@low    10.1.0.1',
      '@high   10.1.0.3',
      '@^medium }',
      '@^medium  virtual_ipaddress {',
      '@^medium   10.2.3.100/32',
      '@^medium  }',
      '@^medium }',
    );
    expect(lint(text, { configId: 'vm' }).map((d) => `${d.range.start.line + 1}:${d.rule}`)).toContain(
      '4:unicast-without-peers',
    );
  });
});
