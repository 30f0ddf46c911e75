// Structure checks: quotes, overlong lines, template line joins, and whether each keyword exists in the block
// it is in (the braces: checks/braces.ts).
import type { Rule } from './rules';
import type { LineContext, RuleFamily } from './family';
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { Word } from '../syntax/ast';
import { describeBlock, keywordsIn, keywordsNamed, lookupKeyword, type KeywordSpec } from '../schema';
import type { Finding } from './finding';
import type { Suggester } from './suggest';
import { newerThan } from '../analysis/newer';
import { checkLineLengths } from './lines';

export function checkSyntax(
  file: AnalyzedFile,
  options: { keepalivedVersion?: string } = {},
): (Finding & { severity?: 'warning' })[] {
  const out: (Finding & { severity?: 'warning' })[] = [];
  out.push(...checkLineLengths(file, options.keepalivedVersion ?? file.model?.options.keepalivedVersion));
  // Ansible's trim_blocks (syntax/templates.ts joinedLines): the rendered line is not the line as written.
  for (const tag of file.tree.template?.joins ?? [])
    out.push({
      rule: 'template-lines-joined',
      message:
        "Ansible renders this template with Jinja's trim_blocks, which drops the line break right after a block tag: the next line is rendered onto this one, so keepalived reads the two as one line (where no blank stands at the join, two words run together). Put the tag on a line of its own, or end it with '+%}' to keep the line break.",
      start: tag.start,
      end: tag.end,
    });
  return out;
}

/** What the checks run on every line return for a line without findings (most lines): shared, never added to. */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** The checks of one placed line, in the order they have always run (index.ts runs values' after). */
function checkLine(placed: PlacedStatement, context: LineContext): readonly Finding[] {
  const quotes = checkUnterminatedQuotes(placed);
  const sequences = placed.statement.sequences.length ? checkSequences(placed) : NO_FINDINGS;
  const keyword = placed.role === 'keyword' ? checkKeyword(placed, context) : NO_FINDINGS;
  // Most lines have none: the shared empty answer, no array built.
  if (sequences.length === 0 && keyword.length === 0) return quotes;
  if (quotes.length === 0 && sequences.length === 0) return keyword;
  return [...quotes, ...sequences, ...keyword];
}

function checkUnterminatedQuotes(placed: PlacedStatement): readonly Finding[] {
  const s = placed.statement;
  if (!s.keyword.unterminated && !anyUnterminated(s.args)) return NO_FINDINGS;
  const words = [s.keyword, ...s.args];
  return words
    .filter((w) => w.unterminated)
    .map((w) => ({
      rule: 'unterminated-quote' as const,
      message: placed.spec?.script
        ? `The quote opened here is not closed on this line; keepalived takes the rest of the line as the script. Add the closing '"'.`
        : `Unmatched quote: the string opened here is not closed on this line. Add the closing '"'.`,
      start: w.start,
      end: w.end,
    }));
}

function anyUnterminated(words: readonly Word[]): boolean {
  for (const w of words) if (w.unterminated) return true;
  return false;
}

/** `~SEQ(` / `~LST(` without its closing parenthesis (keepalived: "~SEQ missing terminating ')'"). */
function checkSequences(placed: PlacedStatement): Finding[] {
  return placed.statement.sequences
    .filter((w) => !w.value.endsWith(')'))
    .map((w) => ({
      rule: 'syntax-error' as const,
      message: `'${w.value}' is missing its closing ')': keepalived reports "Invalid ~SEQ specification" and skips the line.`,
      start: w.start,
      end: w.end,
    }));
}

/** Unknown keywords, keywords in the wrong block, keywords too new for the target, deprecated ones, braces. */
function checkKeyword(placed: PlacedStatement, context: LineContext): readonly Finding[] {
  const s = placed.statement;
  const word = s.keyword;
  if (word.value.includes('$')) return undefinedParameterKeyword(placed);
  if (word.template !== undefined) return NO_FINDINGS; // a template expression: the keyword is what it renders to
  const spec = placed.spec;
  if (placed.tooNew) return [unsupported(placed.tooNew, word, context.keepalivedVersion ?? '')];
  if (!spec) return [unknownOrMisplaced(placed, context.suggester)];
  const version = context.keepalivedVersion;
  const tooNew = !!spec.since && !!version && newerThan(spec.since, version);
  const deprecated = !!spec.deprecated && !replacementTooNew(spec, version);
  if (!tooNew && !deprecated) return NO_FINDINGS; // a known keyword, as almost every line

  const out: Finding[] = [];
  if (tooNew) out.push(unsupported(spec, word, version));
  if (deprecated) out.push(deprecation(spec, { start: word.start, end: word.end }));
  return out;
}

/**
 * A keyword that is a parameter use: its expansion is checked where it is known. When every definition is
 * known and a parameter in it has none, keepalived keeps the '$NAME' as written and looks that up as the
 * keyword ("Unknown keyword '$NAME'"), so the line is ignored.
 */
function undefinedParameterKeyword(placed: PlacedStatement): Finding[] {
  const word = placed.statement.keyword;
  const name = placed.expandedKeyword;
  if (placed.spec || placed.tooNew || name === undefined || !name.includes('$') || /\s/.test(name)) return [];
  const rest = placed.statement.args.map((a) => a.text).join(' ');
  return [
    {
      rule: 'unknown-keyword',
      message: `No parameter here defines '${name}', so keepalived keeps '${name}' as written and reports "Unknown keyword '${name}'": it ignores this line${rest ? `, so '${rest}' is not set` : ''}.`,
      start: word.start,
      end: word.end,
    },
  ];
}

function unsupported(spec: KeywordSpec, word: Word, version: string): Finding {
  const block = spec.block ? ', with the lines of its block read at the current level' : '';
  return {
    rule: 'unsupported-keyword',
    message: `'${spec.name}' was added in keepalived ${spec.since}; keepalived ${version} reports "Unknown keyword '${spec.name}'" and ignores it${block}.`,
    start: word.start,
    end: word.end,
  };
}

/**
 * The replacement of a deprecated keyword is newer than the targeted version: there the old spelling is
 * the only one keepalived knows (vrrp_rlimit_rtime before 2.1.0), so it is not deprecated, and the fix
 * would make keepalived report the replacement as an unknown keyword.
 */
function replacementTooNew(spec: KeywordSpec, version: string | undefined): boolean {
  const replacement = spec.deprecated?.replacement;
  if (!replacement || !version) return false;
  const since = lookupKeyword(spec.parent, replacement)?.since;
  return since !== undefined && newerThan(since, version);
}

function deprecation(spec: KeywordSpec, range: { start: number; end: number }): Finding {
  const d = spec.deprecated!;
  const fixes = d.replacement
    ? [
        {
          title: `Replace with '${d.replacement}'`,
          edits: [{ ...range, newText: d.replacement }],
          preferred: true,
        },
      ]
    : undefined;
  if (d.legacy) {
    return {
      rule: 'legacy-keyword',
      message: `'${spec.name}' is an old spelling of '${d.replacement}'; keepalived accepts it, but its documentation only describes '${d.replacement}'.`,
      ...range,
      fixes,
    };
  }
  return {
    rule: 'deprecated-keyword',
    message: d.replacement
      ? `'${spec.name}' is deprecated: use '${d.replacement}' instead.`
      : `'${spec.name}' is deprecated: ${d.note ?? 'remove it'}.`,
    ...range,
    fixes,
    tags: ['deprecated'],
  };
}

/** The keyword names of each block, one array per block (the schema does not change). */
const namesByBlock = new Map<string, readonly string[]>();

function keywordNamesIn(parentPath: string): readonly string[] {
  let names = namesByBlock.get(parentPath);
  if (!names) namesByBlock.set(parentPath, (names = keywordsIn(parentPath).map((k) => k.name)));
  return names;
}

function unknownOrMisplaced(placed: PlacedStatement, suggester: Suggester): Finding {
  const word = placed.statement.keyword;
  const range = { start: word.start, end: word.end };
  const elsewhere = keywordsNamed(word.value);
  const here = describeBlock(placed.parentPath);
  if (elsewhere.length > 0) {
    const blocks = [...new Set(elsewhere.map((k) => describeBlock(k.parent)))];
    const shown =
      blocks.slice(0, 4).join(', ') + (blocks.length > 4 ? `, and ${blocks.length - 4} more` : '');
    return {
      rule: 'wrong-block',
      message: `'${word.value}' is not valid in ${here}: it belongs in ${shown}. keepalived reports "Unknown keyword" here.`,
      ...range,
    };
  }
  if (word.value === '\\')
    return {
      rule: 'unknown-keyword',
      message: `A '\\' that ends a line is kept by keepalived, even at the end of a comment: it reads the '\\' here as a keyword and reports "Unknown keyword '\\'" in ${here}. keepalived joins no lines outside a $NAME= definition; remove the final '\\'.`,
      ...range,
    };
  const suggestions = suggester.closest(word.value, keywordNamesIn(placed.parentPath));
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((x) => `'${x}'`).join(' or ')}?` : '';
  return {
    rule: 'unknown-keyword',
    message: `Unknown keyword '${word.value}' in ${here}.${hint}`,
    ...range,
    fixes: suggestions.map((x, i) => ({
      title: `Change to '${x}'`,
      edits: [{ ...range, newText: x }],
      preferred: i === 0 && suggestions.length === 1,
      manual: true,
    })),
  };
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'syntax-error',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description: 'A line keepalived cannot read (stray text the grammar cannot place).',
  },
  {
    id: 'unterminated-quote',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description: 'A quoted string with no closing quote on its line.',
  },
  {
    id: 'unknown-keyword',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A keyword keepalived does not know anywhere.',
  },
  {
    id: 'wrong-block',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A known keyword used in a block where keepalived does not accept it.',
  },
  {
    id: 'unsupported-keyword',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A keyword newer than the targeted keepalived version (keepalived reports it as unknown).',
  },
  {
    id: 'deprecated-keyword',
    severity: 'warning',
    category: 'style',
    scope: 'line',
    description: 'A keyword keepalived deprecated, with its replacement.',
  },
  {
    id: 'legacy-keyword',
    severity: 'hint',
    category: 'style',
    scope: 'line',
    description: 'An old spelling keepalived still accepts silently (lb_algo, lb_kind).',
  },
  {
    id: 'template-lines-joined',
    severity: 'warning',
    category: 'syntax',
    scope: 'line',
    description:
      "In an Ansible template (.j2 under templates/), a block tag that ends a line of keepalived text: Jinja's trim_blocks drops its line break, so the next line is rendered onto this one.",
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    structure: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'structure',
  rules,
  checks: [
    { over: 'file', check: checkSyntax },
    { over: 'line', check: checkLine },
  ],
};
