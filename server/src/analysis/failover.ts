// Failover across nodes: pairs VRRP instances of different configurations (the same virtual router id and
// a shared virtual IP) and works out, with keepalived's election rules, whether a failing tracked script
// on the node that normally holds the VIP actually moves it (see ../../../docs/rules.md#failover-never-happens).
import type { Statement } from '../syntax/ast';
import type { ConfigModel } from './model';
import { objectsOf, type VrrpInstance } from './objects';

export interface TrackedScript {
  name: string;
  /** Effective weight: the track_script line's `weight`, else the vrrp_script's, else 0; sign flipped by `reverse`. */
  weight: number;
  file: string;
  statement: Statement;
}

export interface Node {
  model: ConfigModel;
  instance: VrrpInstance;
  priority: number;
  scripts: TrackedScript[];
}

export interface FailoverGap {
  /** The node that holds the VIP while everything is healthy. */
  holder: Node;
  peer: Node;
  script: TrackedScript;
  /** Effective priorities when the script fails on the holder and the peer is healthy. */
  holderFailing: number;
  peerHealthy: number;
  reason: 'tie-or-lower' | 'nopreempt';
}

/** keepalived clamps effective priorities to 1..254, except an address owner (255) keeps 255. */
function clamp(base: number, value: number): number {
  if (base === 255) return 255;
  return Math.max(1, Math.min(254, value));
}

function scriptWeight(model: ConfigModel, name: string): number | undefined {
  const def = model.symbols.definitionsOf('vrrp_script', name)[0];
  const block = def?.statement.block;
  if (!block) return undefined;
  const weight = block.statements.find((s) => s.keyword.value === 'weight');
  if (!weight) return 0;
  const value = Number(weight.args[0]?.value);
  if (!Number.isInteger(value)) return undefined;
  return weight.args[1]?.value === 'reverse' ? -value : value;
}

function nodeOf(model: ConfigModel, instance: VrrpInstance): Node | undefined {
  // keepalived: no priority means 100, or 255 for state MASTER (address owner).
  const priority = instance.priority ?? (instance.state === 'MASTER' ? 255 : 100);
  const scripts: TrackedScript[] = [];
  for (const t of instance.trackScripts) {
    const reverse = t.statement.args.some((a) => a.value === 'reverse');
    const own = t.weight ?? scriptWeight(model, t.name);
    if (own === undefined) return undefined; // a weight we cannot know: no verdict
    scripts.push({ name: t.name, weight: reverse ? -own : own, file: t.file, statement: t.statement });
  }
  return { model, instance, priority, scripts };
}

/** Effective priority with the given scripts failing and all others succeeding. */
function effective(node: Node, failing: Set<TrackedScript>): number {
  let value = node.priority;
  for (const s of node.scripts) {
    if (s.weight > 0 && !failing.has(s)) value += s.weight;
    if (s.weight < 0 && failing.has(s)) value += s.weight;
  }
  return clamp(node.priority, value);
}

/** Instances of different configurations that back each other up. */
export function peerPairs(models: ConfigModel[]): [Node, Node][] {
  const nodes = models.flatMap((m) =>
    objectsOf(m)
      .instances.map((i) => nodeOf(m, i))
      .filter((n): n is Node => !!n),
  );
  const pairs: [Node, Node][] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      if (a.model === b.model || a.instance.vrid === undefined || a.instance.vrid !== b.instance.vrid)
        continue;
      const vips = new Set(a.instance.vips.map((v) => v.address));
      if (!b.instance.vips.some((v) => vips.has(v.address))) continue;
      pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Tracked scripts whose failure on the VIP holder leaves the VIP where it is. */
export function failoverGaps(models: ConfigModel[]): FailoverGap[] {
  const gaps: FailoverGap[] = [];
  for (const [a, b] of peerPairs(models)) {
    const healthyA = effective(a, new Set());
    const healthyB = effective(b, new Set());
    if (healthyA === healthyB) continue; // who holds the VIP depends on start order: no stable verdict
    const [holder, peer] = healthyA > healthyB ? [a, b] : [b, a];
    const peerHealthy = Math.max(healthyA, healthyB) === healthyA ? healthyB : healthyA;
    for (const script of holder.scripts) {
      if (script.weight === 0) continue; // a failing weight-0 script puts the holder in FAULT: the VIP moves
      const holderFailing = effective(holder, new Set([script]));
      if (peer.instance.nopreempt)
        gaps.push({ holder, peer, script, holderFailing, peerHealthy, reason: 'nopreempt' });
      else if (peerHealthy <= holderFailing)
        gaps.push({ holder, peer, script, holderFailing, peerHealthy, reason: 'tie-or-lower' });
    }
  }
  return gaps;
}
