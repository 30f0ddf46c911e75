// Inlay hints next to `priority`: the effective priorities the instance can advertise with its tracked
// objects (`101…104`), per node of the cluster (the configurations checked together, or this file's
// `@id` variants). Nothing is shown when tracking cannot change the priority.
import type { InlayHint } from 'vscode-languageserver-types';
import { clusterOf } from '../analysis/cluster';
import { priorityRange } from '../analysis/election';
import type { AnalyzedFile } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';

export function inlayHints(file: AnalyzedFile, peers: ConfigModel[]): InlayHint[] {
  const nodes = clusterOf(peers.includes(file.model) ? peers : [file.model]).machines.flatMap((m) => m.nodes);
  const hints: InlayHint[] = [];
  const seen = new Set<number>();
  for (const n of nodes) {
    const line = n.instance.priorityLine;
    if (!line || line.file !== file.path || n.uncertain) continue;
    const { low, high } = priorityRange(n);
    const faults = n.trackers.some((t) => t.effect === 'fault');
    if (low === high && !faults) continue;
    const end = line.statement.args[line.statement.args.length - 1]?.end ?? line.statement.keyword.end;
    if (seen.has(end)) continue; // a file read by several nodes: one hint per line
    seen.add(end);
    const label = `${low === high ? `${low}` : `${low}…${high}`}${faults ? ' or FAULT' : ''}`;
    hints.push({
      position: file.lines.positionAt(end),
      label,
      paddingLeft: true,
      tooltip: `Effective priority while running: ${label}, from the weights of its tracked objects${faults ? '; a failing weight-0 object puts it in FAULT' : ''}.`,
    });
  }
  return hints;
}
