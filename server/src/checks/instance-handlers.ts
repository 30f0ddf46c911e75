// What a vrrp_instance's handlers refuse because of an earlier line (keepalived 2.2.7 vrrp_parser.c and
// vrrp_data.c). Each handler runs when its line is read, so the earlier line wins:
//   - the instance's address family is set by the first address it reads (unicast_src_ip, mcast_src_ip,
//     mcast_dst_ip, native_ipv6, a unicast_peer or a virtual_ipaddress line); an address of the other family
//     later is skipped with a message;
//   - use_vmac keeps the first interface name and the first MAC address it takes (readVmacAddress), and refuses a name
//     another instance already uses;
//   - vrf is refused after an interface or another vrf, and cleared by an interface after it
//     (analysis/instance-vrf.ts).
// The lines are read where keepalived reads them (PlacedStatement.parent), so a block swallowed by a
// missing '}' lands in the instance that swallows it, as keepalived's messages show.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import { checkInterfaceName, readVmacAddress, sockaddrFamily, vipFamily } from '../analysis/primitives';
import { readingOrder, type ReadLine } from '../analysis/reading-order';
import { inStrictMode, objectsOf } from '../analysis/objects';
import { vrfLines } from '../analysis/instance-vrf';
import { blockName, placedLines, readOnSomeNodes } from '../analysis/placed-lines';
import type { Statement } from '../syntax/ast';
import type { FileFinding } from './references';

type Family = 'IPv4' | 'IPv6';

const NAMES = { 4: 'IPv4', 6: 'IPv6' } as const;

/**
 * The family of an address word, named: a VIP as parse_ipaddress reads it (vipFamily, the same reading as
 * objects.ts), anything else as inet_stosockaddr does (sockaddrFamily); undefined when not an address.
 */
function familyOf(word: string | undefined, read = sockaddrFamily): Family | undefined {
  const family = word === undefined ? undefined : read(word);
  return family && NAMES[family];
}

/** One-line settings that set or must match the family, with keepalived's message on a mismatch. */
const SETTINGS: Record<string, (instance: string, word: string) => string> = {
  // vrrp_srcip_handler (unicast_src_ip goes through it too)
  unicast_src_ip: (i, w) =>
    `Configuration error: VRRP instance[${i}] and src address[${w}] MUST be of the same family !!! Skipping...`,
  mcast_src_ip: (i, w) =>
    `Configuration error: VRRP instance[${i}] and src address[${w}] MUST be of the same family !!! Skipping...`,
  // vrrp_mcast_dstip_handler
  mcast_dst_ip: (i, w) => `(${i}) mcast dest address ${w} MUST match VRRP instance family. Skipping...`,
};

/** The keyword lines this check reads. */
const RELEVANT = new Set([...Object.keys(SETTINGS), 'native_ipv6', 'use_vmac']);

interface InstanceState {
  name: string;
  family?: { family: Family; line: number };
  vmacName?: string;
  vmacMac?: boolean;
  /** A refused five-octet address that left keepalived taking the sixth octet of a later one from the VRID. */
  vmacVridFrom?: string;
  /**
   * The instance runs in strict mode: keepalived then clears any VMAC address it took (vrrp.c 2.2.7
   * l.2999-3002), which strict-mode-override reports, so what became of the address's octets is moot.
   */
  strict: boolean;
}

export function checkInstanceHandlers(
  model: ConfigModel,
  lines: readonly ReadLine[] = readingOrder(model),
): FileFinding[] {
  const out: FileFinding[] = [];
  const placedOf = placedLines(model);
  const states = new Map<Statement, InstanceState>();
  const doubtful = new Set<Statement>();
  /** Which instance (by its name) uses each VMAC name, in reading order. */
  const vmacNames = new Map<string, string>();
  const lineOf = (path: string, s: Statement): number =>
    model.files.get(path)!.lines.positionAt(s.keyword.start).line + 1;
  const uncertain = (p: PlacedStatement | undefined): boolean =>
    !!p && readOnSomeNodes(p, model.options.configId);
  // Built when the first instance with a relevant line is met (the objects are cached with the model).
  let strict: Set<Statement> | undefined;
  const strictInstances = (): Set<Statement> => {
    if (!strict) {
      const objects = objectsOf(model);
      strict = new Set(objects.instances.filter((i) => inStrictMode(objects, i)).map((i) => i.statement));
    }
    return strict;
  };

  for (const { path, placed: p } of lines) {
    if (p.inactive || !p.parent) continue;
    const inValueBlock = p.role === 'value-line';
    // Only value lines and the keywords below can matter: the others are passed before any lookup.
    if (!inValueBlock && (p.role !== 'keyword' || !RELEVANT.has(p.spec?.name ?? ''))) continue;
    const parent = placedOf(p.parent);
    // The instance the line belongs to: its block, or the block around its value block.
    const instanceLine = inValueBlock ? placedOf(parent?.parent) : parent;
    if (!instanceLine || instanceLine.spec?.path !== 'vrrp_instance') continue;
    const relevant = inValueBlock
      ? parent?.spec?.name === 'virtual_ipaddress' || parent?.spec?.name === 'unicast_peer'
      : p.role === 'keyword' && RELEVANT.has(p.spec?.name ?? '');
    if (!relevant || doubtful.has(instanceLine.statement)) continue;
    if (uncertain(instanceLine) || uncertain(p) || (inValueBlock && uncertain(parent))) {
      // Which line keepalived reads first is not known here: say nothing more about this instance.
      doubtful.add(instanceLine.statement);
      continue;
    }
    let state = states.get(instanceLine.statement);
    if (!state) {
      state = {
        name: blockName(instanceLine),
        strict: strictInstances().has(instanceLine.statement),
      };
      states.set(instanceLine.statement, state);
    }
    const s = p.statement;
    const span = { start: s.keyword.start, end: s.end };
    const mismatch = (family: Family, written: string, message: string, consequence: string): void => {
      const first = state.family!;
      out.push({
        file: path,
        rule: 'address-family-mismatch',
        message: `${written} is ${family}, but ${state.name} is ${first.family} (set by its first address, line ${first.line}): keepalived reports "${message}" and ${consequence}.`,
        ...span,
      });
    };
    const take = (family: Family): boolean => {
      if (!state.family) {
        state.family = { family, line: lineOf(path, s) };
        return true;
      }
      return state.family.family === family;
    };

    if (inValueBlock) {
      const block = parent?.spec?.name;
      const word = p.expandedKeyword;
      const family = familyOf(word, block === 'virtual_ipaddress' ? vipFamily : sockaddrFamily);
      if (!family || word === undefined) continue;
      if (block === 'virtual_ipaddress') {
        // alloc_vrrp_vip: only a line that made an address counts; parse_ipaddress reads the part before
        // '/' (a bad prefix only falls back to the full length).
        if (!take(family))
          mismatch(
            family,
            `'${word}'`,
            `(${state.name}): address family must match VRRP instance [${word}] - ignoring`,
            'does not add this virtual address',
          );
      } else if (block === 'unicast_peer') {
        // alloc_vrrp_unicast_peer
        if (!take(family))
          mismatch(
            family,
            `Peer '${word}'`,
            `Configuration error: VRRP instance[${state.name}] and unicast peer address[${word}] MUST be of the same family !!! Skipping...`,
            'sends no adverts to this peer',
          );
      }
      continue;
    }
    const keyword = p.spec?.name;
    if (!keyword || p.role !== 'keyword') continue;
    if (keyword === 'native_ipv6') {
      // vrrp_native_ipv6_handler: refused after an IPv4 address; otherwise the family is IPv6 from here on.
      if (state.family?.family === 'IPv4')
        mismatch(
          'IPv6',
          'native_ipv6',
          `(${state.name}) Cannot specify native_ipv6 with IPv4 addresses`,
          'ignores this line',
        );
      else if (!state.family) state.family = { family: 'IPv6', line: lineOf(path, s) };
      continue;
    }
    const setting = SETTINGS[keyword];
    if (setting) {
      const word = p.expandedArgs[0];
      const family = familyOf(word);
      if (!family || word === undefined) continue;
      if (!take(family))
        mismatch(family, `'${word}'`, setting(state.name, word), `ignores this ${keyword} line`);
      continue;
    }
    if (keyword === 'use_vmac') vmac(path, p, state, vmacNames, out);
  }
  for (const v of vrfLines(model, lines, placedOf)) {
    if (!v.refused) continue;
    const s = v.placed.statement;
    out.push({
      file: v.path,
      rule: 'vrf-ignored',
      message: `keepalived reports "${v.refused.says}": ${v.refused.because}. ${v.refused.fix}`,
      start: s.keyword.start,
      end: s.end,
    });
  }
  return out;
}

/** vrrp_vmac_handler: up to two words, each an interface name or (with a ':') a MAC address. */
function vmac(
  path: string,
  p: PlacedStatement,
  state: InstanceState,
  names: Map<string, string>,
  out: FileFinding[],
): void {
  const s = p.statement;
  for (let i = 0; i < Math.min(2, s.args.length); i++) {
    const word = p.expandedArgs[i];
    const arg = s.args[i]!;
    if (word === undefined) return;
    const span = { start: arg.start, end: arg.end };
    if (word.includes(':')) {
      if (state.vmacMac)
        out.push({
          file: path,
          rule: 'vmac-setting-ignored',
          message: `${state.name} already has a VMAC address: keepalived reports "VMAC interface address already specified" and ignores '${word}'.`,
          ...span,
        });
      else {
        // Only an address keepalived takes counts as the instance's: a refused one leaves room for another.
        const address = readVmacAddress(word);
        if (address.ok && !address.sixthIsVrid && state.vmacVridFrom !== undefined && !state.strict)
          // keepalived says nothing: the daemon made 02:11:22:33:44:55 after a refused 01:11:22:33:44
          // into 02:11:22:33:44:09 for VRID 9 (2.2.7, `ip link` in a network namespace).
          out.push({
            file: path,
            rule: 'vmac-setting-ignored',
            message: `keepalived takes '${word}' but replaces its last octet with the virtual_router_id: reading the five-octet address '${state.vmacVridFrom}' before it (which it refused), it had already set the sixth octet to come from the VRID, so ${state.name}'s VMAC gets ${word.split(':').slice(0, 5).join(':')}:XX (XX = the virtual_router_id in hex), and keepalived says nothing. Remove '${state.vmacVridFrom}'.`,
            ...span,
          });
        if (!address.ok && address.sixthIsVrid) state.vmacVridFrom ??= word;
        if (address.ok) state.vmacMac = true;
        else
          out.push({
            file: path,
            rule: 'vmac-setting-ignored',
            message: `keepalived reports "${address.says}" and ignores it: unless a use_vmac address it takes follows, ${state.name}'s VMAC gets the VRRP address 00:00:5e:00:01:XX (00:00:5e:00:02:XX for IPv6, XX = the virtual_router_id). ${vmacAdvice(address.says)}`,
            ...span,
          });
      }
      continue;
    }
    if (state.vmacName !== undefined) {
      out.push({
        file: path,
        rule: 'vmac-setting-ignored',
        message: `${state.name} already has the VMAC interface name '${state.vmacName}': keepalived reports "VMAC interface name already specified" and ignores '${word}'.`,
        ...span,
      });
      continue;
    }
    if (checkInterfaceName(word) !== undefined) continue;
    const other = names.get(word);
    if (other !== undefined) {
      out.push({
        file: path,
        rule: 'vmac-setting-ignored',
        message: `vrrp_instance ${other} already uses the VMAC interface name '${word}': keepalived reports "(${state.name}) VRRP instance ${other} is already using ${word} - ignoring name" and makes up a name for ${state.name}'s VMAC itself.`,
        ...span,
      });
      continue;
    }
    state.vmacName = word;
    names.set(word, state.name);
  }
}

/** How to write a MAC address keepalived takes, for the reason it gave. */
function vmacAdvice(says: string): string {
  if (says.includes('multicast'))
    return 'The first octet of a unicast MAC address is even (its lowest bit clear); a locally administered one such as 02:xx:xx:xx:xx:xx is safe.';
  if (says.includes('RFC5798'))
    return 'Those are the addresses VRRP itself gives; leave the address out to get one, or write another (e.g. 02:xx:xx:xx:xx:xx).';
  return 'Write six octets of one or two hex digits separated by ":" (or five, to have the VRID as the sixth).';
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'address-family-mismatch',
    severity: 'warning',
    category: 'correctness',
    scope: 'file',
    description:
      "An address of the other family than the VRRP instance's first address (a VIP, a unicast peer, a source or multicast address): keepalived skips it.",
  },
  {
    id: 'vmac-setting-ignored',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A VMAC setting keepalived ignores: a use_vmac MAC address it refuses (not one, multicast, a VRRP address) or a second one, the last octet of an address after a refused five-octet one (the VRID replaces it), a second name, a name another instance uses, vmac_xmit_base without use_vmac, promote_secondaries with use_vmac or use_ipvlan.',
  },
  {
    id: 'vrf-ignored',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description:
      "A vrrp_instance's vrf that keepalived refuses (after an interface, a second one, a name too long, the loopback device) or clears once the configuration is read (the instance has an interface too).",
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'instance-handlers': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'instance-handlers',
  rules,
  checks: [{ over: 'configuration', check: checkInstanceHandlers }],
};
