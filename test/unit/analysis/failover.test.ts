// Failover across two nodes, on the worked example of docs/vrrp-election: master 101, backup 100, both
// tracking chk_nginx.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

function node(_label: string, priority: number, weight: string, extra = ''): string {
  return [
    'vrrp_script chk_nginx {',
    '    script "/usr/bin/pidof nginx"',
    weight === '' ? '' : `    weight ${weight}`,
    '}',
    'vrrp_instance VI_1 {',
    `    state ${priority > 100 ? 'MASTER' : 'BACKUP'}`,
    '    interface eth0',
    '    virtual_router_id 51',
    `    priority ${priority}`,
    extra,
    '    virtual_ipaddress {',
    '        192.0.2.100/24',
    '    }',
    '    track_script {',
    '        chk_nginx',
    '    }',
    '}',
    '',
  ].join('\n');
}

function failover(master: string, backup: string): string[] {
  const a = analyzeText(`/n1/${name(master)}`, master).model;
  const b = analyzeText(`/n2/${name(backup)}`, backup).model;
  const peers = [a, b];
  return [...a.files.values(), ...b.files.values()].flatMap((f) =>
    lintFile(f, { peers })
      .filter((d) => d.rule === 'failover-never-happens')
      .map((d) => `${f.path}:${d.range.start.line + 1} ${d.message}`),
  );
}
const name = (_: string) => 'keepalived.conf';

describe('failover-never-happens', () => {
  it('weight 3 moves the VIP (101 vs 103): nothing to report', () => {
    expect(failover(node('m', 101, '3'), node('b', 100, '3'))).toEqual([]);
  });

  it('weight 1 ties (101 vs 101): the VIP stays on the broken master', () => {
    const found = failover(node('m', 101, '1'), node('b', 100, '1'));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('/n1/keepalived.conf:15');
    expect(found[0]).toContain('still advertises priority 101');
    expect(found[0]).toContain('has 101');
    expect(found[0]).toContain('weight 2 or -2');
  });

  it('weight 0 (FAULT) and a negative weight larger than the gap both move the VIP', () => {
    expect(failover(node('m', 101, ''), node('b', 100, ''))).toEqual([]);
    expect(failover(node('m', 101, '-5'), node('b', 100, '-5'))).toEqual([]);
    expect(failover(node('m', 110, '-5'), node('b', 100, '-5'))).toHaveLength(1);
  });

  it('a weight on the track_script line overrides the script’s, and reverse flips it', () => {
    const m = node('m', 101, '3').replace('        chk_nginx', '        chk_nginx weight 1');
    expect(failover(m, node('b', 100, '1'))).toHaveLength(1);
  });

  it('nopreempt on the peer keeps the VIP on a live master whatever the weight', () => {
    const found = failover(node('m', 101, '-50'), node('b', 100, '-50', '    nopreempt'));
    expect(found.join()).toContain('has nopreempt');
  });

  it('needs a peer: one configuration alone gets no verdict', () => {
    const a = analyzeText('/n1/keepalived.conf', node('m', 101, '1')).model;
    expect(lintFile(a.files.get('/n1/keepalived.conf')!, { peers: [a] }).map((d) => d.rule)).not.toContain(
      'failover-never-happens',
    );
  });
});
