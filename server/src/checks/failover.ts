// Failover across nodes: a tracked script whose failure does not move the VIP (see analysis/failover.ts).
import { dirname, relative } from 'node:path';
import { failoverGaps } from '../analysis/failover';
import type { ConfigModel } from '../analysis/model';
import type { FileFinding } from './references';

const cache = new WeakMap<ConfigModel[], FileFinding[]>();

/** Findings for every node in `models` (the configurations of the nodes that back each other up). */
export function checkFailover(models: ConfigModel[]): FileFinding[] {
  const cached = cache.get(models);
  if (cached) return cached;
  const out: FileFinding[] = failoverGaps(models).map((gap) => {
    const { holder, peer, script } = gap;
    const peerName = `'${peer.instance.name}' in ${relative(dirname(script.file), peer.instance.file) || peer.instance.file}`;
    const why =
      gap.reason === 'nopreempt'
        ? `${peerName} has nopreempt, so it never takes the VIP from a node that is still advertising`
        : `${peerName} has ${gap.peerHealthy}, and a backup takes over only with a strictly higher priority`;
    const needed = holder.priority - peer.priority + 1;
    const fix =
      gap.reason === 'nopreempt'
        ? 'use weight 0 (a failed check then puts this node in FAULT) or drop nopreempt on the peer'
        : `use a weight larger than the base-priority gap of ${needed - 1} (weight ${needed} or -${needed}), or weight 0 so a failed check puts this node in FAULT`;
    return {
      file: script.file,
      rule: 'failover-never-happens',
      message: `When ${script.name} fails here, '${holder.instance.name}' still advertises priority ${gap.holderFailing} (base ${holder.priority}, weight ${script.weight >= 0 ? '+' : ''}${script.weight}) and ${why}: the VIP stays on the node whose check failed. To fail over, ${fix}.`,
      start: script.statement.keyword.start,
      end: script.statement.keyword.end,
    };
  });
  cache.set(models, out);
  return out;
}
