// Consistency across a configuration: two instances fighting over one virtual router id, one VIP claimed
// twice, a virtual server defined twice, nopreempt that cannot work, instances in two sync groups.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import { mutuallyExclusive } from '../analysis/conditions';
import { branchKey, exclusiveBranches } from '../syntax/templates';
import type { ConfigModel } from '../analysis/model';
import { isIpv6Instance, objectsOf, type Located, type VirtualServer } from '../analysis/objects';
import { linkOf } from '../analysis/lvs-setup';
import type { FileFinding } from './references';
import type { Word } from '../syntax/ast';
import { append } from '../analysis/budget';

interface Keyed<T extends Located> {
  item: T;
  key: string;
  /** The `@id` prefixes the item depends on (its line's and its block's). */
  conditions: Word[];
}

/** Two items can never be read together when any of their `@id` prefixes exclude each other. */
function exclusive(a: Word[], b: Word[]): boolean {
  return a.some((x) => b.some((y) => mutuallyExclusive(x, y)));
}

const some = (...words: (Word | undefined)[]): Word[] => words.filter((w): w is Word => !!w);

/**
 * Reports every item whose key an earlier, possibly-simultaneous item already has. Linear: per key, only
 * the first item of each distinct `@id` condition can be the earliest clash, so only those are kept.
 */
function duplicates<T extends Located>(
  items: Keyed<T>[],
  report: (later: T, first: T) => FileFinding,
): FileFinding[] {
  const out: FileFinding[] = [];
  const seen = new Map<string, Map<string, Keyed<T>>>();
  for (const entry of items) {
    let firsts = seen.get(entry.key);
    if (!firsts) seen.set(entry.key, (firsts = new Map<string, Keyed<T>>()));
    // Kept in first-seen order, so the first that clashes is the earliest item that does.
    let clash: Keyed<T> | undefined;
    for (const e of firsts.values()) {
      if (
        !exclusive(e.conditions, entry.conditions) &&
        !exclusiveBranches(e.item.statement.branch, entry.item.statement.branch)
      ) {
        clash = e;
        break;
      }
    }
    if (clash) out.push(report(entry.item, clash.item));
    const condition = entry.conditions.map((c) => c.value).join(' ') + branchKey(entry.item.statement.branch);
    if (!firsts.has(condition)) firsts.set(condition, entry);
  }
  return out;
}

/**
 * The protocol keepalived gives a virtual server: the one written, else UDP for one defined by address
 * (check_data.c l.1101-1110); a fwmark or group service without one keeps none. Undefined when a protocol
 * line is written but its value is unknown here (a template or parameter), so no duplicate is claimed.
 */
function storedProtocol(v: VirtualServer): string | undefined {
  if (v.protocol) return v.protocol;
  if (v.protocolWritten) return undefined;
  return v.byAddress ? 'UDP' : 'none';
}

export function checkConsistency(model: ConfigModel): FileFinding[] {
  const { instances, syncGroups, virtualServers, vsGroups } = objectsOf(model);
  const out: FileFinding[] = [];

  const family = (i: (typeof instances)[number]) => (isIpv6Instance(i) ? 'IPv6' : 'IPv4');
  append(
    out,
    duplicates(
      instances
        .filter((i) => i.vrid !== undefined && i.interface)
        .map((i) => ({
          item: i,
          key: `${i.interface}/${i.vrid}/${family(i)}`,
          conditions: some(i.condition),
        })),
      (later, first) => ({
        file: later.file,
        rule: 'duplicate-vrid',
        message: `vrrp_instance '${later.name}' uses virtual_router_id ${later.vrid} on ${later.interface}, like '${first.name}'. Two instances with the same id on one interface and address family receive each other's adverts and fight over mastership; give each its own id.`,
        ...later.span,
      }),
    ),
  );

  const vips = instances.flatMap((i) =>
    i.vips.map((v) => ({ item: { ...v, instance: i.name }, key: v.address, conditions: v.conditions })),
  );
  append(
    out,
    duplicates(vips, (later, first) => ({
      file: later.file,
      rule: 'duplicate-vip',
      message: `Virtual IP ${later.address} is also managed by vrrp_instance '${first.instance}'${first.instance === later.instance ? ' (listed twice)' : ''}; both instances would add and remove it independently.`,
      ...later.span,
    })),
  );

  append(
    out,
    duplicates(
      virtualServers.flatMap((v) => {
        // A group service keepalived drops configures nothing (checks/vs-groups.ts says so).
        if (linkOf(v, vsGroups).kind === 'dropped') return [];
        const protocol = storedProtocol(v);
        return protocol === undefined
          ? []
          : [
              {
                item: { ...v, protocol },
                key: `${v.key}/${protocol}`,
                conditions: some(v.statement.condition),
              },
            ];
      }),
      (later) => ({
        file: later.file,
        rule: 'duplicate-virtual-server',
        message: `virtual_server ${later.key} (${later.protocol ?? 'no protocol'}) is defined twice; keepalived would configure the same IPVS service from both blocks.`,
        ...later.span,
      }),
    ),
  );

  for (const i of instances) {
    // With priority 255 keepalived resets nopreempt first (vrrp-setup.ts nopreempt-with-owner says so).
    if (i.nopreempt && i.state === 'MASTER' && i.priority !== undefined && i.priority !== 255) {
      out.push({
        file: i.nopreempt.file,
        rule: 'nopreempt-with-master',
        message: `nopreempt does not work with 'state MASTER': keepalived clears it ("nopreempt will not work with initial state MASTER"). Use 'state BACKUP' on every node with nopreempt.`,
        ...i.nopreempt.span,
      });
    }
  }

  const memberOf = new Map<string, string>();
  for (const group of syncGroups) {
    for (const m of group.members) {
      const other = memberOf.get(m.name);
      if (other && other !== group.name) {
        out.push({
          file: m.file,
          rule: 'sync-group-overlap',
          message: `vrrp_instance '${m.name}' is already in sync group '${other}'; an instance can belong to only one sync group.`,
          ...m.span,
        });
      } else memberOf.set(m.name, group.name);
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'duplicate-vrid',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description:
      'Two VRRP instances with the same virtual_router_id on the same interface and address family.',
  },
  {
    id: 'duplicate-vip',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'The same virtual IP in two VRRP instances.',
  },
  {
    id: 'duplicate-virtual-server',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'Two virtual_server blocks for the same address, port and protocol.',
  },
  {
    id: 'nopreempt-with-master',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'nopreempt with state MASTER: keepalived clears nopreempt.',
  },
  {
    id: 'sync-group-overlap',
    severity: 'warning',
    category: 'cluster',
    scope: 'configuration',
    description: 'A VRRP instance listed in more than one sync group.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    consistency: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'consistency',
  rules,
  checks: [{ over: 'configuration', check: checkConsistency }],
};
