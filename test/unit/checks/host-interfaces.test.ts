// interface-not-on-host: an interface keepalived looks up while it reads the line, missing on this machine
// (--this-host). keepalived -t 2.2.7 in a network namespace holding only lo and eth0 reported each of the
// messages asserted below, at these lines, then "Non-existent interface specified in configuration"
// (exit 5); the daemon then logged "exited with permanent error CONFIG. Terminating".
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedHost } from '../../../server/src/analysis/host';
import { passwdHost } from '../../../server/src/node/host';
import { conf, lint } from '../../helpers';

const MACHINE = fixedHost({}, undefined, {}, ['lo', 'eth0']);
const onThisHost = { security: { host: MACHINE, thisHost: true } };

const CONFIG = conf(
  'vrrp_sync_group SG {',
  '  group {',
  '    VI_1',
  '  }',
  '  track_interface {',
  '    eth7',
  '  }',
  '}',
  'garp_group {',
  '  garp_interval 1',
  '  interface eth5',
  '  interfaces {',
  '    eth0 eth6',
  '  }',
  '}',
  'vrrp_instance VI_1 {',
  '  state MASTER',
  '  interface eth9',
  '  virtual_router_id 51',
  '  priority 100',
  '  track_interface {',
  '    eth8 weight 10',
  '    eth0',
  '  }',
  '  virtual_ipaddress {',
  '    192.0.2.10/24 dev eth4',
  '    192.0.2.11/24 dev eth0',
  '  }',
  '  virtual_routes {',
  '    192.0.3.0/24 dev eth3',
  '  }',
  '  virtual_rules {',
  '    from 192.0.2.1 table 100 iif eth2',
  '  }',
  '}',
);

const found = (text: string, options = onThisHost) =>
  lint(text, options).filter((d) => d.rule === 'interface-not-on-host');

describe('interface-not-on-host', () => {
  it("reports each interface keepalived looks up and this machine lacks, with keepalived's own message", () => {
    const said = found(CONFIG).map(
      (d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`,
    );
    expect(said).toEqual([
      "6 (SG) tracked interface eth7 doesn't exist",
      "11 WARNING - interface eth5 specified for garp_group doesn't exist",
      "13 WARNING - interface eth6 specified for garp_group doesn't exist",
      "18 WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist",
      "22 (VI_1) tracked interface eth8 doesn't exist",
      "26 WARNING - interface eth4 for ip address 192.0.2.10/24 doesn't exist",
      "30 WARNING - interface eth3 for VROUTE nexthop doesn't exist",
      "33 WARNING - interface eth2 for rule doesn't exist",
    ]);
    const first = found(CONFIG)[0]!;
    expect(first.severity).toBe('warning');
    expect(first.message).toContain('Non-existent interface specified in configuration');
    expect(first.message).toContain('keepalived terminates');
  });

  it('says nothing without --this-host, or when the machine does not know its interfaces', () => {
    expect(found(CONFIG, {} as typeof onThisHost)).toEqual([]);
    expect(found(CONFIG, { security: { host: MACHINE, thisHost: false } })).toEqual([]);
    expect(found(CONFIG, { security: { host: fixedHost({}), thisHost: true } })).toEqual([]);
  });

  it('a static address without dev goes on the default_interface, else eth0 (keepalived -t 2.2.7: exit 4 without eth0)', () => {
    const ens18 = { security: { host: fixedHost({}, undefined, {}, ['lo', 'ens18']), thisHost: true } };
    const statics = conf('static_ipaddress {', '  192.0.2.5/24', '  192.0.2.6/24 dev ens18', '}');
    const said = found(statics, ens18);
    expect(said.map((d) => d.range.start.line + 1)).toEqual([2]);
    expect(said[0]!.message).toContain(
      '"Static address 192.0.2.5/24 requires either an interface or default interface must exist"',
    );
    expect(said[0]!.message).toContain('names no default_interface, so keepalived puts it on eth0');
    const named = (name: string) => conf('global_defs {', `  default_interface ${name}`, '}') + statics;
    expect(found(named('ens18'), ens18)).toEqual([]);
    expect(found(named('ens19'), ens18)[0]!.message).toContain('puts it on the default_interface, ens19');
    // The global settings come first: a default_interface below the addresses counts too (-t 2.2.7: exit 0).
    expect(found(statics + conf('global_defs {', '  default_interface ens18', '}'), ens18)).toEqual([]);
  });

  it('an instance interface name too long is refused before any lookup (keepalived -t 2.2.7: only "too long")', () => {
    const text = conf('vrrp_instance VI_1 {', '  interface abcdefghijklmnopq', '  virtual_router_id 51', '}');
    expect(found(text)).toEqual([]);
    expect(
      found(text.replace('abcdefghijklmnopq', 'abcdefghijklmno')).map((d) => d.range.start.line + 1),
    ).toEqual([2]);
  });

  it('says nothing for a configuration that runs in its own network namespace', () => {
    expect(found(conf('net_namespace blue') + CONFIG)).toEqual([]);
  });

  it('with dynamic_interfaces, is an info that keepalived waits for the interface', () => {
    const dynamic = found(conf('global_defs {', '  dynamic_interfaces', '}') + CONFIG);
    expect(dynamic).toHaveLength(8);
    expect(dynamic.every((d) => d.severity === 'info')).toBe(true);
    expect(dynamic[0]!.message).toContain('will use if created');
    // The lookup then makes the interface: keepalived reports no per-line message (the 2.2.7 daemon's log).
    expect(dynamic[0]!.message).not.toContain("doesn't exist");
  });

  it('reads the name after parameters are replaced, and leaves @id lines alone without a config id', () => {
    const text = conf(
      '$IF=eth9',
      'vrrp_instance VI_1 {',
      '  interface $IF',
      '  @b track_interface {',
      '    eth8',
      '  }',
      '  virtual_router_id 51',
      '  virtual_ipaddress {',
      '    192.0.2.10/24',
      '  }',
      '}',
    );
    expect(found(text).map((d) => d.message.match(/interface '(\w+)'/)?.[1])).toEqual(['eth9']);
    expect(
      found(text, { ...onThisHost, configId: 'b' } as typeof onThisHost).map((d) => d.range.start.line + 1),
    ).toEqual([3, 5]);
  });
});

describe('passwdHost interfaceExists (node/host.ts)', () => {
  it('reads the interface names of a sysfs net folder, and knows none when it cannot read it', () => {
    const net = mkdtempSync(join(tmpdir(), 'net-'));
    for (const name of ['lo', 'ens18']) mkdirSync(join(net, name));
    const host = passwdHost('/nonexistent/passwd', '/nonexistent/group', net);
    expect(host.interfaceExists?.('ens18')).toBe(true);
    expect(host.interfaceExists?.('eth0')).toBe(false);
    expect(
      passwdHost('/nonexistent/passwd', '/nonexistent/group', join(net, 'missing')).interfaceExists?.('lo'),
    ).toBeUndefined();
    rmSync(net, { recursive: true });
  });
});
