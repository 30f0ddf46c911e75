// Every rule with a case that fires and a close case that must not.
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../../server/src/checks/families';
import { fixedHost } from '../../../server/src/analysis/host';
import { conf, lint, requiredLines, rulesAt, vrrpInstance } from '../../helpers';

interface Case {
  rule: string;
  fires: string;
  /** 1-based line the finding must be on. */
  line: number;
  clean: string;
  options?: Parameters<typeof lint>[1];
}

const cases: Case[] = [
  {
    rule: 'unclosed-block',
    fires: conf('vrrp_instance VI_1 {', ' state MASTER'),
    line: 1,
    clean: conf('vrrp_instance VI_1 {', ' state MASTER', '}'),
  },
  {
    rule: 'extra-closing-brace',
    fires: conf('global_defs {', '}', '}'),
    line: 3,
    clean: conf('global_defs {', '}'),
  },
  {
    rule: 'unexpected-block',
    fires: conf('vrrp_instance VI_1 {', ' state MASTER {', ' }', '}'),
    line: 2,
    clean: conf('vrrp_instance VI_1 {', ' state MASTER', '}'),
  },
  {
    rule: 'missing-block',
    fires: conf('virtual_server 192.0.2.1 80', ' delay_loop 5'),
    line: 2,
    clean: conf('virtual_server 192.0.2.1 80', '{', ' delay_loop 5', '}'),
  },
  {
    rule: 'unterminated-quote',
    fires: conf('global_defs {', ' router_id "abc', '}'),
    line: 2,
    clean: conf('global_defs {', ' router_id "abc"', '}'),
  },
  {
    rule: 'unknown-keyword',
    fires: conf('vrrp_instance VI_1 {', ' prority 100', '}'),
    line: 2,
    clean: conf('vrrp_instance VI_1 {', ' priority 100', '}'),
  },
  {
    rule: 'wrong-block',
    fires: conf('global_defs {', ' priority 100', '}'),
    line: 2,
    clean: conf('vrrp_instance VI_1 {', ' priority 100', '}'),
  },
  {
    rule: 'unsupported-keyword',
    fires: conf('global_defs {', ' vrrp_delay_after_boot 5', '}'),
    line: 2,
    clean: conf('global_defs {', ' vrrp_delay_after_boot 5', '}'),
    options: { keepalivedVersion: '2.2.7' },
  },
  {
    rule: 'missing-argument',
    fires: conf('vrrp_instance VI_1 {', ' priority', '}'),
    line: 2,
    clean: conf('vrrp_instance VI_1 {', ' priority 100', '}'),
  },
  {
    rule: 'extra-argument',
    fires: conf('vrrp_instance VI_1 {', ' nopreempt yes', '}'),
    line: 2,
    clean: conf('vrrp_instance VI_1 {', ' nopreempt', '}'),
  },
  {
    rule: 'invalid-value',
    fires: conf('vrrp_instance VI_1 {', ' priority 300', '}'),
    line: 2,
    clean: conf('vrrp_instance VI_1 {', ' priority 255', '}'),
  },
  {
    rule: 'deprecated-keyword',
    fires: conf(
      'virtual_server 192.0.2.1 80 {',
      ' real_server 192.0.2.2 80 {',
      '  HTTP_GET {',
      '   nb_get_retry 3',
      '  }',
      ' }',
      '}',
    ),
    line: 4,
    clean: conf(
      'virtual_server 192.0.2.1 80 {',
      ' real_server 192.0.2.2 80 {',
      '  HTTP_GET {',
      '   retry 3',
      '  }',
      ' }',
      '}',
    ),
  },
  {
    rule: 'legacy-keyword',
    fires: conf('virtual_server 192.0.2.1 80 {', ' lb_algo rr', '}'),
    line: 2,
    clean: conf('virtual_server 192.0.2.1 80 {', ' lvs_sched rr', '}'),
  },
  {
    rule: 'auth-pass-too-long',
    fires: conf(
      'vrrp_instance VI_1 {',
      ' authentication {',
      '  auth_type PASS',
      '  auth_pass 123456789',
      ' }',
      '}',
    ),
    line: 4,
    clean: conf(
      'vrrp_instance VI_1 {',
      ' authentication {',
      '  auth_type PASS',
      '  auth_pass 12345678',
      ' }',
      '}',
    ),
  },
  {
    rule: 'line-too-long',
    fires: conf('global_defs {', ` router_id ${'a'.repeat(1100)}`, '}'),
    line: 2,
    clean: conf('global_defs {', ` router_id ${'a'.repeat(900)}`, '}'),
  },
  {
    rule: 'analysis-limit',
    // $B grows to 20,000 characters, more than MAX_EXPANSION_CHARS.
    fires: conf(`$A=${'a'.repeat(1000)}`, `$B=${'${A}'.repeat(20)}`, 'global_defs {', ' router_id $B', '}'),
    line: 4,
    clean: conf(`$A=${'a'.repeat(100)}`, `$B=${'${A}'.repeat(20)}`, 'global_defs {', ' router_id $B', '}'),
  },
  {
    rule: 'undefined-reference',
    fires: conf('vrrp_instance VI_1 {', ' track_script {', '  chk', ' }', '}'),
    line: 3,
    clean: conf(
      'vrrp_script chk {',
      ' script "/bin/true"',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      '}',
    ),
  },
  {
    rule: 'defined-after-use',
    fires: conf(
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      '}',
      'vrrp_script chk {',
      ' script "/bin/true"',
      '}',
    ),
    line: 3,
    clean: conf(
      'vrrp_script chk {',
      ' script "/bin/true"',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      '}',
    ),
  },
  {
    rule: 'vrrp-iptables-build',
    fires: conf('global_defs {', ' vrrp_iptables KEEPALIVED-VIP', '}'),
    line: 2,
    clean: conf('global_defs {', ' nftables', '}'),
  },
  {
    rule: 'vrrp-ipsets-build',
    fires: conf('global_defs {', ' vrrp_ipsets keepalived', '}'),
    line: 2,
    clean: conf('global_defs {', ' nftables keepalived', '}'),
  },
  {
    rule: 'route-tracking',
    fires: conf('static_routes {', ' 192.168.112.0/24 via 192.168.100.254', '}'),
    line: 2,
    clean: conf(
      'static_routes {',
      ' 192.168.112.0/24 via 192.168.100.254 dev eth0',
      ' 10.1.0.0/16 via 10.0.0.1 no_track',
      '}',
    ),
  },
  {
    rule: 'rule-without-preference',
    fires: conf('static_rules {', ' from 192.168.100.0/24 table 1', '}'),
    line: 2,
    clean: conf('static_rules {', ' from 192.168.100.0/24 table 1 preference 100', '}'),
  },
  {
    rule: 'empty-notification-email',
    fires: conf('global_defs {', ' notification_email {', ' }', '}'),
    line: 3,
    clean: conf('global_defs {', ' notification_email {', '  ops@example.com', ' }', '}'),
  },
  {
    rule: 'instance-missing-required',
    fires: conf('vrrp_instance VI_1 {', ' interface eth0', ' virtual_ipaddress {', '  192.0.2.10', ' }', '}'),
    line: 1,
    clean: conf(...vrrpInstance('VI_1')),
  },
  {
    rule: 'vrrp-script-without-script',
    fires: conf('vrrp_script chk {', ' interval 2', '}'),
    line: 3,
    clean: conf('vrrp_script chk {', ' script "/bin/true"', '}'),
  },
  {
    rule: 'track-file-without-file',
    fires: conf('track_file tf {', ' weight 1', '}'),
    line: 3,
    clean: conf('track_file tf {', ' file /run/tf', '}'),
  },
  {
    rule: 'track-process-without-process',
    fires: conf('vrrp_track_process chk_p {', ' weight 10', '}'),
    line: 3,
    clean: conf('vrrp_track_process chk_p {', ' process haproxy', '}'),
  },
  {
    rule: 'http-check-without-url',
    fires: conf(
      'virtual_server 10.0.0.1 80 {',
      ' real_server 10.0.0.2 80 {',
      '  HTTP_GET {',
      '  }',
      ' }',
      '}',
    ),
    line: 4,
    clean: conf(
      'virtual_server 10.0.0.1 80 {',
      ' real_server 10.0.0.2 80 {',
      '  HTTP_GET {',
      '   url {',
      '    path /',
      '   }',
      '  }',
      ' }',
      '}',
    ),
  },
  {
    rule: 'sorry-server-option-without-server',
    fires: conf('virtual_server 10.0.0.1 80 {', ' sorry_server_inhibit', ' sorry_server 10.0.0.9 80', '}'),
    line: 2,
    clean: conf('virtual_server 10.0.0.1 80 {', ' sorry_server 10.0.0.9 80', ' sorry_server_inhibit', '}'),
  },
  {
    rule: 'bfd-without-neighbor',
    fires: conf('bfd_instance b1 {', ' weight 1', '}'),
    line: 3,
    clean: conf('bfd_instance b1 {', ' neighbor_ip 10.0.0.2', '}'),
  },
  {
    rule: 'garp-group-without-delay',
    fires: conf('garp_group {', ' interfaces {', '  eth0', ' }', '}'),
    line: 5,
    clean: conf('garp_group {', ' garp_interval 0.001', ' interfaces {', '  eth0', ' }', '}'),
  },
  {
    rule: 'unicast-vmac-xmit-base',
    fires: conf('vrrp_instance VI_1 {', ' interface eth0', ' use_vmac', ' unicast_src_ip 10.0.0.1', '}'),
    line: 5,
    clean: conf(
      'vrrp_instance VI_1 {',
      ' interface eth0',
      ' use_vmac',
      ' vmac_xmit_base',
      ' unicast_src_ip 10.0.0.1',
      '}',
    ),
  },
  {
    rule: 'duplicate-definition',
    fires: conf(
      'vrrp_script chk {',
      '}',
      'vrrp_script chk {',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      '}',
    ),
    line: 3,
    clean: conf(
      'vrrp_script chk {',
      '}',
      '@a vrrp_script chk2 {',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      '  chk2',
      ' }',
      '}',
    ),
  },
  {
    rule: 'unused-definition',
    fires: conf('vrrp_script chk {', ' script "/bin/true"', '}'),
    line: 1,
    clean: conf(
      'vrrp_script chk {',
      ' script "/bin/true"',
      '}',
      'vrrp_instance VI_1 {',
      ' track_script {',
      '  chk',
      ' }',
      '}',
    ),
  },
  {
    rule: 'parameter-cycle',
    fires: conf('$IF=${IF}', 'vrrp_instance VI_1 {', ' interface ${IF}', '}'),
    line: 3,
    clean: conf('$IF=eth0', 'vrrp_instance VI_1 {', ' interface ${IF}', '}'),
  },
  {
    rule: 'undefined-parameter',
    fires: conf('global_defs {', ' router_id $NAME', '}'),
    line: 2,
    clean: conf('$NAME=lb1', 'global_defs {', ' router_id $NAME', '}'),
  },
  {
    rule: 'unused-parameter',
    fires: conf('$NAME=lb1', 'global_defs {', ' router_id lb1', '}'),
    line: 1,
    clean: conf('$NAME=lb1', 'global_defs {', ' router_id ${NAME}', '}'),
  },
  {
    rule: 'duplicate-vrid',
    fires: conf(
      'vrrp_instance A {',
      ' interface eth0',
      ' virtual_router_id 7',
      '}',
      'vrrp_instance B {',
      ' interface eth0',
      ' virtual_router_id 7',
      '}',
    ),
    line: 5,
    clean: conf(
      'vrrp_instance A {',
      ' interface eth0',
      ' virtual_router_id 7',
      '}',
      'vrrp_instance B {',
      ' interface eth1',
      ' virtual_router_id 7',
      '}',
    ),
  },
  {
    rule: 'duplicate-vip',
    fires: conf(
      'vrrp_instance A {',
      ' virtual_ipaddress {',
      '  192.0.2.1/24',
      ' }',
      '}',
      'vrrp_instance B {',
      ' virtual_ipaddress {',
      '  192.0.2.1',
      ' }',
      '}',
    ),
    line: 8,
    clean: conf(
      'vrrp_instance A {',
      ' virtual_ipaddress {',
      '  192.0.2.1/24',
      ' }',
      '}',
      'vrrp_instance B {',
      ' virtual_ipaddress {',
      '  192.0.2.2',
      ' }',
      '}',
    ),
  },
  {
    rule: 'duplicate-virtual-server',
    fires: conf('virtual_server 192.0.2.1 80 {', '}', 'virtual_server 192.0.2.1 80 {', '}'),
    line: 3,
    // Neither names a protocol, so keepalived makes both UDP (check_data.c l.1101-1110).
    clean: conf('virtual_server 192.0.2.1 80 {', '}', 'virtual_server 192.0.2.1 80 {', ' protocol TCP', '}'),
  },
  {
    rule: 'setting-overridden',
    fires: conf('vrrp_instance A {', ' priority 100', ' priority 150', '}'),
    line: 2,
    clean: conf('vrrp_instance A {', ' @a priority 100', ' @b priority 150', '}'),
  },
  {
    rule: 'file-check-without-track-file',
    fires: conf(
      'virtual_server 10.0.0.1 80 {',
      ' real_server 10.0.0.2 80 {',
      '  FILE_CHECK {',
      '   track_file tf',
      '  }',
      ' }',
      '}',
    ),
    line: 5,
    clean: conf(
      'track_file tf {',
      ' file /run/tf',
      '}',
      'virtual_server 10.0.0.1 80 {',
      ' real_server 10.0.0.2 80 {',
      '  FILE_CHECK {',
      '   track_file tf',
      '  }',
      ' }',
      '}',
    ),
  },
  {
    rule: 'virtual-server-no-real-server',
    fires: conf('virtual_server 192.0.2.1 80 {', ' protocol TCP', '}'),
    line: 1,
    clean: conf('virtual_server 192.0.2.1 80 {', ' protocol TCP', ' real_server 192.0.2.2 80 {', ' }', '}'),
  },
  {
    rule: 'duplicate-garp-interface',
    fires: conf('garp_group {', ' interface eth0', '}', 'garp_group {', ' interface eth0', '}'),
    line: 5,
    clean: conf('garp_group {', ' interface eth0', '}', 'garp_group {', ' interface eth1', '}'),
  },
  {
    rule: 'address-family-mismatch',
    fires: conf('vrrp_instance A {', ' virtual_ipaddress {', '  10.0.0.1', '  2001:db8::1', ' }', '}'),
    line: 4,
    clean: conf('vrrp_instance A {', ' virtual_ipaddress {', '  10.0.0.1', '  10.0.0.2', ' }', '}'),
  },
  {
    rule: 'vmac-setting-ignored',
    fires: conf('vrrp_instance A {', ' use_vmac vrrp.1', ' use_vmac vrrp.2', '}'),
    line: 3,
    clean: conf('vrrp_instance A {', ' use_vmac vrrp.1', '}'),
  },
  {
    rule: 'vrf-ignored',
    fires: conf('vrrp_instance A {', ' interface eth0', ' vrf red', '}'),
    line: 3,
    clean: conf('vrrp_instance A {', ' vrf red', '}'),
  },
  {
    rule: 'strict-mode-override',
    fires: conf(
      'global_defs {',
      ' vrrp_strict',
      '}',
      'vrrp_instance A {',
      ' state MASTER',
      ' priority 100',
      '}',
    ),
    line: 5,
    clean: conf(
      'global_defs {',
      ' vrrp_strict',
      '}',
      'vrrp_instance A {',
      ' state MASTER',
      ' priority 255',
      '}',
    ),
  },
  {
    rule: 'virtual-server-no-protocol',
    fires: conf('virtual_server 192.0.2.1 80 {', ' lvs_method DR', '}'),
    line: 1,
    clean: conf('virtual_server 192.0.2.1 80 {', ' protocol TCP', '}', 'virtual_server fwmark 5 {', '}'),
  },
  {
    rule: 'virtual-server-default-method',
    fires: conf('virtual_server fwmark 5 {', ' real_server 10.0.0.1 80 {', ' }', '}'),
    line: 1,
    clean: conf(
      'virtual_server fwmark 5 {',
      ' real_server 10.0.0.1 80 {',
      '  lvs_method DR',
      ' }',
      '}',
      'virtual_server fwmark 6 {',
      ' lvs_method TUN',
      ' real_server 10.0.0.1 80 {',
      ' }',
      ' sorry_server 10.0.0.9 80',
      '}',
    ),
  },
  {
    rule: 'virtual-server-no-scheduler',
    fires: conf('virtual_server 192.0.2.1 80 {', ' protocol TCP', ' real_server 10.0.0.1 80 {', ' }', '}'),
    line: 1,
    clean: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lb_algo sh',
      ' protocol TCP',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'virtual-server-zero-port',
    fires: conf(
      'virtual_server 192.0.2.1 0 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
    line: 1,
    clean: conf(
      'virtual_server 192.0.2.1 0 {',
      ' lvs_sched rr',
      ' persistence_timeout',
      ' protocol TCP',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'virtual-server-ops-not-udp',
    fires: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' ops',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    ),
    line: 5,
    clean: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' protocol UDP',
      ' ops',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'virtual-server-fwmark-protocol',
    fires: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
    line: 3,
    clean: conf('virtual_server fwmark 5 {', ' lvs_sched rr', ' real_server 10.0.0.1 {', ' }', '}'),
  },
  {
    rule: 'virtual-server-fwmark-ha-suspend',
    fires: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' ha_suspend',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
    line: 3,
    clean: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' protocol TCP',
      ' ha_suspend',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'duplicate-real-server',
    fires: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' real_server 10.0.0.1 {',
      ' }',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
    line: 5,
    clean: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' real_server 10.0.0.1 {',
      ' }',
      ' real_server 10.0.0.2 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'quorum-over-weight',
    fires: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' quorum 3',
      ' real_server 10.0.0.1 {',
      '  weight 2',
      ' }',
      '}',
    ),
    line: 3,
    clean: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' quorum 3',
      ' weight 3',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'hysteresis-over-quorum',
    fires: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' hysteresis 1',
      ' real_server 10.0.0.1 {',
      ' }',
      '}',
    ),
    line: 3,
    clean: conf(
      'virtual_server fwmark 5 {',
      ' lvs_sched rr',
      ' quorum 2',
      ' hysteresis 1',
      ' real_server 10.0.0.1 {',
      '  weight 2',
      ' }',
      '}',
    ),
  },
  {
    rule: 'sorry-server-inhibit-differs',
    fires: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' sorry_server 10.0.0.1 80',
      ' sorry_server_inhibit',
      ' real_server 10.0.0.1 80 {',
      ' }',
      '}',
    ),
    line: 6,
    clean: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' sorry_server 10.0.0.1 80',
      ' sorry_server_inhibit',
      ' real_server 10.0.0.1 80 {',
      '  inhibit_on_failure',
      ' }',
      '}',
    ),
  },
  {
    rule: 'server-port-ignored',
    fires: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' real_server 10.0.0.1 8080 {',
      ' }',
      '}',
    ),
    line: 5,
    clean: conf(
      'virtual_server 192.0.2.1 80 {',
      ' lvs_sched rr',
      ' lvs_method DR',
      ' protocol TCP',
      ' real_server 10.0.0.1 80 {',
      ' }',
      ' real_server 10.0.0.2 8080 {',
      '  lvs_method NAT',
      ' }',
      '}',
    ),
  },
  {
    rule: 'unicast-without-peers',
    fires: conf('vrrp_instance A {', ' unicast_src_ip 192.0.2.1', '}'),
    line: 2,
    clean: conf(
      'vrrp_instance A {',
      ' unicast_src_ip 192.0.2.1',
      ' unicast_peer {',
      '  192.0.2.2',
      ' }',
      '}',
    ),
  },
  {
    rule: 'auth-ignored',
    fires: conf('vrrp_instance A {', ' authentication {', '  auth_type PASS', ' }', '}'),
    line: 3,
    clean: conf(
      'vrrp_instance A {',
      ' authentication {',
      '  auth_type PASS',
      '  auth_pass secret',
      ' }',
      '}',
    ),
  },
  {
    rule: 'ah-initial-master',
    fires: conf(
      'vrrp_instance A {',
      ' state MASTER',
      ' priority 100',
      ' authentication {',
      '  auth_type AH',
      '  auth_pass s',
      ' }',
      '}',
    ),
    line: 2,
    clean: conf(
      'vrrp_instance A {',
      ' state MASTER',
      ' priority 255',
      ' authentication {',
      '  auth_type AH',
      '  auth_pass s',
      ' }',
      '}',
    ),
  },
  {
    rule: 'nopreempt-with-owner',
    fires: conf('vrrp_instance A {', ' state MASTER', ' nopreempt', '}'),
    line: 3,
    clean: conf('vrrp_instance A {', ' state BACKUP', ' priority 254', ' nopreempt', '}'),
  },
  {
    rule: 'preempt-delay-ignored',
    fires: conf('vrrp_instance A {', ' nopreempt', ' preempt_delay 10', '}'),
    line: 3,
    clean: conf('vrrp_instance A {', ' state BACKUP', ' preempt_delay 10', '}'),
  },
  {
    rule: 'mcast-dst-ignored',
    fires: conf('vrrp_instance A {', ' mcast_dst_ip 224.0.0.19', ' unicast_peer {', '  192.0.2.2', ' }', '}'),
    line: 2,
    clean: conf('vrrp_instance A {', ' mcast_dst_ip 224.0.0.19', '}'),
  },
  {
    rule: 'advert-int-rounded',
    fires: conf('vrrp_instance A {', ' advert_int 1.5', '}'),
    line: 2,
    clean: conf('vrrp_instance A {', ' version 3', ' advert_int 1.5', '}'),
  },
  {
    rule: 'sync-group-single-instance',
    fires: conf('vrrp_sync_group G {', ' group {', '  A', ' }', '}', 'vrrp_instance A {', '}'),
    line: 1,
    clean: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      '}',
      'vrrp_instance A {',
      '}',
      'vrrp_instance B {',
      '}',
    ),
  },
  {
    rule: 'virtual-server-group-removed',
    fires: conf('virtual_server_group G {', '}'),
    line: 2,
    clean: conf('virtual_server_group G {', ' 192.0.2.10 80', '}'),
  },
  {
    rule: 'virtual-server-ignored',
    fires: conf(
      'virtual_server_group G {',
      ' 2001:db8::10 80',
      '}',
      'virtual_server group G {',
      ' protocol TCP',
      ' real_server 192.0.2.20 80 {',
      ' }',
      '}',
    ),
    line: 4,
    clean: conf(
      'virtual_server_group G {',
      ' 192.0.2.10 80',
      '}',
      'virtual_server group G {',
      ' protocol TCP',
      ' real_server 192.0.2.20 80 {',
      ' }',
      '}',
    ),
  },
  {
    rule: 'tracking-removed',
    fires: conf('vrrp_instance A {', ' priority 255', ' track_interface {', '  eth1 weight 10', ' }', '}'),
    line: 4,
    clean: conf('vrrp_instance A {', ' priority 255', ' track_interface {', '  eth1', ' }', '}'),
  },
  {
    rule: 'script-never-tracked',
    fires: conf(
      'vrrp_script chk {',
      ' script "/bin/true"',
      '}',
      'vrrp_instance A {',
      ' priority 255',
      ' track_script {',
      '  chk weight 10',
      ' }',
      '}',
    ),
    line: 1,
    clean: conf(
      'vrrp_script chk {',
      ' script "/bin/true"',
      '}',
      'vrrp_instance A {',
      ' priority 255',
      ' track_script {',
      '  chk weight 0',
      ' }',
      '}',
    ),
  },
  {
    rule: 'tracking-instance-and-group',
    fires: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      ' track_interface {',
      '  eth1 weight -5',
      ' }',
      ' sync_group_tracking_weight',
      '}',
      'vrrp_instance A {',
      ' track_interface {',
      '  eth1 weight -7',
      ' }',
      '}',
      'vrrp_instance B {',
      '}',
    ),
    line: 13,
    clean: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      ' track_interface {',
      '  eth1 weight -5',
      ' }',
      ' sync_group_tracking_weight',
      '}',
      'vrrp_instance A {',
      '}',
      'vrrp_instance B {',
      '}',
    ),
  },
  {
    rule: 'too-many-vips',
    fires: conf(
      'vrrp_instance A {',
      ' virtual_ipaddress {',
      ...Array.from({ length: 90 }, (_, i) => `  2001:db8::${(i + 1).toString(16)}`),
      ' }',
      '}',
    ),
    line: 92,
    clean: conf(
      'vrrp_instance A {',
      ' virtual_ipaddress {',
      ...Array.from({ length: 89 }, (_, i) => `  2001:db8::${(i + 1).toString(16)}`),
      ' }',
      ' virtual_ipaddress_excluded {',
      '  2001:db8::5a',
      ' }',
      '}',
    ),
  },
  {
    rule: 'tracking-weight-cleared',
    fires: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      '}',
      'vrrp_instance A {',
      ' track_interface {',
      '  eth1 weight 10',
      ' }',
      '}',
      'vrrp_instance B {',
      '}',
    ),
    line: 9,
    clean: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      ' sync_group_tracking_weight',
      '}',
      'vrrp_instance A {',
      ' track_interface {',
      '  eth1 weight 10',
      ' }',
      '}',
      'vrrp_instance B {',
      '}',
    ),
  },
  {
    rule: 'sync-group-mixed-owners',
    fires: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      '}',
      'vrrp_instance A {',
      ' state MASTER',
      ' priority 255',
      '}',
      'vrrp_instance B {',
      ' state BACKUP',
      '}',
    ),
    line: 1,
    clean: conf(
      'vrrp_sync_group G {',
      ' group {',
      '  A',
      '  B',
      ' }',
      '}',
      'vrrp_instance A {',
      ' state BACKUP',
      '}',
      'vrrp_instance B {',
      ' state BACKUP',
      '}',
    ),
  },
  {
    rule: 'scheduler-flag-ignored',
    fires: conf('virtual_server fwmark 5 {', ' sh-port', ' lvs_sched sh', '}'),
    line: 2,
    clean: conf('virtual_server fwmark 5 {', ' lvs_sched sh', ' sh-port', ' ops', '}'),
  },
  {
    rule: 'nopreempt-with-master',
    fires: conf('vrrp_instance A {', ' state MASTER', ' priority 100', ' nopreempt', '}'),
    line: 4,
    clean: conf('vrrp_instance A {', ' state BACKUP', ' nopreempt', '}'),
  },
  {
    rule: 'sync-group-overlap',
    fires: conf(
      'vrrp_sync_group G1 {',
      ' group {',
      '  A',
      ' }',
      '}',
      'vrrp_sync_group G2 {',
      ' group {',
      '  A',
      ' }',
      '}',
      'vrrp_instance A {',
      '}',
    ),
    line: 8,
    clean: conf('vrrp_sync_group G1 {', ' group {', '  A', ' }', '}', 'vrrp_instance A {', '}'),
  },
  { rule: 'syntax-error', fires: '{'.repeat(100) + '}'.repeat(100), line: 1, clean: '{}' },
  {
    rule: 'script-user-template',
    fires: conf('vrrp_script chk {', ' script "/usr/local/bin/chk"', ' user {{ script_user }}', '}'),
    line: 3,
    clean: conf('vrrp_script chk {', ' script "/usr/local/bin/chk"', ' user keepalived_script', '}'),
  },
  {
    rule: 'interface-not-on-host',
    fires: conf(...vrrpInstance('VI_1', ' track_interface {', '  eht0', ' }')),
    line: 3,
    clean: conf(...vrrpInstance('VI_1', ' track_interface {', '  eth0', ' }')),
    options: { security: { host: fixedHost({}, undefined, {}, ['lo', 'eth0']), thisHost: true } },
  },
];

/** Rules that need several files; their cases live in test/unit/analysis/includes.test.ts and failover.test.ts. */
const MULTI_FILE_RULES = ['include-not-found', 'include-cycle', 'failover-never-happens'];
/** Rules that depend on where the file is (an Ansible templates/ folder); cases in template-lines-joined.test.ts. */
const PATH_RULES = ['template-lines-joined'];
/** Rules about a settings file, not a config; their cases live in settings-file.test.ts and cli/settings.test.ts. */
const SETTINGS_RULES = ['invalid-settings'];
/** Rules across the nodes of a cluster; their firing and quiet cases live in test/unit/cluster/. */
const CLUSTER_RULE = /^(cluster|failover)-/;
/** Security rules need a host and real files; their cases live in security.test.ts. */
const SECURITY_RULES = [
  'script-runs-as-root',
  'script-disabled',
  'script-security-disabled',
  'unsafe-script-path',
  'script-not-found',
  'script-shell-syntax',
  'script-account-missing',
  'script-user-numeric',
  'script-account-unverified',
  'script-args-as-user',
  'script-args-ignored',
  'script-user-after-script',
  'script-bare-command',
  'script-not-executable',
  'script-no-shebang',
  'script-symlink-renamed',
  'startup-script-kills-keepalived',
  'cleartext-auth',
  'insecure-key-file',
];

describe('rules', () => {
  it('has a firing case for every rule in the table', () => {
    expect(
      RULE_IDS.filter(
        (id) =>
          !cases.some((c) => c.rule === id) &&
          !MULTI_FILE_RULES.includes(id) &&
          !SECURITY_RULES.includes(id) &&
          !SETTINGS_RULES.includes(id) &&
          !PATH_RULES.includes(id) &&
          !CLUSTER_RULE.test(id),
      ),
    ).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.rule}: fires on line ${c.line}`, () => {
      expect(rulesAt(c.fires, c.options)).toContain(`${c.line}:${c.rule}`);
    });
    it(`${c.rule}: does not fire on the corrected config`, () => {
      expect(rulesAt(c.clean).filter((r) => r.endsWith(`:${c.rule}`))).toEqual([]);
    });
  }
});

describe('values as keepalived 2.2.7 reads them', () => {
  const errors = (text: string) =>
    lint(text)
      .filter((d) => d.severity === 'error')
      .map((d) => d.rule);
  it("'nodad' is not an address option (only '-nodad' is: vrrp_ipaddress.c parse_ipaddress; keepalived -t: Unknown configuration entry)", () => {
    const vips = (line: string) =>
      lint(conf('vrrp_instance VI_1 {', ' virtual_ipaddress {', `  ${line}`, ' }', '}'))
        .filter((d) => d.rule === 'invalid-value')
        .map((d) => d.severity);
    expect(vips('192.0.2.10/24 nodad')).toEqual(['warning']);
    expect(vips('192.0.2.10/24 -nodad')).toEqual([]);
  });

  it('a virtual_rules line with track_group is dropped (vrrp_iprule.c alloc_rule; keepalived -t: Unknown rule option)', () => {
    const rules = (block: string, line: string) =>
      lint(conf('vrrp_instance VI_1 {', ` ${block} {`, `  ${line}`, ' }', '}'))
        .filter((d) => d.rule === 'invalid-value' || d.rule === 'rule-without-preference')
        .map((d) => `${d.severity} ${d.rule} ${d.message.slice(0, 42)}`);
    expect(rules('virtual_rules', 'from 192.0.2.1 table 100 track_group TG')).toEqual([
      "error invalid-value 'track_group' is only read on static_rules",
    ]);
    expect(rules('virtual_rules', 'from 192.0.2.1 table 100')).toEqual([
      expect.stringMatching(/^warning rule-without-preference/),
    ]);
    const staticRule = lint(
      conf('static_rules {', ' from 192.0.2.1 table 100 track_group TG preference 5', '}'),
    );
    expect(staticRule.filter((d) => d.rule === 'invalid-value')).toEqual([]);
  });

  it('socket addresses ignore a /prefix or -range (utils.c inet_stosockaddr cuts at / or -)', () => {
    const vi = (line: string) => conf('vrrp_instance VI_1 {', line, ...requiredLines(), '}');
    expect(errors(vi(' unicast_src_ip 192.0.2.1/24'))).toEqual([]);
    expect(errors(vi(' mcast_src_ip 192.0.2.1/24'))).toEqual([]);
    expect(errors(vi(' unicast_peer {\n  192.0.2.2/24\n }'))).toEqual([]);
    expect(
      errors(conf('virtual_server 192.0.2.10/32 80 {', ' real_server 192.0.2.3/24 80 {', ' }', '}')),
    ).toEqual([]);
    expect(errors(vi(' unicast_src_ip 192.0.2.300/24'))).toEqual(['invalid-value']);
  });
  it('DNS_CHECK type takes RRSIG and DNSKEY too (check_dns.c DNS_TYPE)', () => {
    const dns = (type: string) =>
      conf(
        'virtual_server 192.0.2.10 53 {',
        ' real_server 192.0.2.3 53 {',
        '  DNS_CHECK {',
        `   type ${type}`,
        '  }',
        ' }',
        '}',
      );
    expect(errors(dns('RRSIG'))).toEqual([]);
    expect(errors(dns('DNSKEY'))).toEqual([]);
    expect(errors(dns('PTR'))).toEqual(['invalid-value']);
  });
  it('max_auto_priority alone means the maximum (global_parser.c); out of range is still an error', () => {
    expect(errors(conf('global_defs {', ' max_auto_priority', '}'))).toEqual([]);
    expect(errors(conf('global_defs {', ' max_auto_priority 100', '}'))).toEqual(['invalid-value']);
  });
});

describe('auth_pass is measured in bytes, as keepalived measures it (strlen in vrrp_parser.c)', () => {
  const pass = (value: string) =>
    conf('vrrp_instance VI_1 {', ' authentication {', '  auth_type PASS', `  auth_pass ${value}`, ' }', '}');
  const finding = (value: string) => lint(pass(value)).find((d) => d.rule === 'auth-pass-too-long');
  it('eight characters but ten bytes are truncated; a cut through a character has no fix', () => {
    expect(finding('pässwörd')?.message).toContain('auth_pass is 10 bytes');
    expect(finding('pässwörd')?.fixes?.[0]?.edits[0]?.newText).toBe('pässwö');
    expect(finding('abcdefg')).toBeUndefined();
    // Byte 8 is the first half of 'é': keepalived keeps half a character, which no edit can write.
    expect(finding('abcdefgé1')?.fixes).toBeUndefined();
  });
  it('offers no in-place fix for a value that comes from a $PARAMETER', () => {
    const text = '$PW=longpassword\n' + pass('$PW');
    const d = lint(text).find((x) => x.rule === 'auth-pass-too-long')!;
    expect(d.fixes).toBeUndefined();
  });
});

describe('messages say what is wrong and what would be right', () => {
  const message = (text: string, rule: string, options?: Parameters<typeof lint>[1]) =>
    lint(text, options).find((d) => d.rule === rule)?.message ?? '';

  it('suggests the closest keyword for a typo, with a fix', () => {
    const d = lint(conf('vrrp_instance VI_1 {', ' virtual_router_di 5', '}')).find(
      (x) => x.rule === 'unknown-keyword',
    )!;
    expect(d.message).toContain("Did you mean 'virtual_router_id'?");
    expect(d.fixes?.[0]?.edits[0]?.newText).toBe('virtual_router_id');
  });

  it('names the block a misplaced keyword belongs to', () => {
    expect(message(conf('global_defs {', ' track_script { chk }', '}'), 'wrong-block')).toMatch(
      /belongs in .*'vrrp_instance'/,
    );
  });

  it('gives the range for out-of-range numbers and the choices for enums', () => {
    expect(message(conf('vrrp_instance VI_1 {', ' priority 0', '}'), 'invalid-value')).toContain('[1, 255]');
    expect(message(conf('vrrp_instance VI_1 {', ' state master', '}'), 'invalid-value')).toContain(
      'MASTER, BACKUP',
    );
    expect(
      message(conf('virtual_server 192.0.2.1 80 {', ' lvs_sched roundrobin', '}'), 'invalid-value'),
    ).toContain('wrr');
  });

  it('checks timers, booleans, addresses and prefixes', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ' advert_int 0.0000001',
      ' unicast_src_ip 10.0.0.300',
      ' virtual_ipaddress {',
      '  192.0.2.1/33',
      '  2001:db8::1/64 dev eth0 scope link',
      '  192.0.2.5-9/24',
      ' }',
      ' unicast_peer {',
      '  XX.XX.XX.1',
      ' }',
      '}',
      'global_defs {',
      ' vrrp_strict maybe',
      '}',
    );
    expect(rulesAt(text).filter((r) => r.endsWith('invalid-value'))).toEqual([
      '2:invalid-value',
      '3:invalid-value',
      '5:invalid-value',
      // keepalived ignores the scope of an IPv6 address ("Cannot specify scope for IPv6 addresses").
      '6:invalid-value',
      // A range is no address to parse_ipaddress ("VRRP parsed invalid IP 192.0.2.5-9/24", keepalived -t 2.2.7).
      '7:invalid-value',
      '10:invalid-value',
      '14:invalid-value',
    ]);
  });

  it('says which keepalived version lacks a keyword', () => {
    expect(
      message(conf('vrrp_instance VI_1 {', ' auth_hmac {', ' }', '}'), 'unsupported-keyword', {
        keepalivedVersion: '2.2',
      }),
    ).toContain('2.4.0');
    expect(
      rulesAt(conf('global_defs {', ' vrrp_delay_after_boot 5', '}'), { keepalivedVersion: '2.4' }),
    ).toEqual([]);
  });

  it('reports a missing brace on the line keepalived names and explains brace shifts after unknown keywords', () => {
    const text = conf(
      'virtual_server 192.0.2.1 80 {',
      ' protocol TCP',
      ' bogus_block {',
      '  delay_loop 5',
      ' }',
      ' lvs_sched rr',
      '}',
    );
    // keepalived ignores the '{' of the unknown keyword, so its '}' closes virtual_server and the last '}' is extra.
    expect(rulesAt(text)).toEqual([
      '1:virtual-server-no-real-server',
      '3:unknown-keyword',
      '3:unexpected-block',
      '6:wrong-block',
      '7:extra-closing-brace',
    ]);
  });
});

describe('parameters and conditionals', () => {
  it('checks values after $PARAM expansion', () => {
    expect(rulesAt(conf('$PRIO=300', ...vrrpInstance('VI_1', ' priority $PRIO')))).toEqual([
      '3:invalid-value',
    ]);
    expect(rulesAt(conf('$PRIO=150', ...vrrpInstance('VI_1', ' priority ${PRIO}')))).toEqual([]);
  });

  it('does not judge values whose parameter may be defined in an included file', () => {
    expect(rulesAt(conf('include other.conf', 'vrrp_instance VI_1 {', ' priority $PRIO', '}'))).toEqual([]);
  });

  it('skips lines switched off by @id when a config id is set', () => {
    const text = conf(...vrrpInstance('VI_1', ' @node1 priority 300', ' @^node1 priority 100'));
    expect(rulesAt(text, { configId: 'node2' })).toEqual([]);
    expect(rulesAt(text, { configId: 'node1' })).toEqual(['2:invalid-value']);
    expect(rulesAt(text)).toEqual(['2:invalid-value']);
  });
});

describe('suppressions and severities', () => {
  const text = conf(
    ...vrrpInstance(
      'VI_1',
      ' # keepalived-lint: ignore=invalid-value -- placeholder filled by Ansible',
      ' priority PRIO',
    ),
  );

  it('honours an inline ignore on the next line, unless inline ignores are off', () => {
    expect(rulesAt(text)).toEqual([]);
    expect(rulesAt(text, { inlineIgnores: false })).toEqual(['3:invalid-value']);
  });

  it('honours ignore-file and per-rule severities', () => {
    expect(
      rulesAt(
        conf(
          '# keepalived-lint: ignore-file=legacy-keyword',
          'virtual_server 192.0.2.1 80 {',
          ' lb_algo rr',
          ' lvs_method DR',
          ' protocol TCP',
          ' real_server 192.0.2.2 80 {',
          ' }',
          '}',
        ),
      ),
    ).toEqual([]);
    const d = lint(conf(...vrrpInstance('VI_1', ' priority 0')), {
      rules: { 'invalid-value': 'warning' },
    });
    expect(d.map((x) => x.severity)).toEqual(['warning']);
    expect(lint(conf(...vrrpInstance('VI_1', ' priority 0')), { rules: { 'invalid-value': 'off' } })).toEqual(
      [],
    );
  });
});

describe('parameter expansion', () => {
  it('expands nested parameters recursively', () => {
    expect(rulesAt(conf('$B=150', '$A=$B', ...vrrpInstance('VI_1', ' priority $A')))).toEqual([]);
    expect(rulesAt(conf('$B=300', '$A=${B}', ...vrrpInstance('VI_1', ' priority $A')))).toEqual([
      '4:invalid-value',
    ]);
  });

  it('keeps multi-line definitions out of the structure and records their value', () => {
    const text = conf('$INST= \\', 'vrrp_instance X { \\', ' priority 300 \\', '}', 'global_defs {', '}');
    expect(rulesAt(text)).toEqual(['1:unused-parameter']);
  });

  it('treats ~SEQ loop variables as unknown values rather than literals', () => {
    expect(rulesAt(conf('~SEQ(i, 1, 3) vrrp_instance VI_$i {', ...requiredLines(), '}'))).toEqual([]);
  });
});

describe('names built by ~SEQ / ~LST loops', () => {
  it('defines one name per iteration, so references to them resolve', () => {
    const text = conf(
      '~SEQ(i, 1, 3) vrrp_instance VI_$i {',
      '}',
      '~LST(n, web, db) vrrp_script chk_$n {',
      '}',
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1 VI_3',
      ' }',
      ' track_script {',
      '  chk_db',
      ' }',
      '}',
    );
    expect(rulesAt(text).filter((r) => r.includes('undefined-reference'))).toEqual([]);
    expect(rulesAt(text.replace('VI_1 VI_3', 'VI_4'))).toContain('7:undefined-reference');
  });

  it('does not report references when a defining name depends on an unknown parameter', () => {
    const text = conf(
      'include other.conf',
      'vrrp_instance $NAME {',
      '}',
      'vrrp_sync_group G {',
      ' group {',
      '  VI_9',
      ' }',
      '}',
    );
    expect(rulesAt(text).filter((r) => r.includes('undefined-reference'))).toEqual([]);
  });
});

describe('targeting an older keepalived', () => {
  it('reads a block keyword the target lacks as that version does: unknown, its braces ignored', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      ...requiredLines(),
      ' auth_hmac {',
      '  active_key 1',
      ' }',
      ' priority 100',
      '}',
    );
    expect(rulesAt(text, { keepalivedVersion: '2.2.7' })).toEqual([
      '7:unsupported-keyword',
      '7:unexpected-block',
      '8:wrong-block',
      '10:wrong-block',
      '11:extra-closing-brace',
    ]);
    expect(rulesAt(text)).toEqual([]);
  });
});

describe('~SEQ / ~LST syntax', () => {
  it('reports a loop prefix without its closing parenthesis, like keepalived', () => {
    expect(rulesAt(conf('~SEQ(i, 1, 3 vrrp_instance VI_$i {', '}'))).toEqual([
      '1:syntax-error',
      '2:extra-closing-brace',
    ]);
    expect(rulesAt(conf('~SEQ(i, 1, 3) vrrp_instance VI_$i {', '}'))).toEqual([
      '1:instance-missing-required',
    ]);
  });
});
