// How keepalived 2.2.7 reads one line of a virtual_routes / static_routes block: vrrp/vrrp_iproute.c
// alloc_route() walks the words, each option taking its values, and any other word is the destination
// (after an optional 'to' or route type), read by vrrp_ipaddress.c parse_route(). The problems it reports
// are found on the word they are about; "drops" means alloc_route frees the route (goto err), so keepalived
// never installs it. Options whose values name things of the machine (dev, table, protocol, scope, realms,
// vrf, tos) are left to keepalived: their names come from /etc/iproute2 and the interfaces present.
import { closestMatches } from '../suggest';
import { isIPv4, isIPv6 } from '../../analysis/primitives';
import { routeOptionTooNew } from '../../schema/value-since';

export interface RouteProblem {
  /** Index of the word the problem is on (0 = the line's first word). */
  word: number;
  message: string;
  severity: 'error' | 'warning';
}

type Family = 4 | 6;

/** Options with no value. */
const FLAGS = new Set(['inet', 'inet6', 'onlink', 'add', 'prepend', 'append', 'no_track']);
/** Options with one value that keepalived looks up on the machine or does not check here. */
const ONE_VALUE = new Set(['tos', 'dsfield', 'table', 'protocol', 'scope', 'dev', 'oif', 'realms', 'vrf']);
/** Options taking an unsigned number (get_u32/get_u8: decimal, no sign), by their largest value. */
const NUMBERS: Record<string, number> = {
  metric: 4294967295,
  priority: 4294967295,
  preference: 4294967295,
  hoplimit: 255,
  window: 4294967295,
  initcwnd: 4294967295,
  initrwnd: 4294967295,
  expires: 4294967295,
  quickack: 1,
  fastopen_no_cookie: 1,
};
/** Options taking an optional 'lock' and then a number. */
const LOCKED_NUMBERS = new Set(['mtu', 'advmss', 'reordering', 'cwnd', 'ssthresh']);
/** Options taking an optional 'lock' and then a time or a name keepalived reads in its own way. */
const LOCKED_OTHER = new Set(['rtt', 'rttvar', 'rto_min', 'congctl']);
/** lib/rttables.c rtntypes[]: a route type may come before the destination. */
const ROUTE_TYPES = new Set([
  'local',
  'nat',
  'broadcast',
  'brd',
  'anycast',
  'multicast',
  'prohibit',
  'unreachable',
  'blackhole',
  'xresolve',
  'unicast',
  'throw',
]);
/** parse_route()'s names for the default route. */
const DEFAULTS = ['default', 'any', 'all', 'default6'];

/** Every word alloc_route knows as an option, for suggestions. */
const OPTIONS = [
  ...FLAGS,
  ...ONE_VALUE,
  ...Object.keys(NUMBERS),
  ...LOCKED_NUMBERS,
  ...LOCKED_OTHER,
  'src',
  'via',
  'gw',
  'from',
  'as',
  'encap',
  'features',
  'pref',
  'ttl-propagate',
  'or',
  'nexthop',
  'track_group',
  'to',
];

/** parse_ipaddress(): the family (':' makes it IPv6) when inet_pton takes the address, else undefined. */
function addressFamily(word: string, allowPrefix: boolean): Family | undefined {
  const slash = allowPrefix ? word.indexOf('/') : -1;
  const addr = slash >= 0 ? word.slice(0, slash) : word;
  // inet_pton takes no '%zone'.
  if (word.includes(':')) return isIPv6(addr) && !addr.includes('%') ? 6 : undefined;
  return isIPv4(addr) ? 4 : undefined;
}

/** find_rttables_rtntype(): a type name, or a number from 0 to 255 (strtoul base 0). */
function isRouteType(word: string): boolean {
  if (ROUTE_TYPES.has(word)) return true;
  if (!/^(0x[0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(word)) return false;
  return Number(word.startsWith('0') && !word.startsWith('0x') ? parseInt(word, 8) : word) <= 255;
}

/**
 * `staticRoute`: a static_routes line, where track_group is read (virtual_routes do not take it).
 * `version`: the targeted release (undefined = the newest), for options added since 2.0.
 */
export function readRouteLine(
  words: readonly string[],
  staticRoute: boolean,
  version?: string,
): RouteProblem[] {
  const problems: RouteProblem[] = [];
  let family: Family | undefined;
  let hasDestination = false;
  const drop = (word: number, said: string, why: string): RouteProblem[] => {
    problems.push({
      word,
      message: `${why}: keepalived reports "${said}" and drops this route, so it is never installed.`,
      severity: 'error',
    });
    return problems;
  };
  /** Sets the route's family; false (after reporting) when it mixes IPv4 and IPv6. */
  const setFamily = (f: Family, word: number, dest?: string): boolean => {
    if (family === undefined || family === f) {
      family = f;
      return true;
    }
    drop(
      word,
      `Cannot mix IPv4 and IPv6 addresses for route${dest ? ` (${dest})` : ''}`,
      `'${words[word]}' is IPv${f} but the route is already IPv${family}`,
    );
    return false;
  };
  const number = (at: number, option: string, max: number): boolean => {
    const value = words[at];
    if (value === undefined) return true;
    const text = value.trimStart();
    if (/^\d+$/.test(text) && Number(text) <= max) return true;
    drop(at, `Invalid ${option} ${value} specified for route`, `'${value}' is not a number from 0 to ${max}`);
    return false;
  };

  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    const since = routeOptionTooNew(word, version);
    if (since)
      return drop(
        i,
        `unknown route keyword ${word}`,
        `'${word}' is read from keepalived ${since}; keepalived ${version} takes it for the destination`,
      );
    if (word === 'inet' || word === 'inet6') {
      if (!setFamily(word === 'inet' ? 4 : 6, i)) return problems;
    } else if (FLAGS.has(word) || ONE_VALUE.has(word)) {
      if (ONE_VALUE.has(word)) i++;
    } else if (word === 'src' || word === 'via' || word === 'gw' || word === 'or') {
      i++;
      if ((word === 'via' || word === 'gw') && (words[i] === 'inet' || words[i] === 'inet6')) {
        if (!setFamily(words[i] === 'inet' ? 4 : 6, i)) return problems;
        i++;
      }
      const value = words[i];
      if (value === undefined) break;
      const f = addressFamily(value, false);
      if (f === undefined) {
        const said =
          word === 'or'
            ? `Invalid "or" address ${value}`
            : `invalid route ${word === 'gw' ? 'via' : word} address ${value}`;
        const prefix =
          value.includes('/') && addressFamily(value, true) ? ' (a gateway or source takes no /prefix)' : '';
        return drop(i, said, `'${value}' is not an IPv4 or IPv6 address${prefix}`);
      }
      if (!setFamily(f, i)) return problems;
    } else if (word === 'from') {
      const value = words[++i];
      if (value === undefined) break;
      const f = DEFAULTS.includes(value) ? undefined : addressFamily(value, true);
      if (f === undefined && !DEFAULTS.includes(value))
        return drop(i, `invalid route from address ${value}`, `'${value}' is not an address or prefix`);
      if (f !== 6)
        return drop(
          i,
          `route from address only supported with IPv6 (${value})`,
          `'from' takes an IPv6 source prefix only`,
        );
      if (!setFamily(6, i)) return problems;
    } else if (word in NUMBERS) {
      if (!number(++i, word === 'priority' || word === 'preference' ? 'metric' : word, NUMBERS[word]!))
        return problems;
    } else if (LOCKED_NUMBERS.has(word) || LOCKED_OTHER.has(word)) {
      if (words[++i] === 'lock') i++;
      if (LOCKED_NUMBERS.has(word) && !number(i, word === 'mtu' ? 'MTU' : word, 4294967295)) return problems;
    } else if (word === 'as') {
      if (words[++i] === 'to') i++;
      problems.push({
        word: i - 1,
        message: `'as [to]' is for MPLS routes only: keepalived reports "\\"as to\\" for MPLS only - ignoring" and ignores it.`,
        severity: 'warning',
      });
    } else if (word === 'features' || word === 'ttl-propagate' || word === 'pref' || word === 'track_group') {
      if (word === 'track_group' && !staticRoute) return unknownDestination(i, word, drop);
      i++;
    } else if (word === 'encap' || word === 'nexthop') {
      // parse_encap() and parse_nexthops() read the rest in their own ways: not checked here.
      return problems;
    } else {
      // The destination: after 'to' it is the next word as it stands; else a route type may come first.
      if (word === 'to') i++;
      else if (isRouteType(word)) i++;
      const dest = words[i];
      if (dest === undefined) break;
      const named = DEFAULTS.includes(dest);
      const f = named ? undefined : addressFamily(dest, true);
      if (!named && f === undefined) return unknownDestination(i, dest, drop);
      if (f !== undefined && !setFamily(f, i, dest)) return problems;
      hasDestination = true;
    }
    i++;
  }
  if (!hasDestination)
    return drop(
      0,
      'Route must have a destination',
      'This route names no destination (an address, a prefix or default)',
    );
  return problems;
}

function unknownDestination(
  at: number,
  word: string,
  drop: (word: number, said: string, why: string) => RouteProblem[],
): RouteProblem[] {
  const near = closestMatches(word, [...OPTIONS, ...DEFAULTS]);
  const hint = near.length > 0 ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : '';
  const why =
    word === 'link'
      ? `'link' is not a route option keepalived reads (no release to 2.4.3 does; for a link-scope route write 'scope link')`
      : /^[0-9a-fA-F.:/]+$/.test(word) && /[.:]/.test(word)
        ? `'${word}' is not a valid destination address or prefix`
        : `'${word}' is not a route option, and not an address or prefix to route${hint}`;
  return drop(at, `unknown route keyword ${word}`, why);
}
