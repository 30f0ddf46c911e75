// virtual_server_group blocks as keepalived's checker reads them (2.2.7): check_data.c alloc_vsg_entry()
// reads each entry, check_parser.c vsg_end_handler() removes a group with no entries or with IPv4, IPv6 and
// a fwmark without family. What it then does with a `virtual_server group NAME` is lvs-setup.ts linkOf().
// An entry a template or an unknown parameter decides makes the group's verdicts unknown.
import type { Span, Statement } from '../syntax/ast';
import { isIP, sockaddrPart } from './primitives';
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

const UNKNOWN = Symbol('unknown');

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
  const address = sockaddrPart(first);
  // A bad address, port, mask or range is reported and skipped; the linter's value checks say which.
  if (!isIP(address)) return undefined;
  if (port !== undefined && !/^0+$/.test(port) && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535))
    return undefined;
  return {
    line: c,
    kind: 'address',
    family: address.includes(':') ? 6 : 4,
    port: port === undefined ? 0 : Number(port),
  };
}
