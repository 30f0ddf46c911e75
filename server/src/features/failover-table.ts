// The failover tables as people read them: one per virtual router, a row per failure (a tracked object
// failing on a node, a node stopping), a column per node with its priority, and who then holds the VIP.
// One view for `keepalived-lint --explain-failover` (text and JSON) and the hover on a vrrp_instance.
import { clusterOf, type Cluster, type VrrpGroup } from '../analysis/cluster';
import { priorityRange, type ElectionNode, type Standing } from '../analysis/election';
import type { ConfigModel } from '../analysis/model';

export interface TableNode {
  /** The node: its file as shown, plus `@id` for a variant of a shared file. */
  node: string;
  instance: string;
  file: string;
  variant?: string;
  base: number;
  /** Effective priorities it can advertise while running: `low…high`. */
  range: { low: number; high: number };
}

export interface TableRow {
  scenario: string;
  /** Per node, in column order: the effective priority, `FAULT`, or `stopped`. */
  cells: (number | 'FAULT' | 'stopped')[];
  /** The node holding the VIP, `tie` when the higher primary address decides, `nobody` when none can. */
  master: string;
  tie?: string[];
  /**
   * Seconds the new master waits before it takes the VIP: its preempt_delay, when it preempts a master
   * that is still running at a lower priority (a stopped or faulty master is replaced at once).
   */
  after?: number;
}

export interface FailoverTable {
  vrid: number;
  transport: 'unicast' | 'multicast';
  nodes: TableNode[];
  rows: TableRow[];
  /** Members the linter cannot work out (a weight it cannot read): their numbers may be wrong. */
  uncertain: boolean;
  /** The members, for editor features that point back into the files. */
  members: ElectionNode[];
}

const cellOf = (s: Standing): TableRow['cells'][number] =>
  'priority' in s ? s.priority : s.fault === 'down' ? 'stopped' : 'FAULT';

function tableOf(cluster: Cluster, group: VrrpGroup, shown: (path: string) => string): FailoverTable {
  const name = (n: ElectionNode) => {
    const m = cluster.machineOf(n);
    return `${shown(m.model.root)}${m.variant !== undefined ? ` @${m.variant}` : ''}`;
  };
  const nodes = group.members.map((n) => ({
    node: name(n),
    instance: n.instance.name,
    file: shown(n.instance.file),
    variant: cluster.machineOf(n).variant,
    base: n.base,
    range: priorityRange(n),
  }));
  const label = (text: string) => {
    // Scenario labels name machines by their root path: show them the same way as the columns.
    let out = text;
    for (const m of cluster.machines) {
      const full = m.variant !== undefined ? `${m.model.root} @${m.variant}` : m.model.root;
      const short = `${shown(m.model.root)}${m.variant !== undefined ? ` @${m.variant}` : ''}`;
      out = out.split(full).join(short);
    }
    return out;
  };
  const table = cluster.table(group);
  const healthy = table[0]?.outcome.master;
  const rows = table.map((r) => {
    const master = r.outcome.master;
    // vrrp.c: a backup that sees a lower-priority master waits preempt_delay before it takes over.
    const preempts = master && healthy && master !== healthy && 'priority' in r.standings.get(healthy)!;
    return {
      scenario: label(r.scenario.label),
      cells: group.members.map((n) => cellOf(r.standings.get(n)!)),
      master: master ? name(master) : r.outcome.tie ? 'tie' : 'nobody',
      ...(r.outcome.tie ? { tie: r.outcome.tie.map(name) } : {}),
      ...(preempts && master.preemptDelay ? { after: master.preemptDelay } : {}),
    };
  });
  return {
    vrid: group.vrid,
    transport: group.transport,
    nodes,
    rows,
    uncertain: group.members.some((m) => m.uncertain),
    members: group.members,
  };
}

/** Every virtual router of the cluster `models` make up; `shown` turns a path into how it is printed. */
export function failoverTables(
  models: ConfigModel[],
  shown: (path: string) => string = (p) => p,
): FailoverTable[] {
  const cluster = clusterOf(models);
  return cluster.groups.map((g) => tableOf(cluster, g, shown));
}

const who = (r: TableRow): string =>
  (r.tie ? `tie: higher IP of ${r.tie.join(', ')}` : r.master) +
  (r.after ? ` (after preempt_delay ${r.after} s)` : '');

function heading(t: FailoverTable): string {
  const instances = [...new Set(t.nodes.map((n) => n.instance))].join(', ');
  return `virtual_router_id ${t.vrid} (${t.transport}, ${instances})${t.uncertain ? ' — a weight is not known: numbers may be off' : ''}`;
}

/** Plain text with aligned columns, for the terminal. */
export function tableText(t: FailoverTable): string {
  const header = ['', ...t.nodes.map((n) => n.node), 'VIP on'];
  const body = t.rows.map((r) => [r.scenario, ...r.cells.map(String), who(r)]);
  // A loop, not Math.max(...): a table of thousands of nodes would overflow the stack.
  const widths = header.map((_, i) => {
    let width = header[i]!.length;
    for (const row of body) width = Math.max(width, row[i]!.length);
    return width;
  });
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const range = t.nodes.map(
    (n) => `${n.node}: '${n.instance}' priority ${n.base}, runs at ${n.range.low}…${n.range.high}`,
  );
  return [heading(t), ...range.map((r) => `  ${r}`), '', line(header), ...body.map(line), ''].join('\n');
}

/** A Markdown table, for hovers. */
export function tableMarkdown(t: FailoverTable): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const header = `| | ${t.nodes.map((n) => esc(n.node)).join(' | ')} | VIP on |`;
  const rule = `|---|${t.nodes.map(() => '---:').join('|')}|---|`;
  const rows = t.rows.map((r) => `| ${esc(r.scenario)} | ${r.cells.join(' | ')} | ${esc(who(r))} |`);
  return [`**Failover** · ${esc(heading(t))}`, '', header, rule, ...rows].join('\n');
}
