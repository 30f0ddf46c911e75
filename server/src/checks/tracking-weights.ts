// Weighted tracking keepalived will not weigh, and says so once the configuration is read (no line
// number): on an address owner and on a member of a sync group without sync_group_tracking_weight it
// removes weighted scripts, bfds and track_files, and clears or removes weighted interfaces
// (vrrp_complete_instance, vrrp.c 2.2.7 l.3825-3901); a sync group with an address owner among its members
// clears the weights of its own tracking (sync_group_tracking_init, l.4023-4103); an object a member and
// its group both track is tracked once, with the group's weight unless the member's line is unweighted;
// a vrrp_script every line of which is dropped is freed unused. The election model (analysis/election.ts
// restrict and the merge in electionNode) decides what happens; this family words it.
import {
  basePriority,
  electionNode,
  ownInterface,
  priorityKnown,
  syncIndex,
  type Tracker,
} from '../analysis/election';
import type { ConfigModel } from '../analysis/model';
import { freedTrackedScripts } from '../analysis/script-tracking';
import type { ConfigObjects, SyncGroup, VrrpInstance } from '../analysis/objects';
import type { RuleFamily } from './family';
import { lineNumber, type FileFinding } from './finding';
import { findingsPerNode } from './per-node';
import type { Rule } from './rules';

export function checkTrackingWeights(model: ConfigModel): FileFinding[] {
  return findingsPerNode(model, (objects, variant) => {
    const syncs = syncIndex(model, variant);
    const out: FileFinding[] = [];
    const groupLines = new Set<Tracker['entry']>();
    for (const instance of objects.instances) {
      // Nothing tracked, nothing to weigh: the election model is not needed.
      if (instance.tracks.length === 0 && !syncs.groupOf.get(instance.name)?.tracks.length) continue;
      const node = electionNode(model, variant, instance, instance.name, syncs);
      // The group tracks the member's own interface, which the member already tracks (unweighted), unless
      // dont_track_primary takes it out (VRRP_NOT_TRACK_IF): keepalived reports it (vrrp.c l.2249-2256).
      if (node.sync && !instance.lines.has('dont_track_primary'))
        for (const e of node.sync.tracks)
          if (ownInterface(instance, e)) out.push(ownInterfaceFinding(instance, node.sync, e));
      for (const t of node.trackers) {
        if (t.merged) out.push(mergedFinding(model, instance, node.sync!, t));
        if (!t.restricted) continue;
        if (t.group === undefined) {
          // An owner's verdict needs its priority; a sync group's does not.
          if (t.restricted.because === 'address owner' && !priorityKnown(instance)) continue;
          out.push(instanceFinding(instance, node.sync, t));
        } else if (!groupLines.has(t.entry)) {
          groupLines.add(t.entry);
          const owner = ownerOf(objects, node.sync!, syncs.groupOf);
          if (owner) out.push(groupFinding(node.sync!, owner, t));
        }
      }
    }
    return out;
  });
}

/**
 * A vrrp_script every track_script line of which keepalived drops: the daemon frees it unused at start-up,
 * so it never runs and nothing it checks moves a VIP (analysis/script-tracking.ts).
 */
export function checkFreedScripts(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  const freed = freedTrackedScripts(model);
  if (freed.size === 0) return out;
  for (const def of model.symbols.definitions) {
    const lines = def.kind === 'vrrp_script' ? freed.get(def.name) : undefined;
    if (!lines) continue;
    const reasons = lines.map(
      ({ reference, why }) => `${lineLabel(model, def.file, reference.file, reference.span.start)}: ${why}`,
    );
    out.push({
      file: def.file,
      rule: 'script-never-tracked',
      message: `keepalived drops every track_script line naming ${def.name} (${reasons.join('; ')}), so when the daemon starts it frees vrrp_script ${def.name} ("Warning - script ${def.name} is not used"; keepalived -t stops before saying so): the script never runs and no VIP moves when what it checks fails. Fix the track_script lines (each has its own finding).`,
      ...def.span,
    });
  }
  return out;
}

/** Another line, as a message written in file `from` names it: `line N`, or `FILE:N` in another file. */
function lineLabel(model: ConfigModel, from: string, file: string, offset: number): string {
  const n = lineNumber(model, file, offset);
  return file === from ? `line ${n}` : `${file}:${n}`;
}

/** What keepalived says when a member tracks an object its sync group tracks too (vrrp.c l.2254, l.2691). */
function mergedSays(i: VrrpInstance, kind: Tracker['kind'], name: string): string {
  return kind === 'interface'
    ? `(${i.name}) track_interface ${name} is configured on VRRP instance and sync group. Remove vrrp instance or sync group config`
    : `(${i.name}) track_${kind} ${name} is configured on VRRP instance and sync group. Remove vrrp instance config`;
}

/** An object tracked by the instance and by its sync group: keepalived keeps one tracking, one weight. */
function mergedFinding(model: ConfigModel, i: VrrpInstance, group: SyncGroup, t: Tracker): FileFinding {
  const m = t.merged!;
  const own = m.kept === 'instance' ? t.entry : m.other;
  const groupEntry = m.kept === 'group' ? t.entry : m.other;
  const groupWeight = m.kept === 'group' ? t.weight : m.otherWeight;
  const said =
    t.kind === 'interface'
      ? `keepalived reports "${mergedSays(i, t.kind, t.name)}" (a configuration error for keepalived -t)`
      : `keepalived logs "${mergedSays(i, t.kind, t.name)}"`;
  const effect =
    m.kept === 'group'
      ? `it tracks ${t.name} once for '${i.name}', with the group's weight ${signed(groupWeight)}: this line's weight ${signed(m.otherWeight)} does not count`
      : `this line is unweighted, so it tracks ${t.name} once for '${i.name}' with weight 0 (FAULT ${failing(t)}): the group's weight ${signed(groupWeight)} does not count for '${i.name}'`;
  return {
    file: own.file,
    rule: 'tracking-instance-and-group',
    message: `vrrp_sync_group ${group.name} tracks ${t.name} too (${lineLabel(model, own.file, groupEntry.file, groupEntry.span.start)}): ${said}, and ${effect}. Track it in one place.`,
    start: own.span.start,
    end: own.span.end,
  };
}

/** A sync group's track_interface line naming a member's own interface. */
function ownInterfaceFinding(i: VrrpInstance, group: SyncGroup, e: Tracker['entry']): FileFinding {
  const weight = e.weight ?? 0;
  return {
    file: e.file,
    rule: 'tracking-instance-and-group',
    message: `${e.name} is the interface of '${i.name}', a member of vrrp_sync_group ${group.name}, and every instance already tracks its own interface unweighted: keepalived reports "${mergedSays(i, 'interface', e.name)}" (a configuration error for keepalived -t), and '${i.name}' goes to FAULT when ${e.name} goes down${weight !== 0 ? `; this line's weight ${signed(weight)} does not count for it` : ''}. Remove ${e.name} from the group's track_interface${weight !== 0 ? ', or move the line to the members it is meant for' : ''}.`,
    start: e.span.start,
    end: e.span.end,
  };
}

/** The member that makes the group's weights void: an address owner whose priority is known. */
function ownerOf(
  objects: ConfigObjects,
  group: SyncGroup,
  groupOf: Map<string, SyncGroup>,
): VrrpInstance | undefined {
  return objects.instances.find(
    (i) => groupOf.get(i.name) === group && priorityKnown(i) && basePriority(i) === 255,
  );
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** Where the weight comes from: the track line, or the tracked object's own definition. */
function weightOrigin(t: Tracker): string {
  const weight = `weight ${signed(t.restricted!.written)}`;
  const own = { script: 'vrrp_script', file: 'track_file', bfd: 'bfd_instance' } as const;
  return t.entry.weight === undefined && t.kind in own
    ? `${weight} (from ${own[t.kind as keyof typeof own]} ${t.name})`
    : weight;
}

/** keepalived's own words (vrrp.c l.3838-3893), which differ by kind. */
function keepalivedSays(i: VrrpInstance, t: Tracker, sync: boolean): string {
  const due = sync ? 'SYNC group' : 'address_owner';
  const w = t.restricted!.written;
  switch (t.kind) {
    case 'interface':
      return `(${i.name}) ignoring ${t.name} tracked interface ${sync ? 'weight ' : ''}due to ${sync ? 'SYNC group' : 'address owner'}`;
    case 'script':
      return `(${i.name}) ignoring tracked script ${t.name} with weights due to ${due}`;
    case 'file':
      return w === 1
        ? `(${i.name}) ignoring weight from tracked file ${t.name} due to ${due}. specify weight 0`
        : `(${i.name}) ignoring tracked file ${t.name} with weight ${w} due to ${due}`;
    default:
      return `(${i.name}) ignoring tracked ${t.kind} ${t.name} with weight ${w} due to ${due}`;
  }
}

/** When a tracked object counts as failing: with `reverse` (kept with weight 0), while it is healthy. */
const FAILING: Record<Tracker['kind'], [plain: string, reversed: string]> = {
  script: ['fails', 'succeeds (reverse)'],
  interface: ['goes down', 'is up (reverse)'],
  file: ['changes', 'changes'],
  process: ['stops', 'runs (reverse)'],
  bfd: ['goes down', 'is up (reverse)'],
};

const failing = (t: Tracker): string =>
  t.reverse ? `while ${t.name} ${FAILING[t.kind][1]}` : `when ${t.name} ${FAILING[t.kind][0]}`;

/** The weight 0 line that says what keepalived does, keeping the direction. */
const zero = (t: Tracker): string => (t.reverse ? 'weight 0 reverse' : 'weight 0');

function instanceFinding(i: VrrpInstance, group: SyncGroup | undefined, t: Tracker): FileFinding {
  const sync = t.restricted!.because === 'sync group';
  // An owner's interface in such a group: the weight stays (see restrict), the owner's priority does not move.
  const ownerToo = sync && t.kind === 'interface' && t.restricted!.action === 'removed';
  const why = sync
    ? `'${i.name}'${ownerToo ? ' has priority 255 (the address owner), which tracking cannot change, and' : ''} is in vrrp_sync_group ${group!.name}, which has no sync_group_tracking_weight`
    : `'${i.name}' has priority 255 (the address owner), which tracking cannot change`;
  const said = `keepalived reports "${keepalivedSays(i, t, sync)}"`;
  const remedy = sync
    ? `Write ${zero(t)} on this line (a failure then puts the whole sync group in FAULT, so its VIPs move), or add sync_group_tracking_weight to vrrp_sync_group ${group!.name} if the weights are meant to count.`
    : `Write ${zero(t)} on this line (a failure then puts '${i.name}' in FAULT, so the VIPs move), or give '${i.name}' a priority below 255 if the weight is meant to count.`;
  const { file, span } = t.entry;
  if (t.restricted!.action === 'kept')
    return {
      file,
      rule: 'tracking-weight-cleared',
      message: `${why}: ${said}, but it has already stored this tracking with its ${weightOrigin(t)} (vrrp.c adds the tracked interfaces before it clears their weights), so the weight still counts: ${failing(t)}, the priority of '${i.name}' moves by ${t.restricted!.written} and it does not go to FAULT. Write ${zero(t)} on this line if a failure should put the sync group in FAULT (so its VIPs move), or add sync_group_tracking_weight to vrrp_sync_group ${group!.name} to say the weight is meant to count.`,
      start: span.start,
      end: span.end,
    };
  if (t.restricted!.action === 'removed')
    return {
      file,
      rule: 'tracking-removed',
      message: `${why}, so this tracking's ${weightOrigin(t)} cannot count: ${said} and drops the line. When ${t.name} ${FAILING[t.kind][0]}, '${i.name}' does nothing: it keeps its priority and the VIPs do not move. ${remedy}`,
      start: span.start,
      end: span.end,
    };
  const who = sync ? `'${i.name}' and the whole sync group ${group!.name}` : `'${i.name}'`;
  const effect =
    t.kind === 'file'
      ? `the number in ${t.name} no longer moves the priority: ${t.reverse ? 'a value of 0 (reverse)' : 'any value but 0'} puts ${who} in FAULT`
      : `${failing(t)}, ${who} ${sync ? 'go' : 'goes'} to FAULT (the VIPs move) instead of moving the priority by ${t.restricted!.written}`;
  return {
    file,
    rule: 'tracking-weight-cleared',
    message: `${why}, so this tracking's ${weightOrigin(t)} cannot count: ${said} and tracks it with weight 0: ${effect}. Write ${zero(t)} on this line to say what keepalived does${sync ? `, or add sync_group_tracking_weight to vrrp_sync_group ${group!.name} if the weight is meant to count` : ''}.`,
    start: span.start,
    end: span.end,
  };
}

function groupFinding(group: SyncGroup, owner: VrrpInstance, t: Tracker): FileFinding {
  const verb = t.kind === 'script' || t.kind === 'interface' ? 'clearing weight' : 'setting weight 0';
  const { file, span } = t.entry;
  return {
    file,
    rule: 'tracking-weight-cleared',
    message: `'${owner.name}' in vrrp_sync_group ${group.name} has priority 255 (the address owner), so the group's tracking cannot have weights: keepalived reports "(${group.name}) Cannot have weighted track ${t.kind} '${t.name}' with member having priority 255 - ${verb}" and tracks it with weight 0: ${failing(t)}, every member goes to FAULT (the VIPs move) instead of moving the priority by ${t.restricted!.written}. Write ${zero(t)} on this line to say what keepalived does, or give '${owner.name}' a priority below 255 if the weight is meant to count.`,
    start: span.start,
    end: span.end,
  };
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'tracking-removed',
    severity: 'error',
    category: 'cluster',
    scope: 'configuration',
    description:
      'Weighted tracking keepalived removes: a weighted script, bfd or track_file (weight other than 1) on an address owner or in a sync group without sync_group_tracking_weight, a weighted interface on an address owner.',
  },
  {
    id: 'script-never-tracked',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A vrrp_script that track_script lines name, but every one of them is dropped (weighted on an address owner or in a sync group without sync_group_tracking_weight, or not a track line keepalived reads): keepalived frees the script unused at start-up and it never runs.',
  },
  {
    id: 'tracking-instance-and-group',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      "An object a vrrp_instance tracks that its sync group tracks too: keepalived keeps one tracking, with the group's weight unless the instance's line is unweighted.",
  },
  {
    id: 'tracking-weight-cleared',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      "Weighted tracking keepalived keeps with weight 0 (FAULT on failure): a track_file of weight 1, a sync group's own tracking when a member is an address owner; and a weighted interface in a sync group without sync_group_tracking_weight, whose weight keepalived says it ignores but still counts.",
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'tracking-weights': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'tracking-weights',
  rules,
  checks: [
    { over: 'configuration', check: checkTrackingWeights },
    { over: 'configuration', check: checkFreedScripts },
  ],
};
