// virtual_server_group blocks as keepalived's checker reads them (2.2.7): check_data.c alloc_vsg_entry()
// reads each entry, check_parser.c vsg_end_handler() removes a group with no entries or with IPv4, IPv6 and
// a fwmark without family. What it then does with a `virtual_server group NAME` is lvs-setup.ts linkOf().
// An entry a template or an unknown parameter decides makes the group's verdicts unknown.
import type { Span, Statement } from '../syntax/ast';
import { isIPv4, sockaddrFamily, sockaddrPart } from './primitives';
import { badSocket } from './skipped-blocks';
import type { PlacedStatement } from './types';

export type Family = 4 | 6;

export interface VsGroupEntry {
  line: PlacedStatement;
  kind: 'address' | 'fwmark';
  /** The address's family, or a fwmark's `inet` / `inet6`; undefined for a fwmark without one. */
  family?: Family;
  /** An address entry's port (0 when none or all zeros). */
  port: number;
}

export interface VsGroup {
  file: string;
  statement: Statement;
  /** The group's name word. */
  span: Span;
  name: string;
  /** The entries keepalived keeps, in order. */
  entries: VsGroupEntry[];
  /** Some line's entry is not known here (a template, an unknown parameter): no verdict on the group. */
  uncertain: boolean;
  /** Why vsg_end_handler() removes the group, if it does. */
  removed?: 'empty' | 'mixed';
  /** The group's closing brace, where keepalived reports what its end handler decides. */
  closing: { start: number; end: number };
}

/** Reads a virtual_server_group block's lines as alloc_vsg_entry() does. */
export function readVsGroup(
  file: string,
  placed: PlacedStatement,
  children: readonly PlacedStatement[],
): VsGroup {
  const s = placed.statement;
  const entries: VsGroupEntry[] = [];
  let uncertain = false;
  for (const c of children) {
    if (c.role !== 'value-line') continue;
    const entry = readEntry(c);
    if (entry === UNKNOWN) uncertain = true;
    else if (entry) entries.push(entry);
  }
  const have4 = entries.some((e) => e.family === 4);
  const have6 = entries.some((e) => e.family === 6);
  const fwmarkNoFamily = entries.some((e) => e.kind === 'fwmark' && e.family === undefined);
  const removed = uncertain
    ? undefined
    : entries.length === 0
      ? 'empty'
      : have4 && have6 && fwmarkNoFamily
        ? 'mixed'
        : undefined;
  return {
    file,
    statement: s,
    span: { start: s.args[0]?.start ?? s.keyword.start, end: s.args[0]?.end ?? s.keyword.end },
    name: placed.expandedArgs[0] ?? s.args[0]?.value ?? '',
    entries,
    uncertain,
    ...(removed ? { removed } : {}),
    closing: { start: s.end - 1, end: s.end },
  };
}

export const UNKNOWN = Symbol('unknown');

/** One entry, or undefined when keepalived skips the line, or UNKNOWN when it cannot be known here. */
function readEntry(c: PlacedStatement): VsGroupEntry | undefined | typeof UNKNOWN {
  const s = c.statement;
  const first =
    s.keyword.template === undefined && !s.keyword.value.includes('$') ? s.keyword.value : undefined;
  const word = (i: number): string | undefined | typeof UNKNOWN => {
    const written = s.args[i];
    if (!written) return undefined;
    const value = c.expandedArgs[i];
    return written.template !== undefined || value === undefined ? UNKNOWN : value;
  };
  if (first === undefined) return UNKNOWN;
  if (first === 'fwmark') {
    const mark = word(0);
    const family = word(1);
    if (mark === UNKNOWN || family === UNKNOWN) return UNKNOWN;
    if (mark === undefined || !/^\d{1,10}$/.test(mark) || Number(mark) > 0xffffffff) return undefined;
    if (family === undefined) return { line: c, kind: 'fwmark', port: 0 };
    if (family === 'inet') return { line: c, kind: 'fwmark', family: 4, port: 0 };
    if (family === 'inet6') return { line: c, kind: 'fwmark', family: 6, port: 0 };
    return undefined; // "family %s unknown - ignoring"
  }
  const port = word(0);
  if (port === UNKNOWN) return UNKNOWN;
  // A bad address, port, mask or range is reported and skipped; the linter's value checks say which.
  if (badSocket(first, port)) return undefined;
  const range = vsgRangeProblem(first);
  if (range === UNKNOWN) return UNKNOWN;
  if (range !== undefined) return undefined;
  return {
    line: c,
    kind: 'address',
    family: sockaddrFamily(first)!,
    port: port === undefined ? 0 : Number(port),
  };
}

/** An IPv4 address as a number (isIPv4 holds). */
function ipv4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/**
 * What alloc_vsg_entry() (check_data.c 2.2.7) says of an entry's `/MASK` or `-END` part, as keepalived -t
 * reads it: its message when it skips the entry, undefined when it keeps it. An IPv6 mask or range, and a
 * short range with extra characters (which keepalived -t skips and the daemon keeps, lib/utils.c
 * inet_stor()), are UNKNOWN here.
 */
export function vsgRangeProblem(word: string): string | undefined | typeof UNKNOWN {
  const address = sockaddrPart(word);
  if (address === word) return undefined;
  if (!isIPv4(address)) return UNKNOWN;
  // A '/' anywhere makes it a subnet (strchr), whatever comes between.
  const slash = word.indexOf('/');
  if (slash >= 0) {
    const mask = word.slice(slash + 1);
    if (!/^\d+$/.test(mask) || Number(mask) === 0 || Number(mask) > 32)
      return `Invalid netmask - ${word} - skipping`;
    const hosts = 2 ** (32 - Number(mask));
    return ipv4Number(address) % hosts === 0 ? undefined : `Address mask bits not empty - ${word} - skipping`;
  }
  const end = word.slice(address.length + 1);
  if (end.includes('.')) {
    const last = sockaddrPart(end);
    if (!isIPv4(last)) return `Invalid range end ${word} - skipping`;
    return ipv4Number(last) < ipv4Number(address)
      ? `Address range end is less than address range start - ${word} - skipping`
      : undefined;
  }
  if (!/^\d+$/.test(end)) return UNKNOWN;
  if (Number(end) > 255) return `Virtual server group range '${word}' end '${end}' too large`;
  return Number(address.split('.')[3]) >= Number(end)
    ? `Address range end is not greater than address range start - ${word} - skipping`
    : undefined;
}
