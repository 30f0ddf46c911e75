// What keepalived's checker corrects in a virtual_server once the whole configuration is read, and says so
// (check/check_data.c validate_check_config(), 2.2.7 l.1075-1345): each correction is reported as a
// configuration error (keepalived -t exits 5), and keepalived runs on with what it changed. Before that,
// link_vsg_to_vs() may drop a `virtual_server group` service (linkOf below). Only what the lines say for
// certain is judged: a value that depends on a template or an unknown parameter is left alone, and so are
// a group service's server ports (keepalived compares them with each entry's and changes nothing).
import type { PlacedStatement } from './types';
import type { VirtualServer } from './objects';
import { sockaddrFamily } from './primitives';
import { badSocket } from './skipped-blocks';
import type { Family, VsGroup } from './vs-groups';

/** IP_VS_CONN_F_MASQ, DROUTE, TUNNEL: the words svr_forwarding_handler takes (strcmp, so upper case). */
type Method = 'NAT' | 'DR' | 'TUN';

/** What validate_check_config corrects in one virtual_server, each with the line to show it on. */
export type Correction =
  | { kind: 'no-scheduler' }
  | { kind: 'ops-not-udp'; line: PlacedStatement; protocol: string }
  /** By address with port 0, or (`entry`) a group's address entry without a port. */
  | { kind: 'zero-port'; entry?: PlacedStatement }
  | { kind: 'fwmark-protocol'; line: PlacedStatement }
  | { kind: 'fwmark-ha-suspend'; line: PlacedStatement }
  | { kind: 'duplicate-real-server'; line: PlacedStatement; first: PlacedStatement }
  | { kind: 'quorum-over-weight'; line: PlacedStatement; quorum: number; weights: number }
  | { kind: 'hysteresis-over-quorum'; line: PlacedStatement; hysteresis: number; quorum: number }
  /**
   * A real server that is the sorry server, with another inhibit_on_failure setting: keepalived gives the
   * sorry server the real server's (`inhibit`), said by `from`: its own line, or the virtual server's
   * (`fromService`).
   */
  | {
      kind: 'sorry-inhibit';
      line: PlacedStatement;
      sorry: SorryServer;
      inhibit: boolean;
      from?: PlacedStatement;
      fromService: boolean;
    }
  | {
      kind: 'server-port';
      line: PlacedStatement;
      server: 'real' | 'sorry';
      method: Method;
      port: number;
      /** The virtual server's port it is reset to; undefined for a fwmark service (the port is cleared). */
      servicePort?: number;
      /** A group service: the group, and the address entry whose port differs (none: the group's marks). */
      group?: string;
      entry?: { line: PlacedStatement; port: number };
    };

/** The sorry server keepalived keeps, and the sorry_server_inhibit line that marks it (if any). */
export interface SorryServer {
  line: PlacedStatement;
  inhibit?: PlacedStatement;
}

/** IPVS_SVC_PERSISTENT_TIMEOUT (libipvs.h): what a zero-port service is given. */
export const DEFAULT_PERSISTENCE_SECONDS = 6 * 60;
/** IPVS_DEF_SCHED (ipvswrapper.h): the scheduler a virtual_server without one gets. */
export const DEFAULT_SCHEDULER = 'wlc';

const UNKNOWN = Symbol('unknown');
type Known<T> = T | typeof UNKNOWN;

function named(lines: readonly PlacedStatement[], ...names: string[]): PlacedStatement[] {
  return lines.filter((l) => l.role === 'keyword' && names.includes(l.spec?.name ?? ''));
}

/** A word as keepalived reads it, or UNKNOWN when a template or an unknown parameter decides it. */
function word(line: PlacedStatement, i: number): Known<string | undefined> {
  const written = line.statement.args[i];
  if (!written) return undefined;
  const value = line.expandedArgs[i];
  return value === undefined || written.template !== undefined ? UNKNOWN : value;
}

/** read_unsigned_strvec: decimal digits only (a bad value is reported and ignored elsewhere). */
function unsigned(value: Known<string | undefined>): Known<number | undefined> {
  if (value === UNKNOWN) return UNKNOWN;
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

/** A port word as inet_stosockaddr takes it: absent or all zeros is port 0. */
function port(line: PlacedStatement, i: number): Known<number> {
  const value = word(line, i);
  if (value === UNKNOWN) return UNKNOWN;
  if (value === undefined) return 0;
  return /^\d{1,5}$/.test(value) && Number(value) <= 65535 ? Number(value) : UNKNOWN;
}

/**
 * The last value a handler stored: each line overwrites the one before; a value out of the keyword's range
 * (read_unsigned_strvec) leaves it, except where the handler stores `invalid` instead (quorum_handler: 1).
 */
function lastNumber(
  lines: readonly PlacedStatement[],
  name: string,
  initial: number,
  invalid?: number,
): Known<number> {
  let value: Known<number> = initial;
  for (const l of named(lines, name)) {
    const n = unsigned(word(l, 0));
    const args = l.spec?.args;
    const inRange =
      n !== UNKNOWN &&
      n !== undefined &&
      (args?.kind !== 'int' || (n >= (args.min ?? 0) && n <= (args.max ?? Infinity)));
    if (n === UNKNOWN) value = UNKNOWN;
    else if (inRange) value = n;
    else if (invalid !== undefined) value = invalid;
  }
  return value;
}

function method(lines: readonly PlacedStatement[], ...names: string[]): Known<Method | undefined> {
  let found: Known<Method | undefined>;
  for (const l of named(lines, ...names)) {
    const m = word(l, 0);
    if (m === UNKNOWN) found = UNKNOWN;
    else if (m === 'NAT' || m === 'DR' || m === 'TUN') found = m;
  }
  return found;
}

/**
 * The corrections keepalived makes to `vs`, in the order validate_check_config makes them; `groups` are the
 * configuration's virtual_server_group blocks, for a `virtual_server group NAME`.
 */
export function correctionsOf(vs: VirtualServer, groups: readonly VsGroup[]): Correction[] {
  const link = linkOf(vs, groups);
  // link_vsg_to_vs() drops a virtual server first; then validate_check_config() frees one without real
  // servers ("has no real servers - ignoring").
  if (link.kind === 'dropped' || vs.realServers === 0) return [];
  // A group's service takes its form from the group's entries: addresses with ports, fwmarks.
  const entries = link.kind === 'linked' ? link.group.entries : undefined;
  const marks = entries ? entries.filter((e) => e.kind === 'fwmark').length : 0;
  const addresses = entries?.filter((e) => e.kind === 'address') ?? [];
  const group = link.kind !== 'none';
  const fwmark = vs.statement.args[0]?.value === 'fwmark';
  const out: Correction[] = [];
  const lines = vs.lines;
  const haSuspend = named(lines, 'ha_suspend')[0];
  if ((fwmark || marks > 0) && haSuspend) out.push({ kind: 'fwmark-ha-suspend', line: haSuspend });
  const protocolLine = named(lines, 'protocol').at(-1);
  const persistence = named(lines, 'persistence_timeout');
  // pto_handler: no value means the default timeout; a valid one (1 or more) sets it.
  const persistent = persistence.some((l) => {
    const n = unsigned(word(l, 0));
    return n === UNKNOWN || l.statement.args.length === 0 || (n !== undefined && n > 0);
  });
  if ((!group && !fwmark) || addresses.length > 0) {
    // No protocol: the no-protocol rule says so; keepalived then uses UDP, with which ops is fine.
    const ops = named(lines, 'ops')[0];
    if (ops && vs.protocol && vs.protocol !== 'UDP')
      out.push({ kind: 'ops-not-udp', line: ops, protocol: vs.protocol });
    if (!group && port(vs.header, 1) === 0 && !persistent) out.push({ kind: 'zero-port' });
  }
  // A group's address entry without a port (check_data.c l.1130-1138).
  const portless = addresses.find((e) => e.port === 0);
  if (portless && !persistent) out.push({ kind: 'zero-port', entry: portless.line });
  if (protocolLine && vs.protocol && (fwmark || (addresses.length === 0 && marks > 0)))
    out.push({ kind: 'fwmark-protocol', line: protocolLine });
  if (vs.scheduler === null) out.push({ kind: 'no-scheduler' });
  // A group's server ports are compared with its entries' and only reported, not corrected.
  servers(vs, fwmark, !group ? 'service' : link.kind === 'linked' ? link.group : undefined, out);
  return out;
}

/** `ports`: whose ports the servers' are checked against: the service's, a linked group's, or none (unknown). */
function servers(
  vs: VirtualServer,
  fwmark: boolean,
  ports: 'service' | VsGroup | undefined,
  out: Correction[],
): void {
  const lines = vs.lines;
  // A server without a method of its own takes the one in force at its line, else the service's last
  // (check_data.c 2.2.7 l.1185-1192, l.1247-1252).
  const serviceMethod = method(lines, 'lvs_method', 'lb_kind');
  const atLine = methodsAtServers(lines);
  const serviceWeight = lastNumber(lines, 'weight', 1);
  const servicePort = fwmark ? 0 : port(vs.header, 1);
  const seen = new Map<string, PlacedStatement>();
  const sorry = sorryServerOf(lines);
  const sorryKey = sorry === UNKNOWN || !sorry ? undefined : serverKey(sorry.line)?.key;
  let weights: Known<number> = 0;
  for (const rs of vs.realServerLines) {
    const read = serverKey(rs.line);
    if (read === undefined) {
      weights = UNKNOWN;
      continue;
    }
    const { key, port: rsPort } = read;
    const first = seen.get(key);
    if (first) {
      out.push({ kind: 'duplicate-real-server', line: rs.line, first });
      continue;
    }
    seen.set(key, rs.line);
    // check_data.c 2.2.7 l.1233-1244: the sorry server takes the inhibit setting of a real server it is.
    if (key === sorryKey && sorry !== UNKNOWN && sorry) {
      const inhibit = inhibitOf(rs.lines, lines);
      if (inhibit !== UNKNOWN && inhibit.on !== (sorry.inhibit !== undefined))
        out.push({
          kind: 'sorry-inhibit',
          line: rs.line,
          sorry,
          inhibit: inhibit.on,
          from: inhibit.from,
          fromService: inhibit.fromService,
        });
    }
    const weight = lastNumber(rs.lines, 'weight', -1);
    if (weights !== UNKNOWN)
      weights =
        weight === UNKNOWN || (weight === -1 && serviceWeight === UNKNOWN)
          ? UNKNOWN
          : weights + (weight === -1 ? (serviceWeight as number) : weight);
    const effective = method(rs.lines, 'lvs_method') ?? atLine.get(rs.line) ?? serviceMethod ?? 'NAT';
    if (ports === 'service') portCorrection(rs.line, 'real', effective, rsPort, fwmark, servicePort, out);
    else if (ports) groupPorts(rs.line, 'real', effective, rsPort, ports, out);
  }
  if (sorry !== UNKNOWN && sorry && ports) {
    // ss_forwarding_handler (check_parser.c 2.2.7 l.644-653) sets the sorry server read so far.
    const own = method(lines.slice(lines.indexOf(sorry.line)), 'sorry_server_lvs_method');
    const effective = own ?? atLine.get(sorry.line) ?? serviceMethod ?? 'NAT';
    const sorryPort = port(sorry.line, 1);
    if (sorryPort !== UNKNOWN && ports === 'service')
      portCorrection(sorry.line, 'sorry', effective, sorryPort, fwmark, servicePort, out);
    else if (sorryPort !== UNKNOWN && ports !== 'service')
      groupPorts(sorry.line, 'sorry', effective, sorryPort, ports, out);
  }
  const quorumLine = named(lines, 'quorum').at(-1);
  let quorum = lastNumber(lines, 'quorum', 1, 1);
  if (quorum === UNKNOWN || weights === UNKNOWN) return;
  if (quorumLine && quorum > weights) {
    out.push({ kind: 'quorum-over-weight', line: quorumLine, quorum, weights });
    quorum = weights;
  }
  const hysteresisLine = named(lines, 'hysteresis').at(-1);
  const hysteresis = lastNumber(lines, 'hysteresis', 0);
  if (hysteresisLine && hysteresis !== UNKNOWN && hysteresis >= quorum)
    out.push({ kind: 'hysteresis-over-quorum', line: hysteresisLine, hysteresis, quorum });
}

/**
 * rs_iseq (ipwrapper.h 2.2.7 l.46-50): a real or sorry server is its address and port as written, before
 * validate_check_config corrects the ports (a missing port is 0). Undefined when not known here.
 */
function serverKey(line: PlacedStatement): { key: string; port: number } | undefined {
  const address = word(line, 0);
  const serverPort = port(line, 1);
  if (address === UNKNOWN || address === undefined || serverPort === UNKNOWN) return undefined;
  return { key: `${address.toLowerCase()} ${serverPort}`, port: serverPort };
}

/**
 * The sorry server keepalived keeps: alloc_ssvr (check_data.c 2.2.7 l.848-875) makes a new one at each
 * sorry_server line whose address and port it reads, not inhibited, and skips a line it cannot read;
 * sorry_server_inhibit (ssvri_handler, check_parser.c l.635-642) marks the one made so far.
 */
function sorryServerOf(lines: readonly PlacedStatement[]): Known<SorryServer | undefined> {
  let sorry: SorryServer | undefined;
  for (const l of named(lines, 'sorry_server', 'sorry_server_inhibit')) {
    if (l.spec?.name === 'sorry_server_inhibit') {
      if (sorry) sorry.inhibit = l;
      continue;
    }
    const address = word(l, 0);
    const sorryPort = word(l, 1);
    if (address === UNKNOWN || sorryPort === UNKNOWN) return UNKNOWN;
    if (address !== undefined && !badSocket(address, sorryPort)) sorry = { line: l };
  }
  return sorry;
}

/**
 * A real server's inhibit_on_failure once the configuration is read: its own last line that
 * rs_inhibit_handler (check_parser.c 2.2.7 l.835-849) takes (no value is true; true/on/yes or
 * false/off/no), else the virtual server's, which vs_inhibit_handler (l.740-744) sets whatever its value
 * (check_data.c l.1204-1205).
 */
function inhibitOf(
  rsLines: readonly PlacedStatement[],
  vsLines: readonly PlacedStatement[],
): Known<{ on: boolean; from?: PlacedStatement; fromService: boolean }> {
  let own: Known<{ on: boolean; from: PlacedStatement; fromService: false } | undefined>;
  for (const l of named(rsLines, 'inhibit_on_failure')) {
    const value = word(l, 0);
    if (value === UNKNOWN) own = UNKNOWN;
    else if (value === undefined || ['true', 'on', 'yes'].includes(value))
      own = { on: true, from: l, fromService: false };
    else if (['false', 'off', 'no'].includes(value)) own = { on: false, from: l, fromService: false };
  }
  if (own !== undefined) return own;
  const service = named(vsLines, 'inhibit_on_failure')[0];
  return { on: service !== undefined, from: service, fromService: service !== undefined };
}

/**
 * The lvs_method a virtual server has when each of its real_server and sorry_server lines is read:
 * alloc_rs and alloc_ssvr (check_data.c 2.2.7 l.599, l.860) copy it then, so a later lvs_method line does
 * not change them. Undefined: none yet.
 */
function methodsAtServers(
  lines: readonly PlacedStatement[],
): Map<PlacedStatement, Known<Method | undefined>> {
  const at = new Map<PlacedStatement, Known<Method | undefined>>();
  let current: Known<Method | undefined>;
  for (const l of named(lines, 'lvs_method', 'lb_kind', 'real_server', 'sorry_server')) {
    const name = l.spec?.name;
    if (name === 'real_server' || name === 'sorry_server') at.set(l, current);
    else current = method([l], 'lvs_method', 'lb_kind') ?? current;
  }
  return at;
}

/**
 * A group service's servers (check_data.c 2.2.7 l.1279-1303): unless by NAT, a port on a server of a group
 * with marks is ignored, and one that is not an address entry's port is reported for that entry. keepalived
 * changes nothing.
 */
function groupPorts(
  line: PlacedStatement,
  server: 'real' | 'sorry',
  effective: Known<Method | undefined>,
  serverPort: number,
  group: VsGroup,
  out: Correction[],
): void {
  if (effective === UNKNOWN || effective === 'NAT' || effective === undefined || serverPort === 0) return;
  if (group.entries.some((e) => e.kind === 'fwmark'))
    out.push({ kind: 'server-port', line, server, method: effective, port: serverPort, group: group.name });
  for (const e of group.entries)
    if (e.kind === 'address' && e.port !== serverPort)
      out.push({
        kind: 'server-port',
        line,
        server,
        method: effective,
        port: serverPort,
        group: group.name,
        entry: { line: e.line, port: e.port },
      });
}

/** Unless by NAT, a server's port must be the service's (by address) or none (fwmark). */
function portCorrection(
  line: PlacedStatement,
  server: 'real' | 'sorry',
  effective: Known<Method | undefined>,
  serverPort: number,
  fwmark: boolean,
  servicePort: Known<number>,
  out: Correction[],
): void {
  if (effective === UNKNOWN || effective === 'NAT' || effective === undefined || serverPort === 0) return;
  if (fwmark) out.push({ kind: 'server-port', line, server, method: effective, port: serverPort });
  else if (servicePort !== UNKNOWN && serverPort !== servicePort)
    out.push({ kind: 'server-port', line, server, method: effective, port: serverPort, servicePort });
}

/**
 * What ipwrapper.c link_vsg_to_vs() (2.2.7 l.1201-1262) does with a virtual server before
 * validate_check_config(): one whose group is missing or removed, or whose address family does not match
 * the group's, is dropped with a log line only (keepalived -t exits 0).
 */
export type GroupLink =
  /** Not a `virtual_server group` service. */
  | { kind: 'none' }
  /** Linked to its group. */
  | { kind: 'linked'; group: VsGroup }
  /** keepalived drops the virtual server, with a log line only. */
  | {
      kind: 'dropped';
      why: 'undefined' | 'removed' | 'mixed-family' | 'family';
      group?: VsGroup;
      family?: Family;
      /** The line that gave the service its family. */
      from?: PlacedStatement;
    }
  /** Not known here (an entry, an address or a method a template or an unknown parameter decides). */
  | { kind: 'unknown' };

/** linkOf() is asked by four checks; the objects are kept per model, so their answer is too. */
const links = new WeakMap<VirtualServer, GroupLink>();

export function linkOf(vs: VirtualServer, groups: readonly VsGroup[]): GroupLink {
  let link = links.get(vs);
  if (!link) links.set(vs, (link = readLink(vs, groups)));
  return link;
}

function readLink(vs: VirtualServer, groups: readonly VsGroup[]): GroupLink {
  const args = vs.header.statement.args;
  if (args[0]?.value !== 'group') return { kind: 'none' };
  const name = vs.header.expandedArgs[1];
  if (name === undefined || args[1]?.template !== undefined) return { kind: 'unknown' };
  // ipvs_get_group_by_name(): the first group of that name still there (vsg_handler frees a removed one).
  let group: VsGroup | undefined;
  let removed: VsGroup | undefined;
  for (const g of groups) {
    if (g.name !== name) continue;
    if (g.uncertain) return { kind: 'unknown' };
    if (!g.removed) {
      group = g;
      break;
    }
    removed ??= g;
  }
  if (!group)
    return removed
      ? { kind: 'dropped', why: 'removed', group: removed }
      : { kind: 'dropped', why: 'undefined' };
  const served = serviceFamily(vs);
  if (served === 'unknown') return { kind: 'unknown' };
  const family = served?.family;
  const have4 = group.entries.some((e) => e.family === 4);
  const have6 = group.entries.some((e) => e.family === 6);
  if (family !== undefined) {
    const from = served!.from;
    if (have4 && have6) return { kind: 'dropped', why: 'mixed-family', group, family, from };
    if ((have4 && family === 6) || (have6 && family === 4))
      return { kind: 'dropped', why: 'family', group, family, from };
  }
  return { kind: 'linked', group };
}

/**
 * The family check_parser.c gives a group's virtual server, with the line that gives it: `ip_family`, or
 * the first real server that is not tunnelled (rs_end_handler), else the sorry server if not tunnelled
 * (vs_end_handler); a tunnelled server may be of another family. A real or sorry server takes the
 * lvs_method the service has when its line is read (alloc_rs, alloc_ssvr copy it), unless it has its own
 * (a sorry_server_lvs_method before the sorry_server line is refused). A method or an address not known
 * here makes the answer unknown.
 */
function serviceFamily(vs: VirtualServer): { family: Family; from: PlacedStatement } | undefined | 'unknown' {
  const atLine = methodsAtServers(vs.lines);
  let sorry: { line: PlacedStatement; method: Known<Method | undefined> } | undefined;
  for (const l of vs.lines) {
    if (l.role !== 'keyword') continue;
    const name = l.spec?.name;
    if (name === 'sorry_server') sorry = { line: l, method: atLine.get(l) };
    else if (name === 'sorry_server_lvs_method' && sorry)
      sorry.method = method([l], 'sorry_server_lvs_method') ?? sorry.method;
    else if (name === 'ip_family') {
      const v = word(l, 0);
      if (v === UNKNOWN) return 'unknown';
      if (v === 'inet') return { family: 4, from: l };
      if (v === 'inet6') return { family: 6, from: l };
    } else if (name === 'real_server') {
      const rs = vs.realServerLines.find((r) => r.line === l);
      if (!rs) continue; // skipped by keepalived (an address or port it cannot read)
      const effective = method(rs.lines, 'lvs_method') ?? atLine.get(l);
      if (effective === UNKNOWN) return 'unknown';
      if (effective !== 'TUN') return withFamily(l);
    }
  }
  if (!sorry) return undefined;
  if (sorry.method === UNKNOWN) return 'unknown';
  return sorry.method === 'TUN' ? undefined : withFamily(sorry.line);
}

function withFamily(line: PlacedStatement): { family: Family; from: PlacedStatement } | 'unknown' {
  const family = addressFamily(line.expandedArgs[0]);
  return family === 'unknown' ? 'unknown' : { family, from: line };
}

function addressFamily(word: string | undefined): Family | 'unknown' {
  // The server lines here are those keepalived keeps (their addresses parse).
  return word === undefined ? 'unknown' : (sockaddrFamily(word) ?? 'unknown');
}
