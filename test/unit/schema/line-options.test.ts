// Holds every consumer of server/src/schema/line-options.ts to it: each option of a unicast_peer line,
// lvs_sync_daemon, a route line and a rule line is accepted by the check with the value it takes, and
// completion offers exactly the options (and, after one, exactly the values) the table says, so a word
// added in one place cannot be missed in another. The tables are also spelled out here once, so a change
// to them is a change someone reads.
import type { IGrammar } from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile, type Diagnostic } from '../../../server/src/checks';
import { completions, type CompletionEnv } from '../../../server/src/features/completion';
import { signatureHelp } from '../../../server/src/features/signature';
import { keywordUses } from '../../../server/src/schema/symbol-kinds';
import {
  DEFAULT_ROUTE_NAMES,
  LVS_SYNC_DAEMON_OPTIONS,
  ROUTE_OPTIONS,
  RULE_OPTIONS,
  UNICAST_PEER_OPTIONS,
  type RouteOption,
  type RuleOption,
  type SyncDaemonOption,
} from '../../../server/src/schema/line-options';
import { has, loadGrammar, scopesOf, tokenizeWith } from '../grammar/textmate';
import { conf, vrrpInstance } from '../../helpers';

const PATH = '/etc/keepalived/keepalived.conf';
const ENV: CompletionEnv = { users: () => ['root'], interfaces: () => ['eth0'], listDir: () => undefined };

/** A track_group TG and an instance VI_1 for the options that name one. */
const NAMED = ['track_group TG {', '  group {', '    VI_1', '  }', '}', ...vrrpInstance('VI_1')];

function complete(text: string): string[] {
  const offset = text.indexOf('<|>');
  const file = analyzeText(PATH, text.replace('<|>', ''));
  return completions(file, file.lines.positionAt(offset), ENV).map((i: CompletionItem) => i.label);
}

/** The findings of `rule` on the line holding `marker` (the first line that does). */
function findingsOn(text: string, marker: string, rules = ['invalid-value']): Diagnostic[] {
  const line = text.split('\n').findIndex((l) => l.includes(marker));
  return lintFile(analyzeText(PATH, text)).filter(
    (d) => d.range.start.line === line && rules.includes(d.rule),
  );
}

let grammar: IGrammar;
beforeAll(async () => {
  grammar = await loadGrammar();
});

/**
 * Each word is marked by the grammar after another word: as an option word, or as a constant when some
 * keyword also takes it as a choice (`inet`, `inet6`).
 */
function expectMarked(words: readonly string[]): void {
  const lines = tokenizeWith(grammar, words.map((w) => `x ${w}`).join('\n'));
  for (const word of words)
    for (const scopes of scopesOf(lines, `x ${word}`, word))
      expect(scopes, word).toSatisfy(
        (s: string[]) => has(s, 'support.constant.option') || has(s, 'constant.language'),
      );
}

/** The parameter docs of the signature help at `<|>` in `text`. */
function signatureDocs(text: string): unknown[] {
  const offset = text.indexOf('<|>');
  const file = analyzeText(PATH, text.replace('<|>', ''));
  const sig = signatureHelp(file, file.lines.positionAt(offset))!.signatures[0]!;
  return sig.parameters!.map((p) => p.documentation);
}

describe('unicast_peer options', () => {
  const inPeer = (line: string) => conf(...vrrpInstance('X', ' unicast_peer {', `  ${line}`, ' }'));
  const options = Object.entries(UNICAST_PEER_OPTIONS);

  it('are min_ttl and max_ttl, each read as a number from 0 to 255', () => {
    expect(UNICAST_PEER_OPTIONS).toMatchObject({
      min_ttl: { min: 0, max: 255 },
      max_ttl: { min: 0, max: 255 },
    });
  });

  it('completion offers exactly the options, the unused ones only, and nothing for a value', () => {
    expect(complete(inPeer('192.0.2.2 <|>'))).toEqual(['min_ttl', 'max_ttl']);
    expect(complete(inPeer('192.0.2.2 min_ttl 1 <|>'))).toEqual(['max_ttl']);
    for (const [name] of options) expect(complete(inPeer(`192.0.2.2 ${name} <|>`)), name).toEqual([]);
  });

  it('the check takes each option from its least to its largest value, and no further', () => {
    for (const [name, o] of options) {
      for (const ok of [o.min, o.max])
        expect(findingsOn(inPeer(`192.0.2.2 ${name} ${ok}`), '192.0.2.2'), `${name} ${ok}`).toEqual([]);
      expect(findingsOn(inPeer(`192.0.2.2 ${name} ${o.max + 1}`), '192.0.2.2'), name).toHaveLength(1);
    }
  });

  it('signature help documents each option, as the table does', () => {
    const docs = signatureDocs(inPeer('192.0.2.2 <|>'));
    for (const [name, o] of options) expect(docs, name).toContain(o.doc);
  });

  it('the grammar marks each option', () => expectMarked(options.map(([name]) => name)));
});

describe('lvs_sync_daemon options', () => {
  const line = (rest: string) => conf(...NAMED, 'global_defs {', `  lvs_sync_daemon eth0 ${rest}`, '}');
  const options = Object.entries(LVS_SYNC_DAEMON_OPTIONS) as [string, SyncDaemonOption][];
  const sample = (o: SyncDaemonOption): string =>
    o.value === 'number' ? String(o.min) : o.value === 'vrrp_instance' ? 'VI_1' : '224.0.0.81';

  it('are inst, id, maxlen, port, ttl and group, with the ranges lvs_syncd_handler reads', () => {
    expect(options.map(([name]) => name)).toEqual(['inst', 'id', 'maxlen', 'port', 'ttl', 'group']);
    expect(
      Object.fromEntries(options.flatMap(([n, o]) => (o.value === 'number' ? [[n, [o.min, o.max]]] : []))),
    ).toEqual({ id: [0, 255], maxlen: [1, 65507], port: [1, 65535], ttl: [1, 255] });
  });

  it('completion offers exactly the options, and after each the values the table says', () => {
    expect(complete(line('<|>'))).toEqual(options.map(([name]) => name));
    for (const [name, o] of options)
      expect(complete(line(`${name} <|>`)), name).toEqual(o.value === 'vrrp_instance' ? ['VI_1'] : []);
  });

  it("the check takes each option with its value, and a number out of range with keepalived's words", () => {
    for (const [name, o] of options) {
      expect(findingsOn(line(`${name} ${sample(o)}`), 'lvs_sync_daemon'), name).toEqual([]);
      if (o.value !== 'number') continue;
      expect(findingsOn(line(`${name} ${o.max}`), 'lvs_sync_daemon'), name).toEqual([]);
      const bad = findingsOn(line(`${name} ${o.max + 1}`), 'lvs_sync_daemon');
      expect(
        bad.map((d) => d.message),
        name,
      ).toEqual([expect.stringContaining(o.rejects.replace('%s', String(o.max + 1)))]);
    }
  });

  it("the name after 'inst' is the vrrp_instance reference the symbol kinds table lists", () => {
    const named = options.filter(([, o]) => o.value === 'vrrp_instance').map(([name]) => name);
    expect(keywordUses('global_defs/lvs_sync_daemon')).toEqual(
      named.map((after) => ({ kind: 'vrrp_instance', after, at: undefined })),
    );
  });

  it('signature help documents each option, as the table does', () => {
    const docs = signatureDocs(line('<|>'));
    for (const [name, o] of options) expect(docs, name).toContain(o.doc);
  });

  it('the grammar marks each option', () => expectMarked(options.map(([name]) => name)));
});

/** A block of route or rule lines: static ones at the top level, virtual ones in an instance. */
function linesOf(block: string, line: string): string {
  const inner = [` ${block} {`, `  ${line}`, ' }'];
  return block.startsWith('static_')
    ? conf(...NAMED, ...inner.map((l) => l.slice(1)))
    : conf(...NAMED, ...vrrpInstance('X', ...inner));
}

describe('route options', () => {
  const options = Object.entries(ROUTE_OPTIONS) as [string, RouteOption][];
  /** A route line using `name` with a value it takes. */
  const routeLine = (name: string, o: RouteOption): string => {
    if (name === 'inet6') return '2001:db8::/64 inet6';
    if (name === 'from') return '2001:db8::/64 from 2001:db8:1::/64';
    if (name === 'to') return 'to 192.0.2.0/24';
    const values: Record<RouteOption['value'], string> = {
      flag: '',
      family: '',
      word: ' 1',
      interface: ' eth0',
      number: ' 1',
      locked_number: ' lock 1400',
      locked_word: ' lock 10',
      address: ' 192.0.2.1',
      gateway: ' inet 192.0.2.254',
      from: '',
      mpls: ' to 192.0.2.9',
      rest: ' via 192.0.2.254',
      destination: '',
      track_group: ' TG',
    };
    return `192.0.2.0/24 ${name}${values[o.value]}`;
  };

  it('take interfaces after dev and oif, a track_group after track_group on static_routes only', () => {
    const byValue = (value: string) => options.filter(([, o]) => o.value === value).map(([n]) => n);
    expect(byValue('interface')).toEqual(['dev', 'oif']);
    expect(byValue('track_group')).toEqual(['track_group']);
    expect(options.filter(([, o]) => o.staticOnly).map(([n]) => n)).toEqual(['track_group']);
  });

  it('the check takes each option with the value it takes; a virtual route drops a static-only one', () => {
    for (const [name, o] of options) {
      const errors = (block: string) =>
        findingsOn(linesOf(block, routeLine(name, o)), routeLine(name, o)).filter(
          (d) => d.severity === 'error',
        );
      expect(errors('static_routes'), name).toEqual([]);
      expect(errors('virtual_routes').length, name).toBe(o.staticOnly ? 1 : 0);
    }
  });

  it('the check drops a route with a word that is no option, address or default route name', () => {
    for (const word of ['iif', 'link', 'lookup']) {
      expect(findingsOn(linesOf('static_routes', `192.0.2.0/24 ${word} 1`), word), word).toHaveLength(1);
      expect(complete(linesOf('static_routes', `192.0.2.0/24 ${word} <|>`)), word).toEqual([]);
    }
    for (const name of DEFAULT_ROUTE_NAMES.filter((n) => n !== 'default6'))
      expect(findingsOn(linesOf('static_routes', `${name} via 192.0.2.254`), 'via'), name).toEqual([]);
  });

  it('completion offers after each option exactly the values the table says, on each block', () => {
    for (const block of ['static_routes', 'virtual_routes'])
      for (const [name, o] of options) {
        const expected =
          o.value === 'interface'
            ? ['eth0']
            : o.value === 'track_group' && block === 'static_routes'
              ? ['TG']
              : [];
        expect(complete(linesOf(block, `192.0.2.0/24 ${name} <|>`)), `${block} ${name}`).toEqual(expected);
      }
    // An option's value is not an option: `table dev` is table 'dev'.
    expect(complete(linesOf('static_routes', '192.0.2.0/24 table dev <|>'))).toEqual([]);
  });

  it('track a route only with one of the interface options', () => {
    const tracking = (line: string) => findingsOn(linesOf('virtual_routes', line), line, ['route-tracking']);
    expect(tracking('192.0.2.0/24 via 192.0.2.254')).toHaveLength(1);
    for (const [name, o] of options)
      if (o.value === 'interface') expect(tracking(`192.0.2.0/24 ${name} eth0`), name).toEqual([]);
  });

  it('the grammar marks each option and default route name', () =>
    expectMarked([...options.map(([n]) => n), ...DEFAULT_ROUTE_NAMES]));
});

describe('rule options', () => {
  const options = Object.entries(RULE_OPTIONS) as [string, RuleOption][];
  const byValue = (value: string) => options.filter(([, o]) => o.value === value).map(([n]) => n);

  it('take addresses after from and to, interfaces after dev, iif and oif, a preference as preference, order or priority', () => {
    expect(byValue('address')).toEqual(['from', 'to']);
    expect(byValue('interface')).toEqual(['dev', 'iif', 'oif']);
    expect(byValue('preference')).toEqual(['preference', 'order', 'priority']);
    expect(options.filter(([, o]) => o.staticOnly).map(([n]) => n)).toEqual(['track_group']);
  });

  it('the check reads an address after the address options only', () => {
    for (const [name, o] of options) {
      const line = `${name} 192.0.2.300 preference 1`;
      expect(findingsOn(linesOf('static_rules', line), line).length, name).toBe(
        o.value === 'address' ? 1 : 0,
      );
    }
  });

  it('a rule has a preference with each preference option', () => {
    const without = (line: string) =>
      findingsOn(linesOf('static_rules', line), line, ['rule-without-preference']).length;
    expect(without('from 192.0.2.0/24 table 1')).toBe(1);
    for (const name of byValue('preference')) expect(without(`from 192.0.2.0/24 ${name} 10`), name).toBe(0);
  });

  it('completion offers after each option exactly the values the table says, on each block', () => {
    for (const block of ['static_rules', 'virtual_rules'])
      for (const [name, o] of options) {
        const expected =
          o.value === 'interface'
            ? ['eth0']
            : o.value === 'track_group' && block === 'static_rules'
              ? ['TG']
              : [];
        expect(complete(linesOf(block, `from 192.0.2.0/24 ${name} <|>`)), `${block} ${name}`).toEqual(
          expected,
        );
      }
  });

  it('the grammar marks each option', () => expectMarked(options.map(([n]) => n)));
});
