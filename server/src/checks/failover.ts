// Failover rules, read off the cluster's failover tables (../analysis/cluster.ts): a failing check that
// leaves the VIP where it is, a VIP decided only by addresses, a failover to a node whose same check also
// fails, a tracking line keepalived ignores.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import { dirname, relative } from 'node:path';
import { clusterOf, type Cluster, type Row, type VrrpGroup } from '../analysis/cluster';
import { ownInterface, type ElectionNode, type Standing } from '../analysis/election';
import type { ConfigModel } from '../analysis/model';
import type { FileFinding } from './references';

const cache = new WeakMap<Cluster, FileFinding[]>();

/** Findings for every node of the cluster the configurations in `models` make up. */
export function checkFailover(models: ConfigModel[]): FileFinding[] {
  const cluster = clusterOf(models);
  const cached = cache.get(cluster);
  if (cached) return cached;
  const out: FileFinding[] = [];
  for (const group of cluster.groups) {
    if (group.members.some((m) => m.uncertain)) continue; // a weight we cannot read: no verdicts
    const rows = cluster.table(group);
    neverHappens(cluster, group, rows, out);
    tieBreaks(cluster, rows, out);
    toFailingNode(cluster, rows, out);
  }
  for (const machine of cluster.machines) for (const n of machine.nodes) ownInterfaceTracked(n, out);
  // A line read by several nodes (a shared file's variants) is reported once per rule.
  const seen = new Set<string>();
  const unique = out.filter((f) => {
    const key = `${f.rule}\0${f.file}\0${f.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  cache.set(cluster, unique);
  return unique;
}

const priority = (s: Standing | undefined): number | undefined =>
  s && 'priority' in s ? s.priority : undefined;
const signed = (n: number): string => (n >= 0 ? `+${n}` : String(n));

/** How a finding in `from`'s file names another node's instance. */
function nameOf(cluster: Cluster, n: ElectionNode, from: string): string {
  const machine = cluster.machineOf(n);
  const file = relative(dirname(from), n.instance.file) || n.instance.file;
  return `'${n.instance.name}' in ${file}${machine.variant !== undefined ? ` (@${machine.variant})` : ''}`;
}

function neverHappens(cluster: Cluster, group: VrrpGroup, rows: Row[], out: FileFinding[]): void {
  const holder = rows[0]!.outcome.master;
  if (!holder) return; // who holds the VIP depends on start order or addresses: no stable verdict
  for (const row of rows.slice(1)) {
    const t = row.scenario.tracker;
    if (!t || row.scenario.machines[0] !== cluster.machineOf(holder)) continue;
    const own = holder.trackers.find((x) => x.kind === t.kind && x.name === t.name);
    // A reverse check is meant to fail in the good state; a file's change only the node knows.
    if (!own || own.reverse || own.effect === 'variable' || row.outcome.master !== holder) continue;
    const held = priority(row.standings.get(holder));
    if (held === undefined) continue;
    const peers = group.members.filter((m) => m !== holder && priority(row.standings.get(m)) !== undefined);
    const best = peers.sort((a, b) => priority(row.standings.get(b))! - priority(row.standings.get(a))!)[0];
    if (!best) continue;
    const peerName = nameOf(cluster, best, own.entry.file);
    const bestPriority = priority(row.standings.get(best))!;
    let why: string;
    let fix: string;
    if (own.effect === 'ignored') {
      why =
        own.ignoredBecause === 'address owner'
          ? `keepalived drops weighted tracking on an address owner (priority 255), so this check changes nothing`
          : `keepalived drops weighted tracking on a member of sync group '${holder.sync?.name}' (no sync_group_tracking_weight), so this check changes nothing`;
      fix =
        own.ignoredBecause === 'address owner'
          ? 'use weight 0 (a failed check then puts this node in FAULT), or a priority below 255'
          : 'use weight 0 (a failed check then puts the group in FAULT), or add sync_group_tracking_weight to the sync group';
    } else if (bestPriority > held && best.nopreempt) {
      why = `${peerName} has nopreempt (priority ${bestPriority}), so it never takes the VIP from a node that is still advertising`;
      fix = 'use weight 0 (a failed check then puts this node in FAULT) or drop nopreempt on the peer';
    } else {
      why = `${peerName} has ${bestPriority}, and a backup takes over only with a strictly higher priority`;
      const gap = holder.base - best.base;
      fix =
        gap >= 0
          ? `use a weight larger than the base-priority gap of ${gap} (weight ${gap + 1} or -${gap + 1}), or weight 0 so a failed check puts this node in FAULT`
          : 'use weight 0 so a failed check puts this node in FAULT';
    }
    const weight =
      own.effect === 'ignored' ? `weight ${signed(own.weight)} ignored` : `weight ${signed(own.weight)}`;
    out.push({
      file: own.entry.file,
      rule: 'failover-never-happens',
      message: `When ${own.name} fails here, '${holder.instance.name}' still advertises priority ${held} (base ${holder.base}, ${weight}) and ${why}: the VIP stays on the node whose check failed. To fail over, ${fix}.`,
      start: own.entry.statement.keyword.start,
      end: own.entry.statement.keyword.end,
    });
  }
}

/** Ties keepalived settles by comparing primary addresses: reported once per node, at its priority. */
function tieBreaks(cluster: Cluster, rows: Row[], out: FileFinding[]): void {
  const reported = new Set<ElectionNode>();
  for (const row of rows) {
    const tie = row.outcome.tie;
    if (!tie) continue;
    const p = priority(row.standings.get(tie[0]!));
    for (const n of tie) {
      if (reported.has(n)) continue;
      reported.add(n);
      // A few names, not all of a large group (each name is a path computation and part of the text).
      const rest = tie.filter((o) => o !== n);
      const others = rest.slice(0, 3).map((o) => nameOf(cluster, o, n.instance.file));
      if (rest.length > 3) others.push(`${rest.length - 3} more`);
      const where = n.instance.priorityLine ?? n.instance;
      const when = row === rows[0] ? 'With every check passing' : `When ${row.scenario.label}`;
      out.push({
        file: n.instance.file,
        rule: 'failover-ip-tiebreak',
        message: `${when}, '${n.instance.name}' and ${others.join(', ')} all have priority ${p}: keepalived gives the VIP to the one with the higher primary IP address, not to the one you meant. Give the nodes different priorities.`,
        start: where.span.start,
        end: where.span.end,
      });
    }
  }
}

/** A shared check (a gateway, a backend) failing everywhere moves the VIP to a node where it fails too. */
function toFailingNode(cluster: Cluster, rows: Row[], out: FileFinding[]): void {
  const holder = rows[0]!.outcome.master;
  if (!holder) return;
  for (const row of rows) {
    const o = row.scenario.object;
    const to = row.outcome.master;
    if (!o || row.scenario.machines.length < 2 || !to || to === holder) continue;
    if (!row.scenario.machines.includes(cluster.machineOf(to))) continue;
    const own = holder.trackers.find((t) => t.kind === o.kind && t.name === o.name);
    if (!own) continue;
    out.push({
      file: own.entry.file,
      rule: 'failover-to-failing-node',
      message: `When ${o.name} fails on every node tracking it (a shared dependency), the VIP moves from '${holder.instance.name}' (${priority(row.standings.get(holder)) ?? 'FAULT'}) to ${nameOf(cluster, to, own.entry.file)} (${priority(row.standings.get(to))}), where the same check fails: the failover does not help and moves the VIP back when the check recovers. Give ${o.name} the same weight on every node, or weight 0 if no node should serve while it fails.`,
      start: own.entry.statement.keyword.start,
      end: own.entry.statement.keyword.end,
    });
  }
}

/**
 * A track_interface of the instance's own interface in its own block: keepalived ignores the line
 * (vrrp.c:3527-3535, 2.2.7), so its weight and `reverse` do nothing; the instance goes to FAULT when that
 * interface is down in any case. A sync group's line for it is tracking-instance-and-group's.
 */
function ownInterfaceTracked(n: ElectionNode, out: FileFinding[]): void {
  const entry = n.instance.tracks.find((e) => ownInterface(n.instance, e));
  if (!entry) return;
  const how = [entry.weight !== undefined ? `weight ${entry.weight}` : '', entry.reverse ? 'reverse' : '']
    .filter((x) => x)
    .join(' ');
  out.push({
    file: entry.file,
    rule: 'failover-own-interface-ignored',
    message: `'${n.instance.name}' tracks its own interface ${entry.name}: keepalived ignores this line ("Ignoring track_interface ${entry.name} since own interface")${how ? `, so its ${how} does nothing` : ''}; the instance goes to FAULT while ${entry.name} is down anyway. Remove the line, or track the interface you meant.`,
    start: entry.statement.keyword.start,
    end: entry.statement.keyword.end,
  });
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'failover-never-happens',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes checked together: a failing tracked object that does not move the VIP (weight too small or ignored, or nopreempt on the peer).',
  },
  {
    id: 'failover-ip-tiebreak',
    severity: 'info',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: two nodes with the same priority, so the higher primary IP address decides who holds the VIP.',
  },
  {
    id: 'failover-to-failing-node',
    severity: 'info',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: a check failing on every node moves the VIP to a node where it fails too.',
  },
  {
    id: 'failover-own-interface-ignored',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: "A track_interface naming the instance's own interface: keepalived ignores the line.",
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    failover: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'failover',
  rules,
  checks: [{ over: 'nodes', check: checkFailover }],
};
