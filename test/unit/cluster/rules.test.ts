// The cluster rules: each with a pair of nodes that fires and one that is quiet, and the regressions of
// the old failover model.
import { describe, expect, it } from 'vitest';
import { lint } from '../../helpers';
import { chkNginx, findings, lintCluster, nodeConf, tracking, type NodeSpec } from './helpers';

const master = (spec: NodeSpec = {}) => nodeConf({ state: 'MASTER', priority: 101, ...spec });
const backup = (spec: NodeSpec = {}) => nodeConf({ state: 'BACKUP', priority: 100, ...spec });
const rules = (texts: string[]) => [
  ...new Set(lintCluster(texts).map((l) => l.split(' ')[1]!.replace(/:$/, ''))),
];

describe('consistency across nodes', () => {
  it('a consistent pair is quiet; other VRIDs hide the other differences', () => {
    expect(rules([master(), backup()])).toEqual([]);
    expect(rules([master({ extra: ['advert_int 3'] }), backup({ vrid: 52 })])).toEqual([
      'cluster-vrid-mismatch',
    ]);
  });

  it('cluster-vrid-mismatch: the same VIPs under another virtual_router_id', () => {
    const found = findings('cluster-vrid-mismatch', [master(), backup({ vrid: 52 })]);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      /^n1:4 .*virtual_router_id 51, but 'VI_1' in \.\.\/n2\/keepalived.conf .* 52.*split brain/,
    );
    expect(
      findings('cluster-vrid-mismatch', [master(), backup({ vrid: 52, vips: ['192.0.2.7/24'] })]),
    ).toEqual([]);
  });

  it('cluster-vip-mismatch: a VIP written as a parameter is compared by its value', () => {
    const viaParam = (vip: string) => master({ before: [`$VIP=${vip}`], vips: ['192.0.2.100/24', '$VIP'] });
    const peer = backup({ vips: ['192.0.2.100/24', '192.0.2.101/24'] });
    expect(findings('cluster-vip-mismatch', [viaParam('192.0.2.101/24'), peer])).toEqual([]);
    const found = findings('cluster-vip-mismatch', [viaParam('192.0.2.77/24'), peer]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('192.0.2.77');
  });

  it('cluster-vip-mismatch: one virtual router, different VIP lists (split brain before 2.3.3)', () => {
    const texts = [master({ vips: ['192.0.2.100/24', '192.0.2.101/24'] }), backup()];
    const found = findings('cluster-vip-mismatch', texts);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('192.0.2.100, 192.0.2.101');
    expect(findings('cluster-vip-mismatch', texts, { keepalivedVersion: '2.2.7' })[0]).toContain(
      'before 2.3.3 rejects every advert',
    );
    expect(
      findings('cluster-vip-mismatch', [
        master({ vips: ['192.0.2.100'] }),
        backup({ vips: ['192.0.2.100/24'] }),
      ]),
    ).toEqual([]);
  });

  it('cluster-vrid-collision: unrelated instances with one id on one interface', () => {
    const found = findings('cluster-vrid-collision', [master(), backup({ vips: ['198.51.100.1/24'] })]);
    expect(found).toHaveLength(2);
    expect(
      findings('cluster-vrid-collision', [master(), backup({ vips: ['198.51.100.1/24'], iface: 'eth1' })]),
    ).toEqual([]);
  });

  it('cluster-advert-int-mismatch: VRPPv2 drops adverts of another interval', () => {
    const found = findings('cluster-advert-int-mismatch', [master({ extra: ['advert_int 2'] }), backup()]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('advert_int 2 here, 1 on');
    expect(found[0]).toContain('split brain');
    expect(findings('cluster-advert-int-mismatch', [master({ extra: ['advert_int 1'] }), backup()])).toEqual(
      [],
    );
  });

  it('cluster-advert-int-mismatch compares the intervals keepalived uses (VRRPv2 rounds, vrrp.c:3266)', () => {
    // VRRPv2 carries whole seconds: 1.4 is sent as 1, the same as the peer's default; 1.5 as 2.
    const at = (v: string) => master({ extra: [`advert_int ${v}`] });
    expect(findings('cluster-advert-int-mismatch', [at('1.4'), backup()])).toEqual([]);
    expect(findings('cluster-advert-int-mismatch', [at('1.5'), backup()])[0]).toContain(
      'advert_int 2 here, 1 on',
    );
    // VRRPv3 carries centiseconds: 1.4 is 1.4, another interval than 1.
    const v3 = master({ extra: ['version 3', 'advert_int 1.4'] });
    expect(findings('cluster-advert-int-mismatch', [v3, backup({ extra: ['version 3'] })])[0]).toContain(
      'advert_int 1.4 here, 1 on',
    );
  });

  it('cluster-version-mismatch: VRRPv3 against the default v2', () => {
    const found = findings('cluster-version-mismatch', [master({ extra: ['version 3'] }), backup()]);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/Received 2 and expect 3.*both become MASTER .*split brain/);
    const v3 = ['global_defs {', '    vrrp_version 3', '}'];
    expect(
      findings('cluster-version-mismatch', [master({ extra: ['version 3'] }), backup({ before: v3 })]),
    ).toEqual([]);
  });

  it('cluster-auth-mismatch: another password (only the first 8 bytes count); v3 ignores it', () => {
    const auth = (pass: string) => ['authentication {', '    auth_type PASS', `    auth_pass ${pass}`, '}'];
    const found = findings('cluster-auth-mismatch', [
      master({ extra: auth('secret1') }),
      backup({ extra: auth('secret2') }),
    ]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('another password');
    expect(
      findings('cluster-auth-mismatch', [
        master({ extra: auth('12345678a') }),
        backup({ extra: auth('12345678b') }),
      ]),
    ).toEqual([]);
    expect(
      findings('cluster-auth-mismatch', [
        master({ extra: ['version 3', ...auth('a')] }),
        backup({ extra: ['version 3'] }),
      ]),
    ).toEqual([]);
  });

  const uni = (src: string, peers: string[], spec: NodeSpec = {}) => [
    `unicast_src_ip ${src}`,
    'unicast_peer {',
    ...peers.map((p) => `    ${p}`),
    '}',
    ...(spec.extra ?? []),
  ];

  it('cluster-unicast-asymmetric: a peer that sends here but is not sent to', () => {
    const found = findings('cluster-unicast-asymmetric', [
      master({ extra: uni('10.0.0.1', ['10.0.0.2']) }),
      backup({ extra: uni('10.0.0.2', ['10.0.0.3']) }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^n2:.*does not include 10\.0\.0\.1/);
    expect(
      findings('cluster-unicast-asymmetric', [
        master({ extra: uni('10.0.0.1', ['10.0.0.2']) }),
        backup({ extra: uni('10.0.0.2', ['10.0.0.1']) }),
      ]),
    ).toEqual([]);
  });

  it('cluster-unicast-unknown-peer: an address no node sends from', () => {
    const found = findings('cluster-unicast-unknown-peer', [
      master({ extra: uni('10.0.0.1', ['10.0.0.2', '10.0.0.9']) }),
      backup({ extra: uni('10.0.0.2', ['10.0.0.1']) }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('unicast_peer 10.0.0.9');
    // Without unicast_src_ip on every node, a peer address may be a node's interface address: quiet.
    expect(
      findings('cluster-unicast-unknown-peer', [
        master({ extra: uni('10.0.0.1', ['10.0.0.2', '10.0.0.9']) }),
        backup({ extra: ['unicast_peer {', '    10.0.0.1', '}'] }),
      ]),
    ).toEqual([]);
  });

  it('cluster-unicast-self: a node listing its own address (a single file is enough)', () => {
    const text = master({ extra: uni('10.0.0.1', ['10.0.0.1', '10.0.0.2']) });
    expect(lint(text).map((d) => d.rule)).toContain('cluster-unicast-self');
    expect(lint(master({ extra: uni('10.0.0.1', ['10.0.0.2']) })).map((d) => d.rule)).not.toContain(
      'cluster-unicast-self',
    );
  });

  it('cluster-multiple-owners: two nodes at priority 255', () => {
    const found = findings('cluster-multiple-owners', [master({ priority: 255 }), backup({ priority: 255 })]);
    expect(found).toHaveLength(2);
    // vrrp.c:2120-2126: both start MASTER; the first to hear the other drops itself to 254.
    expect(found[0]).toMatch(/both start as MASTER .*split brain.*drops its own priority to 254.*timing/);
    expect(findings('cluster-multiple-owners', [master({ priority: 255 }), backup()])).toEqual([]);
  });

  it('a line read by several @id nodes is reported once, and template text is no address', () => {
    // Three nodes (@a, @b, @c) share `priority 255`: every pair is two owners, one finding on the line.
    const shared = nodeConf({
      priority: 255,
      extra: ['@a unicast_src_ip 10.0.0.1', '@b unicast_src_ip 10.0.0.2', '@c unicast_src_ip 10.0.0.3'],
    });
    expect(lint(shared).filter((d) => d.rule === 'cluster-multiple-owners')).toHaveLength(1);
    const template = master({ extra: uni('<%= @src %>', ['<%= @src %>']) });
    expect(lint(template).map((d) => d.rule)).not.toContain('cluster-unicast-self');
  });

  it('cluster-nopreempt-peer-master: nopreempt with a MASTER peer', () => {
    const found = findings('cluster-nopreempt-peer-master', [master(), backup({ extra: ['nopreempt'] })]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^n1:2 /);
    expect(
      findings('cluster-nopreempt-peer-master', [
        master({ state: 'BACKUP' }),
        backup({ extra: ['nopreempt'] }),
      ]),
    ).toEqual([]);
  });
});

describe('failover rules', () => {
  const pair = (w1: string | undefined, w2: string | undefined, m: NodeSpec = {}, b: NodeSpec = {}) => [
    master({ before: chkNginx(w1), extra: tracking('chk_nginx'), ...m }),
    backup({ before: chkNginx(w2), extra: tracking('chk_nginx'), ...b }),
  ];

  it('failover-ip-tiebreak: equal priorities, and a stop that leaves two equal backups', () => {
    const found = findings('failover-ip-tiebreak', [master({ priority: 100 }), backup()]);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('With every check passing');
    const three = findings('failover-ip-tiebreak', [master(), backup(), backup()]);
    expect(three).toHaveLength(2);
    expect(three[0]).toContain('When /n1/keepalived.conf stops');
    expect(findings('failover-ip-tiebreak', [master(), backup(), backup({ priority: 99 })])).toEqual([]);
  });

  it('failover-to-failing-node: a shared check failing everywhere moves the VIP to a node where it fails', () => {
    // 101 - 5 = 96 vs 100 - 2 = 98: the VIP moves to the backup whose check fails too.
    const found = findings('failover-to-failing-node', pair('-5', '-2'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^n1:.*\(96\) to 'VI_1' in \.\.\/n2\/keepalived.conf \(98\)/);
    expect(findings('failover-to-failing-node', pair('-5', '-5'))).toEqual([]);
  });

  it('failover-own-interface-ignored: keepalived ignores a track_interface of the own interface (vrrp.c:3527)', () => {
    const text = master({ extra: ['track_interface {', '    eth0 weight 0 reverse', '}'] });
    expect(lint(text).map((d) => d.rule)).toContain('failover-own-interface-ignored');
    const quiet = master({ extra: ['track_interface {', '    eth1 weight 0 reverse', '}'] });
    expect(lint(quiet).map((d) => d.rule)).not.toContain('failover-own-interface-ignored');
  });

  it('failover-never-happens: the seed pair with weights 3, 1, 0 and -5', () => {
    expect(findings('failover-never-happens', pair('3', '3'))).toEqual([]);
    expect(findings('failover-never-happens', pair('1', '1'))).toHaveLength(1);
    expect(findings('failover-never-happens', pair(undefined, undefined))).toEqual([]);
    expect(findings('failover-never-happens', pair('-5', '-5'))).toEqual([]);
  });
});

describe('regressions of the old failover model', () => {
  const pair = (m: NodeSpec, b: NodeSpec) => [master(m), backup(b)];

  it('a failing reverse check raises the priority: the backup’s reverse weight lowers it while healthy', () => {
    // Master 101, chk_a weight -2: failing 99. Backup 100 with chk_b weight 3 reverse: 97 while chk_b
    // succeeds. 99 > 97: the VIP stays (the old model saw 99 vs 100 and a failover).
    const found = findings(
      'failover-never-happens',
      pair(
        { before: chkNginx('-2'), extra: tracking('chk_nginx') },
        {
          before: ['vrrp_script chk_b {', '    script "/bin/true"', '    weight 3 reverse', '}'],
          extra: tracking('chk_b'),
        },
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('has 97');
  });

  it('nopreempt on a state MASTER peer is cleared by keepalived: not blamed', () => {
    const texts = [
      nodeConf({ state: 'BACKUP', priority: 101, before: chkNginx('-50'), extra: tracking('chk_nginx') }),
      nodeConf({ state: 'MASTER', priority: 100, extra: ['nopreempt'] }),
    ];
    expect(findings('failover-never-happens', texts)).toEqual([]);
  });

  it('an address owner ignores weighted tracking: the advice is weight 0, not a larger weight', () => {
    const found = findings('failover-never-happens', [
      master({ priority: 255, before: chkNginx('-50'), extra: tracking('chk_nginx') }),
      backup(),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('drops weighted tracking on an address owner');
    expect(found[0]).not.toContain('larger than the base-priority gap');
  });

  it('a sync group member ignores weighted tracking: the advice names sync_group_tracking_weight', () => {
    const sync = ['vrrp_sync_group G {', '    group {', '        VI_1', '    }', '}'];
    const found = findings('failover-never-happens', [
      master({ before: [...chkNginx('-50'), ...sync], extra: tracking('chk_nginx') }),
      backup({ before: sync }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('sync_group_tracking_weight');
  });

  const shared = (weightLine: string) =>
    [
      ...chkNginx('3'),
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    virtual_router_id 51',
      '@a  priority 101',
      '@b  priority 100',
      '    virtual_ipaddress {',
      '        192.0.2.100/24',
      '    }',
      '    track_script {',
      `        ${weightLine}`,
      '    }',
      '}',
      '',
    ].join('\n');

  it('a single file shared by @a/@b nodes is analysed as two nodes', () => {
    // a: 101 + 3 = 104, b: 103; chk_nginx weight 1 on a: 102 vs 103 moves... with weight 1 on both: tie.
    const tie = shared('chk_nginx weight 1');
    expect(lint(tie).filter((d) => d.rule === 'failover-never-happens')).toHaveLength(1);
    expect(lint(shared('chk_nginx')).filter((d) => d.rule === 'failover-never-happens')).toEqual([]);
  });

  it('reads each @id node with its own definitions: `@a $PRIO=101`, `@b $PRIO=100`, `priority $PRIO`', () => {
    // keepalived --config-id a reads only `@a $PRIO=101`: a line with another node's @id is blanked
    // before a definition is stored (lib/parser.c 2.2.7 l.2762-2777), so the nodes have 101 and 100, not
    // the last definition (100) each. Read that way, weight 1 ties them (the test above) and no weight does not.
    const viaParameters = (weightLine: string) =>
      shared(weightLine)
        .replace('@a  priority 101', '    priority $PRIO')
        .replace('@b  priority 100\n', '')
        .replace('vrrp_instance VI_1 {', '@a $PRIO=101\n@b $PRIO=100\nvrrp_instance VI_1 {');
    expect(viaParameters('chk_nginx')).toContain('priority $PRIO');
    const never = (text: string) => lint(text).filter((d) => d.rule === 'failover-never-happens');
    expect(never(viaParameters('chk_nginx weight 1'))).toHaveLength(1);
    expect(never(viaParameters('chk_nginx'))).toEqual([]);
    // Both nodes at 100 would be one priority: the tie-break finding must not claim that.
    expect(
      lint(viaParameters('chk_nginx'))
        .map((d) => d.message)
        .join('\n'),
    ).not.toMatch(/all have priority 100/);
  });

  it('under --config-id b, an @a weight line is not part of the node', () => {
    // Node b's own line says weight 0 (FAULT): the failover works; the @a line must not be read.
    const text = shared('@a chk_nginx weight -5\n@b chk_nginx weight 0');
    const other = nodeConf({
      state: 'MASTER',
      priority: 50,
      before: chkNginx('3'),
      extra: tracking('chk_nginx'),
    });
    expect(findings('failover-never-happens', [text, other], { configId: 'b' })).toEqual([]);
  });

  it('duplicate-vip: mutually exclusive @a / @b lines of one address are not a duplicate', () => {
    const text = nodeConf({ vips: ['@a 192.0.2.1', '@b 192.0.2.1'] });
    expect(lint(text).map((d) => d.rule)).not.toContain('duplicate-vip');
    expect(lint(nodeConf({ vips: ['192.0.2.1', '@b 192.0.2.1'] })).map((d) => d.rule)).toContain(
      'duplicate-vip',
    );
  });
});
