// `~SEQ(var, [start,] [step,] end)`, `~SEQx(...)` and `~LST(...)` line prefixes, read as lib/parser.c reads
// them (add_seq(), add_lst()): the values each loop variable takes, so the lines a loop makes and the names
// it defines (`vrrp_instance VI_$i`) are known. Several prefixes on one line nest, the first outermost
// (read_line() takes the last loop added, and the text after a prefix starts with the next one). Bounded.
import type { Word } from '../syntax/ast';
import { MAX_LOOP_PASSES } from './budget';

/** The loops of a line would make more passes than MAX_LOOP_PASSES (keepalived itself has no bound). */
export const TOO_MANY_PASSES = 'too-many-passes';

/** One variable set for one pass of a loop (set_definition()). */
export interface LoopBinding {
  name: string;
  value: string;
}

/**
 * The passes of one prefix, each the variables it sets; undefined when keepalived rejects the prefix. A
 * loop of more than MAX_LOOP_PASSES passes stops after MAX_LOOP_PASSES + 1 (enough to tell).
 */
export function loopIterations(prefix: Word): LoopBinding[][] | undefined {
  const m = /^~(SEQx?|LST)\s*\((.*)\)$/s.exec(prefix.value);
  if (!m) return undefined;
  // A loop argument that is a parameter is replaced when keepalived reads the prefix: not worked out here.
  if (m[2]!.includes('$')) return undefined;
  return m[1] === 'LST' ? listIterations(m[2]!) : sequenceIterations(m[2]!, m[1] === 'SEQx');
}

/** The names a prefix sets (for parameter uses that a loop, not a definition, provides). */
export function loopVariableNames(prefix: Word): string[] {
  const iterations = loopIterations(prefix);
  if (iterations?.length) return iterations[0]!.map((b) => b.name);
  const first = /^~\w+\s*\(\s*\{?\s*([A-Za-z_]\w*)/.exec(prefix.value)?.[1];
  return first ? [first] : [];
}

/**
 * Every pass of the nested loops of a line, outermost first, each with all the variables set at that
 * point; undefined when a prefix is not understood, TOO_MANY_PASSES past MAX_LOOP_PASSES.
 */
export function nestedIterations(
  prefixes: readonly Word[],
): LoopBinding[][] | typeof TOO_MANY_PASSES | undefined {
  let passes: LoopBinding[][] = [[]];
  for (const prefix of prefixes) {
    const inner = loopIterations(prefix);
    if (!inner) return undefined;
    if (passes.length * inner.length > MAX_LOOP_PASSES) return TOO_MANY_PASSES;
    passes = passes.flatMap((outer) => inner.map((bindings) => [...outer, ...bindings]));
  }
  return passes;
}

/** Every expansion of `text` over the loops of a line, or undefined when a loop is not understood. */
export function expandLoops(text: string, prefixes: readonly Word[]): string[] | undefined {
  const passes = nestedIterations(prefixes);
  return passes === TOO_MANY_PASSES ? undefined : passes?.map((bindings) => substitute(text, bindings));
}

/** `text` with each `$NAME` / `${NAME}` of a binding replaced (a later binding of one name wins). */
function substitute(text: string, bindings: readonly LoopBinding[]): string {
  let out = text;
  for (let i = bindings.length - 1; i >= 0; i--) {
    const { name, value } = bindings[i]!;
    if (bindings.findIndex((b, j) => j > i && b.name === name) >= 0) continue;
    const pattern = new RegExp(`\\$\\{${escape(name)}\\}|\\$${escape(name)}(?![A-Za-z0-9_])`, 'g');
    out = out.replace(pattern, () => value);
  }
  return out;
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * add_seq(): `end`, `start, end` or `start, step, end`, numbers as strtol(..., 0) reads them (0x hex,
 * leading-0 octal). With one number the loop runs from 1 (or -1) towards it; a step of 0 or one pointing
 * away from the end is rejected; ~SEQx needs non-negative bounds and prints hex.
 */
function sequenceIterations(args: string, hex: boolean): LoopBinding[][] | undefined {
  const parts = args.split(',').map((p) => p.trim());
  const name = parts.shift();
  if (!name || /[\s)]/.test(name)) return undefined;
  if (parts.length === 0 || parts.length > 3) return undefined;
  const nums = parts.map(strtol);
  if (nums.some((n) => n === undefined)) return undefined;
  let start: number;
  let step: number;
  let end: number;
  if (nums.length === 1) {
    end = nums[0]!;
    step = end < 1 ? -1 : 1;
    start = end < 0 ? -1 : 1;
  } else if (nums.length === 2) {
    [start, end] = [nums[0]!, nums[1]!];
    step = start <= end ? 1 : -1;
  } else {
    [start, step, end] = [nums[0]!, nums[1]!, nums[2]!];
    if (!step || (start < end && step < 0) || (start > end && step > 0)) return undefined;
  }
  if (hex && (start < 0 || end < 0)) return undefined;
  const passes: LoopBinding[][] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    passes.push([{ name, value: hex ? v.toString(16) : String(v) }]);
    if (passes.length > MAX_LOOP_PASSES) break;
  }
  return passes;
}

/** strtol(s, &end, 0) of a whole argument: decimal, 0x hex or leading-0 octal, with a sign. */
function strtol(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2]!;
  const n = /^0[xX]/.test(digits)
    ? parseInt(digits.slice(2), 16)
    : digits.length > 1 && digits.startsWith('0')
      ? parseInt(digits, 8)
      : Number(digits);
  return m[1] === '-' ? -n : n;
}

/**
 * add_lst(): `~LST(var, v1, v2, ...)` or `~LST({a, b}, {1, 2}, {3, 4}, ...)`. A set with fewer values than
 * variables leaves the rest blank; one with more is rejected ("~LST specification has too many values").
 */
function listIterations(args: string): LoopBinding[][] | undefined {
  const sets = splitTopLevel(args);
  if (!sets || sets.length < 2) return undefined;
  const names = unbrace(sets.shift()!);
  if (!names || names.some((n) => n === '' || /\s/.test(n))) return undefined;
  const passes: LoopBinding[][] = [];
  for (const set of sets) {
    const values = unbrace(set);
    if (!values || values.length > names.length || values.some((v) => /\s/.test(v))) return undefined;
    passes.push(names.map((name, i) => ({ name, value: values[i] ?? '' })));
    if (passes.length > MAX_LOOP_PASSES) break;
  }
  return passes;
}

/** `a, {b, c}, d` split at the commas outside braces; undefined on unbalanced braces. */
function splitTopLevel(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return undefined;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  out.push(text.slice(start).trim());
  return out;
}

/** `{a, b}` -> [a, b]; a bare `a` -> [a]. */
function unbrace(part: string): string[] | undefined {
  if (!part.startsWith('{')) return part.includes('}') ? undefined : [part];
  if (!part.endsWith('}')) return undefined;
  return part
    .slice(1, -1)
    .split(',')
    .map((v) => v.trim());
}
