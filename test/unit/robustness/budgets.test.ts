// Every budget of docs/robustness.md, hit by the input that used to run away (issue 12): the work stops
// where the budget says, the finding is on the line that hit it, and what depends on the skipped input is
// downgraded. These tests assert behaviour only; the timings are in docs/robustness.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUDGETS,
  MAX_BRACE_EXPANSIONS,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_FILES,
  MAX_CONFIG_LINES,
  MAX_EXPANSION_LINES,
  MAX_DIR_READS,
  MAX_EXPANSION_CHARS,
  MAX_FILE_BYTES,
  MAX_FILE_LINES,
  MAX_FILE_TOKENS,
  MAX_FINDINGS_PER_RULE,
  MAX_FOLDER_FILES,
  MAX_INCLUDE_DEPTH,
  MAX_INCLUDE_MATCHES,
  MAX_LINE_WORDS,
  MAX_PATTERN_LENGTH,
  MAX_REREAD_LINES,
  MAX_SUGGESTION_WORK,
} from '../../../server/src/analysis/budget';
import { analyzeText } from '../../../server/src/analysis/document';
import { MemoryFileSystem, type FileSystem } from '../../../server/src/analysis/fs';
import { nodeFileSystem } from '../../../server/src/node/fs';
import { countBraceExpansions } from '../../../server/src/analysis/includes';
import { readConfigFile } from '../../../server/src/node/read';
import { scanConfigFiles } from '../../../server/src/analysis/folder-scan';
import { Workspace } from '../../../server/src/analysis/workspace';
import { lintFile } from '../../../server/src/checks';
import { run } from '../../../server/src/cli';
import { Suggester } from '../../../server/src/checks/suggest';

/** A file system that counts what is read, so that "each file once" can be asserted. */
class CountingFileSystem extends MemoryFileSystem {
  readonly reads = new Map<string, number>();
  readDirs = 0;
  override readText(path: string, maxBytes: number) {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    return super.readText(path, maxBytes);
  }
  override readDir(path: string) {
    this.readDirs++;
    return super.readDir(path);
  }
}

function lintAll(fs: FileSystem, root: string) {
  const ws = new Workspace(fs);
  const model = ws.modelFor(root)!;
  const found = [...model.files.values()].flatMap((f) =>
    lintFile(f).map((d) => ({ ...d, at: `${f.path}:${d.range.start.line + 1}` })),
  );
  return { model, found, limits: found.filter((d) => d.rule === 'analysis-limit') };
}

describe('budgets are named constants', () => {
  it('lists every budget with its value, as docs/robustness.md documents them', () => {
    expect(BUDGETS).toMatchObject({
      MAX_FILE_BYTES: 4 * 1024 * 1024,
      MAX_CONFIG_BYTES: 8 * 1024 * 1024,
      MAX_FILE_LINES: 100_000,
      MAX_CONFIG_LINES: 100_000,
      MAX_INCLUDE_DEPTH: 128,
      MAX_BRACE_EXPANSIONS: 256,
      MAX_REREAD_LINES: 50_000,
      MAX_FOLDER_FILES: 5_000,
    });
    for (const [name, value] of Object.entries(BUDGETS)) {
      expect(Number.isInteger(value) && value > 0, name).toBe(true);
    }
  });
});

describe('reads', () => {
  it('an include over MAX_FILE_BYTES is a finding on the include line, and its names are not false errors', () => {
    const fs = new MemoryFileSystem({
      '/k/keepalived.conf': 'include /k/defs.conf\nvrrp_instance A {\n track_script {\n  chk\n }\n}\n',
      '/k/defs.conf': 'vrrp_script chk {\n script "/bin/true"\n}\n' + '#'.repeat(MAX_FILE_BYTES),
    });
    const { model, found, limits } = lintAll(fs, '/k/keepalived.conf');
    expect(model.complete).toBe(false);
    expect(limits.map((d) => d.at)).toEqual(['/k/keepalived.conf:1']);
    expect(limits[0]!.message).toContain('MAX_FILE_BYTES');
    expect(found.find((d) => d.rule === 'undefined-reference')?.severity).toBe('warning');
  });

  it('stops reading at MAX_CONFIG_BYTES per configuration', () => {
    const big = '#'.repeat(Math.floor(MAX_CONFIG_BYTES / 3));
    const fs = new MemoryFileSystem({
      '/k.conf': 'include /a.conf\ninclude /b.conf\ninclude /c.conf\ninclude /d.conf\n',
      '/a.conf': big,
      '/b.conf': big,
      '/c.conf': big,
      '/d.conf': big,
    });
    const { model, limits } = lintAll(fs, '/k.conf');
    expect([...model.files.keys()]).toEqual(['/k.conf', '/a.conf', '/b.conf']);
    expect(limits.map((d) => d.at)).toEqual(['/k.conf:3', '/k.conf:4']);
    expect(limits[0]!.message).toContain('MAX_CONFIG_BYTES');
  });

  it('stops at MAX_CONFIG_FILES files per configuration', () => {
    const files: Record<string, string> = {};
    let root = '';
    for (let i = 0; i <= MAX_CONFIG_FILES; i++) {
      root += `include /f/${i}.conf\n`;
      files[`/f/${i}.conf`] = '';
    }
    files['/k.conf'] = root;
    const { model, limits } = lintAll(new MemoryFileSystem(files), '/k.conf');
    expect(model.files.size).toBe(MAX_CONFIG_FILES);
    expect(limits.map((d) => d.at)).toEqual([
      `/k.conf:${MAX_CONFIG_FILES}`,
      `/k.conf:${MAX_CONFIG_FILES + 1}`,
    ]);
    expect(limits[0]!.message).toContain('MAX_CONFIG_FILES');
  });

  it('never reads procfs: /proc/self/pagemap (size 0, gigabytes) and /proc/kmsg (blocks) are findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-proc-'));
    const main = join(dir, 'keepalived.conf');
    const names = ['/proc/self/pagemap', '/proc/kmsg'].filter((p) => existsSync(p));
    writeFileSync(main, names.map((p) => `include ${p}\n`).join(''));
    const { model, limits } = lintAll(nodeFileSystem, main);
    expect([...model.files.keys()]).toEqual([main]);
    expect(limits).toHaveLength(names.length);
    for (const d of limits) expect(d.message).toContain('is on procfs');
    expect(readConfigFile('/proc/self/pagemap')).toMatchObject({ ok: false });
  });

  it('reads a FIFO or a device as nothing, at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-fifo-'));
    execFileSync('mkfifo', [join(dir, 'pipe.conf')]);
    expect(readConfigFile(join(dir, 'pipe.conf'))).toMatchObject({ ok: false });
    expect(readConfigFile('/dev/zero')).toMatchObject({ ok: false });
    expect(nodeFileSystem.readText(join(dir, 'pipe.conf'), MAX_FILE_BYTES).ok).toBe(false);
  });

  it('reads a regular file whole, up to the size stat gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-read-'));
    writeFileSync(join(dir, 'a.conf'), 'global_defs {\n}\n');
    expect(readConfigFile(join(dir, 'a.conf'))).toEqual({ ok: true, text: 'global_defs {\n}\n' });
    expect(nodeFileSystem.readText(join(dir, 'a.conf'), 4)).toMatchObject({ ok: false, tooLarge: 16 });
  });
});

describe('includes', () => {
  it('a 2-way fan-out 16 deep reads each file once and stops re-reading at MAX_REREAD_LINES', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 16; i++) files[`/f${i}.conf`] = `include /f${i + 1}.conf\ninclude /f${i + 1}.conf\n`;
    files['/f16.conf'] = 'global_defs {\n router_id x\n}\n';
    const fs = new CountingFileSystem(files);
    const { model, limits } = lintAll(fs, '/f0.conf');
    expect(model.files.size).toBe(17);
    expect(Math.max(...fs.reads.values())).toBe(1);
    expect(model.complete).toBe(false);
    expect(limits.length).toBeGreaterThan(0);
    for (const d of limits) expect(d.message).toContain('MAX_REREAD_LINES');
    // Every file was read into the stream, the deepest at least once per level of re-reading allowed.
    const placed = [...model.files.values()].reduce((n, f) => n + f.placed.length, 0);
    expect(placed).toBeLessThanOrEqual(MAX_REREAD_LINES + 17 * 3 + 32);
  });

  it('nine files that each include *.conf: every cycle reported, each file read once, no factorial walk', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 9; i++) files[`/n/c${i}.conf`] = 'include *.conf\n';
    const fs = new CountingFileSystem(files);
    const { model, found } = lintAll(fs, '/n/c0.conf');
    expect(model.files.size).toBe(9);
    expect(Math.max(...fs.reads.values())).toBe(1);
    expect(found.filter((d) => d.rule === 'include-cycle').map((d) => d.at)).toHaveLength(9);
    // One glob per include line: directory listings do not grow with the re-reading.
    expect(fs.readDirs).toBeLessThanOrEqual(9 * 2);
  });

  it('a 50-file include cycle is reported on every include line of it', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`/c/${i}.conf`] = `include /c/${(i + 1) % 50}.conf\n`;
    const { found } = lintAll(new MemoryFileSystem(files), '/c/0.conf');
    const cycles = found.filter((d) => d.rule === 'include-cycle');
    expect(new Set(cycles.map((d) => d.at)).size).toBe(50);
  });

  it('an include chain deeper than MAX_INCLUDE_DEPTH is cut with a finding on the include that goes too deep', () => {
    const files: Record<string, string> = {};
    const n = MAX_INCLUDE_DEPTH + 5;
    for (let i = 0; i < n; i++) files[`/d/${i}.conf`] = `include /d/${i + 1}.conf\n`;
    files[`/d/${n}.conf`] = 'vrrp_script chk {\n script "/bin/true"\n}\n';
    const { model, limits } = lintAll(new MemoryFileSystem(files), '/d/0.conf');
    // The file past the limit is known (its include line was resolved) but not read.
    expect([...model.files.values()].filter((f) => f.placed.length > 0)).toHaveLength(MAX_INCLUDE_DEPTH);
    expect(model.files.get(`/d/${MAX_INCLUDE_DEPTH}.conf`)!.placed).toEqual([]);
    expect(model.complete).toBe(false);
    expect(limits.map((d) => d.at)).toEqual([`/d/${MAX_INCLUDE_DEPTH - 1}.conf:1`]);
    expect(limits[0]!.message).toContain('MAX_INCLUDE_DEPTH');
  });

  it('5,000 includes of one file read it once and stop splicing it at MAX_REREAD_LINES', () => {
    const body = Array.from(
      { length: 400 },
      (_, i) => `virtual_server 10.0.${i >> 8}.${i & 255} 80 {\n delay_loop 5\n}\n`,
    ).join('');
    const fs = new CountingFileSystem({ '/m.conf': 'include /big.conf\n'.repeat(5000), '/big.conf': body });
    const { model, limits } = lintAll(fs, '/m.conf');
    expect(fs.reads.get('/big.conf')).toBe(1);
    const spliced = model.files.get('/big.conf')!.placed.length;
    expect(spliced).toBeGreaterThan(MAX_REREAD_LINES - 1200);
    expect(spliced).toBeLessThanOrEqual(MAX_REREAD_LINES + 1200);
    // Each include line that was not followed says so.
    const cut = limits.filter((d) => d.message.includes('MAX_REREAD_LINES'));
    expect(new Set(cut.map((d) => d.at)).size).toBe(cut.length);
    expect(cut.length).toBe(5000 - spliced / 800); // 800 lines per read
  });
});

describe('lines per configuration', () => {
  it('an include past MAX_CONFIG_LINES is not read, with a finding on it, and its names are not false errors', () => {
    const third = Math.floor(MAX_CONFIG_LINES / 2.5);
    const fs = new MemoryFileSystem({
      '/k.conf':
        'include /a.conf\ninclude /b.conf\ninclude /c.conf\nvrrp_instance A {\n track_script {\n  chk\n }\n}\n',
      '/a.conf': 'track_file T\n'.repeat(third),
      '/b.conf': 'track_file T\n'.repeat(third),
      '/c.conf': 'vrrp_script chk {\n script "/bin/true"\n}\n' + 'track_file T\n'.repeat(third),
    });
    const { model, found, limits } = lintAll(fs, '/k.conf');
    expect(model.complete).toBe(false);
    expect(model.files.get('/c.conf')!.placed).toEqual([]);
    const cut = limits.filter((d) => d.message.includes('MAX_CONFIG_LINES'));
    expect(cut.map((d) => d.at)).toEqual(['/k.conf:3']);
    expect(found.find((d) => d.rule === 'undefined-reference')?.severity).toBe('warning');
    // The lines of the stream stay within the budget.
    const placed = [...model.files.values()].reduce((n, f) => n + f.placed.length, 0);
    expect(placed).toBeLessThanOrEqual(MAX_CONFIG_LINES);
  });
});

describe('lines made by expansion', () => {
  // Each use makes 999 x 2 lines (`vrrp_script` and `script`; a `}` is no line).
  const def = '$L= \\\nvrrp_script s${I} { \\\n script "/bin/true" \\\n}\n';
  const made = (file: ReturnType<typeof analyzeText>) =>
    file.placed.filter((p) => p.statement.keyword.value === 'vrrp_script').length;

  it('~SEQ over a multi-line parameter stops at MAX_EXPANSION_LINES; the first line refused says so', () => {
    const file = analyzeText('/e.conf', def + '~SEQ(I,1,999) $L\n'.repeat(20));
    expect(file.model.complete).toBe(false);
    const uses = Math.floor(MAX_EXPANSION_LINES / 1998);
    const limits = lintFile(file).filter((d) => d.rule === 'analysis-limit');
    const cut = limits.filter((d) => d.message.includes('MAX_EXPANSION_LINES'));
    expect(cut.map((d) => d.range.start.line)).toEqual([4 + uses]);
    // The others count the duplicate scripts beyond the listed ones (each use defines s1 to s999 again).
    expect(
      limits.filter((d) => !cut.includes(d)).every((d) => d.message.includes('MAX_FINDINGS_PER_RULE')),
    ).toBe(true);
    // The uses before the limit were expanded; the later ones are read as written.
    expect(made(file)).toBe(999 * uses);
    expect(file.placed.filter((p) => p.statement.keyword.value === '$L')).toHaveLength(20);
  });

  it('lines made by expansion count against MAX_CONFIG_LINES too', () => {
    const lines = 'track_file T\n'.repeat(MAX_CONFIG_LINES - 2000);
    const file = analyzeText('/e.conf', def + lines + '~SEQ(I,1,999) $L\n'.repeat(2));
    const cut = file.model.limits.filter((l) => l.budget === 'MAX_CONFIG_LINES');
    expect(cut.map((l) => file.lines.positionAt(l.start).line)).toEqual([4 + MAX_CONFIG_LINES - 2000]);
    expect(made(file)).toBe(0);
  });

  it('a line whose values are plain words is read with those values', () => {
    const file = analyzeText(
      '/p.conf',
      '$NET=10\n$PORT=80\nvirtual_server 10.0.${NET}.1 $PORT {\n real_server 10.0.${NET}.2 $PORT {\n }\n}\n',
    );
    const rs = file.placed.find((p) => p.statement.keyword.value === 'real_server')!;
    expect(rs.expandedArgs).toEqual(['10.0.10.2', '80']);
    expect(rs.parentPath).toBe('virtual_server');
  });
});

describe('did-you-mean', () => {
  it('looks each word up once per candidate list and stops suggesting at MAX_SUGGESTION_WORK', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `check_${i}`);
    const suggester = new Suggester();
    expect(suggester.closest('check_1x', names)).toEqual(['check_1', 'check_10', 'check_11']);
    // The same word again is answered from the memo, whatever the budget left.
    for (let i = 0; i < MAX_SUGGESTION_WORK / names.length; i++) suggester.closest(`chk${i}`, names);
    expect(suggester.closest('check_1x', names)).toEqual(['check_1', 'check_10', 'check_11']);
    expect(suggester.closest('check_2x', names)).toEqual([]);
  });

  it('90,000 unknown keywords: the word is looked up once, and every listed finding has its suggestion', () => {
    const found = lintFile(analyzeText('/u.conf', `global_defs {\n${' router_idd x\n'.repeat(90_000)}}\n`));
    const unknown = found.filter((d) => d.rule === 'unknown-keyword');
    expect(unknown).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(unknown[0]!.message).toContain("Did you mean 'router_id'?");
    expect(unknown[MAX_FINDINGS_PER_RULE - 1]!.message).toContain("Did you mean 'router_id'?");
  });
});

describe('globs', () => {
  it('matches `g/*a*a*a*a*ab` against a long name without backtracking, and finds nothing', () => {
    const fs = new MemoryFileSystem({
      '/k.conf': 'include /g/*a*a*a*a*ab\ninclude /g/*a*a*a*a*a*a\n',
      [`/g/${'a'.repeat(250)}`]: '',
    });
    const { model, found } = lintAll(fs, '/k.conf');
    expect(found.map((d) => `${d.at} ${d.rule}`)).toEqual(['/k.conf:1 include-not-found']);
    expect(model.files.has(`/g/${'a'.repeat(250)}`)).toBe(true);
  });

  it('counts brace expansions before building any: {a,b}x22 is a finding, not 4 million patterns', () => {
    expect(countBraceExpansions('x' + '{a,b}'.repeat(22))).toBe(MAX_BRACE_EXPANSIONS + 1);
    expect(countBraceExpansions('{a,b}'.repeat(100_000))).toBe(MAX_BRACE_EXPANSIONS + 1);
    expect(countBraceExpansions('{a,b}'.repeat(8))).toBe(256);
    const fs = new MemoryFileSystem({ '/k.conf': `include /x${'{a,b}'.repeat(22)}\n` });
    const { model, limits } = lintAll(fs, '/k.conf');
    expect(limits.map((d) => d.message)).toEqual([expect.stringContaining('MAX_BRACE_EXPANSIONS')]);
    expect(model.complete).toBe(false);
  });

  it('{1..100}x4 is one literal pattern, as glibc has no ranges', () => {
    expect(countBraceExpansions('x{1..100}{1..100}{1..100}{1..100}')).toBe(1);
  });

  it('a pattern longer than MAX_PATTERN_LENGTH is not resolved', () => {
    const fs = new MemoryFileSystem({ '/k.conf': `include /${'a'.repeat(MAX_PATTERN_LENGTH)}*\n` });
    expect(lintAll(fs, '/k.conf').limits.map((d) => d.message)).toEqual([
      expect.stringContaining('MAX_PATTERN_LENGTH'),
    ]);
  });

  it('a glob matching more than MAX_INCLUDE_MATCHES files is cut there, with a finding', () => {
    const files: Record<string, string> = { '/k.conf': 'include /many/*.conf\n' };
    for (let i = 0; i <= MAX_INCLUDE_MATCHES; i++) files[`/many/${String(i).padStart(5, '0')}.conf`] = '';
    const { model, limits } = lintAll(new MemoryFileSystem(files), '/k.conf');
    expect(model.files.size).toBe(MAX_INCLUDE_MATCHES + 1);
    expect(limits.map((d) => d.message)).toEqual([expect.stringContaining('MAX_INCLUDE_MATCHES')]);
  });

  it('a glob listing more than MAX_DIR_READS folders is cut there, with a finding', () => {
    const files: Record<string, string> = { '/k.conf': 'include /d/*/x.conf\n' };
    for (let i = 0; i <= MAX_DIR_READS; i++) files[`/d/${i}/y.conf`] = '';
    const fs = new MemoryFileSystem(files);
    expect(lintAll(fs, '/k.conf').limits.map((d) => d.message)).toEqual([]);
    const wild = new MemoryFileSystem({ ...files, '/k.conf': 'include /d/*/*.conf\n' });
    expect(lintAll(wild, '/k.conf').limits.map((d) => d.message)).toEqual([
      expect.stringContaining('MAX_DIR_READS'),
    ]);
  });

  it('spends at most MAX_GLOB_WORK on glob matching per configuration', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`/g/${i}`] = '';
    const pattern = `/g/${'*x'.repeat(60)}`; // 121 characters per name tested
    files['/k.conf'] = `include ${pattern}\n`.repeat(100);
    const { limits } = lintAll(new MemoryFileSystem(files), '/k.conf');
    expect(limits.length).toBeGreaterThan(0);
    expect(limits.every((d) => d.message.includes('MAX_GLOB_WORK'))).toBe(true);
  });
});

describe('parameters', () => {
  it('`$D=${D}${D}` used 30 times stays unknown without doubling 2^20 times', () => {
    const text = '$D=x\n$D=${D}${D}\n' + 'global_defs {\n router_id $D\n}\n'.repeat(30);
    const file = analyzeText('/p.conf', text);
    const ids = file.placed.filter((p) => p.statement.keyword.value === 'router_id');
    expect(ids).toHaveLength(30);
    for (const p of ids) expect(p.expandedArgs).toEqual([undefined]);
  });

  it('a value that grows past MAX_EXPANSION_CHARS is left unexpanded, with a finding on its line', () => {
    // Each definition doubles the one before: $A8 is 25,600 characters.
    const defs = [`$A0=${'x'.repeat(100)}`];
    for (let i = 1; i <= 8; i++) defs.push(`$A${i}=\${A${i - 1}}\${A${i - 1}}`);
    const file = analyzeText('/p.conf', `${defs.join('\n')}\nglobal_defs {\n router_id $A8\n}\n`);
    const placed = file.placed.find((p) => p.statement.keyword.value === 'router_id')!;
    expect(placed.expandedArgs).toEqual([undefined]);
    const limits = lintFile(file).filter((d) => d.rule === 'analysis-limit');
    expect(limits.map((d) => d.range.start.line + 1)).toEqual([11]);
    expect(limits[0]!.message).toContain(`${MAX_EXPANSION_CHARS}`);
  });

  it('4 MB of duplicate definitions: every one found, MAX_FINDINGS_PER_RULE of each rule listed', () => {
    const n = MAX_FINDINGS_PER_RULE + 5000;
    // One-line definitions of the same track_file (a parameter defined again is no duplicate).
    const file = analyzeText('/d.conf', 'track_file T\n'.repeat(n));
    const found = lintFile(file);
    const count = (rule: string) => found.filter((d) => d.rule === rule).length;
    expect(count('duplicate-definition')).toBe(MAX_FINDINGS_PER_RULE);
    const summaries = found.filter((d) => d.rule === 'analysis-limit');
    expect(summaries.map((d) => d.message)).toContain(
      `${n - 1 - MAX_FINDINGS_PER_RULE} more 'duplicate-definition' findings in this file, from here on, are not listed: the linter lists the first ${MAX_FINDINGS_PER_RULE} of each rule per file (MAX_FINDINGS_PER_RULE).`,
    );
    // The summary is where the first unlisted finding is (document order).
    const summary = summaries.find((d) => d.message.includes("'duplicate-definition'"))!;
    expect(summary.range.start.line).toBe(MAX_FINDINGS_PER_RULE + 1);
  });
});

describe('lexer and parser', () => {
  it('an include line with 160,000 blanks before a second word is one include of two words', () => {
    const file = analyzeText('/s.conf', `include x.conf${' '.repeat(160_000)}y\n`);
    expect(file.tree.statements.map((s) => [s.kind, s.args.map((a) => a.value)])).toEqual([
      ['include', ['x.conf', 'y']],
    ]);
  });

  it('runs of blanks in comments, strings and definitions are read as they are', () => {
    const blanks = ' '.repeat(160_000);
    const file = analyzeText(
      '/s.conf',
      `global_defs {\n #${blanks}x\n router_id "${blanks}x"\n}\n$X=\\${' \\'.repeat(50_000)}\n`,
    );
    expect(file.tree.comments).toHaveLength(1);
    const id = file.tree.statements[0]!.block!.statements[0]!;
    expect(id.args[0]!.value).toBe(`${blanks}x`);
    // It ends in `\`, so keepalived takes it as the first line of a multi-line definition.
    expect(file.tree.statements[1]!.definition!.multiline).toBe(true);
  });

  it('a line of more than MAX_LINE_WORDS words keeps the first ones, with a finding', () => {
    const file = analyzeText('/w.conf', `global_defs {\n router_id${' w'.repeat(100_000)}\n}\n`);
    const id = file.tree.statements[0]!.block!.statements[0]!;
    expect(id.args).toHaveLength(MAX_LINE_WORDS - 1);
    const limits = lintFile(file).filter((d) => d.rule === 'analysis-limit');
    expect(limits.map((d) => [d.range.start.line + 1, d.message.includes('MAX_LINE_WORDS')])).toEqual([
      [2, true],
    ]);
  });

  it('a file of more than MAX_FILE_LINES lines is analysed up to there, with a finding', () => {
    const file = analyzeText('/l.conf', `${'\n'.repeat(MAX_FILE_LINES)}bogus\n`);
    expect(file.tree.statements).toEqual([]);
    const found = lintFile(file);
    expect(found.map((d) => [d.rule, d.range.start.line])).toEqual([['analysis-limit', MAX_FILE_LINES]]);
    expect(file.model.complete).toBe(false);
  });

  it('a file of more than MAX_FILE_TOKENS words is analysed up to the line that exceeds it', () => {
    const perLine = 1000;
    const lines = Math.ceil(MAX_FILE_TOKENS / perLine) + 2;
    const file = analyzeText('/t.conf', `${'# a'.padEnd(2 * perLine, ' a')}\n`.repeat(lines));
    const limit = file.model.limits.find((l) => l.budget === 'MAX_FILE_TOKENS')!;
    expect(file.lines.positionAt(limit.start).line).toBe(MAX_FILE_TOKENS / perLine);
  });
});

describe('folder mode', () => {
  it('a folder scan says when it stops at its limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-scan-'));
    for (let i = 0; i < 5; i++) {
      mkdirSync(join(dir, `d${i}`));
      writeFileSync(join(dir, `d${i}`, 'a.conf'), '');
    }
    const scan = (maxFiles: number) => scanConfigFiles(nodeFileSystem, dir, { maxFiles, maxDepth: 32 });
    expect(scan(3)).toEqual({ files: [0, 1, 2].map((i) => join(dir, `d${i}`, 'a.conf')), truncated: true });
    expect(scan(5)).toEqual({
      files: [0, 1, 2, 3, 4].map((i) => join(dir, `d${i}`, 'a.conf')),
      truncated: false,
    });
  });

  it('the CLI reports a folder scan cut at MAX_FOLDER_FILES on stderr and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-folder-'));
    for (let d = 0; d <= MAX_FOLDER_FILES / 1000; d++) mkdirSync(join(dir, `d${d}`));
    for (let i = 0; i <= MAX_FOLDER_FILES; i++)
      writeFileSync(join(dir, `d${Math.floor(i / 1000)}`, `f${i}.conf`), '');
    let stderr = '';
    const code = run(
      ['--format', 'json', dir],
      () => undefined,
      (s) => (stderr += s),
    );
    expect(code).toBe(2);
    expect(stderr).toContain(`stopped after the first ${MAX_FOLDER_FILES} config files under '${dir}'`);
    // 10,000 configs are not the nodes of one cluster: the cross-node checks are skipped, and said so.
    expect(stderr).toContain('MAX_CLUSTER_NODES');
  }, 120_000);
});
