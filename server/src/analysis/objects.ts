// Typed views of the main configuration objects (VRRP instances, sync groups, virtual servers), extracted
// once from a model per `@id` variant. Checks, editor features and the cluster analysis query these
// instead of walking statements themselves. Only lines active for the variant are read: a `@a` line is
// not part of node b's configuration, wherever it sits.
import type { Span, Statement, Word } from '../syntax/ast';
import { conditionHolds, mutuallyExclusive } from './conditions';
import type { PlacedStatement } from './document';
import type { ConfigModel } from './model';
import { readTrackLine, TRACK_BLOCKS, TRACKED_SYMBOL_KIND, type TrackKind } from './track-lines';
import { definedOnlyAfter } from './lookup-order';
import { exclusiveBranches } from '../syntax/templates';
import { isIP, sockaddrFamily, sockaddrPart, vipFamily } from './primitives';
import {
  booleanValue,
  schedulerFlag,
  virtualServerByAddress,
  type SchedulerFlagName,
} from '../schema/vocabulary';
import { firstArgValue } from './placed-lines';
import { STORED_SETTINGS, storedValue } from './stored-settings';
import { badSocket } from './skipped-blocks';
import { readVsGroup, type VsGroup } from './vs-groups';

export interface Located {
  file: string;
  statement: Statement;
  /** The name or value word, for ranges. */
  span: Span;
}

/** A `track_*` entry of an instance or sync group, as written on its line. */
export interface TrackEntry extends Located {
  kind: TrackKind;
  name: string;
  /** `weight N` on the line; undefined when the line has none (the tracked object's own weight applies). */
  weight?: number;
  /** `reverse` / `noreverse` on the line; undefined when the line says neither. */
  reverse?: boolean;
}

export type { TrackKind };

export interface VrrpInstance extends Located {
  name: string;
  state?: string;
  interface?: string;
  /**
   * The interface keepalived keeps is not known here (template text, an unknown parameter, a line without a
   * value, alternatives per node): `interface` is then undefined but the instance may well have one.
   */
  interfaceUnknown?: true;
  vrid?: number;
  priority?: number;
  nopreempt?: Located;
  /** VIPs keepalived may keep (a line parse_ipaddress refuses is left out, template text is kept), the address part before any prefix, with their lines. */
  vips: (Located & { address: string; conditions: Word[] })[];
  /**
   * Active lines of the virtual_ipaddress blocks that keepalived may keep: an address (vrrp_ipaddress.c
   * parse_ipaddress() drops any other line, "VRRP parsed invalid IP"), or a word not known here (a
   * template expression, an unknown `$PARAM`).
   */
  vipLinesKept: number;
  /** The same for the unicast_peer blocks: the peers keepalived may keep (an address, or unknown here). */
  unicastPeerLinesKept: number;
  /** The active lines of the block as keepalived reads them (`$PARAM` expansions and includes placed). */
  children: readonly PlacedStatement[];
  /** Entries of track_script { ... } with their weights. */
  trackScripts: (Located & { name: string; weight?: number })[];
  /** Every track_script / track_interface / track_file / track_process / track_bfd entry. */
  tracks: TrackEntry[];
  /** `advert_int` in seconds, as keepalived reads it (fractions allowed). */
  advertInt?: number;
  version?: number;
  /**
   * The address family keepalived gives the instance: the first line that has one decides (native_ipv6;
   * unicast_src_ip, mcast_src_ip, mcast_dst_ip; the first address of a virtual_ipaddress or unicast_peer
   * block); undefined when none does or a value is not known here.
   */
  family?: 4 | 6;
  authType?: string;
  authPass?: string;
  /** Some auth_pass line is written, whatever its value (a template expression counts). */
  authPassWritten: boolean;
  unicastSrc?: Located & { address: string };
  unicastPeers: (Located & { address: string })[];
  /** The `unicast_peer` block line, when there is one. */
  unicastPeerBlock?: Located;
  /** `strict_mode [on|off]` of the instance (vrrp_parser.c vrrp_strict_mode_handler); undefined = global vrrp_strict. */
  strictMode?: boolean;
  /** The `accept` or `no_accept` line, with which it is. */
  accept?: Located & { on: boolean };
  /** The `auth_type` line, for ranges. */
  authTypeLine?: Located;
  /** `preempt_delay` in seconds. */
  preemptDelay?: number;
  /** The `state` line, for ranges. */
  stateLine?: Located;
  /** The `priority` line, for ranges (inlay hints, findings). */
  priorityLine?: Located;
  /** The first active line of each keyword of the block, for ranges (`virtual_router_id`, `advert_int`, ...). */
  lines: Map<string, Located>;
  /** Lines of one-value settings that keepalived overrides or refuses (stored-settings.ts), with why. */
  /** `remedy`: what to do, when not "keep one line" (the line alone has no effect). */
  overridden: (Located & { keyword: string; why: string; remedy?: string })[];
  condition?: Word;
}

export interface SyncGroup extends Located {
  name: string;
  members: (Located & { name: string })[];
  tracks: TrackEntry[];
  /** `sync_group_tracking_weight`: members keep their weighted tracking. */
  trackingWeight: boolean;
}

/** global_defs settings the election depends on. */
export interface Globals {
  strict: boolean;
  vrrpVersion?: number;
}

export interface VirtualServer extends Located {
  /** `IP PORT`, `fwmark N` or `group NAME`, as one key. */
  key: string;
  /** The protocol as keepalived stores it (TCP, UDP, SCTP); undefined when no line sets a known one. */
  protocol?: string;
  /** A `protocol` line is written, whatever its value (a template expression or `$PARAM` counts). */
  protocolWritten: boolean;
  /** Defined by address and port (not `fwmark N` or `group NAME`): keepalived then needs a protocol. */
  byAddress: boolean;
  /** No lvs_method here while a real or sorry server has none of its own: keepalived then uses NAT. */
  methodDefaulted: boolean;
  /** The real_server lines read (a sorry_server is not one). */
  realServers: number;
  /** Its scheduler flag lines (`sh-port`, `hashed`, ...) in reading order. */
  schedulerFlags: SchedulerFlagLine[];
  /** The lvs_sched keepalived has stored once the block is read: null none, undefined not known here. */
  scheduler: string | null | undefined;
  /** Its header line (`virtual_server IP PORT {`). */
  header: PlacedStatement;
  /** Its lines as keepalived reads them (active ones, in reading order). */
  lines: readonly PlacedStatement[];
  /** Its real_server lines, each with the lines of its block. */
  realServerLines: { line: PlacedStatement; lines: readonly PlacedStatement[] }[];
}

/** A scheduler flag line and the scheduler keepalived has read when it reads that line. */
export interface SchedulerFlagLine {
  line: PlacedStatement;
  flag: SchedulerFlagName;
  /** The lvs_sched read so far: null before any, undefined when a value cannot be known (a template). */
  scheduler: string | null | undefined;
  /** A later line of the block that sets the scheduler (the flag came too early), if any. */
  setLater?: PlacedStatement;
}

export interface ConfigObjects {
  instances: VrrpInstance[];
  syncGroups: SyncGroup[];
  virtualServers: VirtualServer[];
  /** The virtual_server_group blocks, in reading order (analysis/vs-groups.ts). */
  vsGroups: VsGroup[];
  globals: Globals;
  /** The file a line of these objects is in (a block's lines can come from a file included inside it). */
  fileOf(s: Statement, blockFile: string): string;
}

const cache = new WeakMap<ConfigModel, Map<string, ConfigObjects>>();

/**
 * The configuration as node `variant` reads it: `@id` definitions and includes change more than which
 * lines are kept (`@high $PRIORITY=240` then `priority $PRIORITY`). The model itself without a variant,
 * when it was read with a config id, or when it cannot be read again (made by hand).
 */
export function nodeReading(model: ConfigModel, variant: string | undefined): ConfigModel {
  return variant !== undefined && model.options.configId === undefined && model.readAs
    ? model.readAs(variant)
    : model;
}

/**
 * The objects of `model` as node `variant` (a `--config-id`) reads them. A model built for one config id
 * already is that variant; without a variant and a config id, every `@id` line is read.
 */
export function objectsOf(model: ConfigModel, variant?: string): ConfigObjects {
  const node = nodeReading(model, variant);
  if (node !== model) return objectsOf(node);
  const id = model.options.configId ?? variant;
  let byVariant = cache.get(model);
  if (!byVariant) cache.set(model, (byVariant = new Map<string, ConfigObjects>()));
  const cached = byVariant.get(id ?? '');
  if (cached) return cached;
  const { byParent, fileOf } = childrenOf(model);
  const objects: ConfigObjects = {
    instances: [],
    syncGroups: [],
    virtualServers: [],
    vsGroups: [],
    globals: { strict: false },
    fileOf: (s, blockFile) => fileOf.get(s) ?? blockFile,
  };
  for (const [path, file] of model.files) {
    const view: View = {
      model,
      file: path,
      fileOf: (s) => fileOf.get(s) ?? path,
      children: (s) => {
        const all = byParent.get(s);
        if (!all) return [];
        return id === undefined ? all : all.filter((p) => conditionHolds(p.statement.condition, id));
      },
    };
    for (const placed of file.placed) {
      if (placed.role !== 'keyword' || placed.spec?.parent !== '' || !placed.statement.block) continue;
      if (!active(placed, id)) continue;
      const s = placed.statement;
      const children = view.children(s);
      if (placed.spec.path === 'vrrp_instance' && s.args[0])
        objects.instances.push(instance(view, placed, children));
      else if (placed.spec.path === 'vrrp_sync_group' && s.args[0])
        objects.syncGroups.push(syncGroup(view, placed, children));
      else if (placed.spec.path === 'virtual_server' && s.args[0])
        objects.virtualServers.push(virtualServer(view, s, placed, children));
      else if (placed.spec.path === 'virtual_server_group' && s.args[0])
        objects.vsGroups.push(readVsGroup(view.fileOf(s), placed, children));
      else if (placed.spec.path === 'global_defs') globals(objects.globals, children);
    }
  }
  byVariant.set(id ?? '', objects);
  return objects;
}

/**
 * Each block's children as keepalived reads them (PlacedStatement.parent), per file: every active placing,
 * in reading order (a file read more than once places its statements again). Lines that `$PARAM`s reshape
 * or that ignored braces move count in the block keepalived puts them in, not where the text nests them.
 * Grouped once per model and kept with it (the lists sized exactly), for the objects and the checks.
 */
const grouping = new WeakMap<ConfigModel, Map<string, Map<Statement, PlacedStatement[]>>>();

export function blockChildren(model: ConfigModel): Map<string, Map<Statement, PlacedStatement[]>> {
  let grouped = grouping.get(model);
  if (grouped) return grouped;
  grouped = new Map();
  for (const [path, file] of model.files) {
    const byParent = new Map<Statement, PlacedStatement[]>();
    for (const p of file.placed) {
      if (!p.parent || p.inactive) continue;
      const children = byParent.get(p.parent);
      if (children) children.push(p);
      else byParent.set(p.parent, [p]);
    }
    // A copy of exact size: kept with the model, a list grown by push() holds 17 slots.
    for (const [parent, children] of byParent) byParent.set(parent, children.slice());
    grouped.set(path, byParent);
  }
  grouping.set(model, grouped);
  return grouped;
}

/**
 * The children the objects read: each statement once per parent, the first time it is active, and the
 * lines of a file included inside a block as that block's, in reading order. Each variant then keeps the
 * children whose own `@id` holds for it (every placing of a statement has the same `@id`, so the first
 * active one is the one the variant reads). `fileOf` names the file of each line that is in another file
 * than its block.
 */
interface Grouped {
  byParent: Map<Statement, PlacedStatement[]>;
  fileOf: Map<Statement, string>;
}

const firsts = new WeakMap<ConfigModel, Grouped>();

function childrenOf(model: ConfigModel): Grouped {
  const cached = firsts.get(model);
  if (cached) return cached;
  const perFile = blockChildren(model);
  // One file (the usual case) and no statement placed twice: its grouping is already the answer.
  if (perFile.size === 1) {
    const only = perFile.values().next().value!;
    let same = true;
    for (const children of only.values())
      if (firstPlacings(children) !== children) {
        same = false;
        break;
      }
    if (same) {
      const grouped = { byParent: only, fileOf: new Map<Statement, string>() };
      firsts.set(model, grouped);
      return grouped;
    }
  }
  const byParent = new Map<Statement, PlacedStatement[]>();
  const fileOf = new Map<Statement, string>();
  // Parents with children in more than one file, with the files they have them in.
  const mixed = new Map<Statement, Set<string>>();
  const firstFile = new Map<Statement, string>();
  for (const [path, ofFile] of perFile)
    for (const [parent, children] of ofFile) {
      const once = firstPlacings(children);
      const before = byParent.get(parent);
      if (!before) {
        byParent.set(parent, once);
        firstFile.set(parent, path);
        continue;
      }
      byParent.set(parent, before.concat(once));
      let files = mixed.get(parent);
      if (!files) mixed.set(parent, (files = new Set([firstFile.get(parent)!])));
      files.add(path);
    }
  if (mixed.size > 0) {
    // Rare: an include inside a block. Which file holds each such block, from one pass over the lines.
    const home = new Map<Statement, string>();
    for (const [path, file] of model.files)
      for (const p of file.placed) if (mixed.has(p.statement)) home.set(p.statement, path);
    for (const [parent, files] of mixed) {
      const own = home.get(parent);
      for (const path of files) {
        if (path === own) continue;
        for (const c of blockChildren(model).get(path)!.get(parent)!) fileOf.set(c.statement, path);
      }
      // The files were walked one after the other: the block's lines in keepalived's reading order.
      byParent.get(parent)!.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    }
  }
  const grouped = { byParent, fileOf };
  firsts.set(model, grouped);
  return grouped;
}

/**
 * The first placing of each statement of a block's children, in order (the list itself when none is
 * placed twice). Whether one is placed twice is told by pointer comparisons for a block of usual size (a
 * set, beyond): no map per block.
 */
function firstPlacings(children: PlacedStatement[]): PlacedStatement[] {
  let twice = false;
  if (children.length <= 32) {
    for (let i = 1; i < children.length && !twice; i++)
      for (let j = 0; j < i; j++)
        if (children[j]!.statement === children[i]!.statement) {
          twice = true;
          break;
        }
  } else twice = new Set(children.map((c) => c.statement)).size < children.length;
  if (!twice) return children;
  const seen = new Set<Statement>();
  return children.filter((c) => {
    if (seen.has(c.statement)) return false;
    seen.add(c.statement);
    return true;
  });
}

/** Whether keepalived runs the instance in strict mode: its own strict_mode, else global vrrp_strict (vrrp.c:2860). */
export function inStrictMode(objects: ConfigObjects, instance: VrrpInstance): boolean {
  return instance.strictMode ?? objects.globals.strict;
}

/**
 * The VRRP version keepalived uses (vrrp.c vrrp_complete_instance, 2.2.7 l.2863-2888): the instance's,
 * else 3 for IPv6, else global vrrp_version, else 2; an IPv6 instance in strict mode is always 3 ("cannot
 * use IPv6 with VRRP version 2; setting version 3").
 */
export function vrrpVersionOf(objects: ConfigObjects, instance: VrrpInstance): number {
  const v6 = isIpv6Instance(instance);
  if (v6 && instance.version === 2 && inStrictMode(objects, instance)) return 3;
  return instance.version ?? (v6 ? 3 : (objects.globals.vrrpVersion ?? 2));
}

/** The instance's address family is IPv6 (VrrpInstance.family). */
export function isIpv6Instance(instance: VrrpInstance): boolean {
  return instance.family === 6;
}

/** A line is read by node `id` when the reader kept it and its own `@id` prefix holds for that node. */
function active(placed: PlacedStatement, id: string | undefined): boolean {
  return !placed.inactive && conditionHolds(placed.statement.condition, id);
}

/** The lines of one file as one variant reads them. */
interface View {
  model: ConfigModel;
  file: string;
  /** The file a line is in: the view's, unless an include inside a block brought it in. */
  fileOf(s: Statement): string;
  /** The active lines of a block, placed. */
  children(s: Statement): readonly PlacedStatement[];
}

/** The `@id` prefixes a line depends on: its own and its block's. */
function conditionsOf(...words: (Word | undefined)[]): Word[] {
  return words.filter((w): w is Word => !!w);
}

const variants = new WeakMap<ConfigModel, string[]>();

/** All `@id` names the active lines of a configuration mention: the nodes a shared file describes. */
export function variantsOf(model: ConfigModel): string[] {
  if (model.options.configId !== undefined) return [];
  let ids = variants.get(model);
  if (!ids) {
    // A pass over every line, asked by the checks and the cluster analysis alike: once per model.
    const found = new Set<string>();
    for (const file of model.files.values())
      for (const p of file.placed) {
        const c = p.statement.condition?.value;
        if (c) found.add(c.slice(c.startsWith('@^') ? 2 : 1));
      }
    variants.set(model, (ids = [...found]));
  }
  return ids.slice();
}

function globals(out: Globals, children: readonly PlacedStatement[]): void {
  for (const c of children) {
    if (c.spec?.name === 'vrrp_strict') out.strict = true;
    if (c.spec?.name === 'vrrp_version' && /^[23]$/.test(c.expandedArgs[0] ?? ''))
      out.vrrpVersion = Number(c.expandedArgs[0]);
  }
}

/** A one-value setting as keepalived stores it, and the line that decided it. */
interface StoredLine {
  value?: string;
  /** The value is not known here (StoredValue.unknown, or alternatives that each node decides). */
  unknown?: boolean;
  line?: Located;
}

/** No line sets it, or which one does is not known here: one shared answer (it is read, never changed). */
const NOT_STORED: StoredLine = Object.freeze({});
const NOT_KNOWN: StoredLine = Object.freeze({ unknown: true });

/** Two of the lines are alternatives (`@a`/`@b` without a config id, template branches): each node decides. */
function hasAlternatives(lines: readonly PlacedStatement[]): boolean {
  for (let i = 0; i < lines.length; i++)
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i]!.statement;
      const b = lines[j]!.statement;
      if (mutuallyExclusive(a.condition, b.condition) || exclusiveBranches(a.branch, b.branch)) return true;
    }
  return false;
}

/** A block's name as keepalived stores it: after `$PARAM` expansion (one per pass of a `~SEQ` loop). */
function nameOf(placed: PlacedStatement): string {
  return placed.expandedArgs[0] ?? placed.statement.args[0]!.value;
}

function instance(view: View, placed: PlacedStatement, children: readonly PlacedStatement[]): VrrpInstance {
  const file = view.file;
  const s = placed.statement;
  const name = s.args[0]!;
  const overridden: VrrpInstance['overridden'] = [];
  // The block's keyword lines by name, in order: a dozen settings are looked up below.
  const byName = keywordLines(children);
  // One-value settings as keepalived stores them: the handler runs per line (stored-settings.ts).
  const stored = (keyword: string, within?: readonly PlacedStatement[]): StoredLine => {
    const lines = within
      ? within.filter((c) => c.role === 'keyword' && c.spec?.name === keyword)
      : (byName.get(keyword) ?? NO_LINES);
    const spec = lines[0]?.spec;
    const setting = spec && STORED_SETTINGS[spec.path];
    if (!spec || !setting) return NOT_STORED;
    // Alternatives (`@a`/`@b` lines without a config id, template branches) decide per node: not known here.
    if (lines.length > 1 && hasAlternatives(lines)) return NOT_KNOWN;
    const result = storedValue(
      setting,
      spec,
      lines.map((line) => ({ line, word: firstArgValue(line) })),
    );
    for (const o of result.overridden) overridden.push({ ...located(view, o.line)!, keyword, why: o.why });
    return { value: result.value, unknown: result.unknown, line: located(view, result.deciding) };
  };
  const int = (v: string | undefined): number | undefined =>
    v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  const state = stored('state');
  const priority = stored('priority');
  const storedInterface = stored('interface');
  const nopreempt = children.find((c) => c.spec?.name === 'nopreempt');
  const result: VrrpInstance = {
    file,
    statement: s,
    span: { start: name.start, end: name.end },
    name: nameOf(placed),
    state: state.value,
    interface: storedInterface.value,
    ...(storedInterface.unknown ? { interfaceUnknown: true as const } : {}),
    vrid: int(stored('virtual_router_id').value),
    priority: int(priority.value),
    nopreempt: located(view, nopreempt),
    vips: [],
    vipLinesKept: 0,
    children,
    trackScripts: [],
    tracks: tracksOf(view, children),
    advertInt: seconds(stored('advert_int').value),
    ...readFamily(view, children, int(stored('version').value), overridden),
    unicastPeers: [],
    unicastPeerLinesKept: 0,
    authPassWritten: false,
    preemptDelay: seconds(stored('preempt_delay').value),
    stateLine: state.line,
    priorityLine: priority.line,
    lines: new Map(),
    overridden,
    condition: s.condition,
  };
  for (const c of children)
    if (c.role === 'keyword' && c.spec && !result.lines.has(c.spec.name))
      result.lines.set(c.spec.name, located(view, c)!);
  const src = stored('unicast_src_ip');
  if (src.value !== undefined && src.line && ADDRESS.test(sockaddrPart(src.value)))
    result.unicastSrc = {
      file: src.line.file,
      statement: src.line.statement,
      span: src.line.span,
      address: sockaddrPart(src.value),
    };
  const strict = children.filter((c) => c.role === 'keyword' && c.spec?.name === 'strict_mode').at(-1);
  if (strict) {
    const word = strict.expandedArgs[0];
    // check_true_false(): an unknown word leaves the setting unset (keepalived reports it).
    result.strictMode =
      strict.statement.args.length === 0 ? true : word === undefined ? undefined : booleanValue(word);
  }
  const accept = children.filter((c) => c.spec?.name === 'accept' || c.spec?.name === 'no_accept').at(-1);
  if (accept) result.accept = { ...located(view, accept)!, on: accept.spec?.name === 'accept' };
  const peers = children.find((c) => c.spec?.name === 'unicast_peer' && c.statement.block);
  if (peers) result.unicastPeerBlock = located(view, peers);
  // Every authentication block's lines, in order: the handlers do not care which block a line is in.
  const auth = children
    .filter((c) => c.spec?.name === 'authentication' && c.statement.block)
    .flatMap((c) => view.children(c.statement));
  const authType = stored('auth_type', auth);
  result.authType = authType.value;
  result.authTypeLine = authType.line;
  result.authPass = stored('auth_pass', auth).value;
  result.authPassWritten = auth.some((c) => c.role === 'keyword' && c.spec?.name === 'auth_pass');
  for (const placed of valueLines(view, children, 'virtual_ipaddress', true)) {
    const line = placed.statement;
    const word = line.keyword.template === undefined ? placed.expandedKeyword : undefined;
    if (word === undefined || vipFamily(word) !== undefined) result.vipLinesKept++;
    // The address after parameters are replaced (`$VIP`), template text as it is; an unknown parameter
    // gives no address to compare. A line parse_ipaddress refuses ("VRRP parsed invalid IP") adds no VIP.
    const address = line.keyword.template === undefined ? placed.expandedKeyword : line.keyword.value;
    if (address === undefined || address.includes('$')) continue;
    if (line.keyword.template === undefined && vipFamily(address) === undefined) continue;
    result.vips.push({
      file: view.fileOf(line),
      statement: line,
      span: line.keyword,
      address: address.replace(/\/.*$/, ''),
      conditions: conditionsOf(s.condition, line.condition),
    });
  }
  for (const placed of valueLines(view, children, 'unicast_peer', true)) {
    const line = placed.statement;
    // alloc_vrrp_unicast_peer() drops a line whose first word is no address ("malformed unicast peer address").
    const word = line.keyword.template === undefined ? placed.expandedKeyword : undefined;
    if (word === undefined || isIP(sockaddrPart(word))) result.unicastPeerLinesKept++;
    if (word === undefined || !ADDRESS.test(word)) continue;
    result.unicastPeers.push({
      file: view.fileOf(line),
      statement: line,
      span: line.keyword,
      address: word,
    });
  }
  for (const t of result.tracks)
    if (t.kind === 'script') result.trackScripts.push({ ...t, weight: t.weight });
  return result;
}

/**
 * The family an address word gives the instance (a VIP as parse_ipaddress reads it, the others as
 * inet_stosockaddr does); 'unknown' when not known here. checks/instance-handlers.ts reads lines the same way.
 */
function wordFamily(
  placed: PlacedStatement,
  word: string | undefined,
  vip = false,
): 4 | 6 | undefined | 'unknown' {
  if (word === undefined || placed.statement.args[0]?.template !== undefined) return 'unknown';
  return vip ? vipFamily(word) : sockaddrFamily(word); // undefined: not an address, keepalived skips the line
}

/** familyAndVersion(), with an ignored `version 2` line noted among the overridden settings. */
function readFamily(
  view: View,
  children: readonly PlacedStatement[],
  stored: number | undefined,
  overridden: VrrpInstance['overridden'],
): { family?: 4 | 6; version?: number } {
  const { ignoredVersion, ...read } = familyAndVersion(view, children, stored);
  if (ignoredVersion)
    overridden.push({
      ...located(view, ignoredVersion.line)!,
      keyword: 'version',
      why: `keepalived reports "vrrp_version 2 conflicts with configured or deduced version ${ignoredVersion.shown}; ignoring.", as an earlier line made the instance IPv6${ignoredVersion.shown === 3 ? ' (native_ipv6, which also sets version 3)' : ''}, which VRRP version 2 cannot carry`,
      remedy: 'Remove the line, or write version 3',
    });
  return read;
}

/**
 * The instance's family and version as the handlers leave them, in reading order (vrrp_parser.c 2.2.7):
 * the first line with an address sets the family, native_ipv6 makes it IPv6 and sets version 3; vrrp_version_handler ignores `version 2` once the family
 * is IPv6 ("vrrp_version 2 conflicts with configured or deduced version 0; ignoring"), so a `version 2`
 * after an IPv6 address does not count. `stored` is the version the lines give without that rule.
 */
function familyAndVersion(
  view: View,
  children: readonly PlacedStatement[],
  stored: number | undefined,
): {
  family?: 4 | 6;
  version?: number;
  /** A `version 2` line its handler ignores because the family is IPv6, and the version it names then. */
  ignoredVersion?: { line: PlacedStatement; shown: number };
} {
  let family: 4 | 6 | undefined | 'unknown';
  let version: number | undefined;
  let unknownVersion = false;
  let ignored: { line: PlacedStatement; shown: number } | undefined;
  let fromNative = false;
  for (const c of children) {
    if (c.role !== 'keyword') continue;
    const name = c.spec?.name;
    // vrrp_native_ipv6_handler: IPv6 and version 3, unless the instance is already IPv4 (then refused).
    if (name === 'native_ipv6') {
      if (family !== 4 && family !== 'unknown') {
        family = 6;
        version = 3;
        fromNative = true;
      }
      continue;
    }
    if (family === undefined) {
      if (name === 'unicast_src_ip' || name === 'mcast_src_ip' || name === 'mcast_dst_ip')
        family = wordFamily(c, c.expandedArgs[0]);
      else if ((name === 'virtual_ipaddress' || name === 'unicast_peer') && c.statement.block)
        for (const line of view.children(c.statement)) {
          const word = line.statement.keyword.template === undefined ? line.expandedKeyword : undefined;
          family = word === undefined ? 'unknown' : wordFamily(line, word, name === 'virtual_ipaddress');
          if (family !== undefined) break;
        }
    }
    if (name === 'version') {
      const v = c.statement.args[0]?.template === undefined ? c.expandedArgs[0] : undefined;
      if (v === undefined) unknownVersion = true;
      if (v !== '2' && v !== '3') continue;
      // A differing version after another version line is stored-settings.ts's (setting-overridden).
      if (version !== undefined) {
        if (fromNative && v !== String(version)) ignored ??= { line: c, shown: version };
        continue;
      }
      if (v === '2' && family === 6) {
        ignored ??= { line: c, shown: 0 };
        continue;
      }
      version = Number(v);
    }
  }
  const known = family === 'unknown' ? {} : family ? { family } : {};
  // A family or a version line not known here, or alternatives (stored() then knows no value): the version
  // as the lines give it, without the IPv6 rule.
  if (family === 'unknown' || unknownVersion || stored === undefined) return { ...known, version: stored };
  return { ...known, version, ...(ignored ? { ignoredVersion: ignored } : {}) };
}

/** An IPv4 or IPv6 address as written (template text and unexpanded parameters are not addresses). */
const ADDRESS = /^[0-9A-Fa-f:.]+$/;

const NO_LINES: readonly PlacedStatement[] = [];

/** A block's keyword lines (those with a spec) by keyword name, in order. */
function keywordLines(children: readonly PlacedStatement[]): Map<string, PlacedStatement[]> {
  const byName = new Map<string, PlacedStatement[]>();
  for (const c of children) {
    if (c.role !== 'keyword' || !c.spec) continue;
    const list = byName.get(c.spec.name);
    if (list) list.push(c);
    else byName.set(c.spec.name, [c]);
  }
  return byName;
}

function located(view: View, placed: PlacedStatement | undefined): Located | undefined {
  if (!placed) return undefined;
  return { file: view.fileOf(placed.statement), statement: placed.statement, span: placed.statement.keyword };
}

/** keepalived reads advert_int and preempt_delay as decimal seconds. */
function seconds(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

/** The active lines of a child value block (`virtual_ipaddress { ... }`, `track_script { ... }`). */
function valueLines(view: View, children: readonly PlacedStatement[], keyword: string): Statement[];
function valueLines(
  view: View,
  children: readonly PlacedStatement[],
  keyword: string,
  placed: true,
): PlacedStatement[];
function valueLines(
  view: View,
  children: readonly PlacedStatement[],
  keyword: string,
  placed = false,
): (Statement | PlacedStatement)[] {
  // An `@id` line with nothing left after its condition (`@^medium }` closing the block) is no value.
  return children
    .filter((c) => c.spec?.name === keyword && c.statement.block)
    .flatMap((c) =>
      view
        .children(c.statement)
        .filter((p) => p.role !== 'ignored')
        .map((p) => (placed ? p : p.statement)),
    );
}

const TRACK_BLOCK_KINDS = Object.entries(TRACK_BLOCKS);

/** The lines of the track blocks that keepalived keeps, with the weight and direction it stores (track-lines.ts). */
function tracksOf(view: View, children: readonly PlacedStatement[]): TrackEntry[] {
  const out: TrackEntry[] = [];
  // The track blocks first (one pass over the children), then their lines, kind by kind.
  const blocks = children.filter((c) => c.spec && Object.hasOwn(TRACK_BLOCKS, c.spec.name));
  if (blocks.length === 0) return out;
  for (const [keyword, kind] of TRACK_BLOCK_KINDS) {
    for (const placed of valueLines(view, blocks, keyword, true)) {
      const line = placed.statement;
      // keepalived reads the line after its parameters are replaced (`TF_$NUM weight 2` names TF_1).
      const name = placed.expandedKeyword ?? line.keyword.value;
      const reading = readTrackLine(kind, [
        name,
        ...line.args.map((a, i) => placed.expandedArgs[i] ?? a.value),
      ]);
      if (!reading.tracked) continue;
      // An object defined only further down is not found when this line is read (analysis/lookup-order.ts).
      const defining = TRACKED_SYMBOL_KIND[kind];
      if (defining && definedOnlyAfter(view.model, defining, name, placed.seq)) continue;
      out.push({
        file: view.fileOf(line),
        statement: line,
        span: line.keyword,
        kind,
        name,
        weight: reading.weight,
        reverse: reading.reverse,
      });
    }
  }
  return out;
}

function syncGroup(view: View, placed: PlacedStatement, children: readonly PlacedStatement[]): SyncGroup {
  const file = view.file;
  const s = placed.statement;
  const members: SyncGroup['members'] = [];
  for (const block of children.filter((c) => c.spec?.name === 'group' && c.statement.block))
    for (const line of view.children(block.statement)) {
      const st = line.statement;
      const at = view.fileOf(st);
      members.push({
        file: at,
        statement: st,
        span: st.keyword,
        name: line.expandedKeyword ?? st.keyword.value,
      });
      st.args.forEach((w, i) =>
        members.push({ file: at, statement: st, span: w, name: line.expandedArgs[i] ?? w.value }),
      );
    }
  return {
    file,
    statement: s,
    span: s.args[0]!,
    name: nameOf(placed),
    members,
    tracks: tracksOf(view, children),
    trackingWeight: children.some(
      (c) => c.spec?.name === 'sync_group_tracking_weight' || c.spec?.name === 'global_tracking',
    ),
  };
}

function virtualServer(
  view: View,
  s: Statement,
  placed: PlacedStatement,
  children: readonly PlacedStatement[],
): VirtualServer {
  const args = placed.expandedArgs.map((v, i) => v ?? s.args[i]!.value);
  const has = (within: readonly PlacedStatement[], ...keywords: string[]): boolean =>
    within.some((c) => c.role === 'keyword' && keywords.includes(c.spec?.name ?? ''));
  const protocolLines = children.filter((c) => c.role === 'keyword' && c.spec?.name === 'protocol');
  // proto_handler (check_parser.c l.562) keeps the last known value; an unknown one is ignored.
  const known = protocolLines
    .map((c) => c.expandedArgs[0]?.toUpperCase())
    .filter((v): v is string => v === 'TCP' || v === 'UDP' || v === 'SCTP');
  const vsMethod = has(children, 'lvs_method', 'lb_kind');
  const realWithout = children.some(
    (c) =>
      c.spec?.name === 'real_server' && !!c.statement.block && !has(view.children(c.statement), 'lvs_method'),
  );
  const sorryWithout = has(children, 'sorry_server') && !has(children, 'sorry_server_lvs_method');
  // A real_server whose address or port keepalived cannot read is skipped with its block (rs_handler).
  const realServers = children.filter(
    (c) =>
      c.role === 'keyword' &&
      c.spec?.name === 'real_server' &&
      !badSocket(c.expandedArgs[0], c.statement.args[1] ? c.expandedArgs[1] : undefined),
  );
  return {
    file: view.file,
    statement: s,
    span: { start: s.args[0]!.start, end: s.args[s.args.length - 1]!.end },
    key: args.join(' '),
    protocol: known.at(-1),
    protocolWritten: protocolLines.length > 0,
    byAddress: virtualServerByAddress(args[0]),
    methodDefaulted: !vsMethod && (realWithout || sorryWithout),
    realServers: realServers.length,
    ...schedulerLines(children),
    header: placed,
    lines: children,
    realServerLines: realServers.map((line) => ({
      line,
      lines: line.statement.block ? view.children(line.statement) : [],
    })),
  };
}

/**
 * lbflags_handler tests the scheduler lbalgo_handler has stored so far, so the order of the lines counts.
 * lbalgo_handler stores only a name from its list (the keyword's choices) and ignores any other.
 */
function schedulerLines(children: readonly PlacedStatement[]): {
  schedulerFlags: SchedulerFlagLine[];
  scheduler: string | null | undefined;
} {
  const out: SchedulerFlagLine[] = [];
  let scheduler: string | null | undefined = null;
  for (const c of children) {
    if (c.role !== 'keyword' || !c.spec) continue;
    const name = c.spec.name;
    if (name === 'lvs_sched' || name === 'lb_algo') {
      const value = c.expandedArgs[0];
      const args = c.spec.args;
      // No value at all: keepalived stops at "missing a parameter" (missing-argument says so).
      if (c.statement.args.length === 0) continue;
      if (value === undefined || c.statement.args[0]?.template !== undefined) scheduler = undefined;
      else if (args?.kind === 'enum' && args.values.includes(value)) scheduler = value;
      for (const pending of out) if (pending.scheduler === null) pending.setLater ??= c;
      continue;
    }
    const flag = schedulerFlag(name);
    if (flag) out.push({ line: c, flag, scheduler });
  }
  return { schedulerFlags: out, scheduler };
}
