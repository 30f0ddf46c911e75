// `$NAME` / `${NAME}` substitution as keepalived does it: recursive, with undefined names left as written.
import type { Definition, Word } from '../syntax/ast';
import { decommentLine } from '../syntax/decomment';
import { builtinParameter } from '../schema/vocabulary';
import { MAX_CONFIG_EXPANSION_STEPS, MAX_EXPANSION_CHARS, MAX_EXPANSION_STEPS } from './budget';

export type ParamTable = Map<string, Definition>;

/**
 * keepalived's predefined names (schema/vocabulary.ts): a fixed text, or null when the value depends on the
 * running host (checks treat those as unknown). `_PWD` is one of those here; the reader knows it.
 */
const builtinValue = (name: string): string | null | undefined => builtinParameter(name)?.value;

/**
 * What a name stands for, as find_definition() looks it up: a definition of the table first (a `$_HASH=...`
 * line overrides keepalived's own, and the reader keeps `_PWD` there as the folder of the file being
 * read), then a predefined one: its fixed text, or null when it depends on the running host.
 */
function meaningOf(name: string, params: ParamTable): Definition | string | null | undefined {
  return params.get(name) ?? builtinValue(name);
}

/**
 * How deep parameter values may use one another before a value counts as unknown (hover says why at the
 * same depth). Cycles are reported apart (checks/param-cycles.ts), and the work by MAX_EXPANSION_STEPS.
 */
export const MAX_PARAM_DEPTH = 20;

const SPACE = /\s/;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

interface Use {
  name: string;
  index: number;
  length: number;
}

/**
 * The `${NAME}`, `${NAME params...}` and `$NAME` uses of a text, in order: what the regular expression
 * /\$\{(NAME)(?:\s[^}]*)?\}|\$(NAME)(?=$|[\s,)])/g finds, in one pass (that expression takes quadratic
 * time on a text with many `${NAME ` and no `}` after them).
 */
function scanUses(text: string): Use[] {
  const uses: Use[] = [];
  let closeAt = -1; // the first '}' at or after the last position looked at, -2 when there is none
  for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i)) {
    const braced = text.charCodeAt(i + 1) === 123; /* { */
    const from = braced ? i + 2 : i + 1;
    let end = from;
    if (isNameStart(text.charCodeAt(end))) {
      end++;
      while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
      if (braced) {
        if (text[end] === '}') {
          uses.push({ name: text.slice(from, end), index: i, length: end + 1 - i });
          i = end + 1;
          continue;
        }
        if (end < text.length && SPACE.test(text[end]!)) {
          if (closeAt !== -2 && closeAt < end) closeAt = text.indexOf('}', end);
          if (closeAt === -1) closeAt = -2;
          if (closeAt >= 0) {
            uses.push({ name: text.slice(from, end), index: i, length: closeAt + 1 - i });
            i = closeAt + 1;
            continue;
          }
        }
      } else if (end >= text.length || SPACE.test(text[end]!) || text[end] === ',' || text[end] === ')') {
        uses.push({ name: text.slice(from, end), index: i, length: end - i });
        i = end;
        continue;
      }
    }
    i++;
  }
  return uses;
}

/**
 * The work one expansion may do (MAX_EXPANSION_STEPS substitutions, MAX_EXPANSION_CHARS characters of
 * result), and the budget that stopped it. A definition that doubles itself (`$D=${D}${D}`) would
 * otherwise take 2^20 substitutions.
 */
export interface ExpansionBudget {
  steps: number;
  hit?: 'MAX_EXPANSION_STEPS' | 'MAX_EXPANSION_CHARS' | 'MAX_CONFIG_EXPANSION_STEPS';
  shared?: SharedExpansion;
}

/**
 * What the expansions of one configuration share: the substitutions left (MAX_CONFIG_EXPANSION_STEPS),
 * and the values worked out so far, by definition and depth (valid until the table changes: clear()).
 */
export interface SharedExpansion {
  steps: number;
  memo: Map<Definition, (string | undefined | null)[]>;
}

export function sharedExpansion(): SharedExpansion {
  return { steps: MAX_CONFIG_EXPANSION_STEPS, memo: new Map() };
}

export function newExpansionBudget(shared?: SharedExpansion): ExpansionBudget {
  return { steps: MAX_EXPANSION_STEPS, shared };
}

/** What expandWord() answers for a word without a `$`: its value, unknown for a template expression. */
export function unexpandedValue(word: Word): string | undefined {
  return word.template !== undefined ? undefined : word.value;
}

/**
 * The value of a word after parameter expansion, or undefined when it uses a parameter whose value is not
 * known here (undefined in this file, host-dependent, recursive beyond reason, or over budget: then
 * `budget.hit` names the budget).
 */
export function expandWord(
  word: Word,
  params: ParamTable,
  complete = false,
  budget: ExpansionBudget = newExpansionBudget(),
): string | undefined {
  if (word.template !== undefined) return undefined; // a template expression: rendered, so unknown here
  if (!word.value.includes('$')) return word.value;
  return expandText(word.value, params, 0, complete, budget);
}

/**
 * `complete`: the table holds every definition there is, so an undefined name stays as written (what
 * keepalived does); otherwise an undefined name makes the value unknown.
 */
export function expandText(
  text: string,
  params: ParamTable,
  depth: number,
  complete = false,
  budget: ExpansionBudget = newExpansionBudget(),
): string | undefined {
  if (depth > MAX_PARAM_DEPTH || budget.hit) return undefined;
  if (!text.includes('$')) return text;
  let unknown = false;
  let out = '';
  let last = 0;
  for (const m of scanUses(text)) {
    const whole = text.slice(m.index, m.index + m.length);
    const name = m.name;
    let value: string;
    const meaning = meaningOf(name, params);
    if (typeof meaning === 'string') value = meaning;
    else if (meaning === null) {
      unknown = true;
      value = whole;
    } else {
      const def = meaning;
      if (!def) {
        if (!complete) unknown = true;
        value = whole;
      } else if (def.multiline) {
        // A multi-line value is never a word's value: keepalived substitutes it only at the end of a line
        // (the reader's expandLine() has done that), and leaves a use anywhere else as written. Working
        // it out here would only expand its lines again, at every depth (a definition using itself
        // through another is expanded 20 levels deep per use).
        unknown = true;
        value = whole;
      } else if (--budget.steps < 0) {
        budget.hit ??= 'MAX_EXPANSION_STEPS';
        return undefined;
      } else if (budget.shared && --budget.shared.steps < 0) {
        budget.hit ??= 'MAX_CONFIG_EXPANSION_STEPS';
        return undefined;
      } else {
        // The value of a definition at a depth only changes with the table, so it is worked out once.
        const memo = budget.shared?.memo;
        const slot = 2 * (depth + 1) + (complete ? 1 : 0);
        let known = memo?.get(def);
        let inner: string | undefined;
        if (known && known[slot] !== undefined) inner = known[slot] ?? undefined;
        else {
          inner = expandText(def.value, params, depth + 1, complete, budget);
          if (budget.hit) return undefined;
          if (memo) {
            if (!known) memo.set(def, (known = []));
            known[slot] = inner ?? null;
          }
        }
        if (inner === undefined) unknown = true;
        value = inner ?? whole;
      }
    }
    out += text.slice(last, m.index) + value;
    last = m.index + whole.length;
    if (out.length + text.length - last > MAX_EXPANSION_CHARS) {
      budget.hit = 'MAX_EXPANSION_CHARS';
      return undefined;
    }
  }
  out += text.slice(last);
  return unknown ? undefined : out;
}

/**
 * `${_PWD}` while `path` is read: keepalived changes into the folder of each file it opens (lib/parser.c
 * open_glob_file(), chdir) and `_PWD` is its getcwd(). That folder is where the file is deployed, taken to
 * be where it is, as relative include paths are.
 */
export function pwdDefinition(path: string): Definition {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const folder = cut < 0 ? '.' : cut === 0 ? '/' : path.slice(0, cut);
  const none = { start: 0, end: 0 };
  return { name: '_PWD', nameSpan: none, value: folder, valueSpan: none, multiline: false };
}

/** Names used in a text, for references and the undefined-parameter check. */
export function paramUses(text: string): { name: string; index: number; length: number }[] {
  return text.includes('$') ? scanUses(text) : [];
}

/**
 * The lines of a multi-line definition as keepalived stores them (check_definition() and read_line() in
 * lib/parser.c): each line decommented, its final `\` and the blanks before it removed, and lines left
 * empty dropped. keepalived puts the first line where the parameter is used and reads the others as the
 * lines that follow it.
 */
export function definitionLines(def: Definition): string[] {
  if (!def.multiline) return [def.value];
  const lines: string[] = [];
  for (const raw of def.value.split(/\r\n|\r|\n/)) {
    let text = decommentLine(raw).text;
    if (text.endsWith('\\')) {
      let end = text.length - 1;
      while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
      text = text.slice(0, end);
    }
    if (text !== '') lines.push(text);
  }
  return lines;
}

/**
 * What keepalived puts in place of a use of `name`: the definition's text (a multi-line one as its lines
 * joined by line breaks), a predefined literal (`_HASH`, `_BANG`), or undefined when the value is not
 * known here (undefined name, or one that depends on the running host).
 */
export function substitution(
  name: string,
  params: ParamTable,
): { text: string; multiline: boolean } | undefined {
  const def = meaningOf(name, params);
  if (typeof def === 'string') return { text: def, multiline: false };
  if (!def) return undefined;
  return def.multiline ? multilineSubstitution(def) : { text: def.value, multiline: false };
}

/**
 * A multi-line definition's substitution, worked out once per definition: a `~SEQ` line that uses one
 * substitutes it once per value (tens of thousands of times in generated configs).
 */
const multilineValues = new WeakMap<Definition, { text: string; multiline: true }>();

function multilineSubstitution(def: Definition): { text: string; multiline: true } {
  let value = multilineValues.get(def);
  if (!value) multilineValues.set(def, (value = { text: definitionLines(def).join('\n'), multiline: true }));
  return value;
}

/** Characters of a value that can change the words of a line it is substituted into, or start a new use. */
const RESHAPING = /[\s{}"#!$\\]/;

/**
 * The uses in `text` can only substitute plain words into it: each names a one-line definition whose
 * value is neither empty nor holds a blank, brace, quote, comment mark, `$` or backslash; or a name that
 * is left as written without splitting the line (host-dependent, or undefined and not `${NAME}` when
 * `complete`). Then the line keeps its shape whatever the values, and expandLine() has nothing to do:
 * most lines of a generated configuration (`real_server 10.0.${NET}.${HOST} $PORT {`) are such lines.
 */
export function substitutesPlainWords(text: string, params: ParamTable, complete: boolean): boolean {
  for (const use of scanUses(text)) {
    const def = meaningOf(use.name, params);
    if (typeof def === 'string') return false; // a literal such as `_HASH`: a comment mark
    if (def === null) continue; // host-dependent: left as written
    if (!def) {
      if (complete && text.charCodeAt(use.index + 1) === 123 /* { */) return false;
      continue;
    }
    if (!plainValue(def)) return false;
  }
  return true;
}

/** Whether a definition's value is a plain word (worked out once per definition). */
const plainValues = new WeakMap<Definition, boolean>();

function plainValue(def: Definition): boolean {
  let plain = plainValues.get(def);
  if (plain === undefined)
    plainValues.set(def, (plain = !def.multiline && def.value !== '' && !RESHAPING.test(def.value)));
  return plain;
}

/** keepalived has a value for the name: a definition, or one of its predefined names. */
export function isDefinedName(name: string, params: ParamTable): boolean {
  return params.has(name) || builtinParameter(name) !== undefined;
}
