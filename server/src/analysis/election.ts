// keepalived's VRRP election for one instance of one node, as its source decides it (vrrp.c:
// vrrp_complete_instance, vrrp_state_backup_pkt, vrrp_state_master_rx; vrrp_track.c:
// process_script_update_priority, vrrp_set_effective_priority). Pure: reads the objects view of a model.
// The cluster (./cluster.ts) puts the nodes side by side; checks and editor features only read the result.
import type { ConfigModel } from './model';
import { conditionHolds } from './conditions';
import { readOwnWeight, TRACKED_SYMBOL_KIND, type OwnWeight } from './track-lines';
import {
  inStrictMode,
  isIpv6Instance,
  objectsOf,
  vrrpVersionOf,
  type ConfigObjects,
  type SyncGroup,
  type TrackEntry,
  type TrackKind,
  type VrrpInstance,
} from './objects';

/** What a failing tracked object does to the instance once keepalived has read the configuration. */
export type TrackEffect =
  /** Moves the effective priority by the weight. */
  | 'weight'
  /** Puts the instance (and its sync group) in FAULT: it gives up the VIP and stops advertising. */
  | 'fault'
  /** keepalived drops the weighted tracking (address owner; sync group without sync_group_tracking_weight). */
  | 'ignored'
  /** A weighted track_file: the change is the file's number times the weight, which only the node knows. */
  | 'variable';

export interface Tracker {
  kind: TrackKind;
  name: string;
  /** Effective weight after keepalived's rules; 0 = FAULT while failing. */
  weight: number;
  reverse: boolean;
  effect: TrackEffect;
  /** Why keepalived drops the weight, for `ignored`. */
  ignoredBecause?: 'address owner' | 'sync group';
  /**
   * keepalived restricts the weight the lines give (`written`, never 0): `removed` the tracking (effect
   * `ignored`), `cleared` its weight to 0 (effect `fault`), or says it ignores the weight and still counts
   * it (`kept`: an interface, see restrict), because the instance is an address owner, a member of a sync
   * group without sync_group_tracking_weight, or (group-level tracking) because a member of the group is
   * an address owner.
   */
  restricted?: {
    written: number;
    /** `kept`: keepalived says it ignores the weight of a tracked interface, but it still counts. */
    action: 'removed' | 'cleared' | 'kept';
    because: 'address owner' | 'sync group' | 'group owner';
  };
  /** The sync group the tracking is declared on, when it is group-level tracking. */
  group?: string;
  entry: TrackEntry;
  /**
   * The object is tracked by the instance and by its sync group: keepalived keeps one tracking (vrrp.c
   * 2.2.7 add_vrrp_to_track_script l.2679-2707, add_vrrp_to_interface l.2246-2268, track_file.c
   * add_obj_to_track_file l.476-491): the group's weight, unless the instance's line is unweighted, which
   * then stays. `kept` says which line's weight keepalived uses; `other` is the line it does not.
   */
  merged?: { kept: 'instance' | 'group'; other: TrackEntry; otherWeight: number };
}

export interface ElectionNode {
  /** How a person names the node: the root file, plus `@id` for a variant of a shared file. */
  label: string;
  model: ConfigModel;
  /** The `--config-id` this node runs with (a variant of a shared file), if any. */
  variant?: string;
  instance: VrrpInstance;
  /** `priority`, or keepalived's default: 255 for state MASTER, else 100. */
  base: number;
  owner: boolean;
  /** `state` after keepalived's defaults (from the priority when unset) and overrides (strict mode, AH). */
  state: 'MASTER' | 'BACKUP';
  /** nopreempt as keepalived keeps it: cleared on state MASTER and on an address owner. */
  nopreempt: boolean;
  /** nopreempt was written but keepalived clears it. */
  nopreemptCleared: boolean;
  preemptDelay?: number;
  sync?: SyncGroup;
  trackers: Tracker[];
  /** A weight the linter cannot read (a parameter it cannot expand): no verdicts for this node. */
  uncertain: boolean;
}

/** The node's state in one scenario: its effective priority, or FAULT, or not running. */
export type Standing = { priority: number } | { fault: Tracker | 'down' };

/** The `weight N [reverse]` lines of the object's own definition; null when the object is not defined. */
function ownWeight(
  model: ConfigModel,
  variant: string | undefined,
  kind: TrackKind,
  name: string,
): OwnWeight | null {
  const defining = TRACKED_SYMBOL_KIND[kind];
  if (!defining) return { weight: 0, reverse: false };
  const id = model.options.configId ?? variant;
  const def = model.symbols
    .definitionsOf(defining, name)
    .find((d) => conditionHolds(d.statement.condition, id));
  if (!def) return model.complete ? null : { weight: undefined, reverse: false };
  const lines = (def.statement.block?.statements ?? [])
    .filter((s) => s.keyword.value === 'weight' && conditionHolds(s.condition, id))
    .map((s) => s.args.map((a) => (a.template !== undefined || a.value.includes('$') ? undefined : a.value)));
  return readOwnWeight(kind, lines);
}

function trackerOf(
  model: ConfigModel,
  variant: string | undefined,
  entry: TrackEntry,
  group: string | undefined,
): Tracker | null | undefined {
  const own = ownWeight(model, variant, entry.kind, entry.name);
  if (own === null) return null; // keepalived ignores a track line whose object does not exist
  const weight = entry.weight ?? own.weight;
  if (weight === undefined) return undefined;
  const reverse = entry.reverse ?? own.reverse;
  const effect: TrackEffect = weight === 0 ? 'fault' : entry.kind === 'file' ? 'variable' : 'weight';
  return { kind: entry.kind, name: entry.name, weight, reverse, effect, group, entry };
}

/**
 * keepalived's rules for weighted tracking of an address owner and of a sync group member without
 * sync_group_tracking_weight (vrrp_complete_instance, vrrp.c 2.2.7 l.3830-3901): weighted scripts and bfds
 * are removed; a track_file of weight 1 (its default, or written) gets weight 0 and one of another weight
 * is removed. The sync group's reason wins the wording when both hold. Tracked processes keep their
 * weight, which an owner's fixed priority ignores anyway (vrrp_set_effective_priority returns at once
 * for an owner, vrrp_track.c l.563-565).
 *
 * A weighted interface is reported too ("ignoring eth1 tracked interface weight due to SYNC group", or
 * "... due to address owner"), but by then the instance already tracks it with its weight (added at
 * l.3537, before this at l.3836-3848, in every version from 2.0 to 2.4.3): clearing the line's copy leaves
 * the weight counting (`kept`; the 2.2.7 daemon moved the priority by it), and only an owner's fixed
 * priority makes it do nothing.
 */
function restrict(t: Tracker, owner: boolean, syncNoWeight: boolean): Tracker {
  if (t.weight === 0) return t;
  const because = syncNoWeight ? 'sync group' : 'address owner';
  if (t.kind === 'process') return owner ? { ...t, effect: 'ignored', ignoredBecause: because } : t;
  if (t.kind === 'interface' && !owner)
    return { ...t, restricted: { written: t.weight, action: 'kept', because } };
  if (t.kind === 'file' && t.weight === 1)
    return {
      ...t,
      weight: 0,
      effect: 'fault',
      restricted: { written: t.weight, action: 'cleared', because },
    };
  return {
    ...t,
    effect: 'ignored',
    ignoredBecause: because,
    restricted: { written: t.weight, action: 'removed', because },
  };
}

/** Whether the instance's priority is known here: a priority line whose value is not (a template, a
 * parameter) decides nothing. */
export function priorityKnown(instance: VrrpInstance): boolean {
  return instance.priority !== undefined || !instance.lines.has('priority');
}

/** `priority`, or what keepalived derives without one (vrrp.c l.2904-2910): 255 for state MASTER, else 100. */
export function basePriority(instance: VrrpInstance): number {
  return instance.priority ?? (instance.state === 'MASTER' ? 255 : 100);
}

/** Which sync group each instance of one node is in, and the groups with an address owner as a member. */
export interface SyncIndex {
  groupOf: Map<string, SyncGroup>;
  withOwner: Set<SyncGroup>;
}

const syncIndexes = new WeakMap<ConfigObjects, SyncIndex>();

export function syncIndex(model: ConfigModel, variant: string | undefined): SyncIndex {
  const objects = objectsOf(model, variant);
  let index = syncIndexes.get(objects);
  if (!index) syncIndexes.set(objects, (index = buildSyncIndex(objects)));
  return index;
}

function buildSyncIndex(objects: ConfigObjects): SyncIndex {
  const groupOf = new Map<string, SyncGroup>();
  // keepalived keeps an instance in the first group that lists it (sync-group-overlap reports the rest).
  for (const g of objects.syncGroups)
    for (const m of g.members) if (!groupOf.has(m.name)) groupOf.set(m.name, g);
  // After vrrp_complete_instance: an instance without a priority line is the owner when its state is MASTER.
  const withOwner = new Set<SyncGroup>();
  for (const i of objects.instances) {
    const g = groupOf.get(i.name);
    if (g && basePriority(i) === 255) withOwner.add(g);
  }
  return { groupOf, withOwner };
}

/**
 * The initial state keepalived keeps (vrrp_complete_instance, vrrp.c 2.2.7): from the priority when
 * unset (2913); in strict mode, whatever is written, MASTER exactly for an address owner (2915-2920);
 * with AH authentication that survives (not strict, VRRPv2, IPv4, a password), MASTER only for an owner,
 * as a backup must hear an advert first (2947-2954). nopreempt is cleared only on what is left MASTER.
 */
function wantState(
  model: ConfigModel,
  variant: string | undefined,
  instance: VrrpInstance,
  owner: boolean,
): 'MASTER' | 'BACKUP' {
  const written =
    instance.state === 'MASTER' || (instance.state === undefined && owner) ? 'MASTER' : 'BACKUP';
  const objects = objectsOf(model, variant);
  if (inStrictMode(objects, instance)) return owner ? 'MASTER' : 'BACKUP';
  const v6 = isIpv6Instance(instance);
  const version = vrrpVersionOf(objects, instance);
  const ah = instance.authType === 'AH' && !!instance.authPass && version === 2 && !v6;
  return ah && !owner ? 'BACKUP' : written;
}

/**
 * A track_interface naming the instance's own interface, which keepalived drops ("Ignoring
 * track_interface X since own interface", vrrp.c:3527-3535 in 2.2.7): the instance already tracks it
 * unweighted (FAULT while it is down). A sync group's line for it is dropped too: the instance's own,
 * unweighted, tracking keeps its weight 0 and no reverse (add_vrrp_to_interface, vrrp.c:2249-2258).
 */
export function ownInterface(instance: VrrpInstance, e: TrackEntry): boolean {
  return e.kind === 'interface' && !!instance.interface && e.name === instance.interface;
}

/**
 * One node's instance as the election sees it, once per instance: an instance object belongs to one
 * model and config id (objectsOf), and the tracking checks, the freed-script analysis and the cluster
 * analysis all ask for it.
 */
const nodes = new WeakMap<VrrpInstance, ElectionNode>();

export function electionNode(
  model: ConfigModel,
  variant: string | undefined,
  instance: VrrpInstance,
  label: string,
  syncs?: SyncIndex,
): ElectionNode {
  let node = nodes.get(instance);
  if (!node)
    nodes.set(
      instance,
      (node = buildNode(model, variant, instance, label, syncs ?? syncIndex(model, variant))),
    );
  return node.label === label ? node : { ...node, label };
}

function buildNode(
  model: ConfigModel,
  variant: string | undefined,
  instance: VrrpInstance,
  label: string,
  syncs: SyncIndex,
): ElectionNode {
  const base = basePriority(instance);
  const owner = base === 255;
  const state = wantState(model, variant, instance, owner);
  const sync = syncs.groupOf.get(instance.name);
  const nopreempt = !!instance.nopreempt && state === 'BACKUP' && !owner;
  const trackers: Tracker[] = [];
  let uncertain = false;
  const syncNoWeight = !!sync && !sync.trackingWeight;
  for (const e of instance.tracks) {
    if (ownInterface(instance, e)) continue;
    const t = trackerOf(model, variant, e, undefined);
    if (t === undefined) uncertain = true;
    if (t) trackers.push(owner || syncNoWeight ? restrict(t, owner, syncNoWeight) : t);
  }
  // Group-level tracking applies to every member; a member that is an address owner clears its weights.
  const groupOwner = !!sync && syncs.withOwner.has(sync);
  // dont_track_primary leaves the own interface's tracking at VRRP_NOT_TRACK_IF, which the group's line
  // then replaces with its weight (add_vrrp_to_interface, vrrp.c l.2246-2262).
  const tracksOwn = !instance.lines.has('dont_track_primary');
  for (const e of sync?.tracks ?? []) {
    if (tracksOwn && ownInterface(instance, e)) continue;
    const t = trackerOf(model, variant, e, sync!.name);
    if (t === undefined) uncertain = true;
    if (!t) continue;
    // sync_group_tracking_init (vrrp.c l.4023-4103): "Cannot have weighted track ... - clearing weight".
    const group: Tracker =
      groupOwner && t.weight !== 0
        ? {
            ...t,
            weight: 0,
            effect: 'fault',
            restricted: { written: t.weight, action: 'cleared', because: 'group owner' },
          }
        : t;
    // The instance's own tracking of the same object, if keepalived kept it: one tracking of the two.
    const at = trackers.findIndex(
      (o) =>
        o.group === undefined && o.kind === t.kind && o.name === t.name && o.restricted?.action !== 'removed',
    );
    if (at < 0) trackers.push(group);
    else {
      const own = trackers[at]!;
      // add_vrrp_to_track_process (vrrp.c l.2726-2727) takes the group's weight but keeps the direction.
      const reverse = t.kind === 'process' ? own.reverse : group.reverse;
      trackers[at] =
        own.weight === 0
          ? { ...own, merged: { kept: 'instance', other: group.entry, otherWeight: group.weight } }
          : { ...group, reverse, merged: { kept: 'group', other: own.entry, otherWeight: own.weight } };
    }
  }
  return {
    label,
    model,
    variant,
    instance,
    base,
    owner,
    state,
    nopreempt,
    nopreemptCleared: !!instance.nopreempt && !nopreempt,
    // Cleared on state MASTER (vrrp.c:3117), in strict mode (3125) and with nopreempt (3131).
    preemptDelay:
      nopreempt || state === 'MASTER' || inStrictMode(objectsOf(model, variant), instance)
        ? undefined
        : instance.preemptDelay,
    sync,
    trackers,
    uncertain,
  };
}

/**
 * A tracker's share of the total priority (vrrp_track.c): a positive weight counts while the object is
 * up, a negative one while it is down; `reverse` multiplies by -1, so a failing reverse check raises the
 * priority relative to a healthy one.
 */
function share(t: Tracker, failing: boolean): number {
  if (t.effect !== 'weight') return 0;
  const m = t.reverse ? -1 : 1;
  if (!failing) return t.weight > 0 ? t.weight * m : 0;
  return t.weight < 0 ? t.weight * m : 0;
}

/** Weight 0: FAULT while the object is down, or, with `reverse`, while it is up. */
function faults(t: Tracker, failing: boolean): boolean {
  return t.effect === 'fault' && failing !== t.reverse;
}

/** The node's standing with the trackers `failing` says are down and every other one up. */
export function standing(node: ElectionNode, failing: (t: Tracker) => boolean): Standing {
  for (const t of node.trackers) if (faults(t, failing(t))) return { fault: t };
  if (node.owner) return { priority: 255 };
  let total = node.base;
  for (const t of node.trackers) total += share(t, failing(t));
  return { priority: Math.max(1, Math.min(254, total)) };
}

/** The effective priorities the node can advertise: healthy, and each weighted tracker failing alone. */
export function priorityRange(node: ElectionNode): { low: number; high: number } {
  let low = node.base;
  let high = node.base;
  if (!node.owner) {
    for (const t of node.trackers) {
      const a = share(t, false);
      const b = share(t, true);
      low += Math.min(a, b);
      high += Math.max(a, b);
    }
  }
  const clamp = (v: number) => (node.owner ? 255 : Math.max(1, Math.min(254, v)));
  return { low: clamp(low), high: clamp(high) };
}

export interface Outcome {
  /** Who holds the VIP; undefined when no node can (all down or in FAULT). */
  master?: ElectionNode;
  /** More than one node could win and keepalived picks the one with the higher primary address. */
  tie?: ElectionNode[];
}

const priorityOf = (s: Standing): number | undefined => ('priority' in s ? s.priority : undefined);

/**
 * Who holds the VIP after a change, given who held it before (vrrp.c): a live master keeps it unless a
 * backup without nopreempt has a strictly higher priority (preempt_delay only postpones that); a master
 * that stops advertising leaves it to the highest backup, equal ones decided by the higher address.
 */
export function elect(
  nodes: ElectionNode[],
  standings: Map<ElectionNode, Standing>,
  holder: ElectionNode | undefined,
): Outcome {
  const live = nodes.filter((n) => priorityOf(standings.get(n)!) !== undefined);
  const p = (n: ElectionNode) => priorityOf(standings.get(n)!)!;
  const top = (candidates: ElectionNode[]): Outcome => {
    if (candidates.length === 0) return {};
    const best = Math.max(...candidates.map(p));
    const winners = candidates.filter((n) => p(n) === best);
    return winners.length === 1 ? { master: winners[0] } : { tie: winners };
  };
  if (holder && live.includes(holder)) {
    const challengers = live.filter((n) => n !== holder && !n.nopreempt && p(n) > p(holder));
    return challengers.length ? top(challengers) : { master: holder };
  }
  return top(live);
}
