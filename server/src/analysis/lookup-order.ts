// Names keepalived looks up as it reads the line that names them. Its handlers find a tracked object in
// the lists built so far, so an object defined further down (in keepalived's reading order: includes
// read where they are) is not found when the line naming it is read, although it exists by the end:
//   - alloc_track_script, alloc_track_process, alloc_track_bfd (vrrp_track.c 2.2.7 l.201-217, l.320-339,
//     l.468-484) and vrrp_alloc_track_file (trackers/track_file.c l.114-130), for the track blocks of a
//     vrrp_instance and of a vrrp_sync_group (vrrp_data.c l.1033-1110): "(VI_1) track script chk not
//     found, ignoring...";
//   - a FILE_CHECK's track_file (check_file.c l.53-70: "track_file TF not found") and a BFD_CHECK's name
//     (check_bfd.c l.167-170: "BFD_CHECK - BFD bfd1 not configured");
//   - a static address's, route's or rule's track_group (vrrp_ipaddress.c l.637-648, vrrp_iproute.c
//     l.1808-1815, vrrp_iprule.c l.760: "track_group TG not found").
// Names keepalived resolves once the whole configuration is read (sync group members, a virtual_server's
// group) are not among them. The 2.2.7 daemon confirms the order for track_file (a `vrrp_track_file`
// after the instance naming it: "track file TF_1 not found, ignoring..."); `keepalived -t` of that version
// crashed (SIGSEGV) on some such configurations and found a later track_file in others, so for track
// files the daemon is the oracle.
import type { ConfigModel } from './model';
import type { SymbolKind } from '../schema/symbol-kinds';
import type { SymbolDefinition, SymbolReference } from './types';

/** The kinds whose objects must be defined before the line that names them. */
const LOOKED_UP_WHEN_READ: ReadonlySet<SymbolKind> = new Set<SymbolKind>([
  'vrrp_script',
  'track_file',
  'vrrp_track_process',
  'bfd_instance',
  'track_group',
]);

/** The blocks whose lines take a track_group (vrrp_ipaddress.c l.637: `static_addr`). */
const STATIC_BLOCKS: ReadonlySet<string> = new Set(['static_ipaddress', 'static_routes', 'static_rules']);

/**
 * The first definition of the object a line names at reading position `seq`, when the object is only
 * defined after it: keepalived then does not find it there. Undefined when a definition is read before, when
 * there is none (undefined-reference), or when a reading position is not known.
 */
export function definedOnlyAfter(
  model: ConfigModel,
  kind: SymbolKind,
  name: string,
  seq: number | undefined,
): SymbolDefinition | undefined {
  if (seq === undefined || !LOOKED_UP_WHEN_READ.has(kind)) return undefined;
  let first: SymbolDefinition | undefined;
  for (const d of model.symbols.definitionsOf(kind, name)) {
    const at = d.placed?.seq;
    if (at === undefined || at < seq) return undefined;
    if (!first || at < first.placed!.seq!) first = d;
  }
  return first;
}

/** definedOnlyAfter for a reference of the symbol index (a template pattern names no one object). */
export function referencedTooEarly(model: ConfigModel, ref: SymbolReference): SymbolDefinition | undefined {
  if (ref.pattern) return undefined;
  // Only a static address, route or rule looks its track_group up (a VIP's is an unknown option there).
  if (ref.kind === 'track_group' && !STATIC_BLOCKS.has(ref.placed?.owner?.name ?? '')) return undefined;
  return definedOnlyAfter(model, ref.kind, ref.name, ref.placed?.seq);
}
