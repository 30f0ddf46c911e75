// Inlay hints next to `priority`: the effective priorities the instance can advertise with its tracked
// objects (`101…104`), per node of the cluster (the configurations checked together, or this file's
// `@id` variants). Nothing is shown when tracking cannot change the priority.
import type { InlayHint } from 'vscode-languageserver-types';
import { clusterOf } from '../analysis/cluster';
import { priorityRange } from '../analysis/election';
import type { AnalyzedFile } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';

export function inlayHints(file: AnalyzedFile, peers: ConfigModel[]): InlayHint[] {
  const cluster = clusterOf(peers.includes(file.model) ? peers : [file.model]);
  // A line read by several nodes (a shared file's unconditional `priority`) gets one hint naming each.
  const byLine = new Map<number, { variant?: string; label: string }[]>();
  for (const m of cluster.machines) {
    for (const n of m.nodes) {
      const line = n.instance.priorityLine;
      if (!line || line.file !== file.path || n.uncertain) continue;
      const { low, high } = priorityRange(n);
      const faults = n.trackers.some((t) => t.effect === 'fault');
      if (low === high && !faults) continue;
      const end = line.statement.args[line.statement.args.length - 1]?.end ?? line.statement.keyword.end;
      const label = `${low === high ? `${low}` : `${low}…${high}`}${faults ? ' or FAULT' : ''}`;
      const list = byLine.get(end);
      if (list) list.push({ variant: m.variant, label });
      else byLine.set(end, [{ variant: m.variant, label }]);
    }
  }
  return [...byLine].map(([end, nodes]) => {
    const same = nodes.every((n) => n.label === nodes[0]!.label);
    const label = same ? nodes[0]!.label : nodes.map((n) => `@${n.variant} ${n.label}`).join(' · ');
    return {
      position: file.lines.positionAt(end),
      label,
      paddingLeft: true,
      tooltip: `Effective priority while running: ${label}, from the weights of the tracked objects (FAULT: a failing weight-0 object).`,
    };
  });
}
