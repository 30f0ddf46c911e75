// The cluster: the nodes checked together (each configuration, and each `@id` variant of a configuration
// shared by several nodes), their VRRP groups (instances that hear each other's adverts), and for each
// group the failover table: for every failure of a tracked object and every node going down, each node's
// priority and who then holds the VIP. Pure and memoized per set of configurations; see ./election.ts for
// keepalived's rules and ../checks/cluster.ts for the findings read off it.
import { MAX_CLUSTER_NODES, MAX_CLUSTER_VARIANTS, MAX_VRID_INSTANCES, type LimitHit } from './budget';

export { MAX_VRID_INSTANCES };
import type { ConfigModel } from './model';
import { isIpv6Instance, nodeReading, objectsOf, variantsOf, type TrackKind } from './objects';
import {
  elect,
  electionNode,
  standing,
  syncIndex,
  type ElectionNode,
  type Outcome,
  type Standing,
  type Tracker,
} from './election';

/** One machine running keepalived: a configuration, read with one `--config-id`. */
export interface Machine {
  label: string;
  model: ConfigModel;
  variant?: string;
  nodes: ElectionNode[];
}

/** Instances of different machines that exchange adverts: one virtual router. */
export interface VrrpGroup {
  vrid: number;
  /** `unicast` when the members send to their unicast_peer lists, else `multicast`. */
  transport: 'unicast' | 'multicast';
  members: ElectionNode[];
}

export interface Scenario {
  /** What happens, in words: `chk_nginx fails on node1.conf`. */
  label: string;
  /** The machine a failure happens on; every machine tracking it, for a shared check failing everywhere. */
  machines: Machine[];
  /** The tracked object that fails; undefined when the machines stop (or nothing fails). */
  object?: { kind: TrackKind; name: string };
  /** The object, when failing on one machine, as that machine's instance tracks it. */
  tracker?: Tracker;
}

export interface Row {
  scenario: Scenario;
  standings: Map<ElectionNode, Standing>;
  outcome: Outcome;
}

export interface Cluster {
  machines: Machine[];
  groups: VrrpGroup[];
  machineOf(node: ElectionNode): Machine;
  /** The failover table of a group; the first row is the healthy cluster. */
  table(group: VrrpGroup): Row[];
  /** Where a work bound cut the analysis short (MAX_CLUSTER_VARIANTS, MAX_VRID_INSTANCES). */
  limits: LimitHit[];
}

const familyOf = (n: ElectionNode): string => (isIpv6Instance(n.instance) ? '6' : '4');

/** The machines a set of configurations describes: one per configuration, or one per `@id` it names. */
function machinesOf(models: ConfigModel[], limits: LimitHit[]): Machine[] {
  const out: Machine[] = [];
  for (const model of models) {
    const variants = variantsOf(model);
    const split = variants.length > 1 && variants.length <= MAX_CLUSTER_VARIANTS;
    if (variants.length > MAX_CLUSTER_VARIANTS)
      limits.push({
        budget: 'MAX_CLUSTER_VARIANTS',
        file: model.root,
        start: 0,
        end: 0,
        message: `This configuration names ${variants.length} @ids, more than the ${MAX_CLUSTER_VARIANTS} nodes one file is split into (MAX_CLUSTER_VARIANTS): it is analysed as one node, so the cluster checks do not compare its @id variants with each other.`,
      });
    for (const variant of split ? variants : [undefined]) {
      const label = variant === undefined ? model.root : `${model.root} @${variant}`;
      // The node as `--config-id variant` reads the files (its own definitions, includes and blocks).
      const read = nodeReading(model, variant);
      const syncs = syncIndex(read, variant);
      const nodes = objectsOf(read, variant).instances.map((i) =>
        electionNode(read, variant, i, label, syncs),
      );
      out.push({ label, model: read, variant, nodes });
    }
  }
  return out;
}

/** Two instances of different machines hear each other: same VRID and family, and the same wire. */
export function linked(a: ElectionNode, b: ElectionNode): boolean {
  if (a.instance.vrid === undefined || a.instance.vrid !== b.instance.vrid) return false;
  if (familyOf(a) !== familyOf(b)) return false;
  const ua = a.instance.unicastPeers.map((p) => p.address);
  const ub = b.instance.unicastPeers.map((p) => p.address);
  if (ua.length || ub.length) {
    const sa = a.instance.unicastSrc?.address;
    const sb = b.instance.unicastSrc?.address;
    // One source address is one machine: two configurations sending from it are alternatives for one node.
    if (sa && sa === sb) return false;
    if ((sb && ua.includes(sb)) || (sa && ub.includes(sa))) return true;
    // Both sources known and neither listed: unicast adverts never reach the other.
    if (sa && sb && ua.length && ub.length) return false;
  } else if (a.instance.interface && a.instance.interface === b.instance.interface) return true;
  return sharesVip(a, b);
}

export function sharesVip(a: ElectionNode, b: ElectionNode): boolean {
  const vips = new Set(a.instance.vips.map((v) => v.address));
  return b.instance.vips.some((v) => vips.has(v.address));
}

/**
 * Two nodes that cannot be in one virtual router: instances of one machine, or configurations sending
 * from one unicast_src_ip (alternatives for one node, like a hardened copy of a config).
 */
function conflict(a: ElectionNode, b: ElectionNode, machineOf: (n: ElectionNode) => Machine): boolean {
  if (machineOf(a) === machineOf(b)) return true;
  const sa = a.instance.unicastSrc?.address;
  return !!sa && sa === b.instance.unicastSrc?.address;
}

function sameMembers(a: ElectionNode[], b: ElectionNode[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((m) => set.has(m));
}

function groupsOf(
  machines: Machine[],
  machineOf: (n: ElectionNode) => Machine,
  limits: LimitHit[],
): VrrpGroup[] {
  // Only instances with the same VRID and family can hear each other: grouped within those buckets.
  const buckets = new Map<string, ElectionNode[]>();
  for (const n of machines.flatMap((m) => m.nodes)) {
    if (n.instance.vrid === undefined) continue;
    const key = `${n.instance.vrid}/${familyOf(n)}`;
    const list = buckets.get(key);
    if (list) list.push(n);
    else buckets.set(key, [n]);
  }
  const out: ElectionNode[][] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length > MAX_VRID_INSTANCES) {
      const first = bucket[0]!.instance;
      limits.push({
        budget: 'MAX_VRID_INSTANCES',
        file: first.file,
        start: first.span.start,
        end: first.span.end,
        message: `${bucket.length} instances use virtual_router_id ${first.vrid}, more than the ${MAX_VRID_INSTANCES} the cluster analysis pairs (MAX_VRID_INSTANCES): none of them is compared with its peers.`,
      });
      continue;
    }
    let groups: ElectionNode[][] = [];
    for (const n of bucket) {
      const touching = groups.filter((g) => g.some((m) => !conflict(m, n, machineOf) && linked(m, n)));
      if (touching.length === 0) {
        groups.push([n]);
        continue;
      }
      // Joins (and so merges) the groups it can be part of; next to one holding an alternative of this
      // node, it starts an alternative group: the same cluster with this configuration instead.
      const clean = touching.filter((g) => !g.some((m) => conflict(m, n, machineOf)));
      const alternatives = touching
        .filter((g) => !clean.includes(g))
        .map((g) => [...g.filter((m) => !conflict(m, n, machineOf)), n]);
      groups = groups.filter((g) => !clean.includes(g));
      // Alternative groups share members: merged as sets, or each merge would double them (a few
      // alternatives of one instance then made groups of hundreds of thousands of members).
      const add = (members: ElectionNode[]) => {
        if (groups.length >= MAX_VRID_INSTANCES || groups.some((g) => sameMembers(g, members))) return;
        groups.push(members);
      };
      if (clean.length) groups.push([...new Set(clean.flat()), n]);
      for (const alt of alternatives) add(alt);
    }
    for (const g of groups) out.push(g);
  }
  return out
    .filter((members) => new Set(members.map(machineOf)).size > 1)
    .map((members) => ({
      vrid: members[0]!.instance.vrid!,
      transport: members.some((m) => m.instance.unicastPeers.length) ? 'unicast' : 'multicast',
      members,
    }));
}

/** Clusters built since start: the server reports it, so tests can tell a recomputation from a cache hit. */
let builds = 0;
export const clusterBuilds = (): number => builds;

function buildCluster(models: ConfigModel[]): Cluster {
  if (models.length > 0) builds++;
  const limits: LimitHit[] = [];
  const machines = machinesOf(models, limits);
  const owner = new Map<ElectionNode, Machine>();
  for (const m of machines) for (const n of m.nodes) owner.set(n, m);
  const machineOf = (n: ElectionNode) => owner.get(n)!;
  const groups = groupsOf(machines, machineOf, limits);
  // The other members of a node's sync group on the same machine: they fail together.
  const siblings = new Map<ElectionNode, ElectionNode[]>();
  for (const m of machines) {
    const bySync = new Map<string, ElectionNode[]>();
    for (const n of m.nodes) {
      if (!n.sync) continue;
      const list = bySync.get(n.sync.name);
      if (list) list.push(n);
      else bySync.set(n.sync.name, [n]);
    }
    for (const list of bySync.values())
      for (const n of list)
        siblings.set(
          n,
          list.filter((o) => o !== n),
        );
  }
  const tables = new Map<VrrpGroup, Row[]>();

  /** Standings of the group's members when `object` fails on `on` (or they stop), sync groups followed. */
  const standingsOf = (group: VrrpGroup, scenario: Scenario, down: boolean): Map<ElectionNode, Standing> => {
    const result = new Map<ElectionNode, Standing>();
    for (const n of group.members) {
      const machine = machineOf(n);
      if (!scenario.machines.includes(machine)) {
        result.set(
          n,
          standing(n, () => false),
        );
        continue;
      }
      if (down) {
        result.set(n, { fault: 'down' });
        continue;
      }
      const o = scenario.object;
      const failing = (t: Tracker) => !!o && t.kind === o.kind && t.name === o.name;
      let s = standing(n, failing);
      // One member of a sync group in FAULT takes the whole group on that machine to FAULT.
      if ('priority' in s) {
        for (const sibling of siblings.get(n) ?? []) {
          const other = standing(sibling, failing);
          if ('fault' in other) s = other;
        }
      }
      result.set(n, s);
    }
    return result;
  };

  const table = (group: VrrpGroup): Row[] => {
    const cached = tables.get(group);
    if (cached) return cached;
    const rows: Row[] = [];
    const healthy: Scenario = { label: 'every check passes', machines: [] };
    const start = standingsOf(group, healthy, false);
    const first = elect(group.members, start, undefined);
    rows.push({ scenario: healthy, standings: start, outcome: first });
    const holder = first.master;
    const push = (scenario: Scenario, down = false) => {
      const s = standingsOf(group, scenario, down);
      rows.push({ scenario, standings: s, outcome: elect(group.members, s, holder) });
    };
    const seen = new Map<string, Machine[]>();
    for (const n of group.members) {
      const machine = machineOf(n);
      // A sync group member also fails with what its siblings on the machine track.
      for (const t of [...n.trackers, ...(siblings.get(n) ?? []).flatMap((o) => o.trackers)]) {
        const key = `${t.kind}\0${t.name}`;
        const on = seen.get(key);
        if (on?.includes(machine)) continue;
        if (on) on.push(machine);
        else seen.set(key, [machine]);
        push({
          label: `${t.name} fails on ${machine.label}`,
          machines: [machine],
          object: { kind: t.kind, name: t.name },
          tracker: t,
        });
      }
    }
    for (const [key, on] of seen) {
      if (on.length < 2) continue;
      const [kind, name] = key.split('\0') as [TrackKind, string];
      push({ label: `${name} fails on every node tracking it`, machines: on, object: { kind, name } });
    }
    for (const n of group.members)
      push({ label: `${machineOf(n).label} stops`, machines: [machineOf(n)] }, true);
    tables.set(group, rows);
    return rows;
  };

  return { machines, groups, machineOf, table, limits };
}

/** Clusters by the set of configurations: the same nodes give the same cluster, whatever the array. */
const clusters = new WeakMap<ConfigModel, { models: Set<ConfigModel>; cluster: Cluster }[]>();
/** The same array asked again (the CLI asks once per file): answered without comparing members. */
const byArray = new WeakMap<ConfigModel[], Cluster>();
let noCluster: Cluster | undefined;
const empty = (): Cluster => (noCluster ??= buildCluster([]));

/** Whether these configurations are too many to be one cluster (MAX_CLUSTER_NODES). */
export function tooManyNodes(models: ConfigModel[]): boolean {
  return new Set(models).size > MAX_CLUSTER_NODES;
}

export function clusterOf(models: ConfigModel[]): Cluster {
  const known = byArray.get(models);
  if (known) return known;
  const set = new Set(models);
  const unique = [...set];
  // A folder of thousands of configurations is not the nodes of one VRRP cluster; the edges say so.
  if (unique.length > MAX_CLUSTER_NODES) {
    const none = empty();
    byArray.set(models, none);
    return none;
  }
  const first = unique[0];
  if (!first) return empty();
  // Linear in the nodes: a set test per member, not a search of the other list.
  const same = (other: Set<ConfigModel>) => other.size === set.size && unique.every((m) => other.has(m));
  const entries = clusters.get(first) ?? [];
  const hit = entries.find((e) => same(e.models));
  if (hit) {
    byArray.set(models, hit.cluster);
    return hit.cluster;
  }
  const cluster = buildCluster(unique);
  // Kept under every member, a few peer sets each: the editor's set changes as files open and close.
  for (const m of unique) clusters.set(m, [{ models: set, cluster }, ...(clusters.get(m) ?? []).slice(0, 3)]);
  byArray.set(models, cluster);
  return cluster;
}
