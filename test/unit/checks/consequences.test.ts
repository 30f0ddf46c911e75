// What keepalived removes or turns on at a block's closing '}', reported there and where the object is
// named (keepalived 2.2.7 -t says the same lines: checked by npm run test:parity on its test configs).
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const RULES = new Set([
  'vrrp-script-without-script',
  'track-file-without-file',
  'track-process-without-process',
  'http-check-without-url',
  'sorry-server-option-without-server',
  'bfd-without-neighbor',
  'unicast-vmac-xmit-base',
  'file-check-without-track-file',
  'duplicate-garp-interface',
  'vrrp-iptables-build',
]);
const found = (text: string, configId?: string) =>
  lint(text, { configId })
    .filter((d) => RULES.has(d.rule))
    .map((d) => `${d.range.start.line + 1}:${d.rule}`);

const instance = (...lines: string[]) =>
  conf(
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 5',
    ...lines.map((l) => `  ${l}`),
    '}',
  );

describe('blocks keepalived drops at their closing brace', () => {
  it('a vrrp_script without script, on its } and on the track_script entry', () => {
    const text = conf('vrrp_script chk {', '  interval 2', '}') + instance('track_script {', '  chk', '}');
    expect(found(text)).toEqual(['3:vrrp-script-without-script', '8:vrrp-script-without-script']);
    expect(found(conf('vrrp_script chk {', '  script /bin/true', '}'))).toEqual([]);
  });

  it('judges the lines keepalived reads: an @id line for another node does not count', () => {
    const text = conf('vrrp_script chk {', '@lb1 script /bin/true', '}');
    expect(found(text, 'lb2')).toEqual(['3:vrrp-script-without-script']);
    expect(found(text, 'lb1')).toEqual([]);
  });

  it('a vrrp_track_process without process, on its } and on the track_process entry (vrrp_tprocess_end_handler)', () => {
    const text =
      conf('vrrp_track_process chk_p {', '  weight 10', '}') + instance('track_process {', '  chk_p', '}');
    expect(found(text)).toEqual(['3:track-process-without-process', '8:track-process-without-process']);
    expect(found(conf('vrrp_track_process chk_p {', '  process haproxy', '}'))).toEqual([]);
  });

  it('an HTTP_GET or SSL_GET without url, on its } (check_http.c http_get_check_end)', () => {
    const vs = (...checker: string[]) =>
      conf(
        'virtual_server 10.0.0.1 80 {',
        '  real_server 10.0.0.2 80 {',
        ...checker.map((l) => `    ${l}`),
        '  }',
        '}',
      );
    expect(found(vs('HTTP_GET {', '  connect_timeout 3', '}'))).toEqual(['5:http-check-without-url']);
    expect(found(vs('SSL_GET {', '}'))).toEqual(['4:http-check-without-url']);
    expect(found(vs('HTTP_GET {', '  url {', '    path /', '  }', '}'))).toEqual([]);
  });

  it('sorry_server_inhibit and sorry_server_lvs_method before the sorry_server line (check_parser.c)', () => {
    const text = conf(
      'virtual_server 10.0.0.1 80 {',
      '  sorry_server_inhibit',
      '  sorry_server_lvs_method DR',
      '  sorry_server 10.0.0.9 80',
      '  sorry_server_inhibit',
      '  sorry_server_lvs_method NAT',
      '}',
      'virtual_server 10.0.0.1 81 {',
      '  sorry_server_inhibit',
      '}',
      'virtual_server 10.0.0.1 82 {',
      '  sorry_server 10.0.0.300 80',
      '  sorry_server_inhibit',
      '}',
    );
    expect(found(text)).toEqual([
      '2:sorry-server-option-without-server',
      '3:sorry-server-option-without-server',
      '9:sorry-server-option-without-server',
      '13:sorry-server-option-without-server',
    ]);
  });

  it('a track_file without file and a bfd_instance without neighbor_ip', () => {
    expect(found(conf('track_file tf {', '  weight 1', '}'))).toEqual(['3:track-file-without-file']);
    expect(found(conf('bfd_instance b1 {', '  weight 1', '}'))).toEqual(['3:bfd-without-neighbor']);
    expect(found(conf('bfd_instance b1 {', '  neighbour_ip 10.0.0.2', '}'))).toEqual([]);
  });

  it('a block made by a multi-line definition is reported on the line that uses it', () => {
    const text = conf('$S=vrrp_script chk { \\', '  interval 2 \\', '}', '$S');
    expect(found(text)).toEqual(['4:vrrp-script-without-script']);
  });
});

describe('unicast with use_vmac', () => {
  it('without vmac_xmit_base keepalived turns it on: reported on the instance }', () => {
    expect(found(instance('use_vmac', 'unicast_peer {', '  10.0.0.2', '}'))).toEqual([
      '8:unicast-vmac-xmit-base',
    ]);
    expect(found(instance('use_vmac', 'vmac_xmit_base', 'unicast_src_ip 10.0.0.1'))).toEqual([]);
    expect(found(instance('use_vmac'))).toEqual([]);
  });

  it('a FILE_CHECK naming no kept track_file, on its }', () => {
    const vs = (...inside: string[]) =>
      conf(
        'virtual_server 10.0.0.1 80 {',
        ' real_server 10.0.0.2 80 {',
        '  FILE_CHECK {',
        ...inside,
        '  }',
        ' }',
        '}',
      );
    expect(found(vs('   track_file tf'))).toEqual(['5:file-check-without-track-file']);
    expect(found(vs('   weight 5'))).toEqual(['5:file-check-without-track-file']);
    const tf = (...lines: string[]) => conf('track_file tf {', ...lines, '}');
    expect(found(tf(' file /run/tf') + vs('   track_file tf'))).toEqual([]);
    // a track_file dropped for lacking its file counts as none
    expect(found(tf('@a file /run/tf') + vs('   track_file tf'), 'b')).toEqual([
      '3:track-file-without-file',
      '7:track-file-without-file',
      '8:file-check-without-track-file',
    ]);
    expect(found(tf('@a file /run/tf') + vs('   track_file tf'), 'a')).toEqual([]);
  });

  it('an interface in a second garp_group: on its line, or on the } of an interfaces block', () => {
    const first = conf('garp_group {', '  interfaces {', '    eth0', '    eth1', '  }', '}');
    expect(found(first + conf('garp_group {', '  interface eth1', '}'))).toEqual([
      '8:duplicate-garp-interface',
    ]);
    expect(found(first + conf('garp_group {', '  interfaces {', '    eth2 eth1', '  }', '}'))).toEqual([
      '10:duplicate-garp-interface',
    ]);
    expect(found(first + conf('garp_group {', '  interface eth2', '}'))).toEqual([]);
  });

  it('nftables after vrrp_iptables: ignored on an nftables build', () => {
    expect(found(conf('global_defs {', '  vrrp_iptables', '  nftables', '}'))).toEqual([
      '2:vrrp-iptables-build',
      '3:vrrp-iptables-build',
    ]);
    expect(found(conf('global_defs {', '  nftables', '}'))).toEqual([]);
  });

  it('a garp_group with no interval is removed; either interval keeps it', () => {
    const removed = (text: string) =>
      lint(text)
        .filter((d) => d.rule === 'garp-group-without-delay')
        .map((d) => d.range.start.line + 1);
    expect(removed(conf('garp_group {', ' interfaces {', '  eth0', ' }', '}'))).toEqual([5]);
    expect(removed(conf('garp_group {', ' gna_interval 0.001', ' interface eth0', '}'))).toEqual([]);
  });
});
