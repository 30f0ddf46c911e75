// Generates syntaxes/keepalived.tmLanguage.json (scope `source.keepalived`) from the keyword schema
// (server/src/schema/keywords.json), so the highlighter knows exactly the keywords the linter knows.
//
//   node scripts/gen-grammar.mjs           write the grammar
//   node scripts/gen-grammar.mjs --check   exit 1 if the committed grammar differs from what would be written
//
// A TextMate grammar sees one line at a time and has no idea which block it is in, so it follows
// keepalived's line shape instead: `[@id] [~SEQ(...)...] KEYWORD value...`. A keyword is only recognised as
// the first word of a line (or right after a brace), which keeps value words such as `weight` in
// `chk_nginx weight 10` from looking like keywords. The output is formatted with the project's prettier
// settings so that `npm run format` leaves it unchanged (and `--check` keeps passing).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { importTs } from './import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'server/src/schema/keywords.json');
const outPath = join(root, 'syntaxes/keepalived.tmLanguage.json');

/**
 * The words below the keyword (server/src/schema/vocabulary.ts), read from the TypeScript source
 * (scripts/import-ts.mjs), so the grammar and the server read one list.
 * @type {typeof import('../server/src/schema/vocabulary')}
 */
const vocabulary = await importTs(join(root, 'server/src/schema/vocabulary.ts'));
/**
 * The option words of unicast_peer, lvs_sync_daemon, route and rule lines (server/src/schema/line-options.ts).
 * @type {typeof import('../server/src/schema/line-options')}
 */
const lineOptions = await importTs(join(root, 'server/src/schema/line-options.ts'));

/** @type {{ name: string, block?: string, args: { kind: string, values?: string[], caseInsensitive?: boolean, trailing?: string[] } }[]} */
const keywords = JSON.parse(readFileSync(schemaPath, 'utf8'));

// ---------------------------------------------------------------------------------------------------
// Word lists. Sorted with a plain comparison (not localeCompare) so the output never depends on the locale.

const sorted = (words) => [...new Set(words)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** A name that opens a block anywhere (the grammar cannot tell blocks apart, so "anywhere" is the rule). */
const blockNames = sorted(keywords.filter((k) => k.block).map((k) => k.name));
/** Block keywords followed by the name of what they define: vrrp_instance VI_1, vrrp_script chk, ... */
const sectionNames = sorted(keywords.filter((k) => k.block && k.args.kind === 'name').map((k) => k.name));
const plainNames = sorted(keywords.map((k) => k.name).filter((n) => !blockNames.includes(n)));

const BOOLEANS = Object.keys(vocabulary.BOOLEAN_WORDS);

// Words of value lines and of "special" argument shapes. The schema names these shapes (`lvs_method`,
// `ipaddress`, `track`, ...) but does not list their words, so they are kept here, next to their shape.
const SHAPE_CONSTANTS = [
  ...vocabulary.LVS_METHOD_NAMES, // lvs_method
  ...vocabulary.TUNNEL_TYPES,
  ...vocabulary.TUNNEL_CHECKSUMS,
  ...vocabulary.ADDRESS_SCOPES, // virtual_ipaddress `scope`
  ...vocabulary.PREFERRED_LIFETIMES.filter((w) => !/^\d/.test(w)), // virtual_ipaddress `preferred_lft`
];
const SHAPE_OPTIONS = [
  // virtual_ipaddress / static_ipaddress lines
  ...Object.keys(vocabulary.ADDRESS_OPTIONS),
  // *_routes / *_rules lines, and the default route's names
  ...Object.keys(lineOptions.ROUTE_OPTIONS),
  ...Object.keys(lineOptions.RULE_OPTIONS),
  ...lineOptions.DEFAULT_ROUTE_NAMES,
  // unicast_peer lines, lvs_sync_daemon, track_* lines (the trailing words come from the schema below)
  ...Object.keys(lineOptions.UNICAST_PEER_OPTIONS),
  ...Object.keys(lineOptions.LVS_SYNC_DAEMON_OPTIONS),
  vocabulary.TRACK_WEIGHT.name,
  // virtual_server fwmark N / virtual_server group NAME
  ...Object.keys(vocabulary.VIRTUAL_SERVER_FORMS),
];

const enumValues = keywords.flatMap((k) => {
  if (k.args.kind !== 'enum') return [];
  // protocol accepts tcp as well as TCP: offer both spellings to the highlighter.
  return k.args.caseInsensitive
    ? [...k.args.values, ...k.args.values.map((v) => v.toLowerCase())]
    : k.args.values;
});
const trailingWords = keywords.flatMap((k) => k.args.trailing ?? []);

const constants = sorted([...enumValues, ...SHAPE_CONSTANTS]);
const options = sorted([...SHAPE_OPTIONS, ...trailingWords].filter((w) => !constants.includes(w)));

// ---------------------------------------------------------------------------------------------------
// Regular expression pieces (Oniguruma syntax).

const escape = (word) => word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const alternation = (words) => `(?:${words.map(escape).join('|')})`;

/** A value starts at the line start, after whitespace, a brace, `(` or `,` (~SEQ/~LST) or `=` ($NAME=). */
const BEFORE = '(?<![^\\s{}(,=])';
/** ... and ends before whitespace, a brace, a comment, a quote, `)` or `,`, or at the end of the line. */
const AFTER = '(?![^\\s{}#!"),])';
/**
 * Where a keyword may stand: the start of a line, or just after a brace (`vrrp_instance X { state MASTER }`),
 * then an optional `@id`/`@^id` condition and any `~SEQ(...)`/`~LST(...)` loop prefixes.
 * Captures: 1 = condition, 2 = loop prefixes.
 */
const LINE_HEAD = '(?:^|(?<=[{}]))\\s*(?:(@\\^?[^\\s#!{}"]*)\\s+)?((?:~(?:SEQx?|LST)\\([^)]*\\)\\s*)*)';
const PARAM_NAME = '[A-Za-z_][A-Za-z0-9_]*';

/** Captures 1 and 2 of LINE_HEAD, shared by every keyword rule. */
const headCaptures = {
  1: { name: 'keyword.control.conditional.keepalived' },
  2: { patterns: [{ include: '#sequence' }] },
};

// ---------------------------------------------------------------------------------------------------
// The grammar.

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'keepalived',
  scopeName: 'source.keepalived',
  comment: `Generated by scripts/gen-grammar.mjs from server/src/schema/keywords.json (${keywords.length} keywords). Do not edit by hand.`,
  patterns: [
    { include: '#include' },
    { include: '#definition' },
    { include: '#section' },
    { include: '#block-keyword' },
    { include: '#keyword' },
    { include: '#conditional' },
    { include: '#sequence' },
    { include: '#value' },
  ],
  repository: {
    // include/includer/includem/includew/includeb/includea PATH: detected by keepalived before @id and
    // $PARAM processing, so only a bare first word counts.
    include: {
      begin: `^\\s*(${Object.keys(vocabulary.INCLUDE_VARIANTS).join('|')})(?=\\s|$)`,
      beginCaptures: { 1: { name: 'keyword.control.include.keepalived' } },
      end: '$',
      patterns: [
        { include: '#comment' },
        { match: '[^\\s#!]+', name: 'string.unquoted.path.keepalived markup.underline.link.keepalived' },
      ],
    },
    // $NAME=VALUE at the start of a line (after an optional @id); a trailing `\` continues the value.
    definition: {
      begin: `^\\s*(?:(@\\^?[^\\s#!{}"]*)\\s+)?(\\$${PARAM_NAME})(=)`,
      beginCaptures: {
        1: { name: 'keyword.control.conditional.keepalived' },
        2: { name: 'variable.other.definition.keepalived' },
        3: { name: 'keyword.operator.assignment.keepalived' },
      },
      end: '$',
      patterns: [{ include: '#value' }],
    },
    section: {
      match: `${LINE_HEAD}(${alternation(sectionNames)})${AFTER}(?:\\s+([^\\s{}#!"]+))?`,
      captures: {
        ...headCaptures,
        3: { name: 'keyword.other.block.keepalived' },
        4: { patterns: [{ include: '#parameter' }, { match: '.+', name: 'entity.name.section.keepalived' }] },
      },
    },
    'block-keyword': {
      match: `${LINE_HEAD}(${alternation(blockNames)})${AFTER}`,
      captures: { ...headCaptures, 3: { name: 'keyword.other.block.keepalived' } },
    },
    keyword: {
      match: `${LINE_HEAD}(${alternation(plainNames)})${AFTER}`,
      captures: { ...headCaptures, 3: { name: 'keyword.other.keepalived' } },
    },
    // A condition on a line whose keyword is unknown (or on an empty line, which keepalived drops).
    conditional: {
      match: '^\\s*(@\\^?[^\\s#!{}"]*)',
      captures: { 1: { name: 'keyword.control.conditional.keepalived' } },
    },
    // ~SEQ(var, [start,] [step,] end), ~SEQx(...) (hex), ~LST(var, v1, v2, ...): loop prefixes.
    sequence: {
      begin: '(~(?:SEQx?|LST))(\\()',
      beginCaptures: {
        1: { name: 'keyword.control.loop.keepalived' },
        2: { name: 'punctuation.section.parens.begin.keepalived' },
      },
      end: '\\)',
      endCaptures: { 0: { name: 'punctuation.section.parens.end.keepalived' } },
      patterns: [
        { match: `(?<=\\()\\s*(${PARAM_NAME})`, captures: { 1: { name: 'variable.other.loop.keepalived' } } },
        { match: ',', name: 'punctuation.separator.comma.keepalived' },
        { include: '#value' },
      ],
    },
    // Everything that may follow a keyword. Order matters where two rules match at the same place.
    value: {
      patterns: [
        { include: '#comment' },
        { include: '#escape' },
        { match: '\\\\\\s*$', name: 'constant.character.escape.line-continuation.keepalived' },
        { include: '#string' },
        { include: '#parameter' },
        { match: '\\{', name: 'punctuation.section.block.begin.keepalived' },
        { match: '\\}', name: 'punctuation.section.block.end.keepalived' },
        { include: '#ipv6' },
        { include: '#ipv4' },
        { include: '#number' },
        { match: `${BEFORE}${alternation(BOOLEANS)}${AFTER}`, name: 'constant.language.boolean.keepalived' },
        { match: `${BEFORE}${alternation(constants)}${AFTER}`, name: 'constant.language.keepalived' },
        { match: `${BEFORE}${alternation(options)}${AFTER}`, name: 'support.constant.option.keepalived' },
      ],
    },
    // `#` and `!` start a comment anywhere outside quotes; `\#` and `\!` are escapes (see #escape).
    comment: {
      patterns: [
        {
          match: '(?<!\\\\)(#).*$',
          name: 'comment.line.number-sign.keepalived',
          captures: { 1: { name: 'punctuation.definition.comment.keepalived' } },
        },
        {
          match: '(?<!\\\\)(!).*$',
          name: 'comment.line.exclamation.keepalived',
          captures: { 1: { name: 'punctuation.definition.comment.keepalived' } },
        },
      ],
    },
    escape: { match: '\\\\[#!]', name: 'constant.character.escape.keepalived' },
    // A string ends at its closing quote or, unterminated, at the end of the line (keepalived reads lines).
    string: {
      begin: '"',
      beginCaptures: { 0: { name: 'punctuation.definition.string.begin.keepalived' } },
      end: '(")|$',
      endCaptures: { 1: { name: 'punctuation.definition.string.end.keepalived' } },
      name: 'string.quoted.double.keepalived',
      patterns: [
        // keepalived substitutes parameters before it splits words, so they work inside quotes too.
        { include: '#parameter' },
        // Script commands are re-read with shell-like escapes (\n, \t, \", \\, ...).
        { match: '\\\\.', name: 'constant.character.escape.keepalived' },
      ],
    },
    // ${NAME} anywhere; $NAME when followed by whitespace, `,`, `)` or the end of the line.
    parameter: {
      patterns: [
        {
          match: `(\\$\\{)(${Object.keys(vocabulary.BUILTIN_PARAMETERS).join('|')})\\b([^}]*)(\\})`,
          name: 'variable.language.keepalived',
          captures: {
            1: { name: 'punctuation.definition.variable.keepalived' },
            4: { name: 'punctuation.definition.variable.keepalived' },
          },
        },
        {
          match: '(\\$\\{)([^}]*)(\\})',
          name: 'variable.parameter.keepalived',
          captures: {
            1: { name: 'punctuation.definition.variable.keepalived' },
            3: { name: 'punctuation.definition.variable.keepalived' },
          },
        },
        {
          match: `(\\$)${PARAM_NAME}(?=[\\s,)]|$)`,
          name: 'variable.parameter.keepalived',
          captures: { 1: { name: 'punctuation.definition.variable.keepalived' } },
        },
      ],
    },
    // fe80::1/64, 2001:db8::10-20, ::ffff:192.0.2.1, fe80::1%eth0 (at least two colons: not eth0:1).
    ipv6: {
      match: `${BEFORE}[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)(?:\\d{1,3}\\.){3}\\d{1,3})?(?:%[\\w.-]+)?(?:-[0-9A-Fa-f]{1,4})?(?:/\\d{1,3})?${AFTER}`,
      name: 'constant.numeric.ip.ipv6.keepalived',
    },
    // 192.168.50.100/24, ranges in the last group: 10.0.0.1-5.
    ipv4: {
      match: `${BEFORE}(?:\\d{1,3}\\.){3}\\d{1,3}(?:-\\d{1,3})?(?:/\\d{1,2})?${AFTER}`,
      name: 'constant.numeric.ip.ipv4.keepalived',
    },
    // Integers (ports, priorities, weights) and decimal timers (advert_int 0.5).
    number: {
      patterns: [
        { match: `${BEFORE}-?\\d+\\.\\d+${AFTER}`, name: 'constant.numeric.decimal.keepalived' },
        { match: `${BEFORE}-?\\d+${AFTER}`, name: 'constant.numeric.integer.keepalived' },
      ],
    },
  },
};

// ---------------------------------------------------------------------------------------------------

const prettierOptions = (await prettier.resolveConfig(outPath)) ?? {};
const output = await prettier.format(JSON.stringify(grammar), { ...prettierOptions, filepath: outPath });

if (process.argv.includes('--check')) {
  const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
  if (current !== output) {
    console.error(`${relative(root, outPath)} is out of date: run node scripts/gen-grammar.mjs`);
    process.exit(1);
  }
  console.log(`${relative(root, outPath)} is up to date.`);
} else {
  writeFileSync(outPath, output);
  console.log(
    `Wrote ${relative(root, outPath)}: ${blockNames.length} block keywords, ${plainNames.length} other keywords.`,
  );
}
