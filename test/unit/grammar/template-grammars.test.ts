// The template grammars (keepalived-jinja, keepalived-erb): keepalived highlighting with the template tags
// embedded, inside strings and blocks too, loaded as VS Code loads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { grammars: { language: string; scopeName: string; path: string }[] };
};
const grammars = new Map(pkg.contributes.grammars.map((g) => [g.scopeName, join(root, g.path)]));
let registry: Registry;

beforeAll(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
      createOnigString: (text: string) => new OnigString(text),
    }),
    loadGrammar: (scopeName: string) => {
      const path = grammars.get(scopeName);
      return Promise.resolve(path ? parseRawGrammar(readFileSync(path, 'utf8'), path) : null);
    },
  });
});

/** The scopes of the token that covers `fragment` on the line that contains it. */
async function scopesAt(scope: string, text: string, fragment: string): Promise<string[]> {
  const grammar = (await registry.loadGrammar(scope)) as IGrammar;
  let stack = INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    const at = line.indexOf(fragment);
    if (at < 0) continue;
    const token = result.tokens.find((t) => t.startIndex <= at && at < t.endIndex)!;
    return token.scopes;
  }
  throw new Error(`no line contains '${fragment}'`);
}

describe('template grammars', () => {
  it('are contributed for keepalived-jinja and keepalived-erb', () => {
    const langs = pkg.contributes.grammars.map((g) => g.language);
    expect(langs).toEqual(expect.arrayContaining(['keepalived', 'keepalived-jinja', 'keepalived-erb']));
  });

  const jinja = [
    '{# managed by Ansible #}',
    '{% for name in scripts %}',
    'vrrp_script chk_{{ name }} {',
    '    script "/usr/local/bin/{{ name }}"',
    '    interval 2',
    '}',
    '{% endfor %}',
  ].join('\n');

  it('Jinja2: keepalived keywords keep their scopes', async () => {
    expect((await scopesAt('source.keepalived.jinja', jinja, 'interval')).join(' ')).toMatch(/keyword/);
  });

  it('Jinja2: statements, expressions (in names and inside strings) and comments are embedded', async () => {
    const s = 'source.keepalived.jinja';
    expect(await scopesAt(s, jinja, 'for name')).toContain('meta.embedded.block.jinja');
    expect(await scopesAt(s, jinja, 'name }} {')).toContain('meta.embedded.expression.jinja');
    const inString = await scopesAt(s, jinja.split('\n')[3]!, 'name }}"');
    expect(inString).toContain('meta.embedded.expression.jinja');
    expect(await scopesAt(s, jinja, 'managed')).toContain('comment.block.jinja');
  });

  it('ERB: <%= %>, <% %> and <%# %> are embedded', async () => {
    const erb = [
      '<%# Puppet %>',
      '<% if @fwmark -%>',
      'virtual_server fwmark <%= @fwmark %> {',
      '<% end -%>',
    ].join('\n');
    const s = 'source.keepalived.erb';
    expect(await scopesAt(s, erb, 'Puppet')).toContain('comment.block.erb');
    expect(await scopesAt(s, erb, 'if @fwmark')).toContain('meta.embedded.block.erb');
    expect(await scopesAt(s, erb, '@fwmark %> {')).toContain('meta.embedded.expression.erb');
  });
});
