// Reads a documented syntax line (`lvs_method NAT|DR|TUN [type ipip|gue|gre] ...`) into parameters, and
// tells which parameter a word of a line fills. Bracketed groups that start with a literal word are
// options (`[weight <n> [reverse]]`: the name, its values, then a nested option); anything else is
// positional, in order.

export interface SyntaxParam {
  /** Offsets of the parameter's text in the label. */
  label: [number, number];
  /** Option names (`weight`, `nocsum|csum|remcsum`); undefined for a positional parameter. */
  names?: string[];
  /** Words an option takes after its name. */
  arity: number;
  /** Followed by `...`: takes any number of words. */
  repeat: boolean;
}

interface Group {
  start: number;
  end: number;
  text: string;
}

const LITERAL = /^-?[A-Za-z_][\w-]*(\|[\w-]+)*$/;

/** The alternatives of a syntax (`<ip> [<port>] | fwmark <n> | group <name>`), each with its parameters. */
export function parseAlternatives(label: string, from: number): { start: number; params: SyntaxParam[] }[] {
  const alternatives: { start: number; groups: Group[] }[] = [{ start: from, groups: [] }];
  for (const g of groups(label, from, label.length)) {
    if (g.text.startsWith('{')) break;
    if (g.text === '|') alternatives.push({ start: g.end + 1, groups: [] });
    else alternatives[alternatives.length - 1]!.groups.push(g);
  }
  return alternatives.map((a) => ({ start: a.start, params: paramsOf(label, a.groups) }));
}

function paramsOf(label: string, list: Group[]): SyntaxParam[] {
  const params: SyntaxParam[] = [];
  for (const g of list) {
    if (g.text === '...') {
      if (params.length) params[params.length - 1]!.repeat = true;
      continue;
    }
    const inner = bracketed(g) ? groups(label, g.start + 1, g.end - 1) : undefined;
    if (!inner) {
      params.push({ label: [g.start, g.end], arity: 0, repeat: false });
      continue;
    }
    const head = inner[0];
    if (!head || bracketed(head) || !LITERAL.test(head.text)) {
      params.push(...paramsOf(label, inner));
      continue;
    }
    // An option: its name, the plain words after it, then any nested groups as parameters of their own.
    let n = 1;
    while (n < inner.length && !bracketed(inner[n]!) && inner[n]!.text !== '...') n++;
    params.push({
      label: [head.start, inner[n - 1]!.end],
      names: head.text.split('|'),
      arity: n - 1,
      repeat: false,
    });
    params.push(...paramsOf(label, inner.slice(n)));
  }
  return params;
}

function bracketed(g: Group): boolean {
  return g.text.startsWith('[') && matching(g.text, 0) === g.text.length - 1;
}

function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Whitespace-separated groups of `label[from, to)`, keeping `[...]`, `<...>` and `"..."` whole. */
function groups(label: string, from: number, to: number): Group[] {
  const out: Group[] = [];
  let i = from;
  while (i < to) {
    while (i < to && /\s/.test(label[i]!)) i++;
    if (i >= to) break;
    const start = i;
    let depth = 0;
    let quoted = false;
    for (; i < to; i++) {
      const c = label[i]!;
      if (c === '"') quoted = !quoted;
      else if (quoted) continue;
      else if (c === '[' || c === '<') depth++;
      else if (c === ']' || c === '>') depth--;
      else if (depth <= 0 && /\s/.test(c)) break;
    }
    out.push({ start, end: i, text: label.slice(start, i) });
  }
  return out;
}

/**
 * The parameter that word `index` of `words` fills (`words[index]` undefined: a word about to be typed),
 * or null when none does.
 */
export function activeParameter(params: SyntaxParam[], words: string[], index: number): number | null {
  let next = 0;
  let last = -1;
  for (let j = 0; j <= index; j++) {
    const word = words[j];
    const current = j === index;
    if (word === undefined || (current && word === '')) {
      if (next < params.length) return next;
      return last >= 0 && params[last]!.repeat ? last : null;
    }
    const option = params.findIndex((p) => p.names?.includes(word));
    if (option >= 0) {
      if (index <= j + params[option]!.arity) return option;
      j += params[option]!.arity;
      next = Math.max(next, option + 1);
      last = option;
      continue;
    }
    const positional = params.findIndex((p, k) => k >= next && !p.names);
    if (positional >= 0) {
      if (current) return positional;
      next = positional + 1;
      last = positional;
      continue;
    }
    if (last >= 0 && params[last]!.repeat) {
      if (current) return last;
      continue;
    }
    if (current) {
      // A word being typed: the option it starts to spell.
      const typing = params.findIndex((p, k) => k >= next && p.names?.some((n) => n.startsWith(word)));
      return typing >= 0 ? typing : null;
    }
  }
  return null;
}
