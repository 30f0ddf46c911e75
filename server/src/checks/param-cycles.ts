// Parameters defined through themselves. keepalived's replace_param() (lib/parser.c, the same in 2.2.7 and
// 2.4.3) substitutes a use in place and scans again from the same position, so a use whose value leads
// back to it is substituted again: if the line stops growing, keepalived loops for ever (keepalived -t
// never returns, the daemon never finishes reading its configuration); if it grows, keepalived stops at
// its line limit ("Parameter substitution on line ... would exceed maximum line length", logged only)
// and reads the half-substituted line. Found by replaying replace_param() on each line that uses a name
// on a cycle, with the definitions in force at that line (in reading order, across included files).
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { ConfigModel } from '../analysis/model';
import { paramUses, type ParamTable } from '../analysis/params';
import { readingOrder, type ReadLine } from '../analysis/reading-order';
import type { Definition } from '../syntax/ast';
import { builtinParameter } from '../schema/vocabulary';
import { MAXBUF } from '../schema/limits';
import type { FileFinding } from './references';

/** Replays longer than this are not judged (no finding). */
const MAX_REPLAY_STEPS = 2048;
/** A cycle search visits at most this many names. */
const MAX_CYCLE_NAMES = 256;

type Outcome = { kind: 'hangs' | 'too-long'; name: string };

export function checkParamCycles(
  model: ConfigModel,
  lines: readonly ReadLine[] = readingOrder(model),
): FileFinding[] {
  // A cycle goes through definitions: without any (most configurations), no line needs a look. The
  // symbol index holds every active definition, so this spares the pass over every line.
  if (!model.symbols.definitions.some((d) => d.kind === 'param')) return [];
  const table: ParamTable = new Map();
  let onCycle = new Map<string, boolean>();
  const out: FileFinding[] = [];
  for (const { path: file, placed: p } of lines) {
    if (p.inactive) continue;
    const s = p.statement;
    if (s.kind === 'definition' && s.definition) {
      const d = s.definition;
      table.set(d.name, d);
      // A value that uses names may close a cycle through names judged acyclic so far: judge again. One
      // that uses none can only break cycles.
      if (paramUses(d.value).length > 0) onCycle = new Map();
      else for (const [n, yes] of onCycle) if (yes || n === d.name) onCycle.delete(n);
      continue;
    }
    // A line an expansion made stands for a line already judged; a loop line sets its own variables.
    if (s.kind !== 'keyword' || p.expansionOf || s.sequences.length > 0) continue;
    // Most lines use no parameter: told apart without joining their words.
    if (!s.keyword.text.includes('$') && !s.args.some((a) => a.text.includes('$'))) continue;
    const text = [s.keyword, ...s.args].map((w) => w.text).join(' ');
    if (!paramUses(text).some((u) => cyclic(u.name, table, onCycle))) continue;
    const outcome = replay(text, table);
    if (!outcome) continue;
    const d = table.get(outcome.name)!;
    out.push({
      file,
      rule: 'parameter-cycle',
      // keepalived accepts a line it garbled (it may even be valid), but never gets past one that loops.
      ...(outcome.kind === 'too-long' ? { severity: 'warning' as const } : {}),
      message:
        outcome.kind === 'hangs'
          ? `$${outcome.name} leads back to itself ($${d.name}=${oneLine(d.value)}) without the line growing: keepalived substitutes it again and again and never finishes reading this line, so keepalived -t never returns and the daemon never starts. Define it without using itself.`
          : `$${outcome.name} leads back to itself ($${d.name}=${oneLine(d.value)}): each substitution makes this line longer until it passes keepalived's ${MAXBUF}-byte line limit; keepalived then stops substituting (it only logs "would exceed maximum line length") and reads the half-substituted line. Define it without using itself.`,
      start: s.keyword.start,
      end: (s.args[s.args.length - 1] ?? s.keyword).end,
    });
  }
  return out;
}

/**
 * Whether `name`'s value leads back to a name already on the way (a cycle), with this table. A search that
 * would visit more than MAX_CYCLE_NAMES names gives up (no finding): cycles that long are not written.
 */
function cyclic(name: string, table: ParamTable, memo: Map<string, boolean>): boolean {
  const known = memo.get(name);
  if (known !== undefined) return known;
  let visits = 0;
  // Depth-first over the names each value uses, with an explicit stack (no recursion on input).
  const onPath = new Set<string>();
  const stack: { name: string; next: string[] }[] = [];
  const enter = (n: string): void => {
    onPath.add(n);
    const def = table.get(n);
    stack.push({ name: n, next: def && !def.multiline ? paramUses(def.value).map((u) => u.name) : [] });
  };
  enter(name);
  let found = false;
  while (stack.length > 0 && !found) {
    const top = stack[stack.length - 1]!;
    const n = top.next.pop();
    if (n === undefined) {
      stack.pop();
      onPath.delete(top.name);
      if (!memo.has(top.name)) memo.set(top.name, false);
      continue;
    }
    if (onPath.has(n)) found = true;
    else if (memo.get(n) === true) found = true;
    else if (!memo.has(n) && table.has(n)) {
      if (++visits > MAX_CYCLE_NAMES) {
        memo.set(name, false);
        return false;
      }
      enter(n);
    }
  }
  if (found) for (const frame of stack) memo.set(frame.name, true);
  memo.set(name, found);
  return found;
}

/** replace_param() on one line: where it ends up, when that is a loop or the line limit. */
function replay(line: string, table: ParamTable): Outcome | undefined {
  let buf = line;
  let cur = 0;
  const seen = new Set<string>();
  let last: string | undefined;
  for (let step = 0; step < MAX_REPLAY_STEPS; step++) {
    const use = paramUses(buf.slice(cur))[0];
    if (!use) return undefined;
    cur += use.index;
    const def: Definition | undefined = builtinParameter(use.name) ? undefined : table.get(use.name);
    // `${NAME args}` (a definition with parameters) and multi-line values are not replayed here.
    if (!def || def.multiline || /\s/.test(buf.slice(cur, cur + use.length))) {
      cur += 1;
      continue;
    }
    const value = def.value;
    if (/^[ \t]*~/.test(value)) return undefined; // replace_param() stops after a value starting '~'
    const next = buf.slice(0, cur) + value + buf.slice(cur + use.length);
    if (Buffer.byteLength(next, 'utf8') >= MAXBUF) return { kind: 'too-long', name: last ?? use.name };
    const state = `${cur}\u0000${next}`;
    if (seen.has(state)) return { kind: 'hangs', name: last ?? use.name };
    seen.add(state);
    last ??= use.name;
    buf = next;
  }
  return undefined;
}

function oneLine(value: string): string {
  const v = value.trim();
  return v.length > 60 ? `${v.slice(0, 59)}…` : v;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'parameter-cycle',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description: 'A $PARAMETER whose value leads back to itself: keepalived hangs or garbles the line.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    'param-cycles': typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'param-cycles',
  rules,
  checks: [{ over: 'configuration', check: checkParamCycles }],
};
