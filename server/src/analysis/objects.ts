// Typed views of the main configuration objects (VRRP instances, sync groups, virtual servers), extracted
// once from a model. Checks and editor features query these instead of walking statements themselves;
// failover analysis across nodes will build on them.
import type { Span, Statement, Word } from '../syntax/ast';
import type { PlacedStatement } from './document';
import type { ConfigModel } from './model';

export interface Located {
  file: string;
  statement: Statement;
  /** The name or value word, for ranges. */
  span: Span;
}

export interface VrrpInstance extends Located {
  name: string;
  state?: string;
  interface?: string;
  vrid?: number;
  priority?: number;
  nopreempt?: Located;
  /** VIPs (address part only, prefix and range kept as written) with their lines. */
  vips: (Located & { address: string })[];
  /** Entries of track_script { ... } with their weights. */
  trackScripts: (Located & { name: string; weight?: number })[];
  condition?: Word;
}

export interface SyncGroup extends Located {
  name: string;
  members: (Located & { name: string })[];
}

export interface VirtualServer extends Located {
  /** `IP PORT`, `fwmark N` or `group NAME`, as one key. */
  key: string;
  protocol: string;
}

export interface ConfigObjects {
  instances: VrrpInstance[];
  syncGroups: SyncGroup[];
  virtualServers: VirtualServer[];
}

const cache = new WeakMap<ConfigModel, ConfigObjects>();

export function objectsOf(model: ConfigModel): ConfigObjects {
  const cached = cache.get(model);
  if (cached) return cached;
  const objects: ConfigObjects = { instances: [], syncGroups: [], virtualServers: [] };
  for (const [path, file] of model.files) {
    const byStatement = new Map<Statement, PlacedStatement>(file.placed.map((p) => [p.statement, p]));
    for (const placed of file.placed) {
      if (placed.role !== 'keyword' || placed.spec?.parent !== '' || !placed.statement.block) continue;
      if (placed.inactive && model.options.configId !== undefined) continue;
      const s = placed.statement;
      const children = s
        .block!.statements.map((c) => byStatement.get(c))
        .filter((c): c is PlacedStatement => !!c);
      if (placed.spec.path === 'vrrp_instance' && s.args[0])
        objects.instances.push(instance(path, s, children));
      else if (placed.spec.path === 'vrrp_sync_group' && s.args[0])
        objects.syncGroups.push(syncGroup(path, s, children));
      else if (placed.spec.path === 'virtual_server' && s.args[0])
        objects.virtualServers.push(virtualServer(path, s, placed, children));
    }
  }
  cache.set(model, objects);
  return objects;
}

/** First expanded argument of a child keyword, when its value is known. */
function valueOf(
  children: PlacedStatement[],
  keyword: string,
): { value: string; placed: PlacedStatement } | undefined {
  const child = children.find(
    (c) => c.role === 'keyword' && c.spec?.name === keyword && c.expandedArgs[0] !== undefined,
  );
  return child ? { value: child.expandedArgs[0]!, placed: child } : undefined;
}

function instance(file: string, s: Statement, children: PlacedStatement[]): VrrpInstance {
  const name = s.args[0]!;
  const int = (k: string): number | undefined => {
    const v = valueOf(children, k)?.value;
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const nopreempt = children.find((c) => c.spec?.name === 'nopreempt');
  const result: VrrpInstance = {
    file,
    statement: s,
    span: { start: name.start, end: name.end },
    name: name.value,
    state: valueOf(children, 'state')?.value,
    interface: valueOf(children, 'interface')?.value,
    vrid: int('virtual_router_id'),
    priority: int('priority'),
    nopreempt: nopreempt
      ? { file, statement: nopreempt.statement, span: nopreempt.statement.keyword }
      : undefined,
    vips: [],
    trackScripts: [],
    condition: s.condition,
  };
  for (const block of children.filter((c) => c.spec?.name === 'virtual_ipaddress' && c.statement.block)) {
    for (const line of block.statement.block!.statements) {
      if (line.keyword.value.includes('$')) continue;
      result.vips.push({
        file,
        statement: line,
        span: line.keyword,
        address: line.keyword.value.replace(/\/.*$/, ''),
      });
    }
  }
  for (const block of children.filter((c) => c.spec?.name === 'track_script' && c.statement.block)) {
    for (const line of block.statement.block!.statements) {
      const w = line.args[0]?.value === 'weight' ? line.args[1]?.value : undefined;
      result.trackScripts.push({
        file,
        statement: line,
        span: line.keyword,
        name: line.keyword.value,
        weight: w !== undefined && /^[+-]?\d+$/.test(w) ? Number(w) : undefined,
      });
    }
  }
  return result;
}

function syncGroup(file: string, s: Statement, children: PlacedStatement[]): SyncGroup {
  const members: SyncGroup['members'] = [];
  for (const block of children.filter((c) => c.spec?.name === 'group' && c.statement.block)) {
    for (const line of block.statement.block!.statements) {
      for (const w of [line.keyword, ...line.args])
        members.push({ file, statement: line, span: w, name: w.value });
    }
  }
  return { file, statement: s, span: s.args[0]!, name: s.args[0]!.value, members };
}

function virtualServer(
  file: string,
  s: Statement,
  placed: PlacedStatement,
  children: PlacedStatement[],
): VirtualServer {
  const args = placed.expandedArgs.map((v, i) => v ?? s.args[i]!.value);
  const protocol = (valueOf(children, 'protocol')?.value ?? 'TCP').toUpperCase();
  return {
    file,
    statement: s,
    span: { start: s.args[0]!.start, end: s.args[s.args.length - 1]!.end },
    key: args.join(' '),
    protocol,
  };
}
