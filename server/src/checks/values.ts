// Value checks for keyword lines and value-block lines, on the words after `$PARAM` expansion.
import type { Rule } from './rules';
import type { LineContext, RuleFamily } from './family';
import type { PlacedStatement } from '../analysis/document';
import type { Word } from '../syntax/ast';
import { checkArgs, NO_ARG_FINDINGS, type ArgFinding, type Arg } from './values/args';
import { append } from '../analysis/budget';
import { checkValueLine } from './values/lines';
import { checkValueForm, checkValueSince } from './values/forms';
import { checkHandlerValues } from './values/handlers';

/** keepalived keeps the first 8 bytes of auth_pass (VRRPv2 has an 8-byte password field). */
const AUTH_PASS_MAX = 8;

/** `keepalivedVersion`: the targeted release (undefined = the newest), for values whose form changed. */
// Runs on every line: the lines that cannot have findings are told apart before anything is built, and
// those without findings share one empty answer.
function checkValues(placed: PlacedStatement, { keepalivedVersion }: LineContext): readonly ArgFinding[] {
  if (placed.role === 'value-line') {
    const s = placed.statement;
    // An undefined parameter stays as written once every definition is known, as keepalived keeps it.
    if (s.keyword.template !== undefined) return NO_ARG_FINDINGS;
    const first = s.keyword.value.includes('$') ? placed.expandedKeyword : s.keyword.value;
    if (first === undefined || first.includes(' ') || first.includes('\t')) return NO_ARG_FINDINGS;
    const head: Arg = { word: s.keyword, value: first };
    const words = expandedArgs(placed, head);
    if (!words) return NO_ARG_FINDINGS; // depends on a parameter we cannot expand here
    return checkValueLine(placed.valueLines, words, placed.owner?.name ?? '', keepalivedVersion);
  }
  const spec = placed.spec;
  if (placed.role !== 'keyword' || !spec) return NO_ARG_FINDINGS;
  const args = expandedArgs(placed);
  if (!args) return NO_ARG_FINDINGS; // depends on a parameter we cannot expand here
  // What the keyword's own handler does with a word (values/handlers.ts) replaces the schema's generic
  // verdict on that word: the handler may clamp a value the range rejects, and says its consequence.
  const handled = checkHandlerValues(spec.path, args, keepalivedVersion);
  const checked = checkArgs(spec, placed.statement.keyword, args);
  const out =
    handled.length === 0
      ? checked
      : checked.filter((f) => f.rule !== 'invalid-value' || !handled.some((h) => h.start === f.start));
  append(out, checkValueForm(spec.path, args[0], keepalivedVersion));
  append(out, checkValueSince(spec.path, args[0], keepalivedVersion));
  append(out, handled);
  const pass = spec.name === 'auth_pass' ? args[0] : undefined;
  // keepalived compares bytes (strlen in vrrp_parser.c), not characters.
  const bytes = pass ? Buffer.from(pass.value, 'utf8') : undefined;
  if (pass && bytes && bytes.length > AUTH_PASS_MAX) {
    const head = bytes.subarray(0, AUTH_PASS_MAX);
    const kept = head.toString('utf8');
    // A cut through a multi-byte character, or a value that comes from a $PARAMETER, cannot be fixed
    // in place: the fix would write bytes keepalived never sees, or inline one node's value for all.
    const clean = Buffer.from(kept, 'utf8').equals(head) && !pass.word.text.includes('$');
    out.push({
      rule: 'auth-pass-too-long',
      message: `auth_pass is ${bytes.length} bytes; keepalived keeps only the first ${AUTH_PASS_MAX} bytes${clean ? ` ('${kept}')` : ''} and reports "Truncating auth_pass to 8 characters". Use at most ${AUTH_PASS_MAX} bytes so every node agrees on the password.`,
      start: pass.word.start,
      end: pass.word.end,
      fixes: clean
        ? [
            {
              title: `Shorten to '${kept}' (what keepalived uses)`,
              preferred: true,
              edits: [
                {
                  start: pass.word.start,
                  end: pass.word.end,
                  newText: pass.word.quoted ? `"${kept}"` : kept,
                },
              ],
            },
          ]
        : undefined,
    });
  }
  return out;
}

/**
 * The statement's arguments as keepalived will see them. A `$PARAM` that expands to several words is
 * split; undefined when any argument uses a parameter whose value is unknown.
 */
function expandedArgs(placed: PlacedStatement, head?: Arg): Arg[] | undefined {
  const words = placed.statement.args;
  const values = placed.expandedArgs;
  for (let i = 0; i < values.length; i++) if (values[i] === undefined) return undefined;
  // `head`, the value line's first word, goes first.
  const out: Arg[] = head ? [head] : [];
  for (let i = 0; i < words.length; i++) {
    const word: Word = words[i]!;
    const value = values[i]!;
    if (value === word.value || word.quoted) out.push({ word, value });
    else for (const part of value.split(/[ \t]+/).filter(Boolean)) out.push({ word, value: part });
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'missing-argument',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description: 'A keyword without a value it needs.',
  },
  {
    id: 'extra-argument',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'Words after a keyword that keepalived ignores.',
  },
  {
    id: 'invalid-value',
    severity: 'error',
    category: 'correctness',
    scope: 'line',
    description:
      'A value keepalived rejects: out of range, not a number, unknown choice, malformed address or timer.',
  },
  {
    id: 'auth-pass-too-long',
    severity: 'warning',
    category: 'correctness',
    scope: 'line',
    description: 'auth_pass longer than 8 bytes; keepalived truncates it.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    values: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'values',
  rules,
  checks: [{ over: 'line', check: checkValues }],
};
