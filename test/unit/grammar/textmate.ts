// Loads syntaxes/keepalived.tmLanguage.json the way VS Code does (vscode-textmate + the Oniguruma
// WebAssembly build) and tokenizes text with it, for the grammar tests and the vocabulary tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

export const root = join(__dirname, '..', '..', '..');
export const grammarPath = join(root, 'syntaxes', 'keepalived.tmLanguage.json');

export interface Token {
  start: number;
  end: number;
  scopes: string[];
}
export interface Line {
  text: string;
  tokens: Token[];
}

let loading: Promise<IGrammar> | undefined;

/** The grammar, loaded once per test file. */
export function loadGrammar(): Promise<IGrammar> {
  loading ??= (async () => {
    const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
        createOnigString: (text: string) => new OnigString(text),
      }),
      loadGrammar: (scopeName: string) =>
        Promise.resolve(
          scopeName === 'source.keepalived'
            ? parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
            : null,
        ),
    });
    const loaded = await registry.loadGrammar('source.keepalived');
    if (!loaded) throw new Error('grammar source.keepalived did not load');
    return loaded;
  })();
  return loading;
}

/** Tokenizes a whole document, carrying the rule stack from line to line as an editor does. */
export function tokenizeWith(grammar: IGrammar, text: string): Line[] {
  let stack = INITIAL;
  return text.split('\n').map((lineText) => {
    const result = grammar.tokenizeLine(lineText, stack);
    stack = result.ruleStack;
    return {
      text: lineText,
      tokens: result.tokens.map((t) => ({ start: t.startIndex, end: t.endIndex, scopes: t.scopes })),
    };
  });
}

/** Scope lists of the tokens covering `fragment` on the first line that contains `lineMarker`. */
export function scopesOf(lines: Line[], lineMarker: string, fragment: string): string[][] {
  const line = lines.find((l) => l.text.includes(lineMarker));
  if (!line) throw new Error(`no line contains '${lineMarker}'`);
  const from = line.text.indexOf(fragment, line.text.indexOf(lineMarker));
  if (from < 0) throw new Error(`'${fragment}' is not on the line '${line.text}'`);
  const to = from + fragment.length;
  return line.tokens.filter((t) => t.start < to && t.end > from).map((t) => t.scopes);
}

/** A scope such as `keyword.other` matches `keyword.other.keepalived` (TextMate selectors match prefixes). */
export const has = (scopes: string[], scope: string): boolean =>
  scopes.some((s) => s.split(' ').some((part) => part === scope || part.startsWith(`${scope}.`)));
