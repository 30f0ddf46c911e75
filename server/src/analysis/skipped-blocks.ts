// Blocks keepalived reads past without looking inside. When the handler of a block's first line rejects
// it, keepalived calls skip_block() (lib/parser.c) and ignores every line up to the block's '}': a second
// `vrrp_instance X` ("vrrp instance X already defined"), a real or virtual server whose address or port
// it cannot read ("Invalid real server ip address/port ... - skipping"). The reader reads such a block as
// inactive, so nothing inside it is checked, as keepalived checks nothing there.
import type { KeywordSpec } from '../schema';
import { SYMBOL_KIND_NAMES, symbolKind } from '../schema/symbol-kinds';
import { isIP, sockaddrPart } from './primitives';

/**
 * Blocks whose name must be new: keepalived keeps the first one (vrrp_parser.c, vrrp_track.c), the kinds
 * with a `duplicateError` in schema/symbol-kinds.ts.
 */
const NAMED_ONCE: ReadonlySet<string> = new Set(
  SYMBOL_KIND_NAMES.flatMap((kind) =>
    symbolKind(kind).duplicateError === undefined ? [] : symbolKind(kind).definedBy,
  ),
);

/** Names seen so far, per block keyword, and the verdict on one block header. */
export class SkippedBlocks {
  private readonly names = new Map<string, Set<string>>();

  /** True when keepalived skips the block this header opens. Records the names it defines. */
  skips(spec: KeywordSpec, args: readonly (string | undefined)[]): boolean {
    if (spec.parent === '' && NAMED_ONCE.has(spec.path)) {
      const name = args[0];
      if (name === undefined || args.length !== 1) return false;
      let seen = this.names.get(spec.path);
      if (!seen) this.names.set(spec.path, (seen = new Set()));
      if (seen.has(name)) return true;
      seen.add(name);
      return false;
    }
    if (spec.path === 'virtual_server/real_server') return badSocket(args[0], args[1]);
    if (spec.path === 'virtual_server') {
      const [first, second] = args;
      if (first === 'group' || first === undefined) return false;
      if (first === 'fwmark') return second !== undefined && !/^\d+$/.test(second);
      return badSocket(first, second);
    }
    return false;
  }
}

/** inet_stosockaddr() (lib/utils.c) fails: a port that is not 1 to 65535 (all zeros means none), or an
 * address that is not one once anything from '-' or '/' on is cut off. Unknown values are not judged. */
export function badSocket(ip: string | undefined, port: string | undefined): boolean {
  if (ip === undefined) return false;
  return badPort(port) || !isIP(sockaddrPart(ip));
}

/** A port word inet_stosockaddr refuses: not all zeros (no port) and not 1 to 65535. */
export function badPort(port: string | undefined): boolean {
  if (port === undefined || /^0+$/.test(port)) return false;
  return !/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535;
}
