// virtual_server_group services as keepalived 2.2.7 reads them: the groups it removes, the services
// link_vsg_to_vs() drops with a log line only, and validate_check_config()'s corrections for a group's
// entries. Every quoted message is what keepalived -t 2.2.7 printed (or logged) for the same lines.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const said = (text: string) =>
  lint(text)
    .filter((d) => d.rule !== 'unused-definition')
    .map((d) => `${d.range.start.line + 1} ${d.rule}: ${/(?:reports|logs) "([^"]*)"/.exec(d.message)?.[1]}`);

const rules = (text: string) => lint(text).map((d) => d.rule);

const service = (group: string, ...lines: string[]) => [
  `virtual_server group ${group} {`,
  ' lvs_sched rr',
  ' lvs_method NAT',
  ...lines,
  ' real_server 10.0.1.1 80 {',
  ' }',
  '}',
];

describe('virtual_server_group', () => {
  it('a group with no entries is removed at its closing brace, and its services dropped', () => {
    const text = conf('virtual_server_group GE {', '}', ...service('GE', ' protocol TCP'));
    expect(said(text)).toEqual([
      '2 virtual-server-group-removed: virtual server group GE has no entries - removing',
      '3 virtual-server-ignored: Virtual server group GE specified but not configured - ignoring virtual server [GE]:0',
    ]);
  });

  it('IPv4 and IPv6 entries with a fwmark of no family: removed', () => {
    const text = conf('virtual_server_group M {', ' 10.0.0.40 80', ' 2001:db8::40 80', ' fwmark 9', '}');
    expect(said(text)).toEqual([
      '5 virtual-server-group-removed: virtual server group M cannot have IPv4, IPv6 and fwmark without family - removing',
    ]);
    expect(said(text.replace(' fwmark 9', ' fwmark 9 inet'))).toEqual([]);
  });

  it('drops a service whose family is not the group’s, saying nothing else about it', () => {
    const v6 = conf('virtual_server_group G6 {', ' 2001:db8::10 80', '}', ...service('G6'));
    // No "no protocol set" and no other correction: keepalived never gets to check a dropped service.
    expect(said(v6)).toEqual([
      "4 virtual-server-ignored: G6: address family doesn't match virtual server [G6]:0 - ignoring",
    ]);
    const mixed = conf(
      'virtual_server_group M {',
      ' 10.0.0.30 80',
      ' 2001:db8::30 80',
      '}',
      ...service('M', ' protocol TCP'),
    );
    expect(said(mixed)).toEqual([
      "5 virtual-server-ignored: M: virtual server group with IPv4 & IPv6 doesn't match virtual server [M]:0 - ignoring",
    ]);
    // ip_family decides before the real servers do; a TUN server may be of another family: not judged.
    expect(
      said(
        conf(
          'virtual_server_group G6 {',
          ' 2001:db8::10 80',
          '}',
          ...service('G6', ' ip_family inet6', ' protocol TCP'),
        ),
      ),
    ).toEqual([]);
    expect(
      said(
        v6
          .replace(' lvs_method NAT', ' lvs_method TUN')
          .replace(' lvs_sched rr', ' lvs_sched rr\n protocol TCP'),
      ),
    ).toEqual([]);
  });

  it('an undefined group: undefined-reference says the whole virtual_server goes', () => {
    const message = lint(conf(...service('NOPE', ' protocol TCP'))).find(
      (d) => d.rule === 'undefined-reference',
    )!.message;
    expect(message).toContain('keepalived drops this whole virtual_server');
    expect(message).toContain(
      'Virtual server group NOPE specified but not configured - ignoring virtual server [NOPE]:0',
    );
  });

  it("corrects a linked service by its group's entries: marks, addresses, ports", () => {
    const text = conf(
      'virtual_server_group FW {',
      ' fwmark 7',
      '}',
      'virtual_server_group A0 {',
      ' 10.0.0.10',
      '}',
      'virtual_server_group OK {',
      ' 10.0.0.20 80',
      '}',
      ...service('FW', ' protocol TCP', ' ha_suspend'),
      ...service('A0', ' ops', ' protocol TCP'),
      ...service('OK'),
    );
    expect(said(text)).toEqual([
      '13 virtual-server-fwmark-protocol: protocol specified for fwmark - protocol will be ignored',
      '14 virtual-server-fwmark-ha-suspend: cannot use ha_suspend with fwmarks - clearing ha_suspend',
      '18 virtual-server-zero-port: zero port only valid for persistent services - setting',
      '21 virtual-server-ops-not-udp: one packet scheduling requires UDP - resetting',
      '26 virtual-server-no-protocol: no protocol set - defaulting to UDP',
    ]);
  });

  it('tunnelled servers give the service no family: a fwmark group links, and its protocol is ignored', () => {
    // devel/ipvs_family_check.conf: keepalived logs "address family cannot be determined, defaulting to IPv4".
    const text = conf(
      'virtual_server_group F {',
      ' fwmark 11',
      '}',
      'virtual_server group F {',
      ' protocol TCP',
      ' lvs_sched rr',
      ' lvs_method TUN',
      ' real_server 2a02:1:2::1 {',
      ' }',
      ' real_server 10.236.107.1 {',
      ' }',
      '}',
    );
    expect(said(text)).toEqual([
      '5 virtual-server-fwmark-protocol: protocol specified for fwmark - protocol will be ignored',
    ]);
  });

  it('an entry a template decides leaves the group unjudged', () => {
    const text = conf('virtual_server_group G {', ' {{ vip }} 80', '}', ...service('G'));
    expect(said(text).filter((s) => /group-removed|ignored|zero-port/.test(s))).toEqual([]);
  });
});

describe('virtual_server_group, as keepalived 2.2.7 -t read each of these', () => {
  it('a removed group gives way to another of its name', () => {
    const text = conf(
      'virtual_server_group G {',
      ' 10.0.0.1 80',
      ' 2001:db8::1 80',
      ' fwmark 1',
      '}',
      'virtual_server_group G {',
      ' 10.0.0.1 80',
      '}',
      ...service('G', ' protocol TCP'),
    );
    const found = lint(text).filter((d) => d.rule.startsWith('virtual-server-'));
    expect(found.map((d) => d.rule)).toEqual(['virtual-server-group-removed']);
    expect(found[0]!.message).toContain(
      "'virtual_server group G' then uses the other virtual_server_group G",
    );
  });

  it('a sorry server takes the method the service has at its line', () => {
    const group = ['virtual_server_group G4 {', ' 10.0.0.1 80', '}'];
    const block = (...lines: string[]) => [
      'virtual_server group G4 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ...lines,
      '}',
    ];
    // TUN before the sorry server: it gives no family, the group links.
    const linked = conf(
      ...group,
      ...block(
        ' lvs_method TUN',
        ' sorry_server 2001:db8::9 81',
        ' real_server 2001:db8::1 81 {',
        ' }',
        ' lvs_method DR',
      ),
    );
    expect(said(linked).filter((s) => s.includes('virtual-server-ignored'))).toEqual([]);
    // TUN after it: the sorry server (NAT) makes the service IPv6.
    const dropped = conf(
      ...group,
      ...block(' sorry_server 2001:db8::9 81', ' lvs_method TUN', ' real_server 2001:db8::1 81 {', ' }'),
    );
    expect(said(dropped)).toEqual([
      "4 virtual-server-ignored: G4: address family doesn't match virtual server [G4]:0 - ignoring",
    ]);
  });

  it('reads subnets and ranges as alloc_vsg_entry() does', () => {
    const text = conf(
      'virtual_server_group G {',
      ' 10.0.0.0/29 80',
      ' 10.0.0.1/29 80',
      ' 10.0.0.20-10.0.0.25 80',
      ' 10.0.0.30-10.0.0.25 80',
      ' 10.0.0.40-50 80',
      ' 10.0.0.60-50 80',
      ' 10.0.0.70-300 80',
      ' 10.0.0.0/33 80',
      ' 10.0.0.5-x.1 80',
      '}',
    );
    expect(
      lint(text)
        .filter((d) => d.rule === 'invalid-value')
        .map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`),
    ).toEqual([
      '3 Address mask bits not empty - 10.0.0.1/29 - skipping',
      '5 Address range end is less than address range start - 10.0.0.30-10.0.0.25 - skipping',
      '7 Address range end is not greater than address range start - 10.0.0.60-50 - skipping',
      "8 Virtual server group range '10.0.0.70-300' end '300' too large",
      '9 Invalid netmask - 10.0.0.0/33 - skipping',
      '10 Invalid range end 10.0.0.5-x.1 - skipping',
    ]);
  });

  it('reads IPv6 subnets and ranges, and odd short ranges, as alloc_vsg_entry() and inet_stor() do', () => {
    // Every line checked with keepalived -t 2.2.7: it reports exactly the lines listed, and accepts the rest.
    const text = conf(
      'virtual_server_group G {',
      ' 2001:db8::/64 80',
      ' 2001:db8::1/64 80',
      ' 2001:db8::/129 80',
      ' 2001:db8::/0 80',
      ' 2001:db8::10-2001:db8::20 80',
      ' 2001:db8::30-2001:db8::20 80',
      ' 2001:db8::1-a 80',
      ' 2001:db8::10-5 80',
      ' 2001:db8::1-10000 80',
      ' 2001:db8::1-ag 80',
      ' 10.0.0.1-10x 80',
      ' 10.0.0.1-300x 80',
      ' 10.0.0.1-+10 80',
      ' 10.0.0.0/+24 80',
      ' 10.0.0.0/24-5 80',
      ' 10.0.0.1-5/24 80',
      ' fe80::1%eth0 80',
      ' 2001:db8::5-2001:db8:0:0:0:0:0:5 80',
      ' 2001:db8:1:8000::/49 80',
      ' 2001:db8:1:4000::/49 80',
      ' 10.0.0.1-10.0.0.5-7 80',
      ' 10.0.0.1- 80',
      ' 10.0.0.1-0x10 80',
      ' 2001:db8::1-0x10 80',
      ' 10.0.0.1-::1 80',
      ' ::ffff:10.0.0.1-10 80',
      ' 10.0.0.0/32 80',
      '}',
    );
    const found = lint(text).filter((d) => d.rule === 'invalid-value');
    expect(found.map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`)).toEqual(
      [
        '3 Address mask bits not empty - 2001:db8::1/64 - skipping',
        '4 Invalid netmask - 2001:db8::/129 - skipping',
        '5 Invalid netmask - 2001:db8::/0 - skipping',
        '7 Address range end is less than address range start - 2001:db8::30-2001:db8::20 - skipping',
        '9 Address range end is not greater than address range start - 2001:db8::10-5 - skipping',
        "10 Virtual server group range '2001:db8::1-10000' end '10000' too large",
        "11 Virtual server group range '2001:db8::1-ag' has extra characters at end 'g'",
        "12 Virtual server group range '10.0.0.1-10x' has extra characters at end 'x'",
        "13 Virtual server group range '10.0.0.1-300x' has extra characters at end 'x'",
        '16 Invalid virtual server group IP address 10.0.0.0/24-5 /port/80 - skipping',
        '17 Address mask bits not empty - 10.0.0.1-5/24 - skipping',
        '18 Invalid virtual server group IP address fe80::1%eth0 /port/80 - skipping',
        '21 Address mask bits not empty - 2001:db8:1:4000::/49 - skipping',
        '23 Address range end is not greater than address range start - 10.0.0.1- - skipping',
        "24 Virtual server group range '10.0.0.1-0x10' has extra characters at end 'x10'",
        '26 Invalid virtual server group IP address 10.0.0.1-::1 /port/80 - skipping',
      ],
    );
    // Extra characters: keepalived -t leaves the entry out, the daemon only warns and keeps it.
    const extra = found.filter((d) => d.message.includes('extra characters'));
    expect(extra.map((d) => d.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
    expect(extra[0]!.message).toContain('the running daemon only logs it as a warning');
  });

  it('removes no group whose only entry keepalived -t and the daemon read differently', () => {
    // keepalived -t 2.2.7: "virtual server group B has no entries - removing"; the daemon keeps 10.0.0.1-10.
    const text = conf('virtual_server_group B {', ' 10.0.0.1-10x 80', '}', ...service('B'));
    expect(rules(text)).not.toContain('virtual-server-group-removed');
    expect(rules(text)).not.toContain('virtual-server-ignored');
    // An IPv6 entry with host bits set is left out by both, so the group is removed.
    const v6 = conf('virtual_server_group A {', ' 2001:db8::1/64 80', '}', ...service('A'));
    expect(rules(v6)).toContain('virtual-server-group-removed');
  });

  it("compares a group service's server ports with the entries', and changes nothing", () => {
    const text = conf(
      'virtual_server_group A {',
      ' 10.0.0.1 80',
      ' 10.0.0.2 443',
      '}',
      'virtual_server_group F {',
      ' fwmark 7',
      '}',
      'virtual_server group A {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' sorry_server 10.0.9.9 8080',
      ' real_server 10.0.1.1 80 {',
      ' }',
      ' real_server 10.0.1.2 {',
      ' }',
      ' real_server 10.0.1.3 8080 {',
      '  lvs_method NAT',
      ' }',
      '}',
      'virtual_server group F {',
      ' lvs_sched rr',
      ' lvs_method TUN',
      ' real_server 10.0.1.4 80 {',
      ' }',
      ' real_server 10.0.1.5 {',
      ' }',
      '}',
    );
    // keepalived -t 2.2.7: two sorry-server warnings (one per entry), one per real server and entry.
    expect(
      lint(text)
        .filter((d) => d.rule === 'server-port-ignored')
        .map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`),
    ).toEqual([
      '12 ... sorry server has port specified - port will be ignored',
      '12 ... sorry server has port specified - port will be ignored',
      "13 ... ports don't match",
      '24 ... has port specified - port will be ignored',
    ]);
  });
});
