// Holds every consumer of server/src/schema/vocabulary.ts to it: what the vocabulary lists is accepted by
// the checks, offered by completion, documented by signature help and marked by the grammar and semantic
// tokens, so a word added in one place cannot be missed in another.
import { dirname } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { completions, type CompletionEnv } from '../../../server/src/features/completion';
import { hover } from '../../../server/src/features/hover';
import { signatureHelp } from '../../../server/src/features/signature';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { UNKNOWN_HOST } from '../../../server/src/analysis/host';
import { Workspace } from '../../../server/src/analysis/workspace';
import { OLDEST_RELEASE } from '../../../server/src/schema/vocabulary';
import { INCLUDE_KEYWORDS } from '../../../server/src/syntax/include-keywords';
import { SEMANTIC_LEGEND, semanticTokens } from '../../../server/src/features/semantic-tokens';
import { KEYWORDS } from '../../../server/src/schema';
import {
  ADDRESS_OPTIONS,
  ADDRESS_SCOPES,
  BOOLEAN_WORDS,
  BUILTIN_PARAMETERS,
  INCLUDE_VARIANTS,
  LVS_METHOD_NAMES,
  LVS_METHOD_SYNTAX,
  TUNNEL_CHECKSUMS,
  TUNNEL_TYPES,
  TRACK_DIRECTIONS,
  TRACK_WEIGHT,
  VIRTUAL_SERVER_FORMS,
  type AddressOption,
} from '../../../server/src/schema/vocabulary';
import { has, loadGrammar, scopesOf, tokenizeWith } from '../grammar/textmate';

const PATH = '/etc/keepalived/keepalived.conf';
const ENV: CompletionEnv = {
  users: () => ['root'],
  interfaces: () => ['eth0'],
  listDir: () => undefined,
};

function complete(text: string): CompletionItem[] {
  const offset = text.indexOf('<|>');
  const file = analyzeText(PATH, text.replace('<|>', ''));
  return completions(file, file.lines.positionAt(offset), ENV);
}

function findings(text: string, keepalivedVersion?: string): string[] {
  return lintFile(analyzeText(PATH, text), { keepalivedVersion })
    .filter((d) => d.rule === 'invalid-value')
    .map((d) => d.message);
}

const inVip = (line: string): string => `vrrp_instance X {\n  virtual_ipaddress {\n    ${line}\n  }\n}\n`;
const inStatic = (line: string): string => `static_ipaddress {\n  ${line}\n}\n`;
/** The line in a block that reads the option: static_ipaddress for a static-only one, else a VIP block. */
const whereRead = (o: AddressOption) => (o.onlyOn === 'static' ? inStatic : inVip);
const options = Object.entries(ADDRESS_OPTIONS) as [string, AddressOption][];
/** A value each option accepts, by what it takes. */
const SAMPLE: Record<AddressOption['value'], string> = {
  none: '',
  address: '192.0.2.255',
  interface: 'eth0',
  scope: 'link',
  label: 'eth0:1',
  lifetime: 'forever',
  track_group: 'TG',
};
const optionLine = (name: string, o: AddressOption): string =>
  `192.0.2.1/24 ${name}${o.arity ? ` ${SAMPLE[o.value]}` : ''}`;

let grammar: IGrammar;
beforeAll(async () => {
  grammar = await loadGrammar();
});

describe('address options', () => {
  it('each is accepted by the check, with the value it takes', () => {
    for (const [name, o] of options) expect(findings(whereRead(o)(optionLine(name, o))), name).toEqual([]);
  });

  it('each is offered by completion on the address lines that read it', () => {
    const offered = (block: (line: string) => string) =>
      complete(block('192.0.2.1/24 <|>')).map((i) => i.label);
    expect(offered(inVip)).toEqual(options.filter(([, o]) => o.onlyOn !== 'static').map(([name]) => name));
    expect(offered(inStatic)).toEqual(
      options.filter(([, o]) => o.onlyOn !== 'virtual').map(([name]) => name),
    );
    expect(offered(inVip)).not.toContain('track_group');
    expect(offered(inStatic)).not.toContain('use_vmac');
    // No group names after a track_group that the line does not read; a static line offers them.
    const groups = 'track_group TG {\n  group {\n    X\n  }\n}\n';
    const namesAfter = (block: (line: string) => string) =>
      complete(groups + block('192.0.2.1/24 dev eth0 track_group <|>')).map((i) => i.label);
    expect(namesAfter(inVip)).toEqual([]);
    expect(namesAfter(inStatic)).toEqual(['TG']);
  });

  it('reports an option on the kind of line that does not read it, with its value word (alloc_ipaddress static_addr)', () => {
    // keepalived -t 2.2.7: "Unknown configuration entry 'track_group' for ip address - ignoring", then 'G'.
    expect(findings(inVip('192.0.2.1/24 dev eth0 track_group G'))).toEqual([
      expect.stringMatching(
        /^'track_group' is only read on static_ipaddress lines: .*\(and the same for 'G'\)/,
      ),
    ]);
    expect(findings(inStatic('192.0.2.1/24 dev eth0 use_vmac'))).toEqual([
      expect.stringMatching(
        /^'use_vmac' is only read on virtual_ipaddress and virtual_ipaddress_excluded lines/,
      ),
    ]);
    // A VIP's track_group names nothing: no reference, so no undefined-reference for 'G'.
    const rules = lintFile(analyzeText(PATH, inVip('192.0.2.1/24 dev eth0 track_group G'))).map(
      (d) => d.rule,
    );
    expect(rules).not.toContain('undefined-reference');
    const staticRules = lintFile(analyzeText(PATH, inStatic('192.0.2.1/24 dev eth0 track_group G'))).map(
      (d) => d.rule,
    );
    expect(staticRules).toContain('undefined-reference');
  });

  it('each has its documentation in signature help, and each spelling but an alias is in the syntax of the lines that read it', () => {
    const signatureOn = (block: (line: string) => string) => {
      const text = block('192.0.2.1/24 <|>');
      const offset = text.indexOf('<|>');
      const file = analyzeText(PATH, text.replace('<|>', ''));
      return signatureHelp(file, file.lines.positionAt(offset))!.signatures[0]!;
    };
    expect(signatureOn(inVip).label).not.toContain('track_group');
    expect(signatureOn(inStatic).label).not.toContain('use_vmac');
    for (const [name, o] of options) {
      const sig = signatureOn(whereRead(o));
      const documented = new Map(
        sig.parameters!.map((p) => {
          const [from, to] = p.label as [number, number];
          return [
            sig.label
              .slice(from, to)
              .replace(/^\[/, '')
              .split(/[\s\]]/)[0],
            p.documentation,
          ];
        }),
      );
      if (o.alias) expect(documented.has(name), name).toBe(false);
      else expect(documented.get(name), name).toBe(o.doc);
    }
  });

  it('each is marked as an option word by the grammar', () => {
    const lines = tokenizeWith(grammar, options.map(([name, o]) => optionLine(name, o)).join('\n'));
    for (const [name, o] of options) {
      for (const scopes of scopesOf(lines, optionLine(name, o), name))
        expect(scopes, name).toSatisfy((s: string[]) => has(s, 'support.constant.option'));
    }
  });

  it('checks the value by what the option takes: an alias the same as its original', () => {
    expect(findings(inVip('192.0.2.1/24 broadcast 300.0.0.1'))).toHaveLength(1);
    expect(findings(inVip('192.0.2.1/24 brd 300.0.0.1'))).toHaveLength(1);
    expect(findings(inVip('192.0.2.1/24 brd +'))).toEqual([]);
  });

  it('reads a word after a flag as the next option, as keepalived does (use_vmac takes no value)', () => {
    expect(findings(inVip('192.0.2.1/24 use_vmac vmac1'))).toEqual([
      expect.stringMatching(/^'vmac1' is not an address option keepalived knows/),
    ]);
  });

  it('names the release of an option newer than the target, and never one of the oldest release', () => {
    for (const [name, o] of options) {
      const found = findings(whereRead(o)(optionLine(name, o)), '2.0.0');
      expect(found, name).toEqual(
        o.since === '2.0.0' ? [] : [expect.stringContaining(`from keepalived ${o.since}`)],
      );
    }
  });
});

describe('address scopes', () => {
  it('are each accepted, offered and marked as constants', () => {
    expect(complete(inVip('192.0.2.1/24 scope <|>')).map((i) => i.label)).toEqual([...ADDRESS_SCOPES]);
    const lines = tokenizeWith(grammar, ADDRESS_SCOPES.map((s) => `192.0.2.1/24 scope ${s}`).join('\n'));
    for (const scope of ADDRESS_SCOPES) {
      expect(findings(inVip(`192.0.2.1/24 scope ${scope}`)), scope).toEqual([]);
      for (const scopes of scopesOf(lines, `scope ${scope}`, scope))
        expect(scopes, scope).toSatisfy((s: string[]) => has(s, 'constant.language'));
    }
  });
});

/** The semantic token type of each word of `text` that gets one, as `word type`. */
function tokenTypes(text: string): string[] {
  const file = analyzeText(PATH, text);
  const data = semanticTokens(file);
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dChar, length, type] = data.slice(i, i + 4) as [number, number, number, number];
    char = dLine === 0 ? char + dChar : dChar;
    line += dLine;
    const start = file.lines.lineStart(line) + char;
    out.push(`${text.slice(start, start + length)} ${SEMANTIC_LEGEND.tokenTypes[type]}`);
  }
  return out;
}

describe('boolean words', () => {
  const words = Object.keys(BOOLEAN_WORDS);
  const lines = (word: string) => `global_defs {\n  vrrp_strict ${word}\n}\n`;

  it('are each accepted by the check, offered by completion and marked by semantic tokens and the grammar', () => {
    expect(complete('global_defs {\n  vrrp_strict <|>\n}\n').map((i) => i.label)).toEqual(words);
    const tokenized = tokenizeWith(grammar, words.map((w) => `vrrp_strict ${w}`).join('\n'));
    for (const word of words) {
      expect(findings(lines(word)), word).toEqual([]);
      expect(tokenTypes(lines(word)), word).toContain(`${word} enumMember`);
      for (const scopes of scopesOf(tokenized, `vrrp_strict ${word}`, ` ${word}`).slice(-1))
        expect(scopes, word).toSatisfy((s: string[]) => has(s, 'constant.language.boolean'));
    }
  });

  it('mean what keepalived reads: strict_mode WORD turns strict mode on or off', () => {
    const strict = (word: string) =>
      lintFile(
        analyzeText(
          PATH,
          `vrrp_instance X {\n  strict_mode ${word}\n  interface eth0\n  virtual_router_id 1\n  accept\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n`,
        ),
      ).some((d) => d.rule === 'strict-mode-override');
    for (const [word, value] of Object.entries(BOOLEAN_WORDS)) expect(strict(word), word).toBe(value);
  });

  it('are case-sensitive, as check_true_false is', () => {
    expect(findings(lines('Yes'))).toHaveLength(1);
  });
});

describe('track line words', () => {
  const directions = Object.entries(TRACK_DIRECTIONS);
  const tracked = (line: string) =>
    `vrrp_script chk {\n  script /bin/true\n}\nvrrp_instance X {\n  track_script {\n    ${line}\n  }\n}\n`;

  it('weight and each direction are accepted, offered and marked by semantic tokens and the grammar', () => {
    expect(complete(tracked('chk <|>')).map((i) => i.label)).toEqual([TRACK_WEIGHT.name]);
    expect(complete(tracked('chk weight 10 <|>')).map((i) => i.label)).toEqual(directions.map(([w]) => w));
    const tokenized = tokenizeWith(grammar, directions.map(([w]) => `chk weight 10 ${w}`).join('\n'));
    for (const [word] of directions) {
      const text = tracked(`chk weight 10 ${word}`);
      expect(
        lintFile(analyzeText(PATH, text)).filter((d) => d.range.start.line === 5),
        word,
      ).toEqual([]);
      expect(tokenTypes(text), word).toEqual(expect.arrayContaining(['weight keyword', `${word} keyword`]));
      for (const scopes of scopesOf(tokenized, `10 ${word}`, word))
        expect(scopes, word).toSatisfy((s: string[]) => has(s, 'support.constant.option'));
    }
  });

  it('offers on track_interface lines only the directions alloc_track_if reads', () => {
    const line = 'vrrp_instance X {\n  track_interface {\n    eth0 weight 10 <|>\n  }\n}\n';
    expect(complete(line).map((i) => i.label)).toEqual(
      directions.filter(([, d]) => d.onInterfaces).map(([w]) => w),
    );
  });

  it('are the words the schema lists after a weight keyword', () => {
    const trailing = KEYWORDS.flatMap((k) => (k.args.kind === 'int' ? (k.args.trailing ?? []) : []));
    expect(trailing.length).toBeGreaterThan(0);
    expect(new Set(trailing)).toEqual(new Set(Object.keys(TRACK_DIRECTIONS)));
  });
});

describe('forwarding methods', () => {
  const vs = (line: string) =>
    `virtual_server 192.0.2.1 80 {\n  protocol TCP\n  ${line}\n  real_server 192.0.2.2 80 {\n  }\n}\n`;
  const at = (text: string) => {
    const offset = text.indexOf('<|>');
    const file = analyzeText(PATH, text.replace('<|>', ''));
    return { file, position: file.lines.positionAt(offset) };
  };

  it('are each accepted, offered, in the snippet and signature, and marked by semantic tokens and the grammar', () => {
    expect(complete(vs('lvs_method <|>')).map((i) => i.label)).toEqual(LVS_METHOD_NAMES);
    const item = complete(vs('lvs_me<|>')).find((i) => i.label === 'lvs_method')!;
    const snippet = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined;
    expect(snippet).toBe(`lvs_method \${1|${LVS_METHOD_NAMES.join(',')}|}`);
    const { file, position } = at(vs('lvs_method <|>'));
    expect(signatureHelp(file, position)!.signatures[0]!.label).toBe(`lvs_method ${LVS_METHOD_SYNTAX}`);
    const tokenized = tokenizeWith(grammar, LVS_METHOD_NAMES.map((m) => `lvs_method ${m}`).join('\n'));
    for (const method of LVS_METHOD_NAMES) {
      expect(findings(vs(`lvs_method ${method}`)), method).toEqual([]);
      expect(tokenTypes(vs(`lvs_method ${method}`)), method).toContain(`${method} enumMember`);
      for (const scopes of scopesOf(tokenized, `lvs_method ${method}`, ` ${method}`).slice(-1))
        expect(scopes, method).toSatisfy((s: string[]) => has(s, 'constant.language'));
    }
    expect(findings(vs('lvs_method nat'))).toEqual([
      `'nat' is not a forwarding method: use ${LVS_METHOD_NAMES.slice(0, -1).join(', ')} or ${LVS_METHOD_NAMES.at(-1)}.`,
    ]);
  });

  it('offer tunnel types and checksum modes after TUN only, each marked by the grammar', () => {
    expect(complete(vs('lvs_method TUN type <|>')).map((i) => i.label)).toEqual([...TUNNEL_TYPES]);
    expect(complete(vs('lvs_method TUN <|>')).map((i) => i.label)).toEqual(['type', ...TUNNEL_CHECKSUMS]);
    expect(complete(vs('lvs_method DR <|>'))).toEqual([]);
    const words = [...TUNNEL_TYPES, ...TUNNEL_CHECKSUMS];
    const tokenized = tokenizeWith(grammar, words.map((w) => `lvs_method TUN x ${w}`).join('\n'));
    for (const word of words)
      for (const scopes of scopesOf(tokenized, `x ${word}`, word))
        expect(scopes, word).toSatisfy((s: string[]) => has(s, 'constant.language'));
  });
});

describe('virtual_server forms', () => {
  const forms = Object.entries(VIRTUAL_SERVER_FORMS);
  const header = (form: string) => (form === 'fwmark' ? 'fwmark 7' : `${form} VSG`);
  const vs = (form: string) =>
    `virtual_server_group VSG {\n  192.0.2.1 80\n}\nvirtual_server ${header(form)} {\n  protocol TCP\n  real_server 192.0.2.2 80 {\n  }\n}\n`;

  it('are fwmark and group, each offered, accepted, documented by signature help and marked by the grammar', () => {
    expect(forms.map(([w]) => w)).toEqual(['fwmark', 'group']);
    expect(complete('virtual_server <|>\n').map((i) => i.label)).toEqual(forms.map(([w]) => w));
    const tokenized = tokenizeWith(grammar, forms.map(([w]) => `virtual_server ${header(w)}`).join('\n'));
    for (const [word, doc] of forms) {
      expect(findings(vs(word)), word).toEqual([]);
      const text = `virtual_server ${word} <|>\n`;
      const offset = text.indexOf('<|>');
      const file = analyzeText(PATH, text.replace('<|>', ''));
      const docs = signatureHelp(file, file.lines.positionAt(offset))!.signatures.flatMap((s) =>
        s.parameters!.map((p) => p.documentation),
      );
      expect(docs, word).toContain(doc);
      for (const scopes of scopesOf(tokenized, `virtual_server ${header(word)}`, ` ${word}`).slice(-1))
        expect(scopes, word).toSatisfy((s: string[]) => has(s, 'support.constant.option'));
    }
  });
});

describe('built-in parameters', () => {
  const builtins = Object.entries(BUILTIN_PARAMETERS);
  const use = (name: string) => `vrrp_instance X {\n  notify "/bin/echo \${${name}}"\n}\n`;

  it('each is explained by hover, expanded as keepalived does, and marked by semantic tokens and the grammar', () => {
    const tokenized = tokenizeWith(grammar, builtins.map(([name]) => `x \${${name}}`).join('\n'));
    for (const [name, b] of builtins) {
      const text = use(name);
      const file = analyzeText(PATH, text);
      const at = file.lines.positionAt(text.indexOf(name));
      const shown = hover(file, at, { host: UNKNOWN_HOST, fs: new MemoryFileSystem(), thisHost: false });
      const value = (shown?.contents as { value: string } | undefined)?.value ?? '';
      expect(value, name).toContain(`set by keepalived: ${b.about}.`);
      expect(value.includes(`keepalived ${b.since} and later`), name).toBe(b.since !== OLDEST_RELEASE);
      const notify = file.placed.find((p) => p.spec?.name === 'notify')!;
      const expected = 'perFile' in b ? dirname(PATH) : b.value;
      expect(notify.expandedArgs[0], name).toBe(expected === null ? undefined : `/bin/echo ${expected}`);
      expect(tokenTypes(`vrrp_instance X {\n  priority \${${name}}\n}\n`), name).toContain(
        `\${${name}} variable`,
      );
      for (const scopes of scopesOf(tokenized, `x \${${name}}`, name))
        expect(scopes, name).toSatisfy((s: string[]) => has(s, 'variable.language'));
    }
  });
});

describe('include variants', () => {
  it('have one strictness record per include keyword', () => {
    expect(Object.keys(INCLUDE_VARIANTS)).toEqual([...INCLUDE_KEYWORDS]);
  });

  it('each makes an include line for the reader, semantic tokens and the grammar; a longer word does not', () => {
    const tokenized = tokenizeWith(
      grammar,
      INCLUDE_KEYWORDS.map((k) => `${k} /etc/keepalived/*.conf`).join('\n'),
    );
    for (const keyword of INCLUDE_KEYWORDS) {
      const text = `${keyword} /etc/keepalived/conf.d/*.conf\n`;
      const file = analyzeText(PATH, text);
      expect(file.placed[0]?.role, keyword).toBe('include');
      expect(tokenTypes(text), keyword).toEqual([
        `${keyword} keyword`,
        '/etc/keepalived/conf.d/*.conf string',
      ]);
      for (const scopes of scopesOf(tokenized, `${keyword} /etc`, keyword))
        expect(scopes, keyword).toSatisfy((s: string[]) => has(s, 'keyword.control.include'));
    }
    expect(analyzeText(PATH, 'includex /etc/x.conf\n').placed[0]?.role).not.toBe('include');
  });

  it('word "an error only for" remarks from the records', () => {
    const fs = new MemoryFileSystem({
      '/etc/k/keepalived.conf': 'includem empty/*.conf\n',
      '/etc/k/empty/README': '',
    });
    const remarks = lintFile(new Workspace(fs).analysis('/etc/k/keepalived.conf')!).map((d) => d.message);
    const strictOnes = Object.entries(INCLUDE_VARIANTS)
      .filter(([, bits]) => bits.wildcard)
      .map(([v]) => v);
    expect(remarks.join('\n')).toContain(`an error only for ${strictOnes.join(' and ')}`);
  });
});
