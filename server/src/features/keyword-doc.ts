// The documentation of a keyword as markdown, from the schema: summary, syntax, default, accepted values,
// example, deprecation, version and build requirements, and the block it belongs to. The one text for a
// keyword: hover shows it and completion items carry it.
import { compareVersions } from '../schema/version';
import { describeBlock, keywordsNamed, type ArgSpec, type KeywordSpec } from '../schema';
import { code, fenced } from './hover-text';

/** Versions from this one on are recent enough that many distributions do not ship them yet. */
const RECENT = '2.2.8';

/** Each keyword's text, made once: the schema never changes, and completion offers dozens per request. */
const docs = new WeakMap<KeywordSpec, string>();

export function keywordDoc(spec: KeywordSpec): string {
  let text = docs.get(spec);
  if (text === undefined) docs.set(spec, (text = writeKeywordDoc(spec)));
  return text;
}

function writeKeywordDoc(spec: KeywordSpec): string {
  const doc = spec.doc;
  const parts: string[] = [`**${spec.name}** · ${blockOf(spec.parent)}`];
  if (doc?.summary) parts.push(doc.summary);
  parts.push(`**Syntax:** ${code(doc?.syntax ?? fallbackSyntax(spec))}`);
  if (doc?.default) parts.push(`**Default:** ${doc.default}`);
  const values = doc?.range ?? valuesOf(spec.args);
  if (values) parts.push(`**Values:** ${values}`);
  if (doc?.example) parts.push(`**Example:**\n\n${fenced(doc.example)}`);
  const d = spec.deprecated;
  if (d?.legacy && d.replacement)
    parts.push(`Legacy spelling: keepalived accepts it, but documents only ${code(d.replacement)}.`);
  else if (d?.replacement) parts.push(`**Deprecated:** use ${code(d.replacement)}.`);
  else if (d) parts.push(`**Deprecated**${d.note ? `: ${d.note}` : ''}.`);
  if (spec.since && compareVersions(spec.since, RECENT) >= 0) parts.push(`Since keepalived ${spec.since}.`);
  if (spec.buildFlags?.length)
    parts.push(`Needs keepalived built with ${spec.buildFlags.map((f) => code(f)).join(', ')}.`);
  return parts.join('\n\n');
}

/** For a keyword line keepalived does not know in its block: where it does belong, if anywhere. */
export function unknownKeywordDoc(name: string, parentPath: string): string {
  const here = describeBlock(parentPath);
  const elsewhere = keywordsNamed(name);
  if (elsewhere.length === 0) return `${code(name)} is not a keepalived keyword (read in ${here}).`;
  const blocks = [...new Set(elsewhere.map((k) => describeBlock(k.parent)))];
  const parts = [`${code(name)} is not a keyword in ${here}; keepalived knows it in ${blocks.join(', ')}.`];
  if (elsewhere.length === 1) parts.push(keywordDoc(elsewhere[0]!));
  return parts.join('\n\n');
}

function blockOf(parent: string): string {
  return parent === '' ? 'top level' : `in ${code(parent.split('/').join(' > '))}`;
}

function valuesOf(args: ArgSpec): string | undefined {
  switch (args.kind) {
    case 'int':
    case 'timer':
      return `${args.min} to ${args.max}`;
    case 'enum':
      return args.values.map((v) => code(v)).join(', ');
    case 'bool':
      return '`true`/`on`/`yes` or `false`/`off`/`no`; nothing means true';
    default:
      return undefined;
  }
}

function fallbackSyntax(spec: KeywordSpec): string {
  const hint: Record<ArgSpec['kind'], string> = {
    none: '',
    bool: ' [on|off]',
    string: ' <VALUE>',
    int: spec.args.kind === 'int' ? ` <${spec.args.min}-${spec.args.max}>` : '',
    timer: ' <SECONDS>',
    enum: spec.args.kind === 'enum' ? ` ${spec.args.values.join('|')}` : '',
    script: ' <SCRIPT> [<USER> [<GROUP>]]',
    user: ' <USER> [<GROUP>]',
    name: ' <NAME>',
    ip: ' <IP>',
    interface: ' <INTERFACE>',
    special: ' ...',
  };
  return `${spec.name}${hint[spec.args.kind]}${spec.block ? ' { ... }' : ''}`;
}
