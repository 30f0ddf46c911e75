// Signature help: the documented syntax of the line being typed, with the argument under the cursor
// highlighted. Keyword lines use their keyword's syntax; lines inside a value block (virtual_ipaddress,
// track_script, unicast_peer, ...) use the block's line grammar.
import type {
  ParameterInformation,
  Position,
  SignatureHelp,
  SignatureInformation,
} from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../analysis/document';
import type { KeywordSpec } from '../schema';
import {
  addressLineSyntax,
  ADDRESS_OPTIONS,
  LVS_METHOD_DOCS,
  LVS_METHOD_SYNTAX,
  TRACK_DIRECTIONS,
  TRACK_WEIGHT,
  VIRTUAL_SERVER_FORMS,
} from '../schema/vocabulary';
import { LVS_SYNC_DAEMON_OPTIONS, UNICAST_PEER_OPTIONS } from '../schema/line-options';
import { cursorContext } from './cursor';
import { activeParameter, parseAlternatives, type SyntaxParam } from './signature-syntax';

/** What each parameter means, by its first word (option name or placeholder). */
const PARAM_DOCS: Record<string, string> = {
  ...docsOf(ADDRESS_OPTIONS),
  ip: 'An IPv4 or IPv6 address.',
  script_name: 'Name of a vrrp_script block.',
  track_file_name: 'Name of a track_file block.',
  process_name: 'Name of a vrrp_track_process block.',
  bfd_name: 'Name of a bfd_instance block.',
  ifname: 'A network interface name.',
  port: 'A port, 1 to 65535.',
  prefix: 'Prefix length (netmask bits).',
  [TRACK_WEIGHT.name]: TRACK_WEIGHT.doc,
  ...Object.fromEntries(Object.entries(TRACK_DIRECTIONS).map(([name, d]) => [name, d.doc])),
  ...LVS_METHOD_DOCS,
  script: 'Path of the program, or a quoted command line with arguments.',
  user: 'System user the script runs as.',
  group: 'Group the script runs as (`:GROUP` also sets supplementary groups).',
  fwmark: VIRTUAL_SERVER_FORMS.fwmark,
  ...docsOf(UNICAST_PEER_OPTIONS),
};

/** What the options of one keyword's line mean, where a word means something else elsewhere (`group`). */
const KEYWORD_PARAM_DOCS: Readonly<Record<string, Record<string, string>>> = {
  'global_defs/lvs_sync_daemon': docsOf(LVS_SYNC_DAEMON_OPTIONS),
  virtual_server: VIRTUAL_SERVER_FORMS,
};

function docsOf(options: Record<string, { doc: string }>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.doc]));
}

export function signatureHelp(file: AnalyzedFile, position: Position): SignatureHelp | null {
  const ctx = cursorContext(file, position);
  if (!ctx) return null;
  const texts = ctx.words.map((w) => w.value);
  if (ctx.valueBlock) {
    // A fresh line in a value block starts a value line too.
    const spec = ctx.valueBlock;
    const grammar = valueLineGrammar(spec);
    if (!grammar || (ctx.placed && ctx.placed.role !== 'value-line')) return null;
    return build(grammar, 0, spec, texts, ctx.index);
  }
  if (!ctx.placed) return null;
  const spec = ctx.placed.spec;
  if (ctx.placed.role !== 'keyword' || !spec?.doc) return null;
  const grammar = keywordGrammar(spec);
  // On the keyword itself, show the line with its first argument.
  return build(grammar, spec.name.length + 1, spec, texts.slice(1), Math.max(0, ctx.index - 1));
}

/** The syntax of a keyword line without the block part, starting with the keyword. */
function keywordGrammar(spec: KeywordSpec): string {
  if (spec.args.kind === 'special' && spec.args.shape === 'lvs_method')
    return `${spec.name} ${LVS_METHOD_SYNTAX}`;
  const syntax = spec.doc!.syntax;
  const head = syntax === spec.name || syntax.startsWith(`${spec.name} `) ? syntax : `${spec.name} ${syntax}`;
  return head.replace(/\s*\{.*$/s, '');
}

/** The grammar of one line inside a value block (the part of its syntax between the braces). */
function valueLineGrammar(spec: KeywordSpec): string | undefined {
  if (spec.valueLines === 'ipaddress') return addressLineSyntax(spec.name);
  const inside = /\{\s*(.*?)\s*(\.\.\.)?\s*\}/s.exec(spec.doc?.syntax ?? '')?.[1];
  return inside || undefined;
}

function build(
  label: string,
  from: number,
  spec: KeywordSpec,
  words: string[],
  index: number,
): SignatureHelp | null {
  const alternatives = parseAlternatives(label, from);
  const signatures: SignatureInformation[] = [];
  const params: SyntaxParam[][] = [];
  for (const [k, alt] of alternatives.entries()) {
    if (alt.params.length === 0) continue;
    // Each alternative as a line of its own: `virtual_server fwmark <n>`.
    const end = alternatives[k + 1] ? alternatives[k + 1]!.start - 2 : label.length;
    const prefix = label.slice(0, from);
    const shift = prefix.length - alt.start;
    const text = prefix + label.slice(alt.start, end).trimEnd();
    signatures.push({
      label: text,
      documentation: spec.doc ? { kind: 'markdown', value: spec.doc.summary } : undefined,
      parameters: alt.params.map((p) => parameter(text, p, shift, spec)),
    });
    params.push(alt.params.map((p) => ({ ...p, label: [p.label[0] + shift, p.label[1] + shift] })));
  }
  const total = params.reduce((n, p) => n + p.length, 0);
  if (signatures.length === 0 || (signatures.length === 1 && total < 2)) return null;
  const active = chooseAlternative(signatures, params, words[0]);
  return {
    signatures,
    activeSignature: active,
    activeParameter: activeParameter(params[active]!, words, index),
  };
}

function parameter(label: string, p: SyntaxParam, shift: number, spec: KeywordSpec): ParameterInformation {
  const range: [number, number] = [p.label[0] + shift, p.label[1] + shift];
  const text = label.slice(range[0], range[1]);
  const key = (p.names?.[0] ?? text.replace(/^\W+/, '').split(/[>\]|/\s]/)[0] ?? '').toLowerCase();
  const own = KEYWORD_PARAM_DOCS[spec.path];
  const doc =
    (own && Object.hasOwn(own, key) ? own[key] : undefined) ??
    PARAM_DOCS[key] ??
    PARAM_DOCS[text.toLowerCase()];
  return { label: range, documentation: doc ?? (p.names ? 'Optional.' : undefined) };
}

/** The alternative whose leading literal (`fwmark`, `group`) is the first word, else the first one. */
function chooseAlternative(
  signatures: SignatureInformation[],
  params: SyntaxParam[][],
  first?: string,
): number {
  if (signatures.length < 2 || first === undefined) return 0;
  const k = params.findIndex((p, i) => {
    const head = p[0];
    return head && !head.names && signatures[i]!.label.slice(head.label[0], head.label[1]) === first;
  });
  return k >= 0 ? k : 0;
}
