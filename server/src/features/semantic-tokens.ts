// Semantic tokens: what each word is, as keepalived reads it (the TextMate grammar can only guess from the
// word's shape). Keywords keepalived does not know here get no token, so they do not look like keywords.
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import { paramUses } from '../analysis/params';
import type { KeywordSpec } from '../schema';
import {
  keywordUses,
  kindDefinedBy,
  kindInValueBlock,
  usedArgument,
  valueLineUses,
} from '../schema/symbol-kinds';
import { booleanValue, lvsMethod, TRACK_DIRECTIONS, TRACK_WEIGHT } from '../schema/vocabulary';
import type { Word } from '../syntax/ast';

export const SEMANTIC_LEGEND = {
  tokenTypes: [
    'keyword',
    /** Keywords that open a block (`vrrp_instance`, `track_script`, ...). */
    'namespace',
    /** Names of configured things: `vrrp_instance NAME` (declaration) and the places that refer to them. */
    'class',
    /** `$NAME` / `${NAME}` parameters. */
    'variable',
    /** `@id` conditions and `~SEQ(...)` / `~LST(...)` prefixes. */
    'macro',
    'string',
    'number',
    'comment',
    /** Values of enumerated and boolean keywords. */
    'enumMember',
    /** The `=` of a `$NAME=` definition. */
    'operator',
  ],
  tokenModifiers: ['declaration', 'deprecated', 'readonly'],
};

type TokenType =
  | 'keyword'
  | 'namespace'
  | 'class'
  | 'variable'
  | 'macro'
  | 'string'
  | 'number'
  | 'comment'
  | 'enumMember'
  | 'operator';
type Modifier = 'declaration' | 'deprecated' | 'readonly';

interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: Modifier[];
}

/** Option words of a track line (`NAME weight N [reverse|noreverse]`). */
const TRACK_OPTIONS = new Set<string>([TRACK_WEIGHT.name, ...Object.keys(TRACK_DIRECTIONS)]);
const NUMBER = /^[-+]?\d+(\.\d+)?$/;

/** The LSP relative encoding: line delta, start delta, length, type index, modifier bits per token. */
export function semanticTokens(file: AnalyzedFile): number[] {
  const tokens: Token[] = file.tree.comments.map((c) => ({ ...span(c), type: 'comment', modifiers: [] }));
  for (const placed of file.placed) if (!placed.expansionOf) tokens.push(...statementTokens(placed));
  return encode(file, tokens);
}

function statementTokens(placed: PlacedStatement): Token[] {
  const s = placed.statement;
  const tokens: Token[] = [];
  if (s.condition) tokens.push(token(s.condition, 'macro'));
  for (const sequence of s.sequences) tokens.push(token(sequence, 'macro'));
  switch (placed.role) {
    case 'definition': {
      const d = s.definition!;
      tokens.push(
        { start: s.keyword.start, end: d.nameSpan.end, type: 'variable', modifiers: ['declaration'] },
        { start: d.nameSpan.end, end: d.nameSpan.end + 1, type: 'operator', modifiers: [] },
      );
      tokens.push(...paramTokens(d.value, d.valueSpan.start));
      break;
    }
    case 'include':
      tokens.push(token(s.keyword, 'keyword'), ...s.args.map((w) => token(w, 'string')));
      break;
    case 'keyword': {
      // `$BLOCK` alone on a line (a multi-line definition's use) or `$KW value`: the parameter is what shows.
      const keywordParams = paramTokens(s.keyword.text, s.keyword.start);
      if (keywordParams.length > 0) tokens.push(...keywordParams, ...s.args.flatMap((w) => wordTokens(w)));
      else if (placed.spec) tokens.push(...keywordLineTokens(placed.spec, s.keyword, s.args));
      else tokens.push(...s.args.flatMap((w) => wordTokens(w)));
      break;
    }
    case 'value-line':
      tokens.push(...valueLineTokens(placed.owner, [s.keyword, ...s.args]));
      break;
    case 'ignored':
      // A line its parameters reshape (read as the lines it expands to): its parameters still show.
      if (placed.expandedFrom)
        tokens.push(...paramTokens(s.keyword.text, s.keyword.start), ...s.args.flatMap((w) => wordTokens(w)));
      break;
  }
  return tokens;
}

function keywordLineTokens(spec: KeywordSpec, keyword: Word, args: Word[]): Token[] {
  const modifiers: Modifier[] = spec.deprecated ? ['deprecated'] : [];
  const tokens: Token[] = [{ ...span(keyword), type: spec.block ? 'namespace' : 'keyword', modifiers }];
  const named = namedArgument(spec, args);
  args.forEach((word, i) => {
    if (word.value.includes('$') || i !== named?.index)
      tokens.push(...wordTokens(word, i === 0 ? spec : undefined));
    else tokens.push({ ...span(word), type: 'class', modifiers: named.declaration ? ['declaration'] : [] });
  });
  return tokens;
}

/**
 * Which argument names a configured thing: `vrrp_instance NAME`, `BFD_CHECK { name NAME }`,
 * `virtual_server group NAME`, `lvs_sync_daemon eth0 inst NAME` (schema/symbol-kinds.ts).
 */
function namedArgument(spec: KeywordSpec, args: Word[]): { index: number; declaration: boolean } | undefined {
  if (spec.parent === '' && kindDefinedBy(spec.path)) return { index: 0, declaration: true };
  const values = args.map((a) => a.value);
  for (const use of keywordUses(spec.path)) {
    const index = usedArgument(use, values);
    if (index >= 0) return { index, declaration: false };
  }
  return undefined;
}

/** Lines of `track_script { ... }`, `group { ... }` and other value blocks. */
function valueLineTokens(owner: KeywordSpec | undefined, words: Word[]): Token[] {
  const inBlock = owner?.block === 'values' ? kindInValueBlock(owner.name) : undefined;
  // `192.0.2.1/24 track_group TG`: the word after the option names a track_group.
  const options = new Set(valueLineUses(owner?.name).map((use) => use.after));
  return words.flatMap((word, i) => {
    if (word.value.includes('$')) return wordTokens(word);
    if (i > 0 && options.has(words[i - 1]!.value)) return [{ ...span(word), type: 'class', modifiers: [] }];
    if (!inBlock) return wordTokens(word);
    // `group { VI_1 VI_2 }` lists names only; a track line is `NAME [weight N] [reverse]`.
    if (inBlock.words === 'every' || i === 0) return [{ ...span(word), type: 'class', modifiers: [] }];
    if (TRACK_OPTIONS.has(word.value)) return [token(word, 'keyword')];
    return wordTokens(word);
  });
}

/** A word by its shape; `spec` when it is the keyword's first argument, whose kind is then known. */
function wordTokens(word: Word, spec?: KeywordSpec): Token[] {
  if (word.quoted) return [token(word, 'string')];
  const params = paramTokens(word.text, word.start);
  if (params.length > 0) return params;
  if (NUMBER.test(word.value)) return [token(word, 'number')];
  const args = spec?.args;
  if (args?.kind === 'script') return [token(word, 'string')];
  if (args?.kind === 'bool' && booleanValue(word.value) !== undefined) return [token(word, 'enumMember')];
  if (args?.kind === 'special' && args.shape === 'lvs_method' && lvsMethod(word.value))
    return [token(word, 'enumMember')];
  if (args?.kind === 'enum') {
    const value = args.caseInsensitive ? word.value.toLowerCase() : word.value;
    const values = args.caseInsensitive ? args.values.map((v) => v.toLowerCase()) : args.values;
    if (values.includes(value)) return [token(word, 'enumMember')];
  }
  return [];
}

/** `$NAME` / `${NAME}` uses in a text starting at `offset`; names starting with `_` are keepalived's own. */
function paramTokens(text: string, offset: number): Token[] {
  return paramUses(text).map((use) => ({
    start: offset + use.index,
    end: offset + use.index + use.length,
    type: 'variable',
    modifiers: use.name.startsWith('_') ? ['readonly'] : [],
  }));
}

function token(word: Word, type: TokenType): Token {
  return { ...span(word), type, modifiers: [] };
}

function span(s: { start: number; end: number }): { start: number; end: number } {
  return { start: s.start, end: s.end };
}

/** Sorts, drops overlaps (the first token wins), splits tokens at line breaks, and encodes. */
function encode(file: AnalyzedFile, tokens: Token[]): number[] {
  tokens.sort((a, b) => a.start - b.start || a.end - b.end);
  const data: number[] = [];
  let previousLine = 0;
  let previousChar = 0;
  let covered = 0;
  for (const t of tokens) {
    if (t.start < covered || t.end <= t.start) continue;
    covered = t.end;
    const type = SEMANTIC_LEGEND.tokenTypes.indexOf(t.type);
    const bits = t.modifiers.reduce((b, m) => b | (1 << SEMANTIC_LEGEND.tokenModifiers.indexOf(m)), 0);
    const first = file.lines.positionAt(t.start).line;
    const last = file.lines.positionAt(t.end).line;
    for (let line = first; line <= last; line++) {
      const start = Math.max(t.start, file.lines.lineStart(line));
      const end = Math.min(t.end, file.lines.lineEnd(line));
      if (end <= start) continue;
      const char = start - file.lines.lineStart(line);
      data.push(
        line - previousLine,
        line === previousLine ? char - previousChar : char,
        end - start,
        type,
        bits,
      );
      previousLine = line;
      previousChar = char;
    }
  }
  return data;
}
