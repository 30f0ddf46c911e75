// The option words of lines keepalived reads as `WORD [VALUE]` pairs after their first word: unicast_peer
// lines, the lvs_sync_daemon keyword, and the lines of virtual_routes / static_routes and virtual_rules /
// static_rules. One record per option, read by the checks (checks/values/lines.ts, route.ts, handlers.ts,
// consequences.ts), completion, signature help, the since-version lookups (value-since.ts) and the grammar
// generator, so no consumer keeps a list of its own. (Address-line options are in vocabulary.ts.)
// Sources are keepalived's own, read at the release tags.
import type { SymbolKind } from './symbol-kinds';
import { entryOf } from './vocabulary';

/** What completion offers for an option's value: the machine's interfaces, or names of a symbol kind. */
export type OfferedValue = 'interface' | Extract<SymbolKind, 'vrrp_instance' | 'track_group'>;

/** A number option: keepalived reads an unsigned decimal number from `min` to `max`. */
export interface NumberRange {
  min: number;
  max: number;
}

export interface UnicastPeerOption extends NumberRange {
  doc: string;
}

// vrrp/vrrp_data.c alloc_vrrp_unicast_peer: `ADDRESS [min_ttl N] [max_ttl N]`, each read with
// read_unsigned(, 0, 255); the same at every tag from 2.0.0 to 2.4.3.
export const UNICAST_PEER_OPTIONS = {
  min_ttl: { min: 0, max: 255, doc: 'Discard adverts whose TTL is below this (0-255).' },
  max_ttl: { min: 0, max: 255, doc: 'Discard adverts whose TTL is above this (0-255).' },
} as const satisfies Record<string, UnicastPeerOption>;

/** The unicast_peer option `word` names, if it names one. */
export function unicastPeerOption(word: string): UnicastPeerOption | undefined {
  return entryOf<UnicastPeerOption>(UNICAST_PEER_OPTIONS, word);
}

export type SyncDaemonOption =
  /** A number; a bad one is reported with `rejects` (%s: the value) and the option ignored. */
  | (NumberRange & { value: 'number'; rejects: string; doc: string })
  /** A word left to keepalived (`group`'s multicast address) or a name completion offers (`inst`). */
  | { value: 'word' | OfferedValue; doc: string };

// core/global_parser.c lvs_syncd_handler(): `lvs_sync_daemon IFNAME [inst VRRP_INSTANCE] [id N] [maxlen N]
// [port N] [ttl N] [group ADDRESS]`, in the order of its documented syntax.
export const LVS_SYNC_DAEMON_OPTIONS = {
  inst: { value: 'vrrp_instance', doc: 'The vrrp_instance whose state the sync daemon follows.' },
  id: {
    value: 'number',
    min: 0,
    max: 255,
    rejects: 'Invalid syncid (%s) - defaulting to vrid',
    doc: "Sync id, 0 to 255 (default: the instance's virtual_router_id).",
  },
  maxlen: {
    value: 'number',
    // IP_VS: a UDP datagram of at most 65535 - 20 (IP) - 8 (UDP) bytes.
    min: 1,
    max: 65507,
    rejects: 'Invalid lvs_sync_daemon maxlen (%s) - ignoring',
    doc: 'Largest sync message, 1 to 65507 bytes.',
  },
  port: {
    value: 'number',
    min: 1,
    max: 65535,
    rejects: 'Invalid lvs_sync_daemon port (%s) - ignoring',
    doc: 'UDP port of the sync messages, 1 to 65535 (default 8848).',
  },
  ttl: {
    value: 'number',
    min: 1,
    max: 255,
    rejects: 'Invalid lvs_sync_daemon ttl (%s) - ignoring',
    doc: 'TTL of the sync messages, 1 to 255.',
  },
  group: { value: 'word', doc: 'Multicast group of the sync messages (default 224.0.0.81).' },
} as const satisfies Record<string, SyncDaemonOption>;

/** The lvs_sync_daemon option `word` names, if it names one. */
export function syncDaemonOption(word: string): SyncDaemonOption | undefined {
  return entryOf<SyncDaemonOption>(LVS_SYNC_DAEMON_OPTIONS, word);
}

/** How keepalived reads what follows an option of a route line (vrrp/vrrp_iproute.c alloc_route). */
export type RouteOptionValue =
  /** Nothing follows. */
  | 'flag'
  /** Nothing follows; sets the route's family (`inet`, `inet6`). */
  | 'family'
  /** One word keepalived looks up on the machine (/etc/iproute2, ...) or does not check here. */
  | 'word'
  /** One word: an interface name. */
  | 'interface'
  /** An unsigned number up to `max` (get_u32 / get_u8: decimal, no sign). */
  | 'number'
  /** An optional `lock`, then a number. */
  | 'locked_number'
  /** An optional `lock`, then a time or a name keepalived reads in its own way. */
  | 'locked_word'
  /** An address without a prefix (`src`, `or`); for `via`/`gw` an optional `inet`/`inet6` first. */
  | 'address'
  | 'gateway'
  /** An IPv6 source prefix. */
  | 'from'
  /** `as [to] ADDRESS`: MPLS only, ignored. */
  | 'mpls'
  /** The rest of the line, read by parse_encap() / parse_nexthops(). */
  | 'rest'
  /** The destination, the next word as it stands. */
  | 'destination'
  /** The name of a track_group block (static_routes only). */
  | 'track_group';

export type RouteOption = {
  /** First release whose alloc_route reads it (an older one takes it for the destination and drops the route). */
  since: string;
  /** Read only on static_routes lines (alloc_route's allow_track_group); a virtual_routes line drops it. */
  staticOnly?: true;
} & ({ value: 'number'; max: number } | { value: Exclude<RouteOptionValue, 'number'> });

const U32 = 4294967295;

// vrrp/vrrp_iproute.c alloc_route, checked at every tag from 2.0.0 to 2.4.3 (2.4.3 reads the same words
// as 2.2.7). vrf also needs a build with VRF support (_HAVE_VRF_).
export const ROUTE_OPTIONS = {
  inet: { value: 'family', since: '2.0.0' },
  inet6: { value: 'family', since: '2.0.0' },
  onlink: { value: 'flag', since: '2.0.0' },
  add: { value: 'flag', since: '2.2.5' },
  prepend: { value: 'flag', since: '2.2.5' },
  append: { value: 'flag', since: '2.2.5' },
  no_track: { value: 'flag', since: '2.0.3' },
  tos: { value: 'word', since: '2.0.0' },
  dsfield: { value: 'word', since: '2.0.0' },
  table: { value: 'word', since: '2.0.0' },
  protocol: { value: 'word', since: '2.0.0' },
  scope: { value: 'word', since: '2.0.0' },
  dev: { value: 'interface', since: '2.0.0' },
  oif: { value: 'interface', since: '2.0.0' },
  realms: { value: 'word', since: '2.0.0' },
  vrf: { value: 'word', since: '2.2.5' },
  metric: { value: 'number', max: U32, since: '2.0.0' },
  priority: { value: 'number', max: U32, since: '2.0.0' },
  preference: { value: 'number', max: U32, since: '2.0.0' },
  hoplimit: { value: 'number', max: 255, since: '2.0.0' },
  window: { value: 'number', max: U32, since: '2.0.0' },
  initcwnd: { value: 'number', max: U32, since: '2.0.0' },
  initrwnd: { value: 'number', max: U32, since: '2.0.0' },
  expires: { value: 'number', max: U32, since: '2.0.0' },
  quickack: { value: 'number', max: 1, since: '2.0.0' },
  fastopen_no_cookie: { value: 'number', max: 1, since: '2.0.0' },
  mtu: { value: 'locked_number', since: '2.0.0' },
  advmss: { value: 'locked_number', since: '2.0.0' },
  reordering: { value: 'locked_number', since: '2.0.0' },
  cwnd: { value: 'locked_number', since: '2.0.0' },
  ssthresh: { value: 'locked_number', since: '2.0.0' },
  rtt: { value: 'locked_word', since: '2.0.0' },
  rttvar: { value: 'locked_word', since: '2.0.0' },
  rto_min: { value: 'locked_word', since: '2.0.0' },
  congctl: { value: 'locked_word', since: '2.0.0' },
  src: { value: 'address', since: '2.0.0' },
  via: { value: 'gateway', since: '2.0.0' },
  gw: { value: 'gateway', since: '2.0.0' },
  from: { value: 'from', since: '2.0.0' },
  as: { value: 'mpls', since: '2.0.0' },
  encap: { value: 'rest', since: '2.0.0' },
  features: { value: 'word', since: '2.0.0' },
  pref: { value: 'word', since: '2.0.0' },
  'ttl-propagate': { value: 'word', since: '2.0.8' },
  or: { value: 'address', since: '2.0.0' },
  nexthop: { value: 'rest', since: '2.0.0' },
  track_group: { value: 'track_group', since: '2.0.3', staticOnly: true },
  to: { value: 'destination', since: '2.0.0' },
} as const satisfies Record<string, RouteOption>;

export type RouteOptionName = keyof typeof ROUTE_OPTIONS;
export const ROUTE_OPTION_NAMES = Object.keys(ROUTE_OPTIONS) as RouteOptionName[];

/** The route option `word` names, if it names one. */
export function routeOption(word: string): RouteOption | undefined {
  return entryOf<RouteOption>(ROUTE_OPTIONS, word);
}

/** parse_route()'s names for the default route, taken where a destination or `from` prefix goes. */
export const DEFAULT_ROUTE_NAMES = ['default', 'any', 'all', 'default6'] as const;

/** How keepalived reads what follows an option of a rule line (vrrp/vrrp_iprule.c alloc_rule). */
export type RuleOptionValue =
  | 'flag'
  | 'family'
  /** An address or prefix (parse_route). */
  | 'address'
  /** The rule's preference: a rule without one gets the next one down from 16384. */
  | 'preference'
  | 'word'
  | 'interface'
  /** The name of a track_group block (static_rules only). */
  | 'track_group';

export interface RuleOption {
  value: RuleOptionValue;
  /** Read only on static_rules lines (alloc_rule's allow_track_group). */
  staticOnly?: true;
}

// vrrp/vrrp_iprule.c alloc_rule at 2.2.7: the words it compares before trying an action (a route type,
// `goto`, `nop`, after an optional `type`). Several need kernel support (FRA_* headers) in the build.
export const RULE_OPTIONS = {
  inet: { value: 'family' },
  inet6: { value: 'family' },
  from: { value: 'address' },
  to: { value: 'address' },
  table: { value: 'word' },
  lookup: { value: 'word' },
  not: { value: 'flag' },
  preference: { value: 'preference' },
  order: { value: 'preference' },
  priority: { value: 'preference' },
  tos: { value: 'word' },
  dsfield: { value: 'word' },
  fwmark: { value: 'word' },
  realms: { value: 'word' },
  suppress_prefixlength: { value: 'word' },
  sup_pl: { value: 'word' },
  suppress_ifgroup: { value: 'word' },
  sup_group: { value: 'word' },
  dev: { value: 'interface' },
  iif: { value: 'interface' },
  oif: { value: 'interface' },
  'tunnel-id': { value: 'word' },
  uidrange: { value: 'word' },
  l3mdev: { value: 'flag' },
  protocol: { value: 'word' },
  ipproto: { value: 'word' },
  sport: { value: 'word' },
  dport: { value: 'word' },
  no_track: { value: 'flag' },
  track_group: { value: 'track_group', staticOnly: true },
  type: { value: 'word' },
  goto: { value: 'word' },
  nop: { value: 'flag' },
} as const satisfies Record<string, RuleOption>;

/** The rule option `word` names, if it names one. */
export function ruleOption(word: string): RuleOption | undefined {
  return entryOf<RuleOption>(RULE_OPTIONS, word);
}

/**
 * Where on a rule line of the block `block` keepalived meets an option it reads on static_rules lines only
 * (track_group): alloc_rule then reports "Unknown rule option" and drops the rule (vrrp_iprule.c 2.2.7
 * l.754, l.791-793). -1 when there is none, or the line is a static_rules line.
 */
export function unreadRuleOption(words: readonly string[], block: string): number {
  return block === 'static_rules' ? -1 : words.findIndex((w) => ruleOption(w)?.staticOnly);
}

/** The option `word` names on a line of a route or rule block. */
export function lineOption(lines: 'route' | 'rule', word: string): RouteOption | RuleOption | undefined {
  return lines === 'rule' ? ruleOption(word) : routeOption(word);
}

/** What completion offers for the value of `option` on a line of a static_* block (`staticLine`) or not. */
export function offeredValue(
  option: RouteOption | RuleOption | undefined,
  staticLine: boolean,
): OfferedValue | undefined {
  if (!option || (option.staticOnly && !staticLine)) return undefined;
  return option.value === 'interface' || option.value === 'track_group' ? option.value : undefined;
}

/** The words after `option` that are its own, as completion counts them (an optional `lock` or `inet` aside). */
export function valueWords(option: RouteOption | RuleOption | undefined): 0 | 1 {
  if (!option) return 0;
  return option.value === 'flag' || option.value === 'family' || option.value === 'rest' ? 0 : 1;
}
