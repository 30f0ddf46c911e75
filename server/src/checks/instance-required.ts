// What every vrrp_instance must have, checked by keepalived once the whole configuration is read, with no
// line number in its messages:
// - vrrp.c chk_min_cfg() (2.2.7 l.2310-2323, 2.2.8 l.2362-2375, 2.4.3 l.2698-2715), run from
//   vrrp_complete_init() for every instance: no virtual_router_id, "(VI_1) the virtual router id must be
//   set"; no interface, "(VI_1) Unknown interface!" (from 2.2.8 not when a unicast keyword is set);
// - vrrp.c vrrp_complete_instance() (2.2.7 l.2895-2902 and l.3816-3823, 2.2.8 l.3867-3880, 2.4.3
//   l.4290-4296): no VIP, "No VIP specified; at least one is required" with VRRP version 3 or strict mode
//   (2.2.7 also for an IPv6 instance), else "... at least one is sensible", a warning.
// - vrrp.c vrrp_complete_instance() (2.2.7 l.2966-2979, the same to 2.4.3), for a unicast instance that
//   chk_min_cfg() let go without an interface: "(VI_1): Unicast instances must have unicast_src_ip or
//   interface", and with an IPv6 link-local source "(VI_1) Non link-local address required if interface
//   omitted".
// Each failure makes vrrp_complete_init() return false: vrrp_daemon.c (2.2.7 l.604-611) calls
// stop_vrrp(KEEPALIVED_EXIT_CONFIG), and the parent, seeing that exit code (lib/scheduler.c
// report_child_status(): "exited with permanent error CONFIG. Terminating"), stops keepalived as a whole.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import {
  inStrictMode,
  objectsOf,
  variantsOf,
  type ConfigObjects,
  type VrrpInstance,
} from '../analysis/objects';
import type { Statement } from '../syntax/ast';
import { compareVersions } from '../schema/version';
import { expandLoops } from '../analysis/sequences';
import { firstArgValue } from '../analysis/placed-lines';
import { UNICAST_KEYWORDS } from '../schema/vocabulary';
import { IFNAMSIZ, LOOPBACK_INTERFACE } from '../schema/limits';
import { isIPv6LinkLocal, sockaddrFamily, sockaddrPart } from '../analysis/primitives';
import type { FileFinding } from './references';

/** From 2.2.8 chk_min_cfg() tests VRRP_FLAG_UNICAST_CONFIGURED: an instance with unicast needs no interface. */
const UNICAST_WITHOUT_INTERFACE = '2.2.8';
/**
 * From 2.1.0 to 2.2.4 chk_min_cfg() let an instance with unicast peers go without an interface; 2.2.5-2.2.7
 * test VRRP_FLAG_UNICAST, which vrrp_complete_instance() only sets later, so every instance needs one.
 */
const PEERS_WITHOUT_INTERFACE = ['2.1.0', '2.2.5'] as const;
/** From 2.2.8 vrrp_complete_instance() checks a unicast instance's source before its VIPs. */
const SOURCE_BEFORE_VIP = '2.2.8';
/** Up to 2.2.7 vrrp_complete_instance() also requires a VIP of an IPv6 instance that says `version 2`. */
const IPV6_VERSION_2_ALLOWED = '2.2.8';
/**
 * The name keepalived prints for the instance: a `~SEQ`/`~LST` header makes one instance per pass, and
 * keepalived checks them in order and stops at the first that fails, so it names the first pass's.
 */
function shownName(i: VrrpInstance): string {
  const loops = i.statement.sequences;
  return (loops.length > 0 && expandLoops(i.name, loops)?.[0]) || i.name;
}

const STOPS =
  ', and stops: its VRRP process exits with a configuration error ("exited with permanent error CONFIG. Terminating"), so no vrrp_instance of this configuration runs and none of its VIPs is added';

type Problem = 'vrid' | 'interface' | 'vip';

interface Found {
  instance: VrrpInstance;
  problem: Problem;
  message: string;
  severity?: 'warning';
  /** The config ids (`@id` variants) that read the instance this way; undefined when not split by id. */
  variants?: string[];
}

export function checkInstanceRequired(model: ConfigModel): FileFinding[] {
  // With an include keepalived could read and we could not, the missing line may be in it.
  if (!model.complete) return [];
  const version = model.options.keepalivedVersion;
  // `@id` lines: without a config id, each node the configuration names reads its own lines. The host that
  // none of them names is not checked: a file shared by nodes a and b is not meant for a node c.
  const variants = model.options.configId === undefined ? variantsOf(model) : [];
  const views: { variant?: string; objects: ConfigObjects }[] = variants.length
    ? variants.map((variant) => ({ variant, objects: objectsOf(model, variant) }))
    : [{ objects: objectsOf(model) }];
  const found = new Map<Statement, Map<Problem, Found>>();
  for (const { variant, objects } of views) {
    // keepalived skips a second vrrp_instance of a name whole ("vrrp instance X already defined").
    const named = new Set<string>();
    for (const instance of objects.instances) {
      if (named.has(instance.name)) continue;
      named.add(instance.name);
      const problem = missing(objects, instance, version);
      if (!problem) continue;
      let byProblem = found.get(instance.statement);
      if (!byProblem) found.set(instance.statement, (byProblem = new Map<Problem, Found>()));
      const known = byProblem.get(problem.problem);
      if (known) known.variants?.push(variant!);
      else byProblem.set(problem.problem, { ...problem, variants: variant ? [variant] : undefined });
    }
  }
  const out: FileFinding[] = [];
  for (const byProblem of found.values())
    for (const f of byProblem.values()) {
      const s = f.instance.statement;
      const every = !f.variants || f.variants.length === variants.length;
      const ids = every ? '' : ` (config id ${f.variants!.join(', ')})`;
      out.push({
        file: f.instance.file,
        start: s.keyword.start,
        end: f.instance.span.end,
        rule: 'instance-missing-required',
        message: `${f.message}${ids}`,
        ...(f.severity ? { severity: f.severity } : {}),
      });
    }
  return out;
}

/** The first thing keepalived finds missing in the instance, as it checks them, or nothing. */
function missing(
  objects: ConfigObjects,
  i: VrrpInstance,
  version: string | undefined,
): Omit<Found, 'variants'> | undefined {
  // A line a template expression makes (or a file it includes) may be the missing one.
  if (i.children.some(templateMade)) return undefined;
  const name = shownName(i);
  const vrids = i.children.filter((c) => c.role === 'keyword' && c.spec?.name === 'virtual_router_id');
  if (!vrids.some(setsVrid)) {
    const bad = vrids[0];
    const why = bad
      ? `its virtual_router_id '${bad.expandedArgs[0]}' is not a number from 1 to 255, which keepalived ignores`
      : 'it has no virtual_router_id';
    return {
      instance: i,
      problem: 'vrid',
      message: `vrrp_instance '${name}': ${why}, so keepalived reports "(${name}) the virtual router id must be set" once the configuration is read${STOPS}. Add 'virtual_router_id N' (1-255, the same on every node of this virtual router).`,
    };
  }
  const unicast = i.children.some((c) => c.role === 'keyword' && UNICAST_KEYWORDS.has(c.spec?.name ?? ''));
  const interfaces = i.children.filter((c) => c.role === 'keyword' && c.spec?.name === 'interface');
  // The interface lines folded as vrrp_int_handler reads them (stored-settings.ts: a name too long is
  // ignored, the loopback device clears it); one not known here may set it.
  const withInterface = i.interface !== undefined || i.interfaceUnknown === true;
  if (!withInterface && !unicastWithoutInterface(i, unicast, version)) {
    const loopback = interfaces.filter((c) => firstArgValue(c) === LOOPBACK_INTERFACE).at(-1);
    const long = loopback ?? interfaces[0];
    const why = !long
      ? 'it has no interface'
      : loopback
        ? `its interface is the loopback device, which keepalived refuses ("(${name}) cannot use a loopback interface (lo) for vrrp - ignoring")`
        : `its interface name is longer than ${IFNAMSIZ - 1} characters, which keepalived ignores ("Interface name '${long.expandedArgs[0]}' too long - ignoring")`;
    const fix = unicast
      ? ` Add 'interface IFNAME' (keepalived from ${UNICAST_WITHOUT_INTERFACE} lets a unicast instance go without one; this is ${version}).`
      : " Add 'interface IFNAME'.";
    return {
      instance: i,
      problem: 'interface',
      message: `vrrp_instance '${name}': ${why}, so keepalived reports "(${name}) Unknown interface!" once the configuration is read${STOPS}.${fix}`,
    };
  }
  // vrrp_complete_instance() checks the VIPs first up to 2.2.7 (l.2895), then the source of a unicast
  // instance without an interface (l.2966-2979); from 2.2.8 the source comes first (2.2.8 l.3009, the VIP
  // check l.3875).
  const vip = vipProblem(objects, i, name, version);
  const source = withInterface ? undefined : sourceProblem(i, name);
  const sourceFirst = version === undefined || compareVersions(version, SOURCE_BEFORE_VIP) >= 0;
  if (sourceFirst && source) return source;
  if (vip && !vip.severity) return vip;
  return source ?? vip;
}

/** Whether chk_min_cfg() lets this instance go without an interface, as the target version reads it. */
function unicastWithoutInterface(i: VrrpInstance, unicast: boolean, version: string | undefined): boolean {
  if (!unicast) return false;
  // An unknown target version is taken to be a current one: never an error on what it accepts.
  if (version === undefined || compareVersions(version, UNICAST_WITHOUT_INTERFACE) >= 0) return true;
  const [from, until] = PEERS_WITHOUT_INTERFACE;
  return (
    compareVersions(version, from) >= 0 && compareVersions(version, until) < 0 && i.unicastPeers.length > 0
  );
}

/**
 * A unicast instance without an interface sends from the address it is given (vrrp_srcip_handler():
 * unicast_src_ip or mcast_src_ip; use_ipvlan's address): without one, or with an IPv6 link-local one, which
 * needs an interface to mean anything, keepalived stops (vrrp.c 2.2.7 l.2966-2979, the same to 2.4.3).
 */
function sourceProblem(i: VrrpInstance, name: string): Omit<Found, 'variants'> | undefined {
  if (
    i.children.some((c) => c.role === 'keyword' && c.spec?.name === 'use_ipvlan' && c.statement.args.length)
  )
    return undefined; // use_ipvlan's address may be the source
  // vrrp_srcip_handler() serves both keywords: each line overwrites the source, and one of the instance's
  // other family clears it ("MUST be of the same family").
  const last = i.children
    .filter(
      (c) => c.role === 'keyword' && (c.spec?.name === 'unicast_src_ip' || c.spec?.name === 'mcast_src_ip'),
    )
    .at(-1);
  const word = last && last.statement.args[0]?.template === undefined ? last.expandedArgs[0] : undefined;
  if (last && word === undefined) return undefined; // not known here
  const address = word === undefined ? undefined : sockaddrPart(word);
  const family = word === undefined ? undefined : sockaddrFamily(word);
  if (!family || (i.family !== undefined && family !== i.family))
    return {
      instance: i,
      problem: 'interface',
      message: `vrrp_instance '${name}' is a unicast instance with neither an interface nor ${last ? `a unicast_src_ip keepalived keeps (${word} is ${family ? 'of the other address family' : 'no address'})` : 'a unicast_src_ip'}, so keepalived reports "(${name}): Unicast instances must have unicast_src_ip or interface" once the configuration is read${STOPS}. Add 'interface IFNAME' or 'unicast_src_ip ADDRESS' (this node's own address).`,
    };
  if (family === 6 && isIPv6LinkLocal(address!))
    return {
      instance: i,
      problem: 'interface',
      message: `vrrp_instance '${name}' has no interface and its source address ${address} is an IPv6 link-local address, which only means something on an interface: keepalived reports "(${name}) Non link-local address required if interface omitted" once the configuration is read${STOPS}. Add 'interface IFNAME', or use a global address.`,
    };
  return undefined;
}

/** No VIP: an error with VRRP version 3 or strict mode (and IPv6 before 2.2.8), else a warning. */
function vipProblem(
  objects: ConfigObjects,
  i: VrrpInstance,
  name: string,
  version: string | undefined,
): Omit<Found, 'variants'> | undefined {
  const has = (keyword: string): boolean => i.lines.has(keyword);
  if (i.vipLinesKept > 0) return undefined;
  const strict = inStrictMode(objects, i);
  // no_virtual_ipaddress (2.2.8) says no VIP is meant; strict mode clears it ("incompatible").
  if (has('no_virtual_ipaddress') && !strict) return undefined;
  const v6 = i.family === 6;
  const vrrpVersion = i.version ?? (v6 ? 3 : (objects.globals.vrrpVersion ?? 2));
  const v6Required = v6 && version !== undefined && compareVersions(version, IPV6_VERSION_2_ALLOWED) < 0;
  if (vrrpVersion === 3 || strict || v6Required) {
    const because = strict
      ? 'in strict mode'
      : vrrpVersion === 3
        ? 'with VRRP version 3'
        : 'as an IPv6 instance';
    return {
      instance: i,
      problem: 'vip',
      message: `vrrp_instance '${name}' has no virtual_ipaddress: ${because} keepalived reports "(${name}) No VIP specified; at least one is required" once the configuration is read${STOPS}. Add a virtual_ipaddress block.`,
    };
  }
  return {
    instance: i,
    problem: 'vip',
    severity: 'warning',
    message: `vrrp_instance '${name}' has no virtual_ipaddress: keepalived reports "(${name}) No VIP specified; at least one is sensible" and runs the instance, but its failover moves no address. Add a virtual_ipaddress block${has('no_virtual_ipaddress') ? '' : " (or, from 2.2.8, 'no_virtual_ipaddress' when none is meant)"}.`,
  };
}

/** A line of the instance that a template builds: its keyword is an expression, or it includes a file. */
function templateMade(c: PlacedStatement): boolean {
  if (c.statement.templateInclude) return true;
  return !c.spec && c.statement.keyword.template !== undefined;
}

/**
 * A virtual_router_id line that may set the VRID: a number from 1 to 255 (vrrp_parser.c vrrp_vrid_handler()
 * ignores any other value), or a value not known here.
 */
function setsVrid(c: PlacedStatement): boolean {
  // Without a value keepalived stops reading the configuration there (missing-argument says so).
  if (c.statement.args.length === 0) return true;
  const value = firstArgValue(c);
  return value === undefined || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 255);
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'instance-missing-required',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A vrrp_instance without virtual_router_id or interface (or, with VRRP version 3 or strict mode, without a VIP): keepalived stops.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'instance-required': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'instance-required',
  rules,
  checks: [{ over: 'configuration', check: checkInstanceRequired }],
};
