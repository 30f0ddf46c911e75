// The cluster analysis's work bounds say where they cut it short (budget.ts), instead of skipping silently.
import { describe, expect, it } from 'vitest';
import {
  MAX_CLUSTER_NODES,
  MAX_CLUSTER_VARIANTS,
  MAX_VRID_INSTANCES,
} from '../../../server/src/analysis/budget';
import { clusterOf } from '../../../server/src/analysis/cluster';
import { lintCluster, models, nodeConf } from './helpers';

const limits = (texts: string[]) => lintCluster(texts).filter((l) => l.includes(' analysis-limit: '));

describe('cluster work bounds', () => {
  it('MAX_VRID_INSTANCES: more instances on one VRID than it pairs are reported once, on the first', () => {
    const many = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        nodeConf({ name: `VI_${from + i}`, vips: [`192.0.2.${(from + i) % 250}/24`] }),
      ).join('');
    const half = Math.ceil((MAX_VRID_INSTANCES + 1) / 2);
    const found = limits([many(0, half), many(half, half)]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^n1:1 analysis-limit: .*virtual_router_id 51.*MAX_VRID_INSTANCES/);
    // At the bound itself everything is still paired.
    expect(limits([many(0, MAX_VRID_INSTANCES / 2), many(100, MAX_VRID_INSTANCES / 2)])).toEqual([]);
  });

  it('MAX_CLUSTER_NODES: more configurations are each judged alone, so one node’s own findings stay', () => {
    // Each node lists its own address (cluster-unicast-self, a finding of one node) and its partner's;
    // partners tie on priority (failover-ip-tiebreak, a finding between nodes).
    const address = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    const node = (i: number) =>
      nodeConf({
        priority: 100,
        extra: [
          `unicast_src_ip ${address(i)}`,
          'unicast_peer {',
          `    ${address(i)}`,
          `    ${address(i ^ 1)}`,
          '}',
        ],
      });
    const rules = (count: number) =>
      lintCluster(Array.from({ length: count }, (_, i) => node(i))).map((l) => l.split(' ')[1]);
    const many = rules(MAX_CLUSTER_NODES + 1);
    expect(many.filter((r) => r === 'cluster-unicast-self:')).toHaveLength(MAX_CLUSTER_NODES + 1);
    expect(many.filter((r) => r === 'failover-ip-tiebreak:')).toEqual([]);
    expect(rules(2).filter((r) => r === 'failover-ip-tiebreak:')).toHaveLength(2);
  });

  it('MAX_CLUSTER_VARIANTS: a file naming more @ids is one node, and says so', () => {
    const ids = Array.from({ length: MAX_CLUSTER_VARIANTS + 1 }, (_, i) => `@n${i} priority ${100 + i}`);
    const text = nodeConf({ extra: ids });
    const found = limits([text]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${MAX_CLUSTER_VARIANTS + 1} @ids`);
    const fewer = nodeConf({ extra: ids.slice(0, MAX_CLUSTER_VARIANTS) });
    expect(limits([fewer])).toEqual([]);
  });

  it('alternative groups merge as sets: two instances on one VRID in 16 @id nodes stay 32 members', () => {
    // Every @id is a machine with both VI_A and VI_B on VRID 4: each node joins a group holding its own
    // machine's other instance, so alternative groups form, and merging them once doubled their shared
    // members at every step (a fuzzed loop config made groups of 664,304 members and overflowed the stack).
    const ids = Array.from({ length: MAX_CLUSTER_VARIANTS }, (_, i) => `@n${i} priority ${100 + i}`);
    const text =
      nodeConf({ name: 'VI_A', vrid: 4, extra: ids }) + nodeConf({ name: 'VI_B', vrid: 4, extra: ids });
    const cluster = clusterOf(models([text]));
    const groups = cluster.groups.filter((g) => g.vrid === 4);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.length).toBeLessThanOrEqual(MAX_VRID_INSTANCES);
    for (const g of groups) {
      expect(new Set(g.members).size).toBe(g.members.length);
      expect(g.members.length).toBeLessThanOrEqual(2 * MAX_CLUSTER_VARIANTS);
    }
    const keys = groups.map((g) =>
      g.members
        .map((m) => `${m.label}/${m.instance.name}`)
        .sort()
        .join(','),
    );
    expect(new Set(keys).size).toBe(keys.length);
    // Every group can still be tabled.
    for (const g of groups) expect(cluster.table(g).length).toBeGreaterThan(0);
  });
});
