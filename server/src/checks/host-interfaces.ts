// Interfaces a configuration names that do not exist on this machine (--this-host / keepalived.thisHost).
// keepalived looks an interface up while it reads the line (if_get_by_ifname(..., IF_CREATE_IF_DYNAMIC),
// vrrp_if.c 2.2.7 l.194-224): for a vrrp_instance's `interface` and the `vrf` it takes (instance-vrf.ts),
// a `track_interface` entry, an address's
// `dev`, a route's `dev`/`oif`, a rule's `dev`/`iif`/`oif` and a garp_group's interfaces. Without
// `dynamic_interfaces` a name that is missing sets non_existent_interface_specified, and once the
// configuration is read the VRRP process reports "Non-existent interface specified in configuration" and
// stops with a configuration error (vrrp_daemon.c l.525-529): keepalived terminates ("exited with
// permanent error CONFIG. Terminating", seen with the 2.2.7 daemon). With it, keepalived logs "Configuration
// specifies interface X which doesn't currently exist - will use if created" and waits (the daemon put the
// instance on it in FAULT). Only the machine the linter runs on is known, so this runs with --this-host.
import { vrfLines, type VrfLine } from '../analysis/instance-vrf';
import type { ConfigModel } from '../analysis/model';
import { blockName, placedLines, readOnSomeNodes } from '../analysis/placed-lines';
import { tooLongForIfName } from '../analysis/primitives';
import { readingOrder } from '../analysis/reading-order';
import type { PlacedStatement } from '../analysis/types';
import { lineOption } from '../schema/line-options';
import { addressOption } from '../schema/vocabulary';
import type { Word } from '../syntax/ast';
import type { FileFinding } from './finding';
import type { RuleFamily } from './family';
import type { Rule } from './rules';
import type { SecurityOptions } from './security-options';

/** A word of a line that names an interface keepalived looks up, and keepalived's message when it is missing. */
interface NamedInterface {
  word: Word;
  name: string;
  says: string;
  /** Why the line names this interface, when it does not write it (a static address without dev). */
  why?: string;
}

/**
 * Whether `word` is an option of an address, route or rule line whose value is an interface, by the
 * schema's option tables (address `dev`, route `dev`/`oif`, rule `dev`/`iif`/`oif`).
 */
function takesInterface(lines: string, word: string): boolean {
  if (lines === 'ipaddress') return addressOption(word)?.value === 'interface';
  if (lines === 'route' || lines === 'rule') return lineOption(lines, word)?.value === 'interface';
  return false;
}

/** The line's word at `index` (0 = keyword) as keepalived reads it; undefined for template text or an unknown `$`. */
function valueAt(p: PlacedStatement, index: number): string | undefined {
  const s = p.statement;
  const word = index === 0 ? s.keyword : s.args[index - 1];
  if (!word || word.template !== undefined) return undefined;
  const value = index === 0 ? (p.expandedKeyword ?? s.keyword.value) : p.expandedArgs[index - 1];
  return value === undefined || value.includes('$') ? undefined : value;
}

type BlockOf = (p: PlacedStatement | undefined) => PlacedStatement | undefined;

/** keepalived's default interface when global_defs names none (vrrp_if.c get_default_if, DFLT_INT). */
const DEFAULT_INTERFACE = 'eth0';

/**
 * The interface a static address without `dev` goes on: alloc_ipaddress asks get_default_if() (vrrp_ipaddress.c
 * 2.2.7 l.680-688), which looks up global_defs' `default_interface`, else eth0, the same way as a `dev`. The
 * global settings are in place before the VRRP process reads its lines, so the last default_interface line
 * counts wherever it is (keepalived -t 2.2.7 accepted one below the static_ipaddress block).
 */
function defaultInterfaceFor(p: PlacedStatement, defaults: readonly PlacedStatement[]): NamedInterface[] {
  const s = p.statement;
  if (p.owner?.path !== 'static_ipaddress' || s.args.some((w) => w.value === 'dev')) return [];
  const address = valueAt(p, 0);
  if (address === undefined) return [];
  const last = defaults.at(-1);
  const name = last ? valueAt(last, 1) : DEFAULT_INTERFACE;
  if (name === undefined) return [];
  return [
    {
      word: s.keyword,
      name,
      says: `Static address ${address} requires either an interface or default interface must exist`,
      why: last
        ? `this static address has no dev, so keepalived puts it on the default_interface, ${name}`
        : `this static address has no dev and global_defs names no default_interface, so keepalived puts it on ${DEFAULT_INTERFACE}`,
    },
  ];
}

/** The interfaces line `p` names, with keepalived's message for each. */
function namedInterfaces(
  p: PlacedStatement,
  blockOf: BlockOf,
  vrfLookups: ReadonlyMap<PlacedStatement, VrfLine>,
): NamedInterface[] {
  const s = p.statement;
  const words = [s.keyword, ...s.args];
  const at = (index: number, says: (name: string) => string): NamedInterface[] => {
    const name = valueAt(p, index);
    return name === undefined ? [] : [{ word: words[index]!, name, says: says(name) }];
  };
  if (p.role === 'keyword') {
    // vrrp_int_handler refuses a name of IFNAMSIZ bytes or more before any lookup (invalid-value says so).
    if (p.spec?.path === 'vrrp_instance/interface' && !tooLongForIfName(valueAt(p, 1) ?? ''))
      return at(
        1,
        (n) => `WARNING - interface ${n} for vrrp_instance ${blockName(blockOf(p))} doesn't exist`,
      );
    const vrf = vrfLookups.get(p);
    if (vrf)
      return [
        {
          word: s.args[0]!,
          name: vrf.name,
          says: `(${vrf.instance}) WARNING - VRF interface ${vrf.name} doesn't exist`,
        },
      ];
    if (p.spec?.path === 'garp_group/interface')
      return at(1, (n) => `WARNING - interface ${n} specified for garp_group doesn't exist`);
    return [];
  }
  if (p.role !== 'value-line' || !p.owner) return [];
  const owner = p.owner.path;
  if (owner === 'vrrp_instance/track_interface' || owner === 'vrrp_sync_group/track_interface') {
    const holder = blockName(blockOf(blockOf(p)));
    return at(0, (n) => `${holder ? `(${holder}) ` : ''}tracked interface ${n} doesn't exist`);
  }
  if (owner === 'garp_group/interfaces')
    return words.flatMap((_, i) =>
      at(i, (n) => `WARNING - interface ${n} specified for garp_group doesn't exist`),
    );
  const lines = p.valueLines;
  if (!lines) return [];
  const out: NamedInterface[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    if (!takesInterface(lines, valueAt(p, i) ?? '')) continue;
    const address = valueAt(p, 0) ?? s.keyword.value;
    out.push(
      ...at(i + 1, (n) =>
        p.valueLines === 'ipaddress'
          ? `WARNING - interface ${n} for ip address ${address} doesn't exist`
          : p.valueLines === 'route'
            ? `WARNING - interface ${n} for VROUTE nexthop doesn't exist`
            : `WARNING - interface ${n} for rule doesn't exist`,
      ),
    );
    i++;
  }
  return out;
}

export function checkHostInterfaces(model: ConfigModel, options: SecurityOptions): FileFinding[] {
  const host = options.host;
  if (!options.thisHost || !host.interfaceExists) return [];
  const out: FileFinding[] = [];
  let dynamic = false;
  let vrf = false;
  const defaults: PlacedStatement[] = [];
  for (const file of model.files.values())
    for (const p of file.placed) {
      if (p.inactive) continue;
      if (p.spec?.path === 'global_defs/dynamic_interfaces') dynamic = true;
      if (p.spec?.path === 'global_defs/default_interface') defaults.push(p);
      if (p.spec?.path === 'vrrp_instance/vrf') vrf = true;
      // keepalived then runs in that network namespace, whose interfaces this machine's /sys/class/net
      // does not list: nothing to compare with.
      if (p.spec?.path === 'net_namespace') return [];
    }
  const placedOf = placedLines(model);
  const blockOf: BlockOf = (p) => placedOf(p?.parent);
  // The vrf lines keepalived looks up: not one it refuses before (after an interface, a second one).
  const vrfLookups = new Map<PlacedStatement, VrfLine>();
  if (vrf)
    for (const v of vrfLines(model, readingOrder(model), placedOf))
      if (v.lookedUp) vrfLookups.set(v.placed, v);
  // A line read on some nodes only (its own or a block's `@id` without a config id, a template branch).
  const uncertain = (p: PlacedStatement): boolean => {
    for (let at: PlacedStatement | undefined = p; at; at = blockOf(at))
      if (readOnSomeNodes(at, model.options.configId)) return true;
    return false;
  };
  for (const [path, file] of model.files) {
    for (const p of file.placed) {
      if (p.inactive || p.role === 'ignored' || uncertain(p)) continue;
      for (const named of [...namedInterfaces(p, blockOf, vrfLookups), ...defaultInterfaceFor(p, defaults)]) {
        if (host.interfaceExists(named.name) !== false) continue;
        const there = `There is no interface '${named.name}' on this machine (--this-host)${named.why ? ` and ${named.why}` : ''}`;
        out.push({
          file: path,
          rule: 'interface-not-on-host',
          severity: dynamic ? 'info' : undefined,
          message: dynamic
            ? `${there}: with dynamic_interfaces set, keepalived takes the name as it is, logs "Configuration specifies interface ${named.name} which doesn't currently exist - will use if created" and waits; until an interface of that name appears, an instance on it stays in FAULT and what uses it is not set up.`
            : `${there}: keepalived reports "${named.says}", then "Non-existent interface specified in configuration", and its VRRP process stops with a configuration error, so keepalived terminates ("exited with permanent error CONFIG. Terminating"): no vrrp_instance runs and no VIP is added. Correct the name, or add 'dynamic_interfaces' to global_defs if the interface is created after keepalived starts.`,
          start: named.word.start,
          end: named.word.end,
        });
      }
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'interface-not-on-host',
    severity: 'warning',
    category: 'correctness',
    scope: 'machine',
    description:
      'An interface the configuration names (instance interface and vrf, track_interface, address dev, route, rule, garp_group) that does not exist on this machine (--this-host): without dynamic_interfaces keepalived stops at start-up.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'host-interfaces': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'host-interfaces',
  rules,
  checks: [{ over: 'machine', check: checkHostInterfaces }],
};
