// Properties: inputs of 100,000 items of every shape are analysed without throwing (no recursion or
// argument spread grows with the input), and the linear-time replacements of backtracking code give the
// answers of the code they replace, on seeded random inputs.
import { describe, expect, it } from 'vitest';
import { random } from '../../../scripts/random.mjs';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { analyzeText } from '../../../server/src/analysis/document';
import { countBraceExpansions, expandBraces, fnmatch } from '../../../server/src/analysis/includes';
import { paramUses } from '../../../server/src/analysis/params';
import { Workspace } from '../../../server/src/analysis/workspace';
import { lintFile } from '../../../server/src/checks';
import { parse } from '../../../server/src/syntax/parser';
import { allBlocks, walkStatements } from '../../../server/src/syntax/ast';

const N = 100_000;

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** Lints every file of the configuration of `root`; returns the number of findings. */
function lintConfig(ws: Workspace, root: string): number {
  const model = ws.modelFor(root)!;
  let n = 0;
  for (const file of model.files.values()) {
    const found = lintFile(file);
    for (const d of found) {
      expect(d.offsets.start).toBeGreaterThanOrEqual(0);
      expect(d.offsets.end).toBeLessThanOrEqual(file.text.length);
    }
    n += found.length;
  }
  return n;
}

const lintText = (text: string) =>
  lintConfig(new Workspace(new MemoryFileSystem({ '/k.conf': text })), '/k.conf');

// Each input is analysed whole: on a busy machine that takes tens of seconds (a hang guard, not a timing).
describe(`inputs of ${N} items are analysed without throwing`, { timeout: 120_000 }, () => {
  it('references: a track_script block of 100,000 names, and 100,000 vrrp_scripts', () => {
    const names = Array.from({ length: N }, (_, i) => `  chk${i}`).join('\n');
    // 100,000 undefined references: the first 10,000 listed, the rest summed up (MAX_FINDINGS_PER_RULE).
    expect(lintText(`vrrp_instance VI_1 {\n track_script {\n${names}\n }\n}\n`)).toBeGreaterThan(10_000);
    const scripts = Array.from({ length: N }, (_, i) => `vrrp_script s${i} {\n}\n`).join('');
    expect(lintText(scripts)).toBeGreaterThan(0);
  });

  it('scripts: 100,000 root vrrp_scripts share one global fix (worked out once, not per script)', () => {
    const scripts = Array.from(
      { length: N },
      (_, i) => `vrrp_script s${i} {\n script "/usr/local/bin/chk ${i}"\n}\n`,
    ).join('');
    const file = analyzeText('/k.conf', scripts);
    const found = lintFile(file).filter((d) => d.rule === 'script-runs-as-root');
    expect(found).toHaveLength(10_000); // MAX_FINDINGS_PER_RULE listed, the rest counted
    const globals = new Set(found.map((d) => d.fixes?.[0]));
    expect(globals.size).toBe(1);
    expect([...globals][0]?.title).toMatch(/script_user/);
  });

  it('words: one line of 100,000 words', () => {
    expect(lintText(`global_defs {\n router_id${' w'.repeat(N)}\n}\n`)).toBeGreaterThan(0);
  });

  it('blocks: 100,000 nested, 100,000 in a row, 100,000 stray braces', () => {
    expect(lintText(`${'vrrp_instance VI {\n'.repeat(N)}${'}\n'.repeat(N)}`)).toBeGreaterThan(0);
    expect(lintText('global_defs {\n}\n'.repeat(N))).toBeGreaterThanOrEqual(0);
    expect(lintText('{\n'.repeat(N) + '}\n'.repeat(N + 10))).toBeGreaterThan(0);
    const tree = parse('a {\n'.repeat(N));
    let visited = 0;
    walkStatements(tree.statements, () => visited++);
    expect(visited).toBeGreaterThan(0);
    expect(allBlocks(tree).length).toBeGreaterThan(0);
  });

  it('includes: 100,000 include lines of one file, of one another, of missing files, and a cycle', () => {
    const fs = new MemoryFileSystem({
      '/a.conf': 'include /b.conf\n'.repeat(N),
      '/b.conf': 'virtual_server 192.0.2.1 80 {\n delay_loop 5\n}\n',
      '/m.conf': Array.from({ length: N }, (_, i) => `include /none/${i}.conf`).join('\n'),
      '/self.conf': 'include /self.conf\n'.repeat(N),
    });
    const ws = new Workspace(fs);
    expect(lintConfig(ws, '/a.conf')).toBeGreaterThan(0);
    // One finding per line, the first 10,000 listed and the rest summed up (MAX_FINDINGS_PER_RULE).
    expect(lintConfig(ws, '/m.conf')).toBe(10_001);
    expect(lintConfig(ws, '/self.conf')).toBe(10_001);
  });

  it('findings: more than 120,000 of them (the argument spread that overflowed the stack)', () => {
    // Three findings a line (unknown keyword, unexpected block, stray '}'): 150,000 within MAX_FILE_LINES.
    const found = lintFile(analyzeText('/f.conf', 'bogus_keyword {}\n'.repeat(50_000)));
    for (const rule of ['unknown-keyword', 'unexpected-block', 'extra-closing-brace'])
      expect(found.filter((d) => d.rule === rule)).toHaveLength(10_000);
    expect(found.filter((d) => d.rule === 'analysis-limit')).toHaveLength(3);
  });

  it('parameters: 100,000 definitions, uses, and a definition with 100,000 uses', () => {
    const defs = Array.from({ length: N }, (_, i) => `$P${i}=${i}`).join('\n');
    const uses = Array.from({ length: N }, (_, i) => `$P${i}`).join(' ');
    expect(lintText(`${defs}\n$ALL=${uses}\nglobal_defs {\n router_id $ALL\n}\n`)).toBeGreaterThan(0);
    expect(lintText(`$X=1\n${'global_defs {\n router_id $X\n}\n'.repeat(N / 4)}`)).toBeGreaterThanOrEqual(0);
  });

  it('any mix of the above, seeded', () => {
    const rnd = random(12);
    const pieces = [
      'vrrp_instance VI_$i {\n',
      '}\n',
      '{\n',
      ' track_script {\n  chk\n }\n',
      '$P=${P}${P}\n',
      'include /k.conf\n',
      'include /*.conf\n',
      'include /x{a,b}{c,d}.conf\n',
      '~SEQ(i,1,3) vrrp_instance V$i {\n}\n',
      '@node1 priority 100\n',
      ' virtual_ipaddress {\n  192.0.2.1/24\n }\n',
      '# comment     \n',
      '"unterminated\n',
      ' w w w w w w w w\n',
    ];
    for (let round = 0; round < 5; round++) {
      const parts: string[] = [];
      for (let i = 0; i < N / 5; i++) parts.push(pick(rnd, pieces));
      const fs = new MemoryFileSystem({ '/k.conf': parts.join(''), '/b.conf': 'include /k.conf\n' });
      expect(() => lintConfig(new Workspace(fs), '/k.conf')).not.toThrow();
    }
  });
});

// --- linear-time code against the backtracking code it replaced -----------------------------------------

/** The regular-expression fnmatch that includes.ts used before (exponential on `*a*a*a*a*ab`). */
function fnmatchRegex(pattern: string): (name: string) => boolean {
  const CLASSES: Record<string, string> = { alpha: 'a-zA-Z', digit: '0-9', upper: 'A-Z', lower: 'a-z' };
  const esc = (c: string) => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);
  const bracket = (open: number): { re: string; end: number } | undefined => {
    let i = open + 1;
    let negate = false;
    if (pattern[i] === '!' || pattern[i] === '^') {
      negate = true;
      i++;
    }
    let body = '';
    let first = true;
    for (; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === ']' && !first) return { re: `[${negate ? '^' : ''}${body}]`, end: i };
      first = false;
      if (c === '[' && pattern[i + 1] === ':') {
        const close = pattern.indexOf(':]', i + 2);
        const cls = close > 0 ? CLASSES[pattern.slice(i + 2, close)] : undefined;
        if (cls !== undefined) {
          body += cls;
          i = close + 1;
          continue;
        }
      }
      if (c === '\\' && i + 1 < pattern.length) body += esc(pattern[++i]!);
      else if (c === '-' && body !== '' && pattern[i + 1] !== ']') body += '-';
      else body += esc(c);
    }
    return undefined;
  };
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += esc(pattern[++i]!);
    else if (c === '[') {
      const parsed = bracket(i);
      if (parsed) {
        re += parsed.re;
        i = parsed.end;
      } else re += '\\[';
    } else re += esc(c);
  }
  const regex = new RegExp(`^${re}$`, 's');
  const leadingDot = pattern.startsWith('.') || pattern.startsWith('\\.');
  return (name) => (name.startsWith('.') && !leadingDot ? false : regex.test(name));
}

/** glibc's brace expansion as includes.ts wrote it before: recursive, on strings. */
function expandBracesRecursive(pattern: string): string[] {
  const next = (p: string, from: number): number | undefined => {
    let depth = 0;
    for (let i = from; i < p.length; i++) {
      const c = p[i];
      if (c === '\\') {
        if (++i >= p.length) return undefined;
      } else if ((c === '}' || c === ',') && depth === 0) return i;
      else if (c === '}') depth--;
      else if (c === '{') depth++;
    }
    return undefined;
  };
  const out: string[] = [];
  const expand = (p: string): void => {
    let begin = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '\\' && i + 1 < p.length) i++;
      else if (p[i] === '{') {
        begin = i;
        break;
      }
    }
    if (begin < 0) return void out.push(p);
    const ends: number[] = [];
    let at = next(p, begin + 1);
    while (at !== undefined) {
      ends.push(at);
      if (p[at] === '}') break;
      at = next(p, at + 1);
    }
    if (at === undefined) return void out.push(p);
    let start = begin + 1;
    for (const end of ends) {
      expand(p.slice(0, begin) + p.slice(start, end) + p.slice(at + 1));
      start = end + 1;
    }
  };
  expand(pattern);
  return out;
}

/** The regular expression params.ts used to find `$NAME` uses (quadratic on `${A ` without `}`). */
const USE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\s[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)(?=$|[\s,)])/g;

describe('linear-time matching gives the answers of the code it replaced', () => {
  const rnd = random(7);
  const word = (alphabet: string, max: number) => {
    let s = '';
    const n = Math.floor(rnd() * max);
    for (let i = 0; i < n; i++) s += pick(rnd, [...alphabet]);
    return s;
  };

  it('fnmatch agrees with the regular-expression matcher', () => {
    const bracket = () =>
      '[' +
      pick(rnd, ['', '!', '^']) +
      Array.from({ length: 1 + Math.floor(rnd() * 3) }, () =>
        pick(rnd, ['a', 'b', '.', ']', '-', 'a-b', '1-9', '[:alpha:]', '[:digit:]', '\\]', '[:']),
      ).join('') +
      pick(rnd, [']', '', ']]']);
    let matched = 0;
    let compared = 0;
    for (let k = 0; k < 20_000; k++) {
      let pattern = '';
      while (pattern.length < 8 && rnd() < 0.85) pattern += rnd() < 0.2 ? bracket() : word('ab*?.\\', 3);
      const name = word('ab.[]-1A', 8);
      let expected: boolean;
      try {
        expected = fnmatchRegex(pattern)(name);
      } catch {
        continue; // the old matcher threw on a reversed range such as [b-a]
      }
      compared++;
      expect(fnmatch(pattern)(name), `${pattern} vs ${name}`).toBe(expected);
      if (expected) matched++;
    }
    expect(compared).toBeGreaterThan(15_000);
    expect(matched).toBeGreaterThan(100);
  });

  it('fnmatch takes a reversed range as matching nothing (glibc), where the old matcher threw', () => {
    expect(fnmatch('[b-a]x')('bx')).toBe(false);
    expect(fnmatch('[!b-a]x')('bx')).toBe(true);
    expect(fnmatch('[bb-a]x')('bx')).toBe(true);
    expect(fnmatch('[a\\*:b-\\*]')('a')).toBe(true);
  });

  it('expandBraces and countBraceExpansions agree with the recursive expansion', () => {
    for (let k = 0; k < 20_000; k++) {
      const pattern = word('ab{},\\', 14);
      const expected = expandBracesRecursive(pattern);
      expect(expandBraces(pattern, 10_000), pattern).toEqual(expected);
      expect(countBraceExpansions(pattern, 10_000), pattern).toBe(expected.length);
    }
  });

  it('expandBraces keeps glibc order and cuts at its limit the way glibc counts', () => {
    expect(expandBraces('{a,b{c,d}}x{1,2}')).toEqual(['ax1', 'ax2', 'bcx1', 'bcx2', 'bdx1', 'bdx2']);
    expect(expandBraces('{a,b}'.repeat(10), 5)).toEqual(
      expandBracesRecursive('{a,b}'.repeat(10)).slice(0, 5),
    );
  });

  it('paramUses agrees with the regular expression', () => {
    for (let k = 0; k < 20_000; k++) {
      const text = word('$${}AB_1 ,)x\t', 16);
      const expected = [...text.matchAll(USE)].map((m) => ({
        name: (m[1] ?? m[2])!,
        index: m.index,
        length: m[0].length,
      }));
      expect(paramUses(text), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('a definition continued with `\\` is recognised as the regular expression did', () => {
    // The expression the linear scan replaced, plus keepalived's rule for the first line: a value that
    // ends in `\` once its comment is removed is a multi-line definition (check_definition()).
    const REGEX = /\\\s*(\r\n|\r|\n)/;
    const MULTILINE = { test: (raw: string) => REGEX.test(raw) || /\\[ \t]*$/.test(raw.split('\n')[0]!) };
    let multiline = 0;
    for (let k = 0; k < 5_000; k++) {
      const value = word('a\\ \t\n', 12);
      const def = parse(`$X=${value}\n`).statements[0];
      if (def?.kind !== 'definition') continue;
      const raw = def.keyword.text.slice(def.keyword.text.indexOf('=') + 1);
      expect(def.definition!.multiline, JSON.stringify(value)).toBe(MULTILINE.test(raw));
      if (def.definition!.multiline) multiline++;
    }
    expect(multiline).toBeGreaterThan(50);
  });
});
