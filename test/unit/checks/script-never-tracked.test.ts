// A vrrp_script whose every track_script line keepalived drops is freed unused when the daemon starts
// (vrrp.c 2.2.7 vrrp_complete_init l.4787-4792, "Warning - script %s is not used"). keepalived -t returns
// before that loop; the daemon 2.2.7, started in a private network namespace on the configuration of the
// first case with a sync group and a line with an unknown option, printed the warning for each script.
import { describe, expect, it } from 'vitest';
import { conf, lint } from '../../helpers';

const RULE = 'script-never-tracked';
const freed = (text: string) =>
  lint(text)
    .filter((d) => d.rule === RULE)
    .map((d) => ({ line: d.range.start.line + 1, message: d.message }));

const script = (name: string, ...lines: string[]) => [
  `vrrp_script ${name} {`,
  ' script "/usr/local/bin/check"',
  ' user nobody',
  ...lines,
  '}',
];
const instance = (name: string, vrid: number, priority: number, ...tracks: string[]) => [
  `vrrp_instance ${name} {`,
  ' interface eth0',
  ` virtual_router_id ${vrid}`,
  ` priority ${priority}`,
  ' virtual_ipaddress {',
  `  10.0.0.${vrid}/24`,
  ' }',
  ' track_script {',
  ...tracks.map((t) => `  ${t}`),
  ' }',
  '}',
];

describe('script-never-tracked', () => {
  it('reports a script tracked only with a weight by an address owner, on its definition, with the reason', () => {
    const text = conf(...script('chk', ' weight -20'), ...instance('VI_1', 51, 255, 'chk'));
    expect(freed(text)).toEqual([
      {
        line: 1,
        message: expect.stringContaining(
          'keepalived drops every track_script line naming chk (line 14: VI_1 has priority 255 (the address owner), so its weighted tracking is removed)',
        ),
      },
    ]);
    expect(freed(text)[0]!.message).toContain('"Warning - script chk is not used"');
    expect(freed(text)[0]!.message).toContain('never runs');
  });

  it('reports a script whose lines are weighted in a sync group without sync_group_tracking_weight, or not track lines', () => {
    const text = conf(
      ...script('chk_a'),
      ...script('chk_b'),
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1',
      '  VI_2',
      ' }',
      '}',
      ...instance('VI_1', 51, 100, 'chk_a weight 5', 'chk_b foo'),
      ...instance('VI_2', 52, 90, 'chk_a weight 5'),
    );
    const found = freed(text);
    expect(found.map((f) => f.line)).toEqual([1, 5]);
    expect(found[0]!.message).toContain(
      'line 23: VI_1 is in vrrp_sync_group G, which has no sync_group_tracking_weight, so its weighted tracking is removed; line 35: VI_2 is in vrrp_sync_group G',
    );
    expect(found[1]!.message).toContain(
      "line 24: keepalived drops the line as written: 'foo' is not a track option)",
    );
  });

  it('says nothing when one line keeps tracking the script', () => {
    const text = conf(
      ...script('chk', ' weight -20'),
      ...instance('VI_1', 51, 255, 'chk'),
      ...instance('VI_2', 52, 100, 'chk'),
    );
    expect(freed(text)).toEqual([]);
  });

  it('says nothing for unweighted tracking of an owner, or weights a sync group lets count', () => {
    expect(
      freed(conf(...script('chk', ' weight -20'), ...instance('VI_1', 51, 255, 'chk weight 0'))),
    ).toEqual([]);
    const counted = conf(
      ...script('chk'),
      'vrrp_sync_group G {',
      ' group {',
      '  VI_1',
      '  VI_2',
      ' }',
      ' sync_group_tracking_weight',
      '}',
      ...instance('VI_1', 51, 100, 'chk weight 5'),
      ...instance('VI_2', 52, 90),
    );
    expect(freed(counted)).toEqual([]);
  });

  it('leaves a script no line names to unused-definition', () => {
    const text = conf(...script('chk'), ...instance('VI_1', 51, 100));
    expect(freed(text)).toEqual([]);
    expect(lint(text).map((d) => d.rule)).toContain('unused-definition');
  });

  it('says nothing when the priority is not known here', () => {
    const text = conf(
      ...script('chk', ' weight -20'),
      ...instance('VI_1', 51, 100, 'chk').map((l) => (l === ' priority 100' ? ' priority {{ prio }}' : l)),
    );
    expect(lint(text, { template: 'jinja' }).filter((d) => d.rule === RULE)).toEqual([]);
  });

  it('tells a root script it never runs while every line is dropped', () => {
    const text = conf(
      'vrrp_script chk {',
      ' script "/usr/local/bin/check"',
      ' weight -20',
      '}',
      ...instance('VI_1', 51, 255, 'chk'),
    );
    const root = lint(text).find((d) => d.rule === 'script-runs-as-root');
    expect(root?.message).toContain(
      'For now keepalived drops every track_script line naming vrrp_script chk, so it frees the script unused and it never runs',
    );
  });
});
