// instance-missing-required: what keepalived checks of every vrrp_instance once the configuration is read
// (vrrp.c chk_min_cfg(), vrrp_complete_instance()). The 2.2.7 cases agree with keepalived 2.2.7 -t; the
// others follow the 2.2.8 and 2.4.3 source.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { conf, lint } from '../../helpers';

const RULE = 'instance-missing-required';

/** The rule's findings as "line:severity", then their messages. */
const found = (text: string, options: Parameters<typeof lint>[1] = {}) =>
  lint(text, options)
    .filter((d) => d.rule === RULE)
    .map((d) => `${d.range.start.line + 1}:${d.severity}`);
const messages = (text: string, options: Parameters<typeof lint>[1] = {}) =>
  lint(text, options)
    .filter((d) => d.rule === RULE)
    .map((d) => d.message);

const vip = [' virtual_ipaddress {', '  192.0.2.10', ' }'];

describe('instance-missing-required', () => {
  it('no virtual_router_id: keepalived says "the virtual router id must be set" and stops', () => {
    const text = conf('vrrp_instance VI_1 {', ' interface eth0', ...vip, '}');
    expect(found(text)).toEqual(['1:error']);
    expect(messages(text)[0]).toContain('"(VI_1) the virtual router id must be set"');
    expect(messages(text)[0]).toContain('no vrrp_instance of this configuration runs');
  });

  it("a header made by ~SEQ: keepalived names the first pass's instance (VI_1), not VI_$i", () => {
    // keepalived 2.2.7 -t: "(VI_1) the virtual router id must be set".
    const text = conf('~SEQ(i,1,2) vrrp_instance VI_$i {', ' interface eth0', ...vip, '}');
    expect(messages(text, { keepalivedVersion: '2.2.7' })[0]).toContain(
      `vrrp_instance 'VI_1': it has no virtual_router_id, so keepalived reports "(VI_1) the virtual router id must be set"`,
    );
  });

  it('a virtual_router_id keepalived cannot read counts as none; one not known here counts as set', () => {
    const placeholder = conf(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id ID_HERE',
      ...vip,
      '}',
    );
    expect(found(placeholder)).toEqual(['1:error']);
    expect(messages(placeholder)[0]).toContain(
      "its virtual_router_id 'ID_HERE' is not a number from 1 to 255",
    );
    expect(found(placeholder.replace('ID_HERE', '0'))).toEqual(['1:error']);
    expect(found(placeholder.replace('ID_HERE', '255'))).toEqual([]);
    expect(found(conf('$ID=7', placeholder.replace('ID_HERE', '$ID')))).toEqual([]);
    expect(found(conf('$ID=300', placeholder.replace('ID_HERE', '$ID')))).toEqual(['2:error']);
    expect(found(placeholder.replace('ID_HERE', '{{ vrid }}'), { template: 'jinja' })).toEqual([]);
  });

  it('no interface: "Unknown interface!", also with unicast peers before 2.2.8', () => {
    const noIf = conf('vrrp_instance VI_1 {', ' virtual_router_id 1', ...vip, '}');
    expect(found(noIf)).toEqual(['1:error']);
    expect(messages(noIf)[0]).toContain('"(VI_1) Unknown interface!"');
    const unicast = conf(
      'vrrp_instance VI_1 {',
      ' virtual_router_id 1',
      ' unicast_peer {',
      '  192.0.2.2',
      ' }',
      ...vip,
      '}',
    );
    expect(found(unicast, { keepalivedVersion: '2.2.7' })).toEqual(['1:error']);
    expect(messages(unicast, { keepalivedVersion: '2.2.7' })[0]).toContain('from 2.2.8');
    // From 2.2.8 chk_min_cfg() tests VRRP_FLAG_UNICAST_CONFIGURED, from 2.1.0 to 2.2.4 it let unicast
    // peers do; then vrrp_complete_instance() wants the address to send from. An unknown target is current.
    for (const keepalivedVersion of ['2.2.4', '2.2.8', undefined]) {
      expect(found(unicast, { keepalivedVersion })).toEqual(['1:error']);
      expect(messages(unicast, { keepalivedVersion })[0]).toContain(
        '"(VI_1): Unicast instances must have unicast_src_ip or interface"',
      );
    }
    // 2.0 wanted an interface whatever the instance had.
    expect(messages(unicast, { keepalivedVersion: '2.0.20' })[0]).toContain('"(VI_1) Unknown interface!"');
    const withSource = (...lines: string[]) =>
      conf('vrrp_instance VI_1 {', ' virtual_router_id 1', ...lines, ...vip, '}');
    expect(found(withSource(' unicast_src_ip 192.0.2.1', ' unicast_peer {', '  192.0.2.2', ' }'))).toEqual(
      [],
    );
    for (const line of [' unicast_fault_no_peer', ' check_unicast_src'])
      expect(messages(withSource(line), { keepalivedVersion: '2.4.3' })[0]).toContain(
        'Unicast instances must have unicast_src_ip or interface',
      );
  });

  it('an IPv6 link-local source needs the interface it is on', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' virtual_router_id 1',
      ' unicast_src_ip fe80::1',
      ' unicast_peer {',
      '  fe80::2',
      ' }',
      ' virtual_ipaddress {',
      '  2001:db8::10',
      ' }',
      '}',
    );
    expect(messages(text)[0]).toContain('"(VI_1) Non link-local address required if interface omitted"');
    expect(found(text.replace('fe80::1', '2001:db8::1'))).toEqual([]);
  });

  it('an interface name of 16 characters or more is ignored, so the instance has none', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' interface abcdefghijklmnopq',
      ' virtual_router_id 1',
      ...vip,
      '}',
    );
    expect(found(text)).toEqual(['1:error']);
    expect(messages(text)[0]).toContain("Interface name 'abcdefghijklmnopq' too long - ignoring");
    expect(found(text.replace('abcdefghijklmnopq', 'abcdefghijklmno'))).toEqual([]);
  });

  it('the loopback device is refused and clears the interface, read line by line (keepalived -t 2.2.7)', () => {
    const instance = (...interfaces: string[]) =>
      conf(
        'vrrp_instance VI_1 {',
        ...interfaces.map((i) => ` interface ${i}`),
        ' virtual_router_id 1',
        ...vip,
        '}',
      );
    // "(VI_1) cannot use a loopback interface (lo) for vrrp - ignoring", then "(VI_1) Unknown interface!".
    expect(found(instance('lo'))).toEqual(['1:error']);
    expect(messages(instance('lo'))[0]).toContain('cannot use a loopback interface (lo) for vrrp - ignoring');
    expect(found(instance('eth0', 'lo'))).toEqual(['1:error']);
    // A later interface line sets it again: only the refused line is reported (invalid-value).
    expect(found(instance('lo', 'eth0'))).toEqual([]);
    const refused = lint(instance('lo', 'eth0')).filter((d) => d.rule === 'invalid-value');
    expect(refused.map((d) => `${d.range.start.line + 1}:${d.severity}`)).toEqual(['2:error']);
    expect(lint(instance('lo', 'eth0')).map((d) => d.rule)).not.toContain('setting-overridden');
  });

  it("a name with a '/' is looked up, not refused: the instance has an interface keepalived never finds", () => {
    // keepalived -t 2.2.7: "WARNING - interface a/b for vrrp_instance VI_1 doesn't exist", then
    // "Non-existent interface specified in configuration" (exit 5); no "too long", no "Unknown interface!".
    const text = conf('vrrp_instance VI_1 {', ' interface a/b', ' virtual_router_id 1', ...vip, '}');
    expect(found(text)).toEqual([]);
    const bad = lint(text).filter((d) => d.rule === 'invalid-value');
    expect(bad.map((d) => d.range.start.line + 1)).toEqual([2]);
    expect(bad[0]!.message).toContain('looks it up and never finds one');
    expect(bad[0]!.message).not.toContain('keeps an earlier value');
  });

  it('an interface not known here may be one: no finding, unless a later line keepalived reads clears it', () => {
    const instance = (...interfaces: string[]) =>
      conf('vrrp_instance VI_1 {', ...interfaces, ' virtual_router_id 1', ...vip, '}');
    expect(found(instance(' interface {{ iface }}'))).toEqual([]);
    expect(found(conf('$IF=eth0') + instance(' interface $UNSET'))).toEqual([]);
    expect(found(instance(' @a interface eth0', ' @b interface eth1'))).toEqual([]);
    // A name too long keeps the one before, known or not; the loopback device clears it whatever it was.
    expect(found(instance(' interface {{ iface }}', ' interface abcdefghijklmnopq'))).toEqual([]);
    expect(found(instance(' interface {{ iface }}', ' interface lo'))).toEqual(['1:error']);
  });

  it('no VIP: a warning keepalived runs on, an error with VRRP version 3 or strict mode', () => {
    const base = (...lines: string[]) =>
      conf(...lines, 'vrrp_instance VI_1 {', ' interface eth0', ' virtual_router_id 1', '}');
    expect(found(base())).toEqual(['1:warning']);
    expect(messages(base())[0]).toContain('"(VI_1) No VIP specified; at least one is sensible"');
    expect(found(base().replace('}', ' version 3\n}'))).toEqual(['1:error']);
    expect(found(base().replace('}', ' strict_mode\n}'))).toEqual(['1:error']);
    expect(found(base('global_defs {', ' vrrp_version 3', '}'))).toEqual(['4:error']);
    expect(found(base('global_defs {', ' vrrp_strict', '}'))).toEqual(['4:error']);
    expect(messages(base('global_defs {', ' vrrp_strict', '}'))[0]).toContain('at least one is required');
  });

  it('an IPv6 instance with version 2 needs a VIP up to 2.2.7 (a second check there), not from 2.2.8', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id 1',
      ' version 2',
      ' mcast_src_ip fe80::1',
      '}',
    );
    expect(found(text, { keepalivedVersion: '2.2.7' })).toEqual(['1:error']);
    expect(found(text, { keepalivedVersion: '2.2.8' })).toEqual(['1:warning']);
    // Without a version line an IPv6 instance is VRRP version 3.
    expect(found(text.replace(' version 2\n', ''), { keepalivedVersion: '2.2.8' })).toEqual(['1:error']);
  });

  it('a VIP line keepalived cannot parse is no VIP; no_virtual_ipaddress (2.2.8) says none is meant, but not in strict mode', () => {
    const text = (...lines: string[]) =>
      conf('vrrp_instance VI_1 {', ' interface eth0', ' virtual_router_id 1', ...lines, '}');
    expect(found(text(' virtual_ipaddress {', '  VIRTUAL_IP', ' }'))).toEqual(['1:warning']);
    expect(found(text(' virtual_ipaddress {', '  x.x.x.x/29', ' }', ' version 3'))).toEqual(['1:error']);
    expect(
      found(text(' virtual_ipaddress {', '  {{ vip }}', ' }', ' version 3'), { template: 'jinja' }),
    ).toEqual([]);
    expect(found(text(' no_virtual_ipaddress'), { keepalivedVersion: '2.2.8' })).toEqual([]);
    expect(found(text(' no_virtual_ipaddress', ' strict_mode'), { keepalivedVersion: '2.2.8' })).toEqual([
      '1:error',
    ]);
    // 2.2.7 does not know the keyword: it is ignored, and the warning stays.
    expect(found(text(' no_virtual_ipaddress'), { keepalivedVersion: '2.2.7' })).toEqual(['1:warning']);
  });

  it('counts the lines a parameter, a multi-line definition or a ~SEQ line makes', () => {
    expect(
      found(conf('$IF=eth0', 'vrrp_instance VI_1 {', ' interface $IF', ' virtual_router_id 1', ...vip, '}')),
    ).toEqual([]);
    const common = conf(
      '$COMMON= \\',
      ' interface eth0 \\',
      ' virtual_router_id 1',
      'vrrp_instance VI_1 {',
      ' $COMMON',
      ...vip,
      '}',
    );
    expect(found(common)).toEqual([]);
    expect(found(common.replace(' $COMMON\n', ''))).toEqual(['4:error']);
    const seq = conf(
      'vrrp_instance VI_1 {',
      ' ~SEQ(i, 0, 0) interface eth$i',
      ' virtual_router_id 1',
      ...vip,
      '}',
    );
    expect(found(seq)).toEqual([]);
  });

  it('reads only the lines of the node: @id lines of other nodes do not count', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' @a interface eth0',
      ' @b priority 100',
      ' virtual_router_id 1',
      ...vip,
      '}',
    );
    expect(found(text, { configId: 'a' })).toEqual([]);
    expect(found(text, { configId: 'b' })).toEqual(['1:error']);
    // Without a config id each node the file names is checked, and the finding names the ones concerned.
    expect(found(text)).toEqual(['1:error']);
    expect(messages(text)[0]).toMatch(/\(config id b\)$/);
    expect(found(text.replace(' @b priority 100\n', ''))).toEqual([]);
  });

  it('leaves out an instance whose lines a template builds, and a configuration with an unread include', () => {
    const built = conf('vrrp_instance VI_1 {', ' interface eth0', ' {{ vrrp_common }}', ...vip, '}');
    expect(found(built, { template: 'jinja' })).toEqual([]);
    expect(
      found(conf('include /etc/keepalived/ids.conf', 'vrrp_instance VI_1 {', ' interface eth0', ...vip, '}')),
    ).toEqual([]);
  });

  it('checks a second instance of a name not at all: keepalived skips it whole', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' virtual_router_id 1',
      ...vip,
      '}',
      'vrrp_instance VI_1 {',
      '}',
    );
    expect(found(text)).toEqual([]);
  });

  it('reports each instance in its own file', () => {
    const file = analyzeText(
      'k.conf',
      conf('vrrp_instance VI_1 {', '}', 'vrrp_instance VI_2 {', ' interface eth0', '}'),
    );
    expect(
      lintFile(file)
        .filter((d) => d.rule === RULE)
        .map((d) => `${d.file}:${d.range.start.line + 1}`),
    ).toEqual(['k.conf:1', 'k.conf:3']);
  });
});

describe('the source of a unicast instance without an interface (from the 2.2.8-2.4.3 source)', () => {
  const says = (text: string, keepalivedVersion = '2.4.3') =>
    lint(text, { keepalivedVersion })
      .filter((d) => d.rule === RULE)
      .map((d) => /reports "([^"]*)"/.exec(d.message)?.[1]);
  const unicast = (...lines: string[]) =>
    conf(
      'vrrp_instance VI_1 {',
      ' virtual_router_id 1',
      ' unicast_peer {',
      '  2001:db8::2',
      ' }',
      ...lines,
      '}',
    );

  it('the last of unicast_src_ip and mcast_src_ip decides; one of the other family clears it', () => {
    expect(
      says(
        unicast(
          ...vip.map((l) => l.replace('192.0.2.10', '2001:db8::10')),
          ' unicast_src_ip 2001:db8::1',
          ' mcast_src_ip fe80::1',
        ),
      ),
    ).toEqual(['(VI_1) Non link-local address required if interface omitted']);
    expect(
      says(
        conf(
          'vrrp_instance VI_1 {',
          ' virtual_router_id 1',
          ' unicast_peer {',
          '  192.0.2.2',
          ' }',
          ...vip,
          ' unicast_src_ip 2001:db8::1',
          '}',
        ),
      ),
    ).toEqual(['(VI_1): Unicast instances must have unicast_src_ip or interface']);
  });

  it('from 2.2.8 the source is checked before the VIPs, up to 2.2.4 after', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' virtual_router_id 1',
      ' version 3',
      ' unicast_peer {',
      '  10.0.0.2',
      ' }',
      '}',
    );
    expect(says(text)).toEqual(['(VI_1): Unicast instances must have unicast_src_ip or interface']);
    expect(says(text, '2.2.4')).toEqual(['(VI_1) No VIP specified; at least one is required']);
  });
});
