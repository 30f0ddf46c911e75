import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import { ruleDocUrl } from '../../../server/src/checks/rules';
import { RULES } from '../../../server/src/checks/families';
import { run } from '../../../server/src/cli';
import type { FileReport } from '../../../server/src/cli/format';
import { parseArgs } from '../../../server/src/cli/options';
import { formatSarif, pascalCase } from '../../../server/src/cli/sarif';
import type * as Sarif from 'sarif';
import { conf, requiredLines } from '../../helpers';

// The official SARIF 2.1.0 schema as SchemaStore and Microsoft's SARIF SDK publish it (2.1.0-rtm.5), shipped
// by @microsoft/jest-sarif. It is written in draft-04; Ajv 8 reads draft-06+ only, and the two differ here
// in one keyword: the root's `id`, which Ajv 8 spells `$id`. Rename it and drop the draft-04 `$schema`.
// Its `language` pattern has a stray `]`, legal only in a non-Unicode regular expression: hence
// `unicodeRegExp: false`, as draft-04 validators read patterns.
const schemaPath = createRequire(__filename).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
schema['$id'] = schema['id'];
delete schema['id'];
delete schema['$schema'];
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(s) && !isNaN(Date.parse(s)));
const validateSarif = ajv.compile(schema);

// The SARIF object model from @types/sarif, with every field required: the tests read the fields they
// expect to be there, and a missing one fails its assertion all the same.
type Present<T> = T extends object ? { [K in keyof T]-?: Present<T[K]> } : T;
type Log = Present<Sarif.Log>;

function report(file: string, text: string): FileReport {
  const analyzed = analyzeText(file, text);
  return { file, lines: analyzed.lines, diagnostics: lintFile(analyzed) };
}

function sarif(reports: FileReport[], baseDir?: string): Log {
  const out = formatSarif(reports, '9.8.7', baseDir === undefined ? {} : { baseDir });
  const log = JSON.parse(out) as Log;
  expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
  return log;
}

const typo = conf('vrrp_instance VI_1 {', '  prority 100', ...requiredLines(), '}');
/** The same instance with CRLF line ends. */
const typoCrlf = ['vrrp_instance VI_1 {', '  prority 100', ...requiredLines(), '}', ''].join('\r\n');

describe('formatSarif', () => {
  it('writes a log the SARIF 2.1.0 schema accepts, for findings with and without fixes', () => {
    const log = sarif([
      report('etc/keepalived/keepalived.conf', typo),
      report(
        'etc/keepalived/conf.d/vrrp.conf',
        conf(
          'vrrp_instance VI_1 {',
          '  state MASTER',
          '  nopreempt',
          '  priority 300',
          ...requiredLines(),
          '}',
          'bogus {',
        ),
      ),
      report('etc/keepalived/clean.conf', conf('global_defs {', '  router_id lb1', '}')),
      report('etc/keepalived/crlf.conf', typoCrlf),
    ]);
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [run0] = log.runs;
    expect(run0!.tool.driver).toMatchObject({ name: 'keepalived-lint', version: '9.8.7' });
    expect(run0!.invocations).toEqual([{ executionSuccessful: true }]);
    expect(run0!.columnKind).toBe('utf16CodeUnits');
    expect(run0!.artifacts.map((a) => a.location.uri)).toEqual([
      'etc/keepalived/keepalived.conf',
      'etc/keepalived/conf.d/vrrp.conf',
      'etc/keepalived/clean.conf',
      'etc/keepalived/crlf.conf',
    ]);
    expect(new Set(run0!.results.map((r) => r.level))).toEqual(new Set(['error', 'warning']));
    for (const r of run0!.results) {
      const loc = r.locations[0]!.physicalLocation;
      expect(run0!.artifacts[loc.artifactLocation.index]!.location.uri).toBe(loc.artifactLocation.uri);
      expect(run0!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    }
  });

  it('the schema check is real: a broken log fails it', () => {
    const log = JSON.parse(formatSarif([report('a.conf', typo)], '1.0.0')) as Log;
    log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validateSarif(log)).toBe(false);
    expect(validateSarif({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('gives the exact 1-based region, snippet, source line and fix of a known finding', () => {
    const [result, ...others] = sarif([report('keepalived.conf', typo)]).runs[0]!.results;
    expect(others).toEqual([]);
    expect(result).toMatchObject({ ruleId: 'unknown-keyword', level: 'error' });
    expect(result!.message.text).toContain("'prority'");
    const location = result!.locations[0]!.physicalLocation;
    expect(location.artifactLocation).toEqual({ uri: 'keepalived.conf', uriBaseId: '%SRCROOT%', index: 0 });
    expect(location.region).toEqual({
      startLine: 2,
      startColumn: 3,
      endLine: 2,
      endColumn: 10,
      snippet: { text: 'prority' },
    });
    expect(location.contextRegion).toEqual({ startLine: 2, endLine: 2, snippet: { text: '  prority 100' } });
    expect(result!.fixes).toEqual([
      {
        description: { text: "Change to 'priority'" },
        artifactChanges: [
          {
            artifactLocation: { uri: 'keepalived.conf', uriBaseId: '%SRCROOT%', index: 0 },
            replacements: [
              {
                deletedRegion: { startLine: 2, startColumn: 3, endLine: 2, endColumn: 10 },
                insertedContent: { text: 'priority' },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('counts columns in UTF-16 code units and honours CRLF line ends', () => {
    // '@😀 ' is four UTF-16 units: a code-point count would start 'prority' at column 4, not 5.
    const wide = sarif([
      report('k.conf', conf('vrrp_instance VI_1 {', '@😀 prority 100', ...requiredLines(), '}')),
    ]);
    const region = wide.runs[0]!.results.find((r) => r.ruleId === 'unknown-keyword')!.locations[0]!
      .physicalLocation.region;
    expect(region).toMatchObject({ startLine: 2, startColumn: 5, endLine: 2, endColumn: 12 });
    const crlf = sarif([report('k.conf', typoCrlf)]);
    const [result] = crlf.runs[0]!.results;
    expect(result!.locations[0]!.physicalLocation.region).toMatchObject({
      startLine: 2,
      startColumn: 3,
      endColumn: 10,
    });
    expect(result!.fixes[0]!.artifactChanges[0]!.replacements[0]!.deletedRegion).toEqual({
      startLine: 2,
      startColumn: 3,
      endLine: 2,
      endColumn: 10,
    });
  });

  it('keeps a fingerprint when lines are inserted above, and tells different findings apart', () => {
    const hashes = (text: string): string[] =>
      sarif([report('keepalived.conf', text)]).runs[0]!.results.map(
        (r) => r.partialFingerprints.primaryLocationLineHash!,
      );
    const [before] = hashes(typo);
    const [after] = hashes('# a comment added later\n\n' + typo);
    expect(before).toMatch(/^[0-9a-f]{16}:1$/);
    expect(after).toBe(before);

    const two = hashes(
      conf('vrrp_instance VI_1 {', '  prority 100', '  advert_intx 1', ...requiredLines(), '}'),
    );
    expect(two).toHaveLength(2);
    expect(two[0]).toBe(before);
    expect(two[1]).not.toBe(two[0]);

    // The same finding on two identical lines: told apart by occurrence, stable under insertions.
    const twice = conf(
      'vrrp_instance VI_1 {',
      '  prority 100',
      ...requiredLines(51, '192.0.2.10'),
      '}',
      'vrrp_instance VI_2 {',
      '  prority 100',
      ...requiredLines(52, '192.0.2.11'),
      '}',
    );
    const repeated = hashes(twice);
    expect(repeated).toHaveLength(2);
    expect(new Set(repeated).size).toBe(2);
    expect(hashes('# note\n' + twice)).toEqual(repeated);

    // The file is part of the identity.
    const other = sarif([report('other.conf', typo)]).runs[0]!.results[0]!.partialFingerprints;
    expect(other.primaryLocationLineHash).not.toBe(before);
  });

  it('lists every rule of the table once, with its docs link, name, level and tags', () => {
    const rules = sarif([]).runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual([...RULES.keys()]);
    expect(new Set(rules.map((r) => r.id)).size).toBe(RULES.size);
    for (const rule of rules) {
      const source = RULES.get(rule.id)!;
      expect(rule.helpUri).toBe(ruleDocUrl(rule.id));
      expect(rule.shortDescription.text).toBe(source.description);
      expect(rule.name).toBe(pascalCase(rule.id));
      expect(rule.defaultConfiguration.level).toBe(
        source.severity === 'error' ? 'error' : source.severity === 'warning' ? 'warning' : 'note',
      );
      expect(rule.properties.tags).toEqual([source.category]);
    }
    expect(pascalCase('unknown-keyword')).toBe('UnknownKeyword');
    // Tags come from the rule's category, not from words in its id.
    const tags = new Map(rules.map((r) => [r.id, r.properties.tags]));
    expect(tags.get('unsafe-script-path')).toEqual(['security']);
    expect(tags.get('startup-script-kills-keepalived')).toEqual(['scripts']);
    expect(tags.get('script-runs-as-root')).toEqual(['security']);
    expect(tags.get('script-not-found')).toEqual(['scripts']);
    expect(tags.get('unknown-keyword')).toEqual(['correctness']);
  });

  it('uses the diagnostic severity, not the rule default, for the result level', () => {
    const analyzed = analyzeText('k.conf', typo);
    const diagnostics = lintFile(analyzed, { rules: { 'unknown-keyword': 'hint' } });
    const log = sarif([{ file: 'k.conf', lines: analyzed.lines, diagnostics }]);
    expect(log.runs[0]!.results[0]!.level).toBe('note');
    expect(
      log.runs[0]!.tool.driver.rules.find((r) => r.id === 'unknown-keyword')!.defaultConfiguration.level,
    ).toBe('error');
  });

  it('makes paths relative to the base folder with forward slashes, and others file: URIs', () => {
    const reports = [
      report('/repo/etc/keepalived/keepalived.conf', typo),
      report('./local/my file.conf', typo),
      report('/elsewhere/keepalived.conf', typo),
    ];
    const based = sarif(reports, '/repo');
    expect(based.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(based.runs[0]!.artifacts.map((a) => a.location)).toEqual([
      { uri: 'etc/keepalived/keepalived.conf', uriBaseId: '%SRCROOT%' },
      { uri: 'local/my%20file.conf', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///elsewhere/keepalived.conf' },
    ]);
    const plain = sarif(reports);
    expect(plain.runs[0]!.originalUriBaseIds).toBeUndefined();
    expect(plain.runs[0]!.artifacts.map((a) => a.location.uri)).toEqual([
      'file:///repo/etc/keepalived/keepalived.conf',
      'local/my%20file.conf',
      'file:///elsewhere/keepalived.conf',
    ]);
  });

  it('is a pure function: same input, same output', () => {
    const reports = [report('keepalived.conf', typo)];
    expect(formatSarif(reports, '1.0.0')).toBe(formatSarif(reports, '1.0.0'));
  });
});

describe('keepalived-lint --format sarif', () => {
  it('accepts the format and writes a valid SARIF log for the files given', () => {
    expect(parseArgs(['--format', 'sarif', 'x.conf']).format).toBe('sarif');
    expect(parseArgs(['--format=sarif', 'x.conf']).format).toBe('sarif');

    const dir = mkdtempSync(join(tmpdir(), 'kl-sarif-'));
    const file = join(dir, 'keepalived.conf');
    writeFileSync(file, typo);
    let stdout = '';
    let stderr = '';
    const code = run(
      ['--format', 'sarif', file],
      (s) => (stdout += s),
      (s) => (stderr += s),
    );
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Log;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    const [result] = log.runs[0]!.results;
    expect(result!.ruleId).toBe('unknown-keyword');
    expect(result!.locations[0]!.physicalLocation.region).toMatchObject({
      startLine: 2,
      startColumn: 3,
      endColumn: 10,
    });
    // The temporary folder is outside the working folder, so the file is named by an absolute URI.
    expect(log.runs[0]!.artifacts[0]!.location.uri).toBe(pathToFileURL(file).href);
  });

  it('rejects an unknown format and names sarif among the choices', () => {
    let stderr = '';
    expect(
      run(
        ['--format', 'xml', 'x.conf'],
        () => undefined,
        (s) => (stderr += s),
      ),
    ).toBe(2);
    expect(stderr).toMatch(/use text, json, sarif\b/);
  });
});
