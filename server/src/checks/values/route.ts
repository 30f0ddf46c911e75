// How keepalived 2.2.7 reads one line of a virtual_routes / static_routes block: vrrp/vrrp_iproute.c
// alloc_route() walks the words, each option taking its values, and any other word is the destination
// (after an optional 'to' or route type), read by vrrp_ipaddress.c parse_route(). The problems it reports
// are found on the word they are about; "drops" means alloc_route frees the route (goto err), so keepalived
// never installs it. Options whose values name things of the machine (dev, table, protocol, scope, realms,
// vrf, tos) are left to keepalived: their names come from /etc/iproute2 and the interfaces present.
import { closestMatches } from '../suggest';
import { isIPv4, isIPv6 } from '../../analysis/primitives';
import { routeOptionTooNew } from '../../schema/value-since';
import { DEFAULT_ROUTE_NAMES, ROUTE_OPTION_NAMES, routeOption } from '../../schema/line-options';

export interface RouteProblem {
  /** Index of the word the problem is on (0 = the line's first word). */
  word: number;
  message: string;
  severity: 'error' | 'warning';
}

type Family = 4 | 6;

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
const DEFAULTS: readonly string[] = DEFAULT_ROUTE_NAMES;

/** Every word alloc_route knows as an option, and the default route's names: for suggestions. */
const SUGGESTIONS = [...ROUTE_OPTION_NAMES, ...DEFAULTS];

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
    const option = routeOption(word);
    if (option?.staticOnly && !staticRoute) return unknownDestination(i, word, drop);
    switch (option?.value) {
      case 'family':
        if (!setFamily(word === 'inet' ? 4 : 6, i)) return problems;
        break;
      case 'flag':
        break;
      case 'word':
      case 'interface':
      case 'track_group':
        i++;
        break;
      case 'address':
      case 'gateway': {
        i++;
        if (option.value === 'gateway' && (words[i] === 'inet' || words[i] === 'inet6')) {
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
            value.includes('/') && addressFamily(value, true)
              ? ' (a gateway or source takes no /prefix)'
              : '';
          return drop(i, said, `'${value}' is not an IPv4 or IPv6 address${prefix}`);
        }
        if (!setFamily(f, i)) return problems;
        break;
      }
      case 'from': {
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
        break;
      }
      case 'number':
        if (!number(++i, word === 'priority' || word === 'preference' ? 'metric' : word, option.max))
          return problems;
        break;
      case 'locked_number':
      case 'locked_word':
        if (words[++i] === 'lock') i++;
        if (option.value === 'locked_number' && !number(i, word === 'mtu' ? 'MTU' : word, 4294967295))
          return problems;
        break;
      case 'mpls':
        if (words[++i] === 'to') i++;
        problems.push({
          word: i - 1,
          message: `'as [to]' is for MPLS routes only: keepalived reports "\\"as to\\" for MPLS only - ignoring" and ignores it.`,
          severity: 'warning',
        });
        break;
      case 'rest':
        // parse_encap() and parse_nexthops() read the rest in their own ways: not checked here.
        return problems;
      case 'destination':
      case undefined: {
        // The destination: after 'to' it is the next word as it stands; else a route type may come first.
        if (option || isRouteType(word)) i++;
        const dest = words[i];
        if (dest === undefined) break;
        const named = DEFAULTS.includes(dest);
        const f = named ? undefined : addressFamily(dest, true);
        if (!named && f === undefined) return unknownDestination(i, dest, drop);
        if (f !== undefined && !setFamily(f, i, dest)) return problems;
        hasDestination = true;
        break;
      }
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
  const near = closestMatches(word, SUGGESTIONS);
  const hint = near.length > 0 ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : '';
  const why =
    word === 'link'
      ? `'link' is not a route option keepalived reads (no release to 2.4.3 does; for a link-scope route write 'scope link')`
      : /^[0-9a-fA-F.:/]+$/.test(word) && /[.:]/.test(word)
        ? `'${word}' is not a valid destination address or prefix`
        : `'${word}' is not a route option, and not an address or prefix to route${hint}`;
  return drop(at, `unknown route keyword ${word}`, why);
}
