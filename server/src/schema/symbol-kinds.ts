// The kinds of named things a configuration defines and refers to (vrrp_script chk, vrrp_instance VI_1,
// track_group TG, $PARAM, ...): which block defines each, which lines use its names, how messages and the
// editor name it. Kept here once and read by the symbol index (analysis/symbols.ts), the name checks,
// the outline and workspace symbols, semantic tokens, completion of names, rename and the schema
// generator (scripts/gen-schema.mjs bundles this module to map keepalived's inventory onto the kinds).
// Read from keepalived's parsers (vrrp/vrrp_parser.c, vrrp/vrrp_track.c, check/check_parser.c,
// bfd/bfd_parser.c, core/global_parser.c) at the release tags.
import type { SymbolKind as LspSymbolKind } from 'vscode-languageserver-types';

/** Where the names of a kind are used. */
export type SymbolUse =
  /**
   * The first word of each line of a `{ ... }` value block of this name (`track_script { chk weight 2 }`);
   * `every`: each word of the line (`group { VI_1 VI_2 }`).
   */
  | { valueBlock: string; words: 'first' | 'every' }
  /**
   * The keyword's first argument (`track_file NAME` in FILE_CHECK); with `after`, the word after the
   * first `after` among its arguments (`lvs_sync_daemon eth0 inst VI_1`), and with `at` only when `after`
   * is that argument (`virtual_server group NAME`, where `group` must come first).
   */
  | { keyword: string; after?: string; at?: number }
  /**
   * The word after each `after` on a line of these value blocks (`192.0.2.1/24 track_group TG`), by block
   * name: keepalived reads the option on some blocks of a line grammar only.
   */
  | { lineBlocks: readonly string[]; after: string };

export interface SymbolKindRecord {
  /** How messages and hover name the kind. */
  label: string;
  /** Top-level block keywords whose first argument defines a name of the kind ([] for `$NAME=`). */
  definedBy: readonly string[];
  referencedBy: readonly SymbolUse[];
  /** How the outline and workspace symbol search show a definition. */
  lsp: keyof typeof LspSymbolKind;
  /** A definition does nothing unless something refers to it (keepalived itself reports nothing). */
  inertUnlessReferenced: boolean;
  /** keepalived's error for a second block of the same name, which it then skips (%s: the name). */
  duplicateError?: string;
  /** The longest name keepalived takes for the kind, in characters. */
  maxNameLength?: number;
}

/**
 * Every kind, in the order messages and lists go through them. `param` is defined by `$NAME=` lines and
 * used by `$NAME` / `${NAME}` anywhere (analysis/params.ts finds those), so it has no keywords here.
 */
export const SYMBOL_KINDS = {
  vrrp_script: {
    label: 'vrrp_script',
    definedBy: ['vrrp_script'],
    referencedBy: [{ valueBlock: 'track_script', words: 'first' }],
    lsp: 'Function',
    inertUnlessReferenced: true,
  },
  vrrp_instance: {
    label: 'vrrp_instance',
    definedBy: ['vrrp_instance'],
    referencedBy: [
      // vrrp_sync_group and track_group members
      { valueBlock: 'group', words: 'every' },
      { keyword: 'global_defs/lvs_sync_daemon', after: 'inst' },
    ],
    lsp: 'Class',
    inertUnlessReferenced: false,
    duplicateError: 'vrrp instance %s already defined',
  },
  vrrp_sync_group: {
    label: 'vrrp_sync_group',
    definedBy: ['vrrp_sync_group'],
    referencedBy: [],
    lsp: 'Package',
    inertUnlessReferenced: false,
    duplicateError: 'vrrp sync group %s already defined',
  },
  track_file: {
    label: 'track_file',
    // vrrp_track_file: the older name of the same block
    definedBy: ['track_file', 'vrrp_track_file'],
    referencedBy: [
      { valueBlock: 'track_file', words: 'first' },
      { keyword: 'virtual_server/real_server/FILE_CHECK/track_file' },
    ],
    lsp: 'File',
    inertUnlessReferenced: true,
  },
  vrrp_track_process: {
    label: 'vrrp_track_process',
    definedBy: ['vrrp_track_process'],
    referencedBy: [{ valueBlock: 'track_process', words: 'first' }],
    lsp: 'Event',
    inertUnlessReferenced: true,
  },
  bfd_instance: {
    label: 'bfd_instance',
    definedBy: ['bfd_instance'],
    referencedBy: [
      { valueBlock: 'track_bfd', words: 'first' },
      { keyword: 'virtual_server/real_server/BFD_CHECK/name' },
    ],
    lsp: 'Interface',
    // A BFD instance runs whether or not anything tracks it.
    inertUnlessReferenced: false,
    // include/bfd.h BFD_INAME_MAX (32, with the terminating NUL)
    maxNameLength: 31,
  },
  virtual_server_group: {
    label: 'virtual_server_group',
    definedBy: ['virtual_server_group'],
    referencedBy: [{ keyword: 'virtual_server', after: 'group', at: 0 }],
    lsp: 'Package',
    inertUnlessReferenced: true,
  },
  track_group: {
    label: 'track_group',
    definedBy: ['track_group'],
    // Static lines only: alloc_ipaddress(static_addr), alloc_route/alloc_rule(allow_track_group), 2.2.7
    // vrrp_ipaddress.c l.637, vrrp_iproute.c l.1808, vrrp_iprule.c l.760; a virtual_* line does not read it.
    referencedBy: [
      { lineBlocks: ['static_ipaddress', 'static_routes', 'static_rules'], after: 'track_group' },
    ],
    lsp: 'Package',
    inertUnlessReferenced: true,
    duplicateError: 'track_group %s already defined',
  },
  param: {
    label: 'parameter',
    definedBy: [],
    referencedBy: [],
    lsp: 'Variable',
    inertUnlessReferenced: false,
  },
} as const satisfies Record<string, SymbolKindRecord>;

export type SymbolKind = keyof typeof SYMBOL_KINDS;

export const SYMBOL_KIND_NAMES = Object.keys(SYMBOL_KINDS) as SymbolKind[];

/** The record of a kind, typed as the interface (the table itself keeps its literal types). */
export function symbolKind(kind: SymbolKind): SymbolKindRecord {
  return SYMBOL_KINDS[kind];
}

/** Whether `word` names a kind (a schema `references` value may also be `interface` or `user`). */
export function isSymbolKind(word: string | undefined): word is SymbolKind {
  return word !== undefined && Object.hasOwn(SYMBOL_KINDS, word);
}

/** The kind a top-level block keyword defines a name of, if it defines one. */
export function kindDefinedBy(path: string): SymbolKind | undefined {
  return DEFINED_BY.get(path);
}

/** The kind whose names fill the lines of a value block of this name, and which words of a line they are. */
export function kindInValueBlock(name: string): { kind: SymbolKind; words: 'first' | 'every' } | undefined {
  return VALUE_BLOCKS.get(name);
}

/** The references on a keyword's line, by the keyword's schema path. */
export function keywordUses(path: string): readonly KeywordUse[] {
  return KEYWORD_USES.get(path) ?? NONE;
}

/** The references introduced by an option word on lines of the value block `block` (its keyword). */
export function valueLineUses(block: string | undefined): readonly { kind: SymbolKind; after: string }[] {
  return (block !== undefined && VALUE_LINE_USES.get(block)) || NONE;
}

export interface KeywordUse {
  kind: SymbolKind;
  after?: string;
  at?: number;
}

/** The argument a keyword use refers with (index into the line's arguments), or -1 when there is none. */
export function usedArgument(use: KeywordUse, args: readonly string[]): number {
  if (use.after === undefined) return args.length > 0 ? 0 : -1;
  const at = use.at !== undefined ? (args[use.at] === use.after ? use.at : -1) : args.indexOf(use.after);
  return at >= 0 && at + 1 < args.length ? at + 1 : -1;
}

const NONE: readonly never[] = [];
const DEFINED_BY = new Map<string, SymbolKind>();
const VALUE_BLOCKS = new Map<string, { kind: SymbolKind; words: 'first' | 'every' }>();
const KEYWORD_USES = new Map<string, KeywordUse[]>();
const VALUE_LINE_USES = new Map<string, { kind: SymbolKind; after: string }[]>();
for (const kind of SYMBOL_KIND_NAMES) {
  const record = symbolKind(kind);
  for (const path of record.definedBy) DEFINED_BY.set(path, kind);
  for (const use of record.referencedBy) {
    if ('valueBlock' in use) VALUE_BLOCKS.set(use.valueBlock, { kind, words: use.words });
    else if ('keyword' in use) {
      const list = KEYWORD_USES.get(use.keyword) ?? [];
      list.push({ kind, after: use.after, at: use.at });
      KEYWORD_USES.set(use.keyword, list);
    } else
      for (const block of use.lineBlocks) {
        const list = VALUE_LINE_USES.get(block) ?? [];
        list.push({ kind, after: use.after });
        VALUE_LINE_USES.set(block, list);
      }
  }
}
