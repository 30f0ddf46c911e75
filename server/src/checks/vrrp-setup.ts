// What keepalived's VRRP process decides about instances and sync groups once the whole configuration is
// read, and reports without a line number (vrrp.c vrrp_complete_instance(), 2.2.7): unicast keywords with
// no peers (from 2.2.5), authentication it drops or a start as MASTER it refuses, nopreempt and
// preempt_delay it resets, an advert interval it rounds, a multicast destination it ignores, VIPs an
// advert has no room for; and a sync
// group with one member (vrrp_sync.c vrrp_sync_set_group()). keepalived runs on with what it changed.
import type { ConfigModel } from '../analysis/model';
import {
  inStrictMode,
  vrrpVersionOf,
  type ConfigObjects,
  type Located,
  type VrrpInstance,
} from '../analysis/objects';
import { compareVersions } from '../schema/version';
import { UNICAST_KEYWORDS } from '../schema/vocabulary';
import type { RuleFamily } from './family';
import type { FileFinding } from './finding';
import { findingsPerNode } from './per-node';
import { authDropped } from './strict-mode';
import { mutuallyExclusive } from '../analysis/conditions';
import { exclusiveBranches } from '../syntax/templates';
import type { Rule } from './rules';
import { append } from '../analysis/budget';
import { vipFamily } from '../analysis/primitives';

/** From 2.2.5 keepalived says so (and has unicast_fault_no_peer); before, it used multicast silently. */
const UNICAST_WITHOUT_PEERS_REPORTED = '2.2.5';

export function checkVrrpSetup(model: ConfigModel): FileFinding[] {
  const version = model.options.keepalivedVersion;
  return findingsPerNode(model, (objects) => [
    ...objects.instances.flatMap((i) => [
      ...unicastWithoutPeers(objects, i, version),
      ...completion(objects, i),
      ...tooManyVips(objects, i),
    ]),
    ...singleMemberGroups(objects),
  ]);
}

/** VRRP_PRIO_OWNER: the address owner's priority. */
const OWNER = 255;

/**
 * The corrections vrrp_complete_instance() makes, in its order: the priority an instance without one
 * gets (255 for state MASTER, else 100), authentication it drops, AH with an initial MASTER, nopreempt
 * with priority 255, preempt_delay that cannot work, a multicast destination with unicast peers, and the
 * advert interval VRRP carries.
 */
function completion(objects: ConfigObjects, i: VrrpInstance): FileFinding[] {
  const out: FileFinding[] = [];
  const at = (located: Located | undefined, rule: FileFinding['rule'], message: string): void => {
    const where = located ?? i;
    out.push({ file: where.file, rule, message, start: where.span.start, end: where.span.end });
  };
  // A priority line whose value is not known here (a template, alternatives) decides nothing.
  const priority = i.priority ?? (i.lines.has('priority') ? undefined : i.state === 'MASTER' ? OWNER : 100);
  // The state it starts in: without a state line the owner starts as MASTER (l.2913); in strict mode the
  // state follows the priority ("State MASTER must match being address owner", l.2915).
  let master =
    priority !== undefined && (inStrictMode(objects, i) || !i.lines.has('state'))
      ? priority === OWNER
      : i.state === 'MASTER';
  const dropped = authDropped(objects, i);
  if (dropped === 'no-password')
    at(
      i.authTypeLine,
      'auth-ignored',
      `'${i.name}' sets auth_type ${i.authType} but no auth_pass: keepalived reports "(${i.name}) Authentication specified but no password given. Ignoring" and sends adverts without authentication, so peers that authenticate reject them. Add the auth_pass (the same on every node), or remove the authentication block everywhere.`,
    );
  else if (dropped === 'ah-ipv6')
    at(
      i.authTypeLine,
      'auth-ignored',
      `AH authentication is for IPv4: keepalived reports "(${i.name}) Cannot use AH authentication with IPv6. ignoring" and sends the adverts of '${i.name}' without authentication. Remove the authentication block on every node.`,
    );
  else if (!dropped && i.authType === 'AH' && master && priority !== undefined && priority !== OWNER) {
    // An AH node needs a peer's advert (its sequence number) before it may take over.
    at(
      i.stateLine,
      'ah-initial-master',
      `With AH authentication a node must hear an advert before it takes over: keepalived reports "(${i.name}) Initial state master is incompatible with AH authentication - clearing" and starts '${i.name}' as BACKUP. Write 'state BACKUP'.`,
    );
    master = false;
  }
  let nopreempt = !!i.nopreempt;
  if (i.nopreempt && priority === OWNER && !apart(i.nopreempt, i.priorityLine ?? i.stateLine)) {
    const why =
      i.priority === undefined ? ' (state MASTER with no priority line makes it the address owner)' : '';
    at(
      i.nopreempt,
      'nopreempt-with-owner',
      `'${i.name}' has priority 255${why}, and the address owner always takes over: keepalived reports "(${i.name}) nopreempt is incompatible with priority 255. resetting nopreempt". Give it a priority below 255 and 'state BACKUP' if it must not take the addresses back.`,
    );
    nopreempt = false;
  }
  const delay = i.lines.get('preempt_delay');
  if (i.preemptDelay && delay) {
    const why =
      master && !apart(delay, i.stateLine)
        ? `"(${i.name}) Warning - preempt delay will not work with initial state MASTER - clearing": a node that starts as MASTER takes over at once`
        : inStrictMode(objects, i)
          ? `"(${i.name}) preempt_delay is incompatible with strict mode - resetting"`
          : nopreempt && !apart(delay, i.nopreempt)
            ? `"(${i.name}) preempt_delay is incompatible with nopreempt mode - resetting": with nopreempt there is no take-over to delay`
            : undefined;
    if (why)
      at(
        delay,
        'preempt-delay-ignored',
        `keepalived reports ${why}. Remove the preempt_delay line, or the setting it conflicts with.`,
      );
  }
  const mcast = i.lines.get('mcast_dst_ip');
  // VRRP_FLAG_UNICAST: a unicast keyword and at least one peer keepalived keeps.
  if (mcast && i.unicastPeerLinesKept > 0 && !apart(mcast, i.unicastPeerBlock))
    at(
      mcast,
      'mcast-dst-ignored',
      `'${i.name}' has unicast peers, so it sends no multicast: keepalived reports "(${i.name}) multicast destination specified with unicast - ignoring". Remove the mcast_dst_ip line.`,
    );
  append(out, vmacOptions(i));
  const interval = roundedInterval(i.advertInt, vrrpVersionOf(objects, i));
  if (interval)
    at(
      i.lines.get('advert_int'),
      'advert-int-rounded',
      `${interval.why}: keepalived reports "(${i.name}) ${interval.said}" and advertises every ${interval.used} s, not ${i.advertInt} s. ${interval.fix}`,
    );
  return out;
}

/** The MTU keepalived assumes without an interface (vrrp_if.h DEFAULT_MTU), and Ethernet's usual one. */
const USUAL_MTU = 1500;
/** An advert's address count is one byte (vrrp.h VRRP_MAX_ADDR). */
const MAX_ADDR = 255;

/**
 * The VIPs one advert can carry (vrrp.c 2.2.7 l.3060-3081): what fits in the interface's MTU after the
 * Ethernet, IP and VRRP headers (plus VRRPv2's 8-byte authentication field and, with AH, its 24-byte
 * header), at most 255.
 */
export function maxAdvertisedVips(family: 4 | 6, version: number, ah: boolean, mtu = USUAL_MTU): number {
  const ethernet = 14;
  const vrrp = 8;
  const header =
    family === 4 ? ethernet + 20 + vrrp + (version === 2 ? 8 + (ah ? 24 : 0) : 0) : ethernet + 40 + vrrp;
  return Math.min(MAX_ADDR, Math.floor((mtu - header) / (family === 4 ? 4 : 16)));
}

/**
 * More VIPs of the instance's family than an advert can carry: keepalived moves the rest to the excluded
 * VIPs ("Number of VIPs (%u) exceeds maximum/space available in packet", vrrp.c l.3083-3096), a
 * configuration error for keepalived -t. The room depends on the interface's MTU: judged at 1500.
 */
function tooManyVips(objects: ConfigObjects, i: VrrpInstance): FileFinding[] {
  if (i.family === undefined) return [];
  const ours = i.vips.filter((v) => vipFamily(v.address) === i.family);
  const version = vrrpVersionOf(objects, i);
  const ah = i.family === 4 && version === 2 && i.authType === 'AH' && !authDropped(objects, i);
  const max = maxAdvertisedVips(i.family, version, ah);
  if (ours.length <= max) return [];
  const first = ours[max]!;
  const room =
    max === MAX_ADDR
      ? 'an advert counts at most 255 addresses'
      : `an advert has room for ${max} IPv6 addresses on an interface with MTU ${USUAL_MTU} (with jumbo frames, MTU 9000, it has room for 255)`;
  return [
    {
      file: first.file,
      rule: 'too-many-vips',
      message: `'${i.name}' has ${ours.length} IPv${i.family} VIPs and ${room}: keepalived reports "(${i.name}) Number of VIPs (${ours.length}) exceeds maximum/space available in packet (max ${max} addresses) - excess moved to eVIPs" (a configuration error for keepalived -t). From this one on, the VIPs are brought up and down with the others but not advertised, as if written in virtual_ipaddress_excluded. Move them there to say so, or spread the VIPs over more instances.`,
      start: first.span.start,
      end: first.span.end,
    },
  ];
}

/**
 * VMAC options that depend on a VMAC (vrrp.c 2.2.7 l.3482-3491, l.3550-3555): vmac_xmit_base without
 * use_vmac is cleared; promote_secondaries with use_vmac or use_ipvlan is set anyway, so the line is
 * dropped. Both reported by keepalived -t.
 */
function vmacOptions(i: VrrpInstance): FileFinding[] {
  const out: FileFinding[] = [];
  // The first line of each keyword, in the file it is in.
  const vmac = i.lines.get('use_vmac');
  const ipvlan = i.lines.get('use_ipvlan');
  const xmit = i.lines.get('vmac_xmit_base');
  if (xmit && !vmac)
    out.push({
      file: xmit.file,
      rule: 'vmac-setting-ignored',
      message: `vmac_xmit_base only applies to an instance with use_vmac: keepalived reports "(${i.name}) vmac_xmit_base is only valid with a vmac" and clears it. Remove the line, or add use_vmac.`,
      ...xmit.span,
    });
  const promote = i.lines.get('promote_secondaries');
  const own =
    vmac && !apart(promote, vmac) ? 'use_vmac' : ipvlan && !apart(promote, ipvlan) ? 'use_ipvlan' : undefined;
  if (promote && own)
    out.push({
      file: promote.file,
      rule: 'vmac-setting-ignored',
      message: `With ${own} keepalived promotes secondary addresses by itself: it reports "(${i.name}) promote_secondaries is automatically set for vmacs - ignoring". Remove the line.`,
      ...promote.span,
    });
  return out;
}

/**
 * Two lines no node reads together: in the branches of one template conditional, or under `@id`s that
 * exclude each other (findingsPerNode reads each config id on its own, a template's branches it cannot).
 */
function apart(a: Located | undefined, b: Located | undefined): boolean {
  if (!a || !b) return false;
  return (
    exclusiveBranches(a.statement.branch, b.statement.branch) ||
    mutuallyExclusive(a.statement.condition, b.statement.condition)
  );
}

/**
 * The advert interval VRRP can carry (2.2.7 l.3253-3300): whole seconds for version 2, hundredths below
 * 40.96 s for version 3; keepalived rounds anything else to the nearest it can send.
 */
function roundedInterval(
  seconds: number | undefined,
  version: number,
): { used: number; said: string; why: string; fix: string } | undefined {
  if (seconds === undefined || seconds <= 0) return undefined;
  const micros = Math.round(seconds * 1e6);
  if (version === 2) {
    if (micros % 1e6 === 0) return undefined;
    const used = Math.max(1, Math.round(micros / 1e6));
    return {
      used,
      said: `VRRPv2 advertisement interval ${(micros / 1e6).toFixed(6)}s must be an integer. rounding`,
      why: 'VRRP version 2 carries the advert interval in whole seconds',
      fix: `Write 'advert_int ${used}', or 'version 3' on every node for sub-second adverts.`,
    };
  }
  if (micros >= 4096 * 1e4)
    return {
      used: 40.95,
      said: `VRRPv3 advertisement interval ${(micros / 1e6).toFixed(2)}s is out of range. Must be less than 40.96s. Setting to 40.95s`,
      why: 'VRRP version 3 carries the advert interval in hundredths of a second, below 40.96 s',
      fix: "Write 'advert_int 40.95' or less.",
    };
  if (micros % 1e4 === 0) return undefined;
  const used = Math.max(0.01, Math.round(micros / 1e4) / 100);
  return {
    used,
    said: `VRRPv3 advertisement interval ${(micros / 1e6).toFixed(6)}s must be in units of 10ms - rounding`,
    why: 'VRRP version 3 carries the advert interval in hundredths of a second',
    fix: `Write 'advert_int ${used}'.`,
  };
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
  // vrrp_get_instance(): the first instance of a name (keepalived skips a second one whole).
  const byName = new Map<string, VrrpInstance>();
  for (const i of objects.instances) if (!byName.has(i.name)) byName.set(i.name, i);
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
    const mixed = mixedOwners(members.map((n) => byName.get(n)!));
    if (mixed)
      out.push({
        file: group.file,
        rule: 'sync-group-mixed-owners',
        message: `vrrp_sync_group ${group.name} lists ${mixed.owners.join(', ')} as address owner (state MASTER, priority 255) before '${mixed.other}', which is not: keepalived reports "Sync group ${group.name} has some member(s) as address owner and some not as address owner. This won't work." (a configuration error for keepalived -t). An owner always takes its VIPs as MASTER while '${mixed.other}' waits as BACKUP, so the group's instances cannot change state together. Make every member an owner, or none.`,
        ...group.span,
      });
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

/**
 * vrrp_sync_set_group() (vrrp_sync.c 2.2.7 l.80-86) runs before the instances are completed, so it reads
 * the state and priority as written: while every member so far is MASTER with priority 255 the group is
 * MASTER, and a member then written as BACKUP is reported. The first member that is not an owner makes the
 * group BACKUP for good, so only that order is said. A state or priority not known here decides nothing.
 */
function mixedOwners(members: readonly VrrpInstance[]): { owners: string[]; other: string } | undefined {
  let state: 'INIT' | 'MASTER' | 'BACKUP' = 'INIT';
  const owners: string[] = [];
  for (const m of members) {
    if (
      (m.state === undefined && m.lines.has('state')) ||
      (m.priority === undefined && m.lines.has('priority'))
    )
      return undefined;
    const want = m.state ?? 'INIT';
    if (state === 'MASTER' && want === 'BACKUP') return { owners, other: m.name };
    if (state === 'BACKUP') continue;
    const owner = want === 'MASTER' && m.priority === 255;
    state = owner ? 'MASTER' : 'BACKUP';
    if (owner) owners.push(m.name);
  }
  return undefined;
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
    id: 'auth-ignored',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'Authentication keepalived drops: an auth_type without auth_pass, or AH with IPv6.',
  },
  {
    id: 'ah-initial-master',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      'state MASTER with AH authentication and a priority below 255: keepalived starts the instance as BACKUP.',
  },
  {
    id: 'nopreempt-with-owner',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'nopreempt on an instance with priority 255 (the address owner): keepalived resets it.',
  },
  {
    id: 'preempt-delay-ignored',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'preempt_delay keepalived resets: with state MASTER, strict mode or nopreempt.',
  },
  {
    id: 'mcast-dst-ignored',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'mcast_dst_ip on an instance with unicast peers: keepalived ignores it.',
  },
  {
    id: 'advert-int-rounded',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      'An advert_int the VRRP version cannot carry (a fraction with version 2, finer than 10 ms with version 3): keepalived rounds it.',
  },
  {
    id: 'sync-group-mixed-owners',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      'A vrrp_sync_group whose first members are address owners (state MASTER, priority 255) and a later one is state BACKUP: keepalived reports it.',
  },
  {
    id: 'too-many-vips',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'More VIPs than one advert can carry (255, or 89 IPv6 addresses at MTU 1500): keepalived advertises the first ones and moves the rest to the excluded VIPs.',
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
