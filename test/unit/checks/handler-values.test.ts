// Values keepalived 2.2.7's handlers reject, clamp or ignore beyond what the schema's ranges say, each read
// from the handler named in the test (vrrp_parser.c, vrrp_ipaddress.c, vrrp_iproute.c, global_parser.c).
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

/** "line:rule:severity" of every finding, optionally of some rules only. */
function found(text: string, rules?: string[], keepalivedVersion = '2.2.7'): string[] {
  return lint(text, { keepalivedVersion })
    .filter((d) => !rules || rules.includes(d.rule))
    .map((d) => `${d.range.start.line + 1}:${d.rule}:${d.severity}`);
}

function messages(text: string, rule: string, keepalivedVersion = '2.2.7'): string[] {
  return lint(text, { keepalivedVersion })
    .filter((d) => d.rule === rule)
    .map((d) => `${d.range.start.line + 1} ${d.message}`);
}

const instance = (...body: string[]) =>
  conf(
    'vrrp_instance VI_1 {',
    '    state BACKUP',
    '    interface eth0',
    '    virtual_router_id 51',
    '    priority 100',
    ...body.map((l) => `    ${l}`),
    '}',
  );

describe('a value block written with words after its keyword (lib/parser.c alloc_value_block)', () => {
  it('reads the following lines as its values, up to the next }', () => {
    const text = instance(
      'track_interface eth0',
      'authentication {',
      '    auth_type PASS',
      '    auth_pass secret',
      '}',
      'virtual_ipaddress {',
      '    10.0.0.1',
      '}',
    );
    const out = found(text);
    expect(out).toContain('6:extra-argument:warning');
    // "auth_pass secret" is a track_interface line: keepalived reports an unknown option 'secret'.
    expect(messages(text, 'invalid-value')).toEqual([
      expect.stringMatching(/^8 'PASS' is not a track option/),
      expect.stringMatching(/^9 'secret' is not a track option/),
    ]);
    // The '}' after auth_pass ends track_interface only: virtual_ipaddress is still in the instance.
    expect(out.filter((f) => f.includes(':error'))).toEqual([]);
    expect(out).toContain('7:unexpected-block:warning');
  });

  it('says nothing more when the block is written with its braces', () => {
    const text = instance('track_interface {', '    eth1', '}', 'virtual_ipaddress {', '    192.0.2.10', '}');
    expect(found(text)).toEqual([]);
  });
});

describe('address options keepalived drops for IPv6 (vrrp_ipaddress.c alloc_ipaddress)', () => {
  const vips = (...lines: string[]) => instance('virtual_ipaddress {', ...lines.map((l) => `    ${l}`), '}');

  it('warns that scope and label are ignored on an IPv6 address', () => {
    const text = vips('fe80::1/64 dev eth1 scope link', 'fe00:1:2::4/64 dev eth2 label keepalived');
    expect(messages(text, 'invalid-value')).toEqual([
      expect.stringContaining('7 keepalived takes no scope for an IPv6 address'),
      expect.stringContaining('8 keepalived takes no label for an IPv6 address'),
    ]);
    expect(found(text, ['invalid-value'])).toEqual(['7:invalid-value:warning', '8:invalid-value:warning']);
  });

  it('says nothing for IPv4 addresses, or for scope global (scope 0) on IPv6', () => {
    const text = vips(
      '10.0.0.1/24 dev eth1 scope link label eth1:vip',
      'fe80::1/64 dev eth1 scope global',
      'fe80::2/64 dev eth1 scope 0x0',
      '10.0.0.2/24 dev eth1 scope 0xfd',
    );
    expect(found(text, ['invalid-value'])).toEqual([]);
  });

  it('a scope name keepalived does not know by default is a warning (rt_scopes may name it)', () => {
    const text = vips('10.0.0.1/24 dev eth1 scope campus', '10.0.0.2/24 dev eth1 scope 256');
    expect(found(text, ['invalid-value'])).toEqual(['7:invalid-value:warning', '8:invalid-value:warning']);
    expect(messages(text, 'invalid-value')[0]).toContain('/etc/iproute2/rt_scopes');
  });

  it('an IPv6 broadcast, a bad broadcast or a label too long drops the address (an error)', () => {
    const text = vips(
      'fe80::1/64 brd fe80::ff',
      '10.0.0.1/24 brd 10.0.0.255/24',
      '10.0.0.2/24 label a-label-of-16-ch',
      '10.0.0.3/24 brd + label fifteen-chars-x',
    );
    expect(found(text, ['invalid-value'])).toEqual([
      '7:invalid-value:error',
      '8:invalid-value:error',
      '9:invalid-value:error',
    ]);
  });
});

describe('route lines as vrrp_iproute.c alloc_route reads them', () => {
  const routes = (...lines: string[]) => instance('virtual_routes {', ...lines.map((l) => `    ${l}`), '}');

  it('drops a route with a word that is neither an option nor a destination', () => {
    const text = routes(
      '176.223.63.240/30 via 89.44.234.193 dev eth0 link src 89.44.234.208',
      'deafult via 10.0.0.1 dev eth0',
    );
    const out = messages(text, 'invalid-value');
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      /^7 'link' is not a route option.*"unknown route keyword link" and drops this route/,
    );
    expect(out[1]).toMatch(/^8 'deafult' is not a route option.*'default'.*"unknown route keyword deafult"/);
    expect(found(text, ['invalid-value'])).toEqual(['7:invalid-value:error', '8:invalid-value:error']);
    // keepalived never gets as far as tracking a dropped route.
    expect(found(text, ['route-tracking'])).toEqual([]);
  });

  it('route options follow the targeted release (schema/line-options.ts ROUTE_OPTIONS since)', () => {
    const text = routes('10.1.0.0/16 dev eth0 append', '10.2.0.0/16 dev eth0 no_track');
    expect(messages(text, 'invalid-value', '2.2.4')).toEqual([
      expect.stringContaining(
        `7 'append' is read from keepalived 2.2.5; keepalived 2.2.4 takes it for the destination: keepalived reports "unknown route keyword append"`,
      ),
    ]);
    expect(found(text, ['invalid-value'], '2.2.5')).toEqual([]);
    expect(found(text, ['invalid-value'], '2.0.2')).toEqual([
      '7:invalid-value:error',
      '8:invalid-value:error',
    ]);
    // No release reads 'link': it is reported whatever the target.
    expect(found(routes('10.3.0.0/16 dev eth0 link'), ['invalid-value'], '2.4.3')).toEqual([
      '7:invalid-value:error',
    ]);
  });

  it("takes the word after 'to' as the destination, and knows 'protocol', not 'proto'", () => {
    // Checked against keepalived 2.2.7 -t: both lines report "unknown route keyword".
    const text = routes('to blackhole 10.9.0.0/16 dev eth0', '10.6.0.0/16 dev eth0 proto static');
    expect(messages(text, 'invalid-value')).toEqual([
      expect.stringContaining('"unknown route keyword blackhole"'),
      expect.stringContaining('"unknown route keyword proto"'),
    ]);
  });

  it('drops a route whose gateway or source is not an address (no /prefix there)', () => {
    const text = routes(
      '10.1.0.0/16 via x.x.x.x dev eth0',
      '10.2.0.0/16 via 10.0.0.1/24 dev eth0',
      '10.3.0.0/16 src 10.0.0 dev eth0',
      '10.4.0.0/16 via inet6 fe80::1 dev eth0',
      '10.5.0.0/16 dev eth0 metric -1',
    );
    expect(messages(text, 'invalid-value')).toEqual([
      expect.stringContaining(
        '7 \'x.x.x.x\' is not an IPv4 or IPv6 address: keepalived reports "invalid route via address x.x.x.x"',
      ),
      expect.stringContaining(
        "8 '10.0.0.1/24' is not an IPv4 or IPv6 address (a gateway or source takes no /prefix)",
      ),
      expect.stringContaining('"invalid route src address 10.0.0"'),
      expect.stringContaining('"Cannot mix IPv4 and IPv6 addresses for route"'),
      expect.stringContaining('"Invalid metric -1 specified for route"'),
    ]);
  });

  it('reads what keepalived reads without a word', () => {
    const text = routes(
      '10.1.0.0/16 via 10.0.0.1 dev eth0 scope link table 100 metric 10 mtu lock 1400 onlink',
      'default via 10.0.0.1 dev eth0',
      'blackhole 10.9.0.0/16 dev eth0',
      'to 10.8.0.0/16 dev eth0 protocol static no_track',
      'fe80::/64 from 2001:db8::/64 via fe80::1 dev eth0 pref high',
      '10.7.0.0/16 dev eth0 nexthop via 10.0.0.1 dev eth0 weight 1',
    );
    expect(found(text, ['invalid-value'])).toEqual([]);
  });
});

describe('values the handlers raise, clamp or reject (global_parser.c, vrrp_parser.c)', () => {
  it('a repeat count or smtp_connect_timeout of 0 is raised to 1 (since 2.0.7)', () => {
    const text = conf(
      'global_defs {',
      '    vrrp_garp_master_repeat 0',
      '    vrrp_garp_master_refresh_repeat 0',
      '    smtp_connect_timeout 0',
      '}',
      ...instance('garp_master_repeat 0', 'garp_master_refresh_repeat 0').trimEnd().split('\n'),
    );
    expect(found(text, ['invalid-value'])).toEqual([
      '2:invalid-value:warning',
      '3:invalid-value:warning',
      '4:invalid-value:warning',
      '11:invalid-value:warning',
      '12:invalid-value:warning',
    ]);
    expect(messages(text, 'invalid-value')[0]).toContain(
      '"vrrp_garp_master_repeat must be greater than 0, setting to 1" and uses 1',
    );
    // 2.0.6 and older take 0 as it is.
    expect(found(text, ['invalid-value'], '2.0.6')).toEqual([]);
  });

  it('says nothing for counts of 1 or more', () => {
    const text = conf('global_defs {', '    vrrp_garp_master_repeat 5', '    smtp_connect_timeout 30', '}');
    expect(found(text, ['invalid-value'])).toEqual([]);
  });

  it('real-time priorities: a non-number is ignored, out of 1..99 is clamped', () => {
    const text = conf(
      'global_defs {',
      '    vrrp_rt_priority 27asdf',
      '    checker_rt_priority -3.5',
      '    bfd_rt_priority 192',
      '    vrrp_rt_priority 0',
      '}',
    );
    expect(found(text, ['invalid-value'])).toEqual([
      '2:invalid-value:error',
      '3:invalid-value:error',
      '4:invalid-value:warning',
      '5:invalid-value:warning',
    ]);
    const out = messages(text, 'invalid-value');
    expect(out[0]).toContain(`"vrrp process real-time priority '27asdf' invalid"`);
    expect(out[2]).toContain(
      '"bfd process real-time priority 192 greater than maximum 99 - setting to maximum"',
    );
    expect(found(conf('global_defs {', '    vrrp_rt_priority 50', '}'), ['invalid-value'])).toEqual([]);
  });

  it('lvs_sync_daemon options out of range are reported and ignored', () => {
    const text = conf(
      'global_defs {',
      '    lvs_sync_daemon eth0 VI_1 id 256 maxlen 120000 port 0 ttl 3',
      '    lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 1500 port 8848 group 224.0.0.81',
      '}',
    );
    const out = messages(text, 'invalid-value');
    expect(out).toEqual([
      expect.stringContaining('"Invalid syncid (256) - defaulting to vrid"'),
      expect.stringContaining('"Invalid lvs_sync_daemon maxlen (120000) - ignoring"'),
      expect.stringContaining('"Invalid lvs_sync_daemon port (0) - ignoring"'),
    ]);
    expect(out.every((m) => m.startsWith('2 '))).toBe(true);
  });
});

describe('a keyword that is an undefined $PARAMETER (lib/parser.c keeps it as written)', () => {
  const text = conf(
    '@EMAIL $EMAIL=',
    '$EMAIL smtp_alert',
    ...instance('$EMAIL smtp_alert').trimEnd().split('\n'),
  );

  it('is an unknown keyword once every definition is known and none applies', () => {
    const out = lint(text, { keepalivedVersion: '2.2.7', configId: 'vm' }).filter(
      (d) => d.rule === 'unknown-keyword',
    );
    expect(out.map((d) => d.range.start.line + 1)).toEqual([2, 8]);
    expect(out[1]!.message).toContain(
      `reports "Unknown keyword '$EMAIL'": it ignores this line, so 'smtp_alert' is not set`,
    );
  });

  it('says nothing when the parameter is defined (here, by the config id in force)', () => {
    const out = lint(text, { keepalivedVersion: '2.2.7', configId: 'EMAIL' }).filter(
      (d) => d.rule === 'unknown-keyword',
    );
    expect(out).toEqual([]);
  });
});

describe('HTTP_GET / SSL_GET digest (check_http.c digest_handler)', () => {
  const url = (digest: string, checker = 'HTTP_GET') =>
    conf(
      'virtual_server 10.0.0.1 80 {',
      '  lvs_method NAT',
      '  protocol TCP',
      '  real_server 10.0.0.2 80 {',
      `    ${checker} {`,
      '      url {',
      '        path /',
      `        digest ${digest}`,
      '      }',
      '    }',
      '  }',
      '}',
    );

  it('reports a digest that is not 32 characters, as keepalived -t does on devel/ipvs:58', () => {
    const out = messages(url('1qsefqwerfqrgqerqeg'), 'invalid-value');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^8 .*character length should be 32 rather than 19/);
  });

  it('reports the last pair that is not hex, as the handler reads them from the end', () => {
    const out = messages(url('zz00000000000000000000000000000g', 'SSL_GET'), 'invalid-value');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/at offset 30\/31/);
  });

  it('accepts an MD5 sum', () => {
    expect(found(url('9b3a0c85a887a256d6939da88aabd8cd'), ['invalid-value'])).toEqual([]);
  });
});

describe('smtp_server (global_parser.c smtpserver_handler)', () => {
  it('is an address, or a name resolved on the node; digits and dots that are neither are an error', () => {
    const text = conf(
      'global_defs {',
      '  smtp_server 300.0.0.1 25',
      '  smtp_server 10.1',
      '  smtp_server mail.example.com 25',
      '  smtp_server 192.0.2.1',
      '  smtp_server fe80::1',
      '  smtp_server fe80::zz 25',
      '  smtp_server 010.0.0.8',
      '  smtp_server 09.0.0.1',
      '}',
    );
    // keepalived 2.2.7 -t: "Invalid smtp server" on lines 2, 7 and 9 (and on 4 where no resolver knows
    // the name, which depends on the node).
    expect(found(text, ['invalid-value'])).toEqual([
      '2:invalid-value:error',
      '7:invalid-value:error',
      '9:invalid-value:error',
    ]);
    expect(messages(text, 'invalid-value')[0]).toContain('so it sends no notification email');
  });
});

describe('notify_deleted (vrrp_parser.c vrrp_notify_deleted_handler)', () => {
  it('alone only turns the deleted notification on: keepalived 2.2.7 -t accepts it', () => {
    expect(found(instance('notify_deleted'), ['missing-argument'])).toEqual([]);
    expect(found(instance('notify_deleted /usr/local/bin/deleted.sh'), ['missing-argument'])).toEqual([]);
  });
});
