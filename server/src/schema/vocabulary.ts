// The words below the keyword: options of value lines, the choices they take, boolean words, forwarding
// methods, keepalived's own `$_` parameters and the include variants. Each list is kept here once, as typed
// records whose fields the compiler requires, and read by the checks, completion, signature help, hover,
// semantic tokens and the grammar generator (scripts/gen-grammar.mjs bundles this module to read it).
// Sources are keepalived's own, read at the release tags.
import type { IncludeKeyword } from '../syntax/include-keywords';
/** The oldest keepalived release we target: a `since` equal to it means "there in every release we read". */
export const OLDEST_RELEASE = '2.0.0';

/** What follows an address option on a virtual_ipaddress / static_ipaddress line. */
export type AddressOptionValue =
  /** A flag: nothing follows. */
  | 'none'
  /** An address (with optional prefix), or `+` / `-` to set or clear the host bits. */
  | 'address'
  | 'interface'
  /** One of ADDRESS_SCOPES, or a number. */
  | 'scope'
  /** Free text: an address label. */
  | 'label'
  /** `forever`, or a number of seconds (see PREFERRED_LIFETIMES). */
  | 'lifetime'
  /** The name of a track_group block. */
  | 'track_group';

export interface AddressOption {
  /** Value words after the option: 0 for a flag, 1 otherwise. */
  arity: 0 | 1;
  value: AddressOptionValue;
  /** The placeholder of its value in the line's syntax (`<IP>`), '' for a flag. */
  placeholder: string;
  /** Another spelling of `alias`: same meaning, left out of the documented syntax. */
  alias?: string;
  /** First release whose alloc_ipaddress reads it (2.0.0, the oldest release we target, for the rest). */
  since: string;
  /**
   * Read on one kind of line only (alloc_ipaddress's static_addr test): `static` on static_ipaddress lines,
   * `virtual` on virtual_ipaddress(_excluded) lines. Elsewhere keepalived reports it as unknown.
   */
  onlyOn?: 'static' | 'virtual';
  doc: string;
}

// vrrp/vrrp_ipaddress.c alloc_ipaddress, checked at every tag from 2.0.0 to 2.4.3. The kernel-flag options
// (home, mngtmpaddr, noprefixroute, autojoin, -nodad) are there in 2.0.0, behind #ifdef IFA_F_* headers.
// The order is the documented syntax's, and the order completion offers them in.
export const ADDRESS_OPTIONS = {
  brd: {
    arity: 1,
    value: 'address',
    placeholder: '<IP>',
    since: '2.0.0',
    doc: 'Broadcast address (`+` or `-` to set or clear the host bits).',
  },
  broadcast: {
    arity: 1,
    value: 'address',
    placeholder: '<IP>',
    alias: 'brd',
    since: '2.0.0',
    doc: 'Broadcast address (`+` or `-` to set or clear the host bits).',
  },
  dev: {
    arity: 1,
    value: 'interface',
    placeholder: '<IF>',
    since: '2.0.0',
    doc: 'Interface to put the address on (default: the instance interface).',
  },
  scope: {
    arity: 1,
    value: 'scope',
    placeholder: '<SCOPE>',
    since: '2.0.0',
    doc: 'Address scope: site, link, host, nowhere or global.',
  },
  label: {
    arity: 1,
    value: 'label',
    placeholder: '<LABEL>',
    since: '2.0.0',
    doc: 'Address label, e.g. eth0:1.',
  },
  peer: {
    arity: 1,
    value: 'address',
    placeholder: '<IP>',
    since: '2.0.0',
    doc: 'Address of the other end of a point-to-point link.',
  },
  home: {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.0.0',
    doc: 'IPv6: home address (Mobile IPv6).',
  },
  '-nodad': {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.0.0',
    doc: 'IPv6: no duplicate address detection.',
  },
  mngtmpaddr: {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.0.0',
    doc: 'IPv6: make temporary addresses from this one.',
  },
  noprefixroute: {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.0.0',
    doc: 'Do not add the prefix route.',
  },
  autojoin: {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.0.0',
    doc: 'Join the multicast group of a multicast address.',
  },
  preferred_lft: {
    arity: 1,
    value: 'lifetime',
    placeholder: 'forever|0',
    since: '2.0.20',
    doc: 'Preferred lifetime: forever, or 0 (the address is deprecated).',
  },
  no_track: {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.0.3',
    doc: 'Removing this address does not take the instance out of MASTER.',
  },
  track_group: {
    arity: 1,
    value: 'track_group',
    placeholder: '<GROUP>',
    since: '2.0.3',
    onlyOn: 'static',
    doc: 'Only the instances of this track_group track the address.',
  },
  use_vmac: {
    arity: 0,
    value: 'none',
    placeholder: '',
    since: '2.2.0',
    onlyOn: 'virtual',
    doc: 'Put the address on the VMAC interface.',
  },
} as const satisfies Record<string, AddressOption>;

export type AddressOptionName = keyof typeof ADDRESS_OPTIONS;

/**
 * The entry of a table named by `word`, if it names one: an own key only, so a word such as `constructor`
 * or `toString` never reads the object's prototype.
 */
export function entryOf<T>(table: Readonly<Record<string, T>>, word: string): T | undefined {
  return Object.hasOwn(table, word) ? table[word] : undefined;
}

/** The address option `word` names, if it names one. */
export function addressOption(word: string): AddressOption | undefined {
  return entryOf<AddressOption>(ADDRESS_OPTIONS, word);
}

/** Whether keepalived reads `option` on a line of the address block `block` (static_ipaddress, ...). */
export function addressOptionReadIn(option: AddressOption, block: string): boolean {
  return (
    option.onlyOn === undefined || option.onlyOn === (block === 'static_ipaddress' ? 'static' : 'virtual')
  );
}

/** The address options keepalived reads on a line of the block `block`, by name, in the documented order. */
export function addressOptionsReadIn(block: string): [string, AddressOption][] {
  return Object.entries(ADDRESS_OPTIONS as Record<string, AddressOption>).filter(([, o]) =>
    addressOptionReadIn(o, block),
  );
}

/**
 * The documented grammar of a line of the address block `block`: the address, then each option the line
 * reads (aliases left out).
 */
export function addressLineSyntax(block: string): string {
  return [
    '<IP>[/<PREFIX>]',
    ...addressOptionsReadIn(block)
      .filter(([, o]) => !o.alias)
      .map(([name, o]) => `[${name}${o.placeholder ? ` ${o.placeholder}` : ''}]`),
  ].join(' ');
}

/**
 * Names of the `scope` option and the number each stands for (vrrp_ipaddress.c, through lib/rttables.c
 * rtscope_default[]); a number up to 255 is taken too. In the order completion offers them.
 */
export const ADDRESS_SCOPE_IDS = {
  site: 200,
  link: 253,
  host: 254,
  nowhere: 255,
  global: 0,
} as const satisfies Record<string, number>;

export type AddressScope = keyof typeof ADDRESS_SCOPE_IDS;
export const ADDRESS_SCOPES = Object.keys(ADDRESS_SCOPE_IDS) as AddressScope[];

/** Words of `preferred_lft` besides a number of seconds, as completion offers them. */
export const PREFERRED_LIFETIMES = ['forever', '0'] as const;

/**
 * The words of a boolean keyword and what each means (lib/parser.c check_true_false); a keyword alone is
 * true. Listed in pairs, the order completion offers them in.
 */
export const BOOLEAN_WORDS = {
  true: true,
  false: false,
  on: true,
  off: false,
  yes: true,
  no: false,
} as const satisfies Record<string, boolean>;

/** What a boolean word means, or undefined when keepalived does not take it (it is case-sensitive). */
export function booleanValue(word: string): boolean | undefined {
  return entryOf<boolean>(BOOLEAN_WORDS, word);
}

/** The option word of a track_* line: `NAME weight N [reverse|noreverse]` (vrrp/vrrp_track.c alloc_track_*). */
export const TRACK_WEIGHT = {
  name: 'weight',
  doc: 'Added to the priority while the check passes (positive), subtracted while it fails (negative); 0 = FAULT on failure.',
} as const;

export interface TrackDirection {
  /** Whether the weight applies while the check fails. */
  reverse: boolean;
  /** Whether a track_interface line takes it too (alloc_track_if reads only `reverse`). */
  onInterfaces: boolean;
  doc: string;
}

/** The words after `weight N` on a track_* line. */
export const TRACK_DIRECTIONS = {
  reverse: {
    reverse: true,
    onInterfaces: true,
    doc: 'Reverse the weight: it applies while the check fails instead.',
  },
  noreverse: {
    reverse: false,
    onInterfaces: false,
    doc: "Do not reverse the weight, even if the tracked object's own weight says reverse.",
  },
} as const satisfies Record<string, TrackDirection>;

/** The direction `word` names after a weight, if it is one a line of this block takes. */
export function trackDirection(word: string, onInterface: boolean): TrackDirection | undefined {
  if (!Object.hasOwn(TRACK_DIRECTIONS, word)) return undefined;
  const direction: TrackDirection = TRACK_DIRECTIONS[word as keyof typeof TRACK_DIRECTIONS];
  return !onInterface || direction.onInterfaces ? direction : undefined;
}

export interface ForwardingMethod {
  /** What the abbreviation stands for, where the name alone does not say. */
  meaning: string | null;
  /** Whether tunnel options (TUNNEL_TYPES, `port`, TUNNEL_CHECKSUMS) may follow it. */
  tunnel: boolean;
}

/** lvs_method / lb_kind words, upper case only (check/check_parser.c forwarding_handler). */
export const LVS_METHODS = {
  NAT: { meaning: null, tunnel: false },
  DR: { meaning: 'direct routing', tunnel: false },
  TUN: { meaning: 'tunnel', tunnel: true },
} as const satisfies Record<string, ForwardingMethod>;

export type LvsMethod = keyof typeof LVS_METHODS;
export const LVS_METHOD_NAMES = Object.keys(LVS_METHODS) as LvsMethod[];

/** The forwarding method `word` names, if it is one (case-sensitive, as keepalived reads it). */
export function lvsMethod(word: string): ForwardingMethod | undefined {
  return entryOf<ForwardingMethod>(LVS_METHODS, word);
}

/**
 * The words that start a virtual_server header in place of `ADDRESS PORT` (check/check_parser.c
 * vs_handler), with what each means; the handling of each is the value check's (checks/values/args.ts).
 */
export const VIRTUAL_SERVER_FORMS = {
  fwmark: 'A firewall mark instead of an address.',
  group: 'A virtual_server_group instead of an address.',
} as const satisfies Record<string, string>;

/** Whether a virtual_server header names an address (not one of VIRTUAL_SERVER_FORMS). */
export function virtualServerByAddress(first: string | undefined): boolean {
  return first === undefined || !Object.hasOwn(VIRTUAL_SERVER_FORMS, first);
}

/**
 * The virtual_server flag lines that only mean something under one scheduler, and that scheduler
 * (check_parser.c lbflags_handler, the same from 2.0.0 to 2.3): keepalived sets `sh-*` only while the
 * scheduler it has read so far is `sh` and `mh-*` only while it is `mh`; under the other one of the two
 * it sets nothing and says nothing, under any other (or before any lvs_sched line) it reports "FLAG only
 * applies to sh scheduler - ignoring". `hashed` is installed with them but never sets anything (null).
 */
export const SCHEDULER_FLAGS = {
  hashed: null,
  'sh-port': 'sh',
  'sh-fallback': 'sh',
  'mh-port': 'mh',
  'mh-fallback': 'mh',
} as const satisfies Record<string, 'sh' | 'mh' | null>;

export type SchedulerFlagName = keyof typeof SCHEDULER_FLAGS;

/** The scheduler flag `word` names, if it names one. */
export function schedulerFlag(word: string): SchedulerFlagName | undefined {
  return Object.hasOwn(SCHEDULER_FLAGS, word) ? (word as SchedulerFlagName) : undefined;
}

/** Words after `TUN type` (forwarding_handler; gre needs a kernel with IPVS GRE tunnels). */
export const TUNNEL_TYPES = ['ipip', 'gue', 'gre'] as const;
/** Checksum modes of a TUN line (not for ipip; remcsum not for gre). */
export const TUNNEL_CHECKSUMS = ['nocsum', 'csum', 'remcsum'] as const;

/** The documented grammar of what follows lvs_method. */
export const LVS_METHOD_SYNTAX = `${LVS_METHOD_NAMES.join('|')} [type ${TUNNEL_TYPES.join('|')}] [port <n>] [${TUNNEL_CHECKSUMS.join('|')}]`;

/** What each part of LVS_METHOD_SYNTAX means, by its first word (lower case), for signature help. */
export const LVS_METHOD_DOCS: Readonly<Record<string, string>> = {
  [LVS_METHOD_NAMES.join('|').toLowerCase()]: `Forwarding method: ${listed(
    LVS_METHOD_NAMES.map((m) => {
      const meaning: string | null = LVS_METHODS[m].meaning;
      return meaning ? `${m} (${meaning})` : m;
    }),
  )}.`,
  type: `Tunnel type: ${TUNNEL_TYPES[0]} (default), ${TUNNEL_TYPES.slice(1).join(' or ')}.`,
  [TUNNEL_CHECKSUMS[0]]: 'Tunnel checksum mode (not for ipip; remcsum not for gre).',
};

/** Words as a sentence lists them: `NAT, DR or TUN`. */
export function listed(words: readonly string[], last = 'or'): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`;
}

export interface BuiltinParameter {
  /** What it expands to when that is the same everywhere; null when it depends on the running host. */
  value: string | null;
  /** Known per file as it is read (the reader sets it): `_PWD`, the folder of the file keepalived reads. */
  perFile?: true;
  /** What it is, as hover says it after "set by keepalived: ". */
  about: string;
  /** First release that defines it (lib/parser.c add_std_definition, checked at every tag). */
  since: string;
}

/** The `$_NAME` parameters keepalived defines itself (names starting with `_` are reserved for them). */
export const BUILTIN_PARAMETERS = {
  _PWD: {
    value: null,
    perFile: true,
    about:
      'the folder of the configuration file being read (keepalived changes into it), taken to be the folder the linter finds it in',
    since: '2.0.0',
  },
  _INSTANCE: {
    value: null,
    about: 'the instance name keepalived was started with (`-i`), so it depends on the host',
    since: '2.0.1',
  },
  _RANDOM: { value: null, about: 'a random number chosen each time keepalived reads it', since: '2.0.15' },
  _ENV: {
    value: null,
    about: 'a value from the environment keepalived runs in, so it depends on the host',
    since: '2.4.0',
  },
  _HASH: { value: '#', about: 'a literal `#`', since: '2.1.4' },
  _BANG: { value: '!', about: 'a literal `!`', since: '2.1.4' },
} as const satisfies Record<string, BuiltinParameter>;

/** The built-in parameter `name` (without `$`), if it is one. */
export function builtinParameter(name: string): BuiltinParameter | undefined {
  return Object.hasOwn(BUILTIN_PARAMETERS, name)
    ? BUILTIN_PARAMETERS[name as keyof typeof BUILTIN_PARAMETERS]
    : undefined;
}

/** The include_t bits (lib/parser.c): what a variant makes a config error rather than a log line. */
export interface IncludeStrictness {
  /** R: an entry that is a directory, not a regular non-executable file, or unreadable. */
  readable: boolean;
  /** M: nothing matched and a named file or folder is missing. */
  match: boolean;
  /** W: a wildcard matched nothing. */
  wildcard: boolean;
  /** B: a brace alternative (or any part of the pattern) is missing. */
  brace: boolean;
}

/**
 * What each include variant makes an error (lib/parser.c check_include()). A check a variant lacks is only
 * logged, and keepalived goes on (`keepalived -t` exits 0). The keywords themselves are syntax
 * (syntax/include-keywords.ts); this table must have one record for each.
 */
export const INCLUDE_VARIANTS: Readonly<Record<IncludeKeyword, IncludeStrictness>> = {
  include: { readable: false, match: false, wildcard: false, brace: false },
  includer: { readable: true, match: false, wildcard: false, brace: false },
  includem: { readable: true, match: true, wildcard: false, brace: false },
  includew: { readable: true, match: true, wildcard: true, brace: false },
  includeb: { readable: true, match: false, wildcard: false, brace: true },
  includea: { readable: true, match: true, wildcard: true, brace: true },
};

/**
 * The vrrp_instance keywords whose handlers set VRRP_FLAG_UNICAST_CONFIGURED (vrrp_parser.c, the same five
 * in 2.2.7, 2.2.8 and 2.4.3: unicast_peer, unicast_src_ip, unicast_fault_no_peer, check_unicast_src,
 * old_unicast_checksum). The instance then runs unicast when it has peers, and from 2.2.8 chk_min_cfg()
 * lets it go without an interface.
 */
export const UNICAST_KEYWORDS: ReadonlySet<string> = new Set([
  'unicast_peer',
  'unicast_src_ip',
  'unicast_fault_no_peer',
  'check_unicast_src',
  'old_unicast_checksum',
]);
