// `$NAME` / `${NAME}` substitution as keepalived does it: recursive, with undefined names left as written.
import type { Definition, Word } from '../syntax/ast';

export type ParamTable = Map<string, Definition>;

/** Predefined names whose value depends on the running host; checks treat them as unknown. */
const HOST_DEPENDENT = new Set(['_PWD', '_INSTANCE', '_RANDOM', '_ENV']);
const LITERAL: Record<string, string> = { _HASH: '#', _BANG: '!' };

const USE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\s[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)(?=$|[\s,)])/g;
const MAX_DEPTH = 20;

/**
 * The value of a word after parameter expansion, or undefined when it uses a parameter whose value is not
 * known here (undefined in this file, host-dependent, or recursive beyond reason).
 */
export function expandWord(word: Word, params: ParamTable, complete = false): string | undefined {
  if (!word.value.includes('$')) return word.value;
  return expandText(word.value, params, 0, complete);
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
): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let unknown = false;
  const out = text.replace(USE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (name in LITERAL) return LITERAL[name]!;
    if (HOST_DEPENDENT.has(name)) {
      unknown = true;
      return whole;
    }
    const def = params.get(name);
    if (!def) {
      if (!complete) unknown = true;
      return whole;
    }
    const inner = expandText(def.value, params, depth + 1, complete);
    if (inner === undefined) unknown = true;
    return inner ?? whole;
  });
  return unknown ? undefined : out;
}

/** Names used in a text, for references and the undefined-parameter check. */
export function paramUses(text: string): { name: string; index: number; length: number }[] {
  const uses: { name: string; index: number; length: number }[] = [];
  for (const m of text.matchAll(USE))
    uses.push({ name: (m[1] ?? m[2])!, index: m.index, length: m[0].length });
  return uses;
}
