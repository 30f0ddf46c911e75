// What keepalived's checker corrects in a virtual_server once the whole configuration is read, and says so
// (check/check_data.c validate_check_config(), 2.2.7 l.1075-1345): each correction is reported as a
// configuration error (keepalived -t exits 5), and keepalived runs on with what it changed. Only what the
// lines say for certain is judged: a value that depends on a template or an unknown parameter, or a
// `virtual_server group` service, is left alone.
import type { PlacedStatement } from './types';
import type { VirtualServer } from './objects';

/** IP_VS_CONN_F_MASQ, DROUTE, TUNNEL: the words svr_forwarding_handler takes (strcmp, so upper case). */
type Method = 'NAT' | 'DR' | 'TUN';

/** What validate_check_config corrects in one virtual_server, each with the line to show it on. */
export type Correction =
  | { kind: 'no-scheduler' }
  | { kind: 'ops-not-udp'; line: PlacedStatement; protocol: string }
  | { kind: 'zero-port' }
  | { kind: 'fwmark-protocol'; line: PlacedStatement }
  | { kind: 'fwmark-ha-suspend'; line: PlacedStatement }
  | { kind: 'duplicate-real-server'; line: PlacedStatement; first: PlacedStatement }
  | { kind: 'quorum-over-weight'; line: PlacedStatement; quorum: number; weights: number }
  | { kind: 'hysteresis-over-quorum'; line: PlacedStatement; hysteresis: number; quorum: number }
  | {
      kind: 'server-port';
      line: PlacedStatement;
      server: 'real' | 'sorry';
      method: Method;
      port: number;
      /** The virtual server's port it is reset to; undefined for a fwmark service (the port is cleared). */
      servicePort?: number;
    };

/** IPVS_SVC_PERSISTENT_TIMEOUT (libipvs.h): what a zero-port service is given. */
export const DEFAULT_PERSISTENCE_SECONDS = 6 * 60;
/** IPVS_DEF_SCHED (ipvswrapper.h): the scheduler a virtual_server without one gets. */
export const DEFAULT_SCHEDULER = 'wlc';

const UNKNOWN = Symbol('unknown');
type Known<T> = T | typeof UNKNOWN;

function named(lines: PlacedStatement[], ...names: string[]): PlacedStatement[] {
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
  lines: PlacedStatement[],
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

function method(lines: PlacedStatement[], ...names: string[]): Known<Method | undefined> {
  let found: Known<Method | undefined>;
  for (const l of named(lines, ...names)) {
    const m = word(l, 0);
    if (m === UNKNOWN) found = UNKNOWN;
    else if (m === 'NAT' || m === 'DR' || m === 'TUN') found = m;
  }
  return found;
}

/** The corrections keepalived makes to `vs`, in the order validate_check_config makes them. */
export function correctionsOf(vs: VirtualServer): Correction[] {
  const form = vs.statement.args[0]?.value;
  // keepalived frees a virtual_server without real servers first ("has no real servers - ignoring").
  // A group's service depends on its virtual_server_group's entries (their families, marks and ports),
  // which are not modelled here: it is not judged (keepalived can drop one without a word).
  if (vs.realServers === 0 || form === 'group') return [];
  const fwmark = form === 'fwmark';
  const out: Correction[] = [];
  const lines = vs.lines;
  const haSuspend = named(lines, 'ha_suspend')[0];
  if (fwmark && haSuspend) out.push({ kind: 'fwmark-ha-suspend', line: haSuspend });
  const protocolLine = named(lines, 'protocol').at(-1);
  if (!fwmark) {
    // No protocol: the no-protocol rule says so; keepalived then uses UDP, with which ops is fine.
    const ops = named(lines, 'ops')[0];
    if (ops && vs.protocol && vs.protocol !== 'UDP')
      out.push({ kind: 'ops-not-udp', line: ops, protocol: vs.protocol });
    const persistence = named(lines, 'persistence_timeout');
    // pto_handler: no value means the default timeout; a valid one (1 or more) sets it.
    const persistent = persistence.some((l) => {
      const n = unsigned(word(l, 0));
      return n === UNKNOWN || l.statement.args.length === 0 || (n !== undefined && n > 0);
    });
    if (port(vs.header, 1) === 0 && !persistent) out.push({ kind: 'zero-port' });
  } else if (protocolLine && vs.protocol) out.push({ kind: 'fwmark-protocol', line: protocolLine });
  if (vs.scheduler === null) out.push({ kind: 'no-scheduler' });
  servers(vs, fwmark, out);
  return out;
}

function servers(vs: VirtualServer, fwmark: boolean, out: Correction[]): void {
  const lines = vs.lines;
  const serviceMethod = method(lines, 'lvs_method', 'lb_kind');
  const serviceWeight = lastNumber(lines, 'weight', 1);
  const servicePort = fwmark ? 0 : port(vs.header, 1);
  const seen = new Map<string, PlacedStatement>();
  let weights: Known<number> = 0;
  for (const rs of vs.realServerLines) {
    const address = word(rs.line, 0);
    const rsPort = port(rs.line, 1);
    if (address === UNKNOWN || address === undefined || rsPort === UNKNOWN) {
      weights = UNKNOWN;
      continue;
    }
    // rs_iseq: the address and port as written (before the ports are corrected below).
    const key = `${address.toLowerCase()} ${rsPort}`;
    const first = seen.get(key);
    if (first) {
      out.push({ kind: 'duplicate-real-server', line: rs.line, first });
      continue;
    }
    seen.set(key, rs.line);
    const weight = lastNumber(rs.lines, 'weight', -1);
    if (weights !== UNKNOWN)
      weights =
        weight === UNKNOWN || (weight === -1 && serviceWeight === UNKNOWN)
          ? UNKNOWN
          : weights + (weight === -1 ? (serviceWeight as number) : weight);
    const own = method(rs.lines, 'lvs_method');
    const effective = own ?? serviceMethod ?? 'NAT';
    portCorrection(rs.line, 'real', effective, rsPort, fwmark, servicePort, out);
  }
  const sorry = named(lines, 'sorry_server').at(-1);
  if (sorry) {
    const effective = method(lines, 'sorry_server_lvs_method') ?? serviceMethod ?? 'NAT';
    const sorryPort = port(sorry, 1);
    if (sorryPort !== UNKNOWN) portCorrection(sorry, 'sorry', effective, sorryPort, fwmark, servicePort, out);
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
