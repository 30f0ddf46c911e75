// virtual_server_group blocks keepalived removes, and `virtual_server group NAME` services it drops before
// it checks them (2.2.7: check_parser.c vsg_end_handler() l.151-165, ipwrapper.c link_vsg_to_vs()
// l.1201-1262). The drop is a log line only: keepalived -t says nothing and exits 0, and the service is
// never set up in IPVS.
import type { ConfigModel } from '../analysis/model';
import type { ConfigObjects, VirtualServer } from '../analysis/objects';
import { linkOf, type GroupLink } from '../analysis/lvs-setup';
import type { VsGroup } from '../analysis/vs-groups';
import type { RuleFamily } from './family';
import type { FileFinding } from './finding';
import { findingsPerNode } from './per-node';
import type { Rule } from './rules';

export function checkVsGroups(model: ConfigModel): FileFinding[] {
  return findingsPerNode(model, (objects: ConfigObjects) => {
    const out: FileFinding[] = [];
    for (const g of objects.vsGroups) if (g.removed) out.push(removedGroup(g, objects.vsGroups));
    for (const vs of objects.virtualServers) {
      const link = linkOf(vs, objects.vsGroups);
      // An undefined group is undefined-reference's (checks/references.ts), which says so on the name.
      if (link.kind === 'dropped' && link.why !== 'undefined') out.push(dropped(vs, link));
    }
    return out;
  });
}

function removedGroup(g: VsGroup, groups: readonly VsGroup[]): FileFinding {
  const said =
    g.removed === 'empty'
      ? `virtual server group ${g.name} has no entries - removing`
      : `virtual server group ${g.name} cannot have IPv4, IPv6 and fwmark without family - removing`;
  const why =
    g.removed === 'empty'
      ? 'has no entry keepalived can use (an address with an optional port, or fwmark N)'
      : 'mixes IPv4 and IPv6 entries with a fwmark that names no family';
  const fix =
    g.removed === 'empty'
      ? 'Add its addresses (ADDRESS PORT, ranges as 10.0.0.1-10) or marks (fwmark N)'
      : "Give each fwmark entry its family ('fwmark N inet' or 'fwmark N inet6'), or split the group by family";
  // Another group of the name takes its place (ipvs_get_group_by_name() finds the first one left).
  const other = groups.some((o) => o !== g && o.name === g.name && !o.removed);
  const then = other
    ? `'virtual_server group ${g.name}' then uses the other virtual_server_group ${g.name}`
    : `every 'virtual_server group ${g.name}' is then dropped without a word (no IPVS service is set up for it)`;
  return {
    file: g.file,
    rule: 'virtual-server-group-removed',
    message: `virtual_server_group ${g.name} ${why}: keepalived reports "${said}" at its closing brace, and ${then}. ${fix}.`,
    start: g.closing.start,
    end: g.closing.end,
  };
}

const FAMILY = { 4: 'IPv4', 6: 'IPv6' } as const;

/** Which line gave the service its family (lvs-setup.ts serviceFamily). */
function sourceOf(link: Extract<GroupLink, { kind: 'dropped' }>): string {
  const line = link.from!;
  const name = line.spec?.name;
  const address = line.expandedArgs[0] ?? line.statement.args[0]?.value ?? '';
  if (name === 'ip_family') return `its ip_family ${address}`;
  if (name === 'sorry_server')
    return `its sorry_server ${address}, as no real server that is not tunnelled says`;
  return `its first real server that is not tunnelled, ${address}`;
}

function dropped(vs: VirtualServer, link: Extract<GroupLink, { kind: 'dropped' }>): FileFinding {
  const g = link.group!;
  const shown = `[${g.name}]:0`;
  let said: string;
  let why: string;
  if (link.why === 'removed') {
    said = `Virtual server group ${g.name} specified but not configured - ignoring virtual server ${shown}`;
    why = `keepalived removed virtual_server_group ${g.name} (see virtual-server-group-removed)`;
  } else if (link.why === 'mixed-family') {
    said = `${g.name}: virtual server group with IPv4 & IPv6 doesn't match virtual server ${shown} - ignoring`;
    why = `virtual_server_group ${g.name} holds both IPv4 and IPv6 entries, which only a service whose servers are all tunnelled can take, and this one is ${FAMILY[link.family!]} (${sourceOf(link)})`;
  } else {
    const other = link.family === 4 ? 6 : 4;
    said = `${g.name}: address family doesn't match virtual server ${shown} - ignoring`;
    why = `virtual_server_group ${g.name} holds ${FAMILY[other]} entries and this service is ${FAMILY[link.family!]} (${sourceOf(link)})`;
  }
  const fix =
    link.why === 'removed'
      ? `Mend virtual_server_group ${g.name}.`
      : `Use a group of the service's family, or real servers of the group's family.`;
  return {
    file: vs.file,
    rule: 'virtual-server-ignored',
    message: `keepalived drops this virtual_server: ${why}. It only logs "${said}" (keepalived -t reports nothing), sets up no IPVS service for it, and runs none of its checkers. ${fix}`,
    start: vs.span.start,
    end: vs.span.end,
  };
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'virtual-server-group-removed',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A virtual_server_group keepalived removes: no entry it can use, or IPv4 and IPv6 entries with a fwmark of no family.',
  },
  {
    id: 'virtual-server-ignored',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      "A virtual_server group service keepalived drops with only a log line: its group was removed, or the group's address family is not the service's.",
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'vs-groups': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'vs-groups',
  rules,
  checks: [{ over: 'configuration', check: checkVsGroups }],
};
