// The election model, rule by rule, with the numbers worked out here from keepalived's source
// (vrrp_track.c: process_script_update_priority, vrrp_set_effective_priority; vrrp.c:
// vrrp_complete_instance, the backup and master advert handlers).
import { describe, expect, it } from 'vitest';
import { clusterOf, type Cluster, type Row } from '../../../server/src/analysis/cluster';
import { priorityRange, standing, type ElectionNode } from '../../../server/src/analysis/election';
import { analyzeText } from '../../../server/src/analysis/document';
import { chkNginx, models, nodeConf, tracking } from './helpers';

/** The seed's pair: master 101, backup 100, both tracking chk_nginx with `weight`. */
function seed(weight?: string): Cluster {
  return clusterOf(
    models([
      nodeConf({ state: 'MASTER', priority: 101, before: chkNginx(weight), extra: tracking('chk_nginx') }),
      nodeConf({ state: 'BACKUP', priority: 100, before: chkNginx(weight), extra: tracking('chk_nginx') }),
    ]),
  );
}

/** A row as "label: p1/p2 -> master", priorities in node order (F = FAULT, - = stopped). */
function show(cluster: Cluster, row: Row): string {
  const group = cluster.groups[0]!;
  const ps = group.members.map((n) => {
    const s = row.standings.get(n)!;
    return 'priority' in s ? String(s.priority) : s.fault === 'down' ? '-' : 'F';
  });
  const who = row.outcome.master
    ? cluster.machineOf(row.outcome.master).label
    : row.outcome.tie
      ? `tie(${row.outcome.tie.map((n) => cluster.machineOf(n).label).join(',')})`
      : 'nobody';
  return `${row.scenario.label}: ${ps.join('/')} -> ${who}`;
}

const table = (c: Cluster): string[] => c.table(c.groups[0]!).map((r) => show(c, r));
const N1 = '/n1/keepalived.conf';
const N2 = '/n2/keepalived.conf';

function single(text: string): ElectionNode {
  return clusterOf([analyzeText('/x/keepalived.conf', text).model]).machines[0]!.nodes[0]!;
}

describe('the seed pair (master 101, backup 100, chk_nginx on both)', () => {
  it('weight 3: 104 vs 103 healthy; nginx dies on the master: 101 vs 103, the VIP moves', () => {
    expect(table(seed('3'))).toEqual([
      `every check passes: 104/103 -> ${N1}`,
      `chk_nginx fails on ${N1}: 101/103 -> ${N2}`,
      `chk_nginx fails on ${N2}: 104/100 -> ${N1}`,
      `chk_nginx fails on every node tracking it: 101/100 -> ${N1}`,
      `${N1} stops: -/103 -> ${N2}`,
      `${N2} stops: 104/- -> ${N1}`,
    ]);
  });

  it('weight 1: 102 vs 101; nginx dies on the master: 101 vs 101, a tie, the VIP stays', () => {
    expect(table(seed('1'))[1]).toBe(`chk_nginx fails on ${N1}: 101/101 -> ${N1}`);
  });

  it('weight 0: nginx dying puts the master in FAULT and the VIP moves', () => {
    expect(table(seed(undefined))[1]).toBe(`chk_nginx fails on ${N1}: F/100 -> ${N2}`);
  });

  it('weight -5: 101 vs 100 healthy; nginx dies on the master: 96 vs 100, the VIP moves', () => {
    const rows = table(seed('-5'));
    expect(rows[0]).toBe(`every check passes: 101/100 -> ${N1}`);
    expect(rows[1]).toBe(`chk_nginx fails on ${N1}: 96/100 -> ${N2}`);
  });
});

describe('effective priority', () => {
  it('reverse: a failing check raises the priority (100, weight 5 reverse: 95 healthy, 100 failing)', () => {
    const n = single(
      nodeConf({ priority: 100, before: chkNginx('5 reverse'), extra: tracking('chk_nginx') }),
    );
    expect(standing(n, () => false)).toEqual({ priority: 95 });
    expect(standing(n, () => true)).toEqual({ priority: 100 });
    // A negative reverse weight adds while failing: 100 healthy, 105 failing.
    const m = single(
      nodeConf({ priority: 100, before: chkNginx('-5 reverse'), extra: tracking('chk_nginx') }),
    );
    expect(standing(m, () => false)).toEqual({ priority: 100 });
    expect(standing(m, () => true)).toEqual({ priority: 105 });
  });

  it('a weight on the track_script line overrides the script’s, keeping its reverse unless it says', () => {
    const n = single(
      nodeConf({ priority: 100, before: chkNginx('2 reverse'), extra: tracking('chk_nginx weight 7') }),
    );
    expect(n.trackers[0]).toMatchObject({ weight: 7, reverse: true });
    const m = single(
      nodeConf({
        priority: 100,
        before: chkNginx('2 reverse'),
        extra: tracking('chk_nginx weight 7 noreverse'),
      }),
    );
    expect(m.trackers[0]).toMatchObject({ weight: 7, reverse: false });
  });

  it('clamps to 1..254 (250 + 10 = 254, 5 - 10 = 1), ±254 read as ±253', () => {
    const up = single(nodeConf({ priority: 250, before: chkNginx('10'), extra: tracking('chk_nginx') }));
    expect(standing(up, () => false)).toEqual({ priority: 254 });
    const down = single(nodeConf({ priority: 5, before: chkNginx('-10'), extra: tracking('chk_nginx') }));
    expect(standing(down, () => true)).toEqual({ priority: 1 });
    const big = single(
      nodeConf({ priority: 100, extra: tracking('chk_nginx weight 254'), before: chkNginx() }),
    );
    expect(big.trackers[0]!.weight).toBe(253);
  });

  it('weight 0 puts the instance in FAULT while failing; with reverse, while succeeding', () => {
    const n = single(nodeConf({ priority: 100, before: chkNginx(), extra: tracking('chk_nginx') }));
    expect('fault' in standing(n, () => true)).toBe(true);
    expect(standing(n, () => false)).toEqual({ priority: 100 });
    const r = single(
      nodeConf({ priority: 100, before: chkNginx(), extra: tracking('chk_nginx weight 0 reverse') }),
    );
    expect('fault' in standing(r, () => false)).toBe(true);
  });

  it('track_interface, track_process and track_file weights: interface and process move it, a file varies', () => {
    const n = single(
      nodeConf({
        priority: 100,
        before: [
          'vrrp_track_process nginx {',
          '    process nginx',
          '    weight -20',
          '}',
          'track_file f {',
          '    file /run/f',
          '}',
        ],
        extra: [
          'track_interface {',
          '    eth1 weight -30',
          '}',
          'track_process {',
          '    nginx',
          '}',
          'track_file {',
          '    f weight 3',
          '}',
        ],
      }),
    );
    expect(n.trackers.map((t) => `${t.kind} ${t.name} ${t.weight} ${t.effect}`)).toEqual([
      'interface eth1 -30 weight',
      'file f 3 variable',
      'process nginx -20 weight',
    ]);
    expect(priorityRange(n)).toEqual({ low: 50, high: 100 });
  });

  it('an address owner (255) ignores weighted tracking and keeps 255', () => {
    const n = single(
      nodeConf({ state: 'MASTER', priority: 255, before: chkNginx('-50'), extra: tracking('chk_nginx') }),
    );
    expect(n.trackers[0]).toMatchObject({ effect: 'ignored', ignoredBecause: 'address owner' });
    expect(standing(n, () => true)).toEqual({ priority: 255 });
    // No priority with state MASTER means 255 too.
    expect(single(nodeConf({ state: 'MASTER' })).base).toBe(255);
    expect(single(nodeConf({ state: 'BACKUP' })).base).toBe(100);
  });
});

describe('nopreempt and preempt_delay', () => {
  it('keepalived clears nopreempt (and preempt_delay) on state MASTER and on an owner', () => {
    expect(single(nodeConf({ state: 'MASTER', priority: 100, extra: ['nopreempt'] }))).toMatchObject({
      nopreempt: false,
      nopreemptCleared: true,
    });
    expect(single(nodeConf({ state: 'BACKUP', priority: 255, extra: ['nopreempt'] })).nopreempt).toBe(false);
    expect(single(nodeConf({ state: 'BACKUP', priority: 100, extra: ['nopreempt'] })).nopreempt).toBe(true);
    // vrrp.c:3117: "preempt delay will not work with initial state MASTER - clearing".
    expect(
      single(nodeConf({ state: 'MASTER', priority: 100, extra: ['preempt_delay 30'] })).preemptDelay,
    ).toBeUndefined();
    expect(
      single(nodeConf({ state: 'BACKUP', priority: 100, extra: ['preempt_delay 30'] })).preemptDelay,
    ).toBe(30);
  });

  it('strict mode makes state MASTER mean address owner, so a non-owner keeps nopreempt (vrrp.c:2915)', () => {
    const strict = ['global_defs {', '    vrrp_strict', '}'];
    const n = single(nodeConf({ before: strict, state: 'MASTER', priority: 100, extra: ['nopreempt'] }));
    expect(n).toMatchObject({ state: 'BACKUP', nopreempt: true, nopreemptCleared: false });
    // And strict mode clears preempt_delay (vrrp.c:3125).
    expect(
      single(nodeConf({ before: strict, state: 'BACKUP', priority: 100, extra: ['preempt_delay 30'] }))
        .preemptDelay,
    ).toBeUndefined();
  });

  it('AH authentication turns a non-owner state MASTER into BACKUP, so nopreempt stays (vrrp.c:2947)', () => {
    const ah = ['nopreempt', 'authentication {', '    auth_type AH', '    auth_pass secret', '}'];
    expect(single(nodeConf({ state: 'MASTER', priority: 100, extra: ah }))).toMatchObject({
      state: 'BACKUP',
      nopreempt: true,
    });
    // PASS authentication leaves state MASTER, and keepalived clears nopreempt as usual.
    const pass = ah.map((l) => l.replace('AH', 'PASS'));
    expect(single(nodeConf({ state: 'MASTER', priority: 100, extra: pass }))).toMatchObject({
      state: 'MASTER',
      nopreempt: false,
    });
  });

  it('a nopreempt backup does not take the VIP from a live master whatever the priorities', () => {
    const c = clusterOf(
      models([
        nodeConf({ state: 'BACKUP', priority: 101, before: chkNginx('-50'), extra: tracking('chk_nginx') }),
        nodeConf({ state: 'BACKUP', priority: 100, extra: ['nopreempt'] }),
      ]),
    );
    expect(table(c)[1]).toBe(`chk_nginx fails on ${N1}: 51/100 -> ${N1}`);
    expect(table(c)[2]).toBe(`${N1} stops: -/100 -> ${N2}`);
  });
});

describe('ties', () => {
  it('equal priorities: the higher primary address decides', () => {
    const c = clusterOf(models([nodeConf({ priority: 100 }), nodeConf({ priority: 100 })]));
    expect(table(c)[0]).toBe(`every check passes: 100/100 -> tie(${N1},${N2})`);
  });
});

describe('sync groups', () => {
  const group = ['vrrp_sync_group G {', '    group {', '        VI_1', '        VI_2', '    }', '}'];
  const two = (priority: number, weight?: string, extraGroup: string[] = []) =>
    [
      ...chkNginx(weight),
      ...group.slice(0, 5),
      ...extraGroup,
      '}',
      nodeConf({ priority, extra: tracking('chk_nginx') }),
      nodeConf({ name: 'VI_2', vrid: 52, priority, vips: ['192.0.2.200/24'] }),
    ].join('\n');

  it('members ignore weighted tracking unless sync_group_tracking_weight is set', () => {
    const [a] = clusterOf(models([two(101, '-50')])).machines[0]!.nodes;
    expect(a!.trackers[0]).toMatchObject({ effect: 'ignored', ignoredBecause: 'sync group' });
    const [b] = clusterOf(models([two(101, '-50', ['    sync_group_tracking_weight'])])).machines[0]!.nodes;
    expect(b!.trackers[0]).toMatchObject({ effect: 'weight', weight: -50 });
  });

  it('one member in FAULT takes the whole group to FAULT', () => {
    const c = clusterOf(models([two(101), two(100)]));
    const vi2 = c.groups.find((g) => g.vrid === 52)!;
    const view = { ...c, groups: [vi2] };
    // VI_2 tracks nothing itself; chk_nginx (weight 0) failing on node 1 faults VI_1, and so VI_2.
    expect(table(view).slice(0, 2)).toEqual([
      `every check passes: 101/100 -> ${N1}`,
      `chk_nginx fails on ${N1}: F/100 -> ${N2}`,
    ]);
  });
});

describe('the nodes', () => {
  const shared = [
    'vrrp_instance VI_1 {',
    '    interface eth0',
    '    virtual_router_id 51',
    '@node1 priority 101',
    '@node2 priority 100',
    '@node1 state MASTER',
    '@node2 state BACKUP',
    '    virtual_ipaddress {',
    '        192.0.2.100/24',
    '    }',
    '}',
    '',
  ].join('\n');

  it('one file shared through @node1/@node2 lines is two nodes', () => {
    const c = clusterOf(models([shared]));
    expect(c.machines.map((m) => m.label)).toEqual([`${N1} @node1`, `${N1} @node2`]);
    expect(table(c)[0]).toBe(`every check passes: 101/100 -> ${N1} @node1`);
  });

  it('a file read with --config-id is that node only', () => {
    const c = clusterOf(models([shared], { configId: 'node2' }));
    expect(c.machines.map((m) => m.nodes[0]!.base)).toEqual([100]);
    expect(c.groups).toEqual([]);
  });

  it('three nodes: 102, 101, 100; the first stops: the second takes over', () => {
    const c = clusterOf(
      models([nodeConf({ priority: 102 }), nodeConf({ priority: 101 }), nodeConf({ priority: 100 })]),
    );
    const rows = table(c);
    expect(rows[0]).toBe(`every check passes: 102/101/100 -> ${N1}`);
    expect(rows[1]).toBe(`${N1} stops: -/101/100 -> ${N2}`);
  });

  it('unicast instances are one group when their peer lists name each other', () => {
    const uni = (src: string, peer: string, vrid = 51) =>
      nodeConf({
        vrid,
        iface: src === '10.0.0.1' ? 'eth0' : 'ens3',
        extra: [`unicast_src_ip ${src}`, 'unicast_peer {', `    ${peer}`, '}'],
        vips: [src === '10.0.0.1' ? '192.0.2.1' : '192.0.2.2'],
      });
    expect(clusterOf(models([uni('10.0.0.1', '10.0.0.2'), uni('10.0.0.2', '10.0.0.1')])).groups).toHaveLength(
      1,
    );
    expect(clusterOf(models([uni('10.0.0.1', '10.0.0.9'), uni('10.0.0.2', '10.0.0.8')])).groups).toHaveLength(
      0,
    );
  });

  it('two configurations sending from one unicast_src_ip are alternatives for one node, not peers', () => {
    const uni = (src: string, peer: string, priority: number) =>
      nodeConf({ priority, extra: [`unicast_src_ip ${src}`, 'unicast_peer {', `    ${peer}`, '}'] });
    // n1 and n3 both send from 10.0.0.1 (a config and its hardened copy); n2 is the other node.
    const c = clusterOf(
      models([
        uni('10.0.0.1', '10.0.0.2', 101),
        uni('10.0.0.2', '10.0.0.1', 100),
        uni('10.0.0.1', '10.0.0.2', 110),
      ]),
    );
    expect(c.groups.map((g) => g.members.map((m) => c.machineOf(m).label).sort())).toEqual([
      [N1, N2],
      [N2, '/n3/keepalived.conf'],
    ]);
  });

  it('the same set of configurations gives the same cluster, whatever the array', () => {
    const ms = models([nodeConf({ priority: 101 }), nodeConf({ priority: 100 })]);
    expect(clusterOf(ms)).toBe(clusterOf([ms[1]!, ms[0]!]));
  });
});

describe('what keepalived drops or changes when it reads the instance (vrrp.c, 2.2.7)', () => {
  it('a track_interface of the own interface changes no priority: keepalived drops it (vrrp.c:3527)', () => {
    // Weight -50 on eth0 would take 101 to 51, below the peer's 100; keepalived ignores the line.
    const cluster = clusterOf(
      models([
        nodeConf({
          state: 'MASTER',
          priority: 101,
          extra: ['track_interface {', '    eth0 weight -50', '}'],
        }),
        nodeConf({
          state: 'BACKUP',
          priority: 100,
          extra: ['track_interface {', '    eth1 weight -50', '}'],
        }),
      ]),
    );
    const [a, b] = cluster.groups[0]!.members;
    expect(a!.trackers).toEqual([]);
    expect(b!.trackers.map((t) => [t.name, t.weight])).toEqual([['eth1', -50]]);
  });

  it('inline track weights out of range: vrrp_track.c reads them as keepalived does', () => {
    // 254 is read as 253 (vrrp_track.c:252); 300 is out of [-254, 254], so chk_nginx keeps its own -5
    // (vrrp_track.c:246-251) and a track_interface line becomes unweighted: FAULT while down (125-130).
    const weightOf = (line: string, before: string[] = chkNginx('-5')) =>
      single(
        nodeConf({
          priority: 100,
          before,
          extra: line.startsWith('eth') ? ['track_interface {', `    ${line}`, '}'] : tracking(line),
        }),
      ).trackers.map((t) => `${t.weight} ${t.effect}`);
    expect(weightOf('chk_nginx weight 254')).toEqual(['253 weight']);
    expect(weightOf('chk_nginx weight 300')).toEqual(['-5 weight']);
    expect(weightOf('eth1 weight 300', [])).toEqual(['0 fault']);
    expect(weightOf('eth1 weight -254', [])).toEqual(['-253 weight']);
  });
});
