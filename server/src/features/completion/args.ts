// Completion of argument words: choices of the keyword (or of the value-block line) being typed, defined
// names for references, users, interfaces, `$PARAMETERS` and file paths.
import * as nodePath from 'path';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../../analysis/document';
import { isSymbolKind, type SymbolKind } from '../../schema/symbol-kinds';
import type { KeywordSpec } from '../../schema';
import {
  LVS_SYNC_DAEMON_OPTIONS,
  lineOption,
  offeredValue,
  syncDaemonOption,
  UNICAST_PEER_OPTIONS,
  unicastPeerOption,
  valueWords,
  type OfferedValue,
} from '../../schema/line-options';
import {
  addressOptionsReadIn,
  addressOptionReadIn,
  ADDRESS_SCOPES,
  addressOption,
  BOOLEAN_WORDS,
  LVS_METHOD_NAMES,
  lvsMethod,
  PREFERRED_LIFETIMES,
  TRACK_DIRECTIONS,
  TRACK_WEIGHT,
  trackDirection,
  TUNNEL_CHECKSUMS,
  TUNNEL_TYPES,
  VIRTUAL_SERVER_FORMS,
  type AddressOptionValue,
} from '../../schema/vocabulary';
import type { Word } from '../../syntax/ast';
import type { CompletionEnv } from './env';
import { unquoted, type CursorContext } from '../cursor';

const INCLUDE_CHECKS = ['read', 'match', 'wildcard_match', 'brace_match'];

/** Words after an option that are its own, by option name. */
type Arity = (option: string) => number;

const addressArity: Arity = (w) => addressOption(w)?.arity ?? 0;
const peerArity: Arity = (w) => (unicastPeerOption(w) ? 1 : 0);
const syncDaemonArity: Arity = (w) => (syncDaemonOption(w) ? 1 : 0);
const routeArity: Arity = (w) => valueWords(lineOption('route', w));
const ruleArity: Arity = (w) => valueWords(lineOption('rule', w));

type Items = CompletionItem[];

export function argumentItems(file: AnalyzedFile, ctx: CursorContext, env: CompletionEnv): Items {
  const out = new ItemMaker(file, ctx);
  if (ctx.valueBlock) return valueLineItems(out, ctx, env, ctx.valueBlock);
  const placed = ctx.placed;
  if (placed?.role === 'include') return ctx.index === 1 ? pathItems(file, ctx, env, true) : [];
  if (placed?.role !== 'keyword' || !placed.spec) return [];
  return keywordArgItems(out, ctx, env, placed.spec) ?? pathItems(file, ctx, env, false);
}

/** Arguments of a keyword line; undefined = nothing specific (a path is then offered if one is typed). */
function keywordArgItems(
  out: ItemMaker,
  ctx: CursorContext,
  env: CompletionEnv,
  spec: KeywordSpec,
): Items | undefined {
  const { index: i, words } = ctx;
  const a = spec.args;
  if (i === 1 && (a.kind === 'interface' || spec.references === 'interface'))
    return out.values(env.interfaces(), CompletionItemKind.Interface);
  if (i === 1 && a.kind === 'user') return out.values(env.users(), CompletionItemKind.Value);
  if (i === 1 && a.kind === 'name' && isSymbolKind(spec.references)) return out.names(spec.references);
  switch (a.kind) {
    case 'enum':
      return i === 1 ? out.values(a.values, CompletionItemKind.EnumMember) : [];
    case 'bool':
      return i === 1 ? out.values(Object.keys(BOOLEAN_WORDS), CompletionItemKind.Constant) : [];
    case 'int':
      return i === 2 && a.trailing ? out.values(a.trailing, CompletionItemKind.Keyword) : [];
    case 'script':
      // `notify "command args" [user [group]]`
      return i === 2 ? out.values(env.users(), CompletionItemKind.Value) : undefined;
    case 'special':
      break;
    default:
      return undefined;
  }
  const prev = words[i - 1]?.value;
  switch (a.shape) {
    case 'lvs_method':
      if (i === 1) return out.values(LVS_METHOD_NAMES, CompletionItemKind.EnumMember);
      if (prev === 'type') return out.values(TUNNEL_TYPES, CompletionItemKind.EnumMember);
      if (prev === 'port' || !lvsMethod(words[1]?.value ?? '')?.tunnel) return [];
      return out.values(
        ['type', ...(words.some((w) => w.value === 'gue') ? ['port'] : []), ...TUNNEL_CHECKSUMS],
        CompletionItemKind.Keyword,
      );
    case 'virtual_server':
      if (i === 1) return out.values(Object.keys(VIRTUAL_SERVER_FORMS), CompletionItemKind.Keyword);
      return i === 2 && words[1]?.value === 'group' ? out.names('virtual_server_group') : [];
    case 'lvs_sync_daemon': {
      if (i === 1) return out.values(env.interfaces(), CompletionItemKind.Interface);
      const option = optionOf(words, 2, i, syncDaemonArity);
      if (option === undefined)
        return out.values(Object.keys(LVS_SYNC_DAEMON_OPTIONS), CompletionItemKind.Keyword);
      const value = syncDaemonOption(option)!.value;
      return value === 'number' || value === 'word' ? [] : offered(out, value, env);
    }
    case 'notify_fifo':
      return i === 2 ? out.values(env.users(), CompletionItemKind.Value) : undefined;
    case 'include_check':
      return out.values(INCLUDE_CHECKS, CompletionItemKind.EnumMember);
    case 'init_file':
      return out.values(['overwrite'], CompletionItemKind.Keyword);
    default:
      return undefined;
  }
}

function valueLineItems(out: ItemMaker, ctx: CursorContext, env: CompletionEnv, block: KeywordSpec): Items {
  const { index: i, words } = ctx;
  const interfaces = (): Items => out.values(env.interfaces(), CompletionItemKind.Interface);
  const defined = isSymbolKind(block.references) ? block.references : undefined;
  switch (block.valueLines) {
    case 'track':
    case 'track_interface':
      if (i === 0)
        return block.valueLines === 'track_interface' ? interfaces() : defined ? out.names(defined) : [];
      if (i === 1) return out.values([TRACK_WEIGHT.name], CompletionItemKind.Keyword);
      return i === 3 && words[1]?.value === TRACK_WEIGHT.name
        ? out.values(
            Object.keys(TRACK_DIRECTIONS).filter((w) =>
              trackDirection(w, block.valueLines === 'track_interface'),
            ),
            CompletionItemKind.Keyword,
          )
        : [];
    case 'instance_names':
      return out.names('vrrp_instance');
    case 'interface_names':
      // linkbeat_interfaces lines: `IFNAME [MII|ETHTOOL|IOCTL]`
      return block.name === 'linkbeat_interfaces' && i === 1
        ? out.values(['MII', 'ETHTOOL', 'IOCTL'], CompletionItemKind.EnumMember)
        : interfaces();
    case 'up_down_delay':
      return i === 0 ? interfaces() : [];
    case 'vsg_entry':
      return i === 0 ? out.values(['fwmark'], CompletionItemKind.Keyword) : [];
    case 'unicast_peer': {
      if (i === 0) return [];
      const option = optionOf(words, 1, i, peerArity);
      return option ? [] : out.values(unused(UNICAST_PEER_OPTIONS, words), CompletionItemKind.Keyword);
    }
    case 'ipaddress': {
      if (i === 0) return [];
      const option = optionOf(words, 1, i, addressArity);
      if (option === undefined) {
        const readHere = Object.fromEntries(addressOptionsReadIn(block.name));
        return out.values(unused(readHere, words), CompletionItemKind.Keyword);
      }
      const known = addressOption(option)!;
      // An option this kind of line does not read takes nothing (keepalived ignores it and its value).
      if (!addressOptionReadIn(known, block.name)) return [];
      return addressOptionValues(out, known.value, env);
    }
    case 'route':
    case 'rule': {
      // Only an option's value is offered: a route's destination or a rule's selector is the user's.
      const lines = block.valueLines;
      const option = optionOf(words, 0, i, lines === 'rule' ? ruleArity : routeArity);
      const staticLine = block.name.startsWith('static_'); // static_routes, static_rules
      const value = option && offeredValue(lineOption(lines, option), staticLine);
      return value ? offered(out, value, env) : [];
    }
    default:
      return [];
  }
}

/** Interfaces of the machine, or the names of a kind the configuration defines. */
function offered(out: ItemMaker, value: OfferedValue, env: CompletionEnv): Items {
  return value === 'interface'
    ? out.values(env.interfaces(), CompletionItemKind.Interface)
    : out.names(value);
}

function addressOptionValues(out: ItemMaker, value: AddressOptionValue, env: CompletionEnv): Items {
  switch (value) {
    case 'interface':
    case 'track_group':
      return offered(out, value, env);
    case 'scope':
      return out.values(ADDRESS_SCOPES, CompletionItemKind.EnumMember);
    case 'lifetime':
      return out.values(PREFERRED_LIFETIMES, CompletionItemKind.EnumMember);
    case 'none':
    case 'address':
    case 'label':
      return [];
  }
}

/**
 * Reads `words` from `from` as `option value...` groups: the option whose value is at index `i`, or
 * undefined when `i` is where an option name goes.
 */
function optionOf(words: Word[], from: number, i: number, arity: Arity): string | undefined {
  for (let j = from; j < i;) {
    const n = arity(words[j]?.value ?? '');
    if (i <= j + n) return words[j]!.value;
    j += 1 + n;
  }
  return undefined;
}

function unused(options: Readonly<Record<string, unknown>>, words: Word[]): string[] {
  return Object.keys(options).filter((o) => !words.some((w) => w.value === o));
}

/** Makes items that replace the word under the cursor. */
class ItemMaker {
  constructor(
    private readonly file: AnalyzedFile,
    private readonly ctx: CursorContext,
  ) {}

  values(values: readonly string[], kind: CompletionItemKind, detail?: string): Items {
    const range = this.file.lines.range(this.ctx.span.start, this.ctx.span.end);
    return [...new Set(values)].map((label) => ({
      label,
      kind,
      detail,
      textEdit: { range, newText: label },
    }));
  }

  /** Names defined in the configuration, with the file that defines each. */
  names(kind: SymbolKind): Items {
    const base = nodePath.dirname(this.file.path);
    // Where each file is from here, worked out once per file rather than once per name.
    const whereOf = new Map<string, string>();
    const seen = new Map<string, string>();
    for (const d of this.file.model.symbols.definitions) {
      if (d.kind !== kind || seen.has(d.name)) continue;
      let where = whereOf.get(d.file);
      if (where === undefined) whereOf.set(d.file, (where = nodePath.relative(base, d.file) || d.file));
      seen.set(d.name, where);
    }
    return [...seen].flatMap(([name, where]) =>
      this.values([name], CompletionItemKind.Reference, `${kind} (${where})`),
    );
  }
}

/**
 * `$NAME` (or `${NAME}`) for every parameter defined in the configuration, when the text before the cursor
 * is a `$` use being typed (read from the text: the parser takes a lone `${` for a block).
 */
export function paramItems(file: AnalyzedFile, offset: number): Items | undefined {
  const before = file.text.slice(file.lines.lineStart(file.lines.positionAt(offset).line), offset);
  const typed = /(?:^|[\s"])(\$\{?\w*)$/.exec(before)?.[1];
  if (typed === undefined) return undefined;
  const start = offset - typed.length;
  const whole = /^\$(\{\w*\}?|\w*)/.exec(file.text.slice(start))![0];
  const range = file.lines.range(start, start + whole.length);
  const braced = typed.startsWith('${');
  const seen = new Set<string>();
  const items: Items = [];
  for (const d of file.model.symbols.definitions) {
    if (d.kind !== 'param' || seen.has(d.name)) continue;
    seen.add(d.name);
    const newText = braced ? `\${${d.name}}` : `$${d.name}`;
    const value = d.statement.definition?.value.trim() ?? '';
    items.push({
      label: newText,
      kind: CompletionItemKind.Variable,
      detail: value.length > 60 ? `${value.slice(0, 57)}...` : value,
      textEdit: { range, newText },
    });
  }
  return items;
}

/**
 * Directory entries for a path being typed (include globs always; other arguments only once they start
 * with `/` or `.`), relative to the file's folder.
 */
function pathItems(file: AnalyzedFile, ctx: CursorContext, env: CompletionEnv, always: boolean): Items {
  const { start, text } = unquoted(ctx.word, ctx.offset);
  const typed = file.text.slice(start, Math.max(start, ctx.offset));
  if (/[\s"']/.test(typed) || (!always && !/^[/.]/.test(typed))) return [];
  const dirPart = typed.slice(0, typed.lastIndexOf('/') + 1);
  let dir = nodePath.isAbsolute(dirPart) ? dirPart : nodePath.join(nodePath.dirname(file.path), dirPart);
  if (dir.length > 1 && dir.endsWith('/')) dir = dir.slice(0, -1);
  const end = start + (/^[^\s"']*/.exec(text)?.[0].length ?? 0);
  const range = file.lines.range(start, Math.max(end, ctx.offset));
  return (env.listDir(dir) ?? []).map((e) => {
    const newText = dirPart + e.name + (e.dir ? '/' : '');
    return {
      label: e.name + (e.dir ? '/' : ''),
      kind: e.dir ? CompletionItemKind.Folder : CompletionItemKind.File,
      filterText: newText,
      sortText: `${e.dir ? '0' : '1'}${e.name}`,
      textEdit: { range, newText },
    };
  });
}
