// virtual_server_group blocks as keepalived's checker reads them (2.2.7): check_data.c alloc_vsg_entry()
// reads each entry, check_parser.c vsg_end_handler() removes a group with no entries or with IPv4, IPv6 and
// a fwmark without family. What it then does with a `virtual_server group NAME` is lvs-setup.ts linkOf().
// An entry a template or an unknown parameter decides makes the group's verdicts unknown.
import type { Span, Statement } from '../syntax/ast';
import { isIPv4, isIPv6, sockaddrPart } from './primitives';
import { badPort } from './skipped-blocks';
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
  if (badPort(port)) return undefined;
  const problem = vsgEntryProblem(first, port);
  // What keepalived -t leaves out the daemon keeps: no verdict on the group.
  if (problem?.daemonKeeps) return UNKNOWN;
  if (problem) return undefined;
  return {
    line: c,
    kind: 'address',
    family: readAddress(first)!.family,
    port: port === undefined ? 0 : Number(port),
  };
}

/** An IPv4 address as a number (isIPv4 holds). */
function ipv4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** An IPv6 address as its eight 16-bit groups (isIPv6 holds, no zone). */
function ipv6Groups(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groupsOf = (text: string): number[] =>
    text === ''
      ? []
      : text.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const n = ipv4Number(g);
          return [Math.floor(n / 65536), n % 65536];
        });
  const front = groupsOf(head);
  if (tail === undefined) return front;
  const back = groupsOf(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** An address of either family as numbers to compare: one for IPv4, eight groups for IPv6. */
interface Address {
  family: Family;
  parts: number[];
}

/**
 * inet_stosockaddr (lib/utils.c 2.2.7 l.538-583) without the port: the family is IPv6 when the text has
 * a ':' anywhere, and inet_pton must take the address part (no zone, as inet_pton has none).
 */
function readAddress(word: string): Address | undefined {
  const family: Family = word.includes(':') ? 6 : 4;
  const address = sockaddrPart(word);
  if (family === 4) return isIPv4(address) ? { family, parts: [ipv4Number(address)] } : undefined;
  return isIPv6(address) && !address.includes('%') ? { family, parts: ipv6Groups(address) } : undefined;
}

/**
 * strtoul() of a whole word in `base`: the number it reads (Infinity when out of range, as ERANGE and a
 * negative value both are past any limit here) and the characters after it.
 */
function strtoul(text: string, base: 10 | 16): { value: number; rest: string } {
  const digits = base === 16 ? '[0-9A-Fa-f]' : '[0-9]';
  const m = new RegExp(`^([+-]?)(${base === 16 ? `(?:0[xX](?=${digits}))?` : ''})(${digits}+)`).exec(text);
  if (!m) return { value: 0, rest: text };
  const value = parseInt(m[3]!, base);
  return {
    value: m[1] === '-' && value !== 0 ? Infinity : value,
    rest: text.slice(m[0].length),
  };
}

/** keepalived's message for an address entry it leaves out of the group. */
export interface VsgEntryProblem {
  message: string;
  /**
   * keepalived -t leaves the entry out, but the daemon only warns ("WARNING - ...") and reads the range up
   * to the extra characters (lib/utils.c 2.2.7 inet_stor l.470-490).
   */
  daemonKeeps?: boolean;
}

/**
 * What alloc_vsg_entry() (check_data.c 2.2.7 l.246-385) says of an address entry `word` (with its port
 * word, for the message): why it leaves the entry out, or undefined when it keeps it. The port itself is
 * checked as a port.
 */
export function vsgEntryProblem(word: string, port?: string): VsgEntryProblem | undefined {
  const skipping = (message: string) => ({ message: `${message} - ${word} - skipping` });
  const start = readAddress(word);
  if (!start) {
    const shown = port !== undefined && !/^0+$/.test(port) ? `/port/${port}` : '';
    return { message: `Invalid virtual server group IP address ${word} ${shown} - skipping` };
  }
  const v4 = start.family === 4;
  const slash = word.indexOf('/');
  if (slash >= 0) {
    // l.270-313: a subnet; its host bits must be zero.
    const { value: mask, rest } = strtoul(word.slice(slash + 1), 10);
    if (rest !== '' || mask === 0 || mask > (v4 ? 32 : 128)) return skipping('Invalid netmask');
    const hostBits = (v4 ? 32 : 128) - mask;
    const bad = v4
      ? start.parts[0]! % 2 ** hostBits !== 0
      : start.parts.some((g, i) => g % 2 ** Math.min(16, Math.max(0, hostBits - 16 * (7 - i))) !== 0);
    return bad ? skipping('Address mask bits not empty') : undefined;
  }
  const dash = word.indexOf('-');
  if (dash < 0) return undefined;
  const end = word.slice(dash + 1);
  if (end.includes(v4 ? '.' : ':')) {
    // l.315-351: a range to a whole address, which may equal the start.
    const last = readAddress(end);
    if (!last) return { message: `Invalid range end ${word} - skipping` };
    const i = start.parts.findIndex((g, j) => g !== last.parts[j]);
    return i >= 0 && last.parts[i]! < start.parts[i]!
      ? skipping('Address range end is less than address range start')
      : undefined;
  }
  // l.352-377 and inet_stor: a short range, the last byte (decimal) or group (hex) it ends at.
  const { value: range, rest } = strtoul(end, v4 ? 10 : 16);
  if (rest !== '')
    return {
      message: `Virtual server group range '${word}' has extra characters at end '${rest}'`,
      daemonKeeps: true,
    };
  if (range > (v4 ? 255 : 0xffff))
    return { message: `Virtual server group range '${word}' end '${end}' too large` };
  const first = v4 ? start.parts[0]! % 256 : start.parts[7]!;
  return first >= range ? skipping('Address range end is not greater than address range start') : undefined;
}
