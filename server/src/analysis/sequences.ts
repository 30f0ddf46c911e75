// `~SEQ(var, [start,] [step,] end)`, `~SEQx(...)` and `~LST(var, v1, v2, ...)` line prefixes: the values
// each loop variable takes, so names a loop defines (`vrrp_instance VI_$i`) are known. Bounded.
import type { Word } from '../syntax/ast';

export const MAX_ITERATIONS = 1000;

/** Variable -> values of one prefix, or undefined when the prefix is not understood. */
export function loopValues(prefix: Word): { name: string; values: string[] } | undefined {
  const m = /^~(SEQx?|LST)\((.*)\)$/.exec(prefix.value);
  if (!m) return undefined;
  const parts = m[2]!.split(',').map((p) => p.trim());
  const name = parts.shift();
  if (!name || !/^[A-Za-z_]\w*$/.test(name)) return undefined;
  if (m[1] === 'LST')
    return parts.length && parts.length <= MAX_ITERATIONS ? { name, values: parts } : undefined;
  const nums = parts.map(Number);
  if (nums.length === 0 || nums.length > 3 || nums.some((n) => !Number.isInteger(n))) return undefined;
  const [start, step, end] =
    nums.length === 1
      ? [1, 1, nums[0]!]
      : nums.length === 2
        ? [nums[0]!, 1, nums[1]!]
        : [nums[0]!, nums[1]!, nums[2]!];
  if (step === 0 || (end - start) / step < 0) return { name, values: [] };
  const values: string[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    values.push(m[1] === 'SEQx' ? v.toString(16) : String(v));
    if (values.length >= MAX_ITERATIONS) return undefined;
  }
  return { name, values };
}

/** Every expansion of `text` over the loops of a line, or undefined when a loop is not understood. */
export function expandLoops(text: string, prefixes: readonly Word[]): string[] | undefined {
  let results = [text];
  for (const prefix of prefixes) {
    const loop = loopValues(prefix);
    if (!loop) return undefined;
    const pattern = new RegExp(`\\$\\{${loop.name}\\}|\\$${loop.name}(?![A-Za-z0-9_])`, 'g');
    results = results.flatMap((r) => loop.values.map((v) => r.replace(pattern, v)));
    if (results.length > MAX_ITERATIONS) return undefined;
  }
  return results;
}
