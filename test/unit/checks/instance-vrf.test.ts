// vrf-ignored: what keepalived does with a vrrp_instance's vrf lines (analysis/instance-vrf.ts). Each message
// asserted below is the one keepalived -t 2.2.7 printed for the same instance (in a network namespace holding
// lo, eth0 and eth1), every run exiting 5.
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { fixedHost } from '../../../server/src/analysis/host';
import { Workspace } from '../../../server/src/analysis/workspace';
import { lintFile } from '../../../server/src/checks';
import { conf, lint } from '../../helpers';

const instance = (...lines: string[]) =>
  conf(
    'vrrp_instance VI_1 {',
    '  state BACKUP',
    ...lines,
    '  virtual_router_id 51',
    '  unicast_src_ip 192.0.2.1',
    '  unicast_peer {',
    '    192.0.2.2',
    '  }',
    '  virtual_ipaddress {',
    '    192.0.2.10/24',
    '  }',
    '}',
  );

const said = (text: string, options = {}) =>
  lint(text, options)
    .filter((d) => d.rule === 'vrf-ignored')
    .map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`);

describe('vrf-ignored', () => {
  it('refuses a vrf after an interface keepalived took, and says what to keep', () => {
    const text = instance('  interface eth0', '  vrf red');
    expect(said(text)).toEqual(['4 (VI_1) Cannot specify VRF interface and interface - ignoring']);
    const [d] = lint(text).filter((f) => f.rule === 'vrf-ignored');
    expect(d!.severity).toBe('warning');
    expect(d!.message).toContain('VI_1 already has interface eth0 (line 3)');
    expect(d!.message).toContain('Keep one of the two');
    // Before 2.2.8 an instance cannot go without its interface: the advice is to drop the vrf.
    const [old] = lint(text, { keepalivedVersion: '2.2.7' }).filter((f) => f.rule === 'vrf-ignored');
    expect(old!.message).toContain('Remove the vrf line: before 2.2.8 an instance needs its interface');
    const [newer] = lint(text, { keepalivedVersion: '2.2.8' }).filter((f) => f.rule === 'vrf-ignored');
    expect(newer!.message).toContain('Keep one of the two');
  });

  it('names the file of an interface line in another file', () => {
    const ws = new Workspace(
      new MemoryFileSystem({
        '/k/keepalived.conf': instance('  vrf blue', '  include if.conf'),
        '/k/if.conf': conf('  interface eth0'),
      }),
    );
    const model = ws.modelFor('/k/keepalived.conf')!;
    const found = [...model.files.values()]
      .flatMap((f) => lintFile(f))
      .filter((d) => d.rule === 'vrf-ignored');
    expect(found.map((d) => d.message.match(/also has interface eth0 \(([^)]*)\)/)?.[1])).toEqual([
      'line 1 of if.conf',
    ]);
  });

  it('clears a vrf once the configuration is read when an interface follows it', () => {
    const text = instance('  vrf eth0', '  interface eth0');
    expect(said(text)).toEqual(['3 (VI_1) vrf can only be specified without interface - clearing']);
    expect(lint(text).find((f) => f.rule === 'vrf-ignored')!.message).toContain(
      'also has interface eth0 (line 4)',
    );
  });

  it('refuses a name too long and the loopback device, then keeps the first vrf it takes', () => {
    const text = instance('  vrf averyveryverylongname', '  vrf lo', '  vrf eth0', '  vrf eth1');
    expect(said(text)).toEqual([
      "3 (VI_1) VRF interface name 'averyveryverylongname' too long - ignoring",
      '4 (VI_1) cannot use a loopback interface (lo) for VRF - ignoring',
      "6 (VI_1) VRF interface already specified as 'eth0' - ignoring",
    ]);
  });

  it('an interface cleared by lo or refused as too long leaves the vrf alone', () => {
    expect(said(instance('  interface eth0', '  interface lo', '  vrf red'))).toEqual([]);
    expect(said(instance('  interface averyveryverylongname', '  vrf red'))).toEqual([]);
    expect(said(instance('  vrf red'))).toEqual([]);
  });

  it('says nothing where the reading is not known here, or before 2.2.5 (no vrf keyword)', () => {
    // A parameter is read as keepalived replaces it (the instance starts on line 2 here).
    expect(said(conf('$IF=eth0') + instance('  interface $IF', '  vrf red'))).toEqual([
      '5 (VI_1) Cannot specify VRF interface and interface - ignoring',
    ]);
    expect(said(instance('  interface {{ iface }}', '  vrf red'))).toEqual([]);
    expect(said(instance('  @a interface eth0', '  vrf red'))).toEqual([]);
    // With the node's config id, its lines are known again.
    expect(said(instance('  @a interface eth0', '  vrf red'), { configId: 'a' })).toEqual([
      '4 (VI_1) Cannot specify VRF interface and interface - ignoring',
    ]);
    // An interface line after the vrf that is not known here may or may not clear it: nothing said.
    expect(said(instance('  vrf red', '  interface {{ iface }}'))).toEqual([]);
    expect(said(instance('  interface eth0', '  vrf red'), { keepalivedVersion: '2.2.4' })).toEqual([]);
  });

  it('--this-host: the vrf keepalived looks up must exist (keepalived -t 2.2.7: "WARNING - VRF interface red doesn\'t exist", exit 5)', () => {
    const host = { security: { host: fixedHost({}, undefined, {}, ['lo', 'eth0']), thisHost: true } };
    const missing = (text: string) =>
      lint(text, host)
        .filter((d) => d.rule === 'interface-not-on-host')
        .map((d) => `${d.range.start.line + 1} ${/reports "([^"]*)"/.exec(d.message)?.[1]}`);
    expect(missing(instance('  vrf red'))).toEqual(["3 (VI_1) WARNING - VRF interface red doesn't exist"]);
    // A vrf keepalived refuses before the lookup is not looked up: only the interface counts.
    expect(missing(instance('  interface eth0', '  vrf red'))).toEqual([]);
  });
});
