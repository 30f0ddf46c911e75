// What keepalived makes of a vrrp_instance's `vrf` lines (keepalived 2.2.5 to 2.4.3, on builds with VRF
// support such as Debian's). vrrp_vrf_handler (vrrp_parser.c 2.2.7 l.828-858) runs when the line is read:
// a name of IFNAMSIZ bytes or more, an instance that already has an interface (an earlier `interface` line
// keepalived took) or already has a VRF is refused with a message; otherwise the name is looked up like an
// interface (if_get_by_ifname(..., IF_CREATE_IF_DYNAMIC)), and the loopback device is refused after the
// lookup. Once the configuration is read, vrrp_complete_instance (vrrp.c 2.2.7 l.3051-3057) clears a VRF
// the instance kept when it has an interface after all (an `interface` line below the vrf line): "vrf can
// only be specified without interface - clearing". keepalived -t 2.2.7 printed each message and exited 5.
// Its other clearing, "with unicast", needs an instance without an interface that chk_min_cfg() lets
// through with unicast settings but no peer (2.2.8 or later): not modelled.
import { basename } from 'node:path';
import { IFNAMSIZ, LOOPBACK_INTERFACE } from '../schema/limits';
import { compareVersions } from '../schema/version';
import { blockName, firstArgValue, placedLines, readOnSomeNodes, type PlacedOf } from './placed-lines';
import { tooLongForIfName } from './primitives';
import { STORED_SETTINGS } from './stored-settings';
import type { ReadLine } from './reading-order';
import type { ConfigModel, PlacedStatement } from './types';

const INTERFACE = STORED_SETTINGS['vrrp_instance/interface']!;

/** The first release with `vrf` in vrrp_instance. */
export const VRF_SINCE = '2.2.5';
/** The first release whose chk_min_cfg() lets a unicast instance go without an interface. */
const WITHOUT_INTERFACE_SINCE = '2.2.8';

export interface VrfLine {
  path: string;
  placed: PlacedStatement;
  /** The instance's name, as keepalived prints it. */
  instance: string;
  /** The VRF name as keepalived reads it. */
  name: string;
  /** keepalived looks the name up as an interface (and reports it when it does not exist). */
  lookedUp: boolean;
  /** keepalived refuses or clears the line: its message, what the instance has instead, what to do. */
  refused?: { says: string; because: string; fix: string };
}

interface InstanceState {
  /** The interface the instance has so far, and the line that gave it. */
  interfaceLine?: { name: string; path: string; line: number };
  /** The vrf line keepalived keeps so far. */
  kept?: VrfLine;
}

/** "line 4", or "line 4 of other.conf" when the line is in another file than the finding. */
function lineIn(at: { path: string; line: number }, from: string): string {
  return at.path === from ? `line ${at.line}` : `line ${at.line} of ${basename(at.path)}`;
}

/** Every vrf line of a vrrp_instance and what keepalived does with it, in reading order. */
export function vrfLines(
  model: ConfigModel,
  order: readonly ReadLine[],
  placedOf: PlacedOf = placedLines(model),
): VrfLine[] {
  const version = model.options.keepalivedVersion;
  // Before 2.2.5 `vrf` is not a keyword (unsupported-keyword says so): no handler runs.
  if (version !== undefined && compareVersions(version, VRF_SINCE) < 0) return [];
  const both =
    version !== undefined && compareVersions(version, WITHOUT_INTERFACE_SINCE) < 0
      ? `Remove the vrf line: before ${WITHOUT_INTERFACE_SINCE} an instance needs its interface (without one keepalived stops with "Unknown interface!").`
      : 'Keep one of the two: vrf is for an instance without an interface, with unicast peers.';
  const out: VrfLine[] = [];
  const states = new Map<PlacedStatement, InstanceState>();
  /** Instances whose reading is not known here: a line read on some nodes only, or a value not known. */
  const doubtful = new Set<PlacedStatement>();
  const uncertain = (p: PlacedStatement): boolean => readOnSomeNodes(p, model.options.configId);
  // Most configurations have no vrf line: their interface lines need no second reading.
  const withVrf = new Set<PlacedStatement | undefined>();
  for (const { placed: p } of order)
    if (!p.inactive && p.role === 'keyword' && p.spec?.path === 'vrrp_instance/vrf')
      withVrf.add(placedOf(p.parent));
  if (withVrf.size === 0) return out;
  for (const { path, placed: p } of order) {
    if (p.inactive || p.role !== 'keyword') continue;
    const keyword = p.spec?.path;
    if (keyword !== 'vrrp_instance/interface' && keyword !== 'vrrp_instance/vrf') continue;
    const instance = placedOf(p.parent);
    if (!instance || !withVrf.has(instance) || doubtful.has(instance)) continue;
    // A `$` left in the value is a parameter not known here.
    const value = firstArgValue(p);
    if (value === undefined || value.includes('$') || uncertain(p) || uncertain(instance)) {
      doubtful.add(instance);
      continue;
    }
    let state = states.get(instance);
    if (!state) states.set(instance, (state = {}));
    if (keyword === 'vrrp_instance/interface') {
      // vrrp_int_handler, as the instance view folds it: a name too long keeps the interface before, the
      // loopback device clears it, another name replaces it.
      const before = state.interfaceLine;
      const step = INTERFACE.next(value, before?.name, p.spec!);
      state.interfaceLine =
        step.value === undefined
          ? undefined
          : step.keeps
            ? before
            : {
                name: step.value,
                path,
                line: model.files.get(path)!.lines.positionAt(p.statement.keyword.start).line + 1,
              };
      continue;
    }
    const tooLong = tooLongForIfName(value);
    const name = blockName(instance);
    const line: VrfLine = { path, placed: p, instance: name, name: value, lookedUp: false };
    out.push(line);
    if (tooLong)
      line.refused = {
        says: `(${name}) VRF interface name '${value}' too long - ignoring`,
        because: `Linux interface names have at most ${IFNAMSIZ - 1} characters`,
        fix: "Name the VRF device (its name in 'ip link show type vrf').",
      };
    else if (state.interfaceLine)
      line.refused = {
        says: `(${name}) Cannot specify VRF interface and interface - ignoring`,
        because: `${name} already has interface ${state.interfaceLine.name} (${lineIn(state.interfaceLine, path)}), and its VRRP socket is bound to that interface`,
        fix: both,
      };
    else if (state.kept)
      line.refused = {
        says: `(${name}) VRF interface already specified as '${state.kept.name}' - ignoring`,
        because: `keepalived keeps VRF ${state.kept.name} from the line before`,
        fix: 'Keep one vrf line.',
      };
    else {
      line.lookedUp = true;
      if (value === LOOPBACK_INTERFACE)
        line.refused = {
          says: `(${name}) cannot use a loopback interface (${value}) for VRF - ignoring`,
          because: `${name} keeps no VRF from this line (a later vrf line may still give it one)`,
          fix: "Name the VRF device (its name in 'ip link show type vrf').",
        };
      else state.kept = line;
    }
  }
  // vrrp_complete_instance: a VRF kept by an instance that has an interface after all is cleared.
  for (const [instance, state] of states) {
    if (doubtful.has(instance) || !state.kept || !state.interfaceLine) continue;
    const { name } = state.interfaceLine;
    state.kept.refused = {
      says: `(${state.kept.instance}) vrf can only be specified without interface - clearing`,
      because: `${state.kept.instance} also has interface ${name} (${lineIn(state.interfaceLine, state.kept.path)}), so once the configuration is read keepalived drops the VRF and binds the instance's VRRP socket to ${name}`,
      fix: both,
    };
  }
  return out;
}
