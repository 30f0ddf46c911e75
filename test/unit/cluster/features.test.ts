// Editor views of the cluster (inlay hints, hover table) and its memoization: one cluster per set of
// nodes, rebuilt only when one of them changes.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { clusterOf } from '../../../server/src/analysis/cluster';
import { checkFailover } from '../../../server/src/checks/failover';
import { hover } from '../../../server/src/features/hover';
import { inlayHints } from '../../../server/src/features/inlay-hints';
import { UNKNOWN_HOST } from '../../../server/src/analysis/host';
import { chkNginx, models, nodeConf, tracking } from './helpers';

const shared = [
  ...chkNginx('3'),
  'vrrp_instance VI_1 {',
  '    interface eth0',
  '    virtual_router_id 51',
  '    priority 100',
  '    virtual_ipaddress {',
  '        192.0.2.100/24',
  '    }',
  '    track_script {',
  '@a      chk_nginx weight 5',
  '@b      chk_nginx',
  '    }',
  '}',
  '',
].join('\n');

describe('inlay hints', () => {
  it('show the effective range next to priority: 100 with weight 3 runs at 100…103', () => {
    const file = analyzeText(
      '/x/k.conf',
      nodeConf({ priority: 100, before: chkNginx('3'), extra: tracking('chk_nginx') }),
    );
    const hints = inlayHints(file, []);
    expect(hints.map((h) => `${h.position.line}:${String(h.label as string)}`)).toEqual(['7:100…103']);
  });

  it('name each node when the nodes of a shared file differ on one line', () => {
    const file = analyzeText('/x/k.conf', shared);
    expect(inlayHints(file, []).map((h) => h.label)).toEqual(['@a 100…105 · @b 100…103']);
  });

  it('say FAULT for weight 0, and nothing when tracking cannot change the priority', () => {
    const fault = analyzeText(
      '/x/k.conf',
      nodeConf({ priority: 100, before: chkNginx(), extra: tracking('chk_nginx') }),
    );
    expect(inlayHints(fault, []).map((h) => h.label)).toEqual(['100 or FAULT']);
    expect(inlayHints(analyzeText('/x/k.conf', nodeConf({ priority: 100 })), [])).toEqual([]);
  });
});

describe('hover on a vrrp_instance', () => {
  it('shows the failover table of a shared file’s nodes', () => {
    const file = analyzeText('/x/k.conf', shared);
    const h = hover(file, { line: 4, character: 15 }, { host: UNKNOWN_HOST } as never);
    const text = (h!.contents as { value: string }).value;
    expect(text).toContain('| | k.conf @a | k.conf @b | VIP on |');
    // a: 105 vs b: 103 healthy; chk_nginx fails on a: 100 vs 103, the VIP moves to b.
    expect(text).toContain('| every check passes | 105 | 103 | k.conf @a |');
    expect(text).toContain('| chk_nginx fails on k.conf @a | 100 | 103 | k.conf @b |');
  });
});

describe('memoization', () => {
  it('one cluster and one set of findings per set of nodes; a changed node makes a new one', () => {
    const texts = [
      nodeConf({ state: 'MASTER', priority: 101, before: chkNginx('1'), extra: tracking('chk_nginx') }),
      nodeConf({ state: 'BACKUP', priority: 100, before: chkNginx('1'), extra: tracking('chk_nginx') }),
    ];
    const [a, b] = models(texts);
    expect(checkFailover([a!, b!])).toBe(checkFailover([b!, a!]));
    const [changed] = models([texts[0]!.replace('priority 101', 'priority 102')]);
    expect(clusterOf([changed!, b!])).not.toBe(clusterOf([a!, b!]));
    expect(checkFailover([changed!, b!])).not.toBe(checkFailover([a!, b!]));
  });
});
