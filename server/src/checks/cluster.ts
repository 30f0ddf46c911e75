// Consistency across the nodes of a cluster (../analysis/cluster.ts): the members of one virtual router
// must agree on what keepalived checks in every advert (VRID, VIPs, interval, version, authentication),
// their unicast peer lists must point at each other, and at most one may own the addresses. Each finding
// is on the node's own line and names the peer it disagrees with.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import { dirname, relative } from 'node:path';
import { clusterOf, MAX_VRID_INSTANCES, sharesVip, type Cluster, type VrrpGroup } from '../analysis/cluster';
import type { ElectionNode } from '../analysis/election';
import { removal, type Fix } from './finding';
import type { ConfigModel } from '../analysis/model';
import { inStrictMode, objectsOf, vrrpVersionOf, type Located } from '../analysis/objects';
import { compareVersions } from '../schema/version';
import type { FileFinding } from './references';
import type { RuleId } from './rules';

const cache = new WeakMap<Cluster, Map<string, FileFinding[]>>();

/** The VRRP version an instance sends (objects.ts vrrpVersionOf). */
function versionOf(n: ElectionNode): number {
  return vrrpVersionOf(objectsOf(n.model, n.variant), n.instance);
}

/** Authentication as sent: none in VRRPv3 and strict mode; the password cut to its 8 bytes. */
function authOf(n: ElectionNode): string {
  const strict = inStrictMode(objectsOf(n.model, n.variant), n.instance);
  if (versionOf(n) === 3 || strict || !n.instance.authType || !n.instance.authPass) return 'none';
  return `${n.instance.authType} ${Buffer.from(n.instance.authPass).subarray(0, 8).toString()}`;
}

/**
 * The interval keepalived uses (vrrp_complete_instance, vrrp.c:3258-3298 in 2.2.7): VRRPv2 carries whole
 * seconds, so 1.4 is rounded to 1 and 1.5 to 2 (never 0), 256 and more become 255; VRRPv3 centiseconds,
 * 40.96 and more become 40.95.
 */
function advertOf(n: ElectionNode): number {
  const written = n.instance.advertInt || 1;
  if (versionOf(n) === 2) return written >= 256 ? 255 : Math.max(1, Math.floor(written + 0.5));
  if (written >= 40.96) return 40.95;
  return Math.max(0.01, Math.floor(written * 100 + 0.5) / 100);
}

/** What keepalived compares in every advert, worked out once per node (groups can be large). */
interface Props {
  vips: Set<string>;
  vipKey: string;
  /** All of it, for a quick equality test. */
  key: string;
}
const props = new WeakMap<ElectionNode, Props>();

function propsOf(n: ElectionNode): Props {
  let p = props.get(n);
  if (!p) {
    const vips = new Set(n.instance.vips.map((v) => v.address));
    const vipKey = [...vips].sort().join(' ');
    const key = [vipKey, advertOf(n), versionOf(n), authOf(n)].join('\0');
    props.set(n, (p = { vips, vipKey, key }));
  }
  return p;
}

export function checkCluster(models: ConfigModel[], keepalivedVersion?: string): FileFinding[] {
  const cluster = clusterOf(models);
  let byVersion = cache.get(cluster);
  if (!byVersion) cache.set(cluster, (byVersion = new Map<string, FileFinding[]>()));
  const cached = byVersion.get(keepalivedVersion ?? '');
  if (cached) return cached;
  const out: FileFinding[] = [];
  // A line read by several nodes (a shared file's variants) is reported once per rule.
  const seen = new Set<string>();
  const report = (n: ElectionNode, rule: RuleId, at: Located | undefined, message: string, fixes?: Fix[]) => {
    const where = at ?? n.instance;
    const key = `${rule}\0${where.file}\0${where.span.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ file: where.file, rule, message, start: where.span.start, end: where.span.end, fixes });
  };
  const name = (n: ElectionNode, from: ElectionNode): string => {
    const file = relative(dirname(from.instance.file), n.instance.file) || n.instance.file;
    const variant = cluster.machineOf(n).variant;
    return `'${n.instance.name}' in ${file}${variant !== undefined ? ` (@${variant})` : ''}`;
  };
  const line = (n: ElectionNode, keyword: string) => n.instance.lines.get(keyword);
  /**
   * Writes the peer's value over this node's: an editor suggestion only (Fix.manual), since which node
   * is right is the user's call. None when the value comes from a `$PARAM` or a template expression.
   */
  const align = (n: ElectionNode, keyword: string, value: string, peer: ElectionNode): Fix[] | undefined => {
    const word = line(n, keyword)?.statement.args[0];
    if (!word || word.value.includes('$') || word.template !== undefined) return undefined;
    return [
      {
        title: `Use ${keyword} ${value}, as ${name(peer, n)} does`,
        manual: true,
        edits: [{ start: word.start, end: word.end, newText: value }],
      },
    ];
  };

  vridMismatches(cluster, report, name, line, align);
  for (const group of cluster.groups) {
    const pairs = pairsOf(cluster, group);
    for (const [a, b] of pairs) {
      const pa = propsOf(a);
      const pb = propsOf(b);
      // Everything keepalived compares in an advert agrees: nothing to report for this pair.
      if (pa.key === pb.key) continue;
      const va = pa.vips;
      const vb = pb.vips;
      const same = pa.vipKey === pb.vipKey;
      if (!sharesVip(a, b) && a.instance.vips.length && b.instance.vips.length)
        report(
          a,
          'cluster-vrid-collision',
          line(a, 'virtual_router_id'),
          `virtual_router_id ${a.instance.vrid} on ${a.instance.interface} is also used by ${name(b, a)}, which has none of these VIPs: the two receive each other's adverts as one virtual router, and one of them stays BACKUP. Give unrelated instances different ids.`,
        );
      else if (!same) {
        const old = keepalivedVersion && compareVersions(keepalivedVersion, '2.3.3') < 0;
        const effect = old
          ? 'keepalived before 2.3.3 rejects every advert whose VIPs differ, so both nodes become MASTER (split brain)'
          : 'keepalived logs an address-list error for every advert (before 2.3.3 it rejects them: split brain), and a failover moves a different set of addresses';
        report(
          a,
          'cluster-vip-mismatch',
          line(a, 'virtual_ipaddress'),
          `The VIPs of '${a.instance.name}' (${[...va].join(', ')}) differ from those of ${name(b, a)} (${[...vb].join(', ')}): ${effect}. List the same addresses on every node (extra ones go in virtual_ipaddress_excluded).`,
        );
      }
      if (advertOf(a) !== advertOf(b)) {
        const v2 = versionOf(a) === 2;
        report(
          a,
          'cluster-advert-int-mismatch',
          line(a, 'advert_int'),
          `advert_int ${advertOf(a)} here, ${advertOf(b)} on ${name(b, a)}: ${v2 ? 'with VRRPv2 keepalived drops every advert with another interval, so both nodes become MASTER (split brain)' : 'with VRRPv3 keepalived logs a mismatch on every advert and the backup times out at the master’s interval'}. Use the same advert_int on every node.`,
          align(a, 'advert_int', String(advertOf(b)), b),
        );
      }
      if (versionOf(a) !== versionOf(b))
        report(
          a,
          'cluster-version-mismatch',
          line(a, 'version'),
          // vrrp_check_packet drops another version's advert (vrrp.c:862 in 2.2.7).
          `'${a.instance.name}' speaks VRRPv${versionOf(a)}, ${name(b, a)} VRRPv${versionOf(b)}: each node drops the other's adverts ("wrong version. Received ${versionOf(b)} and expect ${versionOf(a)}"), so neither sees a master: both become MASTER and hold the VIPs at once (split brain). Set the same version (or global_defs vrrp_version) on every node.`,
          align(a, 'version', String(versionOf(b)), b),
        );
      else if (authOf(a) !== authOf(b))
        report(
          a,
          'cluster-auth-mismatch',
          line(a, 'authentication'),
          `The authentication of '${a.instance.name}' (${authOf(a).split(' ')[0]}) differs from that of ${name(b, a)} (${authOf(b).split(' ')[0]}${authOf(a).split(' ')[0] === authOf(b).split(' ')[0] ? ', another password' : ''}): keepalived rejects the other's adverts, so both nodes become MASTER (split brain). Use the same auth_type and auth_pass (its first 8 bytes count) on every node, or none (VRRPv3 and vrrp_strict ignore it).`,
        );
    }
    unicast(cluster, group, report, name, line);
    owners(group, report, name, line);
    nopreemptPeers(group, report, name, line);
  }
  for (const machine of cluster.machines)
    for (const n of machine.nodes) {
      const src = n.instance.unicastSrc?.address;
      // Every line that names it: one fix per line, so --fix takes them all in one round.
      for (const self of n.instance.unicastPeers.filter((p) => p.address === src)) {
        const selfFile = n.model.files.get(self.file);
        report(
          n,
          'cluster-unicast-self',
          self,
          `unicast_peer ${self.address} is this instance's own unicast_src_ip: keepalived also sends its adverts to its own address, a sign that the list was copied from another node unchanged. List only the other nodes' addresses.`,
          // The line names this node itself: removing it changes nothing keepalived elects with.
          self.statement.condition || self.statement.keyword.value.includes('$') || !selfFile
            ? undefined
            : [
                {
                  title: `Remove ${self.address} (this node's own address) from unicast_peer`,
                  preferred: true,
                  edits: [removal(selfFile.text, self.statement.start, self.statement.end)],
                },
              ],
        );
      }
    }
  // The work bounds that cut this analysis short, where they did (budget.ts).
  for (const l of cluster.limits)
    out.push({ file: l.file, rule: 'analysis-limit', message: l.message, start: l.start, end: l.end });
  byVersion.set(keepalivedVersion ?? '', out);
  return out;
}

type Report = (
  n: ElectionNode,
  rule: RuleId,
  at: Located | undefined,
  message: string,
  fixes?: Fix[],
) => void;
type Name = (n: ElectionNode, from: ElectionNode) => string;
type Line = (n: ElectionNode, keyword: string) => Located | undefined;

/** Both orders of every pair of members on different machines, so each node's file gets its finding. */
function pairsOf(cluster: Cluster, group: VrrpGroup): [ElectionNode, ElectionNode][] {
  const out: [ElectionNode, ElectionNode][] = [];
  for (const a of group.members)
    for (const b of group.members) if (cluster.machineOf(a) !== cluster.machineOf(b)) out.push([a, b]);
  return out;
}

function vridMismatches(
  cluster: Cluster,
  report: Report,
  name: Name,
  line: Line,
  align: (n: ElectionNode, keyword: string, value: string, peer: ElectionNode) => Fix[] | undefined,
): void {
  if (cluster.machines.length < 2) return;
  const all = cluster.machines.flatMap((m) => m.nodes);
  // Candidates are the instances that share a VIP: indexed by address, so the work follows the VIPs.
  const byVip = new Map<string, ElectionNode[]>();
  for (const n of all)
    for (const v of n.instance.vips) {
      const list = byVip.get(v.address);
      if (!list) byVip.set(v.address, [n]);
      else if (list.length < MAX_VRID_INSTANCES && !list.includes(n)) list.push(n);
    }
  // The nodes of each machine by VRID, so that "has that machine an instance with a's id" looks at the
  // instances with that id only (a scan of every node of the machine per candidate was quadratic).
  const byVrid = new Map<Cluster['machines'][number], Map<number, ElectionNode[]>>();
  for (const m of cluster.machines) {
    const ids = new Map<number, ElectionNode[]>();
    for (const n of m.nodes) {
      const id = n.instance.vrid;
      if (id === undefined) continue;
      const list = ids.get(id);
      if (list) list.push(n);
      else ids.set(id, [n]);
    }
    byVrid.set(m, ids);
  }
  for (const a of all) {
    const id = a.instance.vrid;
    if (id === undefined) continue;
    const candidates = [...new Set(a.instance.vips.flatMap((v) => byVip.get(v.address) ?? []))];
    const b = candidates.find(
      (o) =>
        o.instance.vrid !== undefined &&
        o.instance.vrid !== id &&
        cluster.machineOf(o) !== cluster.machineOf(a) &&
        sharesVip(a, o) &&
        // A node that also has an instance with a's id for these VIPs is fine (two virtual routers).
        !(byVrid.get(cluster.machineOf(o))?.get(id) ?? []).some((x) => sharesVip(a, x)),
    );
    if (b)
      report(
        a,
        'cluster-vrid-mismatch',
        line(a, 'virtual_router_id'),
        `'${a.instance.name}' uses virtual_router_id ${a.instance.vrid}, but ${name(b, a)} manages the same VIPs with ${b.instance.vrid}: the nodes ignore each other's adverts, both become MASTER and hold the VIPs at once (split brain). Use the same virtual_router_id on every node.`,
        align(a, 'virtual_router_id', String(b.instance.vrid), b),
      );
  }
}

function unicast(cluster: Cluster, group: VrrpGroup, report: Report, name: Name, line: Line): void {
  if (group.transport !== 'unicast') return;
  const sources = new Set(
    cluster.machines.flatMap((m) => m.nodes.map((n) => n.instance.unicastSrc?.address)).filter((a) => !!a),
  );
  // Only when every member names its source can a peer address be known to belong to none of them.
  const allKnown = group.members.every((m) => m.instance.unicastSrc);
  for (const a of group.members) {
    const src = a.instance.unicastSrc?.address;
    for (const b of group.members) {
      if (cluster.machineOf(a) === cluster.machineOf(b) || !src) continue;
      const bSrc = b.instance.unicastSrc?.address;
      const listsB = !!bSrc && a.instance.unicastPeers.some((p) => p.address === bSrc);
      const bListsA = b.instance.unicastPeers.some((p) => p.address === src);
      if (bListsA && !listsB && bSrc)
        report(
          a,
          'cluster-unicast-asymmetric',
          line(a, 'unicast_peer'),
          `${name(b, a)} sends its adverts here, but the unicast_peer list of '${a.instance.name}' does not include ${bSrc}: this node never sends its adverts there, so the peer sees no master and takes the VIP too (split brain). Add ${bSrc} to unicast_peer.`,
        );
    }
    if (!allKnown) continue;
    for (const p of a.instance.unicastPeers)
      if (p.address !== src && !sources.has(p.address))
        report(
          a,
          'cluster-unicast-unknown-peer',
          p,
          `unicast_peer ${p.address} is the unicast_src_ip of none of the nodes checked together: if it is a node, check its configuration too; if it is an old address, adverts go nowhere.`,
        );
  }
}

// Two owners (vrrp_state_master_rx, vrrp.c:2120-2126 in 2.2.7): the first to hear the other drops to 254.
function owners(group: VrrpGroup, report: Report, name: Name, line: Line): void {
  const owning = group.members.filter((m) => m.owner);
  if (owning.length < 2) return;
  for (const a of owning)
    report(
      a,
      'cluster-multiple-owners',
      line(a, 'priority') ?? line(a, 'state'),
      `'${a.instance.name}' is an address owner (priority 255), like ${owning
        .filter((o) => o !== a)
        .map((o) => name(o, a))
        .join(
          ', ',
        )}: both start as MASTER and hold the VIPs at once (split brain) until one hears the other's advert; that node logs "CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner" and drops its own priority to 254 until it restarts, so which node ends up MASTER depends on timing, not on the configuration. Keep 255 for at most one node (the one that really owns the addresses).`,
    );
}

function nopreemptPeers(group: VrrpGroup, report: Report, name: Name, line: Line): void {
  const waiting = group.members.find((m) => m.nopreempt);
  if (!waiting) return;
  for (const m of group.members) {
    if (m.state !== 'MASTER' || m === waiting) continue;
    report(
      m,
      'cluster-nopreempt-peer-master',
      line(m, 'state'),
      `${name(waiting, m)} has nopreempt, but '${m.instance.name}' has state MASTER${m.nopreemptCleared ? ' (keepalived clears its own nopreempt)' : ''}: whenever this node starts, it takes the VIP back from a running master with a lower priority. Use state BACKUP on every node of a nopreempt group.`,
    );
  }
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'cluster-vrid-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: instances sharing a VIP with different virtual_router_ids (split brain).',
  },
  {
    id: 'cluster-vip-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: the instances of one virtual router list different VIPs.',
  },
  {
    id: 'cluster-vrid-collision',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: unrelated instances (no VIP in common) use one virtual_router_id on one interface.',
  },
  {
    id: 'cluster-advert-int-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: the instances of one virtual router advertise at different intervals.',
  },
  {
    id: 'cluster-version-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: the instances of one virtual router speak different VRRP versions (split brain).',
  },
  {
    id: 'cluster-auth-mismatch',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description:
      'Across nodes: the instances of one virtual router use different authentication (split brain).',
  },
  {
    id: 'cluster-unicast-asymmetric',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: "Across nodes: a node's unicast_peer list misses a peer that lists it.",
  },
  {
    id: 'cluster-unicast-self',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'An instance lists its own unicast_src_ip as a unicast_peer.',
  },
  {
    id: 'cluster-unicast-unknown-peer',
    severity: 'info',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: a unicast_peer address that no node checked together uses as unicast_src_ip.',
  },
  {
    id: 'cluster-multiple-owners',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: more than one address owner (priority 255) in one virtual router.',
  },
  {
    id: 'cluster-nopreempt-peer-master',
    severity: 'warning',
    category: 'cluster',
    scope: 'nodes',
    description: 'Across nodes: nopreempt on one node while a peer has state MASTER, which preempts anyway.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    cluster: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'cluster',
  rules,
  checks: [{ over: 'nodes', check: checkCluster }],
};
