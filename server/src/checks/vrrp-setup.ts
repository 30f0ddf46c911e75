// What keepalived's VRRP process decides about instances and sync groups once the whole configuration is
// read, and reports without a line number: an instance with unicast keywords and no peers
// (vrrp.c vrrp_complete_instance(), from 2.2.5), a sync group with one member (vrrp_sync.c
// vrrp_sync_set_group()). keepalived runs on, and the cluster then does not fail over as written.
import type { ConfigModel } from '../analysis/model';
import type { ConfigObjects, VrrpInstance } from '../analysis/objects';
import { compareVersions } from '../schema/version';
import { UNICAST_KEYWORDS } from '../schema/vocabulary';
import type { RuleFamily } from './family';
import type { FileFinding } from './finding';
import { findingsPerNode } from './per-node';
import type { Rule } from './rules';

/** From 2.2.5 keepalived says so (and has unicast_fault_no_peer); before, it used multicast silently. */
const UNICAST_WITHOUT_PEERS_REPORTED = '2.2.5';

export function checkVrrpSetup(model: ConfigModel): FileFinding[] {
  const version = model.options.keepalivedVersion;
  return findingsPerNode(model, (objects) => [
    ...objects.instances.flatMap((i) => unicastWithoutPeers(objects, i, version)),
    ...singleMemberGroups(objects),
  ]);
}

function unicastWithoutPeers(
  objects: ConfigObjects,
  instance: VrrpInstance,
  version: string | undefined,
): FileFinding[] {
  // Each of these keywords, an empty unicast_peer block included, sets VRRP_FLAG_UNICAST_CONFIGURED.
  const unicast = instance.children.filter(
    (c) => c.role === 'keyword' && UNICAST_KEYWORDS.has(c.spec?.name ?? ''),
  );
  const first = unicast[0];
  if (!first || instance.unicastPeerLinesKept > 0) return [];
  const others = [...new Set(unicast.map((c) => c.spec!.name))].filter((n) => n !== 'unicast_peer');
  const written = others.length
    ? `${instance.name} has ${others.join(', ')} but no unicast peer`
    : `The unicast_peer block of ${instance.name} lists no address keepalived can use`;
  const silent = version !== undefined && compareVersions(version, UNICAST_WITHOUT_PEERS_REPORTED) < 0;
  const fault = unicast.some((c) => c.spec?.name === 'unicast_fault_no_peer');
  const what = fault
    ? `keepalived logs "Cannot use unicast without any peers - going to fault state": ${instance.name} stays in FAULT and never takes its addresses`
    : `${silent ? 'keepalived silently ignores them' : 'keepalived reports "A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated"'} and sends ${instance.name}'s adverts by multicast, which a peer configured for unicast, or a network that drops multicast (most clouds), never delivers: both nodes then become MASTER`;
  const keyword = first.statement.keyword;
  return [
    {
      file: objects.fileOf(first.statement, instance.file),
      rule: 'unicast-without-peers',
      message: `${written}: ${what}. List the other nodes in a unicast_peer block, or remove the unicast lines.`,
      start: keyword.start,
      end: keyword.end,
    },
  ];
}

/**
 * vrrp_sync_set_group(): members are taken in order; a name that is no instance, or an instance already
 * in an earlier group (or earlier in this one), is not a member. One member left: reported.
 */
function singleMemberGroups(objects: ConfigObjects): FileFinding[] {
  const instances = new Set(objects.instances.map((i) => i.name));
  const claimed = new Set<string>();
  const out: FileFinding[] = [];
  for (const group of objects.syncGroups) {
    // A member a template or an unknown parameter names cannot be counted.
    const unknown = (m: (typeof group.members)[number]): boolean =>
      m.name.includes('$') ||
      [m.statement.keyword, ...m.statement.args].some((w) => w.template !== undefined);
    if (group.members.some(unknown)) {
      for (const m of group.members) claimed.add(m.name);
      continue;
    }
    const members: string[] = [];
    for (const m of group.members) {
      if (!instances.has(m.name) || claimed.has(m.name)) continue;
      claimed.add(m.name);
      members.push(m.name);
    }
    if (members.length !== 1) continue;
    out.push({
      file: group.file,
      rule: 'sync-group-single-instance',
      message: `vrrp_sync_group ${group.name} has one instance, ${members[0]}: keepalived reports "Sync group ${group.name} has only 1 virtual router(s) - this probably isn't what you want" (a configuration error for keepalived -t). A sync group makes instances change state together; with one it only adds its notify scripts and tracking. Add the instances that must move with ${members[0]}, or use the instance alone.`,
      ...group.span,
    });
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'unicast-without-peers',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      'An instance with unicast keywords but no unicast peer: keepalived falls back to multicast (or, with unicast_fault_no_peer, stays in FAULT).',
  },
  {
    id: 'sync-group-single-instance',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'A vrrp_sync_group with only one instance in it: keepalived reports it.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'vrrp-setup': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'vrrp-setup',
  rules,
  checks: [{ over: 'configuration', check: checkVrrpSetup }],
};
