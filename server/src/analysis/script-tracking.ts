// Which vrrp_scripts keepalived keeps tracking, and which it frees although track_script lines name them.
// vrrp_complete_init (vrrp.c 2.2.7 l.4787-4792) frees every vrrp_script no instance tracks ("Warning -
// script %s is not used") when the daemon starts; `keepalived -t` returns before that loop (l.4631), so
// the oracle never says it. A line naming a script is lost before then when keepalived drops it as written
// (alloc_track_script, vrrp_track.c l.201-277: an unknown option, a weight without a value), when the
// instance is an address owner or a member of a sync group without sync_group_tracking_weight and the
// tracking is weighted (vrrp_complete_instance, vrrp.c l.3830-3901). The election model (election.ts)
// decides the weighted cases. A script is reported only when every line naming it has one of these
// reasons: a line lost some other way (a sync group that is never applied, say) keeps it unreported.
import { electionNode, priorityKnown, syncIndex } from './election';
import type { ConfigModel } from './model';
import { objectsOf, variantsOf } from './objects';
import { readTrackLine } from './track-lines';
import type { SymbolReference } from './types';

/** A track_script line naming a script that keepalived does not keep, and why. */
export interface DroppedTrackLine {
  reference: SymbolReference;
  /** Why keepalived drops it, as a clause ("VI_1 has priority 255 ..."). */
  why: string;
}

const cache = new WeakMap<ConfigModel, Map<string, DroppedTrackLine[]>>();

/**
 * The vrrp_scripts that track_script lines name but that no instance keeps tracking on any node, with
 * each line's reason. Empty unless every file was read and every name is known here (a template or an
 * unexpanded parameter could name a script another way).
 */
export function freedTrackedScripts(model: ConfigModel): Map<string, DroppedTrackLine[]> {
  let found = cache.get(model);
  if (!found) cache.set(model, (found = computeFreed(model)));
  return found;
}

function computeFreed(model: ConfigModel): Map<string, DroppedTrackLine[]> {
  const freed = new Map<string, DroppedTrackLine[]>();
  const symbols = model.symbols;
  if (!model.complete || symbols.openKinds.has('vrrp_script')) return freed;
  if (symbols.references.some((r) => r.kind === 'vrrp_script' && r.pattern)) return freed;
  const defined = symbols.definitions.filter((d) => d.kind === 'vrrp_script');
  if (defined.length === 0) return freed;

  const kept = new Set<string>();
  /** Reasons for the lines the election model drops, by file and offset of the name. */
  const removed = new Map<string, string>();
  const variants = variantsOf(model);
  for (const variant of variants.length > 0 ? variants : [undefined]) {
    const objects = objectsOf(model, variant);
    const syncs = syncIndex(model, variant);
    for (const instance of objects.instances) {
      const group = syncs.groupOf.get(instance.name);
      const named = [...instance.tracks, ...(group?.tracks ?? [])].filter((e) => e.kind === 'script');
      if (named.length === 0) continue;
      const node = electionNode(model, variant, instance, instance.name, syncs);
      // A weight not known here (a template, a parameter): count every line as kept.
      if (node.uncertain) for (const e of named) kept.add(e.name);
      for (const t of node.trackers) {
        if (t.kind !== 'script') continue;
        const dropped = t.restricted?.action === 'removed';
        if (!dropped || (t.restricted!.because === 'address owner' && !priorityKnown(instance))) {
          kept.add(t.name);
          continue;
        }
        const why =
          t.restricted!.because === 'sync group'
            ? `${instance.name} is in vrrp_sync_group ${group!.name}, which has no sync_group_tracking_weight, so its weighted tracking is removed`
            : `${instance.name} has priority 255 (the address owner), so its weighted tracking is removed`;
        removed.set(`${t.entry.file}\0${t.entry.span.start}`, why);
      }
    }
  }

  for (const def of defined) {
    if (kept.has(def.name) || freed.has(def.name)) continue;
    const refs = symbols.referencesOf('vrrp_script', def.name);
    if (refs.length === 0) continue; // unused-definition says it
    const lines: DroppedTrackLine[] = [];
    for (const reference of refs) {
      const why = removed.get(`${reference.file}\0${reference.span.start}`) ?? droppedAsWritten(reference);
      if (why === undefined) break;
      lines.push({ reference, why });
    }
    if (lines.length === refs.length) freed.set(def.name, lines);
  }
  return freed;
}

/** Why keepalived drops a track_script line as written (track-lines.ts); undefined when it keeps it. */
function droppedAsWritten(reference: SymbolReference): string | undefined {
  const s = reference.statement;
  const reading = readTrackLine('script', [s.keyword.value, ...s.args.map((a) => a.value)]);
  if (reading.tracked) return undefined;
  const problem = reading.problems[0]?.message ?? '';
  // The reason without its own parenthesis, as the caller lists reasons in one.
  const cause = problem.slice(0, Math.max(0, problem.indexOf(': keepalived'))).replace(/ \([^)]*\)$/, '');
  return `keepalived drops the line as written${cause ? `: ${cause}` : ''}`;
}
