// A strict JSON parser (RFC 8259) that keeps where each value and key is, so a problem in a settings file
// can be shown on the exact key or value, in the editor and in CLI output. JSON.parse only says "at
// position N" for syntax errors, and nothing at all about where a well-formed but wrong value is.
// Duplicate keys are kept in order (the last wins, as with JSON.parse); the caller can flag them.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nesting beyond this is refused rather than risking the stack on hostile input. */
const MAX_JSON_DEPTH = 64;

export function parseJsonTree(text: string): JsonNode {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const describe = (at: number): string =>
    at >= text.length ? 'the end of the file' : `'${text[at] === '\n' ? '\\n' : text[at]}'`;

  const string = (): { value: string; start: number; end: number } => {
    const start = i++;
    let value = '';
    for (;;) {
      if (i >= text.length) fail('a string is not closed', start);
      const c = text[i]!;
      if (c === '"') break;
      if (c < ' ') fail('a control character inside a string (write it as an escape, e.g. \\n)');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && e in simple) {
          value += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail('an invalid escape in a string');
        continue;
      }
      value += c;
      i++;
    }
    i++;
    return { value, start, end: i };
  };

  const value = (depth: number): JsonNode => {
    skipSpace();
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: JsonMember[] = [];
      skipSpace();
      if (text[i] === '}') return { kind: 'object', start, end: ++i, members };
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail(`expected a key in double quotes, found ${describe(i)}`);
        const key = string();
        skipSpace();
        if (text[i] !== ':') fail(`expected ':' after the key, found ${describe(i)}`);
        i++;
        members.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value: value(depth + 1) });
        skipSpace();
        if (text[i] === ',') {
          i++;
          skipSpace();
          if (text[i] === '}') fail('a comma before the closing brace (JSON allows none)');
          continue;
        }
        if (text[i] === '}') return { kind: 'object', start, end: ++i, members };
        fail(`expected ',' or '}' after a value, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
      for (;;) {
        items.push(value(depth + 1));
        skipSpace();
        if (text[i] === ',') {
          i++;
          skipSpace();
          if (text[i] === ']') fail('a comma before the closing bracket (JSON allows none)');
          continue;
        }
        if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
        fail(`expected ',' or ']' after a value, found ${describe(i)}`);
      }
    }
    if (c === '"') return { kind: 'string', ...string() };
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number) {
      i += number[0].length;
      return { kind: 'number', start, end: i, value: Number(number[0]) };
    }
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { ...node, start, end: i };
      }
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) fail('a comment (JSON allows none)');
    return fail(`expected a value, found ${describe(i)}`);
  };

  // A byte order mark is not JSON, but editors write one; skip it rather than refuse the file.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const root = value(0);
  skipSpace();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
  return root;
}

/** The plain JavaScript value of a node (as JSON.parse would give it). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.members.map((m) => [m.key, jsonValue(m.value)]));
    case 'array':
      return node.items.map(jsonValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}
