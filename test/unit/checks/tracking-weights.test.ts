// Weighted tracking keepalived removes or clears once it has read the configuration (vrrp.c 2.2.7
// vrrp_complete_instance l.3825-3901, sync_group_tracking_init l.4023-4103). Every quoted message below is
// what keepalived -t 2.2.7 printed for the same configuration.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { electionNode } from '../../../server/src/analysis/election';
import { objectsOf } from '../../../server/src/analysis/objects';
import { conf, lint } from '../../helpers';

const RULES = new Set(['tracking-removed', 'tracking-weight-cleared']);
const found = (text: string) =>
  lint(text)
    .filter((d) => RULES.has(d.rule))
    .map((d) => ({
      rule: d.rule,
      line: d.range.start.line + 1,
      says: /reports "([^"]*)"/.exec(d.message)?.[1],
    }));

const instance = (name: string, vrid: number, ...lines: string[]) => [
  `vrrp_instance ${name} {`,
  ' interface eth0',
  ` virtual_router_id ${vrid}`,
  ...lines,
  ' virtual_ipaddress {',
  `  10.0.0.${vrid}/24`,
  ' }',
  '}',
];
const definitions = [
  'vrrp_script chk {',
  ' script "/bin/true"',
  ' weight -20',
  '}',
  'track_file tf1 {',
  ' file /run/state1',
  '}',
  'track_file tf2 {',
  ' file /run/state2',
  ' weight 5',
  '}',
  'bfd_instance b1 {',
  ' neighbor_ip 10.0.0.9',
  ' weight 7',
  '}',
];

describe('weighted tracking of an address owner', () => {
  const text = conf(
    ...definitions,
    // state MASTER without a priority line: keepalived makes it 255 (vrrp.c l.2904-2910).
    ...instance(
      'VI_1',
      51,
      ' state MASTER',
      ' track_script {',
      '  chk',
      ' }',
      ' track_interface {',
      '  eth1 weight 10',
      ' }',
      ' track_file {',
      '  tf1',
      '  tf2',
      ' }',
      ' track_bfd {',
      '  b1',
      ' }',
    ),
  );

  it('reports each line keepalived removes, and the track_file whose default weight 1 it clears', () => {
    expect(found(text)).toEqual([
      {
        rule: 'tracking-removed',
        line: 21,
        says: '(VI_1) ignoring tracked script chk with weights due to address_owner',
      },
      {
        rule: 'tracking-removed',
        line: 24,
        says: '(VI_1) ignoring eth1 tracked interface due to address owner',
      },
      {
        rule: 'tracking-weight-cleared',
        line: 27,
        says: '(VI_1) ignoring weight from tracked file tf1 due to address_owner. specify weight 0',
      },
      {
        rule: 'tracking-removed',
        line: 28,
        says: '(VI_1) ignoring tracked file tf2 with weight 5 due to address_owner',
      },
      {
        rule: 'tracking-removed',
        line: 31,
        says: '(VI_1) ignoring tracked bfd b1 with weight 7 due to address_owner',
      },
    ]);
  });

  it('says the consequence: the VIPs do not move when the script fails', () => {
    const message = lint(text).find((d) => d.rule === 'tracking-removed')!.message;
    expect(message).toContain("When chk fails, 'VI_1' does nothing");
    expect(message).toContain('weight -20 (from vrrp_script chk)');
  });

  it('says nothing about unweighted tracking or a priority below 255', () => {
    const clean = conf(
      ...definitions,
      ...instance(
        'VI_1',
        51,
        ' priority 100',
        ' track_script {',
        '  chk',
        ' }',
        ' track_file {',
        '  tf2',
        ' }',
      ),
      ...instance(
        'VI_2',
        52,
        ' priority 255',
        ' track_script {',
        '  chk weight 0',
        ' }',
        ' track_interface {',
        '  eth1',
        ' }',
      ),
    );
    expect(found(clean)).toEqual([]);
  });

  it('does not judge an owner whose priority is not known here', () => {
    const text = conf(
      ...definitions,
      ...instance('VI_1', 51, ' priority {{ prio }}', ' track_script {', '  chk', ' }'),
    );
    expect(found(text)).toEqual([]);
  });
});

describe('weighted tracking in a sync group', () => {
  const group = (...lines: string[]) => [
    'vrrp_sync_group G {',
    ' group {',
    '  VI_1',
    '  VI_2',
    ' }',
    ...lines,
    '}',
  ];
  const members = (...own: string[]) => [
    ...instance('VI_1', 51, ' priority 100', ...own),
    ...instance('VI_2', 52, ' priority 90'),
  ];

  it('without sync_group_tracking_weight: removes weighted scripts, says it clears weighted interfaces', () => {
    const text = conf(
      ...definitions,
      ...group(),
      ...members(' track_script {', '  chk', ' }', ' track_interface {', '  eth1 weight 10', ' }'),
    );
    expect(found(text)).toEqual([
      {
        rule: 'tracking-removed',
        line: 27,
        says: '(VI_1) ignoring tracked script chk with weights due to SYNC group',
      },
      {
        rule: 'tracking-weight-cleared',
        line: 30,
        says: '(VI_1) ignoring eth1 tracked interface weight due to SYNC group',
      },
    ]);
  });

  it("an address owner in such a group: the sync group decides the wording, the owner's fixed priority the effect", () => {
    const text = conf(
      ...group(),
      ...instance('VI_1', 51, ' priority 255', ' track_interface {', '  eth1 weight 10', ' }'),
      ...instance('VI_2', 52, ' priority 90'),
    );
    expect(found(text)).toEqual([
      {
        rule: 'tracking-removed',
        line: 12,
        says: '(VI_1) ignoring eth1 tracked interface weight due to SYNC group',
      },
    ]);
    expect(lint(text).find((d) => d.rule === 'tracking-removed')!.message).toContain(
      "'VI_1' has priority 255 (the address owner), which tracking cannot change, and is in vrrp_sync_group G",
    );
  });

  // The 2.2.7 daemon, eth1 taken down: "(VI_1) ignoring eth1 tracked interface weight due to SYNC group" at
  // start, then "(VI_1) Changing effective priority from 100 to 50", no FAULT: the interface was tracked with
  // its weight (vrrp.c l.3537) before keepalived cleared the line's copy (l.3846).
  it("a member's weighted interface: keepalived says it ignores the weight, and still counts it", () => {
    const text = conf(...group(), ...members(' track_interface {', '  eth1 weight -50', ' }'));
    const message = lint(text).find((d) => d.rule === 'tracking-weight-cleared')!.message;
    expect(message).toContain(
      "so the weight still counts: when eth1 goes down, the priority of 'VI_1' moves by -50",
    );
    const model = analyzeText('/t/keepalived.conf', text).model;
    const vi1 = objectsOf(model).instances.find((i) => i.name === 'VI_1')!;
    expect(
      electionNode(model, undefined, vi1, 'VI_1').trackers.map((t) => [t.name, t.weight, t.effect]),
    ).toEqual([['eth1', -50, 'weight']]);
  });

  it('with sync_group_tracking_weight the weights count', () => {
    const text = conf(
      ...definitions,
      ...group(' sync_group_tracking_weight'),
      ...members(' track_script {', '  chk', ' }', ' track_file {', '  tf1 weight 1', ' }'),
    );
    expect(found(text)).toEqual([]);
  });

  it("clears the weights of the group's own tracking when a member is an address owner", () => {
    const text = conf(
      ...definitions,
      ...group(
        ' track_script {',
        '  chk weight 3',
        ' }',
        ' track_interface {',
        '  eth2 weight -4',
        ' }',
        ' track_file {',
        '  tf2',
        ' }',
      ),
      ...instance('VI_1', 51, ' priority 255'),
      ...instance('VI_2', 52, ' priority 90'),
    );
    expect(found(text)).toEqual([
      {
        rule: 'tracking-weight-cleared',
        line: 22,
        says: "(G) Cannot have weighted track script 'chk' with member having priority 255 - clearing weight",
      },
      {
        rule: 'tracking-weight-cleared',
        line: 25,
        says: "(G) Cannot have weighted track interface 'eth2' with member having priority 255 - clearing weight",
      },
      {
        rule: 'tracking-weight-cleared',
        line: 28,
        says: "(G) Cannot have weighted track file 'tf2' with member having priority 255 - setting weight 0",
      },
    ]);
  });
});

describe('reverse tracking keepalived keeps with weight 0', () => {
  it('goes to FAULT while the object is healthy, and the fix keeps reverse', () => {
    const text = conf(
      'track_file f1 {',
      ' file /run/f1',
      '}',
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1',
      '  VI_2',
      ' }',
      '}',
      ...instance(
        'VI_1',
        51,
        ' priority 100',
        ' track_interface {',
        '  eth1 weight 5 reverse',
        ' }',
        ' track_file {',
        '  f1 weight 1 reverse',
        ' }',
      ),
      ...instance('VI_2', 52, ' priority 90'),
    );
    const messages = lint(text)
      .filter((d) => d.rule === 'tracking-weight-cleared')
      .map((d) => d.message);
    expect(messages[0]).toContain('while eth1 is up (reverse)');
    expect(messages[0]).toContain('Write weight 0 reverse');
    expect(messages[1]).toContain('a value of 0 (reverse) puts');
  });
});

// An object tracked by a member and by its sync group: keepalived keeps one tracking (vrrp.c 2.2.7
// add_vrrp_to_track_script l.2679-2707, add_vrrp_to_interface l.2246-2268). keepalived -t 2.2.7 reported the
// interface's message (exit 5) and logged the scripts' for this configuration.
describe('tracking on an instance and on its sync group', () => {
  const text = conf(
    'vrrp_script chk {',
    ' script "/bin/true"',
    '}',
    'vrrp_script chk2 {',
    ' script "/bin/true"',
    '}',
    'vrrp_sync_group G {',
    ' group {',
    '  VI_1',
    '  VI_2',
    ' }',
    ' track_script {',
    '  chk weight -20',
    '  chk2 weight -30',
    ' }',
    ' track_interface {',
    '  eth1 weight -5',
    ' }',
    ' sync_group_tracking_weight',
    '}',
    ...instance(
      'VI_1',
      51,
      ' priority 100',
      ' track_script {',
      '  chk weight -10',
      '  chk2 weight 0',
      ' }',
      ' track_interface {',
      '  eth1 weight -7',
      ' }',
    ),
    ...instance('VI_2', 52, ' priority 90'),
  );
  const merged = lint(text).filter((d) => d.rule === 'tracking-instance-and-group');

  it("reports the instance's line with keepalived's words and the weight that counts", () => {
    expect(merged.map((d) => d.range.start.line + 1)).toEqual([26, 27, 30]);
    expect(merged[0]!.message).toContain(
      'keepalived logs "(VI_1) track_script chk is configured on VRRP instance and sync group. Remove vrrp instance config"',
    );
    expect(merged[0]!.message).toContain(
      "with the group's weight -20: this line's weight -10 does not count",
    );
    expect(merged[1]!.message).toContain(
      "with weight 0 (FAULT when chk2 fails): the group's weight -30 does not count",
    );
    expect(merged[2]!.message).toContain(
      'keepalived reports "(VI_1) track_interface eth1 is configured on VRRP instance and sync group. Remove vrrp instance or sync group config"',
    );
  });

  it('counts the object once in the election: the group weight, or the unweighted instance line', () => {
    const model = analyzeText('/t/keepalived.conf', text).model;
    const vi1 = objectsOf(model).instances.find((i) => i.name === 'VI_1')!;
    const trackers = electionNode(model, undefined, vi1, 'VI_1').trackers;
    expect(trackers.map((t) => `${t.kind} ${t.name} ${t.weight}`).sort()).toEqual([
      'interface eth1 -5',
      'script chk -20',
      'script chk2 0',
    ]);
  });

  it('says nothing when each object is tracked in one place', () => {
    const apart = text
      .replace('  chk weight -10\n  chk2 weight 0\n', '')
      .replace('  eth1 weight -7\n', '  eth2 weight -7\n');
    expect(lint(apart).filter((d) => d.rule === 'tracking-instance-and-group')).toEqual([]);
  });
});

// keepalived -t 2.2.7 on this configuration: "(VI_1) track_interface eth0 is configured on VRRP instance and
// sync group. Remove vrrp instance or sync group config" (exit 5); with dont_track_primary in VI_1, nothing.
describe("a sync group tracking a member's own interface", () => {
  const text = (...extra: string[]) =>
    conf(
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1',
      '  VI_2',
      ' }',
      ' track_interface {',
      '  eth0 weight 10',
      ' }',
      ' sync_group_tracking_weight',
      '}',
      ...instance('VI_1', 51, ' priority 100', ...extra),
      ...instance('VI_2', 52, ' priority 90').map((l) => l.replace('eth0', 'eth1')),
    );
  const rules = (t: string) => lint(t).map((d) => `${d.range.start.line + 1}:${d.rule}`);

  it("is reported in keepalived's words, and not as a line keepalived ignores", () => {
    expect(rules(text())).toContain('7:tracking-instance-and-group');
    expect(rules(text())).not.toContain('7:failover-own-interface-ignored');
    expect(lint(text()).find((d) => d.rule === 'tracking-instance-and-group')!.message).toContain(
      '"(VI_1) track_interface eth0 is configured on VRRP instance and sync group. Remove vrrp instance or sync group config"',
    );
  });

  it("with dont_track_primary, says nothing and counts the group's weight", () => {
    const t = text(' dont_track_primary');
    expect(rules(t).filter((r) => r.startsWith('7:'))).toEqual([]);
    const model = analyzeText('/t/keepalived.conf', t).model;
    const vi1 = objectsOf(model).instances.find((i) => i.name === 'VI_1')!;
    expect(electionNode(model, undefined, vi1, 'VI_1').trackers.map((x) => `${x.name} ${x.weight}`)).toEqual([
      'eth0 10',
    ]);
  });
});
