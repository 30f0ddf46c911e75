// keepalived-lint reports every file of the configuration it reads: a file reached through `include` has its
// findings reported under its own path, once, and they count for the exit code, in text, JSON and SARIF.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../server/src/analysis/document';
import type { Diagnostic } from '../../server/src/checks';
import { runCli } from './run-cli';
import { formatJson, type FileReport } from '../../server/src/cli/format';
import { formatSarif } from '../../server/src/cli/sarif';
import { conf } from '../helpers';

/** Runs with the working folder set to `cwd`, as a user in that folder would. */
function runCliIn(cwd: string, ...argv: string[]) {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return runCli(...argv);
  } finally {
    process.chdir(before);
  }
}

// The official SARIF 2.1.0 schema (see test/unit/cli/sarif.test.ts for why it is patched this way).
const schema = JSON.parse(
  readFileSync(
    createRequire(__filename).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
    'utf8',
  ),
) as Record<string, unknown>;
schema['$id'] = schema['id'];
delete schema['id'];
delete schema['$schema'];
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(s) && !isNaN(Date.parse(s)));
const validateSarif = ajv.compile(schema);

interface JsonDiagnostic {
  file: string;
  rule: string;
  range: { start: { line: number; character: number } };
  fixes?: { edits: { file?: string; range?: { start: { line: number } }; newText: string }[] }[];
}

interface SarifLog {
  runs: {
    artifacts: { location: { uri: string; uriBaseId?: string } }[];
    results: {
      ruleId: string;
      locations: {
        physicalLocation: { artifactLocation: { uri: string; index: number }; region: { startLine: number } };
      }[];
      fixes?: {
        artifactChanges: {
          artifactLocation: { uri: string; index: number };
          replacements: { deletedRegion: { startLine: number } }[];
        }[];
      }[];
    }[];
  }[];
}

// realpath: on macOS the temp folder is reached through a symlink, and relative() must see the real path.
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kl-cli-includes-')));
const lb1 = join(dir, 'lb1');
mkdirSync(join(lb1, 'conf.d'), { recursive: true });
const root = join(lb1, 'keepalived.conf');
writeFileSync(root, conf('global_defs {', '  router_id lb1', '}', 'include conf.d/*.conf'));
const included = join(lb1, 'conf.d', 'vi.conf');
writeFileSync(
  included,
  conf(
    'vrrp_instance VI_1 {',
    '  state MASTER',
    '  interface eth0',
    '  virtual_router_idd 5',
    '  priority 100',
    '  virtual_ipaddress {',
    '    192.0.2.10',
    '  }',
    // The typo above is the finding under test; this line keeps the instance whole for keepalived.
    '  virtual_router_id 5',
    '}',
  ),
);
/** The typo's line in the included file, 1-based. */
const TYPO_LINE = 4;

describe('keepalived-lint reports the files a configuration includes', () => {
  it('prints the included file with the finding line in text, counts it, and exits 1', () => {
    const r = runCli(root);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `${included}:${TYPO_LINE}:3: error unknown-keyword: Unknown keyword 'virtual_router_idd'`,
    );
    expect(r.stdout).toContain('  virtual_router_idd 5\n    ^~~~~~~~~~~~~~~~~~\n');
    expect(r.stdout).toMatch(/1 error in 2 files\n$/);
  });

  it('names an included file the way the root was given: relative to the working folder', () => {
    const r = runCliIn(dir, join('lb1', 'keepalived.conf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join('lb1', 'conf.d', 'vi.conf')}:${TYPO_LINE}:3: error unknown-keyword:`);
    expect(r.stdout).not.toContain(dir);
  });

  it('names an included file outside the working folder by its absolute path', () => {
    const elsewhere = mkdtempSync(join(realpathSync(tmpdir()), 'kl-cli-cwd-'));
    const r = runCliIn(elsewhere, relative(elsewhere, root));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${included}:${TYPO_LINE}:3: error unknown-keyword:`);
  });

  it('names the included file in JSON with the finding range', () => {
    const r = runCli('--format', 'json', root);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] };
    expect(json.diagnostics.map((d) => [d.file, d.rule, d.range.start.line + 1])).toEqual([
      [included, 'unknown-keyword', TYPO_LINE],
    ]);
  });

  it('gives the included file its own SARIF artifact, and the result its uri and line', () => {
    const r = runCliIn(dir, '--format', 'sarif', join('lb1', 'keepalived.conf'));
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    const { artifacts, results } = log.runs[0]!;
    expect(artifacts.map((a) => a.location.uri)).toEqual(['lb1/keepalived.conf', 'lb1/conf.d/vi.conf']);
    expect(
      results.map((x) => {
        const at = x.locations[0]!.physicalLocation;
        return [x.ruleId, at.artifactLocation.uri, at.artifactLocation.index, at.region.startLine];
      }),
    ).toEqual([['unknown-keyword', 'lb1/conf.d/vi.conf', 1, TYPO_LINE]]);
  });

  it('reports the included file once when it is also given on the command line, in either order', () => {
    for (const argv of [
      [root, included],
      [included, root],
    ]) {
      const text = runCli(...argv);
      expect(text.code).toBe(1);
      expect(text.stdout.split(`${included}:${TYPO_LINE}:3:`)).toHaveLength(2);
      expect(text.stdout).toMatch(/1 error in 2 files\n$/);
      const json = JSON.parse(runCli('--format', 'json', ...argv).stdout) as {
        diagnostics: JsonDiagnostic[];
      };
      expect(json.diagnostics.map((d) => d.file)).toEqual([included]);
    }
    // A file given twice under two spellings is still one file.
    const twice = runCliIn(lb1, 'keepalived.conf', './keepalived.conf', 'conf.d/vi.conf');
    expect(twice.stdout.split(`conf.d/vi.conf:${TYPO_LINE}:3:`)).toHaveLength(2);
    expect(twice.stdout).toMatch(/1 error in 2 files\n$/);
  });

  it('reports a file shared by two roots once, with the findings of each context kept once each', () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    mkdirSync(join(shared, 'a'));
    mkdirSync(join(shared, 'b'));
    mkdirSync(join(shared, 'common'));
    const common = join(shared, 'common', 'vi.conf');
    writeFileSync(
      common,
      conf(
        'vrrp_instance VI_1 {',
        '  interface eth0',
        '  virtual_router_idd 5',
        '  track_script {',
        '    chk',
        '  }',
        '  virtual_router_id 5',
        '  virtual_ipaddress {',
        '    192.0.2.10',
        '  }',
        '}',
      ),
    );
    // a defines the script the shared file tracks, b does not: only b's reading has the unknown reference.
    writeFileSync(
      join(shared, 'a', 'keepalived.conf'),
      conf('vrrp_script chk {', '  script "/bin/true"', '}', 'include ../common/*.conf'),
    );
    writeFileSync(join(shared, 'b', 'keepalived.conf'), conf('include ../common/*.conf'));
    const r = runCli(
      '--format',
      'json',
      join(shared, 'a', 'keepalived.conf'),
      join(shared, 'b', 'keepalived.conf'),
    );
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics
      // Both roots read this one instance, so as nodes of one cluster they tie at its priority: true, but
      // beside the point here.
      .filter((d) => d.file === common && d.rule !== 'failover-ip-tiebreak')
      .map((d) => `${d.range.start.line + 1}:${d.rule}`);
    expect(found).toEqual(['3:unknown-keyword', '5:undefined-reference']);
  });

  it('keeps reporting an include whose file cannot be read on the include line', () => {
    const f = join(dir, 'missing-include.conf');
    writeFileSync(f, conf('include /nonexistent-kl-test/keepalived.conf', 'vrrp_instance VI_1 {', '}'));
    const r = runCli('--format', 'json', f);
    const json = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] };
    expect(json.diagnostics.some((d) => d.file === f && d.range.start.line === 0)).toBe(true);
    expect(json.diagnostics.every((d) => d.file === f)).toBe(true);
  });

  it('exits 0 when the included files are clean too', () => {
    const clean = mkdtempSync(join(dir, 'clean-'));
    mkdirSync(join(clean, 'conf.d'));
    writeFileSync(join(clean, 'keepalived.conf'), conf('include conf.d/*.conf'));
    writeFileSync(join(clean, 'conf.d', 'g.conf'), conf('global_defs {', '  router_id lb1', '}'));
    const r = runCli(join(clean, 'keepalived.conf'));
    expect(r.stdout).toBe('no problems in 2 files\n');
    expect(r.code).toBe(0);
  });
});

describe('fixes that edit another file of the configuration', () => {
  // A finding in the included file whose fix edits the main file (as a global_defs fix does).
  const mainText = conf('global_defs {', '}', 'include conf.d/*.conf');
  const includedText = conf('vrrp_script chk {', '  script "/bin/true"', '}');
  const main = analyzeText('/etc/keepalived/keepalived.conf', mainText);
  const inc = analyzeText('/etc/keepalived/conf.d/chk.conf', includedText);
  const diagnostic: Diagnostic = {
    file: inc.path,
    rule: 'script-runs-as-root',
    severity: 'warning',
    message: 'runs as root',
    range: inc.lines.range(27, 38),
    offsets: { start: 27, end: 38 },
    fixes: [
      {
        title: 'global_defs script_user',
        preferred: true,
        edits: [{ file: main.path, start: 13, end: 13, newText: '\n  script_user nobody' }],
      },
    ],
  };
  const reports: FileReport[] = [
    { file: 'etc/keepalived/keepalived.conf', path: main.path, lines: main.lines, diagnostics: [] },
    { file: 'etc/keepalived/conf.d/chk.conf', path: inc.path, lines: inc.lines, diagnostics: [diagnostic] },
  ];

  it('JSON names the edited file and gives the range in its lines', () => {
    const json = JSON.parse(formatJson(reports)) as { diagnostics: JsonDiagnostic[] };
    expect(json.diagnostics[0]!.file).toBe('etc/keepalived/conf.d/chk.conf');
    expect(json.diagnostics[0]!.fixes![0]!.edits[0]).toEqual({
      file: 'etc/keepalived/keepalived.conf',
      range: { start: { line: 0, character: 13 }, end: { line: 0, character: 13 } },
      newText: '\n  script_user nobody',
    });
  });

  it('SARIF puts the artifact change on the edited file', () => {
    const log = JSON.parse(formatSarif(reports, '0.0.0', { baseDir: '/' })) as SarifLog;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    const result = log.runs[0]!.results[0]!;
    expect(result.locations[0]!.physicalLocation.artifactLocation).toMatchObject({
      uri: 'etc/keepalived/conf.d/chk.conf',
      index: 1,
    });
    expect(result.fixes![0]!.artifactChanges).toEqual([
      {
        artifactLocation: { uri: 'etc/keepalived/keepalived.conf', uriBaseId: '%SRCROOT%', index: 0 },
        replacements: [
          {
            deletedRegion: { startLine: 1, startColumn: 14, endLine: 1, endColumn: 14 },
            insertedContent: { text: '\n  script_user nobody' },
          },
        ],
      },
    ]);
  });
});
